#!/usr/bin/env node
/**
 * bench:destroy (issues 10 and 23): mass destroy, adoption, refresh and the deletion preflight through
 * the real Pulumi engine, against the in-process CVM emulator on ONE configuration for the whole run:
 *   documented rate limits (the emulator's defaults: 40/s DescribeImages and DescribeInstances,
 *   20/s the launch-template and launch-configuration reads, 10/s the rest), 20 ms latency per
 *   call, a deleted image stays listed 2 s (deleteLagMs 2000), 30 % of the images shared with 1-3
 *   accounts as managed shares (the program's sharedWith).
 *
 * For each N (--sizes) and engine parallelism (--parallel), with N NORMAL private images of alice
 * seeded through POST /_emulator/fixtures (shares included, so adoption records them as managed):
 *   (a) package-up        this package's adoption `pulumi up` (CustomImage adoptImageId + sharedWith)
 *   (g) package-refresh   `pulumi refresh` of that adopted stack                  (--phases refresh)
 *   (h) package-preflight `cvm-image preflight --destroy` of that stack: it runs
 *                         `pulumi destroy --preview-only --json` itself, then assesses the
 *                         N deletions with read-only calls                         (--phases preflight)
 *   (b) package-destroy   this package's `pulumi destroy` of those N
 *   (c) noop-up/-refresh/-preflight/-destroy  the same stack shape with a no-op dynamic provider:
 *                         the engine floor (the no-op preflight finds no CustomImage and makes no
 *                         call: the engine's preview and the command's own start); then
 *       noop-lag-up/-lag-destroy  the same no-op stack up again, and destroyed with every delete
 *                         waiting the deletion lag (BENCH_NOOP_DELETE_MS, that run only): the
 *                         lagged engine floor
 *   (d) tf-up/-destroy    Terraform's per-image algorithm as a dynamic provider
 *                         (scripts/bench/terraform-style/algorithm.js), on fresh images
 *   (f) two-up/-destroy   two stacks of this package of N/2 images each in the one account, both
 *                         `pulumi up` at once (setup), then both `pulumi destroy` at once
 *   (e) the rate floors are computed, not run.
 * Each measured phase: wall time of the process(es), API calls per image per action (printed for
 * every phase) and RequestLimitExceeded answers from the emulator's call log (cleared before the
 * phase), peak RSS of the run's dynamic-provider process (`node …/@pulumi/pulumi/cmd/dynamic-provider`,
 * sampled from /proc every 200 ms). Then the issues' targets with their measured values, PASS/FAIL,
 * as Markdown tables and a JSON document.
 *
 * Floor of a destroy = max(the no-op destroy at that parallelism, ⌈N / parallelism⌉ × 2 s, the
 * lean rate floor), the default parallelism being what `pulumi destroy --help` reports (GOMAXPROCS
 * × 4: 8 on 2 CPUs). The lean rate floor is the calls the delete must make ÷ the documented limit,
 * slowest action: a share listing and a CANCEL for each image with managed shares only (the delete
 * lists no other image's shares), DeleteImages and DescribeImages in batches of 100. Terraform's
 * rate floor (N DeleteImages, one CANCEL per shared image, 4 DescribeImages per image: at 0, 0.5,
 * 1.5 and 3.5 s after the delete for a 2 s lag) is shown next to it, for the comparison with
 * Terraform's algorithm only.
 * The lagged no-op destroy is printed beside the floor, with the destroy ÷ it (information, not a
 * target): the engine floor of a destroy whose every delete lasts the lag, measured rather than
 * composed. The floor above takes the largest of the engine's cost and the lag's, as if they
 * overlapped fully; they do not (each slot waits the lag, then the engine writes the checkpoint
 * after the step, with about P operations pending in it), so no provider that waits the lag gets
 * below the lagged no-op.
 * Floor of a refresh = max(the no-op refresh at that parallelism, N share listings ÷ 10/s): a
 * refresh lists every image's shares (drift).
 * Rate floor of a preflight = its read-only calls ÷ the documented limit, slowest action: ⌈N / 100⌉
 * DescribeImages, N share listings, the usage scan once (DescribeInstances, DescribeLaunchTemplates,
 * DescribeLaunchTemplateVersions, DescribeLaunchConfigurations). The no-op preflight on the same
 * stack shape is printed beside it (the engine's preview, which the command runs first).
 *
 * The provider runs with the package's default tuning (no CVM_IMAGE_* variable reaches it), in the
 * build present at the start: provider/dist (and provider/bin, for the preflight) is copied to
 * scripts/bench/node_modules (git-ignored, removed at the end), which the programs resolve first, so
 * a rebuild during the run changes nothing.
 * Needs the built packages (`npm run bench:destroy` runs `npm run build` first) and the Pulumi
 * toolchain (scripts/ensure-pulumi.sh). Nothing is left behind: temporary folders are removed,
 * the emulator is stopped, and every process of the pulumi sessions this script started (the CLI,
 * its language host and providers) is killed on failure or Ctrl-C. --timeout (default 3600 s)
 * bounds each pulumi run. --profile DIR passes
 * `--profiling DIR/<stack>-<up|refresh|destroy|lag-up|lag-destroy>` to each up, refresh and destroy
 * (the engine's CPU and memory profiles and execution trace, for `go tool pprof`).
 *
 * --phases: package, noop, terraform-style and two-stacks are the stacks run; refresh and preflight
 * add those runs to the package and no-op stacks (so they need package or noop).
 *
 * Usage: node scripts/bench-destroy.js [--sizes 100,300,1000] [--parallel default,64] [--json FILE]
 *        [--phases package,noop,refresh,preflight,terraform-style,two-stacks] [--timeout SECONDS]
 *        [--profile DIR]
 */
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const harness = require("./lib/bench-harness");
const { sleep, killSession, CallCollector, failureTail, buildHash } = harness;

const repoRoot = path.resolve(__dirname, "..");
const benchDir = path.join(__dirname, "bench");
const PROGRAMS = {
  package: path.join(benchDir, "package"),
  noop: path.join(benchDir, "noop"),
  "terraform-style": path.join(benchDir, "terraform-style"),
};

// ---------------------------------------------------------------------------------------------
// Options and the one emulator configuration
// ---------------------------------------------------------------------------------------------

function usage(message) {
  if (message) console.error(`bench-destroy: ${message}`);
  console.error(
    "usage: node scripts/bench-destroy.js [--sizes 100,300,1000] [--parallel default,64] [--json FILE]\n" +
      "                                   [--phases package,noop,refresh,preflight,terraform-style,two-stacks]\n" +
      "                                   [--timeout SECONDS] [--profile DIR]\n" +
      "  refresh and preflight add a `pulumi refresh` and a `cvm-image preflight --destroy` to the package and no-op stacks",
  );
  process.exit(2);
}

/** The stacks run (package, noop, terraform-style, two-stacks) and the runs added to them (refresh, preflight). */
const KNOWN_PHASES = ["package", "noop", "refresh", "preflight", "terraform-style", "two-stacks"];

