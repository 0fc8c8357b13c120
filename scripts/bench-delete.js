#!/usr/bin/env node
/**
 * Benchmark of DeleteImages coalescing (not a test). Starts the emulator with its default rate
 * limits ON (10 DeleteImages/s per account, as the cloud) and short state timings, then deletes a
 * set of fresh images concurrently through the provider's delete implementation (the module the
 * serialized shim requires), as `pulumi destroy` does: once with coalescing disabled
 * (CVM_IMAGE_DELETE_BATCH_WINDOW_MS=0), once enabled (the default window, or --window). It prints
 * wall time, DeleteImages calls and RequestLimitExceeded answers for each, and the ratio.
 *
 * Needs the built packages: `npx tsc -b` first (`npm run bench:delete` does both).
 * Usage: node scripts/bench-delete.js [--images N] [--window MS] [--max N] [--instances N] [--latency MS]
 *   --instances N  adds N instances to the account, so the shared DescribeInstances scan of a
 *                  destroy takes as long as it does for an account of that size (default 0).
 *   --latency MS   latency the emulator adds to every call (default 0).
 */
"use strict";
const path = require("node:path");
const { performance } = require("node:perf_hooks");

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i === -1 ? def : Number(process.argv[i + 1]);
}
const IMAGES = arg("--images", 60);
const WINDOW = process.argv.includes("--window") ? String(arg("--window", 25)) : undefined;
const MAX = process.argv.includes("--max") ? String(arg("--max", 20)) : undefined;
const INSTANCES = arg("--instances", 0);
const LATENCY = arg("--latency", 0);
const REGION = "ap-guangzhou";

let emulatorPkg;
let provider;
let resetProcess;
try {
  emulatorPkg = require(path.join(__dirname, "..", "emulator", "dist"));
  provider = require("pulumi-tencentcloud-images/dist/provider");
  ({ resetProcess } = require("pulumi-tencentcloud-images/dist/cloud/process"));
} catch (e) {
  console.error("bench-delete: build first (npx tsc -b):", e.message);
  process.exit(1);
}

async function control(emu, method, route, body) {
  const res = await fetch(`${emu.url}/_emulator/${route}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${route}: ${json.error}`);
  return json;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Adds `n` NORMAL images of alice (fixtures: no API call, so no rate limit is spent). */
async function freshImages(emu, label, n) {
  const images = Array.from({ length: n }, (_, i) => ({ region: REGION, owner: "alice", name: `bench-${label}-${i}` }));
  await control(emu, "POST", "fixtures", { images });
  const state = await control(emu, "GET", "state");
  return state.images
    .filter((img) => img.name.startsWith(`bench-${label}-`))
    .map((img) => ({ id: img.imageId, name: img.name }));
}

async function run(emu, label, windowMs) {
  const images = await freshImages(emu, label, IMAGES);
  if (windowMs === undefined) delete process.env.CVM_IMAGE_DELETE_BATCH_WINDOW_MS;
  else process.env.CVM_IMAGE_DELETE_BATCH_WINDOW_MS = windowMs;
  resetProcess(); // a new operation: a fresh provider process
  await sleep(1100); // let the server's one-second buckets refill after the setup
  await control(emu, "DELETE", "calls");
  const t0 = performance.now();
  const results = await Promise.allSettled(
    images.map((img) => provider.delete(img.id, { region: REGION, imageName: img.name })),
  );
  const wallMs = performance.now() - t0;
  const failed = results.filter((r) => r.status === "rejected");
  const calls = await control(emu, "GET", "calls");
  const state = await control(emu, "GET", "state");
  const left = state.images.filter((img) => images.some((i) => i.id === img.imageId)).length;
  return {
    label,
    wallMs,
    deleteCalls: calls.counts.DeleteImages ?? 0,
    throttled: calls.log.filter(
      (c) => typeof c.errorCode === "string" && c.errorCode.startsWith("RequestLimitExceeded"),
    ).length,
    totalCalls: calls.log.length,
    failed: failed.length,
    firstFailure: failed[0] ? String(failed[0].reason.message).split("\n")[0] : "",
    left,
  };
}

async function main() {
  const emu = await emulatorPkg.startEmulator({
    // rateLimits: default (on)
    latencyMs: LATENCY,
    timing: { creatingMs: 50, importingMs: 50, syncingMs: 50, deleteLagMs: 200 },
  });
  try {
    Object.assign(process.env, emu.env("alice"), {
      CVM_IMAGE_POLL_MS: "200",
      CVM_IMAGE_RETRY_BASE_MS: "100",
      CVM_IMAGE_RETRY_MAX_MS: "2000",
      CVM_IMAGE_CALL_TIMEOUT: "10s",
    });
    delete process.env.CVM_IMAGE_INSTANCE_SCAN_TTL_MS; // the default: one scan serves the whole destroy
    if (MAX !== undefined) process.env.CVM_IMAGE_DELETE_BATCH_MAX = MAX;
    if (INSTANCES > 0) {
      const instances = Array.from({ length: INSTANCES }, (_, i) => ({
        region: REGION,
        owner: "alice",
        name: `bench-vm-${i}`,
        imageId: "img-pubgz001",
        systemDisk: {},
      }));
      await control(emu, "POST", "fixtures", { instances });
    }
    console.log(
      `bench-delete: ${IMAGES} images deleted concurrently through the provider; emulator rate limits on (DeleteImages 10/s), ` +
        `delete lag 200 ms, poll 200 ms, ${INSTANCES} extra instances, latency ${LATENCY} ms`,
    );
    const off = await run(emu, "off", "0");
    const on = await run(emu, "on", WINDOW);
    const windowText = WINDOW ?? "25 (default)";
    for (const r of [off, on]) {
      const title = r === off ? "coalescing off (window 0)" : `coalescing on (window ${windowText} ms)`;
      console.log(
        `${title.padEnd(40)} wall ${(r.wallMs / 1000).toFixed(2).padStart(6)} s   DeleteImages calls ${String(r.deleteCalls).padStart(3)}   ` +
          `RequestLimitExceeded ${String(r.throttled).padStart(3)}   all calls ${String(r.totalCalls).padStart(4)}   failed ${r.failed}   left ${r.left}` +
          (r.firstFailure ? `\n  first failure: ${r.firstFailure}` : ""),
      );
    }
    const ratio = (a, b) => (b === 0 ? "n/a" : (a / b).toFixed(2));
    console.log(
      `ratio off/on: wall ${ratio(off.wallMs, on.wallMs)}x, DeleteImages calls ${ratio(off.deleteCalls, on.deleteCalls)}x`,
    );
    if (off.failed || on.failed || off.left || on.left) process.exitCode = 1;
  } finally {
    await emu.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
