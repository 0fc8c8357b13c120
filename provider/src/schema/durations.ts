/**
 * Duration strings such as "90s", "10m", "1h30m" or "500ms" (Go-style, as Pulumi's customTimeouts use).
 * Pure: no I/O.
 */

/** The units of a duration, in ms; an age also takes days. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const AGE_UNIT_MS: Record<string, number> = { ...UNIT_MS, d: 86_400_000 };

/** The whole-text and per-part patterns of a duration written in `units` (longest unit names first). */
function grammar(units: Record<string, number>): { whole: RegExp; part: RegExp } {
  const names = Object.keys(units)
    .sort((a, b) => b.length - a.length)
    .join("|");
  return {
    whole: new RegExp(`^(?:\\d+(?:\\.\\d+)?(?:${names}))+$`),
    part: new RegExp(`(\\d+(?:\\.\\d+)?)(${names})`, "g"),
  };
}
const DURATION = grammar(UNIT_MS);
const AGE = grammar(AGE_UNIT_MS);

/** Whole milliseconds of `text` in `units`; undefined when it is not written so, or rounds to zero. */
function parseIn(text: string, units: Record<string, number>, g: { whole: RegExp; part: RegExp }): number | undefined {
  const s = text.trim();
  if (!g.whole.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(g.part)) total += Number(m[1]) * units[m[2]!]!;
  const ms = Math.round(total);
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

/** Whether `text` is written as a duration ("90s", "1h30m", "0.5ms"), whatever its length. */
export function isDurationText(text: string): boolean {
  return DURATION.whole.test(text.trim());
}

/**
 * Parses a duration string into whole milliseconds; undefined when it is not a duration, or when it
 * rounds to zero ("0.4ms"): a zero timeout would fail every wait at once.
 */
export function parseDuration(text: string): number | undefined {
  return parseIn(text, UNIT_MS, DURATION);
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

/**
 * Parses an age or dwell such as "14d", "7d12h" or "90s" (the durations above, plus days) into whole
 * milliseconds; undefined when it is not one or rounds to zero.
 */
export function parseAge(text: string): number | undefined {
  return parseIn(text, AGE_UNIT_MS, AGE);
}
