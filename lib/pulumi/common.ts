/**
 * What every Pulumi registry storage component shares: props typing, validation before any child
 * is registered, and the Kubernetes side of the deploy graph (user Secret, server-side-apply patch
 * of the `cluster` Config, removal of other storage types, wait for the registry). Needs only
 * `@pulumi/pulumi` and `@pulumi/kubernetes`; each cloud entry adds its own SDK.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  FIELD_MANAGER, REGISTRY_CONFIG_API_VERSION, REGISTRY_CONFIG_KIND, REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME,
} from '../core/constants';
import { KubernetesManifest, RegistryStoragePlan, RegistryStorageType } from '../core/plan';
import { DEFERRED, RegistryConfigProblem, RegistryStorageValidationError } from '../core/problems';
import { removeOtherStorageObjects } from '../core/remove-other-storage';
import { ConfigSpec } from '../generated/config-types';

/** A core props type whose values may be Pulumi Inputs. */
export type InputProps<T> = {
  readonly [K in keyof T]: T[K] extends string | number | boolean | undefined | null
    ? pulumi.Input<T[K]>
    : T[K] extends object | undefined ? pulumi.Input<InputProps<NonNullable<T[K]>>> | Extract<T[K], undefined> : pulumi.Input<T[K]>;
};

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
   * Wait after the patch until the operator reports the registry `Available`, so that
   * `pulumi up` fails loudly when the registry does not come up.
   * @default true
   */
  readonly waitForAvailable?: boolean;
  /**
   * How long to wait for `Available`, in seconds.
   * @default 600
   */
  readonly availableTimeoutSeconds?: number;
  /**
   * Remove every other storage block from the Config after the patch, with a Job whose
   * ServiceAccount may only `get` and `patch` the `cluster` Config. Server-side apply cannot
   * remove blocks another field manager owns (the installer's default `s3`/`gcs`/`azure`/`swift`,
   * a bootstrap `pvc`, a test `emptyDir`), and two blocks stop the operator.
   * @default true
   */
  readonly removeOtherStorageTypes?: boolean;
  /**
   * Image with the `oc` client for that Job. Pin a digest in production.
   * @default 'registry.redhat.io/openshift4/ose-cli:latest'
   */
  readonly cliImage?: string;
}

/** Splits a component's args into the Pulumi options and the rest (the core's props and extras). */
export function splitOptions<A extends PulumiRegistryOptions>(args: A): {
  options: PulumiRegistryOptions; rest: Omit<A, keyof PulumiRegistryOptions>;
} {
  const { retainOnDelete, waitForAvailable, availableTimeoutSeconds, removeOtherStorageTypes, cliImage, ...rest } = args;
  return { options: { retainOnDelete, waitForAvailable, availableTimeoutSeconds, removeOtherStorageTypes, cliImage }, rest };
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
  const all = [...problems, ...extra];
  if (all.length > 0) throw new pulumi.ResourceError(new RegistryStorageValidationError(what, all).message, parent);
  return result!;
}

/** @internal Options every child gets: parented to the component (so it inherits its providers). */
export function child(parent: pulumi.Resource, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { parent, ...extra };
}

/** What {@link deployKubernetesSide} creates. */
export interface KubernetesSide {
  readonly secret?: k8s.core.v1.Secret;
  readonly config: k8s.apiextensions.CustomResourcePatch;
  readonly removeOtherStorageJob?: k8s.batch.v1.Job;
  readonly available?: k8s.apiextensions.CustomResourcePatch;
}

/** Inputs of {@link deployKubernetesSide}. */
export interface KubernetesSideArgs {
  readonly storageType: RegistryStorageType;
  /** The plan, resolved; its Secret values are never used (they are DEFERRED). */
  readonly plan: pulumi.Output<RegistryStoragePlan>;
  /** Secret keys (as the plan names them) to their values; undefined means no Secret. */
  readonly secretData?: Record<string, pulumi.Input<string>>;
  /** What the Config must wait for (bucket, claim, IAM...). */
  readonly dependsOn: pulumi.Resource[];
  readonly options: PulumiRegistryOptions;
}

/**
 * The Kubernetes side of every registry storage: Secret, then the server-side-apply patch of the
 * `cluster` Config (never created, never deleted: `retainOnDelete`, because deleting a Patch
 * resource undoes its fields and the operator would then bootstrap default storage), then the Job
 * that removes other storage blocks, then the wait for `Available`.
 */
