/** Options of {@link suggestClosest}. */
export interface SuggestClosestOptions {
  /** Largest edit distance still worth suggesting; default grows with the name (1 per 3 chars, at least 1). */
  maxDistance?: number;
}

/**
 * The candidate closest to `name` (case-insensitive optimal-string-alignment distance: insert,
 * delete, substitute, swap two neighbours), or undefined when none is close enough. An exact
 * match ignoring case wins; ties go to the earlier candidate.
 */
export function suggestClosest(
  name: string,
  candidates: Iterable<string>,
  options: SuggestClosestOptions = {},
): string | undefined {
  const target = name.toLowerCase();
  const limit = options.maxDistance ?? Math.max(1, Math.floor(target.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (Math.abs(lower.length - target.length) > Math.min(limit, bestDistance)) continue;
    const distance = measureEditDistance(target, lower);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      if (distance === 0) break;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
export function measureEditDistance(a: string, b: string): number {
  const width = b.length + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: width }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (beforePrevious[j - 2] as number) + 1);
      }
      current.push(value);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] as number;
}
