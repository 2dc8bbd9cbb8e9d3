/**
 * cdk8s flavour: adapts a core plan (lib/platforms) into cdk8s API objects. No platform rule lives
 * here; the plan functions hold them all.
 */
import { ApiObject, App } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterScoped } from './cluster-scoped';
import { ImageRegistryConfig } from './generated/image-registry-config';
import { PlannedObject } from './planned-object';
import { RemoveOtherStorageTypes, RemoveOtherStorageTypesProps } from './remove-other-storage';
import { MIGRATION_WAVES, StorageMigration } from './storage-migration';
import { KEEP_ON_DELETE_ANNOTATIONS, REGISTRY_CONFIG_KIND } from '../core/constants';
import { checkPropsShape, KubernetesManifest, PropNames, RegistryStoragePlan, RegistryStorageType } from '../core/plan';
import { formatProblem, RegistryConfigProblem, RegistryStorageValidationError } from '../core/problems';
import { isNamespaced, missingNamespaceProblems } from '../core/scope';
import { ProvisionController } from '../core/storage-kind';
import { hardPruneOf } from '../platforms/hard-prune';
import { inspectRegistryObjects } from '../platforms/inspect';
import { storageMigrationOf } from '../platforms/migration-jobs';
import { provisionProblems } from '../platforms/provision';

const REGISTRY_STORAGE = Symbol.for('openshift-registry-storage.cdk8s.RegistryStorage');

/** The kinds the App check reads (rendering is most of its cost): the Config, the Secret, claims, Crossplane's Azure objects. */
const CHECKED_KINDS: ReadonlySet<string> = new Set(['Config', 'Secret', 'PersistentVolumeClaim', 'Account', 'ProviderConfig', 'RoleAssignment', 'ImagePruner']);

function isRegistryConfig(o: any): boolean {
  return o?.kind === REGISTRY_CONFIG_KIND && typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('imageregistry.operator.openshift.io/');
}

/** Resolvers of the App's own (cdk8s adds three built-in ones after them), which may rewrite any value at synthesis. */
function hasOwnResolvers(app: App): boolean {
  const builtIn = new Set(['LazyResolver', 'ImplicitTokenResolver', 'NumberStringUnionResolver']);
  return app.resolvers.some((r) => !builtIn.has(r.constructor.name));
}

/**
 * Context key: set it to `false` on the App (`app.node.setContext(...)`) to keep the constructs
 * from printing their plan's warnings at synth (read them from `warnings` instead).
 */
export const PRINT_WARNINGS_CONTEXT = 'openshift-registry-storage:printWarnings';

/**
 * What every registry storage construct emits: the `cluster` Config (typed L1, cluster-scoped), the
 * user Secret when credentials are given, and the storage objects of the plan.
 *
 * - GitOps: the Config and the claims carry {@link KEEP_ON_DELETE_ANNOTATIONS}, so Argo CD neither
 *   prunes them nor deletes them with the Application, and Flux does not garbage-collect them
 *   (deleting `cluster` makes the operator remove Managed storage and bootstrap a default).
 * - Single-node clusters: `replicas` is left out unless given or needed (1 for ReadWriteOnce and
 *   emptyDir), so the live value (1 on single-node OpenShift) stays. Apply with
 *   `oc apply --server-side --force-conflicts`: the operator's field manager owns `storage`,
 *   `replicas` and `managementState`.
 * - Disconnected clusters: see {@link RemoveOtherStorageTypes} (the payload's own `oc`).
 *
 * One App may hold one registry storage: a cluster has one `cluster` Config and one user Secret.
 */
export abstract class RegistryStorage extends Construct {
  /** True when `x` is a registry storage construct of this library. */
  public static isRegistryStorage(x: unknown): x is RegistryStorage {
    return typeof x === 'object' && x !== null && REGISTRY_STORAGE in x;
  }

