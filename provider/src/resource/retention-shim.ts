/**
 * The provider object of {@link ImageRetention} that Pulumi serializes into the state: a thin,
 * stateless shim, like `shim.ts`. Each method requires the implementation by package name when
 * called (`pulumi-tencentcloud-images/dist/retention`, a path recorded in states: it never moves).
 * Do not add imports, constants or helpers used by these methods: they would be captured.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The serialized dynamic provider of {@link ImageRetention}. */
export const imageRetentionProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    return require("pulumi-tencentcloud-images/dist/retention").configure(req);
  },
  async check(olds, news) {
    return require("pulumi-tencentcloud-images/dist/retention").check(olds, news);
  },
  async diff(id, olds, news) {
    return require("pulumi-tencentcloud-images/dist/retention").diff(id, olds, news);
  },
  async create(inputs) {
    return require("pulumi-tencentcloud-images/dist/retention").create(inputs);
  },
  async read(id, props) {
    return require("pulumi-tencentcloud-images/dist/retention").read(id, props);
  },
  async update(id, olds, news) {
    return require("pulumi-tencentcloud-images/dist/retention").update(id, olds, news);
  },
  async delete(id, props) {
    return require("pulumi-tencentcloud-images/dist/retention").delete(id, props);
  },
};
