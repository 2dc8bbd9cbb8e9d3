/**
 * The S3 bucket as an AWS Controllers for Kubernetes (ACK) `Bucket`: the core's hardened bucket
 * ({@link s3BucketIntent}), rendered for the s3-controller. No hardening value is written here.
 */
import { Construct } from 'constructs';
import { AckBucket, AckBucketSpec } from './generated/ack-bucket';
import { KEEP_ON_DELETE_ANNOTATIONS } from '../core/constants';
import { S3BucketIntent } from '../platforms/s3';

/** Annotation that keeps the S3 bucket when the ACK `Bucket` object is deleted. */
export const ACK_DELETION_POLICY_ANNOTATION = 'services.k8s.aws/deletion-policy';

/** ACK's adoption of an existing resource: `adopt` (fail when it does not exist) or `adopt-or-create` (runtime 0.40.0 and later). */
export const ACK_ADOPTION_POLICY_ANNOTATION = 'services.k8s.aws/adoption-policy';

/** The fields that identify the resource to adopt, as JSON (`{"name":"<bucket>"}` for a Bucket). */
export const ACK_ADOPTION_FIELDS_ANNOTATION = 'services.k8s.aws/adoption-fields';
/** Annotation naming the AWS region an ACK resource lives in (the controller's own otherwise). */
export const ACK_REGION_ANNOTATION = 'services.k8s.aws/region';

/** How {@link S3RegistryStorage} creates its bucket through ACK. */
export interface AckBucketOptions {
  /** Create the bucket with the ACK s3-controller. */
  readonly controller: 'ack';
  /**
   * Namespace of the `Bucket` object (the s3-controller must watch it). The `Bucket` is
   * namespaced: synthesis fails when neither this nor the chart names one (Argo CD would refuse the
   * sync; ACM would enforce the Config without the bucket, and the operator would create one of its
   * own, unhardened).
   * @default the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Keep the S3 bucket (and the registry's images) when the `Bucket` object is deleted or pruned:
   * `services.k8s.aws/deletion-policy: retain`, and Argo CD/Flux never prune it. ACK deletes the
   * bucket otherwise.
   * @default true
   * @see https://aws-controllers-k8s.github.io/community/docs/user-docs/deletion-policy
   */
  readonly retainOnDelete?: boolean;
  /**
   * ARN of the identity the registry runs as with the cluster's credentials: the bucket policy
   * allows it the registry's actions (a bucket in another account; ROSA with hosted control planes).
   * @default unset: TLS-only policy
   */
  readonly registryPrincipalArn?: string;
  /**
   * Tags of the bucket.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The cluster's AWS resource tags (`oc get infrastructure cluster -o
   * jsonpath='{.status.platformStatus.aws.resourceTags}'`, or `clusterResourceTagsFromInfrastructure`):
   * the operator's tag controller writes them to the bucket, and ACK's `spec.tagging` is
   * authoritative, so they are added to it (`s3BucketTags`) rather than removed at every resync.
   * Clusters installed without user tags have none.
   * @default none
   */
  readonly clusterResourceTags?: Readonly<Record<string, string>>;
}

/** The ACK `Bucket` spec of a bucket intent (field names are the CRD's: `blockPublicACLs`, `kmsMasterKeyID`). */
export function ackBucketSpec(intent: S3BucketIntent, registryPrincipalArn?: string): AckBucketSpec {
  if (intent.name === undefined) throw new Error('an ACK Bucket needs a name');
  const block = intent.publicAccessBlock;
  const rule = intent.lifecycleRule;
  return {
    name: intent.name,
    publicAccessBlock: {
      blockPublicACLs: block.blockPublicAcls,
      blockPublicPolicy: block.blockPublicPolicy,
      ignorePublicACLs: block.ignorePublicAcls,
      restrictPublicBuckets: block.restrictPublicBuckets,
    },
    ownershipControls: { rules: [{ objectOwnership: intent.objectOwnership }] },
    encryption: {
      rules: [{
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: intent.encryption.sseAlgorithm,
          ...(intent.encryption.kmsMasterKeyId !== undefined ? { kmsMasterKeyID: intent.encryption.kmsMasterKeyId } : {}),
        },
        bucketKeyEnabled: intent.encryption.bucketKeyEnabled,
      }],
    },
    lifecycle: {
      rules: [{
        id: rule.id,
        status: rule.status,
        filter: { prefix: rule.prefix },
        abortIncompleteMultipartUpload: { daysAfterInitiation: rule.abortIncompleteMultipartUploadDays },
      }],
    },
    policy: JSON.stringify(intent.policy(`arn:aws:s3:::${intent.name}`, registryPrincipalArn)),
    ...(intent.tags && Object.keys(intent.tags).length > 0
      ? { tagging: { tagSet: Object.keys(intent.tags).sort().map((key) => ({ key, value: intent.tags![key] })) } } : {}),
  };
}

/** Emits the ACK `Bucket` of a bucket intent. */
export function ackBucket(scope: Construct, id: string, intent: S3BucketIntent, options: AckBucketOptions, region?: string): AckBucket {
  const retain = options.retainOnDelete ?? true;
  const annotations: Record<string, string> = {
    ...(retain ? { [ACK_DELETION_POLICY_ANNOTATION]: 'retain', ...KEEP_ON_DELETE_ANNOTATIONS } : {}),
    ...(region !== undefined ? { [ACK_REGION_ANNOTATION]: region } : {}),
  };
  return new AckBucket(scope, id, {
    metadata: {
      name: intent.name,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: ackBucketSpec(intent, options.registryPrincipalArn),
  });
}
