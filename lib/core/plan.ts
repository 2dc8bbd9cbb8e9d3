import {
  ALL_STORAGE_TYPES, REGISTRY_CONFIG_API_VERSION, REGISTRY_CONFIG_KIND, REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE,
  REGISTRY_USER_SECRET_NAME,
} from './constants';
import { closest } from './names';
import { clip, DEFERRED, Problems, RegistryConfigProblem, RegistryStorageValidationError, show } from './problems';
import { ConfigPatch, ConfigSpecPatch, validateRegistryConfigPatch } from './validate-config';

/** The storage types this library configures. */
export type RegistryStorageType = 's3' | 'gcs' | 'swift' | 'azure' | 'ibmcos' | 'pvc' | 'emptyDir';

/**
 * Props every registry storage takes. They land in the Config's `spec` next to the storage block.
 */
export interface RegistryCommonProps {
  /**
   * Number of registry pods (`spec.replicas`). Always sent: the CRD requires the field, and
   * server-side apply removes a field its manager stops sending (unless another manager owns it),
   * so a Config that sent `replicas: 1` for a ReadWriteOnce claim and later left it out for S3
   * would be refused by the API server (`spec.replicas: Required value`). Sending it every time
   * keeps the library its owner through every storage switch.
   *
   * On single-node OpenShift the default is 1, as the operator bootstraps it, once the topology is
   * known ({@link RegistryCommonProps.infrastructureTopology}; the Pulumi components read it from
   * the cluster): with exactly 2 replicas the operator adds a *required* anti-affinity on the node
   * name, which leaves one pod Pending for ever.
   *
   * @default 1 where the storage needs it (ReadWriteOnce claims, emptyDir) or the topology is
   * `SingleReplica`, otherwise {@link DEFAULT_REPLICAS} (2, what the operator bootstraps on highly
   * available clusters)
   * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/resource/podtemplatespec.go
   * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/operator/bootstrap.go
   */
  readonly replicas?: number;

  /**
   * The cluster's `infrastructures.config.openshift.io/cluster` `status.infrastructureTopology`
   * (`oc get infrastructure cluster -o jsonpath='{.status.infrastructureTopology}'`). It only picks
   * the default of `replicas`, as the operator's bootstrap does (`pkg/operator/bootstrap.go`): 1 on
   * `SingleReplica`, 2 otherwise. The Pulumi components read it from the cluster when neither it
   * nor `replicas` is given.
   * @default unset: highly available (2 replicas by default)
   */
  readonly infrastructureTopology?: InfrastructureTopology;

  /**
   * How registry pods are replaced on change (`spec.rolloutStrategy`). A ReadWriteOnce claim needs
   * `Recreate`: the new pod cannot mount the volume while the old one holds it.
   *
   * @default unset (the operator uses RollingUpdate), or `Recreate` for ReadWriteOnce claims
   */
  readonly rolloutStrategy?: 'RollingUpdate' | 'Recreate';

  /**
   * Proxy every blob through the registry pods instead of redirecting clients to the storage
   * (`spec.disableRedirect`). Needed when nodes or clients cannot reach or do not trust the storage
   * endpoint (private S3 endpoints, Swift, Azure private endpoints).
   *
   * @default unset (redirect on); `true` for Swift and for Azure `networkAccess.type: Internal`
   * @see https://github.com/openshift/cluster-image-registry-operator/pull/385
   */
  readonly disableRedirect?: boolean;

  /**
   * The operator's own state (`spec.managementState`). `Removed` is not offered: it makes the
   * operator delete the registry and, for Managed storage, the images.
   *
   * @default 'Managed' (bare-metal and vSphere clusters start as Removed; this turns the registry on)
   */
  readonly managementState?: 'Managed' | 'Unmanaged';