  /** The storage block this construct sets. */
  public readonly storageType: RegistryStorageType;
  /** The core plan the construct emitted (Secret values included: do not log it). */
  public readonly plan: RegistryStoragePlan;
  /** The `configs.imageregistry.operator.openshift.io/cluster` object. */
  public readonly config: ImageRegistryConfig;
  /** The `image-registry-private-configuration-user` Secret, when credentials were given. */
  public readonly secret?: ApiObject;
  /**
   * The plan's warnings: setups the operator accepts but the library advises against. They are
   * printed (console) when the App synthesizes, unless the App's context
   * {@link PRINT_WARNINGS_CONTEXT} is `false`.
   */
  public readonly warnings: readonly RegistryConfigProblem[];
  /**
   * With `imagePruner`: `imagepruners.imageregistry.operator.openshift.io/cluster`, with the fields
   * given (apply it server-side, as the Config: the operator owns the rest).
   */
  public readonly imagePruner?: ApiObject;
  /** With `hardPrune`: its Job, or CronJob with a `schedule`. */
  public readonly hardPrune?: ApiObject;
  /**
   * With `migrateFrom`: the objects that move the images before the switch, in Argo CD sync waves
   * ({@link StorageMigration}).
   */
  public readonly migration?: StorageMigration;

  protected constructor(scope: Construct, id: string, plan: RegistryStoragePlan) {
    super(scope, id);
    Object.defineProperty(this, REGISTRY_STORAGE, { value: true });
    this.plan = plan;
    this.storageType = plan.storageType;

    if (plan.secret) {
      this.secret = new PlannedObject(this, 'Secret', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: plan.secret.metadata,
        type: plan.secret.type,
        stringData: { ...plan.secret.stringData },
      });
    }
    const migration = storageMigrationOf(plan, new.target.name);
    const acknowledged = new Set(plan.acknowledgedWarnings ?? []);
    this.warnings = migration && !acknowledged.has('ORS-CDK8S-W004') ? [...plan.warnings, {
      path: 'migrateFrom',
      message: 'the move is ordered by Argo CD sync waves (copy, read-only, final copy and checks, then the switch): '
        + 'applying the whole output at once with oc apply switches before the copy. Sync it with Argo CD, or apply the steps in order (docs/migration.md)',
      code: 'ORS-CDK8S-W004',
    }] : plan.warnings;
    // GitOps tools must never delete `cluster`: the operator would remove Managed storage and
    // bootstrap a default one (pkg/operator/controller.go).
    this.config = new ImageRegistryConfig(this, 'Config', {
      metadata: { annotations: { ...KEEP_ON_DELETE_ANNOTATIONS } }, spec: plan.spec, openshiftVersion: plan.openshiftVersion, specAdmitted: true,
    });
    // The operator must never see a Config whose credentials do not exist yet.
    if (this.secret) this.config.addDependency(this.secret);
    if (plan.imagePruner) {
      // Never pruned or deleted by GitOps: the operator owns the object and would re-create it with its defaults.
      const { metadata, ...rest } = plan.imagePruner;
      this.imagePruner = new PlannedObject(this, 'ImagePruner', { ...rest, metadata: { ...metadata, annotations: { ...KEEP_ON_DELETE_ANNOTATIONS } } } as any);
      clusterScoped(this.imagePruner);
      this.imagePruner.addDependency(this.config);
    }
    const prune = hardPruneOf(plan, new.target.name);
    if (prune) {
      // After the switch and its window (wave 10): ordinary objects, so a Job runs once, not at every sync.
      const made = prune.map((m) => {
        const wave = m.kind === 'Namespace' ? 20 : m.kind === 'Job' || m.kind === 'CronJob' ? 22 : 21;
        const obj = new ApiObject(this, `HardPrune${m.kind}${m.metadata.name === 'registry-storage-hard-prune-registry' ? 'Registry' : ''}`, {
          ...m, metadata: { ...m.metadata, annotations: { ...m.metadata.annotations, 'argocd.argoproj.io/sync-wave': String(wave) } },
        });
        if (m.metadata.namespace === undefined) clusterScoped(obj);
        return obj;
      });
      for (let i = 1; i < made.length; i++) made[i].addDependency(made[i - 1]);
      made[0].addDependency(this.config);
      this.hardPrune = made[made.length - 1];
    }
    if (migration) {
      const m = new StorageMigration(this, 'Migration', { migration, plan });
      this.migration = m;
      // Nothing of the switch before the final copy and its checks passed: not even the keys the registry reads.
      for (const o of [this.config, ...(this.secret ? [this.secret] : [])]) o.addDependency(m.finalJob);
      // The storage the construct creates (a bucket through a controller, a claim) is made by the
      // subclass after this constructor: it is put in the first wave when the App is checked.
      this.node.addValidation({ validate: () => this.storageFirst(m) });
    }

