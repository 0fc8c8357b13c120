import {
  formatJson,
  formatMarkdown,
  formatReport,
  formatTable,
  runPreflight,
  type PreflightReport,
} from "../../../provider/src/preflight";
import { alignColumns, escapeMarkdown, inlineMarkdown } from "../../../provider/src/preflight/format";
import { fakeAssess, fixturePath, WORLD } from "./fakes";

const reportFor = (fixture: string): Promise<PreflightReport> =>
  runPreflight({ plan: fixturePath(fixture), assess: fakeAssess(WORLD).assess });

describe("table", () => {
  it("aligns one row per image and explains each outcome", async () => {
    const text = formatTable(await reportFor("destroy-preview.json"));
    const lines = text.split("\n");
    const header = lines.findIndex((l) => l.startsWith("RESOURCE"));
    expect(lines[header]).toMatch(/^RESOURCE\s+CHANGE\s+IMAGE\s+NAME\s+REGION\s+OUTCOME\s+SHARES\s+IN USE$/);
    const rows = lines.slice(header + 1, header + 7);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual([
      "scratch",
      "nightly",
      "prod-base",
      "archive",
      "web",
      "legacy-base",
    ]);
    // Every row's OUTCOME starts in the same column.
    const col = lines[header]!.indexOf("OUTCOME");
    expect(rows.map((r) => r.slice(col).split(/\s+/)[0])).toEqual([
      "KEPT",
      "WAIT",
      "KEPT",
      "KEPT",
      "DELETE",
      "BLOCKED",
    ]);
    // A kept image keeps its shares, and says so: "archive" stays shared with the account its state lists.
    const shares = lines[header]!.indexOf("SHARES");
    expect(rows.map((r) => r.slice(shares).split(/\s+/)[0])).toEqual(["0", "0", "0", "1", "1", "3"]);
    expect(text).toContain(
      "archive [KEPT]\n  - retainOnDelete: removed from the stack, the image stays in the cloud\n  - stays shared with 1 account (as the state records): 100000000004 (managed by the stack)",
    );
    expect(text).toContain("Verdict: BLOCKED");
    expect(text).toContain("retainOnDelete: removed from the stack, the image stays in the cloud");
    expect(text).toContain(
      "2 instances still launched from it: ins-aaaa0001 (web-1, RUNNING), ins-aaaa0002 (web-2, STOPPED)",
    );
    expect(text).toContain("sharing with 1 account cancelled first: 100000000003 (managed by the stack)");
    expect(text).toContain(
      "shared with 3 accounts, not cancelled: 100000000001 (managed by the stack), 100000000002 (managed by the stack), 200000000099 (not managed)",
    );
    expect(text).toContain("The preview reported errors");
    expect(text.trimEnd().split("\n").pop()).toBe("6 image deletions: 1 blocked, 1 wait, 1 delete, 3 kept");
  });

  it("says so when no image is deleted", async () => {
    const text = formatTable(await runPreflight({ preview: { steps: [] } }));
    expect(text).toContain("No CustomImage is deleted or replaced by this plan.");
    expect(text).toContain("Verdict: ALL CLEAR");
  });

  it("pads all but the last column", () => {
    expect(
      alignColumns([
        ["a", "bb", "c"],
        ["ccc", "d", "e"],
      ]),
    ).toEqual(["a    bb  c", "ccc  d   e"]);
  });
});

describe("markdown", () => {
  it("starts with the marker and a verdict heading, then a table", async () => {
    const md = formatMarkdown(await reportFor("preview-replacements.json"));
    const lines = md.split("\n");
    expect(lines[0]).toBe("<!-- cvm-image-preflight -->");
    expect(lines[1]).toBe("### ⛔ CVM image deletion preflight: blocked");
    expect(md).toContain("| Resource | Change | Image | Region | Outcome | Shares | In use |");
    expect(md).toContain(
      "| `legacy-base` | delete | `img-2x7ka1qd` legacy-base-2025 | ap-guangzhou | ⛔ delete will be refused | 3 | 0 |",
    );
    expect(md).toContain("| `db` | replace, delete first |");
    expect(md).toContain("#### Likely refactor mistakes");
  });

  it("keeps alias suggestions as code", async () => {
    const md = formatMarkdown(await reportFor("preview-refactor.json"));
    expect(md).toContain('  - Fix: add `aliases: [{ name: "app" }]` to the resource options of "app-image"');
    expect(md).toContain('- ⛔ "imported" adopts image img-l3gacy00');
  });

  it("escapes values that would break the table", () => {
    expect(escapeMarkdown("a|b *c* <img>\nx")).toBe("a\\|b \\*c\\* \\<img\\> x");
  });

  it("renders code as code in sentences, and escapes the rest (a lone backtick too)", () => {
    expect(inlineMarkdown("run `pulumi up` *now*, see `a*b<c>` and ` alone")).toBe(
      "run `pulumi up` \\*now\\*, see `a*b<c>` and \\` alone",
    );
  });

  it("keeps the commands of the ways forward as code", async () => {
    const md = formatMarkdown(await reportFor("destroy-preview.json"));
    expect(md).toContain(
      "- to proceed: cancel those shares yourself with `tccli cvm ModifyImageSharePermission --region ap-guangzhou --ImageId img-2x7ka1qd --AccountIds '[\"200000000099\"]' --Permission CANCEL`, then run the command again",
    );
    expect(md).not.toContain("\\`");
  });

  it("writes notes as Markdown inside <sub>, code included", async () => {
    const md = formatMarkdown(await reportFor("preview-logical-replace.json"));
    expect(md).toMatch(
      /<sub>\n\nNote: the preview has no replacement steps, .*\(preview with --show-replacement-steps\)<br>\n\n<\/sub>/,
    );
  });

  it("puts engine errors in a text block", async () => {
    const md = formatMarkdown(await reportFor("destroy-preview.json"));
    expect(md).toMatch(/#### The preview reported errors\n\n```text\nresource ".*prod-base" cannot be deleted/);
  });
});

describe("json", () => {
  it("round-trips the report and carries no serialized provider or secret", async () => {
    const report = await reportFor("preview-secrets-unknowns.json");
    const text = formatJson(report);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(text).not.toContain("__provider");
    expect(text).not.toContain("exports.handler");
    expect(text).not.toContain("[secret]");
    expect(JSON.parse(text).schemaVersion).toBe(1);
  });

  it("is what formatReport gives for json", async () => {
    const report = await reportFor("preview-logical-replace.json");
    expect(formatReport(report, "json")).toBe(formatJson(report));
    expect(formatReport(report, "markdown")).toBe(formatMarkdown(report));
    expect(formatReport(report, "table")).toBe(formatTable(report));
  });
});
