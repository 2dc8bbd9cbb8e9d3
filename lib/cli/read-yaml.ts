/**
 * Reading YAML and JSON input for the CLI, linear in its size. js-yaml loads a 50 MB document in
 * seconds (the `yaml` package's unique-key check is quadratic on large maps) and refuses duplicate
 * keys; what it does not bound, this module does: the input's size, and how far aliases expand.
 */
import { CORE_SCHEMA, DEFAULT_SCHEMA, load, loadAll, Schema } from 'js-yaml';

/**
 * Largest input the CLI reads (a file, or stdin): 16 MiB, far above any real registry Config, Secret,
 * claims or fleet inventory. Files are refused above it before they are read, stdin is cut there.
 */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** Most values an input may expand to through aliases (`*a`), counted as if copied. */
export const MAX_EXPANDED_VALUES = 5_000_000;

/** An input that cannot be read: the message is one line naming `what`. */
export class YamlInputError extends Error {}

function check(text: string, what: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_INPUT_BYTES) {
    throw new YamlInputError(`${what} is ${(bytes / 1048576).toFixed(0)} MiB; the limit is ${MAX_INPUT_BYTES / 1048576} MiB`);
  }
}

/**
 * Counts values as if every alias were copied, memoized by object identity (linear in the distinct
 * values), and refuses inputs that expand beyond {@link MAX_EXPANDED_VALUES} (an alias bomb).
 */
function checkExpansion(value: unknown, what: string): void {
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
  if (size(value) > MAX_EXPANDED_VALUES) {
    throw new YamlInputError(`${what} expands through aliases to more than ${MAX_EXPANDED_VALUES} values (an alias bomb?)`);
  }
}

function reason(e: unknown): string {
  const err = e as { reason?: string; mark?: { line: number; column: number }; message?: string };
  return err.reason ? `${err.reason}${err.mark ? ` (line ${err.mark.line + 1}, column ${err.mark.column + 1})` : ''}` : String(err.message).split('\n')[0];
}

function read<T>(text: string, what: string, parse: (t: string) => T): T {
  check(text, what);
  let value: T;
  try {
    value = parse(text);
  } catch (e) {
    throw new YamlInputError(`${what} is not valid YAML: ${reason(e)}`);
  }
  checkExpansion(value, what);
  return value;
}

/** Every document of a YAML or JSON stream. */
export function readYamlDocuments(text: string, what: string): unknown[] {
  return read(text, what, (t) => loadAll(t));
}

/** One YAML or JSON document; `core` reads it with js-yaml's CORE_SCHEMA (no timestamps, as the fleet inventory). */
export function readYamlDocument(text: string, what: string, options: { core?: boolean } = {}): unknown {
  const schema: Schema = options.core ? CORE_SCHEMA : DEFAULT_SCHEMA;
  return read(text, what, (t) => load(t, { schema }));
}
