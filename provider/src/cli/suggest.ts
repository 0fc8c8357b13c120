/**
 * "Did you mean …?" for mistyped command and option names (pure).
 */

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions each cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `input` (case-insensitive), if it is close enough to be a typo:
 * at most one edit per three characters of the candidate, and at least one allowed.
 * Ties go to the earlier candidate. Returns undefined when nothing is close.
 */
export function suggestName(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(typed, name.toLowerCase());
    if (distance === 0) return name;
    const allowed = Math.max(1, Math.floor(name.length / 3));
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/**
 * The usage error for an unknown name, with the closest candidate if any:
 * `unknown option: --prot (did you mean --port?)`.
 */
export function unknownName(kind: "command" | "option", typed: string, candidates: readonly string[]): string {
  const near = suggestName(typed, candidates);
  return `unknown ${kind}: ${typed}${near === undefined ? "" : ` (did you mean ${near}?)`}`;
}
