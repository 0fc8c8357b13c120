/**
 * pulumi-tencentcloud-images: Tencent Cloud CVM custom images as Pulumi resources, with safe,
 * policy-driven deletion and a read-only deletion assessment for CI preflights.
 */
export { CustomImage } from "./resource/custom-image";
export type {
  CustomImageArgs,
  CustomImageGetOptions,
  CustomImageOutputs,
  DeletionPolicyArgs,
  FromImportArgs,
  FromInstanceArgs,
  FromSnapshotsArgs,
  InUsePolicyArgs,
  TimeoutsArgs,
} from "./resource/custom-image";
export { customImageProvider } from "./resource/shim";
export { ImageRetention } from "./resource/image-retention";
export type { ImageRetentionArgs, RetainedImage } from "./resource/image-retention";
export { imageRetentionProvider } from "./resource/retention-shim";
export type { RetentionDecision } from "./retention/plan-rules";
export { RETENTION_ACTIONS, RETIREMENT_STAGES } from "./schema/retention";
export type { RetentionAction, RetirementStage } from "./schema/retention";
export type { RetentionReport } from "./preflight/retentions";
export { getImage, getImageOutput } from "./resource/get-image";
export type { GetImageArgs, GetImageOutputArgs, GetImageResult } from "./resource/get-image";
export { IMAGE_TYPES, LookupError } from "./provider/lookup-rules";
export type { ImageType } from "./provider/lookup-rules";
export type { CredentialSource, KeysSource, ProfileSource } from "./cloud/credentials-rules";
export { assessDeletions } from "./preflight/assess";
export type { AssessOptions, DeletionTarget } from "./preflight/assess";
export { decideDeletion, deleteSpecFromOutputs } from "./provider/deletion-rules";
export type {
  DeletionDecision,
  DeletionOutcome,
  DeleteContext,
  DeleteSpec,
  DeleteFacts,
} from "./provider/deletion-rules";
import { decideDeletion as decide, type DeletionDecision as Decision } from "./provider/deletion-rules";
/** @deprecated Renamed {@link decideDeletion} in 0.2.0 ("plan" names only Pulumi's plan); this alias goes in 1.0. */
export const planDeletion = decide;
/** @deprecated Renamed {@link DeletionDecision} in 0.2.0; this alias goes in 1.0. */
export type DeletionAssessment = Decision;
export type { CommandEndpoints, CommandService } from "./cloud/commands-rules";
export type { RecordedIdentity } from "./provider/deletion-rules";
export { DEFAULT_DELETION_POLICY, DEFAULT_TIMEOUTS, USAGE_KINDS } from "./schema/types";
export type { Copies, ImageCopy } from "./schema/types";
export type {
  DeletionPolicy,
  FamilyFallback,
  FamilyImage,
  FromImport,
  FromInstance,
  FromSnapshots,
  ImageUsage,
  InstanceUse,
  InstancesInUsePolicy,
  InUseAction,
  InUsePolicy,
  LaunchConfigurationUse,
  LaunchTemplateUse,
  Timeouts,
  UncheckedFamily,
  UsageKind,
  UnmanagedSharesPolicy,
} from "./schema/types";
export { CONFIG_KEYS, ENV_KEYS } from "./cloud/settings";
export {
  runPreflight,
  runPreflightCli,
  formatReport,
  formatTable,
  formatMarkdown,
  formatJson,
  exitCodeFor,
  EXIT,
  PreflightError,
  type PreflightOptions,
  type PreflightReport,
  type ImageReport,
  type CopyReport,
  type ReportFormat,
  type FailOn,
} from "./preflight";
