// `cvm-image prune` against the emulator, run as the real bin (built: `npx tsc -b`) in a child process
// with the emulator's environment: a dry run changes nothing and prints every image of the scope;
// `--yes` deletes exactly what it planned (a shared, an in-use, an excluded image kept); unshare by
// policy; a failed change is named and exits 1; settings errors name no credential.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { control, cvmClient, sharesOf } from "../../support/cloud";
import { runProcess } from "../../support/process";
import { BOB } from "../../provider/harness";
import { useCloudEmulator } from "../cloud/emulator";

jest.setTimeout(60_000);

const cloud = useCloudEmulator();
const GZ = "ap-guangzhou";
const DAY = 86_400_000;
const bin = path.join(__dirname, "../../../provider/bin/cvm-image.js");
const home = mkdtempSync(path.join(tmpdir(), "prune-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

let serial = 0;

/** The emulator's environment for alice, short polls, and a HOME with no tccli profile. */
function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, ...cloud.env("alice"), CVM_IMAGE_POLL_MS: "20", ...extra };
}

/** Runs `cvm-image prune …` (the bin) to completion. */
function prune(args: string[], env: NodeJS.ProcessEnv = childEnv()) {
  return runProcess(process.execPath, [bin, "prune", ...args], { cwd: home, env });
}

interface Seed {
  shared?: number[];
  tagged?: number[];
  inUse?: number[];
}

/**
 * Seeds `n` images of family `prune-<letter>` owned by alice, image i made i + 1 days ago, and one image of
 * another family (outside the scope): the ids, newest first, and the outsider's.
 */
async function seedFamily(n: number, o: Seed = {}) {
  const letter = String.fromCharCode(97 + serial++);
  const family = `prune-${letter}`;
  const ids = Array.from({ length: n }, (_, i) => `img-prune${letter}${String(i).padStart(2, "0")}`);
  const outsider = `img-prune${letter}99`;
  const image = (imageId: string, i: number, fam: string) => ({
    imageId,
    owner: "alice",
    region: GZ,
    name: `${fam}-${i}`,
    family: fam,
    createdTime: new Date(Date.now() - (i + 1) * DAY).toISOString(),
    ...(o.shared?.includes(i) ? { sharedWith: [{ accountId: BOB }] } : {}),
    ...(o.tagged?.includes(i) ? { tags: [{ Key: "keep", Value: "true" }] } : {}),
  });
  await control(cloud.emulator() as never, "POST", "fixtures", {
    images: [...ids.map((id, i) => image(id, i, family)), image(outsider, 40, `other-${letter}`)],
    launchConfigurations: (o.inUse ?? []).map((i) => ({
      owner: "alice",
      region: GZ,
      name: `${family}-lc-${i}`,
      imageId: ids[i],
    })),
  });
  return { family, ids, outsider };
}

/** Which of the images alice still sees. */
async function existing(imageIds: string[]): Promise<string[]> {
  const r = await cvmClient(cloud.emulator() as never, "alice", GZ).DescribeImages({ ImageIds: imageIds, Limit: 100 });
  const seen = new Set((r.ImageSet ?? []).map((i: { ImageId?: string }) => i.ImageId));
  return imageIds.filter((id) => seen.has(id));
}

test("a dry run prints every image of the scope with its action and reason, and changes nothing", async () => {
  const { family, ids, outsider } = await seedFamily(8, { shared: [4], tagged: [5], inUse: [6] });
  const args = ["--family", family, "--keep-newest", "3", "--exclude-tag", "keep=true"];
  const table = await prune(args);
  expect(table.stderr).toBe("");
  expect(table.code).toBe(0);
  const lines = table.stdout.split("\n");
  expect(lines[0]).toBe(
    `cvm-image prune: family ${family} in ${GZ}; keep the 3 newest; excluded: tags keep=true; ` +
      "a shared image is kept; snapshots kept",
  );
  expect(lines[1]).toBe("dry run: nothing changed; add --yes to apply");
  expect(lines[2]).toBe("8 images in scope: 6 keep, 2 delete");
  const row = (id: string) => lines.filter((l) => l.startsWith(`${id} `));
  for (const id of ids) expect(row(id)).toHaveLength(1);
  expect(table.stdout).not.toContain(outsider);
  expect(row(ids[0]!)[0]).toMatch(/ keep +- +one of the 3 newest of the scope \(number 1\)$/);
  expect(row(ids[3]!)[0]).toMatch(/ delete +- +number 4, past the 3 newest$/);
  expect(row(ids[4]!)[0]).toMatch(new RegExp(` keep +- +.*shared with 1 account \\(${BOB}\\)`));
  expect(row(ids[5]!)[0]).toMatch(/ keep +- +excluded by its tag keep=true/);
  expect(row(ids[6]!)[0]).toMatch(/ keep +- +.*launch configuration/i);
  expect(row(ids[7]!)[0]).toMatch(/ delete +- +number 8, past the 3 newest$/);

  const json = await prune([...args, "--format", "json"]);
  const doc = JSON.parse(json.stdout);
  expect(doc).toMatchObject({ dryRun: true, region: GZ, spec: { family, keepNewest: 3 } });
  expect(doc.summary).toMatchObject({ images: 8, changes: 2, done: 0, failed: 0 });
  expect(doc.decisions.map((d: { imageId: string }) => d.imageId)).toEqual(ids);
  expect(await existing([...ids, outsider])).toEqual([...ids, outsider]);
  expect(await sharesOf(cvmClient(cloud.emulator() as never, "alice", GZ), ids[4]!)).toEqual([BOB]);
});

