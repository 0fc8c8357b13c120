/**
 * CVM launch templates (2017-03-12): DescribeLaunchTemplates paged through for the whole account
 * in a region, then DescribeLaunchTemplateVersions for every version of each template, paged. The
 * versions are asked for by range up to the template's latest version number: without a range the
 * API answers versions 0 to 30 only, and numbers keep growing as versions are deleted and made.
 */
import type { ScannedLaunchTemplate } from "./usage-rules";
import { ApiError, callApi, CallOptions } from "./call";
import { pageThrough } from "./paging";
import type { Settings } from "./settings";

/** DescribeLaunchTemplateVersions' answer for a template that no longer exists. */
const TEMPLATE_GONE = "InvalidParameterValue.LaunchTemplateNotFound";

/** Every version of one template, with the image it names. */
async function templateVersions(
  s: Settings,
  launchTemplateId: string,
  latest: number,
  opts?: CallOptions,
): Promise<ScannedLaunchTemplate["versions"]> {
  const set = await pageThrough("LaunchTemplateVersionSet", (Offset, Limit) =>
    callApi(
      s,
      "DescribeLaunchTemplateVersions",
      { LaunchTemplateId: launchTemplateId, MinVersion: 0, MaxVersion: Math.max(latest, 0), Offset, Limit },
      opts,
    ),
  );
  return set.map((v) => ({
    version: Number(v.LaunchTemplateVersion ?? 0),
    imageId: String((v.LaunchTemplateVersionData as Record<string, unknown> | undefined)?.ImageId ?? ""),
  }));
}

/** Every launch template of the account in the settings' region, with every version's image. */
export async function listLaunchTemplates(s: Settings, opts?: CallOptions): Promise<ScannedLaunchTemplate[]> {
  const templates = await pageThrough("LaunchTemplateSet", (Offset, Limit) =>
    callApi(s, "DescribeLaunchTemplates", { Offset, Limit }, opts),
  );
  const out: ScannedLaunchTemplate[] = [];
  // One template after another: the scan runs once per operation, and its calls stay in one order.
  for (const t of templates) {
    const launchTemplateId = String(t.LaunchTemplateId ?? "");
    let versions: ScannedLaunchTemplate["versions"];
    try {
      versions = await templateVersions(s, launchTemplateId, Number(t.LatestVersionNumber ?? 0), opts);
    } catch (e) {
      if (e instanceof ApiError && e.code === TEMPLATE_GONE) continue; // deleted since it was listed
      throw e;
    }
    out.push({
      launchTemplateId,
      launchTemplateName: String(t.LaunchTemplateName ?? ""),
      defaultVersion: Number(t.DefaultVersionNumber ?? 0),
      versions,
    });
  }
  return out;
}
