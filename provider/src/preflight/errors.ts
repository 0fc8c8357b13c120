/**
 * The one error type the preflight throws on purpose.
 */

/** `usage`: bad options; `access`: the plan, `pulumi` or the cloud could not be read. */
export type PreflightErrorKind = "usage" | "access";

/** An error meant for the user, without a stack trace. */
export class PreflightError extends Error {
  /** Always `"PreflightError"`. */
  override name = "PreflightError";
  constructor(
    /** `usage` for bad options, `access` when the plan, `pulumi` or the cloud could not be read. */
    readonly kind: PreflightErrorKind,
    message: string,
  ) {
    super(message);
  }
}
