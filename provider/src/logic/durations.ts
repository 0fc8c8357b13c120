/**
 * Duration strings such as "90s", "10m", "1h30m" or "500ms" (Go-style, as Pulumi's customTimeouts use).
 * Pure: no I/O.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Parses a duration string into milliseconds; returns undefined when it is not a valid, positive duration. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!DURATION_RE.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(PART_RE)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total > 0 && Number.isFinite(total) ? Math.round(total) : undefined;
}

/** Formats milliseconds as a short human duration ("2m30s", "800ms"). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s || (!h && !m) ? `${s}s` : ""}`;
}
