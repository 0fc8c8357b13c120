/**
 * Duration strings such as "90s", "10m", "1h30m" or "500ms" (Go-style, as Pulumi's customTimeouts use).
 * Pure: no I/O.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Whether `text` is written as a duration ("90s", "1h30m", "0.5ms"), whatever its length. */
export function isDurationText(text: string): boolean {
  return DURATION_RE.test(text.trim());
}

/**
 * Parses a duration string into whole milliseconds; undefined when it is not a duration, or when it
 * rounds to zero ("0.4ms"): a zero timeout would fail every wait at once.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!DURATION_RE.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(PART_RE)) total += Number(m[1]) * UNIT_MS[m[2]];
  const ms = Math.round(total);
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
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

const AGE_UNIT_MS: Record<string, number> = { ...UNIT_MS, d: 86_400_000 };
const AGE_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const AGE_PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/**
 * Parses an age or dwell such as "14d", "7d12h" or "90s" (the durations above, plus days) into whole
 * milliseconds; undefined when it is not one or rounds to zero.
 */
export function parseAge(text: string): number | undefined {
  const s = text.trim();
  if (!AGE_RE.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(AGE_PART_RE)) total += Number(m[1]) * AGE_UNIT_MS[m[2]];
  const ms = Math.round(total);
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}
