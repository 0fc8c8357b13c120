// The emulator stopped before `pulumi refresh`: the refresh fails in seconds, not after the retry
// budget, and says once per resource which endpoint it could not reach, where that endpoint came
// from, and to check whether the emulator runs.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { declare, e2eProgramDir, worldWithStack } from "../support/e2e";
import { pulumiBinDir } from "../support/toolchain";

jest.setTimeout(240_000);

const ctx = worldWithStack();

/** A `pulumi` run with the time its first error line was printed (ms after the start) and its total time. */
interface TimedRun {
  code: number;
  output: string;
  firstErrorMs?: number;
  totalMs: number;
}

/** Runs `pulumi <args>` for the stack, noting when the first line with `error:` appears on stdout or stderr. */
function timedPulumi(args: string[]): Promise<TimedRun> {
  const { stack } = ctx;
  const started = Date.now();
  let output = "";
  let firstErrorMs: number | undefined;
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(pulumiBinDir(), "pulumi"), args, {
      cwd: e2eProgramDir,
      env: stack.cliEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (firstErrorMs === undefined && /error:/.test(output)) firstErrorMs = Date.now() - started;
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output, firstErrorMs, totalMs: Date.now() - started }));
  });
}

test("pulumi refresh with the emulator stopped: first error within 5 s, done within 10 s, the cause once per resource", async () => {
  const { world, stack } = ctx;
  const names = ["web", "batch", "archive"];
  declare(
    stack,
    names.map((name) => ({ name, args: { fromInstance: { instanceId: world.instanceId } } })),
  );
  expect((await stack.up()).code).toBe(0);
  const url = world.emu.url;
  await world.emu.stop();

  const run = await timedPulumi([
    "refresh",
    "--yes",
    "--skip-preview",
    "--stack",
    stack.stackName,
    "--config-file",
    stack.configFile,
    "--non-interactive",
  ]);
  expect(run.code).not.toBe(0);
  expect(run.firstErrorMs).toBeLessThan(5000);
  expect(run.totalMs).toBeLessThan(10_000);

  const cause = `cannot reach the API endpoint ${url} (set by TENCENTCLOUD_CVM_ENDPOINT): the connection was refused (ECONNREFUSED). It is a local address: is the emulator running?`;
  expect(run.output.split(cause).length - 1).toBe(names.length);
  for (const account of world.emu.accounts) {
    expect(run.output).not.toContain(account.secretKey);
    expect(run.output).not.toContain(account.secretId);
  }
});
