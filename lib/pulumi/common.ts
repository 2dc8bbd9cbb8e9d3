/**
 * What every Pulumi registry storage component shares: props typing, validation before any child
 * is registered, and the Kubernetes side of the deploy graph (user Secret, server-side-apply patch
 * of the `cluster` Config, removal of other storage types, wait for the registry). Needs only
 * `@pulumi/pulumi` and `@pulumi/kubernetes`; each cloud entry adds its own SDK.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { deployMigration, MigrationResources } from './migration';
import { reportResolvedProblem } from './resolved-problems';
import {
  FIELD_MANAGER, REGISTRY_CONFIG_API_VERSION, REGISTRY_CONFIG_KIND, REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME,
} from '../core/constants';
import { IMAGE_PRUNER_API_VERSION, IMAGE_PRUNER_NAME } from '../core/image-pruner';
import { infrastructureResourceTags } from '../core/infrastructure';
import { closest } from '../core/names';
import { checkPropsShape, HardPruneOptions, hasDeferred, KubernetesManifest, RegistryStoragePlan, RegistryStorageType } from '../core/plan';
import { clip, DEFERRED, formatProblem, Problems, RegistryConfigProblem, RegistryStorageValidationError } from '../core/problems';
import { DEFAULT_JOB_NAMESPACE, jobOptionProblems, removeOtherStorageObjects } from '../core/remove-other-storage';
import { APPLIED_SPEC_DIGEST_ANNOTATION, operatorIgnoresConfig, specDigest, storageAppliedConditions } from '../core/rollout';
import { ConfigSpecPatch } from '../core/validate-config';
import { hardPruneOf, hardPruneObjects } from '../platforms/hard-prune';
import { storageMigrationOf } from '../platforms/migration-jobs';

/** A core props type whose values may be Pulumi Inputs. */
export type InputProps<T> = {
  readonly [K in keyof T]: T[K] extends string | number | boolean | undefined | null
    ? pulumi.Input<T[K]>
    : T[K] extends object | undefined ? pulumi.Input<InputProps<NonNullable<T[K]>>> | Extract<T[K], undefined> : pulumi.Input<T[K]>;
};

/**
 * Options of the reads of the cluster's `installer-cloud-credentials` Secret
 * (`S3RegistryStorage.registryRoleArnFromCluster`, `GcsRegistryStorage.registryServiceAccountFromCluster`).
 */
export interface ClusterCredentialsReadOptions {
  /** The cluster's Kubernetes provider. @default the default provider */
  readonly provider?: pulumi.ProviderResource;
  /** Parent of the read. @default none */
  readonly parent?: pulumi.Resource;
  /**
   * Logical name of the read Secret (unique in the stack).
   * @default 'installer-cloud-credentials'
   */
  readonly name?: string;
}

/** Props every Pulumi registry storage component takes, besides the core's. */
export interface PulumiRegistryOptions {
  /**
   * Keep the data-holding resources (bucket, storage account, container, claim) on
   * `pulumi destroy` and on replacement. The Config always says `storage.managementState:
   * Unmanaged`, so the operator never deletes them either. Set to `false` only for throwaway
   * clusters: the registry's images go with them.
   * @default true
   */
  readonly retainOnDelete?: boolean;
  /**
   * Wait after the patch until the operator has applied *this* storage and the registry runs on it:
   * `status.storage` holds what was applied, `StorageExists` is True, `Progressing` False,
   * `Degraded` False and `Available` True ({@link storageAppliedConditions}). `Available` alone
   * would pass at once on a running registry, old pods on the old storage included. The wait runs
   * again whenever the applied spec changes (its digest is an annotation of the wait), so
   * `pulumi up` fails loudly when the operator cannot use the new storage.
   * @default true
   */
  readonly waitForStorage?: boolean;
  /**
   * How long to wait for the storage, in seconds.
   * @default 600
   */
  readonly waitTimeoutSeconds?: number;
  /**
   * Remove every other storage block from the Config after the patch, with a Job whose
   * ServiceAccount may only `get` and `patch` the `cluster` Config. Server-side apply cannot
   * remove blocks another field manager owns (the installer's default `s3`/`gcs`/`azure`/`swift`,
   * a bootstrap `pvc`, a test `emptyDir`), and two blocks stop the operator. The Job runs in a
   * namespace of its own (`jobNamespace`) with an egress policy to the API server:
   * `openshift-image-registry` denies all traffic by default. When the registry uses the cluster's
   * identity, the Job also deletes `image-registry-private-configuration-user` if this library
   * wrote it (a stack moving off the old key default), and only then: a Role allows it `get` and
   * `delete` on that one Secret.
   * @default true
   */
  readonly removeOtherStorageTypes?: boolean;
  /**
   * Image with the `oc` client for that Job. Give a digest your cluster can pull (on a
   * disconnected cluster, one your mirror sets cover).
   * @default unset: the release payload's `cli` image, read at every `pulumi up` from the
   * `openshift/cli:latest` ImageStreamTag (a digest, which the cluster's image digest mirror sets
   * cover), so the Job follows cluster upgrades and the stored Job equals the applied one
   */
  readonly cliImage?: string;
  /**
   * Namespace the removal Job runs in; the component creates it (and deletes it with the stack), so
   * it must not exist yet. A DNS label (lowercase letters, digits and `-`, at most 63 characters),
   * not `default`, `openshift`, `openshift-*` (`openshift-image-registry` included), `kube-*` or
   * another namespace of the cluster's own. The Namespace is a plain (not a Patch) resource:
   * pulumi-kubernetes refuses to create one that already exists (AlreadyExists), so an existing
   * namespace is never adopted and then deleted on `pulumi destroy`, unless the Kubernetes provider
   * sets `upsertExistingObjects: true` (or `PULUMI_K8S_UPSERT_EXISTING_OBJECTS`): do not name an
   * existing namespace with such a provider.
   * @default 'registry-storage-jobs-<hash>', the hash of project, stack, component type and name:
   * two components never share one, not even while one replaces the other in a stack
   */
  readonly jobNamespace?: string;
}

/** Names of {@link PulumiRegistryOptions}, checked against the interface. */
export const PULUMI_OPTION_NAMES = {
  retainOnDelete: true,
  waitForStorage: true,
  waitTimeoutSeconds: true,
  removeOtherStorageTypes: true,
  cliImage: true,
  jobNamespace: true,
} as const satisfies Record<keyof PulumiRegistryOptions, true>;