function parseArgs(argv) {
  const o = {
    sizes: [100, 300, 1000],
    parallel: ["default", 64],
    json: undefined,
    phases: [...KNOWN_PHASES],
    timeoutSec: 3600,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    if (flag === "--sizes") {
      o.sizes = value()
        .split(",")
        .map((s) => Number(s.trim()));
      if (!o.sizes.length || o.sizes.some((n) => !Number.isInteger(n) || n < 2))
        usage("--sizes: integers >= 2, comma-separated");
    } else if (flag === "--parallel") {
      o.parallel = value()
        .split(",")
        .map((s) => s.trim())
        .map((s) => (s === "default" ? "default" : Number(s)));
      if (!o.parallel.length || o.parallel.some((p) => p !== "default" && (!Number.isInteger(p) || p < 1)))
        usage("--parallel: 'default' or integers >= 1");
    } else if (flag === "--json") o.json = path.resolve(value());
    else if (flag === "--phases") {
      o.phases = value()
        .split(",")
        .map((s) => s.trim());
      if (o.phases.some((p) => !KNOWN_PHASES.includes(p))) usage(`--phases: some of ${KNOWN_PHASES.join(",")}`);
      if (
        o.phases.some((p) => p === "refresh" || p === "preflight") &&
        !o.phases.some((p) => p === "package" || p === "noop")
      )
        usage("--phases: refresh and preflight run on the package and no-op stacks: add package or noop");
    } else if (flag === "--timeout") {
      o.timeoutSec = Number(value());
      if (!(o.timeoutSec > 0)) usage("--timeout: seconds > 0");
    } else if (flag === "--profile") o.profileDir = path.resolve(value());
    else if (flag === "--help" || flag === "-h") usage();
    else usage(`unknown flag ${flag}`);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));

/** The emulator configuration of the whole run (issue 10, "Why"). */
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
/** Documented limits per account and action (emulator README, Actions; emulator/src/load/rate-limits.ts). */
const DOCUMENTED_LIMIT = {
  DescribeImages: 40,
  DescribeInstances: 40,
  DescribeLaunchTemplates: 20,
  DescribeLaunchTemplateVersions: 20,
  DescribeLaunchConfigurations: 20,
};
const limitOf = (action) => DOCUMENTED_LIMIT[action] ?? 10;
const ACTIONS = [
  "DescribeImages",
  "DeleteImages",
  "DescribeImageSharePermission",
  "ModifyImageSharePermission",
  "DescribeInstances",
];
const ACTION_SHORT = {
  DescribeImages: "DescImages",
  DeleteImages: "DelImages",
  DescribeImageSharePermission: "DescShare",
  ModifyImageSharePermission: "ModShare",
  DescribeInstances: "DescInst",
  // Not columns of the Markdown table (counted in "other"), but named in the per-phase lines.
  DescribeLaunchTemplates: "DescLT",
  DescribeLaunchTemplateVersions: "DescLTVer",
  DescribeLaunchConfigurations: "DescLC",
};

// ---------------------------------------------------------------------------------------------
// Processes: every pulumi run in its own session, killed on failure (scripts/lib/bench-harness.js)
// ---------------------------------------------------------------------------------------------

/**
 * Sessions of pulumi runs still running. Each run is started with `detached: true`, i.e. in a new
 * session led by the pulumi process; the CLI starts its plugins (language host, providers) in
 * process groups of their own but they stay in that session, so the session is what is killed.
 */
const liveSessions = new Set();

// ---------------------------------------------------------------------------------------------
// The emulator's call log: counts per action, RequestLimitExceeded answers
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Pulumi
// ---------------------------------------------------------------------------------------------

let pulumiBin;
let tmp;
let baseEnv;
const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const createdStacks = []; // {name, programDir}

const pulumiBinDir = () => harness.pulumiBinDir(repoRoot);

/** Runs `file` in a session of its own (scripts/lib/bench-harness.js), bounded by --timeout unless told. */
function runSession(file, args, cwd, options = {}) {
  return harness.runSession(file, args, cwd, { baseEnv, liveSessions, timeoutSec: opts.timeoutSec, ...options });
}

/** Runs pulumi (never throws on a non-zero exit); samples the provider's memory when asked. */
function runPulumi(programDir, args, options) {
  return runSession(path.join(pulumiBin, "pulumi"), args, programDir, options);
}

/** A stack in the run's file backend, with its settings in a temporary --config-file. */
class Stack {
  constructor(variant, label) {
    this.variant = variant;
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
  }

  common(parallel, op) {
    const profile = opts.profileDir && op ? ["--profiling", path.join(opts.profileDir, `${this.name}-${op}`)] : [];
    return [
      ...profile,
      "--stack",
      this.name,
      "--config-file",
      this.configFile,
      "--non-interactive",
      "--suppress-progress",
      ...(parallel === "default" ? [] : ["--parallel", String(parallel)]),
    ];
  }

  /** `pulumi up` of the program on `imagesFile`; `op` names its --profile output. */
  up(parallel, imagesFile, op = "up") {
    return runPulumi(this.programDir, ["up", "--yes", "--skip-preview", ...this.common(parallel, op)], {
      env: { BENCH_IMAGES_FILE: imagesFile },
      sample: true,
    });
  }

  /** `pulumi destroy` of the stack; `env` is added to this run's environment only, `op` names its --profile output. */
  destroy(parallel, { env = {}, op = "destroy" } = {}) {
    return runPulumi(this.programDir, ["destroy", "--yes", "--skip-preview", ...this.common(parallel, op)], {
      env,
      sample: true,
    });
  }

  /** `pulumi refresh` of the stack (the program is not run: the images file is passed all the same). */
  refresh(parallel, imagesFile) {
    return runPulumi(this.programDir, ["refresh", "--yes", "--skip-preview", ...this.common(parallel, "refresh")], {
      env: { BENCH_IMAGES_FILE: imagesFile },
      sample: true,
    });
  }

  /**
   * `cvm-image preflight --destroy` of the stack, from the measured build, as a CI job runs it: it
   * runs `pulumi destroy --preview-only --json` (the run's pulumi, through PULUMI_BIN) and assesses
   * every CustomImage deletion with read-only calls. JSON report on stdout; `--fail-on never`, so
   * exit 0 unless the command or its cloud check failed.
   */
  preflight() {
    const args = [
      path.join(pinnedPackage, "bin", "cvm-image.js"),
      "preflight",
      "--destroy",
      "--stack",
      this.name,
      "--cwd",
      this.programDir,
      "--format",
      "json",
      "--fail-on",
      "never",
      "--",
      "--config-file",
      this.configFile,
    ];
    return runSession(process.execPath, args, this.programDir, {
      env: { PULUMI_BIN: path.join(pulumiBin, "pulumi") },
      sample: true,
      captureStdout: true,
    });
  }

  /** The size of the stack's state (`pulumi stack export`): total, and per dynamic resource. */
  async stateSize() {
    const r = await runPulumi(this.programDir, ["stack", "export", "--stack", this.name, "--non-interactive"], {
      captureStdout: true,
      timeoutSec: 300,
    });
    if (r.code !== 0) return undefined;
    const resources = JSON.parse(r.stdout).deployment.resources ?? [];
    const dynamic = resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic"));
    const bytes = dynamic.reduce((t, x) => t + Buffer.byteLength(JSON.stringify(x)), 0);
    return {
      stateMb: Math.round((Buffer.byteLength(r.stdout) / 1048576) * 100) / 100,
      kbPerResource: dynamic.length ? Math.round((bytes / dynamic.length / 1024) * 100) / 100 : null,
    };
  }
}

