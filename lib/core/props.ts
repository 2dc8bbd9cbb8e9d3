/**
 * Props checks every planner uses: the plain-data copy of props (names, shapes, bounds), and the
 * typed readers of single props (strings, booleans, objects, URLs, Kubernetes names).
 */
import { imagePrunerObject } from './image-pruner';
import { HardPruneOptions, INFRASTRUCTURE_TOPOLOGIES, RegistryCommonProps } from './model';
import { closest } from './names';
import { clip, DEFERRED, Problems, RegistryStorageValidationError, show } from './problems';
import { openshiftRelease } from './releases';

const INT32_MAX = 2147483647;

// ---------------------------------------------------------------------------------------------
// Shared rule helpers (internal)
// ---------------------------------------------------------------------------------------------

/** @internal A value, or undefined when absent or not known yet. */
export function known<T>(v: T | typeof DEFERRED | undefined | null): T | undefined {
  return v === DEFERRED || v === null ? undefined : v;
}

/** @internal True when a value holds a value not known yet (a Pulumi Output) anywhere. */
export function hasDeferred(v: unknown): boolean {
  if (v === DEFERRED) return true;
  return typeof v === 'object' && v !== null && Object.values(v).some(hasDeferred);
}

/** @internal True when the prop was given, known or not. */
export function given(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/**
 * @internal Removes `undefined` and `null` members, recursively, so outputs are stable and
 * YAML-clean. A `null` from a JavaScript or YAML caller means "not given"; sent in a server-side
 * apply or merge patch it would mean "delete this field".
 */
export function compact<T>(v: T): T {
  if (Array.isArray(v)) return v.map(compact) as any;
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined && x !== null) out[k] = compact(x);
  }
  return out as T;
}

/**
 * @internal Whether two plain-data values (JSON: objects, arrays, strings, numbers, booleans, null)
 * are equal, key order aside. Anything else is equal only to itself.
 */
export function samePlainData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((x, i) => samePlainData(x, other[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && samePlainData((a as any)[k], (b as any)[k]));
}

/** @internal Checks the common props. */
export function checkCommon(props: RegistryCommonProps, problems: Problems): void {
  const replicas = known(props.replicas as any) as unknown;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1 || replicas > INT32_MAX)) {
    problems.add('replicas', `must be a whole number from 1 to ${INT32_MAX} (the CRD's int32), got ${show(replicas)}`, 'ORS-PROPS-001');
  }
  const topology = known(props.infrastructureTopology as any) as unknown;
  if (topology !== undefined && !(INFRASTRUCTURE_TOPOLOGIES as readonly unknown[]).includes(topology)) {
    problems.add('infrastructureTopology', `must be one of ${INFRASTRUCTURE_TOPOLOGIES.join(', ')} (the Infrastructure's status.infrastructureTopology), got ${show(topology)}`, 'ORS-PROPS-002');
  }
  const rollout = known(props.rolloutStrategy as any) as unknown;
  if (rollout !== undefined && rollout !== 'RollingUpdate' && rollout !== 'Recreate') {
    problems.add('rolloutStrategy', `must be "RollingUpdate" or "Recreate", got ${show(rollout)}`, 'ORS-PROPS-003');
  }
  const state = known(props.managementState as any) as unknown;
  if (state !== undefined && state !== 'Managed' && state !== 'Unmanaged') {
    problems.add('managementState', `must be "Managed" or "Unmanaged", got ${show(state)}`
      + (state === 'Removed' ? ': Removed makes the operator delete the registry and its Managed storage; do that with oc, deliberately' : ''), 'ORS-PROPS-004');
  }
  optionalBoolean(problems, 'disableRedirect', props.disableRedirect);
  const storage = known(props.storageManagementState as any) as unknown;
  if (storage !== undefined && storage !== 'Managed' && storage !== 'Unmanaged') {
    problems.add('storageManagementState', `must be "Managed" or "Unmanaged", got ${show(storage)}`, 'ORS-PROPS-005');
  }
  problems.acknowledge(acknowledgedWarnings(props.acknowledgeWarnings, problems));
  const version = known(props.openshiftVersion as any) as unknown;
  const target = openshiftRelease(version ?? undefined);
  if (target.problem !== undefined) problems.add('openshiftVersion', target.problem, 'ORS-PROPS-030');
  else problems.openshiftVersion = target.release;
  const pruner = known(props.imagePruner as any) as unknown;
  if (pruner !== undefined && !hasDeferred(pruner)) problems.imagePruner = imagePrunerObject(problems, pruner);
  problems.adoptRequested = known(props.adopt as any) !== undefined ? 'adopt' : known(props.infrastructureName as any) !== undefined ? 'infrastructureName' : undefined;
  const prune = known(props.hardPrune as any) as unknown;
  if (prune !== undefined) {
    if (typeof prune !== 'object' || Array.isArray(prune)) problems.add('hardPrune', `must be an object of options ({} runs it once), got ${show(prune)}`, 'ORS-PROPS-034');
    else problems.hardPrune = prune as Readonly<Record<string, unknown>>;
  }
  const from = known(props.migrateFrom as any) as unknown;
  const migration = known(props.migration as any) as unknown;
  if (from !== undefined && (typeof from !== 'object' || Array.isArray(from))) {
    problems.add('migrateFrom', `must be the Config's spec.storage as it is now, such as { pvc: { claim: 'image-registry-storage' } }, got ${show(from)}`, 'ORS-PROPS-031');
  } else if (migration !== undefined && (typeof migration !== 'object' || Array.isArray(migration))) {
    problems.add('migration', `must be an object of options, got ${show(migration)}`, 'ORS-PROPS-032');
  } else if (from === undefined && migration !== undefined) {
    problems.add('migration', 'says how to move the images, but migrateFrom does not say from where: add migrateFrom, or remove migration', 'ORS-PROPS-033');
  } else if (from !== undefined) {
    problems.migrateFrom = { storage: from as Record<string, unknown>, options: (migration ?? {}) as Readonly<Record<string, unknown>> };
  }
}

