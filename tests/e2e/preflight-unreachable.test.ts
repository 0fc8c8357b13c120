// The deletion preflight when the cloud cannot be reached (the emulator stopped): it still writes
// its report, in every format, with each image it was to assess UNKNOWN and why, and exits 1, so
// a CI job still posts its comment and the comment says what went wrong.
import * as fs from "node:fs";
import * as path from "node:path";
import { runPreflightCli } from "../../provider/src/preflight";
import { MARKDOWN_MARKER } from "../../provider/src/preflight/format";
import { capturedStreams } from "../support/process";
import { declare, preflightThrough, worldWithStack } from "../support/e2e";

jest.setTimeout(240_000);

const ctx = worldWithStack();

/** `cvm-image preflight ARGV` in this process, with the stack's environment; its exit code, output and time. */
async function preflight(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const streams = capturedStreams();
  const started = Date.now();
  const code = await runPreflightCli(argv, {
    stdout: streams.stdout,
    stderr: streams.stderr,
    preflight: { env: preflightThrough(ctx.stack).env },
  });
  return { code, ...streams.written(), ms: Date.now() - started };
}

test("with the emulator stopped, the report is still written: every image UNKNOWN with the reason, the verdict, exit 1", async () => {
  const { world, stack } = ctx;
  declare(stack, [
    { name: "web", args: { fromInstance: { instanceId: world.instanceId } } },
    { name: "batch", args: { fromInstance: { instanceId: world.instanceId } } },
    { name: "archive", args: { fromInstance: { instanceId: world.instanceId } }, retainOnDelete: true },
  ]);
  expect((await stack.up()).code).toBe(0);
  const planFile = path.join(stack.dir, "destroy-plan.json");
  fs.writeFileSync(planFile, JSON.stringify(await stack.destroyPreviewJson()));
  const url = world.emu.url;
  await world.emu.stop();
  const reason = `cannot assess: the cloud check failed: DescribeImages failed: cannot reach the API endpoint ${url} (set by TENCENTCLOUD_CVM_ENDPOINT): the connection was refused (ECONNREFUSED). It is a local address: is the emulator running?`;

  // Markdown for the pull-request comment, through the real CLI's destroy preview.
  const through = preflightThrough(stack);
  const md = await preflight([
    "--destroy",
    "--stack",
    through.stack!,
    "--cwd",
    through.cwd!,
    "--format",
    "markdown",
    "--",
    ...through.pulumiArgs!,
  ]);
  expect(md.code).toBe(1);
  expect(md.stdout.startsWith(`${MARKDOWN_MARKER}\n### ⛔ CVM image deletion preflight: blocked\n`)).toBe(true);
  expect(md.stdout).toContain("2 unknown, 1 kept");
  for (const name of ["web", "batch"]) {
    expect(md.stdout).toMatch(
      new RegExp(`\\| \`${name}\` \\| delete \\| \`img-\\w+\` ${name}-\\w+ \\| ap-guangzhou \\| ❓ cannot assess \\|`),
    );
    expect(md.stdout).toContain(`**\`${name}\`** ❓ cannot assess\n- ${reason.replace(/_/g, "\\_")}`); // Markdown escapes the underscores
  }
  expect(md.stdout).toMatch(/\| `archive` \| delete \| .* 🔒 kept \|/);
  expect(md.stderr).toContain(
    `cvm-image preflight: cloud check failed: DescribeImages failed: cannot reach the API endpoint ${url}`,
  );
  expect(md.ms).toBeLessThan(15_000); // the destroy preview and a cloud check that gives up in seconds (the retry budget alone took over 20 s)

  // The table and JSON of the same plan, saved.
  const table = await preflight(["--plan", planFile]);
  expect(table.code).toBe(1);
  expect(table.stdout).toMatch(/^Verdict: BLOCKED/m);
  expect(table.stdout).toMatch(/^web\s+delete\s+img-\w+\s+web-\w+\s+ap-guangzhou\s+UNKNOWN/m);
  expect(table.stdout).toContain(`web [UNKNOWN]\n  - ${reason}`);

  const json = await preflight(["--plan", planFile, "--format", "json", "--fail-on", "never"]);
  expect(json.code).toBe(1); // a failed cloud check is an error, whatever --fail-on says
  const report = JSON.parse(json.stdout);
  expect(report).toMatchObject({ verdict: "blocked", summary: { unassessable: 2, kept: 1 } });
  expect(report.cloudError).toContain(`cannot reach the API endpoint ${url}`);
  for (const image of report.images.filter((i: { name: string }) => i.name !== "archive")) {
    expect(image.status).toBe("unassessable");
    expect(image.reasons[0]).toContain(reason);
  }

  for (const run of [md, table, json]) {
    for (const account of world.emu.accounts) expect(run.stdout + run.stderr).not.toContain(account.secretKey);
  }
});
