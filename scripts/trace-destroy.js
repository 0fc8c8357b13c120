#!/usr/bin/env node
// Which files of the provider one destroy of one plain image runs (issue "One core you can see").
// Starts the emulator (its default fixtures), creates one image through the provider, then records
// V8's precise coverage of the delete alone and prints the provider's files with a function that ran,
// by room. Usage: npm run build && node scripts/trace-destroy.js [--list] [--package DIR]
"use strict";
const inspector = require("node:inspector");
const path = require("node:path");

const post = (session, method, params) =>
  new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));

async function main() {
  const { startEmulator } = require("@pulumi-tencentcloud-images/cvm-emulator");
  const emu = await startEmulator({ port: 0, timing: { creatingMs: 100, deleteLagMs: 50 } });
  Object.assign(process.env, emu.env("alice"), { CVM_IMAGE_POLL_MS: "25" });
  // --package DIR: another build of the package (e.g. a worktree of an older commit, built with `npx tsc -b`).
  const at = process.argv.indexOf("--package");
  const entry =
    at > 0 ? path.resolve(process.argv[at + 1], "dist/provider") : "pulumi-tencentcloud-images/dist/provider";
  const provider = require(entry);
  const root = path.resolve(path.dirname(require.resolve(entry)), "../..");
  const instanceId = process.env.TRACE_INSTANCE_ID ?? (await firstInstance(emu));
  const checked = await provider.check({}, { fromInstance: { instanceId }, resourceName: "trace" });
  const { id, outs } = await provider.create(checked.inputs);

  const session = new inspector.Session();
  session.connect();
  await post(session, "Profiler.enable");
  await post(session, "Profiler.startPreciseCoverage", { callCount: true, detailed: false });
  await post(session, "Profiler.takePreciseCoverage"); // resets the counts: only the delete is measured
  await provider.delete(id, outs);
  const { result } = await post(session, "Profiler.takePreciseCoverage");
  await post(session, "Profiler.stopPreciseCoverage");
  session.disconnect();
  await emu.stop();

  const files = result
    .filter((s) => s.url.startsWith("file://") && s.url.includes(`${path.sep}dist${path.sep}`))
    .map((s) => ({ file: path.relative(root, new URL(s.url).pathname), fns: s.functions }))
    .filter(({ file }) => !file.startsWith(".."))
    .filter(({ fns }) => fns.some((f) => f.functionName !== "" && f.ranges[0].count > 0))
    .map(({ file }) => file.replace(/^dist\//, "src/").replace(/\.js$/, ".ts"))
    .sort();
  const rooms = {};
  for (const f of files) rooms[f.split("/")[1]] = (rooms[f.split("/")[1]] ?? 0) + 1;
  console.log(`one destroy of one plain image runs ${files.length} files of the provider: ${JSON.stringify(rooms)}`);
  if (process.argv.includes("--list")) for (const f of files) console.log(`  ${f}`);
}

async function firstInstance(emu) {
  const state = await (await fetch(`http://${emu.endpoint}/_emulator/state`)).json();
  const mine =
    (state.instances ?? []).find((i) => i.owner === "alice" || i.account === "alice") ?? state.instances?.[0];
  if (!mine) throw new Error("the emulator's fixtures have no instance");
  return mine.instanceId ?? mine.InstanceId;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
