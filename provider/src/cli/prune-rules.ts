/**
 * `cvm-image prune`, its pure parts: the options as typed turned into a checked {@link RetentionSpec}
 * (through `RETENTION_RULE`, each refusal naming its flag and the fix), the summary and exit code of
 * a run, and its output as a table, Markdown or JSON.
 */
import { RETENTION_ACTIONS, RETENTION_RULE, type RetentionAction, type RetentionSpec } from "../schema/retention";
import { changes, type RetentionDecision } from "../retention/plan-rules";

/** Output formats of `cvm-image prune`. */
export const PRUNE_FORMATS = ["table", "markdown", "json"] as const;
export type PruneFormat = (typeof PRUNE_FORMATS)[number];

/** The options of `cvm-image prune` as typed (repeatable ones in order), before they are checked. */
export interface PruneOptions {
  family?: string;
  namePrefix?: string;
  /** `--tag KEY=VALUE`, each as typed. */
  tags?: readonly string[];
  keepNewest?: string;
  keepYoungerThan?: string;
  /** `--exclude IMAGE_ID`. */
  exclude?: readonly string[];
  /** `--exclude-tag KEY=VALUE`, each as typed. */
  excludeTags?: readonly string[];
  unmanagedShares?: string;
  deleteSnapshots?: boolean;
  region?: string;
  profile?: string;
}

/** Thrown for options that cannot make a retention; each line of the message names its flag and the fix. */
export class PruneUsageError extends Error {
  override name = "PruneUsageError";
}

/** The flag that sets each input of the retention (by its path in `RETENTION_RULE`). */
export const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  family: "--family",
  namePrefix: "--name-prefix",
  tags: "--tag",
  keepNewest: "--keep-newest",
  keepYoungerThan: "--keep-younger-than",
  exclude: "--exclude",
  "exclude.imageIds": "--exclude",
  "exclude.tags": "--exclude-tag",
  deletionPolicy: "--unmanaged-shares",
  "deletionPolicy.unmanagedShares": "--unmanaged-shares",
  "deletionPolicy.deleteSnapshots": "--delete-snapshots",
  region: "--region",
  profile: "--profile",
};

/** A rule across fields of `RETENTION_RULE`, as this command words it. */
interface AcrossFields {
  /** The field the rule reports it at (with or without the leading dot). */
  field: string;
  /** How the rule's reason begins. */
  says: string;
  /** The refusal for the command line (the rule words it for a program). */
  text: string;
  /** The flags whose own refusal makes it moot (it would only repeat theirs). */
  flags: readonly string[];
}

const ACROSS_FIELDS: readonly AcrossFields[] = [
  {
    field: "family",
    says: "no scope:",
    text:
      "no scope: give --family NAME, --name-prefix TEXT or --tag KEY=VALUE (all given must hold), e.g. --family " +
      "web; a prune of every image of the account is refused",
    flags: ["--family", "--name-prefix", "--tag"],
  },
  {
    field: "keepNewest",
    says: "nothing to keep:",
    text:
      "nothing to keep: give --keep-newest N (e.g. 5) or --keep-younger-than AGE (e.g. 14d), or both; a prune " +
      "never deletes every image of its scope by default",
    flags: ["--keep-newest", "--keep-younger-than"],
  },
];

/** The rule across fields a refusal comes from, if it comes from one. */
const acrossFields = (path: string, reason: string): AcrossFields | undefined =>
  ACROSS_FIELDS.find((r) => path.replace(/^\./, "") === r.field && reason.startsWith(r.says));

/** The flag of a path the rule reports (`.exclude.imageIds[1]` → `--exclude`); the path itself when none. */
export function flagOfPath(path: string): string {
  const field = path.replace(/^\./, "").replace(/\[\d+\]/g, "");
  for (let key = field; key; key = key.slice(0, Math.max(0, key.lastIndexOf("."))))
    if (Object.hasOwn(FLAG_OF_FIELD, key)) return FLAG_OF_FIELD[key]!;
  return field;
}

/** One refusal of the rule, for the command line: `--keep-newest: must be …`, or the cross-field rule's own words. */
export function refusalText(path: string, reason: string): string {
  const across = acrossFields(path, reason);
  if (across) return across.text;
  return `${flagOfPath(path)}: ${reason.replace(/(^|\s)\./g, "$1")}`;
}

/** Collects refusals: `(flag, text)` for a flag's own, `(path, reason)` as the rule reports them. */
type Refuse = (flag: string, text: string) => void;

