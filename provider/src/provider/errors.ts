/**
 * The provider's failures: the classes a verb throws (each with its wording), and how refusals and
 * failures reach the engine, printed once and without a stack trace
 * (pure). Pulumi's dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) prints
 * `${e}: ${e.stack}` to stderr for every failed check, diff, read or delete; the engine shows that
 * text under the stack, besides its own error on the resource (in the progress rows, whose display
 * keeps the first line of a message, and under Diagnostics). A failure the provider explains itself
 * is made quiet: no stack trace, and a string form that does not repeat the message.
 */
import type { CheckFailure } from "./check-rules";
import type { ImageFacts } from "../schema/types";

type Rec = Record<string, unknown>;

/** Built-in error types that mean a bug in the provider: they keep their stack trace. */
const BUG_TYPES: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  TypeError,
  ReferenceError,
  RangeError,
  SyntaxError,
  EvalError,
  URIError,
];

/** Whether an error is a refusal or failure the provider explains in its message (anything but a built-in bug type). */
export function isExplainedFailure(e: unknown): e is Error {
  return e instanceof Error && !BUG_TYPES.some((T) => e instanceof T);
}

/** What the dynamic-provider host prints for a quiet error (`${e}: ${e.stack}` with both empty). */
export const QUIET_ECHO = ": ";

/**
 * Makes an error quiet for the dynamic-provider host: an empty stack and string form, so the host's
 * echo is {@link QUIET_ECHO}, which the provider's console filter drops. The message, which the
 * engine shows on the resource, is kept.
 */
export function quietError<T extends Error>(e: T): T {
  Object.defineProperty(e, "stack", { value: "", configurable: true, writable: true, enumerable: false });
  Object.defineProperty(e, "toString", { value: () => "", configurable: true, writable: true, enumerable: false });
  return e;
}

/** Quiets an explained failure; a bug keeps its stack trace. */
export function quietIfExplained(e: Error): Error {
  return isExplainedFailure(e) ? quietError(e) : e;
}

const sentence = (text: string): string => (/[.!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`);

/**
 * The check failures as the engine should get them: one per resource, with no property. The
 * engine prints a failure with a property as "property P value V has a problem", V being the
 * top-level input named P (`{<nil>}` for a nested path such as `deletionPolicy.unmanagedShares`);
 * without one it prints "resource 'name' has a problem: reason". The reason's first line says what
 * happened (the progress display shows only that line), then one line per refused input, then what
 * to run.
 */
export function engineCheckFailures(failures: readonly CheckFailure[]): CheckFailure[] {
  if (failures.length === 0) return [];
  const head =
    failures.length === 1
      ? `the input ${failures[0]!.property} is not valid`
      : `${failures.length} inputs are not valid`;
  const lines = failures.map((f) => sentence(`${f.property}: ${f.reason}`));
  return [
    {
      property: "",
      reason: [
        `${head}; nothing was sent to the cloud.`,
        ...lines,
        "Fix the program, then run the command again.",
      ].join("\n"),
    },
  ];
}

/** The resource options {@link optionWarnings} looks at. */
export interface OptionsSeen {
  customTimeouts?: unknown;
  replaceOnChanges?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Warnings for resource options that never reach a dynamic provider: `customTimeouts` (the host
 * ignores the engine's timeouts) and `replaceOnChanges` (the engine matches it against the changed
 * properties a provider reports, and the host reports none). Each names what to use instead:
 * the `timeouts` input, and the inputs that already replace (`replaceKeys`).
 */
export function optionWarnings(opts: OptionsSeen | undefined, replaceKeys: readonly string[]): string[] {
  const out: string[] = [];
  if (opts?.customTimeouts !== undefined) {
    const given = isObject(opts.customTimeouts)
      ? Object.entries(opts.customTimeouts).filter(
          ([k, v]) => ["create", "update", "delete"].includes(k) && typeof v === "string",
        )
      : [];
    const example = given.length
      ? given.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")
      : 'create: "90m", delete: "45m"';
    out.push(
      "customTimeouts has no effect on a CustomImage: Pulumi does not pass it to dynamic providers. " +
        `Use the \`timeouts\` input instead: \`timeouts: { ${example} }\` (durations like "90s", "10m", "1h30m").`,
    );
  }
  if (opts?.replaceOnChanges !== undefined) {
    const asked = Array.isArray(opts.replaceOnChanges)
      ? opts.replaceOnChanges.filter((x): x is string => typeof x === "string")
      : [];
    const top = (p: string) => p.split(/[.[]/)[0] ?? p;
    const inPlace = [...new Set(asked.map(top).filter((k) => k !== "*" && !replaceKeys.includes(k)))];
    out.push(
      "replaceOnChanges has no effect on a CustomImage: its dynamic provider reports no changed properties for the " +
        "engine to match. " +
        `These inputs already replace the image when they change: ${replaceKeys.join(", ")}.` +
        (inPlace.length ? ` ${inPlace.join(", ")} ${inPlace.length === 1 ? "changes" : "change"} in place.` : "") +
        " To replace the image anyway, run `pulumi up --replace <urn>`.",
    );
  }
  return out;
}

/** The image is gone (deleted outside the stack or by an earlier attempt), or the id now names another image. */
export class ImageGone extends Error {
  override name = "ImageGone";
  constructor(reason = "the image no longer exists (deleted outside the stack)") {
    super(reason);
  }
}

/** Thrown when a wait runs out of time, with the image as last seen. */
export class WaitTimeout extends Error {
  override name = "WaitTimeout";
  constructor(
    message: string,
    readonly last: ImageFacts | null,
  ) {
    super(message);
  }
}

/**
 * An error that tells the engine the image exists but did not finish initialising, so it is
 * recorded in the state (nothing leaks) and the next `pulumi up` replaces or updates it.
 */
export class ResourceInitError extends Error {
  override name = "ResourceInitError";
  readonly reasons: string[];
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Rec,
  ) {
    super(message);
    this.reasons = [message];
  }
}

/** Stops a delete: the cause, and the way forward. */
export class DeleteStopped extends Error {
  override name = "DeleteStopped";
  constructor(
    readonly reason: string,
    readonly next: string,
  ) {
    super(reason);
  }
}
