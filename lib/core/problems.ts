import type { KubernetesManifest } from './model';
/**
 * One thing wrong with a registry configuration or with a construct's props.
 */
export interface RegistryConfigProblem {
  /**
   * Where the problem is: a dotted path into the Config (`spec.storage.s3.chunkSizeMiB`) for
   * {@link validateRegistryConfig}, or the prop name (`regionEndpoint`) for props validation.
   */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /**
   * The rule's stable code (`ORS-S3-004`): the same on every path that applies the rule, listed with
   * its message in docs/problem-codes.md. A warning's code can be acknowledged
   * ({@link RegistryCommonProps.acknowledgeWarnings}, `--acknowledge` on the CLI) to silence it.
   */
  readonly code: string;
}

/**
 * Thrown by the planning functions (and so by every construct) when props are invalid.
 * It lists every problem found, not only the first.
 */
export class RegistryStorageValidationError extends Error {
  /** Every problem found. */
  public readonly problems: readonly RegistryConfigProblem[];

  constructor(what: string, problems: readonly RegistryConfigProblem[]) {
    super(`${what}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`
      + problems.map((p) => `  - ${formatProblem(p)}`).join('\n'));
    this.name = 'RegistryStorageValidationError';
    this.problems = problems;
  }
}

/**
 * A value that is not known yet (a Pulumi Output, say). Validation skips the rules that need the
 * value and checks it again when it is known.
 */
export const DEFERRED: unique symbol = Symbol.for('openshift-registry-storage.deferred');

/** Type of {@link DEFERRED}. */
export type Deferred = typeof DEFERRED;

/**
 * @internal Collects problems, then throws them all at once. Warnings are kept apart: they name
 * setups the library advises against but the operator accepts, so they never stop a plan.
 */
export class Problems {
  /** At most this many problems are kept; the rest are counted in a last one. */
  public static readonly MAX = 50;
  private readonly list: RegistryConfigProblem[] = [];
  private readonly warningList: RegistryConfigProblem[] = [];

  private dropped = 0;

  private readonly acknowledged = new Set<string>();

  /** The OpenShift release the plan's Config is for (the common prop `openshiftVersion`, checked); unset: the default. */
  public openshiftVersion: string | undefined;
  /** The prop of the two (`adopt`, `infrastructureName`) given, `adopt` first; unset: neither. */
  public adoptRequested: 'adopt' | 'infrastructureName' | undefined;
  /** The kind's planner read `adopt` (only the kinds whose storage the operator creates do). */
  public adoptionHandled = false;
  /** The hard prune the props ask for (`hardPrune`), as given; unset: none. */
  public hardPrune: Readonly<Record<string, unknown>> | undefined;
  /** The ImagePruner the props ask for (`imagePruner`), checked; unset: none. */
  public imagePruner: KubernetesManifest | undefined;
  /** The move of the images the props ask for (`migrateFrom`, `migration`), checked as objects; unset: none. */
  public migrateFrom: { readonly storage: Readonly<Record<string, unknown>>; readonly options: Readonly<Record<string, unknown>> } | undefined;

  /** Records a problem under its rule's stable `code`. */
  public add(path: string, message: string, code: string): void {
    if (this.list.length < Problems.MAX) this.list.push({ path, message, code });
    else this.dropped++;
  }

  /**
   * True once {@link Problems.MAX} problems are kept: a caller with many more to report (100,000
   * misspelt props) counts the rest with {@link Problems.skip} instead of writing each message.
   */
  public get full(): boolean {
    return this.list.length >= Problems.MAX;
  }

  /** Counts one more problem that is not listed (see {@link Problems.full}). */
  public skip(): void {
    this.dropped++;
  }

  /** Records a warning: printed by every flavour and the CLI, never thrown, unless its code is acknowledged. */
  public warn(path: string, message: string, code: string): void {
    if (!this.acknowledged.has(code)) this.warningList.push({ path, message, code });
  }

  /** The warning codes acknowledged so far, in the order given. */
  public get acknowledgedCodes(): readonly string[] {
    return [...this.acknowledged];
  }

