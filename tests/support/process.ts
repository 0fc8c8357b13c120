import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";

/** What one process (or one in-process CLI run) wrote and how it exited. */
export interface ProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with piped output; resolves when it closes, never rejects on a non-zero exit. */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A stdout/stderr pair for an in-process CLI, and what was written to each. */
export function capturedStreams(): {
  stdout: PassThrough;
  stderr: PassThrough;
  written(): { stdout: string; stderr: string };
} {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (b: Buffer) => out.push(b.toString()));
  stderr.on("data", (b: Buffer) => err.push(b.toString()));
  return { stdout, stderr, written: () => ({ stdout: out.join(""), stderr: err.join("") }) };
}
