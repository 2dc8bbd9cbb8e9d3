/**
 * What the library knows about one kind of registry storage, in one place. Each platform
 * (`lib/platforms/<kind>`) describes its kind with a {@link StorageKind}; `lib/platforms/kinds.ts`
 * lists them. The checks, the fleet, the CLI and both flavours read that list instead of keeping
 * tables of their own, so adding a kind is one platform folder and one line in the list.
 */
import { PropNames, RegistryStoragePlan } from './plan';

/**
 * One `synth` flag: the prop it sets (a dotted path) and how its value is read: `integer` takes
 * decimal digits only (an optional leading `-`, so the core names the lower bound), `number` a
 * decimal fraction.
 */
export interface FlagSpec {
  readonly prop: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean';
  readonly help: string;
}

/** Placeholder credentials of a hub-secret fleet cluster, and the Secret keys they fill. */
export interface PlaceholderCredentials {
  readonly value: Readonly<Record<string, string>>;
  readonly keys: readonly string[];
}

/** What a fleet inventory may say of this kind, and how the fleet treats it. */
export interface FleetFacts {
  /** The platforms whose cluster identity reaches this storage (`credentials: cluster` elsewhere is refused). */
  readonly homePlatforms?: readonly string[];
  /** The only platforms where the operator can use this kind at all; absent: any. */
  readonly platforms?: readonly string[];
  /** True when `region` of the inventory's cluster fills the storage's `region`. */
  readonly regionFromCluster?: boolean;
  /** Short name in ACM policy names (namespace and name at most 62 characters). */
  readonly abbreviation: string;
  /** Why a hub-secret cluster of this kind is refused, when it reads no keys. */
  readonly noKeys?: string;
  /**
   * What makes two clusters' storage the same (kind, endpoint or region, and name), or undefined
   * when each cluster's is its own (claims, emptyDir).
   */
  identity(props: Readonly<Record<string, any>>): string | undefined;
  /** Placeholder credentials for a hub-secret cluster; undefined when the storage reads no keys. */
  placeholderCredentials?(placeholder: string, options: { readonly swiftCredentialType?: string }): PlaceholderCredentials;
  /** Why the cluster's identity cannot reach these props' storage even on its home platform (an S3-compatible endpoint), or undefined. */
  noClusterIdentity?(props: Readonly<Record<string, unknown>>): string | undefined;
}

/** What the cdk8s construct (and a fleet inventory) checks of one controller's `provision`. */
export interface ProvisionController {
  /** Its fields (an object field lists its own). */
  readonly names: PropNames<any>;
  /** Fields that must be `true` or `false`. */
  readonly booleans: readonly string[];
  /** Fields that must be one of these strings. */
  readonly enums?: Readonly<Record<string, readonly string[]>>;
  /** Fields that map names to strings (tags, labels). */
  readonly maps?: readonly string[];
}

/**
 * How a copier reaches a storage's registry tree (the folder holding `docker/registry/v2`), as
 * rclone options given by environment (`RCLONE_CONFIG_<REMOTE>_<OPTION>`; no config file), or a
 * mounted claim.
 * @see https://rclone.org/docs/#config-file
 */
export type CopierReach =
  | {
    /** rclone options (`type` among them) that hold no secret. */
    readonly options: Readonly<Record<string, string>>;
    /** Path of the registry's root on the remote: the bucket, or Swift's `<container>/files`. */
    readonly root: string;
    /** rclone option → the user Secret's key that holds its value, when keys are used. */
    readonly keys?: Readonly<Record<string, string>>;
    /** rclone options that make it use the identity of the pod instead (STS, Workload Identity); absent when the storage has none. */
    readonly ambient?: Readonly<Record<string, string>>;
    /**
     * What a pod needs for {@link ambient} as the registry authenticates: environment (paths under
     * the mounted `installer-cloud-credentials` and the bound token), and variables read from that
     * Secret's keys when present.
     */
    readonly podIdentity?: PodIdentity;
    /**
     * Every small object (a `link`) carries an MD5 rclone can compare (S3 and GCS single-part
     * objects, Swift objects): the final pass then copies only links whose content differs. False
     * where one may be missing (Azure append blobs have no Content-MD5), and rclone would then
     * compare sizes only. A claim's files always have one.
     * @default false
     */
    readonly checksums?: boolean;
    readonly claim?: undefined;
  }
  | {
    /** The claim to mount; its root is the registry's root (the operator mounts it at /registry). */
    readonly claim: string;
    readonly options?: undefined;
    readonly checksums?: undefined;
    readonly podIdentity?: undefined;
  }
  | {
    /** Why no copier can reach it. */
    readonly unreachable: string;
    readonly options?: undefined;
    readonly checksums?: undefined;
    readonly podIdentity?: undefined;
    readonly claim?: undefined;
  };

