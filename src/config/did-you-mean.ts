/**
 * "Did you mean …?" for misspelt keys, enum values, job names and timezones. Uses the optimal
 * string alignment distance (Levenshtein plus adjacent swaps), because the usual typos are a
 * dropped, doubled or swapped letter: `shedule`, `max_retires`, `timzone`.
 */

export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i < rows; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The closest candidate, or undefined when none is close enough to be a plausible typo: at
 * most 2 edits, and fewer than half the word's letters (so `on` never suggests `tz`).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const dist = editDistance(w, c.toLowerCase());
    if (dist < bestDist) {
      best = c;
      bestDist = dist;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(2, Math.floor(Math.max(w.length, 1) / 2));
  if (bestDist === 0) return best; // differs only in case
  return bestDist <= limit ? best : undefined;
}

/** `did you mean \`schedule\`?`, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const guess = closest(word, candidates);
  return guess === undefined ? undefined : `did you mean \`${guess}\`?`;
}
