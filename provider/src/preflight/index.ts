/**
 * Deletion preflight for CI: what deleting each CustomImage in a Pulumi plan would do.
 * @packageDocumentation
 */
export { runPreflight, plainConfig, type PreflightOptions } from "./run";
export {
  runPreflightCli,
  type CliIo,
  EXIT,
  exitCodeFor,
  FAIL_ON_VALUES,
  type FailOn,
  parsePreflightArgs,
  PREFLIGHT_USAGE,
  UsageError,
  type PreflightArgs,
} from "./cli";
export {
  formatReport,
  REPORT_FORMATS,
  type ReportFormat,
  formatTable,
  formatMarkdown,
  MARKDOWN_MARKER,
  formatJson,
} from "./format";
export {
  PreflightError,
  type PreflightErrorKind,
  parsePreviewJson,
  asPreviewDigest,
  PlanParseError,
  type PreviewDigest,
  type PreviewStep,
  type ResourceState,
  type PreviewDiagnostic,
  UNKNOWN,
  SECRET,
} from "./plan";
export { collectImagePlan, CUSTOM_IMAGE_TYPE } from "./steps";
export type { ImagePlan, PlannedDeletion, PlannedCreation, DeletionOp, CreationOp } from "./steps";
export { detectRefactorMistakes, aliasSuggestion, type RefactorFinding, type FindingKind } from "./refactor";
export { buildReport, IMAGE_STATUSES } from "./report";
export type { PreflightReport, ImageReport, CopyReport, ImageStatus, PlanSource, Verdict } from "./report";
export type { DeletionDecision, AssessDeletions, AssessmentTarget } from "./report";