/**
 * @internal The warning codes of `acknowledgeWarnings`, each checked: a list of strings, each a
 * warning code the library raises. What is wrong is added to `problems`.
 */
export function acknowledgedWarnings(value: unknown, problems: Problems, path = 'acknowledgeWarnings'): string[] {
  const codes = known(value as any) as unknown;
  if (codes === undefined) return [];
  if (!Array.isArray(codes)) {
    problems.add(path, `must be a list of warning codes such as ["ORS-PVC-W001"], got ${show(codes)}`, 'ORS-PROPS-027');
    return [];
  }
  const accepted: string[] = [];
  // loaded only when warnings are acknowledged: importing the library stays cheap
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PROBLEM_CODES } = require('./problem-codes') as typeof import('./problem-codes');
  codes.forEach((code: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof code !== 'string') {
      problems.add(at, `must be a warning code such as "ORS-PVC-W001", got ${show(code)}`, 'ORS-PROPS-027');
    } else if (PROBLEM_CODES[code] === 'error') {
      problems.add(at, `${show(code)} is an error, not a warning: errors cannot be acknowledged; fix what it names (docs/problem-codes.md)`, 'ORS-PROPS-028');
    } else if (PROBLEM_CODES[code] !== 'warning') {
      const near = code.length <= 40 ? closest(code, Object.keys(PROBLEM_CODES).filter((c) => PROBLEM_CODES[c] === 'warning')) : undefined;
      problems.add(at, `${show(code)} is not a warning code the library raises${near ? `: did you mean "${near}"?` : ''} (docs/problem-codes.md lists them)`, 'ORS-PROPS-029');
    } else {
      accepted.push(code);
    }
  });
  return accepted;
}

/**
 * The prop names a props type has, each `true`, or, for an object prop whose fields the library
 * checks itself, the names of those fields. Typed so that a props interface and its list cannot
 * drift: a missing or extra name fails compilation.
 */
export type PropNames<T> = {
  readonly [K in keyof Required<T>]-?: NonNullable<T[K]> extends string | number | boolean | readonly unknown[]
    ? true : true | PropNames<NonNullable<T[K]>>;
};

/** @internal The names of {@link HardPruneOptions}. */
export const HARD_PRUNE_OPTION_NAMES: PropNames<HardPruneOptions> = { schedule: true, cliImage: true, namespace: true, deadlineSeconds: true };