/** Records the state size of a stack after its up, in the up phase. */
async function recordState(phase, stacks) {
  const sizes = (await Promise.all(stacks.map((st) => st.stateSize().catch(() => undefined)))).filter(Boolean);
  if (!sizes.length) return;
  phase.stateMb = Math.round(sizes.reduce((t, x) => t + x.stateMb, 0) * 100) / 100;
  phase.stateKbPerResource = sizes[0].kbPerResource;
  console.log(`  ${"".padEnd(17)}      state ${phase.stateMb} MB, ${phase.stateKbPerResource} KB per resource`);
}

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

let imageSeq = 0;
let shareTargets;

/** Seeds `n` NORMAL private images of alice (30 % shared with 1-3 accounts); writes the program's list. */
async function seedImages(n, tag) {
  const list = [];
  for (let i = 0; i < n; i++) {
    const id = `img-bz${(imageSeq++).toString(36).padStart(6, "0")}`;
    const shared = i % 10 < SHARED_FRACTION * 10;
    const sharedWith = shared ? shareTargets.slice(0, 1 + (i % 3)) : [];
    list.push({ name: `${tag}-${String(i).padStart(4, "0")}`, id, sharedWith });
  }
  const images = list.map((img) => ({
    imageId: img.id,
    owner: "alice",
    region: REGION,
    name: `${tag}-${img.id}`,
    state: "NORMAL",
    source: "CREATE_IMAGE",
    sharedWith: img.sharedWith,
  }));
  for (let i = 0; i < images.length; i += 500) await control("POST", "fixtures", { images: images.slice(i, i + 500) });
  return list;
}

function writeImagesFile(list, label) {
  const file = path.join(tmp, "images", `${label}.json`);
  fs.writeFileSync(file, JSON.stringify(list));
  return file;
}

/** Seeded images still live in the emulator (not deleted). */
async function imagesLeft(list) {
  const ids = new Set(list.map((i) => i.id));
  const state = await control("GET", "state");
  return state.images.filter((img) => ids.has(img.imageId) && img.goneAt === undefined).length;
}

const providerDir = path.join(repoRoot, "provider");
/**
 * The build the run measures: a copy of provider/package.json, provider/dist and provider/bin (the
 * preflight's `cvm-image`) taken at the start, in scripts/bench/node_modules (git-ignored, removed
 * at the end), which the benchmark's programs and their dynamic-provider processes resolve before
 * the workspace's node_modules. So a
 * rebuild of provider/dist while the run goes on does not mix versions within one run.
 */
const pinnedModules = path.join(benchDir, "node_modules");
const pinnedPackage = path.join(pinnedModules, "pulumi-tencentcloud-images");
const pinProviderBuild = () => harness.pinProviderBuild({ providerDir, pinnedModules, pinnedPackage });

// ---------------------------------------------------------------------------------------------
// Phases
// ---------------------------------------------------------------------------------------------

const phases = [];
let defaultParallel;
const effective = (p) => (p === "default" ? defaultParallel : p);

const cpuSeconds = (usage) => Math.round(((usage.user + usage.system) / 1e6) * 10) / 10;
const sumOf = (runs, key) => Math.round(runs.reduce((t, r) => t + (r.memory?.[key] ?? 0), 0) * 10) / 10;

function perImage(counts, n) {
  const out = {};
  for (const [action, c] of Object.entries(counts)) out[action] = Math.round((c / n) * 1000) / 1000;
  return out;
}

/** "DescImages 0.083, DelImages 0.143, …": the calls per image of each action a phase made (the table's actions first). */
function perImageText(callsPerImage) {
  const order = (a) => (ACTIONS.includes(a) ? ACTIONS.indexOf(a) : ACTIONS.length);
  const made = Object.entries(callsPerImage)
    .filter(([, v]) => v > 0)
    .sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : 1));
  return made.length ? made.map(([a, v]) => `${ACTION_SHORT[a] ?? a} ${v.toFixed(3)}`).join(", ") : "no API call";
}

/**
 * Runs one measured phase: call log cleared first, calls collected while `fn` runs. `meta.root`
 * names the root process of each run for its CPU seconds: "engine" (pulumi, the default) or
 * "cvmImage" (the preflight command, which runs pulumi as its child).
 */
async function measure(meta, fn) {
  const root = meta.root ?? "engine";
  const cpuAtStart = process.cpuUsage();
  await sleep(1100); // the server's one-second buckets refill after the previous phase
  const calls = await CallCollector.start(control);
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
  const emulatorCpuSec = cpuSeconds(process.cpuUsage(cpuAtStart));
  const c = await calls.stop();
  const ok = !error && runs.length > 0 && runs.every((r) => r.code === 0);
  const phase = {
    n: meta.n,
    parallel: meta.parallel,
    effectiveParallel: effective(meta.parallel),
    phase: meta.phase,
    ok,
    wallSec: Math.round(wallSec * 100) / 100,
    processes: runs.map((r) => ({
      exitCode: r.code,
      timedOut: r.timedOut,
      wallSec: Math.round(r.wallSec * 100) / 100,
      ...r.memory,
      processesLeftBehind: r.leftBehind,
    })),
    providerPeakRssMb:
      runs.length && runs.every((r) => r.memory?.providerPeakRssMb != null)
        ? Math.max(...runs.map((r) => r.memory.providerPeakRssMb))
        : null,
    calls: c.counts,
    callsPerImage: perImage(c.counts, meta.n),
    totalCalls: c.totalCalls,
    requestLimitExceeded: c.throttled,
    requestLimitExceededByAction: c.throttledByAction,
    requestLimitExceededShare: c.totalCalls ? Math.round((c.throttled / c.totalCalls) * 10000) / 10000 : 0,
    callLogTruncated: c.logTruncated,
    // CPU seconds: the engine (pulumi), the dynamic-provider process, and this process, which
    // runs the emulator.
    cpuSec: { [root]: sumOf(runs, "engineCpuSec"), provider: sumOf(runs, "providerCpuSec"), emulator: emulatorCpuSec },
  };
  if (!ok)
    phase.failure =
      error ??
      runs
        .filter((r) => r.code !== 0)
        .map((r) => (r.timedOut ? `timed out after ${opts.timeoutSec} s\n` : "") + failureTail(r.output))
        .join("\n---\n");
  phases.push(phase);
  const mem = phase.providerPeakRssMb == null ? "" : `, provider peak ${phase.providerPeakRssMb} MB`;
  const rootCpu = root === "engine" ? "engine" : "cvm-image";
  const cpu = `, CPU s ${rootCpu} ${phase.cpuSec[root]} provider ${phase.cpuSec.provider} emulator ${phase.cpuSec.emulator}`;
  console.log(
    `  ${meta.phase.padEnd(17)} ${ok ? "ok  " : "FAIL"} ${phase.wallSec.toFixed(1).padStart(7)} s  ${c.totalCalls} calls, ${c.throttled} RequestLimitExceeded${mem}${cpu}` +
      (c.logTruncated ? " (call log truncated)" : ""),
  );
  console.log(`  ${"".padEnd(17)}      calls per image: ${perImageText(phase.callsPerImage)}`);
  if (!ok) console.log(phase.failure.replace(/^/gm, "      | "));
  return phase;
}

async function checkGone(list, what, phase) {
  const left = await imagesLeft(list);
  if (left) {
    phase.ok = false;
    phase.failure = `${phase.failure ? `${phase.failure}\n` : ""}${left} of ${list.length} images still exist after ${what}`;
    console.log(`      | ${left} of ${list.length} images still exist after ${what}`);
  }
  phase.imagesLeft = left;
}