  /**
   * Who owns the storage (`spec.storage.managementState`). `Unmanaged` means the operator never
   * rewrites the bucket's settings and never deletes it or its images; `Managed` means it applies its
   * own hardening and deletes the storage, images included, when the registry is Removed or the
   * Config deleted.
   *
   * @default 'Unmanaged' when the storage is named (made or owned outside the operator); unset when
   * the operator creates the storage itself, which it then marks Managed
   * @see https://github.com/openshift/api/blob/master/imageregistry/v1/types.go
   */
  readonly storageManagementState?: 'Managed' | 'Unmanaged';
}

/** A Kubernetes object as plain data. */
export interface KubernetesManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** The `image-registry-private-configuration-user` Secret, as plain data. */
export interface UserSecretManifest extends KubernetesManifest {
  readonly apiVersion: 'v1';
  readonly kind: 'Secret';
  readonly type: 'Opaque';
  /** Exactly the keys the operator reads for the storage type. */
  readonly stringData: Readonly<Record<string, string>>;
}

/** What a registry storage produces; the Pulumi and cdk8s flavours only adapt it. */
export interface RegistryStoragePlan {
  /** The storage block this plan sets. */
  readonly storageType: RegistryStorageType;
  /**
   * The Config `spec` fragment this library owns: exactly one storage block, the operator's
   * `managementState`, `replicas`, and `rolloutStrategy`/`disableRedirect` where set.
   */
  readonly spec: ConfigSpecPatch;
  /** The user credentials Secret, when credentials were given. */
  readonly secret?: UserSecretManifest;
  /** Other Kubernetes objects the storage needs (StorageClass, PersistentVolumeClaim), in apply order. */
  readonly objects: readonly KubernetesManifest[];
  /**
   * Setups the operator accepts but the library advises against, each naming the prop: every
   * flavour prints them (Pulumi: `pulumi.log.warn` on the component; cdk8s: at synth; CLI: stderr)
   * and none stops the plan.
   */
  readonly warnings: readonly RegistryConfigProblem[];
}

/** The whole Config object for a spec fragment: named `cluster`, cluster-scoped. */
export function registryConfig(spec: ConfigSpecPatch): ConfigPatch {
  return { apiVersion: REGISTRY_CONFIG_API_VERSION, kind: REGISTRY_CONFIG_KIND, metadata: { name: REGISTRY_CONFIG_NAME }, spec };
}

/** The storage types this library configures, as the Config spells them: every type the operator drives. */
export const REGISTRY_STORAGE_TYPES: readonly RegistryStorageType[] = ['s3', 'gcs', 'swift', 'azure', 'ibmcos', 'pvc', 'emptyDir'];

/**
 * @internal Refuses a `keep` that is not one of {@link REGISTRY_STORAGE_TYPES}: every removal
 * operation nulls the blocks it does not keep, so `'emptydir'`, `'S3'`, `''` or `undefined` would
 * remove the live block too and leave the operator to bootstrap storage of its own.
 */
export function checkKeep(what: string, keep: unknown): RegistryStorageType {
  if (typeof keep === 'string' && (REGISTRY_STORAGE_TYPES as readonly string[]).includes(keep)) return keep as RegistryStorageType;
  const near = typeof keep === 'string' ? REGISTRY_STORAGE_TYPES.find((t) => t.toLowerCase() === keep.toLowerCase())
    ?? closest(keep, REGISTRY_STORAGE_TYPES) : undefined;
  throw new RegistryStorageValidationError(what, [{
    path: 'keep',
    message: `must be one of ${REGISTRY_STORAGE_TYPES.map((t) => `"${t}"`).join(', ')} (the Config's spelling), got ${show(keep)}`
      + `${near ? `: did you mean "${near}"?` : '.'} Every other block is removed, so a wrong name would remove the live one too`,
  }]);
}

/**
 * The JSON merge patch (RFC 7386) that removes every storage block except `keep` from
 * `spec.storage`. Server-side apply cannot remove a field another manager owns (the operator, the
 * installer, `oc edit`), and two storage blocks make the operator refuse to run. `null` deletes a
 * field whether or not it is there.
 *
 * A merge patch cannot require the kept block to be there: applied to a Config whose `keep` block
 * is missing (the apply of the new block failed, or a webhook denied it), it leaves no block at
 * all, and the operator bootstraps storage of its own. The Job and {@link removeOtherStorageCommand}
 * use {@link removeOtherStorageJsonPatch}, which fails instead.
 *
 * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/storage/storage.go
 */
