/**
 * The library's model of a plan: storage types, common props, the plan and the manifests it holds,
 * and the Config object around a spec.
 */
import { REGISTRY_CONFIG_API_VERSION, REGISTRY_CONFIG_KIND, REGISTRY_CONFIG_NAME } from './constants';
import type { ImagePrunerProps } from './image-pruner';
import { RegistryConfigProblem } from './problems';
import { ConfigPatch, ConfigSpecPatch } from './validate-config';

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

  /**
   * Warnings you have read and accept, by code (`['ORS-PVC-W001']`): they are no longer printed by
   * `pulumi up`, cdk8s synthesis or the CLI. Only warnings can be acknowledged (their number starts
   * with `W`); an error's code, or a code the library does not raise, is refused.
   *
   * The codes, with each warning's message, are listed in the package's `docs/problem-codes.md`.
   *
   * @default none: every warning is printed
   */
  readonly acknowledgeWarnings?: readonly string[];

  /**
   * The OpenShift release the Config is for: `'4.16'`, or the cluster's version as
   * `oc get clusterversion version -o jsonpath='{.status.desired.version}'` prints it (`'4.16.21'`).
   * The Config is validated against that release's CRD: its API server drops every field the CRD
   * does not list, without a word, so a field a later release added (`chunkSizeMiB` before 4.17,
   * Azure `networkAccess` before 4.15) is a problem naming the first release that has it.
   *
   * @default the oldest release the library supports (4.12): safe on every supported cluster; give
   * the cluster's release to use what newer releases add
   * @see https://github.com/openshift/api/tree/release-4.16/imageregistry/v1
   */
  readonly openshiftVersion?: string;

  /**
   * The storage the registry uses now, exactly as the Config's `spec.storage` holds it (copy it from
   * `oc get configs.imageregistry.operator.openshift.io cluster -o yaml`):
   * `{ pvc: { claim: 'image-registry-storage' } }`, `{ s3: { bucket, region } }`, `{ swift: {...} }`.
   * With it, the registry's images are moved to this storage before the switch: a copy while the
   * registry takes pushes, a read-only window (image pruner suspended) with a final copy and a
   * verification that stops the switch when anything is missing or damaged, the switch, then
   * read-only off and the pruner as it was. The old storage is left as it was, for rollback.
   * Remove it once the switch is done.
   *
   * @see docs/migration.md
   * @default none: the switch moves no image, and the images stored so far no longer pull
   */
  readonly migrateFrom?: Readonly<Record<string, unknown>>;

  /** How the images are moved ({@link migrateFrom}): credentials, images, namespace, deadlines. @default see each option */
  readonly migration?: StorageMigrationOptions;

  /**
   * The operator's image pruner (`imagepruners.imageregistry.operator.openshift.io/cluster`), managed
   * beside the storage: the fields given are applied server-side (field manager
   * `openshift-registry-storage`), checked against the ImagePruner CRD; the others keep what the
   * cluster has, by default the operator's (daily at midnight, 3 revisions per tag, images younger
   * than 60m kept, not suspended). The pruner removes what etcd no longer references; it does not
   * remove blobs of interrupted pushes.
   *
   * @see https://docs.openshift.com/container-platform/latest/applications/pruning-objects.html
   * @default none: the pruner is left as the cluster has it
   */
  readonly imagePruner?: ImagePrunerProps;

  /**
   * A hard prune, opt-in: the registry's own pruner (`dockerregistry -prune`), which deletes every
   * blob no Image in the cluster references (interrupted pushes, images deleted without the
   * pruner). It runs only in a read-only window of its own (pushes are refused meanwhile): check
   * first, then delete, reporting what was freed in the Job's log; the window closes whatever
   * happened. Once, or on a `schedule`.
   *
   * @see https://docs.openshift.com/container-platform/latest/applications/pruning-objects.html#pruning-hard-pruning-registry_pruning-objects
   * @default none
   */
  readonly hardPrune?: HardPruneOptions;

  /**
   * Adopt the storage the operator created on an installer-provisioned cluster (S3, GCS, Azure,
   * Swift), named in the props as the live Config holds it: it becomes Unmanaged (the operator no
   * longer rewrites or deletes it), gets the library's settings where a flavour manages them, and
   * keeps its data. The mark that makes `openshift-install destroy cluster` delete it (the S3 tag
   * `kubernetes.io/cluster/<infraID>: owned`) is dropped where the library sets the storage's
   * tags: by a controller adopting it, or by a Pulumi component at its second `pulumi up`
   * (`adopt: 'imported'` there: an import must not differ from the storage). On GCP and Azure
   * teardown deletes the storage whatever its marks. Storage the operator did not create is refused.
   *
   * @see docs/adopting.md
   * @default false
   */
  readonly adopt?: boolean;

  /**
   * The cluster's infrastructure name, with `adopt`: `oc get infrastructure cluster -o
   * jsonpath='{.status.infrastructureName}'`. The operator's storage names and marks start with it.
   * @default none (required with adopt)
   */
  readonly infrastructureName?: string;
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
  /**
   * The warning codes the props acknowledged ({@link RegistryCommonProps.acknowledgeWarnings}),
   * left out of `warnings`; a flavour leaves its own warnings with these codes unprinted too.
   * Absent when none.
   */
  readonly acknowledgedWarnings?: readonly string[];
  /** The OpenShift release whose Config CRD the spec was validated against (`openshiftVersion`, by default the oldest supported). */
  readonly openshiftVersion: string;
  /**
   * The move of the images the props asked for ({@link RegistryCommonProps.migrateFrom}), as given:
   * the flavours plan it with `storageMigrationOf`. Absent when none.
   */
  readonly migrateFrom?: { readonly storage: Readonly<Record<string, unknown>>; readonly options: StorageMigrationOptions };
  /** What `adopt` adopts: the operator's names, the mark to remove, what teardown does. Absent when none. */
  readonly adoption?: {
    readonly infrastructureName: string;
    readonly names: Readonly<Record<string, string>>;
    readonly ownedMarker: { readonly kind: 'tag' | 'label' | 'metadata'; readonly key: string; readonly value: string };
    readonly teardown: string;
  };
  /** The hard prune the props asked for ({@link RegistryCommonProps.hardPrune}), as given: `hardPruneOf` plans it. Absent when none. */
  readonly hardPrune?: HardPruneOptions;
  /** The ImagePruner to apply ({@link RegistryCommonProps.imagePruner}), checked against its CRD. Absent when none. */
  readonly imagePruner?: KubernetesManifest;
}

