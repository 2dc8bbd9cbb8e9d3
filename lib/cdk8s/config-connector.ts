/**
 * The GCS bucket as a Config Connector `StorageBucket`: the core's hardened bucket
 * ({@link gcsBucketIntent}), and the registry's bucket bindings as `IAMPolicyMember`s. No hardening
 * value is written here.
 */
import { Construct } from 'constructs';
import { KccIamPolicyMember } from './generated/kcc-iam-policy-member';
import { KccStorageBucket, KccStorageBucketSpec } from './generated/kcc-storage-bucket';
import { KEEP_ON_DELETE_ANNOTATIONS } from '../core/constants';
import { GCS_REGISTRY_BUCKET_ROLES, GcsBucketIntent } from '../platforms/gcs';

/** Annotation that keeps the GCS bucket when the `StorageBucket` object is deleted. */
export const KCC_DELETION_POLICY_ANNOTATION = 'cnrm.cloud.google.com/deletion-policy';
/** Annotation naming the project a Config Connector resource lives in (the namespace's otherwise). */
export const KCC_PROJECT_ANNOTATION = 'cnrm.cloud.google.com/project-id';

/** How {@link GcsRegistryStorage} creates its bucket through Config Connector. */
export interface ConfigConnectorBucketOptions {
  /** Create the bucket with Config Connector. */
  readonly controller: 'config-connector';
  /**
   * Namespace of the Config Connector objects (Config Connector must manage it). They are
   * namespaced: synthesis fails when neither this nor the chart names one.
   * @default the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Keep the GCS bucket (and the registry's images) when the `StorageBucket` object is deleted or
   * pruned: `cnrm.cloud.google.com/deletion-policy: abandon`, and Argo CD/Flux never prune it.
   * Config Connector deletes the bucket otherwise.
   * @default true
   * @see https://cloud.google.com/config-connector/docs/reference/annotations
   */
  readonly retainOnDelete?: boolean;
  /**
   * Email of the service account the registry uses with the cluster's credentials: bound on this
   * bucket ({@link GCS_REGISTRY_BUCKET_ROLES}) with one `IAMPolicyMember` per role. Needed when the
   * bucket is in another project than the cluster's.
   * @default unset: no binding
   */
  readonly registryServiceAccount?: string;
  /**
   * Labels of the bucket (Config Connector turns the object's labels into the bucket's).
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The `StorageBucket` spec of a bucket intent. The bucket's name is the object's (`metadata.name`). */
export function configConnectorBucketSpec(intent: GcsBucketIntent): KccStorageBucketSpec {
  return {
    location: intent.location,
    uniformBucketLevelAccess: intent.uniformBucketLevelAccess,
    publicAccessPrevention: intent.publicAccessPrevention,
    ...(intent.defaultKmsKeyName !== undefined ? { encryption: { kmsKeyRef: { external: intent.defaultKmsKeyName } } } : {}),
    lifecycleRule: [{ action: { type: intent.lifecycleRule.action }, condition: { age: intent.lifecycleRule.ageDays } }],
  };
}

/** What {@link configConnectorBucket} emits. */
export interface ConfigConnectorBucket {
  readonly bucket: KccStorageBucket;
  readonly bindings: readonly KccIamPolicyMember[];
}

/**
 * Emits the `StorageBucket` of a bucket intent, and the registry's bindings on it: one
 * `IAMPolicyMember` per role of {@link GCS_REGISTRY_BUCKET_ROLES} for each member the access plan
 * names (`planGcsAccess`'s `bucketMembers`).
 */
export function configConnectorBucket(scope: Construct, id: string, intent: GcsBucketIntent, options: ConfigConnectorBucketOptions,
  bucketMembers: readonly string[], projectID?: string): ConfigConnectorBucket {
  if (intent.name === undefined) throw new Error('a Config Connector StorageBucket needs a name');
  const retain = options.retainOnDelete ?? true;
  const annotations: Record<string, string> = {
    ...(retain ? { [KCC_DELETION_POLICY_ANNOTATION]: 'abandon', ...KEEP_ON_DELETE_ANNOTATIONS } : {}),
    ...(projectID !== undefined ? { [KCC_PROJECT_ANNOTATION]: projectID } : {}),
  };
  const namespace = options.namespace !== undefined ? { namespace: options.namespace } : {};
  const bucket = new KccStorageBucket(scope, id, {
    metadata: {
      name: intent.name,
      ...namespace,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(options.labels && Object.keys(options.labels).length > 0 ? { labels: { ...options.labels } } : {}),
    },
    spec: configConnectorBucketSpec(intent),
  });
  const bindings = bucketMembers.flatMap((member, m) => GCS_REGISTRY_BUCKET_ROLES.map((role) => {
    const suffix = `${m === 0 ? '' : `${m}-`}${role.split('/')[1].toLowerCase()}`;
    const binding = new KccIamPolicyMember(scope, `${id}-${suffix}`, {
      metadata: { name: `${intent.name}-registry-${suffix}`, ...namespace },
      spec: {
        member,
        role,
        resourceRef: { apiVersion: KccStorageBucket.GVK.apiVersion, kind: KccStorageBucket.GVK.kind, name: intent.name },
      },
    });
    binding.addDependency(bucket);
    return binding;
  }));
  return { bucket, bindings };
}
