/**
 * The `ImageRetention` provider: the module its serialized shim requires by package name at call
 * time (`pulumi-tencentcloud-images/dist/retention`). This path is recorded in users' states: it
 * never moves.
 *
 * - `check` validates the inputs (no cloud call); `diff` plans against the cloud and reports a
 *   change when anything is due (or, for a dry run, when the decisions differ from those recorded);
 * - `create` and `update` plan and apply (a dry run only records); `read` plans again;
 * - `delete` forgets: it deletes no image and leaves each image's stage tags as they are.
 */
import { randomBytes } from "crypto";
import { defaultRegion, setStackConfig } from "../cloud/settings";
import { RETENTION_RULE, type RetentionSpec } from "../schema/retention";
import type { CheckFailure } from "../provider/check-rules";
import { engineCheckFailures, quietIfExplained } from "../provider/errors";
import { causeOf, redactError, settingsFor, warnOn, type Rec } from "../provider/common";
import { stableText } from "../schema/rules";
import { changes, type RetentionDecision } from "./plan-rules";
import { anyChangeDue, walkScope } from "./scope";
import { ChangeRunner, withFailures, type Applied } from "./apply";

/** Inputs the resource class adds that are not the user's: kept as given, not checked. */
const PASSED_THROUGH = ["resourceName", "resourceUrn"] as const;
/** What the dynamic-provider host adds to the inputs (the serialized provider): not checked, and not kept by check. */
const HOST_KEYS = ["__provider"] as const;
const notChecked = (k: string) =>
  (PASSED_THROUGH as readonly string[]).includes(k) || (HOST_KEYS as readonly string[]).includes(k);

/** The checked inputs as the outputs keep them (the user's fields, the region resolved, the class's own). */
export function checkRetention(news: Rec): { inputs: Rec; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const given = Object.fromEntries(Object.entries(news ?? {}).filter(([k]) => !notChecked(k)));
  const checked = (RETENTION_RULE.check(given, "", (property, reason) =>
    failures.push({ property: property.replace(/^\./, ""), reason: reason.replace(/(^|\s)\./g, "$1") }),
  ) ?? {}) as Rec;
  if (checked.region === undefined && !failures.length)
    checked.region = defaultRegion(
      undefined,
      undefined,
      typeof checked.profile === "string" ? checked.profile : undefined,
    );
  for (const k of PASSED_THROUGH) if (typeof news?.[k] === "string") checked[k] = news[k];
  return { inputs: checked, failures: engineCheckFailures(failures) };
}

const urnOf = (props: Rec): string | undefined =>
  typeof props.resourceUrn === "string" && props.resourceUrn.startsWith("urn:") ? props.resourceUrn : undefined;

/** The user's inputs of stored outputs or checked inputs, in the form two are compared in. */
function inputText(v: Rec): string {
  const { images: _i, summary: _s, lastPlanned: _l, resourceUrn: _u, resourceName: _n, ...inputs } = v;
  return stableText(RETENTION_RULE.normalize(inputs));
}

const specOf = (v: Rec): RetentionSpec => v as unknown as RetentionSpec;

/** One output entry per image of the scope. */
function imageEntry(a: Applied): Rec {
  const d = a.decision;
  return { ...d, ...(a.error ? { error: a.error } : {}) };
}

/** The outputs: the inputs, each image's decision (and failure), the counts of each action. */
function outputsOf(inputs: Rec, applied: readonly Applied[], now: number): Rec {
  const summary: Record<string, number> = {};
  for (const a of applied) summary[a.decision.action] = (summary[a.decision.action] ?? 0) + 1;
  return { ...inputs, images: applied.map(imageEntry), summary, lastPlanned: new Date(now).toISOString() };
}

/** A failed observation of the scope: nothing was changed, and what to do. */
function unread<T>(work: Promise<T>): Promise<T> {
  return work.catch((e: unknown) => {
    throw new Error(
      `ImageRetention: nothing was changed: the scope could not be read (${causeOf(e)}). Fix the cause, then run ` +
        "`pulumi up` again (or the preview or refresh that failed).",
    );
  });
}

/**
 * Plans and applies (a dry run only plans): each change starts as soon as its image's decision is
 * made, while the scope's other share listings go on. Throws, after every change handed over was
 * tried, when a change failed or the scope could not be read to the end.
 */
