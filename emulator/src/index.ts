/**
 * @pulumi-tencentcloud-images/cvm-emulator: a local emulator of the Tencent Cloud CVM image API
 * (2017-03-12, with the launch-template reads), of the Tag API calls that tag images (2018-08-13)
 * and of the Auto Scaling launch-configuration reads (2018-04-19), that real clients cannot tell
 * from the cloud. Start it in-process with `startEmulator`, or from the command line with
 * `runEmulatorCli` (`cvm-image emulator`).
 */
export { runEmulatorCli } from "./cli";
export type { UnknownOptionText } from "./cli";
export type { FaultRuleInput, FaultRule } from "./load/faults";
export type { CallRecord } from "./control/calls";
export type { BehaviourSettings, EmulatorSettings, LimitSettings, TimingSettings } from "./settings";
export type {
  Dataset,
  ImageRecord,
  InstanceRecord,
  LaunchConfigurationRecord,
  LaunchTemplateRecord,
  LaunchTemplateVersionRecord,
  ScalingGroupRef,
  SnapshotRecord,
  StateFile,
} from "./models/types";
export type { SeedInput } from "./core";
export { DEFAULT_FIXTURES_PATH } from "./models/fixtures";
export { API_VERSION } from "./protocol/api";
export { TAG_API_VERSION } from "./actions/tags";
export { AS_API_VERSION } from "./actions/launch-configurations";
export { startEmulator, settingsFromOptions } from "./emulator";
export type { EmulatorAccount, EmulatorEnv, EmulatorOptions, RunningEmulator } from "./emulator";
export { writeProfiles } from "./profiles";
export type { WriteProfilesOptions, WrittenProfile } from "./profiles";