  /** Drops the warnings with these codes, those recorded so far and those to come. */
  public acknowledge(codes: Iterable<string>): void {
    for (const c of codes) this.acknowledged.add(c);
    const kept = this.warningList.filter((w) => !this.acknowledged.has(w.code));
    this.warningList.splice(0, this.warningList.length, ...kept);
  }

  public get all(): readonly RegistryConfigProblem[] {
    return this.dropped === 0 ? this.list : [...this.list, { path: '(more)', message: `and ${this.dropped} more problem${this.dropped === 1 ? '' : 's'}, not listed`, code: MORE_PROBLEMS_CODE }];
  }

  public get warnings(): readonly RegistryConfigProblem[] {
    return this.warningList;
  }

  public throwIfAny(what: string): void {
    if (this.list.length > 0) throw new RegistryStorageValidationError(what, this.all);
  }
}

/** A problem as every flavour and the CLI print it: `path: message [code]`. */
export function formatProblem(p: RegistryConfigProblem): string {
  return `${p.path}: ${p.message} [${p.code}]`;
}

/** @internal The code of the last problem of a list cut at {@link Problems.MAX}. */
export const MORE_PROBLEMS_CODE = 'ORS-CORE-000';

/** @internal At most this many characters of a value appear in a message. */
export const MAX_SHOWN = 200;

/** @internal `text`, cut to `max` characters with its length said when longer. */
export function clip(text: string, max = MAX_SHOWN): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

/**
 * @internal A value as error messages show it: JSON where JSON can say it, at most
 * {@link MAX_SHOWN} characters of it, and never a throw (BigInt, cyclic objects, functions,
 * symbols, and objects whose getters or `toJSON` throw are named instead). The JSON is written by a
 * walk that stops as soon as it has enough characters, so a value that shares one object many
 * times (2^24 paths in 24 levels) costs no more than a small one.
 */
export function show(v: unknown): string {
  if (typeof v === 'bigint') return `${clip(String(v))}n (a BigInt)`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return v === DEFERRED ? 'a value not known yet' : 'a symbol';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return v.length <= MAX_SHOWN ? JSON.stringify(v) : `${JSON.stringify(v.slice(0, MAX_SHOWN))}... (${v.length} characters)`;
  try {
    const out = boundedJson(v, MAX_SHOWN);
    return out.cut ? `${out.text.slice(0, MAX_SHOWN)}...` : out.text;
  } catch {
    return 'an object that cannot be shown (cyclic, or it threw when read)';
  }
}

/**
 * JSON of `v` as `JSON.stringify` writes it (no `toJSON` is called: a value's own `toJSON` may
 * throw, or lie), stopped once it is longer than `max`. Throws on a cycle or a throwing read.
 */
function boundedJson(v: unknown, max: number): { text: string; cut: boolean } {
  let text = '';
  const stack = new Set<object>();
  const STOP = {};
  const put = (s: string) => {
    text += s;
    if (text.length > max) throw STOP;
  };
  const walk = (x: unknown, inArray: boolean): void => {
    if (x === null || typeof x === 'boolean') return put(String(x));
    if (typeof x === 'number') return put(Number.isFinite(x) ? String(x) : 'null');
    if (typeof x === 'string') return put(JSON.stringify(x.length > max ? x.slice(0, max + 1) : x));
    if (typeof x !== 'object') return put(inArray ? 'null' : '');
    if (x instanceof Date) return put(Number.isNaN(x.getTime()) ? 'null' : JSON.stringify(x.toISOString()));
    if (stack.has(x)) throw new Error('cyclic');
    stack.add(x);
    if (Array.isArray(x)) {
      put('[');
      for (let i = 0; i < x.length; i++) {
        if (i > 0) put(',');
        walk(x[i], true);
      }
      put(']');
    } else {
      put('{');
      let first = true;
      for (const k of Object.keys(x)) {
        const value = (x as Record<string, unknown>)[k];
        if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
        if (!first) put(',');
        first = false;
        put(`${JSON.stringify(k.length > max ? k.slice(0, max + 1) : k)}:`);
        walk(value, false);
      }
      put('}');
    }
    stack.delete(x);
  };
  try {
    walk(v, false);
  } catch (e) {
    if (e === STOP) return { text, cut: true };
    throw e;
  }
  return { text, cut: false };
}
