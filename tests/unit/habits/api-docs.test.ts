// `npm run docs:api` (TypeDoc, typedoc.json) builds the API reference of both packages and fails on any
// warning, among them a public export without TSDoc. Runs it into a temporary folder (about 10 s).
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..", "..");

interface Run {
  code: number;
  output: string;
}

function docsApi(out: string): Promise<Run> {
  return new Promise((resolve) => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFile(
      npm,
      ["run", "--silent", "docs:api", "--", "--out", out],
      { cwd: ROOT, timeout: 55_000, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}`.replace(/\x1b\[[0-9;]*m/g, "") });
      },
    );
  });
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return htmlFiles(p);
    return e.name.endsWith(".html") ? [p] : [];
  });
}

describe("npm run docs:api", () => {
  let out: string;
  let run: Run;

  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), "api-docs-"));
    run = await docsApi(out);
  }, 60_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("succeeds with no warnings", () => {
    expect(run.output).not.toMatch(/\[(warning|error)\]/);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/html generated/);
  });

  it("documents CustomImage and its output properties", () => {
    const page = htmlFiles(out).find((f) => /CustomImage\.html$/.test(f));
    expect(page).toBeDefined();
    const html = readFileSync(page!, "utf8");
    expect(html).toContain("CustomImage");
    expect(html).toContain("snapshotIds");
    expect(html).toContain("The ids of the snapshots bound to the image, as DescribeImages reports them.");
    expect(html).toMatch(/The image id \(<code>img-…<\/code>\) assigned by CVM/);
  });

  it("covers both packages", () => {
    const all = htmlFiles(out)
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    expect(all).toContain("pulumi-tencentcloud-images");
    expect(all).toContain("@pulumi-tencentcloud-images/cvm-emulator");
    expect(all).toContain("startEmulator");
  });
});