/** @internal The names of {@link RegistryCommonProps}, which every storage's list spreads. */
export const COMMON_PROP_NAMES: PropNames<RegistryCommonProps> = {
  replicas: true,
  infrastructureTopology: true,
  rolloutStrategy: true,
  disableRedirect: true,
  managementState: true,
  storageManagementState: true,
  acknowledgeWarnings: true,
  openshiftVersion: true,
  imagePruner: true,
  adopt: true,
  infrastructureName: true,
  hardPrune: HARD_PRUNE_OPTION_NAMES,
  migrateFrom: true,
  migration: {
    fromKeys: true,
    toKeys: true,
    copierImage: true,
    cliImage: true,
    namespace: true,
    sourceKeysSecret: true,
    destinationKeysSecret: true,
    copyDeadlineSeconds: true,
    finalDeadlineSeconds: true,
  },
};

/** Deeper than this, props are refused: no props type nests more than a few levels. */
const MAX_PROPS_DEPTH = 32;
/** More values than this, props are refused (a shared object counts each time it is reached). */
const MAX_PROPS_VALUES = 10_000;

/**
 * @internal Checks what JavaScript and YAML callers can hand in that TypeScript would refuse, before
 * any rule reads the props, and returns a plain-data copy that every later rule reads:
 * - props that are not an object (`42`, `[]`, `null`, a class instance);
 * - prop names the props type does not have (`bukcet`), naming the closest one: a misspelt
 *   `bucket` would otherwise leave the bucket to the operator, which creates one of its own;
 * - anywhere inside, cyclic values, BigInts, functions, symbols and objects that are not plain data
 *   (Pulumi's not-yet-known values excepted);
 * - values that cannot be read at all (a Proxy whose traps throw, a getter that throws), nesting
 *   deeper than 32 levels, or more than 10,000 values (a shared object counts each time).
 *
 * Throws at once, naming every such prop: no later rule could read them safely.
 */
export function checkPropsShape<T>(what: string, props: T, names?: PropNames<any>, options: PropsShapeOptions = {}): T {
  const problems = new Problems();
  let copy: unknown;
  try {
    copy = readPlainProps(props, names, problems, options.leaf, options.maxValues ?? MAX_PROPS_VALUES);
  } catch (e) {
    const reason = e instanceof RangeError ? 'nested too deeply for the stack' : 'reading it threw';
    throw new RegistryStorageValidationError(what, [{ path: '(props)', message: `must be plain data: ${reason} (${clip(errorText(e))})`, code: 'ORS-PROPS-006' }]);
  }
  problems.throwIfAny(what);
  return copy as T;
}

function errorText(e: unknown): string {
  try {
    return e instanceof Error ? String(e.message) : typeof e;
  } catch {
    return 'an unreadable error';
  }
}

/** @internal Options of {@link checkPropsShape}. */
export interface PropsShapeOptions {
  /**
   * Objects kept as they are, neither copied nor looked into: a flavour's own values (Pulumi
   * Outputs, Promises, Resources), which its own checks read.
   */
  readonly leaf?: (v: object) => boolean;
  /** Most values the props may hold (a shared object counts each time). @default 10,000 */
  readonly maxValues?: number;
}