/** Names of the props every core storage type takes, and of the Pulumi options. */
export const BASE_ARG_NAMES = {
  ...PULUMI_OPTION_NAMES,
  replicas: true,
  disableRedirect: true,
  managementState: true,
  rolloutStrategy: true,
  infrastructureTopology: true,
  storageManagementState: true,
} as const;

/**
 * @internal A platform's prop names (each `true`, or the fields of an object prop) as a component's
 * top-level arg names: the component takes every prop of its platform, and its own args beside.
 */
export function argNames<T extends Readonly<Record<string, unknown>>>(propNames: T): { readonly [K in keyof T]: true } {
  return Object.fromEntries(Object.keys(propNames).map((k) => [k, true])) as { readonly [K in keyof T]: true };
}

/** What the component layer checks of a component's own args, besides the names. */
export interface ArgKinds {
  /** Args that must be `true` or `false`. */
  readonly booleans?: readonly string[];
  /** Args that must be one of these strings. */
  readonly enums?: Readonly<Record<string, readonly string[]>>;
  /** The credential mode names, when the component has `credentials`. */
  readonly credentialModes?: readonly string[];
  /** A field of the component's credentials, for the example in messages. @default 'accessKey' */
  readonly credentialField?: string;
}

const isDeferred = (v: unknown): boolean => pulumi.Output.isInstance(v) || v instanceof Promise;
const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : kindOf(v));

/** Values of Pulumi's own that a component's args may hold anywhere: never copied or looked into. */
function isPulumiValue(v: object): boolean {
  return pulumi.Output.isInstance(v) || v instanceof Promise || pulumi.Resource.isInstance(v)
    || pulumi.asset.Asset.isInstance(v) || pulumi.asset.Archive.isInstance(v);
}

/**
 * @internal A component's args as a plain-data copy, read once, before anything else reads them:
 * args that are not an object (`null`, `42`, a list), a Proxy whose traps throw, a throwing getter,
 * nesting past 32 levels or more than 10,000 values (a shared object counts each time) give one
 * validation error, not a TypeError, a RangeError or minutes of CPU. Outputs, Promises, Resources
 * and assets are kept as they are. `undefined` is no args.
 */
export function plainArgs<A>(parent: pulumi.Resource, what: string, args: A | undefined): A {
  if (args === undefined) return {} as A;
  try {
    const copy = checkPropsShape(what, args, undefined, { leaf: isPulumiValue }) as Record<string, unknown>;
    // A null arg means "not given", as in the core and the cdk8s constructs: its default applies
    // (`retainOnDelete: null` keeps the storage, as leaving it out does).
    return Object.fromEntries(Object.entries(copy).filter(([, v]) => v !== null)) as A;
  } catch (e) {
    if (e instanceof RegistryStorageValidationError) throw new pulumi.ResourceError(e.message, parent);
    throw e;
  }
}

/**
 * @internal The problems of a component's args that the core does not see: args that are not an
 * object, unknown (misspelt) arg names, and the types of the Pulumi options and of the component's
 * own args. Known values only: Outputs and Promises are not checked here.
 */
export function argProblems(args: unknown, names: Readonly<Record<string, true>>, kinds: ArgKinds = {}): RegistryConfigProblem[] {
  if (args === undefined || args === null) return [];
  if (typeof args !== 'object' || Array.isArray(args) || isDeferred(args)) {
    return [{ path: '(props)', message: `must be an object of props${isDeferred(args) ? ', not an Output' : ` (got ${kindOf(args)})`}`, code: 'ORS-PULUMI-006' }];
  }
  const problems: RegistryConfigProblem[] = [];
  const known = Object.keys(names);
  for (const k of Object.keys(args)) {
    if (names[k]) continue;
    const near = closest(k, known);
    // the core's words for the same mistake
    problems.push({ path: clip(k, 60), message: `is not a prop${near ? `: did you mean "${near}"?` : '.'} Known: ${known.join(', ')}`, code: 'ORS-PROPS-016' });
  }
  const a = args as Record<string, unknown>;
  const booleans = ['retainOnDelete', 'waitForStorage', 'removeOtherStorageTypes', ...(kinds.booleans ?? [])];
  for (const k of booleans) {
    const v = a[k];
    if (v !== undefined && !isDeferred(v) && typeof v !== 'boolean') problems.push({ path: k, message: `must be true or false (got ${shown(v)})`, code: 'ORS-PROPS-021' });
  }
  const t = a.waitTimeoutSeconds;
  if (t !== undefined && !isDeferred(t) && !(typeof t === 'number' && Number.isInteger(t) && t >= 1)) {
    problems.push({ path: 'waitTimeoutSeconds', message: `must be a whole number of seconds, at least 1 (got ${typeof t === 'number' ? t : shown(t)})`, code: 'ORS-PULUMI-009' });
  }
  for (const k of ['cliImage', 'jobNamespace']) {
    const v = a[k];
    if (isDeferred(v)) {
      problems.push({ path: k, message: 'must be a plain string, not an Output or a Promise: the Job\'s objects are named when the component is built', code: 'ORS-PULUMI-010' });
    } else if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) {
      problems.push({ path: k, message: `must be a non-empty string (got ${shown(v)})`, code: 'ORS-PULUMI-011' });
    }
  }
  // the core's Job rules, in the core's words, under the component's names, before any child exists
  const job = new Problems();
  jobOptionProblems(job, {
    image: typeof a.cliImage === 'string' && a.cliImage.trim() !== '' ? a.cliImage : undefined,
    namespace: typeof a.jobNamespace === 'string' && a.jobNamespace.trim() !== '' ? a.jobNamespace : undefined,
  });
  problems.push(...job.all.map((p) => ({ ...p, path: p.path === 'image' ? 'cliImage' : p.path === 'namespace' ? 'jobNamespace' : p.path })));
  for (const [k, values] of Object.entries(kinds.enums ?? {})) {
    const v = a[k];
    if (v !== undefined && !isDeferred(v) && !(typeof v === 'string' && values.includes(v))) {
      const near = typeof v === 'string' ? closest(v, values) : undefined;
      problems.push({ path: k, message: `must be one of ${values.join(', ')} (got ${shown(v)})${near ? `: did you mean ${near}?` : ''}`, code: 'ORS-PULUMI-012' });
    }
  }
  if (kinds.credentialModes && 'credentials' in a) {
    const c = a.credentials;
    const modes = kinds.credentialModes.map((m) => `'${m}'`).join(', ');
    const field = kinds.credentialField ?? 'accessKey';
    if (isDeferred(c)) {
      problems.push({
        path: 'credentials',
        message: `must not be one Output: pass its fields as separate Outputs, e.g. { ${field}: s.apply((x) => x.${field}), ... } `
          + '(a secret stays secret), or a mode name',
        code: 'ORS-PULUMI-013',
      });
    } else if (c !== undefined && typeof c !== 'string' && (typeof c !== 'object' || c === null || Array.isArray(c))) {
      problems.push({ path: 'credentials', message: `must be a mode name (${modes}) or an object of keys (got ${kindOf(c)})`, code: 'ORS-PULUMI-014' });
    }
  }
  return problems;
}

