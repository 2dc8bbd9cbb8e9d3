/**
 * Bounds on text input that the CLI and `loadFleetInventory` read: its size, and how far YAML
 * aliases expand. No parser here: the callers bring their own.
 */

/**
 * Largest input read (a file, stdin, or the text given to `loadFleetInventory`): 16 MiB, far above
 * any real registry Config, Secret, claims or fleet inventory.
 */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** Most values an input may expand to through aliases (`*a`), counted as if copied. */
export const MAX_EXPANDED_VALUES = 5_000_000;

/** @internal The problem with the input's size, or undefined. */
export function inputSizeProblem(text: string, what: string): string | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > MAX_INPUT_BYTES ? `${what} is ${(bytes / 1048576).toFixed(0)} MiB; the limit is ${MAX_INPUT_BYTES / 1048576} MiB` : undefined;
}

/**
 * @internal Counts values as if every alias were copied, memoized by object identity (linear in the
 * distinct values); the problem when they exceed {@link MAX_EXPANDED_VALUES} (an alias bomb), or
 * undefined.
 */
export function expansionProblem(value: unknown, what: string): string | undefined {
  const sizes = new Map<object, number>();
  const size = (v: unknown): number => {
    if (typeof v !== 'object' || v === null) return 1;
    const known = sizes.get(v);
    if (known !== undefined) return known;
    sizes.set(v, Infinity); // a cycle expands without end
    let n = 1;
    for (const x of Object.values(v)) {
      n += size(x);
      if (n > MAX_EXPANDED_VALUES) break;
    }
    sizes.set(v, n);
    return n;
  };
  return size(value) > MAX_EXPANDED_VALUES ? `${what} expands through aliases to more than ${MAX_EXPANDED_VALUES} values (an alias bomb?)` : undefined;
}