/** `KEY=VALUE` as a pair (the value may hold `=`, and may be empty); undefined (refused) when there is no key. */
export function keyValue(flag: string, typed: string, refuse: Refuse): [string, string] | undefined {
  const eq = typed.indexOf("=");
  if (eq > 0) return [typed.slice(0, eq), typed.slice(eq + 1)];
  refuse(flag, `${flag}: "${typed}" is not KEY=VALUE; write it like ${flag} team=web (repeat the flag for more)`);
  return undefined;
}

/** The pairs of a repeatable `KEY=VALUE` flag; a key given twice with two values is refused. */
export function tagMap(
  flag: string,
  typed: readonly string[] | undefined,
  refuse: Refuse,
): Record<string, string> | undefined {
  if (!typed?.length) return undefined;
  const out: Record<string, string> = {};
  for (const t of typed) {
    const [k, v] = keyValue(flag, t, refuse) ?? [];
    if (k === undefined || v === undefined) continue;
    if (Object.hasOwn(out, k) && out[k] !== v)
      refuse(flag, `${flag}: the key ${k} is given twice (${out[k]} and ${v}); an image has one value per key`);
    else out[k] = v;
  }
  return out;
}

/** `--keep-newest` as the rule reads it: a number when it is written as one, else the text (refused by the rule). */
export function countOrText(typed: string | undefined): number | string | undefined {
  if (typed === undefined) return undefined;
  return /^\s*[+-]?\d+(\.\d+)?\s*$/.test(typed) ? Number(typed) : typed;
}

/** The retention inputs the options give, unchecked (absent options left out); a malformed KEY=VALUE is refused. */
export function retentionInputs(o: PruneOptions, refuse: Refuse): Record<string, unknown> {
  const tags = tagMap("--tag", o.tags, refuse);
  const excludeTags = tagMap("--exclude-tag", o.excludeTags, refuse);
  const exclude = {
    ...(o.exclude?.length ? { imageIds: [...new Set(o.exclude)] } : {}),
    ...(excludeTags ? { tags: excludeTags } : {}),
  };
  const given: Record<string, unknown> = {
    family: o.family,
    namePrefix: o.namePrefix,
    tags,
    keepNewest: countOrText(o.keepNewest),
    keepYoungerThan: o.keepYoungerThan,
    exclude: Object.keys(exclude).length ? exclude : undefined,
    deletionPolicy: {
      ...(o.unmanagedShares !== undefined ? { unmanagedShares: o.unmanagedShares } : {}),
      ...(o.deleteSnapshots ? { deleteSnapshots: true } : {}),
    },
    region: o.region,
    profile: o.profile,
  };
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
}

/**
 * The checked retention of a prune, as `ImageRetention` checks its inputs (`RETENTION_RULE`).
 * @throws PruneUsageError with one line per refusal, each naming its flag and the fix.
 */
export function pruneSpec(o: PruneOptions): RetentionSpec {
  const refusals: { flag: string; text: string }[] = [];
  const refuse: Refuse = (flag, text) => refusals.push({ flag, text });
  const across: AcrossFields[] = [];
  const checked = RETENTION_RULE.check(retentionInputs(o, refuse), "", (path, reason) => {
    const rule = acrossFields(path, reason);
    if (rule) across.push(rule);
    else refuse(flagOfPath(path), refusalText(path, reason));
  });
  // "No scope" or "nothing to keep" only when no option of the kind was refused on its own.
  for (const rule of across) if (!refusals.some((r) => rule.flags.includes(r.flag))) refuse(rule.field, rule.text);
  if (refusals.length) throw new PruneUsageError([...new Set(refusals.map((r) => r.text))].join("\n"));
  return RETENTION_RULE.normalize(checked) as RetentionSpec;
}

// A run's outcome.

/** One image of the scope: what the plan decided, and why doing it failed (only with `--yes`). */
export interface PrunedImage {
  decision: RetentionDecision;
  error?: string;
}

/** What one `cvm-image prune` saw and did. */
export interface PruneResult {
  /** The checked retention. */
  spec: RetentionSpec;
  /** The region the images are in (the settings'). */
  region: string;
  /** True without `--yes`: nothing was changed. */
  dryRun: boolean;
  /** Every image of the scope, newest first. */
  images: readonly PrunedImage[];
}

/** The counts of a run: images of the scope, each action, the changes, those done and those failed. */
export interface PruneSummary {
  images: number;
  actions: Record<RetentionAction, number>;
  changes: number;
  done: number;
  failed: number;
}

