/**
 * Renders a preflight report (pure): picks a formatter by name; the plain-language pieces the table
 * and Markdown formatters share; the terminal table; Markdown fit for a pull-request comment; and
 * JSON for machines.
 */
import { retentionChangeText, retentionLines } from "./retentions";
import { IMAGE_STATUSES, type ImageReport, type ImageStatus, type PreflightReport, type Verdict } from "./report";
import { KEPT_EXPLANATION } from "./steps";

/** Output formats of the preflight. */
export type ReportFormat = "table" | "markdown" | "json";

/** Every accepted `--format` value. */
export const REPORT_FORMATS: readonly ReportFormat[] = ["table", "markdown", "json"];

/** Renders `report` in `format`. */
export function formatReport(report: PreflightReport, format: ReportFormat): string {
  switch (format) {
    case "table":
      return formatTable(report);
    case "markdown":
      return formatMarkdown(report);
    case "json":
      return formatJson(report);
  }
}

// Plain-language pieces shared by the table and Markdown formatters.

/** Short upper-case label of a status, for terminals. */
export const STATUS_LABEL: Record<ImageStatus, string> = {
  delete: "DELETE",
  blocked: "BLOCKED",
  wait: "WAIT",
  gone: "GONE",
  kept: "KEPT",
  unassessable: "UNKNOWN",
};

/** One-line meaning of a status. */
export const STATUS_MEANING: Record<ImageStatus, string> = {
  delete: "will be deleted",
  blocked: "delete will be refused",
  wait: "delete waits for the image to settle",
  gone: "already gone from the cloud",
  kept: "kept",
  unassessable: "cannot assess",
};

/** Headline of a verdict. */
export const VERDICT_TITLE: Record<Verdict, string> = {
  clear: "all clear",
  deletes: "images will be deleted",
  blocked: "blocked",
};

