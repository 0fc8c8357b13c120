// What a reader of the packages meets besides the code: each changelog's top section is the version
// `npm pack` gives, the package READMEs' links resolve on the npm page (absolute links into the
// repository, no relative ones), and every link of the READMEs into this repository names a file that
// exists and a heading it has.
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const PACKAGES = ["provider", "emulator"] as const;

function manifest(folder: string): { version: string; repository: { url: string; directory: string } } {
  return JSON.parse(read(`${folder}/package.json`));
}

/** The repository's web address, from the provider's `repository.url` (`git+https://…/x.git`). */
const REPO_URL = manifest("provider")
  .repository.url.replace(/^git\+/, "")
  .replace(/\.git$/, "");
const BLOB = `${REPO_URL}/blob/main/`;

/** Markdown text without its fenced code blocks (their lines are neither links nor headings). */
function prose(markdown: string): string {
  return markdown.replace(/^(```+|~~~+)[^\n]*\n[\s\S]*?^\1\s*$/gm, "");
}

/** The anchors GitHub gives a file's headings (github-slugger: lower case, punctuation out, spaces to hyphens, repeats numbered). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(markdown).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = m[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The targets of a file's inline links and images (`[text](target)`), outside code blocks and code spans. */
function links(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, "``");
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** Fails unless `target` (a repository path, maybe with `#anchor`) names an existing file and one of its headings. */
function expectResolves(target: string, from: string): void {
  const [file, anchor] = target.split("#") as [string, string | undefined];
  const full = path.join(ROOT, file);
  expect([from, target, fs.existsSync(full)]).toEqual([from, target, true]);
  if (anchor !== undefined) {
    expect(fs.statSync(full).isFile()).toBe(true);
    expect([from, target, anchors(fs.readFileSync(full, "utf8")).has(anchor)]).toEqual([from, target, true]);
  }
}

describe.each(PACKAGES)("the %s package", (folder) => {
  test("its changelog's top section is the version npm pack gives, and versions go down", () => {
    const changelog = read(`${folder}/CHANGELOG.md`);
    const sections = [...changelog.matchAll(/^## \[([^\]]+)\](?: - (.+))?$/gm)].map((m) => ({
      version: m[1]!,
      label: m[2],
    }));
    expect(sections.length).toBeGreaterThan(1);
    expect(sections[0]!.version).toBe(manifest(folder).version);
    for (const s of sections) {
      expect(s.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(s.label).toMatch(/^(\d{4}-\d{2}-\d{2}|Unreleased)$/);
    }
    // Only the top section may be unreleased.
    expect(sections.slice(1).filter((s) => s.label === "Unreleased")).toEqual([]);
    const key = (v: string) => v.split(".").map(Number);
    for (let i = 1; i < sections.length; i++) {
      const [a, b] = [key(sections[i - 1]!.version), key(sections[i]!.version)];
      const order = a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
      expect([sections[i - 1]!.version, sections[i]!.version, order > 0]).toEqual([
        sections[i - 1]!.version,
        sections[i]!.version,
        true,
      ]);
    }
  });

  test("its README has no relative links (they break on the npm page); its links into the repository resolve", () => {
    const readme = read(`${folder}/README.md`);
    const own = anchors(readme);
    const all = links(readme);
    expect(all.length).toBeGreaterThan(0);
    for (const target of all) {
      if (target.startsWith("#")) {
        expect([target, own.has(target.slice(1))]).toEqual([target, true]);
        continue;
      }
      expect(target).toMatch(/^https:\/\//);
      if (target.startsWith(BLOB)) expectResolves(target.slice(BLOB.length), `${folder}/README.md`);
    }
  });

  test("the package's repository field names this repository and its folder", () => {
    expect(manifest(folder).repository.url).toBe(`git+${REPO_URL}.git`);
    expect(manifest(folder).repository.directory).toBe(folder);
  });
});

test("every link of the project README into the repository names an existing file and heading", () => {
  const readme = read("README.md");
  const own = anchors(readme);
  const targets = links(readme).filter((t) => !/^[a-z]+:/.test(t));
  expect(targets.length).toBeGreaterThan(20);
  for (const target of targets) {
    if (target.startsWith("#")) expect([target, own.has(target.slice(1))]).toEqual([target, true]);
    else expectResolves(target, "README.md");
  }
});