/**
 * Reads the preflight's JSON report into the phase: its verdict and counts. The phase fails when the
 * report is missing, its cloud check failed, or it does not find `expectDeletes` images to delete
 * (all N for this package's stack, none for the no-op one, whose resources are not CustomImages).
 */
function checkPreflight(phase, run, expectDeletes) {
  let problem;
  try {
    const report = JSON.parse(run?.stdout ?? "");
    phase.preflight = { verdict: report.verdict, summary: report.summary, cloudError: report.cloudError };
    if (report.cloudError !== undefined) problem = `the preflight's cloud check failed: ${report.cloudError}`;
    else if (report.summary.images !== expectDeletes || (report.summary.delete ?? 0) !== expectDeletes)
      problem = `the preflight reported ${JSON.stringify(report.summary)}, not ${expectDeletes} images to delete`;
  } catch (e) {
    problem = `no JSON report from the preflight (${e.message})`;
  }
  if (!problem) return;
  if (phase.ok) phase.failure = problem;
  else phase.failure = `${phase.failure ?? ""}\n${problem}`;
  phase.ok = false;
  console.log(`      | ${problem}`);
}

async function runCell(n, parallel) {
  const label = (v) => `${v}-${n}-p${parallel === "default" ? "d" : parallel}`;
  const meta = (phase) => ({ n, parallel, phase });
  console.log(`\nN = ${n}, parallelism ${parallel === "default" ? `default (${defaultParallel})` : parallel}`);

  /**
   * The runs --phases adds between a stack's up and its destroy: `pulumi refresh` (at the cell's
   * parallelism), then `cvm-image preflight --destroy` (which finds `deletes` images to delete).
   */
  const extraRuns = async (prefix, stack, file, deletes) => {
    if (opts.phases.includes("refresh"))
      await measure(meta(`${prefix}-refresh`), async () => [await stack.refresh(parallel, file)]);
    if (opts.phases.includes("preflight")) {
      let run;
      const phase = await measure({ ...meta(`${prefix}-preflight`), root: "cvmImage" }, async () => [
        (run = await stack.preflight()),
      ]);
      checkPreflight(phase, run, deletes);
    }
  };

  /** Runs one variant's setup and phases; a setup failure is recorded and the run goes on. */
  const variant = async (name, fn) => {
    if (!opts.phases.includes(name)) return;
    try {
      await fn();
    } catch (e) {
      const failure = String(e && e.stack ? e.stack : e);
      phases.push({
        n,
        parallel,
        effectiveParallel: effective(parallel),
        phase: `${name}-setup`,
        ok: false,
        wallSec: 0,
        processes: [],
        calls: {},
        callsPerImage: {},
        totalCalls: 0,
        requestLimitExceeded: 0,
        failure,
      });
      console.log(`  ${name} setup FAILED\n${failure.replace(/^/gm, "      | ")}`);
    }
  };

  await variant("package", async () => {
    const list = await seedImages(n, label("pkg"));
    const file = writeImagesFile(list, label("package"));
    const stack = new Stack("package", label("package"));
    await stack.init();
    await recordState(await measure(meta("package-up"), async () => [await stack.up(parallel, file)]), [stack]);
    await extraRuns("package", stack, file, n);
    const destroyed = await measure(meta("package-destroy"), async () => [await stack.destroy(parallel)]);
    await checkGone(list, "the destroy", destroyed);
  });

  await variant("noop", async () => {
    const list = Array.from({ length: n }, (_, i) => ({
      name: `noop-${String(i).padStart(4, "0")}`,
      id: `img-nz${(imageSeq++).toString(36).padStart(6, "0")}`,
      sharedWith: i % 10 < SHARED_FRACTION * 10 ? shareTargets.slice(0, 1 + (i % 3)) : [],
    }));
    const file = writeImagesFile(list, label("noop"));
    const stack = new Stack("noop", label("noop"));
    await stack.init();
    await recordState(await measure(meta("noop-up"), async () => [await stack.up(parallel, file)]), [stack]);
    await extraRuns("noop", stack, file, 0);
    await measure(meta("noop-destroy"), async () => [await stack.destroy(parallel)]);
    // The lagged engine floor: the same stack again, every delete waiting the deletion lag.
    const lagUp = await measure(meta("noop-lag-up"), async () => [await stack.up(parallel, file, "lag-up")]);
    if (!lagUp.ok) return;
    const lag = { env: { BENCH_NOOP_DELETE_MS: String(EMULATOR.timing.deleteLagMs) }, op: "lag-destroy" };
    await measure(meta("noop-lag-destroy"), async () => [await stack.destroy(parallel, lag)]);
  });

  await variant("terraform-style", async () => {
    const list = await seedImages(n, label("tf"));
    const file = writeImagesFile(list, label("tf"));
    const stack = new Stack("terraform-style", label("tf"));
    await stack.init();
    await recordState(await measure(meta("tf-up"), async () => [await stack.up(parallel, file)]), [stack]);
    const destroyed = await measure(meta("tf-destroy"), async () => [await stack.destroy(parallel)]);
    await checkGone(list, "the destroy", destroyed);
  });

  await variant("two-stacks", async () => {
    const list = await seedImages(n, label("two"));
    const half = Math.ceil(n / 2);
    const parts = [list.slice(0, half), list.slice(half)];
    const stacks = parts.map((_, i) => new Stack("package", label(`two${"ab"[i]}`)));
    const files = parts.map((part, i) => writeImagesFile(part, label(`two${"ab"[i]}`)));
    for (const s of stacks) await s.init();
    await measure(meta("two-up"), () => Promise.all(stacks.map((s, i) => s.up(parallel, files[i]))));
    const destroyed = await measure(meta("two-destroy"), () => Promise.all(stacks.map((s) => s.destroy(parallel))));
    await checkGone(list, "both destroys", destroyed);
  });
}

// ---------------------------------------------------------------------------------------------
// Floors, targets, report
// ---------------------------------------------------------------------------------------------

/** Images of N seeded with managed shares (i % 10 < 3: 30 %), as seedImages shares them. */
const sharedCount = (n) => Array.from({ length: n }, (_, i) => i % 10 < SHARED_FRACTION * 10).filter(Boolean).length;

/** Seconds per action for `calls` at the documented limits, and the slowest action: a rate floor. */
function rateFloorOf(calls, extra = {}) {
  const seconds = {};
  for (const [a, c] of Object.entries(calls)) seconds[a] = c / limitOf(a);
  const [slowest, floorSec] = Object.entries(seconds).sort((a, b) => b[1] - a[1])[0];
  return { calls, seconds, slowest, floorSec, ...extra };
}

/** Seconds from DeleteImages to each DescribeImages of the Terraform algorithm: 0, 0.5, 1.5, 3.5, 7.5, … */
function terraformPollsUntilGone(lagS) {
  let t = 0;
  let wait = 0;
  let polls = 1;
  while (t < lagS) {
    wait = wait === 0 ? 0.5 : Math.min(wait * 2, 10);
    t += wait;
    polls++;
  }
  return polls;
}

/**
 * (e) The calls Terraform's algorithm must make to destroy N images, ÷ each action's documented
 * limit: for the comparison with Terraform's algorithm only, not the destroy's floor.
 */
function terraformRateFloor(n) {
  const polls = terraformPollsUntilGone(DELETE_LAG_S);
  return rateFloorOf(
    { DeleteImages: n, ModifyImageSharePermission: sharedCount(n), DescribeImages: polls * n },
    { describePollsPerImage: polls },
  );
}

