import {
  cancelSharesCommand,
  deleteSpecFromOutputs,
  decideDeletion,
} from "../../../provider/src/provider/deletion-rules";
import { ImageFacts, NO_USAGE } from "../../../provider/src/schema/types";
import { imageFacts } from "../../support/image-facts";

const image = (over: Partial<ImageFacts> = {}): ImageFacts =>
  imageFacts({ createdTime: "", architecture: "", platform: "", osName: "", ...over });
const spec = (outputs: Record<string, unknown> = {}) =>
  deleteSpecFromOutputs("img-abcd1234", {
    region: "ap-guangzhou",
    imageName: "web",
    sharedWith: ["100000000002"],
    ...outputs,
  });

describe("deleteSpecFromOutputs", () => {
  test("fills defaults for partial or old states", () => {
    const s = deleteSpecFromOutputs("img-abcd1234", {});
    expect(s.deletionPolicy).toEqual({
      unmanagedShares: "block",
      deleteSnapshots: false,
      inUse: { instances: "warn", launchTemplates: "warn", launchConfigurations: "warn" },
    });
    expect(s.timeouts.delete).toBe("30m");
    expect(s.sharedWith).toEqual([]);
  });
});

describe("decideDeletion", () => {
  test("gone", () => {
    const p = decideDeletion(spec(), { image: null, usage: NO_USAGE });
    expect(p.outcome).toBe("gone");
    expect(p.exists).toBe(false);
  });
  test("not this account's custom image is blocked", () => {
    const p = decideDeletion(spec(), {
      image: image({ imageType: "SHARED_IMAGE", imageCreator: "100000000002" }),
      usage: NO_USAGE,
    });
    expect(p.outcome).toBe("blocked");
    expect(p.reasons[0]).toMatch(
      /another account's image shared with this account \(owner 100000000002\).*PRIVATE_IMAGE/,
    );
  });
  test("managed shares are cancelled", () => {
    const p = decideDeletion(spec(), { image: image(), shares: ["100000000002"], usage: NO_USAGE });
    expect(p).toMatchObject({
      outcome: "delete",
      managedShares: ["100000000002"],
      unmanagedShares: [],
      sharesToCancel: ["100000000002"],
    });
  });
  test("unmanaged shares under block: blocked, listing accounts and both ways forward", () => {
    const p = decideDeletion(spec(), { image: image(), shares: ["100000000002", "100000000003"], usage: NO_USAGE });
    expect(p.outcome).toBe("blocked");
    expect(p.unmanagedShares).toEqual(["100000000003"]);
    expect(p.reasons).toEqual([
      'image is shared with 1 account (100000000003) outside the stack, and deletionPolicy.unmanagedShares is "block"',
    ]);
    // Either way forward fits an image still in the program and one already removed from it.
    expect(p.nextSteps).toEqual([
      "cancel those shares yourself with `tccli cvm ModifyImageSharePermission --region ap-guangzhou --ImageId img-abcd1234 --AccountIds '[\"100000000003\"]' --Permission CANCEL`, then run the command again; " +
        'or set `deletionPolicy: { unmanagedShares: "unshare" }` on the resource (put it back in the program first if it was removed), run `pulumi up`, then delete it again',
    ]);
  });
  test("the ways forward fit how the delete comes about: destroy, removed from the program, replacement", () => {
    const steps = (context: "destroy" | "removed" | "replace") =>
      decideDeletion(spec(), { image: image(), shares: ["100000000003"], usage: NO_USAGE }, context).nextSteps.join(
        " ",
      );
    expect(steps("destroy")).toContain(
      'or set `deletionPolicy: { unmanagedShares: "unshare" }` on the resource, run `pulumi up`, then `pulumi destroy` again',
    );
    expect(steps("removed")).toContain(
      'or put the resource back in the program with `deletionPolicy: { unmanagedShares: "unshare" }`, run `pulumi up`, then remove it again and run `pulumi up`',
    );
    expect(steps("replace")).toContain(
      'first run `pulumi up` with only `deletionPolicy: { unmanagedShares: "unshare" }` added',
    );
    for (const c of ["destroy", "removed", "replace"] as const)
      expect(steps(c)).toContain("--ImageId img-abcd1234 --AccountIds '[\"100000000003\"]' --Permission CANCEL");
  });
  test("the cancel call names the resource's profile", () => {
    expect(cancelSharesCommand({ imageId: "img-1", region: "ap-shanghai", profile: "build" }, ["1", "2"])).toBe(
      '`tccli cvm ModifyImageSharePermission --profile build --region ap-shanghai --ImageId img-1 --AccountIds \'["1","2"]\' --Permission CANCEL`',
    );
  });
  test("unmanaged shares under unshare: all cancelled, with a warning", () => {
    const p = decideDeletion(spec({ deletionPolicy: { unmanagedShares: "unshare" } }), {
      image: image(),
      shares: ["100000000002", "100000000003"],
      usage: NO_USAGE,
    });
    expect(p.outcome).toBe("delete");
    expect(p.sharesToCancel).toEqual(["100000000002", "100000000003"]);
    expect(p.warnings.join()).toMatch(/100000000003/);
  });
  test("instances in use: warn names them, block refuses; ended instances do not count", () => {
    const instances = [
      { instanceId: "ins-aaaa1111", instanceName: "web-1", state: "RUNNING" },
      { instanceId: "ins-bbbb2222", instanceName: "old", state: "TERMINATING" },
    ];
    const warn = decideDeletion(spec(), { image: image(), shares: [], usage: { ...NO_USAGE, instances } });
    expect(warn.outcome).toBe("delete");
    expect(warn.instancesInUse.map((i) => i.instanceId)).toEqual(["ins-aaaa1111"]);
    expect(warn.warnings.join()).toMatch(/ins-aaaa1111 "web-1" \(RUNNING\)/);
    const block = decideDeletion(spec({ deletionPolicy: { inUse: { instances: "block" } } }), {
      image: image(),
      shares: [],
      usage: { ...NO_USAGE, instances },
    });
    expect(block.outcome).toBe("blocked");
    expect(block.reasons.join()).toMatch(/ins-aaaa1111/);
    expect(block.nextSteps.join()).toMatch(
      /^terminate those instances or re-image them from another image, then run the command again; or set `deletionPolicy: \{ inUse: \{ instances: "warn" \} \}`/,
    );
  });
  test("busy image => wait; failed image => delete", () => {
    expect(decideDeletion(spec(), { image: image({ imageState: "CREATING" }), usage: NO_USAGE }).outcome).toBe("wait");
    expect(decideDeletion(spec(), { image: image({ imageState: "CREATEFAILED" }), usage: NO_USAGE }).outcome).toBe(
      "delete",
    );
  });
  test("snapshots: reported, and flagged when deleteSnapshots", () => {
    const keep = decideDeletion(spec(), { image: image(), shares: [], usage: NO_USAGE });
    expect(keep).toMatchObject({ deleteSnapshots: false, snapshotIds: ["snap-aaaa1111"], warnings: [] });
    const del = decideDeletion(spec({ deletionPolicy: { deleteSnapshots: true } }), {
      image: image(),
      shares: [],
      usage: NO_USAGE,
    });
    expect(del.deleteSnapshots).toBe(true);
    expect(del.warnings.join()).toMatch(/snap-aaaa1111/);
  });
});
