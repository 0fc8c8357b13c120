/**
 * Markdown rendering of a preflight report, fit for a pull-request comment (pure).
 */
import {
  allShares,
  changeText,
  detailLines,
  inUseCount,
  sourceText,
  STATUS_MEANING,
  summaryText,
  VERDICT_TEXT,
  VERDICT_TITLE,
} from "./describe";
import type { ImageStatus, PreflightReport, Verdict } from "./report";

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
    `${escapeMarkdown(capitalize(VERDICT_TEXT[report.verdict]))}. ${escapeMarkdown(summaryText(report))}. Source: ${escapeMarkdown(sourceText(report))}.`,
  ];
  if (report.images.length > 0) {
    out.push("", "| Resource | Change | Image | Region | Outcome | Shares | In use |", "|---|---|---|---|---|---|---|");
    for (const i of report.images) {
      const image = [i.imageId ? code(i.imageId) : "?", i.imageName ? escapeMarkdown(i.imageName) : ""]
        .filter(Boolean)
        .join(" ");
      out.push(
        `| ${code(i.name)} | ${escapeMarkdown(changeText(i))} | ${image} | ${escapeMarkdown(i.region ?? "-")} | ${STATUS_ICON[i.status]} ${STATUS_MEANING[i.status]} | ${allShares(i).length} | ${inUseCount(i)} |`,
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
