/**
 * Runs a `tccli` call as a message prints it (a way forward in backticks), to check that it can be
 * followed as written: with the real tccli when one is installed (`TCCLI_BIN`, else `tccli` on
 * PATH; `pip install tccli`), else by reading its words as tccli does (`<service> <Action>`,
 * `--region`, `--endpoint`, `--secretId`, `--secretKey`, `--Param value` with JSON values parsed)
 * and making that call with the Node SDK. The keys come from `env`, as tccli takes them from the
 * environment; `$NAME`s in the command are expanded from it, as a shell would.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runProcess } from "./process";

/** What ran the call, and the API's answer (the `Response` without its envelope). */
export interface TccliRun {
  via: "tccli" | "sdk";
  response: Record<string, unknown>;
}

/** The tccli to run: `TCCLI_BIN`, else `tccli` on PATH; undefined when there is none. */
export function tccliBinary(): string | undefined {
  if (process.env.TCCLI_BIN) return process.env.TCCLI_BIN;
  const found = spawnSync("sh", ["-c", "command -v tccli"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** The words of a shell command line, as a POSIX shell splits them (quotes removed, `env`'s variables expanded). */
function shellWords(line: string, env: Record<string, string>): string[] {
  const r = spawnSync("sh", ["-c", `printf '%s\\0' ${line}`], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...env },
  });
  if (r.status !== 0) throw new Error(`cannot split ${line}: ${r.stderr}`);
  return r.stdout.split("\0").slice(0, -1);
}

/** The first `tccli …` call in backticks in `text`. */
export function tccliCallIn(text: string): string {
  const m = /`(tccli [^`]+)`/.exec(text);
  if (!m) throw new Error(`no tccli call in: ${text}`);
  return m[1]!;
}

/** Runs `command` (`tccli <service> <Action> …`) with the keys and region of `env`. */
export async function runTccli(command: string, env: Record<string, string>): Promise<TccliRun> {
  const [tccli, service, action, ...rest] = shellWords(command, env);
  if (tccli !== "tccli" || !service || !action) throw new Error(`not a tccli call: ${command}`);
  const bin = tccliBinary();
  if (bin) {
    // A fresh HOME: no ~/.tccli profile of the machine's user takes part. Not spawnSync: the emulator may run in this process.
    const home = mkdtempSync(path.join(tmpdir(), "tccli-home-"));
    const r = await runProcess(bin, [service, action, ...rest], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, ...env },
    });
    if (r.code !== 0) throw new Error(`${command} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return { via: "tccli", response: JSON.parse(r.stdout) };
  }
  const options: Record<string, string> = {};
  const params: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i]!;
    const value = rest[i + 1];
    if (!flag.startsWith("--") || value === undefined) throw new Error(`unexpected ${flag} in ${command}`);
    const name = flag.slice(2);
    if (/^[A-Z]/.test(name)) params[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    else options[name] = value;
  }
  for (const name of Object.keys(options))
    if (!["region", "endpoint", "secretId", "secretKey"].includes(name))
      throw new Error(`tccli option --${name} is not run through the SDK here (${command})`);
  if (service !== "cvm") throw new Error(`only cvm calls are run through the SDK here, not ${service}`);
  // tccli's --endpoint: `host[:port]` (HTTPS) or a URL; without it, Tencent Cloud's.
  const endpoint = options.endpoint ?? "cvm.tencentcloudapi.com";
  const url = new URL(/^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`);
  const { cvm } = require("tencentcloud-sdk-nodejs-cvm");
  const client = new cvm.v20170312.Client({
    credential: {
      secretId: options.secretId ?? env.TENCENTCLOUD_SECRET_ID,
      secretKey: options.secretKey ?? env.TENCENTCLOUD_SECRET_KEY,
    },
    region: options.region ?? env.TENCENTCLOUD_REGION,
    profile: { httpProfile: { endpoint: url.host, protocol: `${url.protocol}//` } },
  });
  return { via: "sdk", response: await client.request(action, params) };
}