/** @internal `args` with only its known names, or `{}` when it is not an object: what the component plans from. */
export function knownArgs<A>(args: A | undefined | null, names: Readonly<Record<string, true>>): A {
  if (typeof args !== 'object' || args === null || Array.isArray(args) || isDeferred(args)) return {} as A;
  return Object.fromEntries(Object.entries(args).filter(([k]) => names[k])) as A;
}

/** @internal Credentials the component can use: an object of fields, not one Output, a mode or junk. */
export function credentialObject<C>(c: C | string | undefined): Exclude<C, string> | undefined {
  return typeof c === 'object' && c !== null && !Array.isArray(c) && !isDeferred(c) ? c as Exclude<C, string> : undefined;
}

/** Splits a component's args into the Pulumi options and the rest (the core's props and extras). */
export function splitOptions<A extends PulumiRegistryOptions>(args: A): {
  options: PulumiRegistryOptions; rest: Omit<A, keyof PulumiRegistryOptions>;
} {
  const { retainOnDelete, waitForStorage, waitTimeoutSeconds, removeOtherStorageTypes, cliImage, jobNamespace, ...rest } = args;
  return { options: { retainOnDelete, waitForStorage, waitTimeoutSeconds, removeOtherStorageTypes, cliImage, jobNamespace }, rest };
}

/** Replaces Outputs and Promises with {@link DEFERRED}, so the known values can be checked now. */
export function knownView<T>(v: T): T {
  if (pulumi.Output.isInstance(v) || v instanceof Promise) return DEFERRED as any;
  if (Array.isArray(v)) return v.map(knownView) as any;
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, knownView(x)])) as any;
  return v;
}

/** Same shape, every leaf {@link DEFERRED}: credentials never flow into the (non-secret) spec. */
export function deferredLeaves<T>(v: T): T {
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.keys(v).map((k) => [k, DEFERRED])) as any;
  return v;
}

/**
 * Runs a core plan and throws every problem at once, the core's and the component's own (`extra`),
 * as a `pulumi.ResourceError` on `parent`.
 */
export function planOrThrow<P>(parent: pulumi.Resource, what: string, plan: (p: P) => RegistryStoragePlan, props: P,
  extra: readonly RegistryConfigProblem[] = []): RegistryStoragePlan {
  let result: RegistryStoragePlan | undefined;
  let problems: RegistryConfigProblem[] = [];
  try {
    result = plan(props);
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    problems = [...e.problems];
  }
  // What the props ask for beside the storage, for the Kubernetes side to make (the plan resolves later).
  const pruner = (props as { imagePruner?: unknown } | undefined)?.imagePruner;
  REQUESTS.set(parent, {
    imagePruner: pruner !== undefined && pruner !== null, hardPrune: result?.hardPrune, migrateFrom: result?.migrateFrom !== undefined,
  });
  // The hard prune's options are plain data: checked now, with the rest.
  if (result?.hardPrune) {
    try {
      hardPruneOf(result, what);
    } catch (e) {
      if (!(e instanceof RegistryStorageValidationError)) throw e;
      problems.push(...e.problems);
    }
  }
  // The move of the images (`migrateFrom`), checked with the rest where it is known now.
  if (result?.migrateFrom) {
    const unknown = hasDeferred(result.spec);
    try {
      storageMigrationOf(result, what);
    } catch (e) {
      // A destination not known yet (a bucket this run creates) is checked once it is.
      if (!(e instanceof RegistryStorageValidationError)) {
        if (!unknown) throw e;
      } else {
        problems.push(...e.problems.filter((p) => !unknown || p.path.startsWith('migrateFrom') || p.path.startsWith('migration.')));
      }
    }
  }
  const all = [...problems, ...extra];
  if (all.length > 0) throw new pulumi.ResourceError(new RegistryStorageValidationError(what, all).message, parent);
  return result!;
}


/**
 * @internal What each component's props ask for beside the storage, as its known plan says: the
 * image pruner, a hard prune (its options are plain data), a move of the images.
 */
const REQUESTS = new WeakMap<pulumi.Resource, {
  readonly imagePruner: boolean; readonly hardPrune?: HardPruneOptions; readonly migrateFrom: boolean;
}>();

/**
 * The error each component's resolved props failed with. `pulumi up` prints every distinct error
 * that reaches `unhandledRejection` once (it dedupes by identity, `cmd/run/run.js`), and each
 * gated child rejects: the gate and the plan (and the credentials apart) each run the check, so
 * the same problem must be the same error object, or the user reads it once per check.
 */
const RESOLVED_ERRORS = new WeakMap<pulumi.Resource, Error[]>();

/** {@link planOrThrow} inside an `apply`: a problem is also reported to {@link RESOLVED_PROBLEM_SINK}. */
function planWhenResolved<P>(parent: pulumi.Resource, what: string, plan: (p: P) => RegistryStoragePlan, props: P): RegistryStoragePlan {
  try {
    return planOrThrow(parent, what, plan, props);
  } catch (e) {
    const known = RESOLVED_ERRORS.get(parent) ?? [];
    // pulumi-kubernetes' serializer prefixes the message of the error it rethrows: compare the ends.
    const same = e instanceof Error ? known.find((k) => k.message.endsWith(e.message)) : undefined;
    if (same) throw same;
    if (e instanceof Error) RESOLVED_ERRORS.set(parent, [...known, e]);
    reportResolvedProblem(e);
    throw e;
  }
}


/**
 * @internal Runs a pure planning step that throws {@link RegistryStorageValidationError}, adding its
 * problems to `into` (thrown later, with the others) instead of throwing.
 * @returns the step's result, or undefined when it found problems
 */
