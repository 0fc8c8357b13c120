/**
 * Auto Scaling launch configurations (`as`, 2018-04-19): DescribeLaunchConfigurations paged through
 * for the whole account in a region, each configuration with the image it launches. The calls go
 * through the same call layer to the Auto Scaling endpoint (see `serviceEndpoint`).
 */
import type { ScannedLaunchConfiguration } from "./usage-rules";
import { callApi, CallOptions } from "./call";
import { pageThrough } from "./paging";
import { Env, processEnv, serviceEndpoint, Settings } from "./settings";

/** The Auto Scaling API version. */
export const AS_API_VERSION = "2018-04-19";

/** Every launch configuration of the account in the settings' region. */
export async function listLaunchConfigurations(
  s: Settings,
  opts: CallOptions = {},
  env: Env = processEnv(),
): Promise<ScannedLaunchConfiguration[]> {
  const service = { ...serviceEndpoint("as", env), version: AS_API_VERSION };
  const set = await pageThrough("LaunchConfigurationSet", (Offset, Limit) =>
    callApi(s, "DescribeLaunchConfigurations", { Offset, Limit }, { ...opts, service }),
  );
  return set.map((c) => ({
    launchConfigurationId: String(c.LaunchConfigurationId ?? ""),
    launchConfigurationName: String(c.LaunchConfigurationName ?? ""),
    status: String(c.LaunchConfigurationStatus ?? ""),
    imageId: String(c.ImageId ?? ""),
  }));
}
