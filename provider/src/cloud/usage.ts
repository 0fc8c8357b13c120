/**
 * The usage scan: what in an account and region can still use an image. Instances
 * (DescribeInstances), CVM launch templates (every version's image) and Auto Scaling launch
 * configurations are listed once and the result is shared by every delete of the operation (one
 * scan per account and region per `CVM_IMAGE_INSTANCE_SCAN_TTL_MS`; concurrent callers wait for
 * the same scan). A kind whose listing is refused (no permission, the service unavailable) is
 * recorded as refused, with why, so the policy can decide; other failures fail the scan.
 */
import type { KindScan, UsageScan } from "./usage-rules";
import { ApiError, CallOptions } from "./call";
import { listInstances } from "./instances";
import { listLaunchConfigurations } from "./launch-configurations";
import { listLaunchTemplates } from "./launch-templates";
import { processEnv, type Env, type Settings } from "./settings";
import { processState } from "./process";

/** Permission refusals: the credentials are valid, but may not call the action. */
const PERMISSION_REFUSAL = /^(UnauthorizedOperation|AuthFailure\.UnauthorizedOperation)(\.|$)/;

/**
 * Whether a failed listing is a refusal the policy decides about: a permission refusal, or the
 * service unavailable (its endpoint unreachable, network or server errors after the call layer's
 * retries, or not activated).
 */
export function isRefusedScan(e: unknown): e is ApiError {
  if (!(e instanceof ApiError)) return false;
  return (
    (e.code !== undefined && PERMISSION_REFUSAL.test(e.code)) ||
    e.kind === "network" ||
    e.kind === "unreachable" ||
    e.kind === "server" ||
    e.code === "ResourceUnavailable.ServiceNotActivated"
  );
}

async function scanKind<T>(list: () => Promise<T[]>): Promise<KindScan<T>> {
  try {
    return { items: await list() };
  } catch (e) {
    if (isRefusedScan(e)) return { refused: e.message };
    throw e;
  }
}

/** Lists every kind, one after another (so the calls of a scan keep one order). */
export async function scanUsage(s: Settings, opts: CallOptions = {}, env: Env = processEnv()): Promise<UsageScan> {
  const instances = await scanKind(() => listInstances(s, opts));
  const launchTemplates = await scanKind(() => listLaunchTemplates(s, opts));
  const launchConfigurations = await scanKind(() => listLaunchConfigurations(s, opts, env));
  return { instances, launchTemplates, launchConfigurations };
}

function scanKey(s: Settings): string {
  return `${s.protocol}${s.endpoint}|${s.secretId}|${s.region}`;
}

/** The shared scan for the settings' account and region (kept in `processState.usageScans`). */
export function sharedUsageScan(s: Settings, opts?: CallOptions): Promise<UsageScan> {
  const scans = processState.usageScans;
  const key = scanKey(s);
  const hit = scans.get(key);
  if (hit && Date.now() - hit.at <= s.tuning.scanTtlMs) return hit.result;
  const result = scanUsage(s, opts);
  const entry = { at: Date.now(), result };
  scans.set(key, entry);
  result.catch(() => {
    if (scans.get(key) === entry) scans.delete(key);
  });
  return result;
}