export function removeOtherStorageMergePatch(keep: RegistryStorageType): { spec: { storage: Record<string, null> } } {
  const kept = checkKeep('removeOtherStorageMergePatch', keep);
  return { spec: { storage: Object.fromEntries(ALL_STORAGE_TYPES.filter((t) => t !== kept).sort().map((t) => [t, null])) } };
}

/** One operation of a JSON patch (RFC 6902). */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'move';
  readonly path: string;
  readonly from?: string;
  readonly value?: null;
}

/**
 * The JSON patch (RFC 6902) that removes every storage block except `keep` from `spec.storage`,
 * and fails, changing nothing, when the live Config has no `keep` block. A JSON patch is applied
 * whole or not at all:
 * - first `move` from `/spec/storage/<keep>` to itself: it removes the block and adds it back, a
 *   no-op that fails when the block is absent ("Unable to remove nonexistent key");
 * - then, for each other block, `add` it as `null` (which works whether or not it is there) and
 *   `remove` it (which alone would fail on an absent block).
 *
 * Not `copy` or `test`, though RFC 6902 says a `copy`'s "from" must exist: the API server applies
 * JSON patches with evanphx/json-patch v4 (k8s.io/apiserver `pkg/endpoints/handlers/patch.go`
 * imports gopkg.in/evanphx/json-patch.v4 v4.12.0), whose `copy` of an absent key adds `null` there
 * instead of failing (`partialDoc.get` returns no error), and whose `test` of `null` passes on an
 * absent key. Only `remove`, and so `move`, refuses an absent key. The end-to-end suite applies the
 * patch with that library to live Configs with and without the kept block.
 *
 * @see https://github.com/evanphx/json-patch/blob/v4.12.0/patch.go
 * @see https://www.rfc-editor.org/rfc/rfc6902#section-4.4
 */
export function removeOtherStorageJsonPatch(keep: RegistryStorageType): JsonPatchOperation[] {
  const kept = checkKeep('removeOtherStorageJsonPatch', keep);
  return [
    { op: 'move', from: `/spec/storage/${kept}`, path: `/spec/storage/${kept}` },
    ...ALL_STORAGE_TYPES.filter((t) => t !== kept).sort().flatMap((t): JsonPatchOperation[] => [
      { op: 'add', path: `/spec/storage/${t}`, value: null },
      { op: 'remove', path: `/spec/storage/${t}` },
    ]),
  ];
}

/**
 * The `oc patch` command that applies {@link removeOtherStorageJsonPatch}: it removes every other
 * block, or fails (`error in move for path: '<keep>': Unable to remove nonexistent key`) and
 * changes nothing when the Config has no `keep` block.
 */
export function removeOtherStorageCommand(keep: RegistryStorageType): string {
  const patch = removeOtherStorageJsonPatch(checkKeep('removeOtherStorageCommand', keep));
  return `oc patch configs.imageregistry.operator.openshift.io/${REGISTRY_CONFIG_NAME} --type=json -p '${JSON.stringify(patch)}'`;
}

const INT32_MAX = 2147483647;

// ---------------------------------------------------------------------------------------------
// Shared rule helpers (internal)
// ---------------------------------------------------------------------------------------------

/** @internal A value, or undefined when absent or not known yet. */
export function known<T>(v: T | typeof DEFERRED | undefined | null): T | undefined {
  return v === DEFERRED || v === null ? undefined : v;
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
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== null).map(([k, x]) => [k, compact(x)])) as any;
}

