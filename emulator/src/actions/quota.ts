/** DescribeImageQuota. */
import { ActionDefinition } from "./common";

export const quotaActions: Record<string, ActionDefinition> = {
  DescribeImageQuota: {
    schema: {},
    mutating: false,
    handler: (ctx) => ({ ImageNumQuota: ctx.settings.limits.imageQuota }),
  },
};
