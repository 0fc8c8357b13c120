#!/usr/bin/env node
/**
 * Benchmark of the CVM image API emulator (not a test): shows the emulator is never the
 * bottleneck. With rate limits off it seeds more than 10,000 images, then times, through the
 * real tencentcloud-sdk-nodejs-cvm client over HTTP:
 *   - DescribeImages pages (Limit 100) over all of them, sequential and 8 concurrent clients;
 *   - DeleteImages batches (100 ids per call) until every image is gone.
 * Needs the built package: `npm run build` (or `npx tsc -b`) first; `npm run bench` does both.
 * Usage: node scripts/bench-emulator.js [--images N] [--rounds N]
 */
"use strict";
const path = require("node:path");
const { performance } = require("node:perf_hooks");

let emulatorPkg;
try {
  emulatorPkg = require(path.join(__dirname, "..", "emulator", "dist"));
} catch (e) {
  console.error("bench-emulator: build first (npx tsc -b); could not load emulator/dist:", e.message);
  process.exit(1);
}
const tencentcloud = require("tencentcloud-sdk-nodejs-cvm");

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i === -1 ? def : Number(process.argv[i + 1]);
}
const IMAGES = arg("--images", 10200);
const ROUNDS = arg("--rounds", 3);
const REGION = "ap-guangzhou";

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}
const ms = (x) => `${x.toFixed(2)} ms`;

function report(label, samples, wallMs, unitsPerCall, unit) {
  const st = stats(samples);
  const calls = samples.length;
  console.log(
    `${label.padEnd(44)} calls ${String(calls).padStart(5)}  median ${ms(st.median).padStart(10)}  p95 ${ms(st.p95).padStart(10)}  max ${ms(st.max).padStart(10)}  ` +
      `${(calls / (wallMs / 1000)).toFixed(0).padStart(6)} calls/s  ${((calls * unitsPerCall) / (wallMs / 1000)).toFixed(0).padStart(7)} ${unit}/s`,
  );
  return st;
}

async function timed(fn) {
  const t0 = performance.now();
  const result = await fn();
  return [performance.now() - t0, result];
}

async function main() {
  const emu = await emulatorPkg.startEmulator({
    rateLimits: false,
    timing: { creatingMs: 1, importingMs: 1, syncingMs: 1, deleteLagMs: 0 },
  });
  const account = emu.defaultAccount;
  const client = () =>
    new tencentcloud.cvm.v20170312.Client({
      credential: { secretId: account.secretId, secretKey: account.secretKey },
      region: REGION,
      profile: { httpProfile: { endpoint: emu.endpoint, protocol: "http://" } },
    });
  console.log(`CVM emulator benchmark: ${emu.url}, node ${process.version}, rate limits off, ${IMAGES} seeded images`);

  // Seed through the control surface, in chunks.
  const [seedMs] = await timed(async () => {
    for (let start = 0; start < IMAGES; start += 2000) {
      const images = [];
      for (let i = start; i < Math.min(IMAGES, start + 2000); i++) {
        images.push({
          owner: account.name,
          region: REGION,
          name: `bench-${String(i).padStart(6, "0")}`,
          snapshotIds: ["snap-alicegz1"],
        });
      }
      const res = await fetch(`${emu.url}/_emulator/fixtures`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ images }),
      });
      if (res.status !== 200) throw new Error(`seeding failed: ${await res.text()}`);
    }
  });
  console.log(`seeded ${IMAGES} images in ${ms(seedMs)}`);

  const c = client();
  const filter = [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }];
  const first = await c.DescribeImages({ Filters: filter, Limit: 1 });
  const total = first.TotalCount;
  console.log(`DescribeImages TotalCount of PRIVATE_IMAGE: ${total}\n`);

  // Warm-up.
  for (let i = 0; i < 20; i++) await c.DescribeImages({ Filters: filter, Limit: 100, Offset: i * 100 });

  const results = {};
  // 1. Sequential DescribeImages pages across everything, ROUNDS times.
  {
    const samples = [];
    let ids = 0;
    const [wall] = await timed(async () => {
      for (let round = 0; round < ROUNDS; round++) {
        for (let offset = 0; offset < total; offset += 100) {
          const t0 = performance.now();
          const page = await c.DescribeImages({ Filters: filter, Offset: offset, Limit: 100 });
          samples.push(performance.now() - t0);
          ids += page.ImageSet.length;
        }
      }
    });
    if (ids !== total * ROUNDS) throw new Error(`paging saw ${ids} images, expected ${total * ROUNDS}`);
    results.describeSeq = report("DescribeImages page (Limit 100), sequential", samples, wall, 100, "images");
  }
  // 2. The same with 8 concurrent clients.
  {
    const samples = [];
    const offsets = [];
    for (let round = 0; round < ROUNDS; round++) for (let o = 0; o < total; o += 100) offsets.push(o);
    const clients = Array.from({ length: 8 }, client);
    const [wall] = await timed(() =>
      Promise.all(
        clients.map(async (cl) => {
          for (let o = offsets.shift(); o !== undefined; o = offsets.shift()) {
            const t0 = performance.now();
            await cl.DescribeImages({ Filters: filter, Offset: o, Limit: 100 });
            samples.push(performance.now() - t0);
          }
        }),
      ),
    );
    results.describeConc = report("DescribeImages page (Limit 100), 8 clients", samples, wall, 100, "images");
  }
  // 3. DeleteImages batches of 100 until every seeded image is gone.
  {
    const all = [];
    for (let offset = 0; offset < total; offset += 100) {
      const page = await c.DescribeImages({
        Filters: [...filter, { Name: "image-name", Values: ["bench-"] }],
        Offset: offset,
        Limit: 100,
      });
      all.push(...page.ImageSet.map((i) => i.ImageId));
    }
    const samples = [];
    const [wall] = await timed(async () => {
      for (let i = 0; i < all.length; i += 100) {
        const t0 = performance.now();
        await c.DeleteImages({ ImageIds: all.slice(i, i + 100) });
        samples.push(performance.now() - t0);
      }
    });
    results.delete = report("DeleteImages batch (100 ids), sequential", samples, wall, 100, "images");
    const left = await c.DescribeImages({ Filters: [{ Name: "image-name", Values: ["bench-"] }], Limit: 1 });
    if (left.TotalCount !== 0) throw new Error(`${left.TotalCount} images left after deleting`);
  }
  console.log(
    `\nmedian DescribeImages page ${ms(results.describeSeq.median)}, median DeleteImages batch ${ms(results.delete.median)} ` +
      `(the documented cloud rate limits allow 40 DescribeImages/s and 10 DeleteImages/s, i.e. one call every 25 ms / 100 ms)`,
  );
  await emu.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
