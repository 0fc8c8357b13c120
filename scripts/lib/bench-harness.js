/**
 * What the benchmarks that run the real Pulumi engine share (scripts/bench-destroy.js,
 * scripts/bench-retention.js): pulumi runs in sessions of their own, killed with everything they
 * started; /proc sampling of the dynamic-provider process (peak RSS, CPU seconds); the emulator's
 * call log read per phase (counts per action, RequestLimitExceeded answers); the toolchain's pulumi;
 * a pinned copy of the provider's build.
 */
"use strict";
const { execFileSync, spawn } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

// ---------------------------------------------------------------------------------------------
// Processes: every pulumi run in its own session, killed on failure
// ---------------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The fields of /proc/<pid>/stat after the command name (fields[0] is the state); throws when the process is gone. */
function statFields(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** Pids of the processes in session `sid` (from /proc/<pid>/stat). */
function sessionMembers(sid) {
  const out = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = statFields(name);
      if (Number(fields[3]) === sid && fields[0] !== "Z") out.push(Number(name));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

function signalAll(pids, signal) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
}

/** SIGTERM every process of the session, SIGKILL what is left after `graceMs`; the number found. */
async function killSession(sid, graceMs = 5000) {
  let members = sessionMembers(sid);
  const found = members.length;
  if (!found) return 0;
  signalAll(members, "SIGTERM");
  const until = Date.now() + graceMs;
  while (Date.now() < until && (members = sessionMembers(sid)).length) await sleep(100);
  signalAll(sessionMembers(sid), "SIGKILL");
  return found;
}

// ---------------------------------------------------------------------------------------------
// /proc sampling: peak RSS and CPU seconds of the run's dynamic-provider process and of the engine
// ---------------------------------------------------------------------------------------------

/** `node …/@pulumi/pulumi/cmd/dynamic-provider/index.js <engine address>` (not the launcher's `node -e`). */
function isDynamicProvider(pid) {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return (
      argv.length >= 2 && /(^|\/)node$/.test(argv[0]) && argv[1] !== "-e" && /cmd[/\\]dynamic-provider/.test(argv[1])
    );
  } catch {
    return false;
  }
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far. */
function cpuSec(pid) {
  try {
    const fields = statFields(pid);
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

function memoryKb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  } catch {
    return undefined;
  }
}

/** Samples the session of one pulumi run (its sid is the pulumi pid): peak memory and CPU seconds. */
class ProcessSampler {
  constructor(rootPid) {
    this.root = rootPid;
    this.providers = new Map(); // pid -> {peakRss, hwm, cpuSec}
    this.enginePeak = 0;
    this.engineCpuSec = 0;
    this.ticks = 0;
    this.timer = setInterval(() => this.sample(), 200);
    this.sample();
  }

  sample() {
    try {
      if (this.ticks++ % 5 === 0 || this.providers.size === 0) {
        for (const pid of sessionMembers(this.root))
          if (!this.providers.has(pid) && isDynamicProvider(pid)) this.providers.set(pid, { peakRss: 0, hwm: 0 });
      }
      for (const [pid, m] of this.providers) {
        const now = memoryKb(pid);
        if (!now) continue;
        m.peakRss = Math.max(m.peakRss, now.rss);
        m.hwm = Math.max(m.hwm, now.hwm);
        m.cpuSec = cpuSec(pid) ?? m.cpuSec;
      }
      const engine = memoryKb(this.root);
      if (engine) this.enginePeak = Math.max(this.enginePeak, engine.rss);
      this.engineCpuSec = cpuSec(this.root) ?? this.engineCpuSec;
    } catch {
      /* a process went away between reads */
    }
  }

  stop() {
    clearInterval(this.timer);
    this.sample();
    const all = [...this.providers.values()];
    const mb = (kb) => Math.round((kb / 1024) * 10) / 10;
    const sec = (x) => Math.round(x * 10) / 10;
    return {
      providerProcesses: all.length,
      providerPeakRssMb: all.length ? mb(Math.max(...all.map((m) => m.peakRss))) : null,
      providerHwmMb: all.length ? mb(Math.max(...all.map((m) => m.hwm))) : null,
      enginePeakRssMb: mb(this.enginePeak),
      // Sampled every 200 ms: the last 200 ms of a process may be missing.
      providerCpuSec: sec(all.reduce((t, m) => t + (m.cpuSec ?? 0), 0)),
      engineCpuSec: sec(this.engineCpuSec),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The emulator's call log: counts per action, RequestLimitExceeded answers
// ---------------------------------------------------------------------------------------------

const isThrottled = (c) => typeof c.errorCode === "string" && c.errorCode.startsWith("RequestLimitExceeded");

/**
 * Collects the calls of one phase. The log keeps the last 20,000 calls (the counts cover all), so
 * it is read every 10 s and only the calls added since the last read are taken.
 */
class CallCollector {
  /**
   * `control(method, route, body)`: a call to the emulator's control surface (`/_emulator/<route>`);
   * `onCall(record)`, when given, sees each call of the log once (the log's records, oldest first).
   */
  constructor(control, onCall) {
    this.control = control;
    this.onCall = onCall;
    this.seen = 0;
    this.throttled = {};
    this.counts = {};
    this.truncated = false;
  }

  static async start(control, onCall) {
    await control("DELETE", "calls");
    const c = new CallCollector(control, onCall);
    c.timer = setInterval(() => c.read().catch(() => undefined), 10_000);
    return c;
  }

  /** Takes the calls added since the last read; reads run one after the other (the timer's and stop's). */
  read() {
    const next = (this.reading ?? Promise.resolve()).catch(() => undefined).then(() => this.readOnce());
    this.reading = next;
    return next;
  }

  async readOnce() {
    const { counts, log } = await this.control("GET", "calls");
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const added = total - this.seen;
    if (added > log.length) this.truncated = true;
    for (const call of log.slice(Math.max(0, log.length - added))) {
      if (isThrottled(call)) this.throttled[call.action] = (this.throttled[call.action] ?? 0) + 1;
      this.onCall?.(call);
    }
    this.seen = total;
    this.counts = counts;
  }

  async stop() {
    clearInterval(this.timer);
    await this.read();
    const total = Object.values(this.counts).reduce((a, b) => a + b, 0);
    const throttled = Object.values(this.throttled).reduce((a, b) => a + b, 0);
    return {
      counts: this.counts,
      totalCalls: total,
      throttled,
      throttledByAction: this.throttled,
      logTruncated: this.truncated,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Pulumi, the provider's build
// ---------------------------------------------------------------------------------------------

/** The folder of the toolchain's pulumi (scripts/ensure-pulumi.sh builds it when missing). */
function pulumiBinDir(repoRoot) {
  const out = execFileSync("bash", [path.join(repoRoot, "scripts", "ensure-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return out.trim().split("\n").pop();
}

/**
 * Runs `file` in a session of its own (never throws on a non-zero exit), killed with its children
 * on timeout; samples the session's dynamic-provider process and its root process when asked.
 * `baseEnv`: the environment (`env` is added to it); `liveSessions`: the caller's set of running
 * sessions (the session is in it while it runs, for the caller's cleanup); `timeoutSec`: its bound.
 */
function runSession(
  file,
  args,
  cwd,
  { baseEnv, liveSessions, timeoutSec, env = {}, sample = false, captureStdout = false },
) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, {
      cwd,
      env: { ...baseEnv, ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const sid = child.pid;
    liveSessions.add(sid);
    const sampler = sample && sid ? new ProcessSampler(sid) : undefined;
    let out = "";
    const stdout = [];
    const keep = (d) => {
      out += d;
      if (out.length > 400_000) out = out.slice(-200_000);
    };
    child.stdout.on("data", (d) => {
      if (captureStdout) stdout.push(d);
      keep(d);
    });
    child.stderr.on("data", keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killSession(sid);
    }, timeoutSec * 1000);
    child.on("error", (e) => {
      clearTimeout(timer);
      sampler?.stop();
      liveSessions.delete(sid);
      reject(e);
    });
    child.on("close", async (code) => {
      const wallSec = (performance.now() - started) / 1000;
      clearTimeout(timer);
      const memory = sampler ? sampler.stop() : undefined;
      const leftBehind = await killSession(sid, 2000); // plugins the CLI left running, if any
      liveSessions.delete(sid);
      resolve({
        code: timedOut ? null : code,
        timedOut,
        wallSec,
        output: out,
        stdout: captureStdout ? Buffer.concat(stdout).toString("utf8") : undefined,
        memory,
        leftBehind,
      });
    });
  });
}

/** The last lines of a failed run's output that say why. */
function failureTail(output) {
  const lines = output.split("\n").filter((l) => l.trim());
  const i = lines.findIndex((l) => /^(Diagnostics|error):?/.test(l.trim()));
  return (i >= 0 ? lines.slice(i, i + 25) : lines.slice(-25)).join("\n");
}

/** A hash of the .js files under `dist` (a build's identity). */
function buildHash(dist) {
  const hash = crypto.createHash("sha256");
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.name.endsWith(".js")) hash.update(`${path.relative(dist, file)}\0`).update(fs.readFileSync(file));
    }
  };
  walk(dist);
  return hash.digest("hex").slice(0, 12);
}

/**
 * Copies provider/package.json, provider/dist and provider/bin to `pinnedPackage` (inside
 * `pinnedModules`, which is emptied first), again while provider/dist changes under the copy; the
 * build's hash.
 */
async function pinProviderBuild({ providerDir, pinnedModules, pinnedPackage }) {
  const dist = path.join(providerDir, "dist");
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = buildHash(dist);
    fs.rmSync(pinnedModules, { recursive: true, force: true });
    fs.mkdirSync(pinnedPackage, { recursive: true });
    fs.copyFileSync(path.join(providerDir, "package.json"), path.join(pinnedPackage, "package.json"));
    fs.cpSync(dist, path.join(pinnedPackage, "dist"), { recursive: true });
    fs.cpSync(path.join(providerDir, "bin"), path.join(pinnedPackage, "bin"), { recursive: true }); // cvm-image
    if (buildHash(dist) === before && buildHash(path.join(pinnedPackage, "dist")) === before) return before;
    await sleep(3000); // a build was being written: copy again once it is done
  }
  throw new Error("provider/dist kept changing while it was copied: run again once the build is done");
}

/**
 * The environment every pulumi run of a benchmark gets: this process's, without any CVM_IMAGE_,
 * TENCENTCLOUD_ or PULUMI_ setting nor the `drop` keys, then the emulator account's, the toolchain
 * first on PATH, and a file backend, home and passphrase under `tmp`.
 */
function pulumiEnv({ tmp, pulumiBin, accountEnv, passphrase, drop = [] }) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(CVM_IMAGE_|TENCENTCLOUD_|PULUMI_)/.test(k) && !drop.includes(k)),
  );
  return {
    ...inherited,
    ...accountEnv,
    PATH: `${pulumiBin}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: path.join(tmp, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    NO_COLOR: "1",
  };
}

/** The checkout's short revision, marked when provider/src has uncommitted changes ("" outside git). */
function gitRevision(repoRoot) {
  try {
    const rev = execFileSync("git", ["-C", repoRoot, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["-C", repoRoot, "status", "--porcelain", "--", "provider/src"], {
      encoding: "utf8",
    }).trim();
    return dirty ? `${rev} + uncommitted provider/src changes` : rev;
  } catch {
    return "";
  }
}

module.exports = {
  pulumiEnv,
  gitRevision,
  sleep,
  statFields,
  sessionMembers,
  killSession,
  isDynamicProvider,
  ProcessSampler,
  isThrottled,
  CallCollector,
  pulumiBinDir,
  runSession,
  failureTail,
  buildHash,
  pinProviderBuild,
};
