// Records the states tests/e2e/upgrade.test.ts replays: for each recording, the provider of an older
// commit (built in a git worktree outside the checkout, installed into a copy of the e2e program as
// a user's `npm install` would lay it out) runs a real `pulumi up` against the emulator; the stack's
// state and the emulator's state are written to tests/fixtures/states/<name>/, then the old code's
// own refresh and destroy are run from there and what they changed is written beside them.
//
//   npx ts-node --transpile-only -P tests/tsconfig.json tests/support/record-states.ts [name...]
//
// Names: main-5c542cd, v0.1.0 (default: both). Needs the Pulumi toolchain (scripts/ensure-pulumi.sh)
// and the workspace's node_modules; takes about a minute per recording.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_FIXTURES_PATH, startEmulator, type StateFile } from "../../emulator/src";
import { callLog, control, cvmClient, describeImage, instanceIds } from "./cloud";
import { CUSTOM_IMAGE_TYPE, type DeclaredImage } from "./e2e";
import {
  callSummary,
  changedOutputs,
  effectsBetween,
  imageOutputs,
  QUICK_TIMING,
  programWithPackage,
  recordedStatesDir,
  type OldEffects,
  type RecordingMeta,
  withoutAccounts,
} from "./recorded-states";
import { TestStack } from "./stack";
import { pulumiBinDir, repoRoot } from "./toolchain";

const SH = "ap-shanghai";
const STACK_NAME = "recorded";
const COMMAND = "npx ts-node --transpile-only -P tests/tsconfig.json tests/support/record-states.ts";

interface Plan {
  name: string;
  commit: string;
  /** Why this commit. */
  why: string;
  images(instanceId: string, uins: Record<string, string>): DeclaredImage[];
  /** Shares made by hand after `up` (logical name → account names), then picked up by an old-code refresh. */
  shareByHand: Record<string, string[]>;
}

const PLANS: Plan[] = [
  {
    name: "main-5c542cd",
    commit: "5c542cd",
    why: "main before the refactor of provider/src into rooms (schema/, cloud/, provider/, preflight/, resource/)",
    images: (instanceId, { bob }) => [
      { name: "plain", args: { fromInstance: { instanceId } } },
      { name: "shared", args: { fromInstance: { instanceId }, imageName: "upgrade-shared", sharedWith: [bob] } },
      {
        name: "copied",
        args: { fromInstance: { instanceId }, imageName: "upgrade-copied", sharedWith: [bob], copyTo: [SH] },
      },
      {
        name: "policy",
        args: {
          fromInstance: { instanceId },
          imageName: "upgrade-policy",
          deletionPolicy: { unmanagedShares: "unshare", deleteSnapshots: true, inUse: { launchTemplates: "block" } },
        },
      },
    ],
    shareByHand: { policy: ["carol"] },
  },
  {
    name: "v0.1.0",
    commit: "175e9a8",
    why:
      "the 0.1.0 release (provider/CHANGELOG.md: [0.1.0] - 2026-11-26; the last commit of that day). " +
      "provider/package.json said 0.1.0 up to 11710ef, but the commits after 175e9a8 are the unreleased 0.2.0's. " +
      "It serializes the whole shim text into the state (later versions write one require of " +
      "dist/resource/provider-module.js), names the in-use policy `instancesInUse`, and has no `copyTo`",
    images: (instanceId, { bob }) => [
      { name: "plain", args: { fromInstance: { instanceId } } },
      { name: "shared", args: { fromInstance: { instanceId }, imageName: "upgrade-shared", sharedWith: [bob] } },
      {
        name: "policy",
        args: {
          fromInstance: { instanceId },
          imageName: "upgrade-policy",
          deletionPolicy: { unmanagedShares: "unshare", deleteSnapshots: true, instancesInUse: "block" },
        },
      },
    ],
    shareByHand: { policy: ["carol"] },
  },
];

function sh(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The provider of `commit`, built in a worktree outside the checkout; returns the worktree and a cleanup. */
function buildOldProvider(commit: string): { tree: string; remove(): void } {
  const tree = path.join(os.tmpdir(), `ptci-record-${commit}-${process.pid}`);
  sh("git", ["-C", repoRoot, "worktree", "add", "--detach", tree, commit], repoRoot);
  const remove = () => sh("git", ["-C", repoRoot, "worktree", "remove", "--force", tree], repoRoot);
  try {
    // The compiler and the dependencies come from the workspace; the old sources build on their own.
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(tree, "node_modules"));
    sh("npx", ["tsc", "-b", "provider"], tree);
  } catch (e) {
    remove();
    throw e;
  }
  return { tree, remove };
}

