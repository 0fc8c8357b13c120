/**
 * The warnings about shares made outside the stack, through the real provider against the emulator:
 * a refresh (`read`) says that `pulumi up` leaves them in place and what deleting the image will do
 * with them under the recorded policy, for the image and for its copies; the diff of a preview or an
 * up says it under the policy that up applies.
 */
import { BOB, CAROL, change, provider, shownWhile, up, useHarness } from "./harness";

const SH = "ap-shanghai";
const h = useHarness();
const base = { fromInstance: { instanceId: "ins-web00001" } };

const share = (region: string, imageId: string, permission: "SHARE" | "CANCEL") =>
  h
    .sdk("alice", region)
    .request("ModifyImageSharePermission", { ImageId: imageId, AccountIds: [CAROL], Permission: permission });

test("refresh: shares made outside the stack on the image and on a copy are left by `pulumi up`, and block the delete under block", async () => {
  const { id, outs } = await up("sw-block", { ...base, imageName: "sw-block", sharedWith: [BOB], copyTo: [SH] });
  const copy = outs.copies[SH].imageId as string;
  await share("ap-guangzhou", id, "SHARE");
  await share(SH, copy, "SHARE");
  const { shown } = await shownWhile(() => provider.read(id, outs));
  // Before: "Run `pulumi up` to put the program's values back" for the image's new share, and "blocked unless …" for the copy's.
  expect(shown).toEqual([
    `image ${id} ("sw-block") is shared with 1 account (${CAROL}) outside the stack; \`pulumi up\` leaves that share in place, and deleting the image will be blocked (deletionPolicy.unmanagedShares = "block"). ` +
      'Either add the account to sharedWith, so the stack manages the share and cancels it on delete, or set deletionPolicy: { unmanagedShares: "unshare" } and run `pulumi up`, so the delete cancels it.',
    `image ${id} ("sw-block"): its copy ${copy} in ${SH} is shared with 1 account (${CAROL}) outside the stack; \`pulumi up\` leaves that share in place, and deleting the image will be blocked (deletionPolicy.unmanagedShares = "block") until it is cancelled or deletionPolicy.unmanagedShares is "unshare".`,
  ]);
  await share("ap-guangzhou", id, "CANCEL");
  await share(SH, copy, "CANCEL");
  await provider.delete(id, outs);
});

test("refresh under unshare, and the diff of an up that sets unshare or takes the share over: each says what that policy does", async () => {
  const { id, inputs, outs } = await up("sw-unshare", {
    ...base,
    imageName: "sw-unshare",
    sharedWith: [BOB],
    copyTo: [SH],
  });
  const copy = outs.copies[SH].imageId as string;
  await share("ap-guangzhou", id, "SHARE");
  await share(SH, copy, "SHARE");
  const unshared = { ...outs, deletionPolicy: { ...outs.deletionPolicy, unmanagedShares: "unshare" } };
  const read = await shownWhile(() => provider.read(id, unshared));
  const cancelled = `image ${id} ("sw-unshare") is shared with 1 account (${CAROL}) outside the stack; \`pulumi up\` leaves that share in place, and deleting the image will cancel it first (deletionPolicy.unmanagedShares = "unshare").`;
  expect(read.shown).toEqual([
    cancelled,
    `image ${id} ("sw-unshare"): its copy ${copy} in ${SH} is shared with 1 account (${CAROL}) outside the stack; \`pulumi up\` leaves that share in place, and deleting the image will cancel it first (deletionPolicy.unmanagedShares = "unshare").`,
  ]);

  // The state still records "block" (as after a refresh); the program now says "unshare": the up's diff warns under "unshare".
  const refreshed = (await provider.read(id, outs)).props;
  const setUnshare = await shownWhile(() =>
    change("sw-unshare", id, inputs, refreshed, {
      ...base,
      imageName: "sw-unshare",
      sharedWith: [BOB],
      copyTo: [SH],
      deletionPolicy: { unmanagedShares: "unshare" },
    }),
  );
  expect(setUnshare.shown).toEqual([cancelled]);
  // Taking carol into sharedWith: no share is left outside the stack, so no such warning; the change names her.
  const takeOver = await shownWhile(() =>
    change("sw-unshare", id, inputs, refreshed, {
      ...base,
      imageName: "sw-unshare",
      sharedWith: [BOB, CAROL],
      copyTo: [SH],
    }),
  );
  expect(takeOver.shown).toEqual([`sharedWith: will manage the share made outside the stack with ${CAROL}`]);
  await provider.delete(id, {
    ...takeOver.result.outs!,
    deletionPolicy: { ...outs.deletionPolicy, unmanagedShares: "unshare" },
  });
});
