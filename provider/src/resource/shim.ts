/**
 * The provider object Pulumi serializes into the state (as `__provider`), and which `delete` later
 * runs from there. It is deliberately a thin, stateless shim: each method requires the
 * implementation by package name when called, so
 *  - nothing is captured: no client, no credential, no logic;
 *  - a destroy after an upgrade runs the upgraded code from the program's node_modules.
 * Do not add imports, constants or helpers used by these methods: they would be captured.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The serialized dynamic provider of {@link CustomImage}. */
export const customImageProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    return require("pulumi-tencentcloud-images/dist/provider").configure(req);
  },
  async check(olds, news) {
    return require("pulumi-tencentcloud-images/dist/provider").check(olds, news);
  },
  async diff(id, olds, news) {
    return require("pulumi-tencentcloud-images/dist/provider").diff(id, olds, news);
  },
  async create(inputs) {
    return require("pulumi-tencentcloud-images/dist/provider").create(inputs);
  },
  async read(id, props) {
    return require("pulumi-tencentcloud-images/dist/provider").read(id, props);
  },
  async update(id, olds, news) {
    return require("pulumi-tencentcloud-images/dist/provider").update(id, olds, news);
  },
  async delete(id, props) {
    return require("pulumi-tencentcloud-images/dist/provider").delete(id, props);
  },
};
