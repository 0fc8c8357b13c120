/**
 * The action registries, one per API served on the emulator's port: CVM 2017-03-12, the Tag API
 * 2018-08-13 (for image tags) and Auto Scaling 2018-04-19 (for launch configurations). Requests are
 * routed by their version (`X-TC-Version`, or the `Version` parameter when signed with v1).
 */
import { ActionDefinition } from "./common";
import { createActions } from "./create";
import { familyActions } from "./families";
import { imageActions } from "./images";
import { instanceActions } from "./instances";
import { AS_API_VERSION, launchConfigurationActions } from "./launch-configurations";
import { launchTemplateActions } from "./launch-templates";
import { quotaActions } from "./quota";
import { sharingActions } from "./sharing";
import { syncActions } from "./sync";
import { TAG_API_VERSION, tagActions } from "./tags";

export type { ActionContext, ActionDefinition } from "./common";

export const CVM_API_VERSION = "2017-03-12";
export { AS_API_VERSION, TAG_API_VERSION };

/** Every supported CVM 2017-03-12 action, by name. */
export const ACTIONS: Readonly<Record<string, ActionDefinition>> = {
  ...imageActions,
  ...familyActions,
  ...createActions,
  ...sharingActions,
  ...quotaActions,
  ...syncActions,
  ...instanceActions,
  ...launchTemplateActions,
};

/** One API served on the port. */
export interface ApiService {
  name: string;
  version: string;
  /** Whether calls need a known `X-TC-Region` (the Tag API takes none: its resources name their region). */
  regional: boolean;
  actions: Readonly<Record<string, ActionDefinition>>;
}

export const SERVICES: readonly ApiService[] = [
  { name: "cvm", version: CVM_API_VERSION, regional: true, actions: ACTIONS },
  { name: "tag", version: TAG_API_VERSION, regional: false, actions: tagActions },
  { name: "as", version: AS_API_VERSION, regional: true, actions: launchConfigurationActions },
];
