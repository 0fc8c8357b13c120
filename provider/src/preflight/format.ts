/**
 * Picks a formatter by name (pure).
 */
import { formatJson } from "./format-json";
import { formatMarkdown } from "./format-markdown";
import { formatTable } from "./format-table";
import type { PreflightReport } from "./report";

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