async function emulatorState(emu: { url: string }): Promise<StateFile> {
  const res = await fetch(`${emu.url}/_emulator/state`);
  return (await res.json()) as StateFile;
}

function expectOk(what: string, r: { code: number; stdout: string; stderr: string }): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
}

/** Throws when a recorded file holds a credential: the emulator's keys, a key-like value, a Pulumi secret. */
export function assertNoSecrets(file: string, text: string): void {
  const accounts = JSON.parse(fs.readFileSync(DEFAULT_FIXTURES_PATH, "utf8")).accounts as Array<{
    secretId: string;
    secretKey: string;
  }>;
  const found = [
    ...accounts.flatMap((a) => [a.secretId, a.secretKey]).filter((s) => text.includes(s)),
    ...(text.match(/AKID[0-9A-Za-z]{8,}/g) ?? []),
    ...(text.match(/"(secretId|secretKey|sessionToken|ciphertext)"/gi) ?? []),
    ...(text.match(/TENCENTCLOUD_SECRET|PULUMI_CONFIG_PASSPHRASE/g) ?? []),
  ];
  if (found.length > 0) throw new Error(`${file} holds secrets: ${found.join(", ")}`);
}

async function record(plan: Plan): Promise<void> {
  const started = Date.now();
  const { tree, remove } = buildOldProvider(plan.commit);
  const oldPkg = JSON.parse(fs.readFileSync(path.join(tree, "provider", "package.json"), "utf8"));
  const programDir = programWithPackage(
    `record-${plan.name}`,
    path.join(tree, "tests", "e2e", "program"),
    path.join(tree, "provider"),
  );
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "ptci-record-emu-"));
  const emu = await startEmulator({ port: 0, timing: QUICK_TIMING, statePath: path.join(stateDir, "state.json") });
  let stack: TestStack | undefined;
  try {
    stack = new TestStack({
      programDir,
      env: { ...emu.env("alice"), CVM_IMAGE_POLL_MS: "250" },
      stackName: STACK_NAME,
    });
    const alice = cvmClient(emu, "alice");
    const uin = (name: string) => emu.accounts.find((a) => a.name === name)!.uin;
    const uins = { alice: uin("alice"), bob: uin("bob"), carol: uin("carol") };
    const [instanceId] = await instanceIds(alice);

    // An image the stack does not manage, made and shared the same way: the destroy must leave it.
    const { ImageId: unrelated } = await alice.CreateImage({ InstanceId: instanceId, ImageName: "upgrade-unrelated" });
    while ((await describeImage(alice, unrelated!))?.ImageState !== "NORMAL")
      await new Promise((r) => setTimeout(r, 100));
    await alice.ModifyImageSharePermission({ ImageId: unrelated!, AccountIds: [uins.bob], Permission: "SHARE" });

    const declared = plan.images(instanceId!, uins);
    await stack.init();
    stack.setConfig({ "e2e-images:images": declared });
    expectOk("pulumi up (old code)", await stack.up());

    const outputs = imageOutputs((await stack.exportState(false)).json, CUSTOM_IMAGE_TYPE);
    const images: RecordingMeta["images"] = {};
    for (const [name, o] of Object.entries(outputs)) {
      const copies = Object.fromEntries(
        Object.entries((o.copies ?? {}) as Record<string, { imageId: string }>).map(([r, c]) => [r, c.imageId]),
      );
      images[name] = { id: String(o.imageId ?? o.id), region: String(o.region), copies };
    }
    for (const [name, accounts] of Object.entries(plan.shareByHand)) {
      const ids = accounts.map(uin);
      await alice.ModifyImageSharePermission({ ImageId: images[name]!.id, AccountIds: ids, Permission: "SHARE" });
    }
    if (Object.keys(plan.shareByHand).length > 0) expectOk("pulumi refresh (old code)", await stack.refresh());

    // The recording: the stack's state as `pulumi stack export` writes it, the emulator's without accounts.
    const stackExport = await stack.exportState(false);
    const emuRecorded = await emulatorState(emu);
    const stackOwned = new Set(Object.values(images).flatMap((i) => [i.id, ...Object.values(i.copies)]));
    const ownedByAccounts = new Set(Object.values(uins));

    // What the old code's own refresh and destroy do from there.
    await control(emu, "DELETE", "calls");
    const refresh = await stack.refresh();
    const refreshCalls = callSummary(await callLog(emu));
    const afterRefresh = await stack.exportState(false);
    const refreshEffects = effectsBetween(emuRecorded, await emulatorState(emu));
    const changed = changedOutputs(
      imageOutputs(stackExport.json, CUSTOM_IMAGE_TYPE),
      imageOutputs(afterRefresh.json, CUSTOM_IMAGE_TYPE),
    );
    if (refreshEffects.deletedImages.length + Object.keys(refreshEffects.changedImages).length > 0)
      throw new Error(`the old refresh changed the cloud: ${JSON.stringify(refreshEffects)}`);
    await control(emu, "DELETE", "calls");
    const destroy = await stack.destroy();
    expectOk("pulumi destroy (old code)", destroy);
    const destroyCalls = callSummary(await callLog(emu));
    await new Promise((r) => setTimeout(r, QUICK_TIMING.deleteLagMs + 100));
    const expected: OldEffects = {
      refresh: { exitCode: refresh.code, changedOutputs: changed, calls: refreshCalls },
      destroy: {
        exitCode: destroy.code,
        effects: effectsBetween(emuRecorded, await emulatorState(emu)),
        calls: destroyCalls,
      },
    };

    const pulumiVersion = sh(path.join(pulumiBinDir(), "pulumi"), ["version"], repoRoot).trim();
    const meta: RecordingMeta = {
      commit: sh("git", ["rev-parse", plan.commit], repoRoot).trim(),
      packageVersion: oldPkg.version,
      stackName: STACK_NAME,
      project: "e2e-images",
      endpoint: emu.url,
      declared: declared.map((d) => ({ name: d.name, args: d.args })),
      images,
      unrelatedImages: emuRecorded.images
        .filter((i) => i.owner !== null && ownedByAccounts.has(i.owner) && !stackOwned.has(i.imageId))
        .map((i) => i.imageId)
        .sort(),
      sharedByHand: plan.shareByHand,
      regenerate: `${COMMAND} ${plan.name}`,
    };
    const files: Record<string, string> = {
      "stack.json": stackExport.text,
      "emulator.json": JSON.stringify(withoutAccounts(emuRecorded), null, 2) + "\n",
      "expected.json": JSON.stringify(expected, null, 2) + "\n",
      "recording.json": JSON.stringify(meta, null, 2) + "\n",
    };
    files["README.md"] = readme(plan, meta, pulumiVersion, emuRecorded, files);
    for (const [f, text] of Object.entries(files)) assertNoSecrets(f, text);

    const out = path.join(recordedStatesDir, plan.name);
    fs.mkdirSync(out, { recursive: true });
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(out, f), text);
    console.log(
      `${plan.name}: written to ${path.relative(repoRoot, out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    stack?.dispose();
    await emu.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(programDir, { recursive: true, force: true });
    remove();
  }
}

function readme(
  plan: Plan,
  meta: RecordingMeta,
  pulumiVersion: string,
  emu: StateFile,
  files: Record<string, string>,
): string {
  const size = (f: string) => `${(Buffer.byteLength(files[f]!) / 1024).toFixed(1)} KB`;
  const lines = [
    `# Recorded state: ${plan.name}`,
    "",
    `Written by the provider of commit \`${meta.commit}\` (\`pulumi-tencentcloud-images\` ${meta.packageVersion}): ${plan.why}.`,
    `Replayed by \`tests/e2e/upgrade.test.ts\` with the current package: import, refresh, destroy.`,
    "",
    "## How it was made",
    "",
    `\`${meta.regenerate}\` (from the repository root; tests/support/record-states.ts) does all of this, and rewrites every file here:`,
    "",
    `1. \`git worktree add --detach <tmp> ${plan.commit}\` outside the checkout, \`node_modules\` symlinked from the workspace (compiler and dependencies only), \`npx tsc -b provider\` there.`,
    `2. A copy of that commit's \`tests/e2e/program\` under \`tests/e2e/.work/\`, with the old \`provider/\` (\`package.json\`, \`dist\`, \`bin\`) copied into its own \`node_modules/pulumi-tencentcloud-images\`, as an installed package (so the serialized provider is what users' states hold).`,
    `3. The current emulator (\`startEmulator\`, default fixtures, timings ${JSON.stringify(QUICK_TIMING)}), acting as alice. An image the stack does not manage, \`upgrade-unrelated\`, made from alice's instance and shared with bob by hand.`,
    `4. A stack \`${meta.stackName}\` in a file backend (passphrase \`e2e-passphrase\`), Pulumi ${pulumiVersion}, declaring (stack config \`e2e-images:images\`):`,
    "",
    "```json",
    "[",
    meta.declared.map((d) => `  ${JSON.stringify(d)}`).join(",\n"),
    "]",
    "```",
    "",
    `   then \`pulumi up\`; then by hand: ${Object.entries(meta.sharedByHand)
      .map(([n, a]) => `\`${n}\` shared with ${a.join(", ")}`)
      .join("; ")} (an unmanaged share), and \`pulumi refresh\` with the old code, which records it.`,
    `5. \`stack.json\` (${size("stack.json")}): \`pulumi stack export\` (no \`--show-secrets\`; the state has no secret). \`emulator.json\` (${size("emulator.json")}): \`GET /_emulator/state\` at that moment, with \`accounts\` removed (their keys are credentials; the replay puts back those of \`emulator/fixtures/default.json\`).`,
    `6. From there the old code's own \`pulumi refresh\` and \`pulumi destroy\` ran; \`expected.json\` (${size("expected.json")}) is what they did: the outputs the refresh changed (\`changedOutputs\`), the calls each made that change the cloud (by action; \`DeleteImages\` left out, as how many deletes share a call depends on timing) and every refused call, and the destroy's cloud changes computed from the emulator's state before and after (\`effectsBetween\` in tests/support/recorded-states.ts).`,
    `7. Every file is checked for the emulator accounts' keys, \`AKID…\` values, \`secretId\`/\`secretKey\`/\`ciphertext\` fields and credential variable names before it is written.`,
    "",
    "## What is in it",
    "",
    `Images of the stack (logical name → id, region, copies): \`${JSON.stringify(meta.images)}\`.`,
    `Images it does not manage, which must survive the destroy: ${meta.unrelatedImages.map((i) => `\`${i}\``).join(", ")}` +
      ` (of ${emu.images.length} images in the emulator state, the others public).`,
    `The endpoint while recording was \`${meta.endpoint}\`; the state does not record it (the provider reads \`TENCENTCLOUD_CVM_ENDPOINT\` at each call), and the replay rewrites it if it ever appears.`,
    `\`recording.json\` has these facts for the test.`,
    "",
    "## How it is replayed",
    "",
    "`tests/e2e/upgrade.test.ts` starts the current emulator from `emulator.json` (accounts of the default fixtures put back), installs the current `provider/` (package.json, bin, and the files of dist/ built from a source that still exists) into a copy of the e2e program, `pulumi stack import`s `stack.json` into a fresh stack of the same name, then:",
    "",
    "- `pulumi refresh` succeeds, warns of no drift, changes no output beyond how the version writes the same value (defaults left out, `resourceName`, 0.1's `instancesInUse`), makes no call that changes the cloud and changes nothing in the emulator; the images are all still there;",
    "- `pulumi destroy` succeeds and changes the emulator exactly as `expected.json` says the old destroy did (the same images, copies and bound snapshots deleted, every other image unchanged, shares included), with the same share cancellations; the only refusal allowed beyond the old one's is `DeleteImages: InvalidImageId.InShared` for an image whose state records no managed share but an unmanaged one (since 0.2.0 such a delete presumes the image unshared and the refusal corrects it), so a managed share is always cancelled before its image's DeleteImages;",
    "- the state holds no credential (`expectNoCredentialsInState`).",
    "",
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const plans = names.length ? PLANS.filter((p) => names.includes(p.name)) : PLANS;
  if (plans.length !== (names.length || PLANS.length))
    throw new Error(`unknown recording; known: ${PLANS.map((p) => p.name).join(", ")}`);
  for (const plan of plans) await record(plan);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
