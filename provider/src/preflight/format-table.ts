/**
 * Terminal rendering of a preflight report: an aligned table plus details (pure).
 */
import {
  allShares,
  changeText,
  detailLines,
  inUseCount,
  sourceText,
  STATUS_LABEL,
  summaryText,
  VERDICT_TEXT,
  VERDICT_TITLE,
} from "./describe";
import type { PreflightReport } from "./report";

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
