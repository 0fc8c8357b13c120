/** The action registry: every supported CVM 2017-03-12 action, by name. */
import { ActionDefinition } from "./common";
import { createActions } from "./create";
import { imageActions } from "./images";
import { instanceActions } from "./instances";
import { quotaActions } from "./quota";
import { sharingActions } from "./sharing";
import { syncActions } from "./sync";

export type { ActionContext, ActionDefinition } from "./common";

export const ACTIONS: Readonly<Record<string, ActionDefinition>> = {
  ...imageActions,
  ...createActions,
  ...sharingActions,
  ...quotaActions,
  ...syncActions,
  ...instanceActions,
};