/** @internal See {@link checkPropsShape}: the copy, with every problem added to `problems`. */
function readPlainProps(props: unknown, names: PropNames<any> | undefined, problems: Problems, leaf: ((v: object) => boolean) | undefined,
  maxValues: number): unknown {
  if (typeof props === 'object' && props !== null && leaf?.(props)) return props;
  if (typeof props !== 'object' || props === null || Array.isArray(props) || !isPlainObject(props)) {
    problems.add('(props)', `must be an object of props, got ${describe(props)}${typeof props === 'object' && props !== null && !Array.isArray(props)
      ? ': pass an object literal, e.g. { ...props }' : ''}`, 'ORS-PROPS-007');
    return undefined;
  }
  let count = 0;
  let tooMany = false;
  const stack = new Set<object>();
  const walk = (v: unknown, path: string, depth: number, shape: PropNames<any> | true | undefined): unknown => {
    if (v === DEFERRED || v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (++count > maxValues) {
      if (!tooMany) problems.add(path || '(props)', `must hold at most ${maxValues} values (shared objects count each time they are reached)`, 'ORS-PROPS-008');
      tooMany = true;
      return undefined;
    }
    if (typeof v === 'bigint') {
      problems.add(path, `must be a number or a string, not a BigInt (${clip(String(v))}n)`, 'ORS-PROPS-009');
      return undefined;
    }
    if (typeof v !== 'object') {
      problems.add(path, `must be plain data, got ${show(v)}`, 'ORS-PROPS-010');
      return undefined;
    }
    if (depth > MAX_PROPS_DEPTH) {
      problems.add(path, `must nest at most ${MAX_PROPS_DEPTH} levels deep`, 'ORS-PROPS-011');
      return undefined;
    }
    if (stack.has(v)) {
      problems.add(path, 'must not contain itself (a cyclic value)', 'ORS-PROPS-012');
      return undefined;
    }
    if (leaf?.(v)) return v;
    if (!Array.isArray(v) && !isPlainObject(v)) {
      problems.add(path, `must be plain data (an object literal), got ${describe(v)}: pass a copy, e.g. { ...value }`, 'ORS-PROPS-013');
      return undefined;
    }
    stack.add(v);
    const at = (k: string) => (path ? `${path}.${k}` : k);
    let out: unknown;
    if (Array.isArray(v)) {
      // Every element counts, primitives too: `new Array(2 ** 32 - 1)` costs nothing to make.
      if (v.length > maxValues - count) {
        if (!tooMany) problems.add(path || '(props)', `must hold at most ${maxValues} values (shared objects count each time they are reached), got a list of ${v.length}`, 'ORS-PROPS-014');
        tooMany = true;
        stack.delete(v);
        return undefined;
      }
      count += v.length;
      out = Array.from({ length: v.length }, (_, i) => walk(v[i], `${path}[${i}]`, depth + 1, true));
    } else {
      const fields = typeof shape === 'object' ? shape : undefined;
      const entries: Array<[string, unknown]> = [];
      for (const k of Object.keys(v)) {
        if (fields && !Object.prototype.hasOwnProperty.call(fields, k)) {
          if (problems.full) {
            problems.skip(); // counted, not spelt out: no "did you mean" for the 51st misspelt prop
            continue;
          }
          const guess = closest(k, Object.keys(fields));
          if (path.startsWith('credentials') && !guess) {
            // A key's name may be the key itself, pasted in the wrong place: never repeat it. A name
            // within three letters of a field's (keyFile) is a typo, not a credential.
            problems.add(path, `has a field that is not one of ${Object.keys(fields).join(', ')} (its name is not repeated: it may be a credential)`, 'ORS-PROPS-015');
            continue;
          }
          problems.add(at(clip(k, 60)), `is not a prop${path ? ` of ${path}` : ''}${guess ? `: did you mean "${guess}"?` : '.'}`
            + ` Known: ${Object.keys(fields).join(', ')}`, 'ORS-PROPS-016');
          continue;
        }
        entries.push([k, walk((v as Record<string, unknown>)[k], at(k), depth + 1, fields ? fields[k] : true)]);
      }
      out = Object.fromEntries(entries);
    }
    stack.delete(v);
    return out;
  };
  return walk(props, '', 0, names ?? true);
}

/**
 * An object literal, `Object.create(null)`, or either from another realm (a vm context, jest's, an
 * iframe's `structuredClone`): its prototype is an `Object.prototype`, whose own prototype is null.
 */
function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype || (Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(v) === '[object Object]'
    && typeof proto.hasOwnProperty === 'function' && Object.hasOwn(proto, 'isPrototypeOf'));
}