/**
 * (e) The lean rate floor of a destroy, the one its target uses: the calls the delete must make,
 * a share listing and a CANCEL only for the images with managed shares (the delete lists no other
 * image's shares), DeleteImages and DescribeImages in batches of 100.
 */
function leanRateFloor(n) {
  const shared = sharedCount(n);
  return rateFloorOf({
    DescribeImageSharePermission: shared,
    ModifyImageSharePermission: shared,
    DeleteImages: Math.ceil(n / 100),
    DescribeImages: Math.ceil(n / 100),
  });
}

/** (e) The rate floor of a refresh: every image's shares listed (drift), its look in batches of 100. */
function refreshRateFloor(n) {
  return rateFloorOf({ DescribeImageSharePermission: n, DescribeImages: Math.ceil(n / 100) });
}

/**
 * (e) The rate floor of the preflight of a destroy: its read-only calls, DescribeImages in batches
 * of 100, every image's shares listed once, the usage scan once (the emulator's seed has one
 * launch template, hence one DescribeLaunchTemplateVersions).
 */
function preflightRateFloor(n) {
  return rateFloorOf({
    DescribeImages: Math.ceil(n / 100),
    DescribeImageSharePermission: n,
    DescribeInstances: 1,
    DescribeLaunchTemplates: 1,
    DescribeLaunchTemplateVersions: 1,
    DescribeLaunchConfigurations: 1,
  });
}

const find = (n, p, phase) => phases.find((x) => x.n === n && x.parallel === p && x.phase === phase);
const wallOf = (n, p, phase) => {
  const x = find(n, p, phase);
  return x?.ok ? x.wallSec : null;
};

/** The largest known part: {floorSec, bound}. */
function largest(parts) {
  const [bound, floorSec] = Object.entries(parts)
    .filter(([, v]) => v != null)
    .sort((a, b) => b[1] - a[1])[0];
  return { floorSec, bound };
}

const BOUND_TEXT = {
  engine: "no-op engine",
  deleteLag: "⌈N/P⌉ × lag",
  rate: "lean rate",
  terraformRate: "Terraform's rate",
  shareListings: "N share listings ÷ 10/s",
  preflightRate: "its rate floor",
};

/**
 * A destroy's floor = max(no-op destroy, ⌈N / P⌉ × lag, lean rate floor); the same with
 * Terraform's rate floor in place of the lean one is kept beside it, for comparison only.
 */
function destroyFloor(n, p) {
  const engine = wallOf(n, p, "noop-destroy");
  const deleteLag = Math.ceil(n / effective(p)) * DELETE_LAG_S;
  const parts = { engine, deleteLag, rate: leanRateFloor(n).floorSec };
  const tfParts = { engine, deleteLag, terraformRate: terraformRateFloor(n).floorSec };
  return {
    ...largest(parts),
    parts,
    engineMissing: engine == null,
    withTerraformRate: { ...largest(tfParts), parts: tfParts },
  };
}

/** A refresh's floor = max(no-op refresh, N share listings ÷ 10/s). */
function refreshFloor(n, p) {
  const engine = wallOf(n, p, "noop-refresh");
  const parts = { engine, shareListings: refreshRateFloor(n).floorSec };
  return { ...largest(parts), parts, engineMissing: engine == null };
}

/** A preflight's floor: its rate floor (the target's); the no-op preflight (the engine's preview) beside it. */
function preflightFloor(n, p) {
  return {
    floorSec: preflightRateFloor(n).floorSec,
    bound: "preflightRate",
    noopPreflightSec: wallOf(n, p, "noop-preflight"),
  };
}