/** @internal Checks the common props. */
export function checkCommon(props: RegistryCommonProps, problems: Problems): void {
  const replicas = known(props.replicas as any) as unknown;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1 || replicas > INT32_MAX)) {
    problems.add('replicas', `must be a whole number from 1 to ${INT32_MAX} (the CRD's int32), got ${show(replicas)}`);
  }
  const topology = known(props.infrastructureTopology as any) as unknown;
  if (topology !== undefined && !(INFRASTRUCTURE_TOPOLOGIES as readonly unknown[]).includes(topology)) {
    problems.add('infrastructureTopology', `must be one of ${INFRASTRUCTURE_TOPOLOGIES.join(', ')} (the Infrastructure's status.infrastructureTopology), got ${show(topology)}`);
  }
  const rollout = known(props.rolloutStrategy as any) as unknown;
  if (rollout !== undefined && rollout !== 'RollingUpdate' && rollout !== 'Recreate') {
    problems.add('rolloutStrategy', `must be "RollingUpdate" or "Recreate", got ${show(rollout)}`);
  }
  const state = known(props.managementState as any) as unknown;
  if (state !== undefined && state !== 'Managed' && state !== 'Unmanaged') {
    problems.add('managementState', `must be "Managed" or "Unmanaged", got ${show(state)}`
      + (state === 'Removed' ? ': Removed makes the operator delete the registry and its Managed storage; do that with oc, deliberately' : ''));
  }
  optionalBoolean(problems, 'disableRedirect', props.disableRedirect);
  const storage = known(props.storageManagementState as any) as unknown;
  if (storage !== undefined && storage !== 'Managed' && storage !== 'Unmanaged') {
    problems.add('storageManagementState', `must be "Managed" or "Unmanaged", got ${show(storage)}`);
  }
}

/**
 * The prop names a props type has, each `true`, or, for an object prop whose fields the library
 * checks itself, the names of those fields. Typed so that a props interface and its list cannot
 * drift: a missing or extra name fails compilation.
 */
export type PropNames<T> = {
  readonly [K in keyof Required<T>]-?: NonNullable<T[K]> extends string | number | boolean ? true : true | PropNames<NonNullable<T[K]>>;
};

