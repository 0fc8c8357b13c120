/**
 * JSON rendering of a preflight report, for machines (pure).
 */
import type { PreflightReport } from "./report";

/** Renders the report as indented JSON (schema: {@link PreflightReport}, `schemaVersion` 1). */
export function formatJson(report: PreflightReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
