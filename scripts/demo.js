#!/usr/bin/env node
// The demo: the example stack examples/create-and-share, run by the real Pulumi CLI against the
// local CVM emulator, with a file backend in a temporary folder. It narrates each step, checks
// in the (emulated) cloud that the step did what it says, and exits non-zero if one did not.
// Nothing outside its temporary folders is touched, and nothing is left running.
"use strict";
const { execFileSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");
const programDir = path.join(repoRoot, "examples", "create-and-share");
const cvmImageBin = path.join(repoRoot, "provider", "bin", "cvm-image.js");
const { startEmulator } = require("@pulumi-tencentcloud-images/cvm-emulator");
const tencentcloud = require("tencentcloud-sdk-nodejs-cvm");

const started = Date.now();
let stepNo = 0;
const failures = [];
const step = (title) => console.log(`\n\x1b[1m${++stepNo}. ${title}\x1b[0m`);
const note = (text) => console.log(`   ${text}`);
function check(ok, what) {
  console.log(`   ${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
  return ok;
}

/**
 * Runs a command without blocking this process: the emulator serves from this very event loop,
 * so a synchronous spawn would starve it.
 */
function run(cmd, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function pulumiBinDir() {
  const out = execFileSync("bash", [path.join(repoRoot, "scripts", "ensure-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return out.trim().split("\n").pop();
}

async function main() {
  step("Pulumi toolchain");
  const bin = pulumiBinDir();
  const pulumiVersion = execFileSync(path.join(bin, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  note(`pulumi ${pulumiVersion} from ${bin}`);

  step("Start the local CVM image API emulator on a free port");
  const emu = await startEmulator({
    port: 0,
    timing: { creatingMs: 800, importingMs: 800, syncingMs: 800, deleteLagMs: 300 },
  });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cvm-image-demo-"));
  try {
    await runDemo(emu, bin, tmp);
  } finally {
    await emu.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (failures.length) {
    console.log(
      `\nDemo FAILED after ${seconds}s: ${failures.length} check(s) did not hold:\n - ${failures.join("\n - ")}`,
    );
    process.exit(1);
  }
  console.log(
    `\nDemo finished in ${seconds}s: every step did what it said. Emulator stopped, temporary folders removed.`,
  );
}

async function runDemo(emu, bin, tmp) {
  const account = (name) => emu.accounts.find((a) => a.name === name);
  const [alice, bob, carol] = ["alice", "bob", "carol"].map(account);
  note(`listening on ${emu.url}; acting as account ${alice.uin} (alice) in ${emu.defaultRegion}`);
  const url = new URL(emu.url);
  const cloud = new tencentcloud.cvm.v20170312.Client({
    credential: { secretId: alice.secretId, secretKey: alice.secretKey },
    region: emu.defaultRegion,
    profile: { httpProfile: { endpoint: url.host, protocol: "http://" } },
  });
  const instances = (await cloud.DescribeInstances({ Limit: 100 })).InstanceSet;
  const instanceId = instances[0].InstanceId;

  const stack = "demo";
  const configFile = path.join(tmp, `Pulumi.${stack}.yaml`);
  const env = {
    ...process.env,
    ...emu.env("alice"),
    CVM_IMAGE_POLL_MS: "400", // the emulator's transitions take under a second (see its timing above)
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    PULUMI_HOME: path.join(tmp, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  fs.mkdirSync(path.join(tmp, "state"));
  let stackSettings = "";
  const writeConfig = (retireLegacy) =>
    fs.writeFileSync(
      configFile,
      [
        stackSettings,
        "config:",
        `  create-and-share:instanceId: ${instanceId}`,
        `  create-and-share:partnerAccounts: ["${bob.uin}", "${carol.uin}"]`,
        `  create-and-share:retireLegacy: ${retireLegacy}`,
        "",
      ].join("\n"),
    );
  const pulumi = async (args, { show = true } = {}) => {
    const full = [...args, "--stack", stack, "--config-file", configFile, "--non-interactive"];
    if (show) note(`$ pulumi ${args.join(" ")}`);
    const r = await run(path.join(bin, "pulumi"), full, { cwd: programDir, env });
    if (show) {
      const lines = `${r.stdout}${r.stderr}`.split("\n").filter((l) => l.trim() && !/^@ /.test(l));
      for (const l of lines) console.log(`   | ${l}`);
    }
    return r;
  };
  const images = async () => {
    const r = await cloud.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }], Limit: 100 });
    return r.ImageSet;
  };
  const shares = async (id) =>
    ((await cloud.DescribeImageSharePermission({ ImageId: id })).SharePermissionSet || [])
      .map((s) => s.AccountId)
      .sort();
  const outputs = async () =>
    JSON.parse(
      (await run(path.join(bin, "pulumi"), ["stack", "output", "--json", "--stack", stack], { cwd: programDir, env }))
        .stdout,
    );
  const preexisting = new Set((await images()).map((i) => i.ImageId));

  step(`pulumi up: three images of ${instanceId}, shared with bob (${bob.uin}) and carol (${carol.uin})`);
  await run(path.join(bin, "pulumi"), ["stack", "init", stack, "--non-interactive"], { cwd: programDir, env });
  // `stack init` writes the stack's settings (the passphrase salt) into the project folder: move
  // them to the temporary config file, so the example folder stays as it was.
  const written = path.join(programDir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(written)) {
    stackSettings = fs.readFileSync(written, "utf8").trim();
    fs.rmSync(written);
  }
  writeConfig(false);
  check((await pulumi(["up", "--yes", "--skip-preview"])).status === 0, "pulumi up succeeded");
  let out = await outputs();
  const mine = (await images()).filter((i) => !preexisting.has(i.ImageId));
  for (const i of mine)
    note(
      `${i.ImageId}  ${i.ImageName.padEnd(24)} ${i.ImageState}  shared with ${(await shares(i.ImageId)).join(", ") || "nobody"}`,
    );
  check(mine.length === 3 && mine.every((i) => i.ImageState === "NORMAL"), "three NORMAL custom images exist");
  check(
    (await shares(out.legacyImageId)).join() === [bob.uin, carol.uin].sort().join(),
    "the legacy image is shared with bob and carol",
  );

  step("Refactor: drop the legacy image from the program; pulumi up unshares it, then deletes it");
  const legacyId = out.legacyImageId;
  writeConfig(true);
  check((await pulumi(["up", "--yes", "--skip-preview"])).status === 0, "pulumi up succeeded");
  const afterRefactor = (await images()).map((i) => i.ImageId);
  check(!afterRefactor.includes(legacyId), `${legacyId} is gone (its shares were cancelled first)`);
  out = await outputs();
  check(
    afterRefactor.includes(out.webImageId) && afterRefactor.includes(out.batchImageId),
    "the other two images are untouched",
  );

  step("CI preflight for a destroy: which images would go, and will each delete go through?");
  note(`$ cvm-image preflight --destroy --stack ${stack}`);
  const pre = await run(
    process.execPath,
    [
      cvmImageBin,
      "preflight",
      "--destroy",
      "--stack",
      stack,
      "--cwd",
      programDir,
      "--format",
      "table",
      "--",
      "--config-file",
      configFile,
    ],
    {
      env,
    },
  );
  for (const l of `${pre.stdout}${pre.stderr}`.split("\n").filter((x) => x.trim())) console.log(`   | ${l}`);
  check(pre.status === 0, "preflight: every delete will go through (exit 0)");
  check(
    pre.stdout.includes(out.webImageId) && pre.stdout.includes(out.batchImageId),
    "preflight lists both remaining images",
  );

  step("pulumi destroy: unshare and delete the rest");
  check((await pulumi(["destroy", "--yes", "--skip-preview"])).status === 0, "pulumi destroy succeeded");
  const left = (await images()).filter((i) => !preexisting.has(i.ImageId));
  check(left.length === 0, "no image made by the demo is left");
  const calls = (await (await fetch(`${emu.url}/_emulator/calls`)).json()).counts;
  note(
    `API calls the emulator served: ${Object.entries(calls)
      .map(([a, n]) => `${a} ${n}`)
      .join(", ")}`,
  );
}

main().catch((err) => {
  console.error(`\nDemo FAILED: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
