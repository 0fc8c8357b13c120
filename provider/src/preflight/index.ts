/**
 * Deletion preflight for CI: what deleting each CustomImage in a Pulumi plan would do.
 * @packageDocumentation
 */
export { runPreflight, plainConfig, type PreflightOptions } from "./run";
export { runPreflightCli, type CliIo } from "./cli";
export { formatReport, REPORT_FORMATS, type ReportFormat } from "./format";
export { formatTable } from "./format-table";
export { formatMarkdown, MARKDOWN_MARKER } from "./format-markdown";
export { formatJson } from "./format-json";
export { EXIT, exitCodeFor, FAIL_ON_VALUES, type FailOn } from "./exit-code";
export { PreflightError, type PreflightErrorKind } from "./errors";
export { parsePreflightArgs, PREFLIGHT_USAGE, UsageError, type PreflightArgs } from "./options";
export { parsePreviewJson, asPreviewDigest, PlanParseError } from "./plan-shape";
export type { PreviewDigest, PreviewStep, ResourceState, PreviewDiagnostic } from "./plan-shape";
export { collectImagePlan, CUSTOM_IMAGE_TYPE } from "./image-steps";
export type { ImagePlan, PlannedDeletion, PlannedCreation, DeletionOp, CreationOp } from "./image-steps";
export { detectRefactorMistakes, aliasSuggestion, type RefactorFinding, type FindingKind } from "./refactor";
export { buildReport, IMAGE_STATUSES } from "./report";
export type { PreflightReport, ImageReport, CopyReport, ImageStatus, PlanSource, Verdict } from "./report";
export { UNKNOWN, SECRET } from "./sentinels";
export type { DeletionAssessment, AssessDeletions, AssessmentTarget } from "./types";
