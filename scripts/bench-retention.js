#!/usr/bin/env node
/**
 * bench:retention (issue 22, "Speed"): one `pulumi up` of an `ImageRetention` and the planning of a
 * large scope, through the real Pulumi engine, against the in-process CVM emulator configured as in
 * bench:destroy: documented rate limits (the emulator's defaults: 40/s DescribeImages and
 * DescribeInstances, 20/s the Tag API, launch-template and launch-configuration reads, 10/s the
 * rest), 20 ms latency per call, a deleted image stays listed 2 s (deleteLagMs 2000), 30 % of the
 * images shared with 1-3 accounts. The retention does not manage those shares (no CustomImage
 * shares them): they were made outside its stack, so it runs with deletionPolicy.unmanagedShares
 * "unshare" and the shared images retire too (their shares cancelled first).
 *
 * Rows (--phases up,plan,noop):
 *   retention-up         --scope images (default 1,100) of alice in one family, created a minute
 *                        apart, the newest kept: an ImageRetention { family, keepNewest: scope − due,
 *                        deletionPolicy.unmanagedShares "unshare" } retires --due (default 1,000)
 *                        through the safe delete. Two kinds of that one up (--up, default both):
 *                        update  the retention already exists (an up over the empty family made it),
 *                                then the images appear and `pulumi up` runs: the engine's diff plans
 *                                against the cloud (a change is due), then the update plans and
 *                                applies; the steady state of a retention in a stack;
 *                        create  the retention's first up (a new stack): one plan, then the apply.
 *                        After it: the due images are gone, the kept ones remain, and the stack
 *                        output `summary` says so.
 *   retention-plan       --plan-scope images (default 5,000) in another family, keepNewest
 *                        plan-scope − plan-due (default 4,900: plan-due images may retire, so the
 *                        plan lists their shares and scans the usage), the retention created over
 *                        the empty family; the images appear, then `pulumi preview`: the engine's
 *                        diff plans against the cloud and shows the update (nothing changes: no
 *                        dryRun needed, a preview never applies). After it: no image deleted, no
 *                        mutating call, and the preview shows the retention to update.
 *   noop-up, noop-up-create, noop-preview
 *                        the same stack shape (one dynamic resource, the same inputs) with a
 *                        provider that makes no cloud call (scripts/bench/retention/noop): the
 *                        engine's own floor and the provider process's memory baseline (an up
 *                        with changed inputs: check, diff, update; a first up: check, create; a
 *                        preview with changed inputs); each run --noop-runs times (default 3),
 *                        its median the baseline (the no-op provider's peak RSS varies by some
 *                        20 MB from run to run).
 * The emulator is reset (POST /_emulator/reset: data, settings as at start, fresh buckets) before
 * each retention row, so each sees the same account: the seed plus its own images.
 *
 * Each measured run: wall time, API calls per action (per image: per image due for an up, per image
 * of the scope for the plan), RequestLimitExceeded answers and when each action's calls were made
 * (from the emulator's call log, cleared before the run), peak RSS and CPU seconds of the run's
 * dynamic-provider process (`node …/@pulumi/pulumi/cmd/dynamic-provider`, sampled every 200 ms);
 * where the time went: the engine's start (until the first call), planning (the reads before the
 * first change), applying (first change to last call), the engine's end; and per action, the calls
 * beyond those the floor counts.
 *
 * Floors (computed, printed with their derivation; rates are the emulator's documented ones):
 *   API floor of an up = the calls the safe delete must make ÷ each action's documented rate, the
 *     slowest action, plus one deletion lag: the scope's listing (⌈listed / 100⌉ DescribeImages
 *     pages) and one gone-check look per 100 retired images (DescribeImages, 40/s); one share
 *     listing per image that may retire (DescribeImageSharePermission, 10/s); one CANCEL per shared
 *     image (ModifyImageSharePermission, 10/s); ⌈due / 20⌉ DeleteImages (10/s); the usage scan once
 *     (DescribeInstances, DescribeLaunchTemplates, DescribeLaunchTemplateVersions,
 *     DescribeLaunchConfigurations: one call each).
 *   Planning floor = the listing calls of planning ÷ their rates, slowest action: ⌈listed / 100⌉
 *     DescribeImages pages, a share listing per image that may retire, the usage scan once.
 *   The no-op run of the same shape is printed beside each (the engine's own time); the targets are
 *   the issue's: up ≤ 1.25 × API floor, plan ≤ 1.25 × planning floor, provider peak RSS ≤ the no-op
 *   provider's + 30 MB, no RequestLimitExceeded.
 *
 * The provider runs with the package's default tuning (no CVM_IMAGE_* variable reaches it), in the
 * build present at the start: provider/dist is copied to scripts/bench/retention/node_modules
 * (git-ignored, removed at the end; not bench:destroy's copy, so the two can run at once), which the
 * programs resolve first. Needs the built packages (`npm run bench:retention` runs `npm run build`
 * first) and the Pulumi toolchain (scripts/ensure-pulumi.sh). Nothing is left behind: temporary
 * folders are removed, the emulator is stopped, and every process of the pulumi sessions this
 * script started is killed on failure or Ctrl-C. --timeout (default 3600 s) bounds each pulumi run.
 *
 * Usage: node scripts/bench-retention.js [--scope 1100] [--due 1000] [--plan-scope 5000] [--plan-due 100]
 *        [--up update,create] [--phases up,plan,noop] [--noop-runs 3] [--json FILE] [--markdown FILE]
 *        [--timeout SECONDS]
 */
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const harness = require("./lib/bench-harness");
const { sleep, killSession, CallCollector, failureTail, buildHash } = harness;

const repoRoot = path.resolve(__dirname, "..");
const retentionDir = path.join(__dirname, "bench", "retention");
const PROGRAMS = {
  package: path.join(retentionDir, "package"),
  noop: path.join(retentionDir, "noop"),
};

// ---------------------------------------------------------------------------------------------
// Options and the one emulator configuration
// ---------------------------------------------------------------------------------------------

function usage(message) {
  if (message) console.error(`bench-retention: ${message}`);
  console.error(
    "usage: node scripts/bench-retention.js [--scope 1100] [--due 1000] [--plan-scope 5000] [--plan-due 100]\n" +
      "                                     [--up update,create] [--phases up,plan,noop]\n" +
      "                                     [--noop-runs 3] [--json FILE] [--markdown FILE] [--timeout SECONDS]\n" +
      "  --scope/--due: images of the up's family and how many of them are due (keepNewest = scope − due)\n" +
      "  --plan-scope/--plan-due: the same for the planning row (`pulumi preview`)\n" +
      "  --up: update (the retention exists, the engine's diff plans first) and/or create (its first up)\n" +
      "  --noop-runs: each no-op run is repeated this many times; its median is the baseline",
  );
  process.exit(2);
}