function evaluateTargets() {
  const sizesRun = [...new Set(phases.map((p) => p.n))].sort((a, b) => a - b);
  const parRun = [...new Set(phases.map((p) => p.parallel))];
  const targets = [];
  /** The cells a target names, or a stand-in (the largest N / P run) when none of them ran. */
  const cellsFor = (ns, ps) => {
    const nHit = ns ? sizesRun.filter((n) => ns.includes(n)) : sizesRun;
    const pHit = ps ? parRun.filter((p) => ps.includes(p)) : parRun;
    const standIn = !nHit.length || !pHit.length;
    const useN = nHit.length ? nHit : sizesRun.slice(-1);
    const numeric = parRun.filter((p) => p !== "default").sort((a, b) => b - a);
    const useP = pHit.length ? pHit : [numeric[0] ?? "default"];
    return useN.flatMap((n) => useP.map((p) => ({ n, p, standIn })));
  };
  /** `pass`: true PASS, false FAIL, null n/a (its floor is missing), "info" a measured value without a limit. */
  const add = (id, text, cell, measured, limitText, pass, detail) =>
    targets.push({
      id,
      target: text,
      n: cell.n,
      parallel: cell.p,
      standIn: cell.standIn,
      measured,
      limit: limitText,
      result: pass === "info" ? "info" : pass == null ? "n/a" : pass ? "PASS" : "FAIL",
      detail,
    });
  const limitText = (limit) => `≤ ${Number.isInteger(limit) ? limit.toFixed(1) : limit}`;
  const ratioText = (ratio, sec, floor, bound) =>
    `${ratio.toFixed(2)} × (${sec.toFixed(1)} s / ${floor.toFixed(1)} s, ${BOUND_TEXT[bound] ?? bound})`;

  for (const cell of cellsFor([300, 1000], null)) {
    const d = find(cell.n, cell.p, "package-destroy");
    const f = destroyFloor(cell.n, cell.p);
    if (!d) continue;
    const ratio = d.ok ? d.wallSec / f.floorSec : null;
    const tf = f.withTerraformRate;
    const alt = d.ok
      ? `; for comparison, the floor with Terraform's rate floor: ${tf.floorSec.toFixed(1)} s (${BOUND_TEXT[tf.bound]}), destroy ÷ it ${(d.wallSec / tf.floorSec).toFixed(2)}`
      : "";
    add(
      "destroy-vs-floor",
      "destroy ≤ 1.25 × max(no-op destroy, ⌈N/P⌉ × lag, lean rate floor)",
      cell,
      ratio == null ? "destroy failed" : `${ratioText(ratio, d.wallSec, f.floorSec, f.bound)}${alt}`,
      "≤ 1.25",
      ratio == null ? false : f.engineMissing ? null : ratio <= 1.25,
      { destroySec: d.wallSec, ...f },
    );
    const lagged = find(cell.n, cell.p, "noop-lag-destroy");
    if (!lagged) continue;
    add(
      "destroy-vs-lagged-noop",
      "destroy ÷ lagged no-op destroy",
      cell,
      d.ok && lagged.ok
        ? `${(d.wallSec / lagged.wallSec).toFixed(2)} × (${d.wallSec.toFixed(1)} s / ${lagged.wallSec.toFixed(1)} s)`
        : "a destroy failed",
      "–",
      "info",
      { destroySec: d.ok ? d.wallSec : null, laggedNoopDestroySec: lagged.ok ? lagged.wallSec : null },
    );
  }
  for (const cell of cellsFor(null, null)) {
    const d = find(cell.n, cell.p, "package-destroy");
    const t = find(cell.n, cell.p, "tf-destroy");
    if (!d || !t) continue;
    const ratio = d.ok && t.ok ? d.wallSec / t.wallSec : null;
    add(
      "destroy-vs-terraform",
      "destroy ≤ 0.85 × Terraform's algorithm",
      cell,
      ratio == null
        ? "a destroy failed"
        : `${ratio.toFixed(2)} × (${d.wallSec.toFixed(1)} s / ${t.wallSec.toFixed(1)} s)`,
      "≤ 0.85",
      ratio == null ? false : ratio <= 0.85,
    );
  }
  // Calls per image at --parallel 64 (issue 23): DeleteImages and DescribeImages ≤ 0.1 in the destroy,
  // the adoption and the refresh; the destroy's share calls as before; no RequestLimitExceeded.
  const perImageLimits = {
    destroy: [
      ["DescribeImages", 0.1],
      ["DeleteImages", 0.1],
      ["DescribeImageSharePermission", 0.35],
      ["ModifyImageSharePermission", 0.31],
    ],
    up: [
      ["DescribeImages", 0.1],
      ["DeleteImages", 0.1],
    ],
    refresh: [
      ["DescribeImages", 0.1],
      ["DeleteImages", 0.1],
    ],
    preflight: [],
  };
  const opText = { destroy: "destroy", up: "adoption up", refresh: "refresh", preflight: "preflight of the destroy" };
  for (const cell of cellsFor([300, 1000], [64])) {
    for (const [op, limits] of Object.entries(perImageLimits)) {
      const x = find(cell.n, cell.p, `package-${op}`);
      if (!x) continue;
      for (const [action, limit] of limits) {
        const v = x.callsPerImage[action] ?? 0;
        add(
          `${op}-${action}`,
          `${opText[op]}: ${action} per image`,
          cell,
          v.toFixed(3),
          limitText(limit),
          x.ok && v <= limit,
        );
      }
      add(
        `${op}-no-throttling`,
        `${opText[op]}: no RequestLimitExceeded`,
        cell,
        String(x.requestLimitExceeded),
        "= 0",
        x.ok && x.requestLimitExceeded === 0,
      );
    }
  }
  for (const cell of cellsFor(null, null)) {
    const u = find(cell.n, cell.p, "package-up");
    const noop = find(cell.n, cell.p, "noop-up");
    if (!u) continue;
    if (noop) {
      const floor = Math.max(noop.ok ? noop.wallSec : 0, cell.n / 10);
      const ratio = u.ok ? u.wallSec / floor : null;
      add(
        "up-vs-floor",
        "adoption up ≤ 1.25 × max(engine floor up, N ÷ 10 s)",
        cell,
        ratio == null ? "up failed" : `${ratio.toFixed(2)} × (${u.wallSec.toFixed(1)} s / ${floor.toFixed(1)} s)`,
        "≤ 1.25",
        ratio == null ? false : noop.ok ? ratio <= 1.25 : null,
      );
    }
    const disp = u.callsPerImage.DescribeImageSharePermission ?? 0;
    add(
      "up-share-listings",
      "adoption up: DescribeImageSharePermission per image",
      cell,
      disp.toFixed(3),
      "≤ 1.0",
      u.ok && disp <= 1.0,
    );
  }
  for (const cell of cellsFor([300, 1000], null)) {
    const r = find(cell.n, cell.p, "package-refresh");
    if (!r) continue;
    const f = refreshFloor(cell.n, cell.p);
    const ratio = r.ok ? r.wallSec / f.floorSec : null;
    add(
      "refresh-vs-floor",
      "refresh ≤ 1.25 × max(no-op refresh, N share listings ÷ 10/s)",
      cell,
      ratio == null ? "refresh failed" : ratioText(ratio, r.wallSec, f.floorSec, f.bound),
      "≤ 1.25",
      ratio == null ? false : f.engineMissing ? null : ratio <= 1.25,
      { refreshSec: r.wallSec, ...f },
    );
  }
  for (const cell of cellsFor([300, 1000], null)) {
    const x = find(cell.n, cell.p, "package-preflight");
    if (!x) continue;
    const f = preflightFloor(cell.n, cell.p);
    const ratio = x.ok ? x.wallSec / f.floorSec : null;
    const noop =
      f.noopPreflightSec == null ? "" : `; no-op preflight (the engine's preview) ${f.noopPreflightSec.toFixed(1)} s`;
    add(
      "preflight-vs-floor",
      "preflight of the destroy ≤ 1.25 × its rate floor",
      cell,
      ratio == null ? "preflight failed" : `${ratioText(ratio, x.wallSec, f.floorSec, f.bound)}${noop}`,
      "≤ 1.25",
      ratio == null ? false : ratio <= 1.25,
      { preflightSec: x.wallSec, ...f },
    );
    for (const [action, limit] of [
      ["DescribeImages", 0.1],
      ["DescribeImageSharePermission", 1.0],
    ]) {
      const v = x.callsPerImage[action] ?? 0;
      add(
        `preflight-${action}`,
        `preflight of the destroy: ${action} per image`,
        cell,
        v.toFixed(3),
        limitText(limit),
        x.ok && v <= limit,
      );
    }
  }
  for (const cell of cellsFor(null, null)) {
    const t = find(cell.n, cell.p, "two-destroy");
    if (!t) continue;
    add(
      "two-stacks-succeed",
      "two stacks destroyed at once: both succeed",
      cell,
      t.processes.map((p) => (p.exitCode === 0 ? "ok" : `exit ${p.exitCode}`)).join(", ") +
        (t.imagesLeft ? `, ${t.imagesLeft} left` : ""),
      "both ok",
      t.ok,
    );
    const share = t.requestLimitExceededShare * 100;
    add(
      "two-stacks-throttling",
      "two stacks destroyed at once: RequestLimitExceeded share",
      cell,
      `${share.toFixed(2)} % (${t.requestLimitExceeded} of ${t.totalCalls})`,
      "< 5 %",
      share < 5,
    );
  }
  for (const cell of cellsFor([1000], null)) {
    for (const op of ["up", "refresh", "destroy"]) {
      const ours = find(cell.n, cell.p, `package-${op}`);
      const noop = find(cell.n, cell.p, `noop-${op}`);
      if (!ours || !noop || ours.providerPeakRssMb == null || noop.providerPeakRssMb == null) continue;
      const delta = ours.providerPeakRssMb - noop.providerPeakRssMb;
      add(
        `memory-${op}`,
        `provider peak memory (${op}) ≤ no-op's + 30 MB`,
        cell,
        `${ours.providerPeakRssMb} MB vs ${noop.providerPeakRssMb} MB (${delta >= 0 ? "+" : ""}${delta.toFixed(1)} MB)`,
        "≤ +30 MB",
        delta <= 30,
      );
    }
  }
  return targets;
}

const fmt = (x, d = 1) => (x == null ? "–" : Number(x).toFixed(d));
const pLabel = (p) => (p === "default" ? `default (${defaultParallel})` : String(p));