    this.node.addValidation({
      validate: () => {
        if (this.node.tryGetContext(PRINT_WARNINGS_CONTEXT) !== false) {
          for (const w of this.warnings) console.warn(`[openshift-registry-storage] warning: ${this.node.path}: ${formatProblem(w)}`);
        }
        return [];
      },
    });
    this.node.addValidation({ validate: () => this.validateApp() });
  }

  /**
   * An object this storage emitted from its plan (its Config, or a PlannedObject of its own) that
   * still renders what the plan made. Known by identity: an object of these kinds added by hand,
   * here or elsewhere, is rendered and checked.
   */
  private ownUnchanged(o: ApiObject): boolean {
    if ((o as unknown) === (this.config as unknown)) return this.config.unchangedSincePlan();
    if (!o.node.scopes.includes(this)) return false;
    const planned = o as unknown as { unchangedSincePlan?: unknown; constructor: unknown };
    // By its class, compared directly: cdk8s' ApiObject answers `instanceof` of any of its subclasses
    // for every ApiObject (its Symbol.hasInstance).
    return planned.constructor === PlannedObject && (o as unknown as PlannedObject).unchangedSincePlan();
  }

  /**
   * Puts the storage objects this construct created (not the Config, the user Secret, the
   * migration's or the removal's objects) in the first sync wave, before the copy writes to them.
   */
  private storageFirst(m: StorageMigration): string[] {
    const skip = new Set<Construct>([this.config, ...(this.secret ? [this.secret] : []), ...(this.imagePruner ? [this.imagePruner] : [])]);
    for (const c of this.node.findAll()) {
      if (!(c instanceof ApiObject) || skip.has(c) || c.node.scopes.some((s) => s === m || s instanceof RemoveOtherStorageTypes)) continue;
      // Objects in waves of their own (the hard prune's) keep them.
      if ((c.toJson() as KubernetesManifest).metadata.annotations?.['argocd.argoproj.io/sync-wave'] !== undefined) continue;
      c.metadata.addAnnotation('argocd.argoproj.io/sync-wave', String(MIGRATION_WAVES.storage));
      m.first.addDependency(c);
    }
    return [];
  }

  /**
   * Checks the whole App once (from its first registry storage): one `cluster` Config and one
   * registry storage per App (a Config added by hand counts too), and the objects as `check` would
   * check them live (endpoint and bucket rules, ReadWriteOnce claims and replicas, Secret keys,
   * `managementState: Removed`), after any JSON patches.
   */
  private validateApp(): string[] {
    const app = App.of(this);
    const all = app.node.findAll();
    const storages = all.filter(RegistryStorage.isRegistryStorage);
    if (storages[0] !== this) return [];
    const errors: string[] = [];
    if (storages.length > 1) {
      errors.push(`one App may hold one registry storage (a cluster has one "cluster" Config and one user Secret), found ${storages.length}: `
        + `${storages.map((s) => s.node.path).join(', ')}. Put each cluster in its own App`);
    }
    // Every namespaced object the constructs emit names its namespace (rendered only when its
    // metadata names none). Only theirs: the App may hold cluster-scoped objects of kinds the
    // library does not know (an Image config, an SCC).
    const unnamed = storages.flatMap((s) => s.node.findAll()).filter((c): c is ApiObject => c instanceof ApiObject
      && isNamespaced(c.apiVersion, c.kind) && !c.metadata.namespace);
    const rendered = unnamed.map((o) => o.toJson() as KubernetesManifest);
    for (const p of missingNamespaceProblems(rendered, (_o, i) => unnamed[i].node.path)) errors.push(`${p.path}: ${p.message}`);
    // Only the kinds the checks read are rendered (rendering is most of the cost of this check).
    const apiObjects = all.filter((c): c is ApiObject => c instanceof ApiObject && CHECKED_KINDS.has(c.kind));
    // Every such object is this storage's own and renders what its plan made, which passed these
    // very rules: nothing to render or check again. A JSON patch, a changed props object, or an
    // object of these kinds added by hand, and all are rendered and checked.
    if (storages.length === 1 && !hasOwnResolvers(app) && apiObjects.every((o) => this.ownUnchanged(o))) return errors;
    const objects = apiObjects.map((o) => o.toJson());
    const configs = apiObjects.filter((_o, i) => isRegistryConfig(objects[i]));
    if (configs.length > 1) {
      errors.push(`one App may hold one configs.imageregistry.operator.openshift.io object (the operator reads only "cluster"), found ${configs.length}: `
        + `${configs.map((c) => c.node.path).join(', ')}. Remove the one added by hand, or put each cluster in its own App`);
      return errors;
    }
    // The Config's own CRD problems are reported by the Config itself.
    for (const p of inspectRegistryObjects(objects, { skipCrd: true, openshiftVersion: this.plan.openshiftVersion }).problems) errors.push(`${p.path}: ${p.message}`);
    return errors;
  }

  /**
   * Adds a Job that removes every other storage block from the Config, for switching storage type
   * in a GitOps flow (server-side apply cannot remove blocks another field manager owns). It runs
   * after the Config (an Argo CD PostSync hook by default), in a namespace of its own, with the
   * release payload's `oc` unless `cliImage` is given; see {@link RemoveOtherStorageTypes}.
   */
  public removeOtherStorageTypes(props: Omit<RemoveOtherStorageTypesProps, 'keep'> = {}): RemoveOtherStorageTypes {
    const own = checkPropsShape('removeOtherStorageTypes', props, { cliImage: true, namespace: true, argoCdHook: true });
    const job = new RemoveOtherStorageTypes(this, 'RemoveOtherStorageTypes', { ...own, keep: this.storageType });
    job.node.addDependency(this.config);
    return job;
  }

  /** @internal Emits a core manifest as an L1, keeping cluster-scoped objects free of a namespace. */
  protected emit<T extends ApiObject>(id: string, manifest: KubernetesManifest, make: (scope: Construct, id: string, props: any) => T): T {
    const { apiVersion: _a, kind: _k, ...props } = manifest;
    const obj = make(this, id, props);
    if (manifest.metadata.namespace === undefined) clusterScoped(obj);
    return obj;
  }
}