/**
 * How a pod in `openshift-image-registry` running as service account `registry` takes the
 * registry's cloud identity: the Secret `installer-cloud-credentials` mounted at
 * {@link CLOUD_CREDENTIALS_MOUNT_PATH}, the bound token (audience `openshift`) at
 * {@link BOUND_TOKEN_PATH}, as the operator gives them to the registry.
 * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/resource/podtemplatespec.go
 */
export interface PodIdentity {
  /** Plain environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Variable → key of `installer-cloud-credentials`, set only where the key exists (mint mode, client secrets). */
  readonly fromCloudCredentials?: Readonly<Record<string, string>>;
}

/** Where a copy pod mounts `installer-cloud-credentials`. */
export const CLOUD_CREDENTIALS_MOUNT_PATH = '/var/run/secrets/cloud';

/** The bound service account token (audience `openshift`) the registry's cloud identity trusts, where the operator mounts it. */
export const BOUND_TOKEN_PATH = '/var/run/secrets/openshift/serviceaccount/token';

/** One kind of registry storage. */
export interface StorageKind<P = any> {
  /** The kind's name in inventories and in code (`s3`, `objectBucketClaim`). */
  readonly name: string;
  /** The Config's storage block it sets: `spec.storage.<configType>`. */
  readonly configType: string;
  /** Plans the Config (and the objects around it) from props: the core's rules for this kind. */
  readonly plan: (props: P) => RegistryStoragePlan;
  /** Every prop name (an object prop lists the fields the library checks). */
  readonly propNames: PropNames<P>;
  /** Credential field → the Secret key the operator reads it from; absent when the storage reads no keys. */
  readonly secretKeys?: Readonly<Record<string, string>>;
  /**
   * The sets of Secret keys the operator accepts (one complete set is needed); a set may name keys
   * the library never writes (Swift's token).
   */
  readonly secretKeySets?: ReadonlyArray<readonly string[]>;
  /** Secret keys users write that the operator does not read, each with the key it reads instead. */
  readonly misnamedSecretKeys?: Readonly<Record<string, string>>;
  /** The live Config block as the planner's props (`trustedCA: { name }` read back as the name). */
  readonly propsFromBlock?: (block: Readonly<Record<string, any>>) => Record<string, any>;
  /** `synth` on the command line: the type's name there and its flags; absent when `synth` does not offer it. */
  readonly cli?: { readonly name: string; readonly flags: Readonly<Record<string, FlagSpec>> };
  /**
   * The controllers that can create the storage from the cluster (the cdk8s construct's
   * `provision: { controller }`), by controller name; absent when none can.
   */
  readonly provision?: Readonly<Record<string, ProvisionController>>;
  /** What a fleet inventory says of it. */
  readonly fleet: FleetFacts;
  /**
   * The storage the operator creates for this kind, to adopt (`adopt: true`): the prefix of its
   * names, the mark that makes cluster teardown delete it, what teardown does once adopted.
   * Absent where the operator creates none to adopt.
   */
  readonly adoption?: {
    readonly kind: string;
    readonly names: Readonly<Record<string, (infrastructureName: string) => string>>;
    readonly ownedMarker: (infrastructureName: string) => { readonly kind: 'tag' | 'label' | 'metadata'; readonly key: string; readonly value: string };
    readonly teardown: string;
  };
  /** How a copier reaches this storage's registry tree, from the Config's block (a storage migration). */
  readonly copier: (block: Readonly<Record<string, any>>) => CopierReach;
}

/** The flags of the props every kind takes (`RegistryCommonProps`), which `synth` offers for each. */
export const COMMON_FLAGS: Readonly<Record<string, FlagSpec>> = {
  'replicas': { prop: 'replicas', type: 'integer', help: 'number of registry pods (default 2; 1 with ReadWriteOnce, emptyDir or SingleReplica)' },
  'infrastructure-topology': { prop: 'infrastructureTopology', type: 'string', help: 'the cluster\'s status.infrastructureTopology (SingleReplica: 1 replica by default)' },
  'rollout-strategy': { prop: 'rolloutStrategy', type: 'string', help: 'RollingUpdate or Recreate' },
  'disable-redirect': { prop: 'disableRedirect', type: 'boolean', help: 'proxy blobs through the registry' },
  'management-state': { prop: 'managementState', type: 'string', help: 'Managed (default) or Unmanaged' },
  'storage-management-state': { prop: 'storageManagementState', type: 'string', help: 'Managed or Unmanaged (default when the storage is named)' },
  'openshift-version': { prop: 'openshiftVersion', type: 'string', help: 'the cluster\'s OpenShift release, 4.12 to 4.23 (default 4.12: fields later releases added are refused)' },
};
