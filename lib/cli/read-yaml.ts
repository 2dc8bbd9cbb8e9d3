/**
 * Reading YAML and JSON input for the CLI, linear in its size. js-yaml loads a 50 MB document in
 * seconds (the `yaml` package's unique-key check is quadratic on large maps) and refuses duplicate
 * keys; what it does not bound, this module does: the input's size, and how far aliases expand.
 */
import { CORE_SCHEMA, DEFAULT_SCHEMA, load, loadAll, Schema } from 'js-yaml';
import { expansionProblem, inputSizeProblem } from '../core/bounded-input';

export { MAX_EXPANDED_VALUES, MAX_INPUT_BYTES } from '../core/bounded-input';

/** An input that cannot be read: the message is one line naming `what`. */
export class YamlInputError extends Error {}

function check(text: string, what: string): void {
  const problem = inputSizeProblem(text, what);
  if (problem) throw new YamlInputError(problem);
}

function checkExpansion(value: unknown, what: string): void {
  const problem = expansionProblem(value, what);
  if (problem) throw new YamlInputError(problem);
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
