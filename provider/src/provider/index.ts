/**
 * The provider implementation: the module the serialized shim requires, by package name, at call
 * time (`pulumi-tencentcloud-images/dist/provider`). Process state (the stack config, rate limits,
 * the shared instance scan) lives in the modules below, never in the serialized object.
 */
import { createHash, randomBytes } from "crypto";
import { defaultRegion, setStackConfig } from "../cloud/settings";
import { diffState, sharedWithChangeWarning, type PropertyDiff } from "./diff-rules";
import { checkInputs, CheckFailure } from "./check-rules";
import { unmanagedSharesAfterUpWarning } from "./drift-rules";
import type { CheckedInputs, CustomImageState } from "../schema/types";
import { createResource } from "./create";
import { deleteResource } from "./delete";
import { readResource, updateResource } from "./read-update";
import { redactError, warnOn, type Rec } from "./common";
import { engineCheckFailures, quietIfExplained } from "./refusals";
import { quietConsoleInHost } from "./quiet-console";
import { storedInputs, storedOutputs, withInputDefaults, withOutputDefaults } from "../schema/stored";

// Expected failures are printed once, on their resource: the host's own echo of them is dropped.
quietConsoleInHost();

/** The URN the resource class passed, where warnings are shown. */
function urnOf(props: Rec): string | undefined {
  return typeof props.resourceUrn === "string" && props.resourceUrn.startsWith("urn:") ? props.resourceUrn : undefined;
}

/**
 * Removes any credential of the current environment/config from an error (message, stack, reasons,
 * properties), and makes an explained failure quiet (no stack trace; see `provider/refusals.ts`). The
 * outputs an error records (an image that exists but did not finish) are stored like any outputs.
 */
function scrub<T>(run: () => Promise<T>): Promise<T> {
  return run().catch((e: unknown) => {
    const recorded = e instanceof Error ? (e as Error & { properties?: unknown }) : undefined;
    if (recorded?.properties && typeof recorded.properties === "object")
      recorded.properties = storedOutputs(recorded.properties as Rec);
    throw quietIfExplained(redactError(e));
  });
}

/** Keeps the stack config (only `tencentcloud:*` keys this provider reads) in process state. */
export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
  setStackConfig((k) => req.config.get(k));
}

/** Validates and defaults inputs; no cloud call. Refused inputs come back as one failure, in the engine's shape (see `engineCheckFailures`). */
export async function check(olds: Rec, news: Rec): Promise<{ inputs: Rec; failures: CheckFailure[] }> {
  return scrub(async () => checkNow(olds, news));
}

function checkNow(olds: Rec, news: Rec): { inputs: Rec; failures: CheckFailure[] } {
  const { inputs, failures } = checkInputs(olds ?? {}, news ?? {}, {
    defaultRegion: defaultRegion(undefined, undefined, typeof news?.profile === "string" ? news.profile : undefined),
    randomHex: (seed) =>
      seed === undefined ? randomBytes(4).toString("hex") : createHash("sha256").update(seed).digest("hex").slice(0, 8),
  });
  return { inputs: storedInputs(inputs), failures: engineCheckFailures(failures) };
}

/**
 * The exact diff (see provider/diff-rules.ts), with a field-level `detailedDiff` in the engine's
 * `{kind, inputDiff}` shape. The dynamic-provider host of @pulumi/pulumi (3.248 included) sends the
 * engine only `changes`, `replaces` and `deleteBeforeReplace`: its DiffResult has no detailed diff,
 * so the engine drops this one and shows its own diff of old and new inputs instead.
 *
 * Warns on the resource, at a preview and an up, about what that diff shows poorly: the accounts a
 * change to `sharedWith` adds or removes, and the shares made outside the stack as the new inputs
 * leave them. The engine also diffs at a refresh (the refreshed outputs against the recorded
 * inputs), after `read` has warned: the engine's sink shows each warning once.
 */
export async function diff(
  _id: string,
  olds: Rec,
  news: Rec,
): Promise<{
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  detailedDiff: Record<string, PropertyDiff>;
}> {
  olds = withOutputDefaults(olds);
  news = withInputDefaults(news);
  const d = diffState(olds as Partial<CustomImageState> & Rec, news as Partial<CheckedInputs> & Rec);
  const texts = [sharedWithChangeWarning(olds, news), unmanagedSharesAfterUpWarning(_id, olds, news)];
  for (const text of texts) if (text) await warnOn(urnOf(news) ?? urnOf(olds), text);
  return {
    changes: d.changes,
    replaces: d.replaces,
    deleteBeforeReplace: d.deleteBeforeReplace,
    detailedDiff: d.detailedDiff,
  };
}

// Every operation reads the state with its defaults put back, and returns outputs as stored (schema/stored.ts).

export function create(inputs: Rec): Promise<{ id: string; outs: Rec }> {
  return scrub(async () => {
    const r = await createResource(withInputDefaults(inputs) as CheckedInputs & Rec);
    return { ...r, outs: storedOutputs(r.outs) };
  });
}

export function read(id: string, props: Rec): Promise<{ id: string; props: Rec }> {
  return scrub(async () => {
    const r = await readResource(id, withOutputDefaults(props) as Partial<CustomImageState> & Rec);
    return { ...r, props: storedOutputs(r.props) };
  });
}

export function update(id: string, olds: Rec, news: Rec): Promise<{ outs: Rec }> {
  return scrub(async () => {
    const r = await updateResource(
      id,
      withOutputDefaults(olds) as Partial<CustomImageState> & Rec,
      withInputDefaults(news) as CheckedInputs & Rec,
    );
    return { ...r, outs: storedOutputs(r.outs) };
  });
}

/** `delete` is a reserved word for a function name; exported under that name below. */
function remove(id: string, props: Rec): Promise<void> {
  return scrub(() => deleteResource(id, withOutputDefaults(props)));
}
export { remove as delete };