async function run(inputs: Rec): Promise<Rec> {
  const spec = specOf(inputs);
  const s = settingsFor(spec.region, { profile: spec.profile, operation: "update" });
  const now = Date.now();
  if (spec.dryRun) {
    const { decisions } = await unread(walkScope(s, spec, now));
    return outputsOf(inputs, withFailures(decisions, new Map()), now);
  }
  const runner = new ChangeRunner(s, spec, now, urnOf(inputs));
  let walked: Awaited<ReturnType<typeof walkScope>>;
  try {
    walked = await walkScope(s, spec, now, {}, (d, image) => runner.add(d, image));
  } catch (e) {
    const failures = await runner.settled();
    if (!runner.handedOver) return unread(Promise.reject(e));
    throw new Error(
      `ImageRetention: the scope could not be read to the end (${causeOf(e)}); of the ${runner.handedOver} ` +
        `changes started before, ${runner.handedOver - failures.size} were done` +
        (failures.size ? ` and ${failures.size} failed (${failureList(failures)})` : "") +
        ", and each image's stage is recorded in its tags. Fix the cause, then run `pulumi up` again to finish.",
    );
  }
  const applied = withFailures(walked.decisions, await runner.settled());
  const failed = applied.filter((a) => a.error);
  if (failed.length) {
    throw new Error(
      `ImageRetention: ${failed.length} of ${applied.filter((a) => changes(a.decision)).length} changes failed; ` +
        "the others were done, and each image's stage is recorded in its tags. Fix the cause, then run `pulumi up` " +
        `again to finish: ${failed.map((a) => `${a.decision.imageId} (${a.decision.action}): ${a.error}`).join("; ")}`,
    );
  }
  return outputsOf(inputs, applied, now);
}

const failureList = (failures: Map<string, string>): string =>
  [...failures].map(([imageId, cause]) => `${imageId}: ${cause}`).join("; ");

function scrub<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((e: unknown) => {
    throw quietIfExplained(redactError(e));
  });
}

/** Keeps the stack config (only `tencentcloud:*` keys) in process state. */
export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
  setStackConfig((k) => req.config.get(k));
}

export async function check(_olds: Rec, news: Rec): Promise<{ inputs: Rec; failures: CheckFailure[] }> {
  return scrub(async () => checkRetention(news));
}

/** The decisions recorded in outputs, as `imageId:action` texts. */
const recordedActions = (v: Rec): string[] =>
  (Array.isArray(v.images) ? (v.images as RetentionDecision[]) : []).map((d) => `${d.imageId}:${d.action}`);

export async function diff(
  _id: string,
  olds: Rec,
  news: Rec,
): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  return scrub(async () => {
    const same = { changes: false, replaces: [], deleteBeforeReplace: false };
    if (inputText(olds) !== inputText(news)) return { ...same, changes: true };
    const spec = specOf(news);
    const s = settingsFor(spec.region, { profile: spec.profile, operation: "read" });
    // A dry run changes when its decisions do; otherwise when anything is due (the walk stops at the first).
    if (!spec.dryRun) return { ...same, changes: await unread(anyChangeDue(s, spec)) };
    const { decisions } = await unread(walkScope(s, spec, Date.now()));
    const recorded = stableText(recordedActions(olds));
    return { ...same, changes: stableText(decisions.map((d) => `${d.imageId}:${d.action}`)) !== recorded };
  });
}

export async function create(inputs: Rec): Promise<{ id: string; outs: Rec }> {
  return scrub(async () => ({ id: `retention-${randomBytes(4).toString("hex")}`, outs: await run(inputs) }));
}

export async function update(_id: string, _olds: Rec, news: Rec): Promise<{ outs: Rec }> {
  return scrub(async () => ({ outs: await run(news) }));
}

/** Plans again (changes nothing): the outputs show what the next `up` would do. */
export async function read(id: string, props: Rec): Promise<{ id: string; props: Rec }> {
  return scrub(async () => {
    const spec = specOf(props);
    const s = settingsFor(spec.region, { profile: spec.profile, operation: "read" });
    const now = Date.now();
    const { decisions } = await unread(walkScope(s, spec, now));
    return {
      id,
      props: outputsOf(
        props,
        decisions.map((decision) => ({ decision })),
        now,
      ),
    };
  });
}

/** Forgets the retention: no image is deleted, and images mid-retirement keep their stage tags. */
async function remove(_id: string, props: Rec): Promise<void> {
  // Mid-retirement after the last up: what it deprecated, unshared or left waiting (not what it deleted or restored).
  const staged = (Array.isArray(props.images) ? (props.images as RetentionDecision[]) : []).filter((d) =>
    ["deprecate", "unshare", "wait"].includes(d.action),
  );
  await warnOn(
    urnOf(props),
    "ImageRetention removed: no image was deleted (a retention only forgets)" +
      (staged.length
        ? `; ${staged.length} image(s) mid-retirement keep their stage (deprecated, shares cancelled) and ` +
          "retention:* tags: a retention of the same scope resumes them, or restore them by hand"
        : ""),
  );
}
export { remove as delete };