/** A value's kind, for messages about values that are not plain data. */
function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v !== 'object' || v === null) return show(v);
  const name = Object.getPrototypeOf(v)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${clip(name, 40)}` : 'an object that is not plain data';
}

/**
 * @internal Control characters (newline, tab, ...) have no place in a name, region or URL.
 * Credentials are opaque and exempt: a key file is JSON text over many lines.
 */
function controlCharacterProblem(problems: Problems, path: string, v: string): boolean {
  if (!path.startsWith('credentials') && /[\u0000-\u001f\u007f]/.test(v)) {
    problems.add(path, `must not contain control characters such as a newline or a tab, got ${show(v)}`, 'ORS-PROPS-017');
    return true;
  }
  return false;
}

/** @internal A value as a message may show it: credentials are described, never repeated. */
function shown(path: string, v: unknown): string {
  if (!path.startsWith('credentials')) return show(v);
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`;
}

/** @internal Checks a required, non-empty string prop; returns it when known. */
export function requireString(problems: Problems, path: string, v: unknown, why: string): string | undefined {
  if (v === DEFERRED) return undefined;
  if (typeof v !== 'string' || v.length === 0) {
    problems.add(path, `is required ${why}${v === undefined || v === '' ? '' : `, and must be a string (got ${shown(path, v)})`}`, 'ORS-PROPS-018');
    return undefined;
  }
  return controlCharacterProblem(problems, path, v) ? undefined : v;
}

/**
 * @internal Checks an optional string prop's type; returns it when known. `null` counts as not
 * given (YAML's `key:` with no value). The empty string is refused unless `allowEmpty` (it would
 * reach the Config as a value): leave the prop out instead.
 */
export function optionalString(problems: Problems, path: string, v: unknown, allowEmpty = false): string | undefined {
  if (v === undefined || v === null || v === DEFERRED) return undefined;
  if (typeof v !== 'string') {
    problems.add(path, `must be a string, got ${shown(path, v)}`, 'ORS-PROPS-019');
    return undefined;
  }
  if (v === '' && !allowEmpty) {
    problems.add(path, 'must not be empty: leave it out to use the default', 'ORS-PROPS-020');
    return undefined;
  }
  return controlCharacterProblem(problems, path, v) ? undefined : v;
}

/** @internal Checks an optional boolean prop; returns it when known. `null` counts as not given. */
export function optionalBoolean(problems: Problems, path: string, v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === DEFERRED) return undefined;
  if (typeof v !== 'boolean') {
    problems.add(path, `must be true or false, got ${show(v)}`, 'ORS-PROPS-021');
    return undefined;
  }
  return v;
}

/**
 * @internal Checks an optional object prop (`cloudFront`, `credentials`, `cinder`, ...); returns it
 * when it is one. `null` counts as not given.
 */
export function optionalObject<T>(problems: Problems, path: string, v: T | null | undefined): T | undefined {
  if (v === undefined || v === null) return undefined;
  if ((v as unknown) === DEFERRED) return v;
  if (typeof v !== 'object' || Array.isArray(v)) {
    problems.add(path, `must be an object, got ${show(v)}`, 'ORS-PROPS-022');
    return undefined;
  }
  return v;
}

/**
 * @internal Checks a Kubernetes object name (DNS subdomain: at most 253 lowercase letters, digits,
 * '-' and '.', starting and ending with a letter or digit), as the API server does for claims,
 * StorageClasses, ConfigMaps and Secrets.
 */
export function kubernetesName(problems: Problems, path: string, v: string | undefined, what: string): void {
  if (v === undefined) return;
  if (v.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(v)) {
    problems.add(path, `must name ${what}: at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, got ${show(v)}`, 'ORS-PROPS-023');
  }
}

/** @internal Parses an http(s) URL; reports and returns undefined when it is not one. */
export function httpUrl(problems: Problems, path: string, v: string, example: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    problems.add(path, `must be a URL with a scheme, like "${example}", got ${show(v)}`, 'ORS-PROPS-024');
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.add(path, `must be an http:// or https:// URL, like "${example}", got ${show(v)}`
      + (/^[a-z0-9.-]+:\d+$/i.test(v) ? ' (host:port without a scheme is read as a scheme)' : ''), 'ORS-PROPS-025');
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    // The URL lands in the Config's spec, which is not secret: never repeat the credential.
    problems.add(path, `must not carry user information ("user:password@"): the Config is not secret. Put credentials in the credentials prop, like "${example}"`, 'ORS-PROPS-026');
    return undefined;
  }
  return url;
}
