/**
 * The provider implementation: the module the serialized shim requires, by package name, at call
 * time (`pulumi-tencentcloud-images/dist/provider`): one entry per verb, each in its own file
 * (check.ts, diff.ts, create.ts, read.ts, update.ts, delete.ts). Process state lives in `cloud/`,
 * never in the serialized object. This path is recorded in users' states: it never moves.
 */
import { setStackConfig } from "../cloud/settings";
import type { CheckedInputs, CustomImageState } from "../schema/types";
import { storedOutputs, withInputDefaults, withOutputDefaults } from "../schema/stored";
import type { CheckFailure } from "./check-rules";
import { checkResource } from "./check";
import { diffResource, type DiffResult } from "./diff";
import { createResource } from "./create";
import { readResource } from "./read";
import { updateResource } from "./update";
import { deleteResource } from "./delete";
import { redactError, type Rec } from "./common";
import { quietIfExplained } from "./errors";
import { quietConsoleInHost } from "./quiet-console";
import { inCrowd } from "../cloud/describes";

// Expected failures are printed once, on their resource: the host's own echo of them is dropped.
quietConsoleInHost();

/**
 * Removes any credential of the current environment/config from an error (message, stack, reasons,
 * properties), and makes an explained failure quiet (no stack trace; see `provider/errors.ts`). The
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

/**
 * Validates and defaults inputs; no cloud call. Refused inputs come back
 * as one failure, in the engine's shape (see `engineCheckFailures`).
 */
export async function check(olds: Rec, news: Rec): Promise<{ inputs: Rec; failures: CheckFailure[] }> {
  return scrub(async () => checkResource(olds, news));
}

/** Diffs old outputs against new inputs (see `diff.ts`). */
export async function diff(id: string, olds: Rec, news: Rec): Promise<DiffResult> {
  return diffResource(id, olds, news);
}

// Every operation reads the state with its defaults put back, and returns outputs as stored (schema/stored.ts).

export function create(inputs: Rec): Promise<{ id: string; outs: Rec }> {
  return scrub(() =>
    inCrowd(async () => {
      const r = await createResource(withInputDefaults(inputs) as CheckedInputs & Rec);
      return { ...r, outs: storedOutputs(r.outs) };
    }),
  );
}

export function read(id: string, props: Rec): Promise<{ id: string; props: Rec }> {
  return scrub(() =>
    inCrowd(async () => {
      const r = await readResource(id, withOutputDefaults(props) as Partial<CustomImageState> & Rec);
      return { ...r, props: storedOutputs(r.props) };
    }),
  );
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

/**
 * `delete` is a reserved word for a function name; exported under that name below. The outputs go
 * as stored: the delete fills their defaults once (`deleteSpecFromOutputs`).
 */
function remove(id: string, props: Rec): Promise<void> {
  return scrub(() => inCrowd(() => deleteResource(id, props)));
}
export { remove as delete };
