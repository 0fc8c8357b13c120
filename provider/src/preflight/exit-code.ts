/**
 * The preflight's exit-code policy (pure).
 */
import type { PreflightReport } from "./report";

/** Exit codes of `cvm-image preflight`. */
export const EXIT = {
  /** Nothing the `--fail-on` policy objects to. */
  clear: 0,
  /** Usage error, unreadable plan, failed `pulumi` run or failed cloud check (the report is still written). */
  error: 1,
  /** Something is blocked (or, with `--fail-on delete`, an image would be deleted). */
  failed: 2,
} as const;

/** When the preflight should fail. */
export type FailOn = "blocked" | "delete" | "never";

/** Every accepted `--fail-on` value. */
export const FAIL_ON_VALUES: readonly FailOn[] = ["blocked", "delete", "never"];

/**
 * Maps a report to an exit code: a report whose cloud check failed (`cloudError`) is an error
 * whatever `failOn` says; otherwise `blocked` fails on a blocked verdict (blocked or
 * unassessable images, engine errors, certain refactor breakage), `delete` also
 * fails when any image would be deleted, and `never` returns 0.
 */
export function exitCodeFor(report: PreflightReport, failOn: FailOn): number {
  if (report.cloudError !== undefined) return EXIT.error;
  switch (failOn) {
    case "never":
      return EXIT.clear;
    case "delete":
      return report.verdict === "clear" ? EXIT.clear : EXIT.failed;
    case "blocked":
      return report.verdict === "blocked" ? EXIT.failed : EXIT.clear;
  }
}
