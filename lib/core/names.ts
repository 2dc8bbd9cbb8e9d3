/**
 * Deterministic, stack-unique names for storage the library creates without a name from the user.
 * A hash keeps them stable across runs (snapshots, `pulumi preview`) and distinct between stacks.
 */
import { createHash } from 'crypto';

/** The first `length` hex digits of SHA-256 of `seed`. */
export function shortHash(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/**
 * The closest of `candidates` to `word` (Levenshtein distance at most 3), for "did you mean". Words
 * of more than 64 characters get none: no name is that long, and the distance is quadratic.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const cur = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
        prev = cur;
      }
    }
    return row[b.length];
  };
  const scored = candidates.map((c) => [c, distance(word, c)] as const).sort((x, y) => x[1] - y[1]);
  return scored.length > 0 && scored[0][1] <= 3 ? scored[0][0] : undefined;
}