test("--yes deletes exactly the images the dry run planned; a second run finds nothing due", async () => {
  const { family, ids, outsider } = await seedFamily(10, { shared: [6], inUse: [8] });
  const args = ["--family", family, "--keep-newest", "2", "--exclude", ids[9]!, "--format", "json"];
  const planned = JSON.parse((await prune(args)).stdout) as { decisions: { imageId: string; action: string }[] };
  const toDelete = planned.decisions.filter((d) => d.action === "delete").map((d) => d.imageId);
  expect(toDelete).toEqual([ids[2], ids[3], ids[4], ids[5], ids[7]]);

  const applied = await prune([...args, "--yes"]);
  expect(applied.stderr).toBe("");
  expect(applied.code).toBe(0);
  const doc = JSON.parse(applied.stdout);
  expect(doc).toMatchObject({ dryRun: false, summary: { changes: 5, done: 5, failed: 0 } });
  expect(doc.decisions).toEqual(planned.decisions);
  expect(await existing([...ids, outsider])).toEqual([ids[0], ids[1], ids[6], ids[8], ids[9], outsider]);
  expect(await sharesOf(cvmClient(cloud.emulator() as never, "alice", GZ), ids[6]!)).toEqual([BOB]);

  const again = await prune(args.slice(0, -2).concat("--yes"));
  expect(again.code).toBe(0);
  expect(again.stdout.split("\n").slice(1, 3)).toEqual([
    "applied: nothing was due; nothing changed",
    "5 images in scope: 5 keep",
  ]);
});

test("--unmanaged-shares unshare: a shared image has its shares cancelled and is deleted", async () => {
  const { family, ids } = await seedFamily(3, { shared: [2] });
  const run = await prune(["--family", family, "--keep-newest", "1", "--unmanaged-shares", "unshare", "--yes"]);
  // The delete's warning, as a stack's delete shows it: on stderr, outside the engine.
  expect(run.stderr).toBe(
    `warning: image ${ids[2]} ("${family}-2") in ${GZ}: sharing with 1 account (${BOB}) was made outside the ` +
      'stack and will be cancelled (deletionPolicy.unmanagedShares = "unshare")\n',
  );
  expect(run.code).toBe(0);
  expect(run.stdout.split("\n")[1]).toBe("applied: 2 of 2 changes done");
  expect(await existing(ids)).toEqual([ids[0]]);
});

test("a failed change is named on stderr and in the output, the others are done, exit 1", async () => {
  const { family, ids } = await seedFamily(4, { shared: [3] });
  const emu = cloud.emulator() as never;
  await control(emu, "POST", "faults", {
    action: "ModifyImageSharePermission",
    imageId: ids[3],
    error: "UnauthorizedOperation",
  });
  try {
    const run = await prune(["--family", family, "--keep-newest", "1", "--unmanaged-shares", "unshare", "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n")[1]).toBe(
      "applied: 2 of 3 changes done; 1 failed (named below and on stderr): run the same command again",
    );
    expect(run.stdout).toMatch(new RegExp(`\\nFailed:\\n  ${ids[3]} \\(delete\\): `));
    expect(run.stderr).toMatch(new RegExp(`\ncvm-image prune: ${ids[3]} \\(delete\\) failed: Failed to delete image `));
    expect(run.stderr).toContain("Cause: ModifyImageSharePermission failed with UnauthorizedOperation");
    expect(run.stderr).toContain("Next: fix the cause, then run the command again; the delete resumes");
    expect(run.stderr).toContain("cvm-image prune: 1 of 3 changes failed; the others were done.");
    expect(await existing(ids)).toEqual([ids[0], ids[3]]);
  } finally {
    await control(emu, "DELETE", "faults");
  }
});

test("settings and access errors: exit 1 on stderr, naming the fix and never a credential", async () => {
  const { family } = await seedFamily(1);
  const args = ["--family", family, "--keep-newest", "1"];
  const none = await prune(args, { PATH: process.env.PATH, HOME: home });
  expect(none.code).toBe(1);
  expect(none.stdout).toBe("");
  expect(none.stderr).toMatch(/^cvm-image prune: no Tencent Cloud credentials found\. Set TENCENTCLOUD_SECRET_ID /);

  const profile = await prune([...args, "--profile", "ci"], { PATH: process.env.PATH, HOME: home });
  expect(profile.stderr).toMatch(/^cvm-image prune: profile `ci` \(--profile\) not found: there is no /);

  const secretKey = "wrongsecretkey0000000000000000000";
  const refused = await prune(args, childEnv({ TENCENTCLOUD_SECRET_KEY: secretKey }));
  expect(refused.code).toBe(1);
  expect(refused.stdout).toBe("");
  expect(refused.stderr).toMatch(/^cvm-image prune: the credentials were rejected \(AuthFailure\.SignatureFailure\)/);
  expect(refused.stderr).not.toContain(secretKey);
  expect(refused.stderr).not.toContain(cloud.env("alice").TENCENTCLOUD_SECRET_ID);
});