const KNOWN_PHASES = ["up", "plan", "noop"];
const UP_KINDS = ["update", "create"];

function parseArgs(argv) {
  const o = {
    scope: 1100,
    due: 1000,
    planScope: 5000,
    planDue: 100,
    up: [...UP_KINDS],
    phases: [...KNOWN_PHASES],
    json: undefined,
    markdown: undefined,
    timeoutSec: 3600,
    noopRuns: 3,
  };
  const list = (v, known, flag) => {
    const items = v.split(",").map((s) => s.trim());
    if (!items.length || items.some((x) => !known.includes(x))) usage(`${flag}: some of ${known.join(",")}`);
    return [...new Set(items)];
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    const int = (min) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) usage(`${flag}: an integer >= ${min}`);
      return n;
    };
    if (flag === "--scope") o.scope = int(2);
    else if (flag === "--due") o.due = int(1);
    else if (flag === "--plan-scope") o.planScope = int(2);
    else if (flag === "--plan-due") o.planDue = int(1);
    else if (flag === "--noop-runs") o.noopRuns = int(1);
    else if (flag === "--up") o.up = list(value(), UP_KINDS, flag);
    else if (flag === "--phases") o.phases = list(value(), KNOWN_PHASES, flag);
    else if (flag === "--json") o.json = path.resolve(value());
    else if (flag === "--markdown") o.markdown = path.resolve(value());
    else if (flag === "--timeout") {
      o.timeoutSec = Number(value());
      if (!(o.timeoutSec > 0)) usage("--timeout: seconds > 0");
    } else if (flag === "--help" || flag === "-h") usage();
    else usage(`unknown flag ${flag}`);
  }
  if (o.due >= o.scope) usage("--due must be less than --scope (keepNewest = scope − due is at least 1)");
  if (o.planDue >= o.planScope) usage("--plan-due must be less than --plan-scope");
  return o;
}

const opts = parseArgs(process.argv.slice(2));

/** The emulator configuration of the whole run: bench:destroy's. */
const EMULATOR = {
  host: "127.0.0.1",
  port: 0,
  rateLimits: true, // the documented limits, the emulator's defaults
  latencyMs: 20,
  timing: { deleteLagMs: 2000 },
};
const SHARED_FRACTION = 0.3;
const DELETE_LAG_S = EMULATOR.timing.deleteLagMs / 1000;
const REGION = "ap-guangzhou";
const OUTSIDE_ACCOUNT = "200000000004"; // a share target outside the emulator's accounts
const UP_FAMILY = "bench-retention-up";
const PLAN_FAMILY = "bench-retention-plan";
/** DeleteImages ids per call the floor counts (the provider's default batch, CVM_IMAGE_DELETE_BATCH_MAX). */
const DELETE_BATCH = 20;
/** Ids per DescribeImages call (the API's largest `ImageIds` list, and its page size). */
const DESCRIBE_BATCH = 100;
/** Calls that change something: a preview (the plan row) makes none. */
const MUTATING = /^(Create|Delete|Modify|Import|Sync|Tag|Untag|Attach|Detach)/;

/** The emulator's documented limits (emulator/src/load/rate-limits.ts), loaded in main. */
let documentedRates = {};
let defaultRate = 10;
const limitOf = (action) => documentedRates[action] ?? defaultRate;

/** The actions as the tables name them, in this order; any other action keeps its name. */
const ACTION_SHORT = {
  DescribeImages: "DescImages",
  DescribeImageSharePermission: "DescShare",
  ModifyImageSharePermission: "ModShare",
  DeleteImages: "DelImages",
  DescribeInstances: "DescInst",
  DescribeLaunchTemplates: "DescLT",
  DescribeLaunchTemplateVersions: "DescLTVer",
  DescribeLaunchConfigurations: "DescLC",
  ModifyImageAttribute: "ModAttr",
  ModifyResourceTags: "ModTags",
  DescribeImageFromFamily: "DescFamily",
};
const ACTION_ORDER = Object.keys(ACTION_SHORT);
const short = (a) => ACTION_SHORT[a] ?? a;
const byActionOrder = (a, b) => {
  const ia = ACTION_ORDER.includes(a) ? ACTION_ORDER.indexOf(a) : ACTION_ORDER.length;
  const ib = ACTION_ORDER.includes(b) ? ACTION_ORDER.indexOf(b) : ACTION_ORDER.length;
  return ia - ib || (a < b ? -1 : a > b ? 1 : 0);
};

// ---------------------------------------------------------------------------------------------
// Processes, the emulator, pulumi (scripts/lib/bench-harness.js)
// ---------------------------------------------------------------------------------------------

/** Sessions of pulumi runs still running (each run is a session of its own, killed as a whole). */
const liveSessions = new Set();
let emu;

async function control(method, route, body) {
  const res = await fetch(`${emu.url}/_emulator/${route}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} /_emulator/${route}: ${json.error}`);
  return json;
}

let pulumiBin;
let tmp;
let baseEnv;
const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const createdStacks = []; // {name, programDir}

function runPulumi(programDir, args, options = {}) {
  return harness.runSession(path.join(pulumiBin, "pulumi"), args, programDir, {
    baseEnv,
    liveSessions,
    timeoutSec: opts.timeoutSec,
    ...options,
  });
}

/** A stack of one retention (or no-op) resource in the run's file backend; its settings in a temporary --config-file. */
class Stack {
  constructor(variant, label) {
    this.programDir = PROGRAMS[variant];
    this.name = `bench-${runId}-${label}`;
    this.configFile = path.join(tmp, "config", `Pulumi.${this.name}.yaml`);
  }

  async init() {
    createdStacks.push({ name: this.name, programDir: this.programDir });
    const r = await runPulumi(this.programDir, ["stack", "init", this.name, "--non-interactive"], { timeoutSec: 300 });
    // `stack init` writes the stack's settings (the passphrase salt) into the program folder:
    // move them to the temporary config file, so the repository stays as it was.
    const written = path.join(this.programDir, `Pulumi.${this.name}.yaml`);
    let settings = "";
    if (fs.existsSync(written)) {
      settings = fs.readFileSync(written, "utf8").trim();
      fs.rmSync(written);
    }
    if (r.code !== 0) throw new Error(`pulumi stack init ${this.name} failed:\n${failureTail(r.output)}`);
    fs.writeFileSync(this.configFile, `${settings ? `${settings}\n` : ""}config: {}\n`);
    return this;
  }