/** One-sentence meaning of a verdict. */
export const VERDICT_TEXT: Record<Verdict, string> = {
  clear: "no image will be deleted",
  deletes: "nothing stands in the way of the deletions below",
  blocked: "a delete would be refused or could not be checked, or the plan would break an image",
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** How the plan changes the resource: `delete`, `replace (delete first)`, ... */
export function changeText(img: ImageReport): string {
  if (img.op === "delete") return "delete";
  const base = img.op === "replace" ? "replace" : "pending delete";
  if (img.deleteBeforeCreate === true) return `${base}, delete first`;
  if (img.deleteBeforeCreate === false) return `${base}, create first`;
  return base;
}

/** Every account the image is shared with, managed or not. */
export function allShares(img: ImageReport): string[] {
  return [...new Set([...img.sharesToCancel, ...img.managedShares, ...img.unmanagedShares])];
}

function shareLines(img: ImageReport): string[] {
  const managed = new Set(img.managedShares);
  const who = (accounts: string[]): string =>
    accounts.map((a) => `${a} (${managed.has(a) ? "managed by the stack" : "not managed"})`).join(", ");
  if (img.status === "kept") {
    // The image stays, and so do its shares: the ones the state records.
    const all = allShares(img);
    return all.length > 0
      ? [`stays shared with ${plural(all.length, "account")} (as the state records): ${who(all)}`]
      : [];
  }
  const lines: string[] = [];
  // A refused delete cancels nothing, whatever it would have cancelled.
  const cancelled = img.status === "delete" || img.status === "wait" ? img.sharesToCancel : [];
  if (cancelled.length > 0) {
    lines.push(`sharing with ${plural(cancelled.length, "account")} cancelled first: ${who(cancelled)}`);
  }
  const left = allShares(img).filter((a) => !cancelled.includes(a));
  if (left.length > 0) lines.push(`shared with ${plural(left.length, "account")}, not cancelled: ${who(left)}`);
  return lines;
}

const nameVerb = (n: number): string => (n === 1 ? "names" : "name");

/** How many things still use the image: instances, launch templates and launch configurations together. */
export function inUseCount(img: ImageReport): number {
  return img.instancesInUse.length + img.launchTemplatesInUse.length + img.launchConfigurationsInUse.length;
}

function usageLines(img: ImageReport): string[] {
  const lines: string[] = [];
  const named = (id: string, extra: Array<string | undefined>): string => {
    const shown = extra.filter((x): x is string => Boolean(x));
    return shown.length > 0 ? `${id} (${shown.join(", ")})` : id;
  };
  if (img.instancesInUse.length > 0) {
    const list = img.instancesInUse.map((i) => named(i.instanceId, [i.instanceName, i.state]));
    lines.push(`${plural(img.instancesInUse.length, "instance")} still launched from it: ${list.join(", ")}`);
  }
  if (img.launchTemplatesInUse.length > 0) {
    const list = img.launchTemplatesInUse.map((t) =>
      named(t.launchTemplateId, [
        t.launchTemplateName,
        `${t.versions.length === 1 ? "version" : "versions"} ${t.versions.join(", ")}`,
        t.includesDefaultVersion ? "the default version among them" : `not the default version ${t.defaultVersion}`,
      ]),
    );
    lines.push(
      `${plural(img.launchTemplatesInUse.length, "launch template")} still ${nameVerb(list.length)} it: ` +
        `${list.join(", ")}`,
    );
  }
  if (img.launchConfigurationsInUse.length > 0) {
    const list = img.launchConfigurationsInUse.map((c) =>
      named(c.launchConfigurationId, [
        c.launchConfigurationName,
        c.status,
        c.imageFamily ? `through family ${c.imageFamily}` : undefined,
      ]),
    );
    lines.push(
      `${plural(img.launchConfigurationsInUse.length, "launch configuration")} still ${nameVerb(list.length)} it: ` +
        `${list.join(", ")}`,
    );
  }
  return lines;
}

function snapshotLine(img: ImageReport): string[] {
  if (img.snapshotIds.length === 0 || img.status === "gone") return [];
  const verb = img.deleteSnapshots ? "deleted with it" : "kept (still billed)";
  return [`bound snapshots ${verb}: ${img.snapshotIds.join(", ")}`];
}

function copyLine(img: ImageReport): string[] {
  if (!img.copies?.length || img.status === "kept") return [];
  const list = img.copies.map((c) => {
    const shares = c.sharesToCancel.length ? `, ${plural(c.sharesToCancel.length, "share")} cancelled first` : "";
    return `${c.imageId} in ${c.region} (${STATUS_LABEL[c.status].toLowerCase()}${shares})`;
  });
  return [
    `${img.copies.length === 1 ? "1 copy" : `${img.copies.length} copies`} in other regions deleted with it: ` +
      `${list.join(", ")}`,
  ];
}

/**
 * Every detail sentence about one image: kept reason, reasons,
 * ways forward, shares, what uses it, snapshots, copies, warnings.
 */
export function detailLines(img: ImageReport): string[] {
  const lines: string[] = [];
  if (img.keptBecause) lines.push(KEPT_EXPLANATION[img.keptBecause]);
  lines.push(...img.reasons);
  lines.push(...(img.nextSteps ?? []).map((n) => `to proceed: ${n}`));
  if (img.imageState && img.status === "wait" && img.reasons.length === 0) lines.push(`image is ${img.imageState}`);
  lines.push(...shareLines(img), ...usageLines(img), ...snapshotLine(img), ...copyLine(img));
  lines.push(...img.warnings.map((w) => `warning: ${w}`));
  return lines;
}

/** `3 images: 1 blocked, 2 delete` */
export function summaryText(report: PreflightReport): string {
  const parts = IMAGE_STATUSES.filter((s) => report.summary[s] > 0).map(
    (s) => `${report.summary[s]} ${STATUS_LABEL[s].toLowerCase()}`,
  );
  const head = plural(report.summary.images, "image deletion");
  const findings = report.summary.findings > 0 ? `; ${plural(report.summary.findings, "refactor finding")}` : "";
  const retentions = (report.retentions ?? []).length
    ? `; ${plural(report.retentions!.length, "image retention")}: ` +
      report.retentions!.map(retentionChangeText).join("; ")
    : "";
  return (parts.length > 0 ? `${head}: ${parts.join(", ")}${findings}` : `${head}${findings}`) + retentions;
}

/** Where the plan came from, for headings. */
export function sourceText(report: PreflightReport): string {
  const s = report.source;
  const what =
    s.kind === "preview"
      ? "pulumi preview"
      : s.kind === "destroy-preview"
        ? "pulumi destroy --preview-only"
        : s.kind === "file"
          ? `plan file ${s.path ?? ""}`.trim()
          : s.kind === "stdin"
            ? "plan from stdin"
            : "plan document";
  const where = [s.project && `project ${s.project}`, s.stack && `stack ${s.stack}`].filter(Boolean).join(", ");
  return where ? `${where} (${what})` : what;
}

// Terminal rendering: an aligned table plus details.

/** Pads cells into aligned columns separated by two spaces. */
export function alignColumns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

/** Renders the report for a terminal. */
export function formatTable(report: PreflightReport): string {
  const out: string[] = [
    `CVM image deletion preflight: ${sourceText(report)}`,
    `Verdict: ${VERDICT_TITLE[report.verdict].toUpperCase()} (${VERDICT_TEXT[report.verdict]})`,
    "",
  ];
  if (report.images.length === 0) {
    out.push("No CustomImage is deleted or replaced by this plan.");
  } else {
    const header = ["RESOURCE", "CHANGE", "IMAGE", "NAME", "REGION", "OUTCOME", "SHARES", "IN USE"];
    const rows = report.images.map((i) => [
      i.name,
      changeText(i),
      i.imageId ?? "?",
      i.imageName ?? "-",
      i.region ?? "-",
      STATUS_LABEL[i.status],
      String(allShares(i).length),
      String(inUseCount(i)),
    ]);
    out.push(...alignColumns([header, ...rows]));
    for (const img of report.images) {
      const lines = detailLines(img);
      if (lines.length === 0) continue;
      out.push("", `${img.name} [${STATUS_LABEL[img.status]}]`, ...lines.map((l) => `  - ${l}`));
    }
  }
  for (const r of report.retentions ?? []) out.push("", ...retentionLines(r));
  if (report.findings.length > 0) {
    out.push("", "Likely refactor mistakes:");
    for (const f of report.findings) {
      out.push(`  ${f.severity === "error" ? "ERROR" : "WARNING"}: ${f.message}`);
      if (f.suggestion) out.push(`    fix: ${f.suggestion}`);
    }
  }
  if (report.engineErrors.length > 0) {
    out.push(
      "",
      "The preview reported errors (the plan may be incomplete):",
      ...report.engineErrors.map((e) => `  ${e.replace(/\n/g, "\n  ")}`),
    );
  }
  if (report.notes.length > 0) out.push("", "Notes:", ...report.notes.map((n) => `  - ${n}`));
  out.push("", summaryText(report));
  return `${out.join("\n")}\n`;
}

// Markdown rendering, fit for a pull-request comment.

/** Hidden marker opening every comment, so CI jobs can find and update their previous one. */
export const MARKDOWN_MARKER = "<!-- cvm-image-preflight -->";

const STATUS_ICON: Record<ImageStatus, string> = {
  delete: "🗑️",
  blocked: "⛔",
  wait: "⏳",
  gone: "✅",
  kept: "🔒",
  unassessable: "❓",
};

const VERDICT_ICON: Record<Verdict, string> = { clear: "✅", deletes: "🗑️", blocked: "⛔" };

/** Escapes text for a Markdown table cell or paragraph. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|#])/g, "\\$1").replace(/\n/g, " ");
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/**
 * Renders a sentence for a list item or paragraph: its `code spans` (commands, options, aliases)
 * stay code, everything else is escaped. A backtick without a partner is escaped too.
 */
export function inlineMarkdown(text: string): string {
  return text
    .replace(/\n/g, " ")
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? part : escapeMarkdown(part)))
    .join("");
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Renders the report as Markdown. */
export function formatMarkdown(report: PreflightReport): string {
  const out: string[] = [
    MARKDOWN_MARKER,
    `### ${VERDICT_ICON[report.verdict]} CVM image deletion preflight: ${VERDICT_TITLE[report.verdict]}`,
    "",
    `${escapeMarkdown(capitalize(VERDICT_TEXT[report.verdict]))}. ${escapeMarkdown(summaryText(report))}. Source: ` +
      `${escapeMarkdown(sourceText(report))}.`,
  ];
  if (report.images.length > 0) {
    out.push("", "| Resource | Change | Image | Region | Outcome | Shares | In use |", "|---|---|---|---|---|---|---|");
    for (const i of report.images) {
      const image = [i.imageId ? code(i.imageId) : "?", i.imageName ? escapeMarkdown(i.imageName) : ""]
        .filter(Boolean)
        .join(" ");
      out.push(
        `| ${code(i.name)} | ${escapeMarkdown(changeText(i))} | ${image} | ${escapeMarkdown(i.region ?? "-")} | ` +
          `${STATUS_ICON[i.status]} ${STATUS_MEANING[i.status]} | ${allShares(i).length} | ${inUseCount(i)} |`,
      );
    }
    for (const i of report.images) {
      const lines = detailLines(i);
      if (lines.length === 0) continue;
      out.push(
        "",
        `**${code(i.name)}** ${STATUS_ICON[i.status]} ${STATUS_MEANING[i.status]}`,
        ...lines.map((l) => `- ${inlineMarkdown(l)}`),
      );
    }
  }
  for (const r of report.retentions ?? []) {
    const [head, ...lines] = retentionLines(r);
    out.push(
      "",
      `**${inlineMarkdown(head!)}**`,
      "",
      ...lines.map((l) => `- ${inlineMarkdown(l.replace(/^ {2}- /, ""))}`),
    );
  }
  if (report.findings.length > 0) {
    out.push("", "#### Likely refactor mistakes");
    for (const f of report.findings) {
      out.push(`- ${f.severity === "error" ? "⛔" : "⚠️"} ${inlineMarkdown(f.message)}`);
      if (f.suggestion) out.push(`  - Fix: ${inlineMarkdown(f.suggestion)}`);
    }
  }
  if (report.engineErrors.length > 0) {
    out.push(
      "",
      "#### The preview reported errors",
      "",
      "```text",
      ...report.engineErrors.map((e) => e.replace(/```/g, "'''")),
      "```",
    );
  }
  // Blank lines around the notes make them Markdown inside the HTML element (else they would be raw HTML).
  if (report.notes.length > 0)
    out.push("", "<sub>", "", ...report.notes.map((n) => `Note: ${inlineMarkdown(n)}<br>`), "", "</sub>");
  return `${out.join("\n")}\n`;
}

// JSON rendering, for machines.

/** Renders the report as indented JSON (schema: {@link PreflightReport}, `schemaVersion` 1). */
export function formatJson(report: PreflightReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