/**
 * Runs a plan and adds the construct's own problems, so that every problem is thrown at once.
 * @internal
 */
export function withProvisionProblems(what: string, plan: () => RegistryStoragePlan, extra: () => RegistryConfigProblem[],
  warnings: () => RegistryConfigProblem[] = () => [], lifted?: LiftedProps<unknown>): RegistryStoragePlan {
  // the plan's problems first, then the construct's; the construct's warnings join the plan's
  let result: RegistryStoragePlan | undefined;
  const problems: RegistryConfigProblem[] = [];
  try {
    result = plan();
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    problems.push(...e.problems);
  }
  problems.push(...(lifted?.problems ?? []), ...extra().map((p) => lifted?.at(p) ?? p));
  // One rule may be read by two steps (provision's own check and the access plan): say it once.
  const seen = new Set<string>();
  const once = problems.filter((p) => !seen.has(`${p.path}\n${p.message}`) && seen.add(`${p.path}\n${p.message}`));
  if (once.length > 0) throw new RegistryStorageValidationError(what, once);
  // the construct's own warnings, less those the props acknowledged (the plan checked the codes)
  const acknowledged = new Set(result!.acknowledgedWarnings ?? []);
  const more = [...(lifted?.warnings ?? []), ...warnings()].filter((w) => !acknowledged.has(w.code));
  return more.length > 0 ? { ...result!, warnings: [...result!.warnings, ...more] } : result!;
}

