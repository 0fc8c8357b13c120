/**
 * The serialized provider's stable module for {@link ImageRetention} (see `provider-module.ts`): its
 * `module.exports` is the shim, so an installed package serializes each resource's provider as one
 * `require` of this file. The path `pulumi-tencentcloud-images/dist/resource/retention-provider-module.js`
 * is recorded in users' states: it must never move.
 */
import { imageRetentionProvider } from "./retention-shim";

export = imageRetentionProvider;