function markdown(targets, rateFloors) {
  const lines = [];
  lines.push(
    `Measured build of the provider: ${pinnedBuild} (copied at the start of the run${repoRebuilt ? "; provider/dist was rebuilt during the run, and the run kept measuring the copy" : ""}).`,
    "",
  );
  const cells = [];
  for (const p of phases)
    if (!cells.some((c) => c.n === p.n && c.p === p.parallel)) cells.push({ n: p.n, p: p.parallel });
  const w = (n, p, phase) => {
    const x = find(n, p, phase);
    return x ? `${fmt(x.wallSec)}${x.ok ? "" : " (failed)"}` : "–";
  };
  const bound = (f) => `${fmt(f.floorSec)} (${BOUND_TEXT[f.bound] ?? f.bound})`;
  lines.push("### Summary: destroy and adoption (wall seconds)", "");
  lines.push(
    "| images | parallel | destroy, this package | no-op destroy (engine floor) | lagged no-op destroy (engine floor when every delete lasts the lag) | Terraform's algorithm destroy | floor (bound) | destroy ÷ floor | destroy ÷ lagged no-op | for comparison: floor with Terraform's rate floor, destroy ÷ it | destroy ÷ Terraform | adoption up | no-op up | Terraform up | two stacks (N/2 each) destroy |",
  );
  lines.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const { n, p } of cells) {
    const d = find(n, p, "package-destroy");
    const t = find(n, p, "tf-destroy");
    const lagged = find(n, p, "noop-lag-destroy");
    const f = destroyFloor(n, p);
    const tf = f.withTerraformRate;
    lines.push(
      `| ${n} | ${pLabel(p)} | ${w(n, p, "package-destroy")} | ${w(n, p, "noop-destroy")} | ${w(n, p, "noop-lag-destroy")} | ${w(n, p, "tf-destroy")} | ${bound(f)} | ${d?.ok ? fmt(d.wallSec / f.floorSec, 2) : "–"} | ${d?.ok && lagged?.ok ? fmt(d.wallSec / lagged.wallSec, 2) : "–"} | ${bound(tf)}, ${d?.ok ? fmt(d.wallSec / tf.floorSec, 2) : "–"} | ${d?.ok && t?.ok ? fmt(d.wallSec / t.wallSec, 2) : "–"} | ${w(n, p, "package-up")} | ${w(n, p, "noop-up")} | ${w(n, p, "tf-up")} | ${w(n, p, "two-destroy")} |`,
    );
  }
  if (opts.phases.includes("refresh") || opts.phases.includes("preflight")) {
    lines.push("", "### Summary: refresh and the preflight of a destroy (wall seconds)", "");
    lines.push(
      "| images | parallel | refresh, this package | no-op refresh | refresh floor (bound) | refresh ÷ floor | preflight of the destroy, this package | no-op preflight (the engine's preview) | preflight rate floor | preflight ÷ rate floor |",
    );
    lines.push("|---|---|---|---|---|---|---|---|---|---|");
    for (const { n, p } of cells) {
      const r = find(n, p, "package-refresh");
      const x = find(n, p, "package-preflight");
      const rf = refreshFloor(n, p);
      const pf = preflightFloor(n, p);
      lines.push(
        `| ${n} | ${pLabel(p)} | ${w(n, p, "package-refresh")} | ${w(n, p, "noop-refresh")} | ${bound(rf)} | ${r?.ok ? fmt(r.wallSec / rf.floorSec, 2) : "–"} | ${w(n, p, "package-preflight")} | ${w(n, p, "noop-preflight")} | ${fmt(pf.floorSec)} | ${x?.ok ? fmt(x.wallSec / pf.floorSec, 2) : "–"} |`,
      );
    }
  }
  lines.push("", "### Phases: API calls per image per action, RequestLimitExceeded, provider memory", "");
  lines.push(
    `| images | parallel | phase | wall s | ${ACTIONS.map((a) => `${ACTION_SHORT[a]}/img`).join(" | ")} | other/img | RLE | provider peak RSS MB | state KB/resource | ok |`,
  );
  lines.push(`|---|---|---|---|${ACTIONS.map(() => "---").join("|")}|---|---|---|---|---|`);
  for (const x of phases) {
    const other = Object.entries(x.calls)
      .filter(([a]) => !ACTIONS.includes(a))
      .reduce((s, [, c]) => s + c, 0);
    const mem =
      x.processes.length > 1 ? x.processes.map((p) => fmt(p.providerPeakRssMb)).join(" / ") : fmt(x.providerPeakRssMb);
    lines.push(
      `| ${x.n} | ${pLabel(x.parallel)} | ${x.phase} | ${fmt(x.wallSec)} | ${ACTIONS.map((a) => fmt(x.callsPerImage[a] ?? 0, 2)).join(" | ")} | ${fmt(other / x.n, 2)} | ${x.requestLimitExceeded}${x.requestLimitExceeded ? ` (${fmt(x.requestLimitExceededShare * 100, 1)} %)` : ""} | ${mem} | ${x.stateKbPerResource == null ? "" : fmt(x.stateKbPerResource)} | ${x.ok ? "yes" : "**no**"} |`,
    );
  }
  lines.push(
    "",
    "other: the usage scan (DescribeLaunchTemplates, DescribeLaunchTemplateVersions, DescribeLaunchConfigurations).",
  );
  /** "9.0 s: 90 DescShare ÷ 10/s (also 90 ModShare, 3 DelImages, 3 DescImages)". */
  const floorText = (f) => {
    const others = Object.entries(f.calls)
      .filter(([a]) => a !== f.slowest)
      .map(([a, c]) => `${c} ${ACTION_SHORT[a] ?? a}`);
    return `${fmt(f.floorSec)} s: ${f.calls[f.slowest]} ${ACTION_SHORT[f.slowest] ?? f.slowest} ÷ ${limitOf(f.slowest)}/s${others.length ? ` (also ${others.join(", ")})` : ""}`;
  };
  lines.push("", "### Rate floors (e): the calls that must be made ÷ the documented limit, slowest action", "");
  lines.push(
    "| images | destroy, lean (the destroy's floor): share calls only for the images with managed shares, batches of 100 | destroy, Terraform's algorithm (for the comparison with it only) | refresh: every image's shares listed | preflight of the destroy: its read-only calls, the usage scan once |",
  );
  lines.push("|---|---|---|---|---|");
  for (const [n, f] of Object.entries(rateFloors)) {
    lines.push(
      `| ${n} | ${floorText(f.destroyLean)} | ${floorText(f.destroyTerraform)}, ${f.destroyTerraform.describePollsPerImage} looks per image | ${floorText(f.refresh)} | ${floorText(f.preflight)} |`,
    );
  }
  lines.push("", "### Targets (issues 10 and 23)", "");
  lines.push("| target | images | parallel | measured | limit | result |");
  lines.push("|---|---|---|---|---|---|");
  if (!targets.length) lines.push("| (none: the phases the targets compare were not part of this run) | | | | | |");
  for (const t of targets)
    lines.push(
      `| ${t.target} | ${t.n}${t.standIn ? " (stand-in)" : ""} | ${pLabel(t.parallel)} | ${t.measured} | ${t.limit} | ${t.result}${t.standIn ? "*" : ""} |`,
    );
  if (targets.some((t) => t.standIn))
    lines.push(
      "",
      "\\* stand-in: the size or parallelism the target names was not part of this run; evaluated at the largest one that was.",
    );
  return lines.join("\n");
}

/**
 * Run time per size (all parallelisms of the run), and an estimate for the sizes not run: each
 * phase's wall time extrapolated from the two smallest sizes run as t = k·N^e (e from the two
 * points, clamped to [1, 2]: no phase gets cheaper per image, the engine's grows), plus the time
 * between phases (stack init, seeding, bucket refills) extrapolated linearly.
 */