export function collectProblems<P, R>(step: (p: P) => R, props: P, into: RegistryConfigProblem[]): R | undefined {
  try {
    return step(props);
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    into.push(...e.problems);
    return undefined;
  }
}

/**
 * @internal The seed of names the library makes up for storage it creates unnamed: project, stack
 * and component name, so two stacks (or two components) never share one.
 */
export function stackSeed(name: string, ...more: string[]): string {
  return [pulumi.getProject(), pulumi.getStack(), name, ...more].join('\u0000');
}

/**
 * @internal Options every child gets: parented to the component (so it inherits its providers),
 * and registered only once `gate` resolves (by default the component's check of its resolved
 * props, {@link RegistryStorageComponent.checkWhenKnown}). A gate that rejects fails the child's
 * registration before any request reaches the engine, so nothing is created for invalid props.
 * While the gate is unknown (`pulumi preview`), the child registers with its other dependencies.
 */
export function child(parent: RegistryStorageComponent, extra: pulumi.CustomResourceOptions = {},
  gate: pulumi.Output<unknown> | undefined = parent.gate): pulumi.CustomResourceOptions {
  // A child made before the component checked its props would not wait for that check: a mistake
  // of the library's, made loud here rather than an invalid resource created quietly.
  if (!gate) throw new Error(`${parent.componentType} ${parent.componentName}: a child was made before checkWhenKnown gated the children`);
  const deps = extra.dependsOn;
  const list = (deps === undefined ? [] : Array.isArray(deps) ? deps : [deps]) as pulumi.Input<pulumi.Resource>[];
  return { parent, ...extra, dependsOn: gate.apply(() => list) };
}

/**
 * @internal Aliases for a child renamed from the name earlier releases gave it (several children
 * of different types were all `<name>-registry`): existing stacks keep the resource, its
 * physical name and, for keys, its secret, instead of replacing them.
 */
export function formerly(name: string): pulumi.CustomResourceOptions {
  return { aliases: [{ name }] };
}

/** What {@link deployKubernetesSide} creates. */
export interface KubernetesSide {
  readonly secret?: k8s.core.v1.SecretPatch;
  readonly config: k8s.apiextensions.CustomResourcePatch;
  readonly removeOtherStorageJob?: k8s.batch.v1.Job;
  readonly storageApplied?: k8s.apiextensions.CustomResourcePatch;
  /** The Jobs that moved the images, with `migrateFrom`. */
  readonly migration?: MigrationResources;
  /** The server-side-apply patch of the ImagePruner, with `imagePruner`. */
  readonly imagePruner?: k8s.apiextensions.CustomResourcePatch;
  /** The hard prune's Job or CronJob, with `hardPrune`. */
  readonly hardPrune?: pulumi.Resource;
}

/** Inputs of {@link deployKubernetesSide}. */
export interface KubernetesSideArgs {
  readonly storageType: RegistryStorageType;
  /** The component's type (`S3RegistryStorage`): part of the seed of the Job objects' names. */
  readonly componentType: string;
  /** The plan, resolved; its Secret values are never used (they are DEFERRED). */
  readonly plan: pulumi.Output<RegistryStoragePlan>;
  /** Secret keys (as the plan names them) to their values; undefined means no Secret. */
  readonly secretData?: Record<string, pulumi.Input<string>>;
  /** What the Config must wait for (bucket, claim, IAM...). */
  readonly dependsOn: pulumi.Resource[];
  readonly options: PulumiRegistryOptions;
}

/**
 * Annotations of the Config and user Secret patches: forced server-side apply as
 * {@link FIELD_MANAGER}, and for the Config no await. pulumi-kubernetes decides whether to await from the
 * `pulumi.com/waitFor` annotation of the *live* object the apply returns, and reads only
 * `skipAwait` from the inputs, first (`provider/pkg/metadata/overrides.go`, `ReadyCondition`). The
 * live `cluster` carries the wait patch's `waitFor` for the storage applied last, which never holds
 * again once the spec changes: without `skipAwait` every later update of the Config patch would
 * await it and time out.
 */
function patchAnnotations(skipAwait: boolean): Record<string, string> {
  return { 'pulumi.com/patchForce': 'true', 'pulumi.com/patchFieldManager': FIELD_MANAGER, ...(skipAwait ? { 'pulumi.com/skipAwait': 'true' } : {}) };
}

/**
 * The wait patch's annotations. pulumi-kubernetes sends `pulumi.com/` annotations to the API server
 * as part of the object (only `pulumi.com/autonamed` is internal, `provider/pkg/metadata/annotations.go`),
 * so the wait patch must not set any key the Config patch sets to another value: two managers
 * applying one key with different values conflict. It names no field manager: pulumi-kubernetes
 * then uses the one it keeps in the resource's state (`fieldManagerName` in
 * `provider/pkg/provider/provider.go`: `pulumi-kubernetes-<random>` for new stacks,
 * `openshift-registry-storage-await` for stacks made by earlier releases, which named it), so the
 * manager never changes on update and nothing is relinquished. Forced, so that a wait of another
 * component (a component class replaced in the stack) or of an earlier release hands its keys over
 * instead of conflicting; it owns nothing but these annotations.
 *
 * Where the operator ignores the Config (`managementState: Unmanaged` or `Removed`,
 * `pkg/operator/controller.go`), `status.storage` never follows the spec: the patch then skips the
 * await and drops its `waitFor`.
 */
export function storageWaitAnnotations(spec: ConfigSpecPatch, timeoutSeconds: number): Record<string, string> {
  const digest = { [APPLIED_SPEC_DIGEST_ANNOTATION]: specDigest(spec) };
  if (operatorIgnoresConfig(spec)) return { 'pulumi.com/patchForce': 'true', 'pulumi.com/skipAwait': 'true', ...digest };
  return {
    'pulumi.com/patchForce': 'true',
    // A new digest on every change of the spec makes this an update, and updates await too.
    ...digest,
    'pulumi.com/waitFor': JSON.stringify(storageAppliedConditions(spec)),
    'pulumi.com/timeoutSeconds': String(timeoutSeconds),
  };
}

