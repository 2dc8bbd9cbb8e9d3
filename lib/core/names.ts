/**
 * Deterministic, stack-unique names for storage the library creates without a name from the user.
 * A hash keeps them stable across runs (snapshots, `pulumi preview`) and distinct between stacks.
 */
import { createHash } from 'crypto';

/** The first `length` hex digits of SHA-256 of `seed`. */
export function shortHash(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}