function runTimes(cells) {
  const bySize = {};
  for (const c of cells) bySize[c.n] = (bySize[c.n] ?? 0) + c.sec;
  const out = { perSizeSec: Object.fromEntries(Object.entries(bySize).map(([n, s]) => [n, Math.round(s)])) };
  const sizes = Object.keys(bySize)
    .map(Number)
    .sort((x, y) => x - y);
  if (sizes.length < 2) return out;
  const [n1, n2] = sizes;
  const names = [...new Set(phases.map((x) => x.phase))];
  const overhead = (n, p) => {
    const cell = cells.find((c) => c.n === n && c.p === p);
    return cell ? cell.sec - phases.filter((x) => x.n === n && x.parallel === p).reduce((t, x) => t + x.wallSec, 0) : 0;
  };
  const estimate = (n) => {
    let total = 0;
    for (const p of opts.parallel) {
      for (const name of names) {
        const a = find(n1, p, name);
        const b = find(n2, p, name);
        if (!a || !b || !(a.wallSec > 0) || !(b.wallSec > 0)) continue;
        const e = Math.min(2, Math.max(1, Math.log(b.wallSec / a.wallSec) / Math.log(n2 / n1)));
        total += b.wallSec * (n / n2) ** e;
      }
      const o1 = overhead(n1, p);
      const o2 = overhead(n2, p);
      total += Math.max(0, o2 + ((o2 - o1) / (n2 - n1)) * (n - n2));
    }
    return total;
  };
  out.estimateSec = Object.fromEntries([100, 300, 1000].map((n) => [n, Math.round(bySize[n] ?? estimate(n))]));
  out.estimateFullRunSec = Math.round(
    [100, 300, 1000].reduce((t, n) => t + (bySize[n] ?? estimate(n)), 0) * (2 / opts.parallel.length),
  );
  out.estimateMethod =
    `each phase extrapolated from N = ${n1} and ${n2} as t = k·N^e (e clamped to [1, 2]), the time between phases linearly; ` +
    `scaled to the default 2 parallelisms`;
  return out;
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
    console.error(`\nbench-destroy: ${signal}: stopping the pulumi runs and the emulator`);
    cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  const runStarted = performance.now();
  let emulatorPkg;
  try {
    emulatorPkg = require("@pulumi-tencentcloud-images/cvm-emulator");
    require.resolve("pulumi-tencentcloud-images/dist/provider");
  } catch (e) {
    console.error("bench-destroy: build first (npx tsc -b):", e.message);
    process.exit(1);
  }
  pinnedBuild = await pinProviderBuild();
  pulumiBin = pulumiBinDir();
  const pulumiVersion = execFileSync(path.join(pulumiBin, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  const help = execFileSync(path.join(pulumiBin, "pulumi"), ["destroy", "--help"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  const cpus = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  defaultParallel = Number(/--parallel int32 .*\(default (\d+)\)/.exec(help)?.[1]) || 4 * cpus;

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-destroy-"));
  for (const d of ["config", "images", "state", "home"]) fs.mkdirSync(path.join(tmp, d));
  emu = await emulatorPkg.startEmulator(EMULATOR);
  const uin = (name) => emu.accounts.find((a) => a.name === name).uin;
  shareTargets = [uin("bob"), uin("carol"), OUTSIDE_ACCOUNT];

  baseEnv = harness.pulumiEnv({
    tmp,
    pulumiBin,
    accountEnv: emu.env("alice"),
    passphrase: "bench-destroy",
    drop: ["BENCH_IMAGES_FILE", "BENCH_NOOP_DELETE_MS"],
  });
  const gitRev = harness.gitRevision(repoRoot);
  const config = {
    emulator: {
      url: emu.url,
      rateLimits: "documented defaults (40/s DescribeImages, DescribeInstances; 10/s the rest)",
      latencyMs: EMULATOR.latencyMs,
      deleteLagMs: EMULATOR.timing.deleteLagMs,
      sharedFraction: SHARED_FRACTION,
      shareAccountsPerSharedImage: "1-3 (i % 3 + 1)",
    },
    sizes: opts.sizes,
    parallel: opts.parallel,
    defaultParallel,
    defaultParallelSource: `pulumi destroy --help: "(default ${defaultParallel})" = GOMAXPROCS × 4 on ${cpus} CPUs`,
    twoStacks: "two stacks of N/2 images each (N images in all), destroyed by two pulumi processes at once",
    phases: opts.phases,
    pulumi: pulumiVersion,
    node: process.version,
    cpus,
    provider: `pulumi-tencentcloud-images ${require(path.join(pinnedPackage, "package.json")).version} (provider/dist as built at the start of the run, build ${pinnedBuild}; ${gitRev || "no git"})`,
    providerBuild: pinnedBuild,
  };
  console.log(
    `bench-destroy: pulumi ${pulumiVersion}, node ${process.version}, ${cpus} CPUs (default parallelism ${defaultParallel}); emulator ${emu.url}: ` +
      `documented rate limits, latency ${EMULATOR.latencyMs} ms, delete lag ${EMULATOR.timing.deleteLagMs} ms, ${SHARED_FRACTION * 100} % shared with 1-3 accounts`,
  );
  console.log(
    `sizes ${opts.sizes.join(", ")}; parallelism ${opts.parallel.join(", ")}; phases ${opts.phases.join(", ")}`,
  );

  const cells = [];
  for (const n of opts.sizes) {
    for (const p of opts.parallel) {
      const t0 = performance.now();
      await runCell(n, p);
      cells.push({ n, p, sec: (performance.now() - t0) / 1000 });
    }
  }

  try {
    repoRebuilt = buildHash(path.join(providerDir, "dist")) !== pinnedBuild;
  } catch {
    repoRebuilt = true;
  }
  config.providerDistRebuiltDuringRun = repoRebuilt;
  const rateFloors = Object.fromEntries(
    opts.sizes.map((n) => [
      n,
      {
        destroyLean: leanRateFloor(n),
        destroyTerraform: terraformRateFloor(n),
        refresh: refreshRateFloor(n),
        preflight: preflightRateFloor(n),
      },
    ]),
  );
  const targets = evaluateTargets();
  const times = runTimes(cells);
  times.totalSec = Math.round((performance.now() - runStarted) / 1000);
  const report = {
    benchmark: "bench:destroy (issues 10 and 23)",
    date: new Date().toISOString(),
    config,
    floors: Object.fromEntries(
      opts.sizes.flatMap((n) =>
        opts.parallel.map((p) => [
          `${n}@${p}`,
          {
            n,
            parallel: p,
            effectiveParallel: effective(p),
            destroy: destroyFloor(n, p),
            laggedNoopDestroySec: wallOf(n, p, "noop-lag-destroy"),
            refresh: refreshFloor(n, p),
            preflight: preflightFloor(n, p),
          },
        ]),
      ),
    ),
    rateFloors,
    phases,
    targets,
    runTime: times,
  };

  console.log("\n" + markdown(targets, rateFloors));
  const est = times.estimateFullRunSec
    ? `; estimated full run (N = 100, 300, 1,000 at 2 parallelisms): ${Math.round(times.estimateFullRunSec / 60)} min, ` +
      `of which N = 1,000 ${Math.round(times.estimateSec[1000] / 60)} min (${times.estimateMethod})`
    : "";
  console.log(
    `\nRun time: ${times.totalSec} s in all; per size ${Object.entries(times.perSizeSec)
      .map(([n, s]) => `N=${n}: ${s} s`)
      .join(", ")}${est}`,
  );
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
    console.error(`bench-destroy failed: ${e && e.stack ? e.stack : e}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