  common() {
    return ["--stack", this.name, "--config-file", this.configFile, "--non-interactive", "--suppress-progress"];
  }

  /** `pulumi up` of the program with these inputs for its one resource. */
  up(args, { sample = true } = {}) {
    return runPulumi(this.programDir, ["up", "--yes", "--skip-preview", ...this.common()], {
      env: { BENCH_RETENTION_ARGS: JSON.stringify(args) },
      sample,
    });
  }

  /** `pulumi preview` of the program with these inputs (the engine's diff plans against the cloud). */
  preview(args) {
    return runPulumi(this.programDir, ["preview", ...this.common()], {
      env: { BENCH_RETENTION_ARGS: JSON.stringify(args) },
      sample: true,
    });
  }

  /** A stack output, as JSON. */
  async output(name) {
    const args = ["stack", "output", name, "--json", "--stack", this.name, "--non-interactive"];
    const r = await runPulumi(this.programDir, args, {
      captureStdout: true,
      timeoutSec: 300,
    });
    if (r.code !== 0) throw new Error(`pulumi stack output ${name} failed:\n${failureTail(r.output)}`);
    return JSON.parse(r.stdout);
  }
}

/** An up that must work (the setup of a measured run). */
async function setupUp(stack, args) {
  const r = await stack.up(args, { sample: false });
  if (r.code !== 0) throw new Error(`setup: pulumi up of ${stack.name} failed:\n${failureTail(r.output)}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

let shareTargets;
let aliceUin;
let startSettings;

/** Whether the i-th image of a seeded family is shared (30 %: i % 10 < 3), and with whom (1-3 accounts). */
const isShared = (i) => i % 10 < SHARED_FRACTION * 10;
const sharedWithOf = (i) => (isShared(i) ? shareTargets.slice(0, 1 + (i % 3)) : []);

/**
 * Seeds `n` NORMAL images of alice in `family`, newest first: image i created i minutes before a
 * day ago (none is young), 30 % shared with 1-3 accounts. Returns their ids, newest first.
 */
async function seedFamily(family, n, idPrefix) {
  const base = Date.now() - 86_400_000;
  const images = Array.from({ length: n }, (_, i) => ({
    imageId: `img-${idPrefix}${i.toString(36).padStart(6, "0")}`,
    owner: "alice",
    region: REGION,
    name: `${family}-${String(i).padStart(5, "0")}`,
    state: "NORMAL",
    source: "CREATE_IMAGE",
    family,
    createdTime: new Date(base - i * 60_000).toISOString().replace(/\.\d+Z$/, "Z"),
    sharedWith: sharedWithOf(i),
  }));
  for (let i = 0; i < images.length; i += 500) await control("POST", "fixtures", { images: images.slice(i, i + 500) });
  return images.map((i) => i.imageId);
}

/** The emulator's images now (settled): live ones only. */
async function liveImages() {
  const state = await control("GET", "state");
  return state.images.filter((img) => img.goneAt === undefined);
}

/** What the account shows before a run: its private images in the region (what DescribeImages lists), and its usage. */
async function accountNow() {
  const state = await control("GET", "state");
  const mine = (x) => x.owner === aliceUin && x.region === REGION;
  return {
    listed: state.images.filter((i) => mine(i) && i.goneAt === undefined).length,
    instances: state.instances.filter(mine).length,
    launchTemplates: state.launchTemplates.filter(mine).length,
  };
}

/** Back to the seed (data, settings as at start, fresh buckets, empty call log); checks the settings. */
async function resetEmulator() {
  await control("POST", "reset");
  const now = await control("GET", "settings");
  if (JSON.stringify(now) !== JSON.stringify(startSettings))
    throw new Error(`the emulator's settings after a reset differ from those at start: ${JSON.stringify(now)}`);
}

const providerDir = path.join(repoRoot, "provider");
/** The build the run measures (see the header): not bench:destroy's copy, so both can run at once. */
const pinnedModules = path.join(retentionDir, "node_modules");
const pinnedPackage = path.join(pinnedModules, "pulumi-tencentcloud-images");

// ---------------------------------------------------------------------------------------------
// Measured runs
// ---------------------------------------------------------------------------------------------

const phases = [];
const cpuSeconds = (u) => Math.round(((u.user + u.system) / 1e6) * 10) / 10;
const r2 = (x) => Math.round(x * 100) / 100;
const r3 = (x) => Math.round(x * 1000) / 1000;

/** When each action's calls were made, seconds from the start of the run: first, last, bursts (gaps > 1 s split them). */
function timelineOf(times, startedAt, endedAt) {
  const sec = (t) => r2((t - startedAt) / 1000);
  const byAction = {};
  const all = [];
  for (const { action, t } of times) {
    (byAction[action] ??= []).push(t);
    all.push(t);
  }
  const bursts = (ts) => {
    const out = [];
    for (const t of ts) {
      const last = out[out.length - 1];
      if (last && t - last.to <= 1000) {
        last.to = t;
        last.calls++;
      } else out.push({ from: t, to: t, calls: 1 });
    }
    return out.map((b) => ({ fromSec: sec(b.from), toSec: sec(b.to), calls: b.calls }));
  };
  const actions = {};
  for (const [a, ts] of Object.entries(byAction).sort(([a], [b]) => byActionOrder(a, b))) {
    ts.sort((x, y) => x - y);
    actions[a] = { firstSec: sec(ts[0]), lastSec: sec(ts[ts.length - 1]), bursts: bursts(ts) };
  }
  all.sort((x, y) => x - y);
  // Spells of more than a second without any call: the engine's start and end, waits.
  const idle = [];
  let prev = startedAt;
  for (const t of [...all, endedAt]) {
    if (t - prev > 1000) idle.push({ fromSec: sec(prev), toSec: sec(t) });
    prev = t;
  }
  return {
    firstCallSec: all.length ? sec(all[0]) : null,
    lastCallSec: all.length ? sec(all[all.length - 1]) : null,
    actions,
    idle,
  };
}

/** Calls that change the cloud (the apply), as opposed to the reads of planning. */
const isChange = (action) => MUTATING.test(action);

/**
 * Where a run's time went, from its calls: the engine's start (until the first call), planning (the
 * reads before the first change), applying (the first change to the last call), the engine's end
 * (after the last call). A run that changes nothing is all planning.
 */
function stagesOf(times, startedAt, endedAt) {
  if (!times.length) return { engineStartSec: r2((endedAt - startedAt) / 1000) };
  const sorted = [...times].sort((x, y) => x.t - y.t);
  const first = sorted[0].t;
  const last = sorted[sorted.length - 1].t;
  const firstChange = sorted.find((x) => isChange(x.action))?.t;
  const planEnd = firstChange ?? last;
  return {
    engineStartSec: r2((first - startedAt) / 1000),
    planningSec: r2((planEnd - first) / 1000),
    applyingSec: firstChange === undefined ? 0 : r2((last - firstChange) / 1000),
    engineEndSec: r2((endedAt - last) / 1000),
  };
}

function stagesText(st) {
  if (st.planningSec === undefined) return `no API call (${st.engineStartSec} s)`;
  return (
    `engine start ${st.engineStartSec.toFixed(1)} s, planning ${st.planningSec.toFixed(1)} s (reads before the first change), ` +
    `applying ${st.applyingSec.toFixed(1)} s (first change to last call), engine end ${st.engineEndSec.toFixed(1)} s`
  );
}

/**
 * Runs one measured phase: the call log cleared first, its calls collected (with their times)
 * while `fn` runs. `meta`: {phase, row, per: "due" | "scope", n (the per-image denominator), floor?}.
 */
async function measure(meta, fn) {
  const cpuAtStart = process.cpuUsage();
  await sleep(1100); // the server's one-second buckets refill after the previous run
  const times = [];
  const calls = await CallCollector.start(control, (c) => times.push({ action: c.action, t: Date.parse(c.time) }));
  const startedAt = Date.now();
  const started = performance.now();
  let runs;
  let error;
  try {
    runs = await fn();
  } catch (e) {
    error = String(e && e.stack ? e.stack : e);
    runs = [];
  }
  const wallSec = (performance.now() - started) / 1000;
  const endedAt = Date.now();
  const emulatorCpuSec = cpuSeconds(process.cpuUsage(cpuAtStart));
  const c = await calls.stop();
  const ok = !error && runs.length > 0 && runs.every((r) => r.code === 0);
  const run = runs[0];
  const stages = stagesOf(times, startedAt, endedAt);
  const perImage = {};
  for (const [a, k] of Object.entries(c.counts)) perImage[a] = r3(k / meta.n);
  const phase = {
    phase: meta.phase,
    row: meta.row,
    per: meta.per,
    n: meta.n,
    ok,
    /** The pulumi run succeeded (`ok` also needs the checks after it). */
    runOk: ok,
    wallSec: r2(wallSec),
    exitCode: run?.code,
    timedOut: run?.timedOut,
    providerPeakRssMb: run?.memory?.providerPeakRssMb ?? null,
    providerHwmMb: run?.memory?.providerHwmMb ?? null,
    enginePeakRssMb: run?.memory?.enginePeakRssMb ?? null,
    processesLeftBehind: run?.leftBehind,
    calls: c.counts,
    callsPerImage: perImage,
    totalCalls: c.totalCalls,
    requestLimitExceeded: c.throttled,
    requestLimitExceededByAction: c.throttledByAction,
    callLogTruncated: c.logTruncated,
    cpuSec: {
      engine: run?.memory?.engineCpuSec ?? null,
      provider: run?.memory?.providerCpuSec ?? null,
      emulator: emulatorCpuSec,
    },
    stages,
    timeline: timelineOf(times, startedAt, endedAt),
    checks: [],
  };
  if (!ok)
    phase.failure =
      error ?? (run?.timedOut ? `timed out after ${opts.timeoutSec} s\n` : "") + failureTail(run?.output ?? "");
  if (meta.record !== false) phases.push(phase);
  const mem = phase.providerPeakRssMb == null ? "" : `, provider peak ${phase.providerPeakRssMb} MB`;
  console.log(
    `  ${meta.phase.padEnd(20)} ${ok ? "ok  " : "FAIL"} ${phase.wallSec.toFixed(1).padStart(7)} s  ${c.totalCalls} calls, ` +
      `${c.throttled} RequestLimitExceeded${mem}, CPU s engine ${phase.cpuSec.engine} provider ${phase.cpuSec.provider} ` +
      `emulator ${emulatorCpuSec}${c.logTruncated ? " (call log truncated)" : ""}`,
  );
  if (c.totalCalls) {
    console.log(`  ${"".padEnd(20)}      calls per image ${meta.per}: ${perImageText(phase.callsPerImage)}`);
    console.log(`  ${"".padEnd(20)}      where the time went: ${stagesText(stages)}`);
  }
  if (!ok) console.log(phase.failure.replace(/^/gm, "      | "));
  return { phase, run };
}

/** "DescImages 0.022, DescShare 1.000, …": the calls per image of each action a phase made. */
function perImageText(perImage) {
  const made = Object.entries(perImage)
    .filter(([, v]) => v > 0)
    .sort(([a], [b]) => byActionOrder(a, b));
  return made.length ? made.map(([a, v]) => `${short(a)} ${v.toFixed(3)}`).join(", ") : "no API call";
}

/** Records a check of a phase's outcome; a failed one fails the phase. */
function check(phase, what, pass, detail) {
  phase.checks.push({ what, pass, detail });
  if (!pass) {
    phase.ok = false;
    phase.failure = `${phase.failure ? `${phase.failure}\n` : ""}${what}: ${detail}`;
  }
  console.log(`  ${"".padEnd(20)}      ${pass ? "check" : "CHECK FAILED"}: ${what}${detail ? ` (${detail})` : ""}`);
}

/** A setup failure: recorded as a failed phase, and the run goes on. */
function setupFailed(name, e) {
  const failure = String(e && e.stack ? e.stack : e);
  phases.push({ phase: `${name}-setup`, ok: false, wallSec: 0, calls: {}, callsPerImage: {}, failure, checks: [] });
  console.log(`  ${name} setup FAILED\n${failure.replace(/^/gm, "      | ")}`);
}

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

const upArgs = () => ({
  family: UP_FAMILY,
  keepNewest: opts.scope - opts.due,
  deletionPolicy: { unmanagedShares: "unshare" },
});
const planArgs = () => ({
  family: PLAN_FAMILY,
  keepNewest: opts.planScope - opts.planDue,
  deletionPolicy: { unmanagedShares: "unshare" },
});

/** (1) One up of an ImageRetention retiring `due` of `scope` images: `kind` update or create. */
async function upRow(kind) {
  const name = kind === "update" ? "retention-up" : "retention-up-create";
  try {
    await resetEmulator();
    const stack = await new Stack("package", `up-${kind}`).init();
    const args = upArgs();
    if (kind === "update") await setupUp(stack, args); // the retention exists, over an empty family
    const ids = await seedFamily(UP_FAMILY, opts.scope, kind === "update" ? "ru" : "rc");
    const account = await accountNow();
    const floor = upFloor(account);
    const { phase } = await measure({ phase: name, row: "up", per: "due", n: opts.due }, async () => [
      await stack.up(args),
    ]);
    phase.account = account;
    phase.floor = floor;
    const live = new Set((await liveImages()).map((i) => i.imageId));
    const keep = ids.slice(0, opts.scope - opts.due);
    const due = ids.slice(opts.scope - opts.due);
    const dueLeft = due.filter((id) => live.has(id)).length;
    const keptLeft = keep.filter((id) => live.has(id)).length;
    check(
      phase,
      `${opts.due} due images gone, ${keep.length} kept remain`,
      dueLeft === 0 && keptLeft === keep.length,
      `${opts.due - dueLeft} gone, ${dueLeft} due left, ${keptLeft} of ${keep.length} kept left`,
    );
    let summary;
    try {
      summary = await stack.output("summary");
    } catch (e) {
      summary = { error: String(e.message ?? e) };
    }
    phase.summary = summary;
    check(
      phase,
      `the output summary says delete ${opts.due}, keep ${keep.length}`,
      summary?.delete === opts.due && summary?.keep === keep.length,
      JSON.stringify(summary),
    );
  } catch (e) {
    setupFailed(name, e);
  }
}

/** (2) The planning of a large scope: `pulumi preview` (the diff plans against the cloud). */
async function planRow() {
  const name = "retention-plan";
  try {
    await resetEmulator();
    const stack = await new Stack("package", "plan").init();
    const args = planArgs();
    await setupUp(stack, args); // the retention exists, over an empty family
    const ids = await seedFamily(PLAN_FAMILY, opts.planScope, "rp");
    const account = await accountNow();
    const floor = planFloor(account);
    const { phase, run } = await measure({ phase: name, row: "plan", per: "scope", n: opts.planScope }, async () => [
      await stack.preview(args),
    ]);
    phase.account = account;
    phase.floor = floor;
    const live = new Set((await liveImages()).map((i) => i.imageId));
    const left = ids.filter((id) => live.has(id)).length;
    check(phase, `all ${opts.planScope} images remain`, left === ids.length, `${left} of ${ids.length}`);
    const mutating = Object.entries(phase.calls).filter(([a, k]) => MUTATING.test(a) && k > 0);
    check(
      phase,
      "no mutating call",
      mutating.length === 0,
      mutating.length ? mutating.map(([a, k]) => `${a} ${k}`).join(", ") : "",
    );
    const updates = Number(/(\d+) to update/.exec(run?.output ?? "")?.[1] ?? 0);
    check(phase, "the preview shows the retention to update", updates === 1, `${updates} to update`);
  } catch (e) {
    setupFailed(name, e);
  }
}

/** The median of the known values (null when none). */
function median(xs) {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : r2((v[m - 1] + v[m]) / 2);
}

/**
 * Measures a no-op run --noop-runs times (`fn(i)`, then `after(phase, run)` for its checks) and
 * records one phase: the median wall time and peak RSS, each run in `samples`. The no-op provider's
 * peak RSS varies by some 20 MB from one run to the next; the median steadies the baseline.
 */
async function measureNoop(meta, fn, after) {
  const done = [];
  for (let i = 0; i < opts.noopRuns; i++) {
    const label = opts.noopRuns > 1 ? `${meta.phase} ${i + 1}/${opts.noopRuns}` : meta.phase;
    const m = await measure({ ...meta, phase: label, record: false }, () => fn(i));
    after?.(m.phase, m.run);
    done.push(m.phase);
  }
  const of = (key) => median(done.map((p) => p[key]));
  const phase = {
    ...done[0],
    phase: meta.phase,
    ok: done.every((p) => p.ok),
    runOk: done.every((p) => p.runOk),
    wallSec: of("wallSec"),
    providerPeakRssMb: of("providerPeakRssMb"),
    providerHwmMb: of("providerHwmMb"),
    enginePeakRssMb: of("enginePeakRssMb"),
    checks: done.flatMap((p) => p.checks),
    samples: done.map((p) => ({ wallSec: p.wallSec, providerPeakRssMb: p.providerPeakRssMb, ok: p.ok })),
  };
  phases.push(phase);
  if (done.length > 1)
    console.log(
      `  ${meta.phase.padEnd(20)} median of ${done.length}: ${phase.wallSec} s, provider peak ${phase.providerPeakRssMb} MB`,
    );
  return phase;
}

/** (3) The no-op provider, the same shape: the engine's floor and the memory baseline. */
async function noopRows() {
  try {
    const a = upArgs();
    let keep = a.keepNewest;
    const changed = () => ({ ...a, keepNewest: ++keep }); // new inputs: the engine runs diff and update
    const meta = (phase, per, n) => ({ phase, row: "noop", per, n });
    if (opts.up.includes("create")) {
      const fresh = [];
      for (let i = 0; i < opts.noopRuns; i++) fresh.push(await new Stack("noop", `noop-create${i}`).init());
      await measureNoop(meta("noop-up-create", "due", opts.due), async (i) => [await fresh[i].up(a)]);
    }
    const stack = await new Stack("noop", "noop").init();
    await setupUp(stack, a);
    await measureNoop(meta("noop-up", "due", opts.due), async () => [await stack.up(changed())]);
    if (opts.phases.includes("plan")) {
      await measureNoop(
        meta("noop-preview", "scope", opts.planScope),
        async () => [await stack.preview(changed())],
        (phase, run) => {
          const updates = Number(/(\d+) to update/.exec(run?.output ?? "")?.[1] ?? 0);
          check(phase, "the preview shows the resource to update", updates === 1, `${updates} to update`);
        },
      );
    }
  } catch (e) {
    setupFailed("noop", e);
  }
}

// ---------------------------------------------------------------------------------------------
// Floors, targets, report
// ---------------------------------------------------------------------------------------------

/** Images of the due ones (i ≥ keep) that are shared, as seedFamily shares them. */
function sharedDue(scope, due) {
  let k = 0;
  for (let i = scope - due; i < scope; i++) if (isShared(i)) k++;
  return k;
}

/** Seconds per action for `calls` at the documented limits, the slowest action, and the floor (plus `extraSec`). */
function rateFloorOf(calls, extraSec = 0, derivation = {}) {
  const seconds = {};
  for (const [a, k] of Object.entries(calls)) seconds[a] = k / limitOf(a);
  const [slowest, slowestSec] = Object.entries(seconds).sort((x, y) => y[1] - x[1])[0];
  return { calls, seconds, slowest, slowestSec, extraSec, floorSec: slowestSec + extraSec, derivation };
}

const usageScanCalls = (account) => ({
  DescribeInstances: Math.max(1, Math.ceil(account.instances / DESCRIBE_BATCH)),
  DescribeLaunchTemplates: 1,
  DescribeLaunchTemplateVersions: Math.max(1, account.launchTemplates),
  DescribeLaunchConfigurations: 1,
});

/** The API floor of the up (see the header): the calls the safe delete must make, slowest action, plus one deletion lag. */
function upFloor(account) {
  const due = opts.due;
  const shared = sharedDue(opts.scope, due);
  const pages = Math.ceil(account.listed / DESCRIBE_BATCH);
  const goneChecks = Math.ceil(due / DESCRIBE_BATCH);
  return rateFloorOf(
    {
      DescribeImages: pages + goneChecks,
      DescribeImageSharePermission: due,
      ModifyImageSharePermission: shared,
      DeleteImages: Math.ceil(due / DELETE_BATCH),
      ...usageScanCalls(account),
    },
    DELETE_LAG_S,
    {
      DescribeImages: `${pages} listing pages (${account.listed} private images listed ÷ ${DESCRIBE_BATCH}) + ${goneChecks} gone checks (${due} ÷ ${DESCRIBE_BATCH})`,
      DescribeImageSharePermission: `one share listing per image that may retire (${due})`,
      ModifyImageSharePermission: `one CANCEL per shared image due (${shared})`,
      DeleteImages: `⌈${due} / ${DELETE_BATCH}⌉ batches`,
      usageScan:
        "once: one call of each (DescribeInstances, DescribeLaunchTemplates, DescribeLaunchTemplateVersions, DescribeLaunchConfigurations)",
      extra: `one deletion lag (${DELETE_LAG_S} s)`,
    },
  );
}

/** The planning floor (see the header): the listing calls of planning, slowest action. */
function planFloor(account) {
  const pages = Math.ceil(account.listed / DESCRIBE_BATCH);
  return rateFloorOf(
    { DescribeImages: pages, DescribeImageSharePermission: opts.planDue, ...usageScanCalls(account) },
    0,
    {
      DescribeImages: `${pages} listing pages (${account.listed} private images listed ÷ ${DESCRIBE_BATCH})`,
      DescribeImageSharePermission: `one share listing per image that may retire (${opts.planDue})`,
      usageScan: "once: one call of each",
    },
  );
}

/** "100.0 s = 1000 DescShare ÷ 10/s (slowest) + 2 s lag; also 300 ModShare 30.0 s, …". */
function floorText(f) {
  const part = (a) => `${f.calls[a]} ${short(a)} ÷ ${limitOf(a)}/s = ${f.seconds[a].toFixed(2)} s`;
  const others = Object.keys(f.calls)
    .filter((a) => a !== f.slowest)
    .sort(byActionOrder)
    .map(part);
  return (
    `${f.floorSec.toFixed(1)} s = ${part(f.slowest)} (slowest)` +
    (f.extraSec ? ` + ${f.extraSec} s (one deletion lag)` : "") +
    `; the others: ${others.join(", ")}`
  );
}

const find = (name) => phases.find((p) => p.phase === name);
/** The no-op run that is the engine's floor and memory baseline of each measured run. */
const NOOP_OF = {
  "retention-up": "noop-up",
  "retention-up-create": "noop-up-create",
  "retention-plan": "noop-preview",
};

function evaluateTargets() {
  const targets = [];
  const add = (id, target, measured, limit, pass, detail) =>
    targets.push({ id, target, measured, limit, result: pass == null ? "n/a" : pass ? "PASS" : "FAIL", detail });
  for (const name of ["retention-up", "retention-up-create", "retention-plan"]) {
    const p = find(name);
    if (!p || !p.floor) continue;
    const isPlan = name === "retention-plan";
    const noop = find(NOOP_OF[name]);
    const ratio = p.runOk ? p.wallSec / p.floor.floorSec : null;
    const net = p.runOk && noop?.runOk ? (p.wallSec - noop.wallSec) / p.floor.floorSec : null;
    add(
      `${name}-vs-floor`,
      isPlan
        ? "plan ≤ 1.25 × planning floor"
        : `up (${name === "retention-up" ? "update" : "create"}) ≤ 1.25 × API floor`,
      ratio == null
        ? `${name} failed`
        : `${ratio.toFixed(2)} × (${p.wallSec.toFixed(1)} s / ${p.floor.floorSec.toFixed(1)} s)` +
            (net == null
              ? ""
              : `; without the no-op ${isPlan ? "preview" : "up"} (${noop.wallSec.toFixed(1)} s): ${net.toFixed(2)} ×`),
      "≤ 1.25",
      ratio == null ? false : ratio <= 1.25,
      { wallSec: p.wallSec, floorSec: p.floor.floorSec, ratio, withoutEngineRatio: net },
    );
    add(
      `${name}-no-throttling`,
      `${name}: no RequestLimitExceeded`,
      String(p.requestLimitExceeded),
      "= 0",
      p.runOk && p.requestLimitExceeded === 0,
    );
    add(
      `${name}-checks`,
      `${name}: ${p.checks.map((c) => c.what).join("; ")}`,
      p.checks.every((c) => c.pass)
        ? "all hold"
        : p.checks
            .filter((c) => !c.pass)
            .map((c) => c.detail)
            .join("; "),
      "all hold",
      p.runOk && p.checks.every((c) => c.pass),
    );
    if (noop && p.providerPeakRssMb != null && noop.providerPeakRssMb != null) {
      const delta = p.providerPeakRssMb - noop.providerPeakRssMb;
      add(
        `${name}-memory`,
        `${name}: provider peak RSS ≤ ${noop.phase}'s + 30 MB`,
        `${p.providerPeakRssMb} MB vs ${noop.providerPeakRssMb} MB (${delta >= 0 ? "+" : ""}${delta.toFixed(1)} MB)`,
        "≤ +30 MB",
        delta <= 30,
      );
    }
  }
  return targets;
}

/** Per action: calls measured against the calls the floor counts, and the difference per image. */
function beyondFloor(p) {
  if (!p.floor) return [];
  const actions = [...new Set([...Object.keys(p.calls), ...Object.keys(p.floor.calls)])].sort(byActionOrder);
  return actions.map((a) => {
    const measured = p.calls[a] ?? 0;
    const floor = p.floor.calls[a] ?? 0;
    return { action: a, measured, floor, extra: measured - floor, extraPerImage: r3((measured - floor) / p.n) };
  });
}

const fmt = (x, d = 1) => (x == null ? "–" : Number(x).toFixed(d));
/** A value of a phase; for a repeated no-op run, its median and the range of its runs. */
const spread = (p, key, d = 1) => {
  if (!p) return "–";
  const xs = (p.samples ?? []).map((x) => x[key]).filter((x) => x != null);
  return xs.length > 1 ? `${fmt(p[key], d)} (${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)})` : fmt(p[key], d);
};

function markdown(targets) {
  const lines = [];
  const ran = (x) => opts.phases.includes(x);
  const what = [
    ran("up") &&
      `Up (${opts.up.join(", ")}): ${opts.due} of ${opts.scope} images due (keepNewest ${opts.scope - opts.due}, ${sharedDue(opts.scope, opts.due)} of the due ones shared with 1-3 accounts, unmanagedShares "unshare").`,
    ran("plan") &&
      `Plan: \`pulumi preview\` of a scope of ${opts.planScope} (keepNewest ${opts.planScope - opts.planDue}: ${opts.planDue} may retire).`,
    ran("noop") &&
      `No-op runs: the median of ${opts.noopRuns} run${opts.noopRuns > 1 ? "s (their range in parentheses)" : ""}.`,
  ].filter(Boolean);
  lines.push(
    `Measured build of the provider: ${pinnedBuild} (copied at the start of the run${repoRebuilt ? "; provider/dist was rebuilt during the run, and the run kept measuring the copy" : ""}).`,
    ...what,
    "",
    "### Summary (wall seconds)",
    "",
    "| run | wall s | floor s | ÷ floor | no-op run, s | (wall − no-op) ÷ floor | provider peak RSS MB | no-op RSS MB | RequestLimitExceeded | checks |",
    "|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const p of phases) {
    const noop = find(NOOP_OF[p.phase]);
    const f = p.floor;
    const checks = p.checks?.length
      ? p.checks.every((c) => c.pass)
        ? "ok"
        : `**${p.checks.filter((c) => !c.pass).length} failed**`
      : p.ok
        ? "ok"
        : "**failed**";
    lines.push(
      `| ${p.phase} | ${spread(p, "wallSec")}${p.runOk ? "" : " (failed)"} | ${f ? fmt(f.floorSec) : "–"} | ${f && p.runOk ? fmt(p.wallSec / f.floorSec, 2) : "–"} | ${noop ? fmt(noop.wallSec) : "–"} | ${f && p.runOk && noop?.runOk ? fmt((p.wallSec - noop.wallSec) / f.floorSec, 2) : "–"} | ${spread(p, "providerPeakRssMb")} | ${noop ? fmt(noop.providerPeakRssMb) : "–"} | ${p.requestLimitExceeded ?? "–"} | ${checks} |`,
    );
  }
  const actions = [...new Set(phases.flatMap((p) => Object.keys(p.calls ?? {})))].sort(byActionOrder);
  lines.push("", "### API calls per image per action (calls in parentheses)", "");
  lines.push(`| run | per image | ${actions.map(short).join(" | ")} | total |`);
  lines.push(`|---|---|${actions.map(() => "---").join("|")}|---|`);
  for (const p of phases.filter((x) => x.n)) {
    lines.push(
      `| ${p.phase} | ${p.per} (${p.n}) | ${actions.map((a) => (p.calls[a] ? `${fmt(p.callsPerImage[a], 3)} (${p.calls[a]})` : "–")).join(" | ")} | ${fmt(p.totalCalls / p.n, 3)} (${p.totalCalls}) |`,
    );
  }
  lines.push("", "### Floors: the calls that must be made ÷ the documented rate, slowest action", "");
  for (const p of phases.filter((x) => x.floor)) {
    lines.push(`- **${p.phase}**: ${floorText(p.floor)}.`);
    for (const [k, v] of Object.entries(p.floor.derivation)) lines.push(`  - ${short(k)}: ${v}`);
  }
  const beyond = phases.filter((p) => p.floor && p.runOk);
  if (beyond.length) {
    lines.push("", "### Calls made against the calls the floor counts", "");
    lines.push("| run | action | made | floor counts | beyond the floor | per image |");
    lines.push("|---|---|---|---|---|---|");
    for (const p of beyond)
      for (const b of beyondFloor(p))
        lines.push(
          `| ${p.phase} | ${b.action} | ${b.measured} | ${b.floor} | ${b.extra > 0 ? `**+${b.extra}**` : b.extra} | ${b.extraPerImage > 0 ? "+" : ""}${fmt(b.extraPerImage, 3)} |`,
        );
  }
  lines.push(
    "",
    "### When the calls were made (seconds from the start of the run; bursts split by > 1 s without a call)",
    "",
  );
  for (const p of phases.filter((x) => x.timeline && x.totalCalls)) {
    const t = p.timeline;
    lines.push(
      `- **${p.phase}** (${fmt(p.wallSec)} s): first call ${fmt(t.firstCallSec, 2)} s, last ${fmt(t.lastCallSec, 2)} s; ` +
        `no call for more than 1 s: ${t.idle.length ? t.idle.map((g) => `${fmt(g.fromSec)}–${fmt(g.toSec)}`).join(", ") : "never"}`,
    );
    lines.push(`  - where the time went: ${stagesText(p.stages)}`);
    for (const [a, x] of Object.entries(t.actions)) {
      const shown = x.bursts.slice(0, 6).map((b) => `${fmt(b.fromSec)}–${fmt(b.toSec)} (${b.calls})`);
      if (x.bursts.length > 6) shown.push(`… ${x.bursts.length - 6} more`);
      lines.push(`  - ${short(a)}: ${shown.join(", ")}`);
    }
  }
  lines.push("", "### Targets (issue 22)", "");
  lines.push("| target | measured | limit | result |");
  lines.push("|---|---|---|---|");
  if (!targets.length) lines.push("| (none: the runs the targets compare were not part of this run) | | | |");
  for (const t of targets) lines.push(`| ${t.target} | ${t.measured} | ${t.limit} | ${t.result} |`);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main, cleanup
// ---------------------------------------------------------------------------------------------

let pinnedBuild = "";
let repoRebuilt = false;
let cleaning;
async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    await Promise.all([...liveSessions].map((sid) => killSession(sid, 3000)));
    for (const s of createdStacks) fs.rmSync(path.join(s.programDir, `Pulumi.${s.name}.yaml`), { force: true });
    fs.rmSync(pinnedModules, { recursive: true, force: true });
    if (emu) await emu.stop().catch(() => undefined);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    console.error(`\nbench-retention: ${signal}: stopping the pulumi runs and the emulator`);
    cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  const runStarted = performance.now();
  let emulatorPkg;
  try {
    emulatorPkg = require("@pulumi-tencentcloud-images/cvm-emulator");
    ({
      DOCUMENTED_RATES: documentedRates,
      DEFAULT_RATE: defaultRate,
    } = require("@pulumi-tencentcloud-images/cvm-emulator/dist/load/rate-limits"));
    require.resolve("pulumi-tencentcloud-images/dist/retention");
  } catch (e) {
    console.error("bench-retention: build first (npx tsc -b):", e.message);
    process.exit(1);
  }
  pinnedBuild = await harness.pinProviderBuild({ providerDir, pinnedModules, pinnedPackage });
  pulumiBin = harness.pulumiBinDir(repoRoot);
  const pulumiVersion = execFileSync(path.join(pulumiBin, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  const cpus = os.availableParallelism ? os.availableParallelism() : os.cpus().length;

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-retention-"));
  for (const d of ["config", "state", "home"]) fs.mkdirSync(path.join(tmp, d));
  emu = await emulatorPkg.startEmulator(EMULATOR);
  startSettings = await control("GET", "settings");
  const uin = (name) => emu.accounts.find((a) => a.name === name).uin;
  aliceUin = uin("alice");
  shareTargets = [uin("bob"), uin("carol"), OUTSIDE_ACCOUNT];

  baseEnv = harness.pulumiEnv({
    tmp,
    pulumiBin,
    accountEnv: emu.env("alice"),
    passphrase: "bench-retention",
    drop: ["BENCH_RETENTION_ARGS"],
  });
  const gitRev = harness.gitRevision(repoRoot);
  const config = {
    emulator: {
      url: emu.url,
      rateLimits: "documented defaults",
      documentedRates: { ...documentedRates, "(others)": defaultRate },
      latencyMs: EMULATOR.latencyMs,
      deleteLagMs: EMULATOR.timing.deleteLagMs,
      sharedFraction: SHARED_FRACTION,
      shareAccountsPerSharedImage: "1-3 (i % 3 + 1), made outside the stack (unmanaged for the retention)",
    },
    up: {
      scope: opts.scope,
      due: opts.due,
      keepNewest: opts.scope - opts.due,
      sharedDue: sharedDue(opts.scope, opts.due),
      kinds: opts.up,
      args: upArgs(),
    },
    plan: {
      scope: opts.planScope,
      mayRetire: opts.planDue,
      keepNewest: opts.planScope - opts.planDue,
      how: "pulumi preview of an existing retention with the same inputs: the engine's diff plans against the cloud",
      args: planArgs(),
    },
    phases: opts.phases,
    pulumi: pulumiVersion,
    node: process.version,
    cpus,
    provider: `pulumi-tencentcloud-images ${require(path.join(pinnedPackage, "package.json")).version} (provider/dist as built at the start of the run, build ${pinnedBuild}; ${gitRev || "no git"})`,
    providerBuild: pinnedBuild,
  };
  console.log(
    `bench-retention: pulumi ${pulumiVersion}, node ${process.version}, ${cpus} CPUs; emulator ${emu.url}: documented rate limits, ` +
      `latency ${EMULATOR.latencyMs} ms, delete lag ${EMULATOR.timing.deleteLagMs} ms, ${SHARED_FRACTION * 100} % shared with 1-3 accounts`,
  );
  console.log(
    `up: ${opts.due} of ${opts.scope} due (${opts.up.join(", ")}); plan: scope ${opts.planScope}, ${opts.planDue} may retire; phases ${opts.phases.join(", ")}`,
  );

  if (opts.phases.includes("noop")) {
    console.log("\nno-op provider (the engine's floor, the memory baseline)");
    await noopRows();
  }
  if (opts.phases.includes("up")) {
    for (const kind of opts.up) {
      console.log(`\nretention up (${kind}): ${opts.due} of ${opts.scope} due`);
      await upRow(kind);
    }
  }
  if (opts.phases.includes("plan")) {
    console.log(`\nretention plan: pulumi preview of a scope of ${opts.planScope}`);
    await planRow();
  }

  try {
    repoRebuilt = buildHash(path.join(providerDir, "dist")) !== pinnedBuild;
  } catch {
    repoRebuilt = true;
  }
  config.providerDistRebuiltDuringRun = repoRebuilt;
  const targets = evaluateTargets();
  const report = {
    benchmark: "bench:retention (issue 22)",
    date: new Date().toISOString(),
    config,
    phases: phases.map((p) => ({ ...p, beyondFloor: p.floor ? beyondFloor(p) : undefined })),
    targets,
    runTimeSec: Math.round((performance.now() - runStarted) / 1000),
  };
  const md = markdown(targets);
  console.log("\n" + md);
  console.log(`\nRun time: ${report.runTimeSec} s`);
  if (opts.markdown) {
    fs.mkdirSync(path.dirname(opts.markdown), { recursive: true });
    fs.writeFileSync(opts.markdown, md + "\n");
    console.log(`Markdown written to ${opts.markdown}`);
  }
  const json = JSON.stringify(report, null, 2);
  if (opts.json) {
    fs.mkdirSync(path.dirname(opts.json), { recursive: true });
    fs.writeFileSync(opts.json, json + "\n");
    console.log(`JSON written to ${opts.json}`);
  }
  console.log("\n" + json);
  if (phases.some((p) => !p.ok)) process.exitCode = 1;
}

main()
  .catch((e) => {
    console.error(`bench-retention failed: ${e && e.stack ? e.stack : e}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