/** @internal The problems a planning step throws, as a list. */
export function collect(step: () => unknown): RegistryConfigProblem[] {
  try {
    step();
    return [];
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    return [...e.problems];
  }
}

/**
 * @internal Props that describe the storage a controller creates (`tags`, `retainOnDelete`,
 * `registryPrincipalArn`, ...) sit at the top of the props, where the Pulumi components take them.
 * Under `provision` they are deprecated and still read. This moves each given at the top into
 * `provision`, where the controllers' code reads it, and says what is wrong:
 * - at the top with no `provision`: nothing would create the storage they describe (an error);
 * - at the top and under `provision` with another value (an error: which one is meant?);
 * - under `provision` only: a deprecation warning naming where it goes.
 * Paths of later problems about a moved prop are given back at the top with {@link LiftedProps.at}.
 */
export function liftIntoProvision<P extends { provision?: unknown }>(shaped: P, names: readonly string[]): LiftedProps<P> {
  const storage: Record<string, unknown> = { ...shaped };
  const given = storage.provision ?? undefined;
  let provision = typeof given === 'object' && given !== null && !Array.isArray(given) ? { ...(given as Record<string, unknown>) } : given;
  delete storage.provision;
  const problems: RegistryConfigProblem[] = [];
  const warnings: RegistryConfigProblem[] = [];
  const fromTop = new Set<string>();
  for (const n of names) {
    const top = storage[n] ?? undefined;
    delete storage[n];
    const under = typeof provision === 'object' && provision !== null ? (provision as Record<string, unknown>)[n] ?? undefined : undefined;
    if (top === undefined) {
      if (under !== undefined) {
        warnings.push({ path: `provision.${n}`, message: `is deprecated here: give ${n} at the top of the props, where the Pulumi component takes it too`, code: 'ORS-CDK8S-W003' });
      }
      continue;
    }
    if (provision === undefined) {
      problems.push({ path: n, message: 'describes storage a controller creates: add provision: { controller: ... }, or remove it', code: 'ORS-CDK8S-015' });
    } else if (typeof provision === 'object' && provision !== null) {
      if (under !== undefined && JSON.stringify(under) !== JSON.stringify(top)) {
        problems.push({ path: `provision.${n}`, message: `is given at the top too (${n}), with another value: keep the one at the top`, code: 'ORS-CDK8S-016' });
      }
      provision = { ...(provision as Record<string, unknown>), [n]: top };
      fromTop.add(n);
    }
  }
  const at = (p: RegistryConfigProblem): RegistryConfigProblem => {
    const m = /^provision\.([^.[]+)(.*)$/.exec(p.path);
    return m && fromTop.has(m[1]) ? { ...p, path: `${m[1]}${m[2]}` } : p;
  };
  return { props: { ...storage, provision } as P, problems, warnings, at };
}

/**
 * @internal The props of a construct that can create its storage, read once: checked as plain data
 * against `names` and the top-level `provisioned` names, those lifted into `provision`
 * ({@link liftIntoProvision}), and `provision` checked against its controllers' fields.
 */
export function readProvisionedProps<P extends { provision?: unknown }>(what: string, props: unknown, names: PropNames<any>,
  provisioned: Readonly<Record<string, true>>, controllers: Readonly<Record<string, ProvisionController>>) {
  const lifted = liftIntoProvision(checkPropsShape(what, props, { ...names, ...provisioned, provision: true }) as P, Object.keys(provisioned));
  const { provision: given, ...storage } = lifted.props as Record<string, any>;
  const provision = given ?? undefined; // null: not given, as for every prop
  return { lifted, storage, provision, provisionIssues: provisionProblems(provision, controllers) };
}

/** @internal What {@link liftIntoProvision} returns. */
export interface LiftedProps<P> {
  /** The props with every lifted prop under `provision`. */
  readonly props: P;
  readonly problems: readonly RegistryConfigProblem[];
  readonly warnings: readonly RegistryConfigProblem[];
  /** A problem about `provision.<name>` of a prop given at the top, named at the top. */
  readonly at: (p: RegistryConfigProblem) => RegistryConfigProblem;
}