/** @internal The names of {@link RegistryCommonProps}, which every storage's list spreads. */
export const COMMON_PROP_NAMES: PropNames<RegistryCommonProps> = {
  replicas: true,
  infrastructureTopology: true,
  rolloutStrategy: true,
  disableRedirect: true,
  managementState: true,
  storageManagementState: true,
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
    throw new RegistryStorageValidationError(what, [{ path: '(props)', message: `must be plain data: ${reason} (${clip(errorText(e))})` }]);
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
      ? ': pass an object literal, e.g. { ...props }' : ''}`);
    return undefined;
  }
  let count = 0;
  let tooMany = false;
  const stack = new Set<object>();
  const walk = (v: unknown, path: string, depth: number, shape: PropNames<any> | true | undefined): unknown => {
    if (v === DEFERRED || v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (++count > maxValues) {
      if (!tooMany) problems.add(path || '(props)', `must hold at most ${maxValues} values (shared objects count each time they are reached)`);
      tooMany = true;
      return undefined;
    }
    if (typeof v === 'bigint') {
      problems.add(path, `must be a number or a string, not a BigInt (${clip(String(v))}n)`);
      return undefined;
    }
    if (typeof v !== 'object') {
      problems.add(path, `must be plain data, got ${show(v)}`);
      return undefined;
    }
    if (depth > MAX_PROPS_DEPTH) {
      problems.add(path, `must nest at most ${MAX_PROPS_DEPTH} levels deep`);
      return undefined;
    }
    if (stack.has(v)) {
      problems.add(path, 'must not contain itself (a cyclic value)');
      return undefined;
    }
    if (leaf?.(v)) return v;
    if (!Array.isArray(v) && !isPlainObject(v)) {
      problems.add(path, `must be plain data (an object literal), got ${describe(v)}: pass a copy, e.g. { ...value }`);
      return undefined;
    }
    stack.add(v);
    const at = (k: string) => (path ? `${path}.${k}` : k);
    let out: unknown;
    if (Array.isArray(v)) {
      // Every element counts, primitives too: `new Array(2 ** 32 - 1)` costs nothing to make.
      if (v.length > maxValues - count) {
        if (!tooMany) problems.add(path || '(props)', `must hold at most ${maxValues} values (shared objects count each time they are reached), got a list of ${v.length}`);
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
          const guess = closest(k, Object.keys(fields));
          if (path.startsWith('credentials') && !guess) {
            // A key's name may be the key itself, pasted in the wrong place: never repeat it. A name
            // within three letters of a field's (keyFile) is a typo, not a credential.
            problems.add(path, `has a field that is not one of ${Object.keys(fields).join(', ')} (its name is not repeated: it may be a credential)`);
            continue;
          }
          problems.add(at(clip(k, 60)), `is not a prop${path ? ` of ${path}` : ''}${guess ? `: did you mean "${guess}"?` : '.'}`
            + ` Known: ${Object.keys(fields).join(', ')}`);
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
    problems.add(path, `must not contain control characters such as a newline or a tab, got ${show(v)}`);
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
    problems.add(path, `is required ${why}${v === undefined || v === '' ? '' : `, and must be a string (got ${shown(path, v)})`}`);
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
    problems.add(path, `must be a string, got ${shown(path, v)}`);
    return undefined;
  }
  if (v === '' && !allowEmpty) {
    problems.add(path, 'must not be empty: leave it out to use the default');
    return undefined;
  }
  return controlCharacterProblem(problems, path, v) ? undefined : v;
}

/** @internal Checks an optional boolean prop; returns it when known. `null` counts as not given. */
export function optionalBoolean(problems: Problems, path: string, v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === DEFERRED) return undefined;
  if (typeof v !== 'boolean') {
    problems.add(path, `must be true or false, got ${show(v)}`);
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
    problems.add(path, `must be an object, got ${show(v)}`);
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
    problems.add(path, `must name ${what}: at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, got ${show(v)}`);
  }
}

/** @internal Parses an http(s) URL; reports and returns undefined when it is not one. */
export function httpUrl(problems: Problems, path: string, v: string, example: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    problems.add(path, `must be a URL with a scheme, like "${example}", got ${show(v)}`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.add(path, `must be an http:// or https:// URL, like "${example}", got ${show(v)}`
      + (/^[a-z0-9.-]+:\d+$/i.test(v) ? ' (host:port without a scheme is read as a scheme)' : ''));
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    // The URL lands in the Config's spec, which is not secret: never repeat the credential.
    problems.add(path, `must not carry user information ("user:password@"): the Config is not secret. Put credentials in the credentials prop, like "${example}"`);
    return undefined;
  }
  return url;
}

/**
 * @internal Builds the plan's spec, checks it against the CRD and the operator's rules, and throws
 * every problem at once. CRD problems are reported against the prop they come from.
 */
export function finishPlan(what: string, storageType: RegistryStorageType, problems: Problems,
  plan: () => Omit<RegistryStoragePlan, 'warnings'>): RegistryStoragePlan {
  problems.throwIfAny(what);
  const result: RegistryStoragePlan = { ...plan(), warnings: [...problems.warnings] };
  // Values not known yet (Pulumi Outputs during the first pass) are checked when they are known.
  if (containsDeferred(result.spec)) return result;
  const reported = new Set(problems.all.map((p) => p.path));
  for (const p of validateRegistryConfigPatch(registryConfig(result.spec))) {
    const prop = propPath(storageType, p);
    if (!reported.has(prop)) problems.add(prop, p.message);
  }
  problems.throwIfAny(what);
  return result;
}

function containsDeferred(v: unknown): boolean {
  if (v === DEFERRED) return true;
  if (typeof v !== 'object' || v === null) return false;
  return Object.values(v).some(containsDeferred);
}

function propPath(storageType: string, p: RegistryConfigProblem): string {
  const storagePrefix = `spec.storage.${storageType}.`;
  if (p.path.startsWith(storagePrefix)) return p.path.slice(storagePrefix.length);
  if (p.path === 'spec.storage.managementState') return 'storageManagementState';
  if (p.path.startsWith('spec.')) return p.path.slice('spec.'.length);
  return p.path;
}

