/**
 * The tccli calls a refusal names can be followed as printed: against an endpoint other than
 * Tencent Cloud's default (here the emulator, as TENCENTCLOUD_CVM_ENDPOINT sets it) they carry tccli's
 * `--endpoint`, and run as written (with tccli when installed, else the same call through the SDK:
 * see tests/support/tccli.ts) they do what the message says.
 */
import {
  BOB,
  CAROL,
  describe as describeImage,
  provider,
  rejection,
  sharesOf,
  up,
  useHarness,
  waitGone,
} from "./harness";
import { runTccli, tccliBinary, tccliCallIn } from "../support/tccli";

const h = useHarness();

const base = { fromInstance: { instanceId: "ins-web00001" } };

test("a delete blocked by a share made outside the stack: the tccli call to cancel it names the endpoint, and cancelling with it lets the delete through", async () => {
  const { id, outs } = await up("tccli-oob", { ...base, sharedWith: [BOB] });
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "SHARE" });
  const refused = await rejection(provider.delete(id, outs));
  const call = tccliCallIn(refused.message);
  // Before: no --endpoint, so the call went to Tencent Cloud instead of the emulator the stack uses.
  expect(call).toBe(
    `tccli cvm ModifyImageSharePermission --region ap-guangzhou --endpoint ${h.emu.url} --ImageId ${id} --AccountIds '["${CAROL}"]' --Permission CANCEL`,
  );

  const ran = await runTccli(call, { ...h.emu.env("alice") });
  expect(ran.via).toBe(tccliBinary() ? "tccli" : "sdk");
  expect(await sharesOf(h, id)).toEqual([BOB]); // only the share made outside the stack was cancelled
  await provider.delete(id, outs);
  await waitGone(h, id);
  expect(await describeImage(h, id)).toBeNull();
});

test("the preflight's assessment names the endpoint of the environment it was given, not the process's", async () => {
  const { id, outs } = await up("tccli-assess", base);
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "SHARE" });
  const { assessDeletions } = require("pulumi-tencentcloud-images") as typeof import("../../provider/src");
  const env = { ...h.emu.env("alice") };
  const saved = process.env.TENCENTCLOUD_CVM_ENDPOINT;
  delete process.env.TENCENTCLOUD_CVM_ENDPOINT;
  try {
    const [assessed] = await assessDeletions([{ imageId: id, outputs: outs }], { env });
    expect(assessed!.outcome).toBe("blocked");
    expect(assessed!.nextSteps.join("\n")).toContain(
      `\`tccli cvm ModifyImageSharePermission --region ap-guangzhou --endpoint ${h.emu.url} --ImageId ${id}`,
    );
  } finally {
    process.env.TENCENTCLOUD_CVM_ENDPOINT = saved;
  }
  await h.sdk().request("ModifyImageSharePermission", { ImageId: id, AccountIds: [CAROL], Permission: "CANCEL" });
  await provider.delete(id, outs);
});
