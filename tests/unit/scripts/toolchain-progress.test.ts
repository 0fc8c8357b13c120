// scripts/lib/progress.sh and the build path of scripts/ensure-pulumi.sh, with a fake `go`:
// phases and heartbeats on stderr, go's output only in the log, the tail and the log's path on
// failure, exit codes, and exactly one stdout line (the bin dir).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const progressLib = path.join(repoRoot, "scripts", "lib", "progress.sh");
const ensureScript = path.join(repoRoot, "scripts", "ensure-pulumi.sh");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function bash(args: string[], env: Record<string, string> = {}): Run {
  const t0 = Date.now();
  const r = spawnSync("bash", args, {
    encoding: "utf8",
    env: { ...process.env, TOOLCHAIN_HEARTBEAT_SECONDS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 30000, // a heartbeat left holding stderr open would hang here
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "toolchain-progress-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` in `set -euo pipefail` bash with progress.sh sourced and a log in the temp dir. */
function withLib(body: string): Run & { log: string } {
  const log = path.join(dir, "cache", "build.log");
  const script = `set -euo pipefail\n. "${progressLib}"\ntrap progress_stop EXIT\nprogress_start "${log}"\n${body}\n`;
  const run = bash(["-c", script]);
  return { ...run, log: existsSync(log) ? readFileSync(log, "utf8") : "" };
}

describe("run_logged (scripts/lib/progress.sh)", () => {
  it("prints the phase, heartbeats and the duration; the command's output goes only to the log", () => {
    const r = withLib(`slow() { sleep 2.5 && echo "go: downloading example.com/x v1.0.0" >&2 && echo built; }
run_logged "compiling thing" slow
echo /the/bin/dir`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("/the/bin/dir\n");
    expect(r.stderr).toMatch(/^\[toolchain\] compiling thing\n/);
    expect(r.stderr).toMatch(/\[toolchain\] compiling thing\.\.\. \d+s so far\n/);
    expect(r.stderr).toMatch(/\[toolchain\] compiling thing: done in \d+s\n$/);
    expect(r.stderr).not.toContain("go: downloading");
    expect(r.stderr).not.toContain("built");
    expect(r.log).toContain("go: downloading example.com/x v1.0.0");
    expect(r.log).toContain("built");
    expect(r.ms).toBeLessThan(10000);
  });

  it("on failure shows the last lines of the log and its path, and returns the command's status", () => {
    const r =
      withLib(`bad() { for i in $(seq 50); do echo "go: downloading m$i"; done && echo "compile error: boom" >&2 && return 7; }
rc=0; run_logged "compiling thing" bad || rc=$?
echo "rc=$rc"`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("rc=7\n");
    expect(r.stderr).toContain("compiling thing: failed (exit 7)");
    expect(r.stderr).toContain("    compile error: boom");
    expect(r.stderr).toContain("    go: downloading m50");
    expect(r.stderr).not.toContain("go: downloading m10\n"); // only the tail (30 lines)
    expect(r.stderr).toContain(`[toolchain] full log: ${path.join(dir, "cache", "build.log")}`);
    expect(r.log).toContain("go: downloading m1\n");
  });

  it("lets a failure end a set -e script with the command's exit code", () => {
    const r = withLib(`run_logged "step" sh -c 'echo nope; exit 3'\necho unreachable`);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("step: failed (exit 3)");
  });

  it("leaves no heartbeat behind after many short steps or when the script dies mid-step", () => {
    const many = withLib(`for i in $(seq 40); do run_logged "p$i" true; run_logged "q$i" false || true; done; echo ok`);
    expect(many.status).toBe(0);
    expect(many.stdout).toBe("ok\n");
    expect(many.stderr.split("\n").filter((l) => l && !l.startsWith("[toolchain]") && !l.startsWith("    "))).toEqual(
      [],
    );
    // The script kills itself during a step: the heartbeat must go too (else stderr stays open
    // and spawnSync waits for it, or it keeps printing).
    const killed = withLib(`run_logged "long" sh -c 'sleep 1.5; kill -9 $PPID; sleep 1'`);
    expect(killed.status).toBeNull();
    expect(killed.ms).toBeLessThan(8000);
  });
});

describe("scripts/ensure-pulumi.sh build path (fake go)", () => {
  function fakeTools(): string {
    const bin = path.join(dir, "fakebin");
    mkdirSync(bin, { recursive: true });
    // A `pulumi` on PATH that is too old, so the script always goes on to its own build.
    writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\necho v3.0.0\n");
    writeFileSync(
      path.join(bin, "go"),
      `#!/usr/bin/env bash
set -eu
case "$1" in
  version) echo "go version go1.25.0 fake/amd64" ;;
  env) echo "/fake/$2" ;;
  mod) if [ "$2" = init ]; then echo "module $3" > go.mod; echo "go: creating new go.mod: module $3" >&2; fi ;;
  get) for i in $(seq 60); do echo "go: downloading example.com/m$i v1.0.$i" >&2; done ;;
  build)
    out="" ver=""; prev=""
    for a in "$@"; do
      [ "$prev" = -o ] && out="$a"
      [ "$prev" = -ldflags ] && ver="\${a##*Version=}"
      prev="$a"
    done
    pkg="\${!#}"; name="$(basename "$pkg")"
    if [ -n "\${FAKE_GO_FAIL:-}" ] && [ "$name" = "$FAKE_GO_FAIL" ]; then
      for i in $(seq 40); do echo "$pkg: compile error $i" >&2; done; exit 2
    fi
    sleep "\${FAKE_GO_BUILD_SECONDS:-0}"
    printf '#!/bin/sh\\necho %s\\n' "$ver" > "$out$name"; chmod 755 "$out$name" ;;
  *) echo "fake go: unexpected $*" >&2; exit 9 ;;
esac
`,
    );
    chmodSync(path.join(bin, "pulumi"), 0o755);
    chmodSync(path.join(bin, "go"), 0o755);
    return bin;
  }

  function ensure(env: Record<string, string>): Run {
    const bin = fakeTools();
    return bash([ensureScript], {
      PATH: `${bin}:/usr/bin:/bin`,
      PULUMI_TOOLCHAIN_CACHE: path.join(dir, "cache"),
      ...env,
    });
  }

  const target = () => path.join(dir, "cache", "pulumi-v3.248.0-nodejs-host-v3.68.0", "bin");
  const hasLauncher = existsSync(
    path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs"),
  );
  const itWithLauncher = hasLauncher ? it : it.skip;

  itWithLauncher(
    "shows phases, a heartbeat and the log path; go's output is only in the log; stdout is the bin dir",
    () => {
      const r = ensure({ FAKE_GO_BUILD_SECONDS: "2.2" });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${target()}\n`);
      const log = path.join(dir, "cache", "build.log");
      expect(r.stderr).toContain(`[toolchain] full build log (go's own output): ${log}`);
      for (const phase of [
        "resolving github.com/pulumi/pulumi/pkg/v3@v3.248.0",
        "compiling pulumi (the slow part)",
        "resolving github.com/pulumi/pulumi/sdk/v3@v3.68.0 (Node.js language host)",
        "compiling pulumi-language-nodejs",
      ]) {
        expect(r.stderr).toContain(`[toolchain] ${phase}\n`);
        expect(r.stderr).toContain(`[toolchain] ${phase}: done in `);
      }
      expect(r.stderr).toMatch(/\[toolchain\] compiling pulumi \(the slow part\)\.\.\. \d+s so far\n/);
      expect(r.stderr).toMatch(/\[toolchain\] built in \d+s: .* in /);
      expect(r.stderr).not.toContain("go: downloading");
      expect(r.stderr.split("\n").length).toBeLessThan(30);
      const text = readFileSync(log, "utf8");
      expect(text).toContain("go: downloading example.com/m60 v1.0.60");
      expect(text).toContain("go: creating new go.mod: module example.local/pulumi-cli-build");

      // The next run reuses the cache, still with one stdout line.
      const again = ensure({});
      expect(again.status).toBe(0);
      expect(again.stdout).toBe(`${target()}\n`);
      expect(again.stderr).toContain(`reusing cached toolchain ${target()} (v3.248.0)`);
    },
  );

  it("on a failed compile shows the log's tail and path, the usual error, and exits 1 with nothing on stdout", () => {
    const r = ensure({ FAKE_GO_FAIL: "pulumi" });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    const log = path.join(dir, "cache", "build.log");
    expect(r.stderr).toContain("[toolchain] compiling pulumi (the slow part): failed (exit 2)");
    expect(r.stderr).toContain("    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi: compile error 40");
    expect(r.stderr).toContain(`[toolchain] full log: ${log}`);
    expect(r.stderr).toMatch(/\[toolchain\] error: building the Pulumi CLI failed \(see above\)\.\n$/);
    expect(r.stderr).not.toContain("compiling pulumi-language-nodejs");
    expect(existsSync(log)).toBe(true); // kept after the failure
    expect(existsSync(target())).toBe(false);
  });
});