/** Options of a hard prune ({@link RegistryCommonProps.hardPrune}). */
export interface HardPruneOptions {
  /**
   * Run on this cron schedule (a CronJob), each time in a read-only window of its own: pushes are
   * refused while it runs. Pick an hour nobody pushes.
   * @default unset: one Job, run once
   */
  readonly schedule?: string;
  /**
   * Image with `oc`.
   * @default the release payload's `cli` image
   */
  readonly cliImage?: string;
  /**
   * Namespace of the Job, one of its own, starting with `registry-storage-`.
   * @default 'registry-storage-prune'
   */
  readonly namespace?: string;
  /**
   * How long one run may take, the window included, in seconds. Each prune pass is bounded to end
   * before it, so that the window is closed in time.
   * @default 21600 (6 hours)
   */
  readonly deadlineSeconds?: number;
}

/** How a registry's images are moved to new storage ({@link RegistryCommonProps.migration}). */
export interface StorageMigrationOptions {
  /**
   * Read the old storage with keys, from `sourceKeysSecret`, not with the registry's cloud identity.
   * @default true where the old storage has no identity the copy pod can take (Swift, an S3-compatible endpoint)
   */
  readonly fromKeys?: boolean;
  /**
   * Write the new storage with keys, from `destinationKeysSecret`.
   * @default true when the new storage is given credentials, else as `fromKeys`
   */
  readonly toKeys?: boolean;
  /**
   * Image of the copy Jobs: rclone 1.60 or newer, with `sh` and `awk`. On a disconnected cluster,
   * mirror the default digest or give one your mirror has.
   * @default rclone 1.69.3, pinned by digest (`DEFAULT_COPIER_IMAGE`)
   */
  readonly copierImage?: string;
  /**
   * Image with `oc` for the Jobs that open and close the read-only window.
   * @default the release payload's `cli` image (as the removal Job's)
   */
  readonly cliImage?: string;
  /**
   * Namespace of the window Jobs, created and deleted with them: one of their own, starting with `registry-storage-`.
   * @default 'registry-storage-migrate'
   */
  readonly namespace?: string;
  /**
   * Secret in `openshift-image-registry` with the old storage's keys under the operator's key names.
   * @default 'image-registry-private-configuration-user', where the registry reads them now
   */
  readonly sourceKeysSecret?: string;
  /**
   * Secret in `openshift-image-registry` with the new storage's keys during the copy. Not the user
   * Secret, which the registry reads the old keys from until the switch.
   * @default 'registry-storage-migration-destination', written from the new storage's credentials
   */
  readonly destinationKeysSecret?: string;
  /** How long the copy while the registry takes pushes may run, in seconds. @default 21600 */
  readonly copyDeadlineSeconds?: number;
  /** How long the read-only window's final copy and checks may run, in seconds (pushes are refused meanwhile). @default 3600 */
  readonly finalDeadlineSeconds?: number;
}

/** The whole Config object for a spec fragment: named `cluster`, cluster-scoped. */
export function registryConfig(spec: ConfigSpecPatch): ConfigPatch {
  return { apiVersion: REGISTRY_CONFIG_API_VERSION, kind: REGISTRY_CONFIG_KIND, metadata: { name: REGISTRY_CONFIG_NAME }, spec };
}

/** The storage types this library configures, as the Config spells them: every type the operator drives. */
export const REGISTRY_STORAGE_TYPES: readonly RegistryStorageType[] = ['s3', 'gcs', 'swift', 'azure', 'ibmcos', 'pvc', 'emptyDir'];

/**
 * `replicas` when neither the user nor the storage names one: what the operator bootstraps on
 * highly available clusters (`pkg/operator/bootstrap.go`).
 */
export const DEFAULT_REPLICAS = 2;

/** The values of the Infrastructure's `status.infrastructureTopology` (openshift/api `config/v1/types_infrastructure.go`). */
export const INFRASTRUCTURE_TOPOLOGIES = ['HighlyAvailable', 'HighlyAvailableArbiter', 'SingleReplica', 'DualReplica', 'External'] as const;

/** A cluster's infrastructure topology. */
export type InfrastructureTopology = typeof INFRASTRUCTURE_TOPOLOGIES[number];
