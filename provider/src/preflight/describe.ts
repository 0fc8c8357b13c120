/**
 * Plain-language pieces shared by the table and Markdown formatters (pure).
 */
import { KEPT_EXPLANATION } from "./kept";
import type { ImageReport, ImageStatus, PreflightReport, Verdict } from "./report";
import { IMAGE_STATUSES } from "./report";

/** Short upper-case label of a status, for terminals. */
export const STATUS_LABEL: Record<ImageStatus, string> = {
  delete: "DELETE",
  blocked: "BLOCKED",
  wait: "WAIT",
  gone: "GONE",
  kept: "KEPT",
  unassessable: "UNKNOWN",
};

/** One-line meaning of a status. */
export const STATUS_MEANING: Record<ImageStatus, string> = {
  delete: "will be deleted",
  blocked: "delete will be refused",
  wait: "delete waits for the image to settle",
  gone: "already gone from the cloud",
  kept: "kept",
  unassessable: "cannot assess",
};

/** Headline of a verdict. */
export const VERDICT_TITLE: Record<Verdict, string> = {
  clear: "all clear",
  deletes: "images will be deleted",
  blocked: "blocked",
};

/** One-sentence meaning of a verdict. */
export const VERDICT_TEXT: Record<Verdict, string> = {
  clear: "no image will be deleted",
  deletes: "nothing stands in the way of the deletions below",
  blocked: "a delete would be refused or could not be checked, or the plan would break an image",
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** How the plan changes the resource: `delete`, `replace (delete first)`, ... */
export function changeText(img: ImageReport): string {
  if (img.op === "delete") return "delete";
  const base = img.op === "replace" ? "replace" : "pending delete";
  if (img.deleteBeforeCreate === true) return `${base}, delete first`;
  if (img.deleteBeforeCreate === false) return `${base}, create first`;
  return base;
}

/** Every account the image is shared with, managed or not. */
export function allShares(img: ImageReport): string[] {
  return [...new Set([...img.sharesToCancel, ...img.managedShares, ...img.unmanagedShares])];
}

function shareLines(img: ImageReport): string[] {
  const managed = new Set(img.managedShares);
  const who = (accounts: string[]): string =>
    accounts.map((a) => `${a} (${managed.has(a) ? "managed by the stack" : "not managed"})`).join(", ");
  if (img.status === "kept") {
    // The image stays, and so do its shares: the ones the state records.
    const all = allShares(img);
    return all.length > 0
      ? [`stays shared with ${plural(all.length, "account")} (as the state records): ${who(all)}`]
      : [];
  }
  const lines: string[] = [];
  // A refused delete cancels nothing, whatever it would have cancelled.
  const cancelled = img.status === "delete" || img.status === "wait" ? img.sharesToCancel : [];
  if (cancelled.length > 0) {
    lines.push(`sharing with ${plural(cancelled.length, "account")} cancelled first: ${who(cancelled)}`);
  }
  const left = allShares(img).filter((a) => !cancelled.includes(a));
  if (left.length > 0) lines.push(`shared with ${plural(left.length, "account")}, not cancelled: ${who(left)}`);
  return lines;
}

const nameVerb = (n: number): string => (n === 1 ? "names" : "name");

/** How many things still use the image: instances, launch templates and launch configurations together. */
export function inUseCount(img: ImageReport): number {
  return img.instancesInUse.length + img.launchTemplatesInUse.length + img.launchConfigurationsInUse.length;
}

function usageLines(img: ImageReport): string[] {
  const lines: string[] = [];
  const named = (id: string, extra: Array<string | undefined>): string => {
    const shown = extra.filter((x): x is string => Boolean(x));
    return shown.length > 0 ? `${id} (${shown.join(", ")})` : id;
  };
  if (img.instancesInUse.length > 0) {
    const list = img.instancesInUse.map((i) => named(i.instanceId, [i.instanceName, i.state]));
    lines.push(`${plural(img.instancesInUse.length, "instance")} still launched from it: ${list.join(", ")}`);
  }
  if (img.launchTemplatesInUse.length > 0) {
    const list = img.launchTemplatesInUse.map((t) =>
      named(t.launchTemplateId, [
        t.launchTemplateName,
        `${t.versions.length === 1 ? "version" : "versions"} ${t.versions.join(", ")}`,
        t.includesDefaultVersion ? "the default version among them" : `not the default version ${t.defaultVersion}`,
      ]),
    );
    lines.push(
      `${plural(img.launchTemplatesInUse.length, "launch template")} still ${nameVerb(list.length)} it: ${list.join(", ")}`,
    );
  }
  if (img.launchConfigurationsInUse.length > 0) {
    const list = img.launchConfigurationsInUse.map((c) =>
      named(c.launchConfigurationId, [c.launchConfigurationName, c.status]),
    );
    lines.push(
      `${plural(img.launchConfigurationsInUse.length, "launch configuration")} still ${nameVerb(list.length)} it: ${list.join(", ")}`,
    );
  }
  return lines;
}

function snapshotLine(img: ImageReport): string[] {
  if (img.snapshotIds.length === 0 || img.status === "gone") return [];
  const verb = img.deleteSnapshots ? "deleted with it" : "kept (still billed)";
  return [`bound snapshots ${verb}: ${img.snapshotIds.join(", ")}`];
}

function copyLine(img: ImageReport): string[] {
  if (!img.copies?.length || img.status === "kept") return [];
  const list = img.copies.map(
    (c) =>
      `${c.imageId} in ${c.region} (${STATUS_LABEL[c.status].toLowerCase()}${c.sharesToCancel.length ? `, ${plural(c.sharesToCancel.length, "share")} cancelled first` : ""})`,
  );
  return [
    `${img.copies.length === 1 ? "1 copy" : `${img.copies.length} copies`} in other regions deleted with it: ${list.join(", ")}`,
  ];
}

/** Every detail sentence about one image: kept reason, reasons, ways forward, shares, what uses it, snapshots, copies, warnings. */
export function detailLines(img: ImageReport): string[] {
  const lines: string[] = [];
  if (img.keptBecause) lines.push(KEPT_EXPLANATION[img.keptBecause]);
  lines.push(...img.reasons);
  lines.push(...(img.nextSteps ?? []).map((n) => `to proceed: ${n}`));
  if (img.imageState && img.status === "wait" && img.reasons.length === 0) lines.push(`image is ${img.imageState}`);
  lines.push(...shareLines(img), ...usageLines(img), ...snapshotLine(img), ...copyLine(img));
  lines.push(...img.warnings.map((w) => `warning: ${w}`));
  return lines;
}

/** `3 images: 1 blocked, 2 delete` */
export function summaryText(report: PreflightReport): string {
  const parts = IMAGE_STATUSES.filter((s) => report.summary[s] > 0).map(
    (s) => `${report.summary[s]} ${STATUS_LABEL[s].toLowerCase()}`,
  );
  const head = plural(report.summary.images, "image deletion");
  const findings = report.summary.findings > 0 ? `; ${plural(report.summary.findings, "refactor finding")}` : "";
  return parts.length > 0 ? `${head}: ${parts.join(", ")}${findings}` : `${head}${findings}`;
}

/** Where the plan came from, for headings. */
export function sourceText(report: PreflightReport): string {
  const s = report.source;
  const what =
    s.kind === "preview"
      ? "pulumi preview"
      : s.kind === "destroy-preview"
        ? "pulumi destroy --preview-only"
        : s.kind === "file"
          ? `plan file ${s.path ?? ""}`.trim()
          : s.kind === "stdin"
            ? "plan from stdin"
            : "plan document";
  const where = [s.project && `project ${s.project}`, s.stack && `stack ${s.stack}`].filter(Boolean).join(", ");
  return where ? `${where} (${what})` : what;
}
