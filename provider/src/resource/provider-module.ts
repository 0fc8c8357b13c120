/**
 * The serialized provider's stable module: its `module.exports` is {@link customImageProvider}
 * itself. Pulumi's closure serialization writes a value that is a module's exports as a
 * `require()` of that module when the module lives under `node_modules` (as in a user's
 * project), so each resource's `__provider` is one short `require` of this file instead of the
 * shim's text; from a local path (this repository's workspace) it still serializes the shim by
 * value. Either way the provider loads the installed implementation at the time of the call.
 *
 * The path `pulumi-tencentcloud-images/dist/resource/provider-module.js` is recorded in users'
 * states: it must never move.
 */
import { customImageProvider } from "./shim";

export = customImageProvider;