/**
 * The Kubernetes side of every registry storage, in this order:
 * 1. the user Secret, as a server-side-apply patch: clusters configured by hand already have
 *    `image-registry-private-configuration-user`, and pulumi-kubernetes >= 4.29 creates plain
 *    resources client-side and fails with AlreadyExists. A Patch resource is created with a
 *    server-side apply request (pulumi-kubernetes `provider/pkg/await/await.go`, `Creation`), which
 *    creates the Secret or takes over the keys it sets (forced); it is kept on `pulumi destroy` like
 *    the Config, because deleting a Patch only removes its fields (`ssa.Relinquish`) and an empty
 *    user Secret would make the operator fail ("does not contain required key");
 * 2. the server-side-apply patch of the `cluster` Config (never created, never deleted:
 *    `retainOnDelete`, because deleting a Patch resource undoes its fields and the operator would
 *    then bootstrap default storage);
 * 3. the Job that removes other storage blocks, with what it needs;
 * 4. the wait until the operator has applied this storage ({@link storageAppliedConditions}).
 *    pulumi-kubernetes awaits `pulumi.com/waitFor` on creates *and* updates (await.go `Update`), so
 *    the digest annotation, which changes with the spec, re-runs it on every change.
 */
export function deployKubernetesSide(parent: RegistryStorageComponent, name: string, args: KubernetesSideArgs): KubernetesSide {
  const opts = args.options;
  // Every Kubernetes object waits for the plan: a plan that fails once Outputs resolve registers none.
  // The Secret waits on the plan as a gate; the Config through its spec, an Output of the plan that
  // rejects when the plan does; everything after them depends on the Config, whose URN never resolves
  // if its registration failed, so they need no gate of their own. (A gate is an Output resolving to
  // the child's dependencies, which @pulumi/pulumi walks in full for unknowns: gating every child cost
  // about half again the time of the SDK calls on 100 components.)
  const gated = (extra: pulumi.CustomResourceOptions) => child(parent, extra, args.plan);
  const after = (extra: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => ({ parent, ...extra });
  // Names of this component's own Jobs: see the removal Job below.
  const suffix = createHash('sha256').update(stackSeed(name, args.componentType)).digest('hex').slice(0, 8);
  let cliImage: pulumi.Input<string> | undefined;
  const oc = () => (cliImage ??= opts.cliImage ?? payloadCliImage(`${name}-payload-cli`, parent, args.plan));
  // With migrateFrom, the images are moved first: nothing of the switch (the Secret the registry
  // reads, the Config) happens before the final copy and its checks passed.
  const requests = REQUESTS.get(parent);
  const migration = requests?.migrateFrom
    ? deployMigration(parent, name, { plan: args.plan, secretData: args.secretData, dependsOn: args.dependsOn, cliImage: oc() })
    : undefined;
  const switchAfter = [...args.dependsOn, ...(migration ? [migration.before.finalJob] : [])];
  const secret = args.secretData && new k8s.core.v1.SecretPatch(`${name}-credentials`, {
    metadata: { name: REGISTRY_USER_SECRET_NAME, namespace: REGISTRY_NAMESPACE, annotations: patchAnnotations(false) },
    type: 'Opaque',
    // `data`, not `stringData`: the API server folds stringData into data, and server-side apply
    // then tracks ownership of fields this manager never sent.
    // After the plan: values the check refuses (undefined, a number) fail with the plan's one error,
    // not with an encoding error of their own (another message of `pulumi up`).
    data: pulumi.secret(pulumi.all([args.plan, pulumi.output(args.secretData)]).apply(([, d]) => Object.fromEntries(Object.entries(d)
      .map(([k, v]) => [k, Buffer.from(String(v ?? ''), 'utf8').toString('base64')])))),
  }, gated({ dependsOn: switchAfter, retainOnDelete: true }));

  const config = new k8s.apiextensions.CustomResourcePatch(`${name}-config`, {
    apiVersion: REGISTRY_CONFIG_API_VERSION,
    kind: REGISTRY_CONFIG_KIND,
    metadata: { name: REGISTRY_CONFIG_NAME, annotations: patchAnnotations(true) },
    spec: args.plan.apply((p) => p.spec),
  }, after({ dependsOn: [...switchAfter, ...(secret ? [secret] : [])], retainOnDelete: true }));

  // The image pruner beside the storage: the fields given, server-side applied as this library.
  // Not kept on delete: deleting the patch relinquishes only its fields, and the operator's defaults return.
  const imagePruner = requests?.imagePruner ? new k8s.apiextensions.CustomResourcePatch(`${name}-image-pruner`, {
    apiVersion: IMAGE_PRUNER_API_VERSION,
    kind: 'ImagePruner',
    metadata: { name: IMAGE_PRUNER_NAME, annotations: patchAnnotations(true) },
    spec: args.plan.apply((p) => p.imagePruner?.spec ?? {}),
  }, after({ dependsOn: [config] })) : undefined;

  let last: pulumi.Resource = config;
  let removeOtherStorageJob: k8s.batch.v1.Job | undefined;
  if (opts.removeOtherStorageTypes ?? true) {
    // Names of this component's own: a stack that replaces one component class by another (S3 by
    // ObjectBucketClaim, PVC by S3) creates the new objects before it deletes the old ones, so fixed
    // names would collide (AlreadyExists on pulumi-kubernetes >= 4.29) or, before 4.29, the old
    // component's delete would remove the namespace the new Job runs in.
    const image: pulumi.Input<string> = oc();
    // With no Secret of its own, the Job also deletes one this library wrote before (the old
    // default of keys): kept on delete, it would override the cluster's identity with dead keys.
    const manifests = removeOtherStorageObjects(args.storageType, {
      // Any string: the Job's image is set below, and no ImageStream is made (the image is resolved here).
      image: typeof image === 'string' ? image : PAYLOAD_CLI_PLACEHOLDER,
      namespace: opts.jobNamespace ?? `${DEFAULT_JOB_NAMESPACE}-${suffix}`,
      name: `registry-storage-keep-${args.storageType.toLowerCase()}-${suffix}`,
      removeStaleUserSecret: !secret,
    });
    const created: pulumi.Resource[] = [];
    for (const m of manifests) {
      const manifest = m.kind === 'Job' ? withJobImage(m, image) : m;
      const r = createManifest(`${name}-keep-${args.storageType.toLowerCase()}-${m.kind.toLowerCase()}`, manifest, after({ dependsOn: [config, ...created] }));
      created.push(r);
    }
    removeOtherStorageJob = created[created.length - 1] as k8s.batch.v1.Job;
    last = removeOtherStorageJob;
  }

  let storageApplied: k8s.apiextensions.CustomResourcePatch | undefined;
  if (opts.waitForStorage ?? true) {
    storageApplied = new k8s.apiextensions.CustomResourcePatch(`${name}-storage-applied`, {
      apiVersion: REGISTRY_CONFIG_API_VERSION,
      kind: REGISTRY_CONFIG_KIND,
      metadata: {
        name: REGISTRY_CONFIG_NAME,
        annotations: args.plan.apply((p) => storageWaitAnnotations(p.spec, opts.waitTimeoutSeconds ?? 600)),
      },
      // Not kept on delete: deleting it relinquishes only its own annotations (`ssa.Relinquish`), so
      // `pulumi destroy`, `waitForStorage: false` or a replaced component leave no `waitFor` behind.
    }, after({ dependsOn: [last] }));
  }
  const writableJob = migration?.afterSwitch([storageApplied ?? last]);
  // The hard prune, on the storage in use: after the wait (and after the window of a migration closed).
  let hardPrune: pulumi.Resource | undefined;
  if (requests?.hardPrune) {
    const image = oc();
    const made: pulumi.Resource[] = [];
    const manifests = hardPruneObjects(requests.hardPrune);
    for (const m of manifests.filter((x) => x.kind !== 'ImageStream')) {
      const manifest = m.kind === 'Job' || m.kind === 'CronJob' ? withJobImage(m, image) : m;
      const kindName = m.metadata.name === 'registry-storage-hard-prune-registry' ? 'image-pruner-binding' : m.kind.toLowerCase();
      made.push(createManifest(`${name}-hard-prune-${kindName}`, manifest, after({ dependsOn: [storageApplied ?? last, ...(writableJob ? [writableJob] : []), ...made] })));
    }
    hardPrune = made[made.length - 1];
  }
  const moved = migration ? { migration: { ...migration.before, writableJob: writableJob! } } : {};
  const optional = { ...moved, ...(imagePruner ? { imagePruner } : {}), ...(hardPrune ? { hardPrune } : {}) };
  return { secret, config, removeOtherStorageJob, storageApplied, ...optional };
}

/** Stands for the payload's cli image while the manifests are made; never applied. */
const PAYLOAD_CLI_PLACEHOLDER = 'payload-cli';

/** The release payload's `oc` image (`openshift/cli:latest`). */
export const PAYLOAD_CLI_IMAGE_STREAM_TAG = 'openshift/cli:latest';

/**
 * The release payload's `oc`, read from the `openshift/cli:latest` ImageStreamTag at every
 * `pulumi up` and preview: a digest pull spec (`image.dockerImageReference`, openshift/api
 * `image/v1/types.go`), which image digest mirror sets cover on disconnected clusters. A Job with a
 * digest is stored as applied: OpenShift's ImagePolicy plugin rewrites only short names that a
 * local ImageStream resolves (`batch/jobs` is a LocalNames rule), and pulumi-kubernetes, which
 * diffs against the live Job and replaces on any `spec.template` change, would otherwise replace
 * and re-run the Job on every `pulumi up`. After a cluster upgrade the digest changes, and the next
 * `pulumi up` runs the new release's `oc`. `openshift/cli` ships in every payload with no
 * capability; where its import failed (`oc get imagestreamtag cli:latest -n openshift` finds
 * nothing), the read fails at once: give `cliImage`.
 */
function payloadCliImage(name: string, parent: pulumi.Resource, gate: pulumi.Output<unknown>): pulumi.Output<string> {
  // The ID waits for the plan: props that turn out invalid read nothing either.
  const image = readClusterField<{ dockerImageReference?: string }>(name, 'image.openshift.io/v1', 'ImageStreamTag',
    gate.apply(() => PAYLOAD_CLI_IMAGE_STREAM_TAG), 'image', { parent });
  return image.apply((i) => {
    if (typeof i?.dockerImageReference !== 'string' || i.dockerImageReference === '') {
      const e = new pulumi.ResourceError(`ImageStreamTag ${PAYLOAD_CLI_IMAGE_STREAM_TAG} has no image (its import failed: oc describe imagestream cli -n openshift); `
        + 'set cliImage to an oc image your cluster can pull', parent);
      reportResolvedProblem(e);
      throw e;
    }
    return i.dockerImageReference;
  });
}

/**
 * `SingleReplica` when the cluster's `infrastructures.config.openshift.io/cluster` says so
 * (`status.infrastructureTopology`), otherwise undefined (the highly available default). Read after
 * `gate`, so props that turn out invalid read nothing.
 */
function clusterTopology(name: string, parent: pulumi.Resource, gate: pulumi.Output<unknown>): pulumi.Output<'SingleReplica' | undefined> {
  const status = readClusterField<{ infrastructureTopology?: string }>(name, 'config.openshift.io/v1', 'Infrastructure',
    gate.apply(() => 'cluster'), 'status', { parent });
  return status.apply((s) => (s?.infrastructureTopology === 'SingleReplica' ? 'SingleReplica' as const : undefined));
}

/**
 * @internal The cluster's resource tags on a platform, read from its Infrastructure
 * (`status.platformStatus.<platform>.resourceTags`): each component's `clusterResourceTagsFromCluster`.
 */
export function readClusterResourceTags(platform: 'aws' | 'azure', options: ClusterCredentialsReadOptions): pulumi.Output<Record<string, string>> {
  return readClusterField<unknown>(options.name ?? 'infrastructure', 'config.openshift.io/v1', 'Infrastructure', 'cluster', 'status',
    { provider: options.provider, parent: options.parent }).apply((status) => infrastructureResourceTags({ status }, platform));
}

/**
 * @internal One top-level field of an object that exists in the cluster (`Resource.get`): the
 * Infrastructure's `status`, an ImageStreamTag's `image`. `CustomResource.get` registers only
 * `apiVersion` and `kind` as outputs; a CustomResource built with the `id` option and the field
 * named (undefined) reads that field too.
 */
export function readClusterField<T>(name: string, apiVersion: string, kind: string, id: pulumi.Input<string>, field: string,
  opts: pulumi.CustomResourceOptions): pulumi.Output<T | undefined> {
  const args = { apiVersion, kind, [field]: undefined } as k8s.apiextensions.CustomResourceArgs;
  const object = new k8s.apiextensions.CustomResource(name, args, { ...opts, id });
  return (object as unknown as Record<string, pulumi.Output<T | undefined>>)[field];
}

/** The Job manifest with `image` in its one container. */
function withJobImage(job: KubernetesManifest, image: pulumi.Input<string>): KubernetesManifest {
  if (job.kind === 'CronJob') {
    const cron = (job as any).spec;
    const inner = withJobImage({ apiVersion: 'batch/v1', kind: 'Job', metadata: job.metadata, spec: cron.jobTemplate.spec } as KubernetesManifest, image) as any;
    return { ...job, spec: { ...cron, jobTemplate: { spec: inner.spec } } } as KubernetesManifest;
  }
  const spec = (job as any).spec;
  const [container] = spec.template.spec.containers;
  const template = { ...spec.template, spec: { ...spec.template.spec, containers: [{ ...container, image }] } };
  return { ...job, spec: { ...spec, template } } as KubernetesManifest;
}

/**
 * The clusters the program's components target, per run of the program (the engine's monitor; a
 * fresh one for each `setMocks`): Kubernetes provider (or `default`) to the component on it.
 */
const CLUSTERS = new WeakMap<object, Map<pulumi.ProviderResource | 'default', string>>();

/**
 * Refuses a second registry storage on the same Kubernetes provider (or a second one on the default
 * provider): a cluster has one `cluster` Config and one user Secret, and two components would take
 * them from each other at every `pulumi up`.
 */
function claimCluster(component: pulumi.Resource, type: string, name: string): void {
  // Outside a program run (a component built in a plain unit test) there is no cluster to share.
  const run = pulumi.runtime.getMonitor() as object | undefined;
  if (run === undefined) return;
  const claims = CLUSTERS.get(run) ?? new Map<pulumi.ProviderResource | 'default', string>();
  CLUSTERS.set(run, claims);
  const provider = component.getProvider('kubernetes:core/v1:Secret') ?? 'default';
  const here = `${type} "${name}"`;
  const other = claims.get(provider);
  if (other !== undefined) {
    const on = provider === 'default' ? 'the default Kubernetes provider' : 'one Kubernetes provider';
    throw new pulumi.ResourceError(`${other} and ${here} both configure the registry of ${on}: a cluster has one "cluster" Config `
      + 'and one user Secret. Keep one of them, or give each its own cluster: { providers: { kubernetes: new k8s.Provider(...) } }', component);
  }
  claims.set(provider, here);
}

/**
 * What a component given no Kubernetes provider says at `pulumi up` and preview: the default
 * provider's cluster, as pulumi-kubernetes picks it (`kubernetes:context`, else the current context
 * of `kubernetes:kubeconfig`, `$KUBECONFIG` or `~/.kube/config`).
 */
export function ambientClusterWarning(): string {
  const pin = 'Pin it: { providers: { kubernetes: new k8s.Provider(\'cluster\', { kubeconfig, context }) } }';
  const config = new pulumi.Config('kubernetes');
  const context = config.get('context');
  const source = config.get('kubeconfig') !== undefined ? 'kubernetes:kubeconfig'
    : process.env.KUBECONFIG ? `KUBECONFIG=${process.env.KUBECONFIG}` : '~/.kube/config';
  const current = context ?? currentContext(config.get('kubeconfig'));
  const target = current === undefined ? `the current context of ${source} (none found here)`
    : `kubeconfig context "${current}"${context !== undefined ? ' (kubernetes:context)' : ` (${source})`}`;
  return `no Kubernetes provider given: this component configures the registry of the default provider's cluster, ${target}. ${pin}`;
}

/** `current-context` of a kubeconfig (its text, or a path), of `$KUBECONFIG`'s first file, or of `~/.kube/config`. */
function currentContext(kubeconfig: string | undefined): string | undefined {
  let text = kubeconfig;
  try {
    if (text === undefined || !/current-context|apiVersion/.test(text)) {
      const file = text ?? (process.env.KUBECONFIG?.split(path.delimiter)[0] || path.join(os.homedir(), '.kube', 'config'));
      text = fs.readFileSync(file, 'utf8');
    }
    const match = /^current-context:\s*["']?([^"'\s#]+)/m.exec(text);
    return match?.[1];
  } catch {
    return undefined;
  }
}

/** Creates a core manifest as the matching typed Pulumi resource. */
export function createManifest(name: string, m: KubernetesManifest, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const { apiVersion, kind, ...args } = m as any;
  switch (kind) {
    case 'Namespace': return new k8s.core.v1.Namespace(name, args, opts);
    case 'NetworkPolicy': return new k8s.networking.v1.NetworkPolicy(name, args, opts);
    case 'ServiceAccount': return new k8s.core.v1.ServiceAccount(name, args, opts);
    case 'ClusterRole': return new k8s.rbac.v1.ClusterRole(name, args, opts);
    case 'ClusterRoleBinding': return new k8s.rbac.v1.ClusterRoleBinding(name, args, opts);
    case 'Role': return new k8s.rbac.v1.Role(name, args, opts);
    case 'RoleBinding': return new k8s.rbac.v1.RoleBinding(name, args, opts);
    case 'ImageStream': return new k8s.apiextensions.CustomResource(name, {
      apiVersion,
      kind,
      ...args,
      // The Job's image resolves through this tag: wait until it points at an image.
      metadata: { ...args.metadata, annotations: { ...args.metadata.annotations, 'pulumi.com/waitFor': 'jsonpath={.status.tags[0].items[0].dockerImageReference}' } },
    }, opts);
    case 'Job': return new k8s.batch.v1.Job(name, {
      ...args,
      metadata: { ...args.metadata, annotations: { ...args.metadata.annotations, 'pulumi.com/waitFor': 'condition=Complete' } },
    }, { ...opts, deleteBeforeReplace: true });
    case 'CronJob': return new k8s.batch.v1.CronJob(name, args, opts);
    case 'StorageClass': return new k8s.storage.v1.StorageClass(name, args, opts);
    case 'PersistentVolumeClaim': return new k8s.core.v1.PersistentVolumeClaim(name, args, opts);
    default: throw new Error(`no Pulumi resource for kind ${kind}`);
  }
}

/** Outputs every registry storage component has. */
export abstract class RegistryStorageComponent extends pulumi.ComponentResource {
  /** The storage block this component sets. */
  public readonly storageType: RegistryStorageType;
  /**
   * @internal What every child waits for: the check of the resolved props
   * ({@link checkWhenKnown}); {@link child} refuses to make a child before it is set.
   */
  public gate?: pulumi.Output<unknown>;
  /** The Config `spec` fragment patched into `configs.imageregistry.operator.openshift.io/cluster`. */
  public readonly spec!: pulumi.Output<ConfigSpecPatch>;
  /** Name of the user credentials Secret, when one is created. */
  public readonly secretName!: pulumi.Output<string | undefined>;
  /** The server-side-apply patch of the `cluster` Config. */
  public readonly config!: k8s.apiextensions.CustomResourcePatch;
  /**
   * The server-side-apply patch of the `image-registry-private-configuration-user` Secret, when
   * the registry uses keys: it creates the Secret or takes over the keys it sets.
   */
  public readonly secret?: k8s.core.v1.SecretPatch;
  /**
   * With `migrateFrom`: the Jobs that move the images (the copy, the read-only window, the final
   * copy and checks the switch waits for, and the Job that makes the registry writable again).
   */
  public readonly migration?: MigrationResources;
  /** With `imagePruner`: the server-side-apply patch of `imagepruners.imageregistry.operator.openshift.io/cluster`. */
  public readonly imagePruner?: k8s.apiextensions.CustomResourcePatch;
  /** With `hardPrune`: its Job, or CronJob with a `schedule`. */
  public readonly hardPrune?: pulumi.Resource;

  /** @internal The component's type name (`S3RegistryStorage`). */
  public readonly componentType: string;
  /** @internal The component's name. */
  public readonly componentName: string;

  protected constructor(type: string, storageType: RegistryStorageType, name: string, opts?: pulumi.ComponentResourceOptions) {
    super(`openshift-registry-storage:index:${type}`, name, {}, opts);
    this.storageType = storageType;
    this.componentType = type;
    this.componentName = name;
  }

  /**
   * Checks the props again once every Input has resolved, credentials included, and makes that
   * check the gate of every child created after this call ({@link child}): Outputs that resolve to
   * invalid values (`replicas: pulumi.output(0)`, a key file path, an empty secret key) fail the
   * component with a `ResourceError` naming each prop, and no child is registered. Credentials
   * are checked apart so that nothing else turns secret; the messages never repeat their values.
   * @param props the core props as the plan takes them, Inputs allowed, without `credentials`
   * @param credentials the user's credentials, when the registry uses them
   */
  protected checkWhenKnown<P>(what: string, plan: (p: P) => RegistryStoragePlan, props: InputProps<Omit<P, 'credentials'>> | object,
    credentials?: pulumi.Input<object>): void {
    const resolved = pulumi.all([pulumi.output(props as object), pulumi.output(credentials as object | undefined)]).apply(([p, c]) => {
      planWhenResolved(this, what, plan, (c === undefined ? p : { ...p, credentials: c }) as P);
      return true;
    });
    // Only `true` comes out: the gate itself carries no secret, whatever the credentials were.
    this.gate = pulumi.unsecret(resolved);
  }

  /**
   * The plan of the resolved props (names of created resources included), gated on
   * {@link checkWhenKnown}: what the Kubernetes side is made of.
   */
  protected planWhenKnown<P>(what: string, plan: (p: P) => RegistryStoragePlan, props: pulumi.Input<object>): pulumi.Output<RegistryStoragePlan> {
    const gate = this.gate;
    if (!gate) throw new Error(`${this.componentType} ${this.componentName}: planWhenKnown before checkWhenKnown`);
    // Neither replicas nor the topology given: the cluster's topology picks the default, as the
    // operator's bootstrap does (1 on single-node OpenShift, where 2 replicas leave a pod Pending).
    const given = props as { replicas?: unknown; infrastructureTopology?: unknown };
    const topology = !pulumi.Output.isInstance(props) && given.replicas === undefined && given.infrastructureTopology === undefined
      ? clusterTopology(`${this.componentName}-infrastructure`, this, gate) : pulumi.output(undefined);
    return pulumi.all([gate, pulumi.output(props), topology]).apply(([, p, t]) => planWhenResolved(this, what, plan,
      (t === undefined ? p : { ...p, infrastructureTopology: t }) as P));
  }

  /**
   * Prints one of the component's own warnings (`pulumi.log.warn`, `path: message [code]`) unless
   * the props acknowledge its code. The plan checks `acknowledgeWarnings` itself; a value that is
   * not a list of strings acknowledges nothing here.
   */
  protected warn(props: { readonly acknowledgeWarnings?: unknown }, w: RegistryConfigProblem): void {
    const given = props.acknowledgeWarnings;
    if (Array.isArray(given) && given.includes(w.code)) return;
    void pulumi.log.warn(formatProblem(w), this);
  }

  /**
   * Creates the Kubernetes side ({@link deployKubernetesSide}), sets the common outputs and
   * registers them with the platform's own.
   */
  protected deployKubernetes(name: string, args: Omit<KubernetesSideArgs, 'storageType' | 'componentType'>, outputs: pulumi.Inputs = {}): KubernetesSide {
    // Once the props are valid: a component that throws on its props claims no cluster.
    claimCluster(this, this.componentType, name);
    const side = deployKubernetesSide(this, name, { ...args, storageType: this.storageType, componentType: this.componentType });
    // Setups the operator accepts but the library advises against: shown by `pulumi up`/`preview`.
    const ambient = !this.getProvider('kubernetes:core/v1:Secret');
    args.plan.apply((p) => {
      const acknowledged = new Set(p.acknowledgedWarnings ?? []);
      const warn = (w: RegistryConfigProblem) => {
        if (!acknowledged.has(w.code)) void pulumi.log.warn(formatProblem(w), this);
      };
      p.warnings.forEach(warn);
      if (side.storageApplied && operatorIgnoresConfig(p.spec)) {
        warn({
          path: 'managementState',
          message: `is ${p.spec.managementState}: the operator does not reconcile the Config `
            + '(pkg/operator/controller.go), so status.storage never follows it: the component does not wait for the storage',
          code: 'ORS-PULUMI-W001',
        });
      }
      if (ambient) warn({ path: 'providers.kubernetes', message: ambientClusterWarning(), code: 'ORS-PULUMI-W002' });
    });
    const self = this as { -readonly [K in keyof RegistryStorageComponent]: RegistryStorageComponent[K] };
    self.spec = args.plan.apply((p) => p.spec);
    self.secretName = pulumi.output(side.secret ? REGISTRY_USER_SECRET_NAME : undefined);
    self.config = side.config;
    self.secret = side.secret;
    self.migration = side.migration;
    self.imagePruner = side.imagePruner;
    self.hardPrune = side.hardPrune;
    this.registerOutputs({ ...outputs, spec: this.spec, secretName: this.secretName, storageType: this.storageType });
    return side;
  }
}
