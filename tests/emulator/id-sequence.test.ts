// Ids an emulator hands out: never those of an earlier run (a stale state would name another image),
// unless a seed is given on purpose, when a run repeats exactly.
import { RunningEmulator } from "../../emulator/src";
import { client, start } from "./helpers";

/** Starts an emulator, makes `n` images from the default fixtures' instance (a reset between them when asked), stops it. */
async function idsOfARun(options: { randomSeed?: number; resetAfter?: number } = {}, n = 3): Promise<string[]> {
  const emu: RunningEmulator = await start({ randomSeed: options.randomSeed });
  try {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      if (options.resetAfter === i) await fetch(`${emu.url}/_emulator/reset`, { method: "POST" });
      const r = await client(emu).CreateImage({ InstanceId: "ins-alicgz01", ImageName: `run-${i}` });
      ids.push(r.ImageId!);
    }
    return ids;
  } finally {
    await emu.stop();
  }
}

test("a restarted emulator hands out none of the ids of the run before", async () => {
  const first = await idsOfARun();
  const second = await idsOfARun();
  expect(first).toHaveLength(3);
  for (const id of second) expect(first).not.toContain(id);
});

test("after a reset, the ids go on: none handed out before the reset comes again", async () => {
  const ids = await idsOfARun({ resetAfter: 2 }, 4);
  expect(new Set(ids).size).toBe(4);
});

test("with --random-seed the ids repeat run after run, and a reset starts them over", async () => {
  const a = await idsOfARun({ randomSeed: 7 });
  const b = await idsOfARun({ randomSeed: 7 });
  expect(b).toEqual(a);
  const withReset = await idsOfARun({ randomSeed: 7, resetAfter: 1 }, 2);
  expect(withReset).toEqual([a[0], a[0]]);
});