/** Counts a run (see {@link PruneSummary}); a dry run does nothing, so `done` is 0. */
export function pruneSummary(r: PruneResult): PruneSummary {
  const actions = Object.fromEntries(RETENTION_ACTIONS.map((a) => [a, 0])) as Record<RetentionAction, number>;
  for (const i of r.images) actions[i.decision.action]++;
  const changing = r.images.filter((i) => changes(i.decision));
  const failed = changing.filter((i) => i.error !== undefined).length;
  return {
    images: r.images.length,
    actions,
    changes: changing.length,
    done: r.dryRun ? 0 : changing.length - failed,
    failed,
  };
}

/** Exit codes of `cvm-image prune`: 0 done (or the dry run printed), 1 a usage or cloud error or a failed change. */
export const PRUNE_EXIT = { ok: 0, error: 1 } as const;

/** The exit code of a run that got as far as its plan: 1 when any change failed. */
export function pruneExitCode(r: PruneResult): number {
  return r.images.some((i) => i.error !== undefined) ? PRUNE_EXIT.error : PRUNE_EXIT.ok;
}

// Plain-language pieces the table and Markdown share.

const pairs = (m: Record<string, string> | undefined): string =>
  Object.entries(m ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

/** The scope in words: `family web, name prefix "web-", tags team=web`. */
export function scopeText(spec: RetentionSpec): string {
  return [
    ...(spec.family !== undefined ? [`family ${spec.family}`] : []),
    ...(spec.namePrefix !== undefined ? [`name prefix ${JSON.stringify(spec.namePrefix)}`] : []),
    ...(spec.tags && Object.keys(spec.tags).length ? [`tags ${pairs(spec.tags)}`] : []),
  ].join(", ");
}

/** What is kept, in words: `the 5 newest, those younger than 14d; excluded: img-…, tags keep=true`. */
export function keepText(spec: RetentionSpec): string {
  const keep = [
    ...(spec.keepNewest !== undefined ? [`the ${spec.keepNewest} newest`] : []),
    ...(spec.keepYoungerThan !== undefined ? [`those younger than ${spec.keepYoungerThan}`] : []),
  ].join(" and ");
  const excluded = [
    ...(spec.exclude?.imageIds ?? []),
    ...(spec.exclude?.tags && Object.keys(spec.exclude.tags).length ? [`tags ${pairs(spec.exclude.tags)}`] : []),
  ];
  return `${keep}${excluded.length ? `; excluded: ${excluded.join(", ")}` : ""}`;
}

/** The policy in words: what a shared image and a deleted image's snapshots become. */
export function policyText(spec: RetentionSpec): string {
  const shares =
    spec.deletionPolicy?.unmanagedShares === "unshare"
      ? "a shared image has its shares cancelled, then is deleted"
      : "a shared image is kept";
  const snapshots = spec.deletionPolicy?.deleteSnapshots ? "snapshots deleted with their image" : "snapshots kept";
  return `${shares}; ${snapshots}`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What the run did: the dry-run line, or what was applied (and how many failed). */
export function headline(r: PruneResult): string {
  const s = pruneSummary(r);
  if (r.dryRun) return "dry run: nothing changed; add --yes to apply";
  if (!s.changes) return "applied: nothing was due; nothing changed";
  const failed = s.failed ? `; ${s.failed} failed (named below and on stderr): run the same command again` : "";
  return `applied: ${s.done} of ${plural(s.changes, "change")} done${failed}`;
}

/** The counts in words: `30 images in scope: 8 keep, 22 delete`. */
export function countsText(r: PruneResult): string {
  const s = pruneSummary(r);
  if (!s.images) return "no image in scope";
  const parts = RETENTION_ACTIONS.filter((a) => s.actions[a]).map((a) => `${s.actions[a]} ${a}`);
  return `${plural(s.images, "image")} in scope: ${parts.join(", ")}`;
}

/** The action of one image as shown: `delete`, or `delete (failed)`. */
export function actionText(i: PrunedImage): string {
  return i.error !== undefined ? `${i.decision.action} (failed)` : i.decision.action;
}

/** The reason of one image as shown, with the accounts of an unshare or a restore. */
export function reasonText(d: RetentionDecision): string {
  return d.accounts?.length ? `${d.reason} (accounts: ${d.accounts.join(", ")})` : d.reason;
}

// The formats.

/** Pads each column to its widest cell (the last column is not padded). */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - [...cell].length)))
      .join("  ")
      .trimEnd(),
  );
}

const TABLE_HEAD = ["IMAGE ID", "NAME", "CREATED", "ACTION", "NEXT STAGE DUE", "REASON"];