/**
 * Secret data for credentials: each credential field given, under the Secret key the operator reads
 * for it (`keys` is a platform's `*_SECRET_KEYS`). Generic, so Pulumi Inputs map the same way.
 */
export function credentialSecretData<T>(keys: Readonly<Record<string, string>>, credentials: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(keys)
    .filter(([field]) => credentials[field] !== undefined)
    .map(([field, key]) => [key, credentials[field]]));
}

/** The inverse of {@link credentialSecretData}: credential fields from Secret data; absent keys are left out. */
export function credentialsFromSecretData(keys: Readonly<Record<string, string>>,
  data: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys)
    .filter(([, key]) => data[key] !== undefined)
    .map(([field, key]) => [field, data[key]!]));
}

/** @internal The user Secret manifest with exactly `data`'s keys. */
export function userSecret(stringData: Record<string, string>): UserSecretManifest {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: REGISTRY_USER_SECRET_NAME, namespace: REGISTRY_NAMESPACE },
    type: 'Opaque',
    stringData: Object.fromEntries(Object.entries(stringData).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/**
 * `replicas` when neither the user nor the storage names one: what the operator bootstraps on
 * highly available clusters (`pkg/operator/bootstrap.go`).
 */
export const DEFAULT_REPLICAS = 2;

/** The values of the Infrastructure's `status.infrastructureTopology` (openshift/api `config/v1/types_infrastructure.go`). */
export const INFRASTRUCTURE_TOPOLOGIES = ['HighlyAvailable', 'HighlyAvailableArbiter', 'SingleReplica', 'DualReplica', 'External'] as const;

/** A cluster's infrastructure topology. */
export type InfrastructureTopology = typeof INFRASTRUCTURE_TOPOLOGIES[number];

/**
 * @internal The parts of the spec every platform sets. `defaults.replicas` is for storage that
 * needs a replica count (ReadWriteOnce, emptyDir); otherwise `replicas` is the user's, or
 * {@link DEFAULT_REPLICAS}: always present (see {@link RegistryCommonProps.replicas}).
 */
export function commonSpec(props: RegistryCommonProps, defaults: { replicas?: number; rolloutStrategy?: 'Recreate'; disableRedirect?: boolean }): Omit<ConfigSpecPatch, 'storage'> {
  return compact({
    managementState: props.managementState ?? 'Managed',
    replicas: props.replicas ?? defaults.replicas ?? (props.infrastructureTopology === 'SingleReplica' ? 1 : DEFAULT_REPLICAS),
    rolloutStrategy: props.rolloutStrategy ?? defaults.rolloutStrategy,
    disableRedirect: props.disableRedirect ?? defaults.disableRedirect,
  });
}

/** @internal `Unmanaged` when the storage is named, unless the user chose. */
export function storageState(props: RegistryCommonProps, named: boolean): 'Managed' | 'Unmanaged' | undefined {
  return props.storageManagementState ?? (named ? 'Unmanaged' : undefined);
}

/**
 * @internal The credential mode a flavour that provisions the storage reads from `credentials`:
 * one of the platform's `modes` by name, `'keys'` for an object of keys, `'cluster'` (the cluster's
 * own identity) when unset. A name not in `modes` is a problem naming them and `keysShape`.
 */
export function credentialMode<M extends string>(problems: Problems, credentials: unknown, modes: readonly M[], keysShape: string): M | 'keys' | 'cluster' {
  if (typeof credentials === 'string') {
    if ((modes as readonly string[]).includes(credentials)) return credentials as M;
    problems.add('credentials', `must be ${modes.map((m) => `'${m}'`).join(' or ')}, or ${keysShape}; got ${show(credentials)}`);
    return 'cluster';
  }
  return credentials !== undefined && credentials !== null ? 'keys' : 'cluster';
}