export function deployKubernetesSide(parent: pulumi.Resource, name: string, args: KubernetesSideArgs): KubernetesSide {
  const opts = args.options;
  const secret = args.secretData && new k8s.core.v1.Secret(`${name}-credentials`, {
    metadata: { name: REGISTRY_USER_SECRET_NAME, namespace: REGISTRY_NAMESPACE },
    type: 'Opaque',
    stringData: pulumi.secret(pulumi.output(args.secretData)),
  }, child(parent, { dependsOn: args.dependsOn }));

  const config = new k8s.apiextensions.CustomResourcePatch(`${name}-config`, {
    apiVersion: REGISTRY_CONFIG_API_VERSION,
    kind: REGISTRY_CONFIG_KIND,
    metadata: {
      name: REGISTRY_CONFIG_NAME,
      annotations: { 'pulumi.com/patchForce': 'true', 'pulumi.com/patchFieldManager': FIELD_MANAGER },
    },
    spec: args.plan.apply((p) => p.spec),
  }, child(parent, { dependsOn: [...args.dependsOn, ...(secret ? [secret] : [])], retainOnDelete: true }));

  let last: pulumi.Resource = config;
  let removeOtherStorageJob: k8s.batch.v1.Job | undefined;
  if (opts.removeOtherStorageTypes ?? true) {
    const manifests = removeOtherStorageObjects(args.storageType, { image: opts.cliImage });
    const created: pulumi.Resource[] = [];
    for (const m of manifests) {
      const r = createManifest(`${name}-keep-${args.storageType.toLowerCase()}-${m.kind.toLowerCase()}`, m, child(parent, { dependsOn: [config, ...created] }));
      created.push(r);
    }
    removeOtherStorageJob = created[created.length - 1] as k8s.batch.v1.Job;
    last = removeOtherStorageJob;
  }

  let available: k8s.apiextensions.CustomResourcePatch | undefined;
  if (opts.waitForAvailable ?? true) {
    available = new k8s.apiextensions.CustomResourcePatch(`${name}-available`, {
      apiVersion: REGISTRY_CONFIG_API_VERSION,
      kind: REGISTRY_CONFIG_KIND,
      metadata: {
        name: REGISTRY_CONFIG_NAME,
        annotations: {
          'pulumi.com/patchFieldManager': `${FIELD_MANAGER}-await`,
          'pulumi.com/waitFor': 'condition=Available',
          'pulumi.com/timeoutSeconds': String(opts.availableTimeoutSeconds ?? 600),
        },
      },
    }, child(parent, { dependsOn: [last], retainOnDelete: true }));
  }
  return { secret, config, removeOtherStorageJob, available };
}

/** Creates a core manifest as the matching typed Pulumi resource. */
export function createManifest(name: string, m: KubernetesManifest, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const { apiVersion: _a, kind, ...args } = m as any;
  switch (kind) {
    case 'ServiceAccount': return new k8s.core.v1.ServiceAccount(name, args, opts);
    case 'ClusterRole': return new k8s.rbac.v1.ClusterRole(name, args, opts);
    case 'ClusterRoleBinding': return new k8s.rbac.v1.ClusterRoleBinding(name, args, opts);
    case 'Job': return new k8s.batch.v1.Job(name, {
      ...args,
      metadata: { ...args.metadata, annotations: { ...args.metadata.annotations, 'pulumi.com/waitFor': 'condition=Complete' } },
    }, { ...opts, deleteBeforeReplace: true });
    case 'StorageClass': return new k8s.storage.v1.StorageClass(name, args, opts);
    case 'PersistentVolumeClaim': return new k8s.core.v1.PersistentVolumeClaim(name, args, opts);
    default: throw new Error(`no Pulumi resource for kind ${kind}`);
  }
}

/** Outputs every registry storage component has. */
export abstract class RegistryStorageComponent extends pulumi.ComponentResource {
  /** The storage block this component sets. */
  public readonly storageType: RegistryStorageType;
  /** The Config `spec` fragment patched into `configs.imageregistry.operator.openshift.io/cluster`. */
  public readonly spec!: pulumi.Output<ConfigSpec>;
  /** Name of the user credentials Secret, when one is created. */
  public readonly secretName!: pulumi.Output<string | undefined>;
  /** The server-side-apply patch of the `cluster` Config. */
  public readonly config!: k8s.apiextensions.CustomResourcePatch;
  /** The `image-registry-private-configuration-user` Secret, when one is created. */
  public readonly secret?: k8s.core.v1.Secret;

  protected constructor(type: string, storageType: RegistryStorageType, name: string, opts?: pulumi.ComponentResourceOptions) {
    super(`openshift-registry-storage:index:${type}`, name, {}, opts);
    this.storageType = storageType;
  }

  /**
   * Creates the Kubernetes side ({@link deployKubernetesSide}), sets the common outputs and
   * registers them with the platform's own.
   */
  protected deployKubernetes(name: string, args: Omit<KubernetesSideArgs, 'storageType'>, outputs: pulumi.Inputs = {}): KubernetesSide {
    const side = deployKubernetesSide(this, name, { ...args, storageType: this.storageType });
    const self = this as { -readonly [K in keyof RegistryStorageComponent]: RegistryStorageComponent[K] };
    self.spec = args.plan.apply((p) => p.spec);
    self.secretName = pulumi.output(side.secret ? REGISTRY_USER_SECRET_NAME : undefined);
    self.config = side.config;
    self.secret = side.secret;
    this.registerOutputs({ ...outputs, spec: this.spec, secretName: this.secretName, storageType: this.storageType });
    return side;
  }
}