const cells = (i: PrunedImage): string[] => {
  const d = i.decision;
  return [d.imageId, d.imageName || "-", d.createdTime || "-", actionText(i), d.nextStageDue ?? "-", reasonText(d)];
};

/** The failed changes, one each: `img-… (delete): cause` (a cause may take several lines). */
function failureLines(r: PruneResult): string[] {
  return r.images
    .filter((i) => i.error !== undefined)
    .map((i) => `${i.decision.imageId} (${i.decision.action}): ${i.error}`);
}

/** The terminal table: what and where, the headline, the counts, one row per image, then the failures. */
export function formatTable(r: PruneResult): string {
  const lines = [
    `cvm-image prune: ${scopeText(r.spec)} in ${r.region}; keep ${keepText(r.spec)}; ${policyText(r.spec)}`,
    headline(r),
    countsText(r),
  ];
  if (r.images.length) lines.push("", ...alignColumns([TABLE_HEAD, ...r.images.map(cells)]));
  const failures = failureLines(r);
  if (failures.length) lines.push("", "Failed:", ...failures.map((f) => `  ${f.replace(/\n/g, "\n    ")}`));
  return `${lines.join("\n")}\n`;
}

/** A cell of a Markdown table: pipes escaped, line breaks folded. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/** Markdown (for a pull-request comment or a job summary): the same content as the table. */
export function formatMarkdown(r: PruneResult): string {
  const lines = [
    `### cvm-image prune: ${r.dryRun ? "dry run" : "applied"}`,
    "",
    `**${markdownCell(headline(r))}**`,
    "",
    `Scope: ${markdownCell(scopeText(r.spec))} in ${code(r.region)}. Keep: ${markdownCell(keepText(r.spec))}. ` +
      `${markdownCell(capitalize(policyText(r.spec)))}.`,
    "",
    `${countsText(r)}.`,
  ];
  if (r.images.length) {
    lines.push("", "| Image | Name | Created | Action | Next stage due | Reason |", "|---|---|---|---|---|---|");
    for (const i of r.images) {
      const [id, name, created, action, due, reason] = cells(i).map(markdownCell);
      lines.push(`| ${code(id!)} | ${name} | ${created} | **${action}** | ${due} | ${reason} |`);
    }
  }
  const failures = failureLines(r);
  if (failures.length) lines.push("", "Failed:", "", ...failures.map((f) => `- ${markdownCell(f)}`));
  return `${lines.join("\n")}\n`;
}

/** JSON for machines: the run (dry or not, region, the checked retention), its summary and every decision. */
export function formatJson(r: PruneResult): string {
  const doc = {
    dryRun: r.dryRun,
    region: r.region,
    spec: r.spec,
    summary: pruneSummary(r),
    decisions: r.images.map((i) => ({ ...i.decision, ...(i.error !== undefined ? { error: i.error } : {}) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Renders a run in `format`. */
export function formatPrune(r: PruneResult, format: PruneFormat): string {
  switch (format) {
    case "table":
      return formatTable(r);
    case "markdown":
      return formatMarkdown(r);
    case "json":
      return formatJson(r);
  }
}

// Messages of the layers below, for the command line.

/** Settings errors worded for a program (resource inputs, stack config), reworded for this command. */
const FOR_THE_COMMAND_LINE: readonly (readonly [RegExp, string])[] = [
  [
    /^no Tencent Cloud credentials found\b[\s\S]*$/,
    "no Tencent Cloud credentials found. Set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and " +
      "TENCENTCLOUD_SECURITY_TOKEN for temporary keys), or TENCENTCLOUD_PROFILE, or give --profile NAME; or write " +
      "a tccli default profile (`tccli configure` writes ~/.tccli/default.credential). cvm-image prune reads no " +
      "stack config",
  ],
  [
    /^no region:[\s\S]*$/,
    "no region: give --region REGION, or set TENCENTCLOUD_REGION, or a region in the profile's .configure file " +
      "(`tccli configure set region …`)",
  ],
];

/**
 * A failure's text as this command shows it: the settings' program-side wording replaced, `--profile`
 * named, and a delete's "run the command again" without the Pulumi commands it names for a stack.
 */
export function commandLineWording(text: string): string {
  const whole = FOR_THE_COMMAND_LINE.find(([re]) => re.test(text));
  return (whole ? whole[1] : text)
    .replaceAll("the resource's `profile` input", "--profile")
    .replaceAll("run the command again (`pulumi destroy` / `pulumi up`)", "run the command again");
}
