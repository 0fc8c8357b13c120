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
export { getImage, getImageOutput } from "./resource/get-image";
export type { GetImageArgs, GetImageOutputArgs, GetImageResult } from "./resource/get-image";
export { IMAGE_TYPES, LookupError } from "./logic/lookup";
export type { ImageType } from "./logic/lookup";
export type { CredentialSource, KeysSource, ProfileSource } from "./logic/credentials";
export { assessDeletions } from "./provider/assess";
export type { AssessOptions, DeletionTarget } from "./provider/assess";
export { planDeletion, deleteSpecFromOutputs } from "./logic/delete-plan";
export type { DeletionAssessment, DeletionOutcome, DeleteContext, DeleteSpec, DeleteFacts } from "./logic/delete-plan";
export type { CommandEndpoints, CommandService } from "./logic/next-steps";
export type { RecordedIdentity } from "./logic/identity";
export { DEFAULT_DELETION_POLICY, DEFAULT_TIMEOUTS, USAGE_KINDS } from "./logic/types";
export type { Copies, ImageCopy } from "./logic/copies";
export type {
  DeletionPolicy,
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
  UsageKind,
  UnmanagedSharesPolicy,
} from "./logic/types";
export { CONFIG_KEYS, ENV_KEYS } from "./api/settings";
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
