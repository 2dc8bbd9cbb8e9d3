import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { credentialSecretData, RegistryStoragePlan } from '../../core/plan';
import { RegistryConfigProblem } from '../../core/problems';
import {
  planS3Storage, S3_INCOMPLETE_UPLOAD_RULE_ID, S3_SECRET_KEYS, S3Credentials, s3DenyInsecureTransportPolicy, s3RegistryIdentityPolicy,
  S3StorageProps,
} from '../../platforms/s3';
import {
  child, deferredLeaves, formerly, InputProps, knownView, planOrThrow, PulumiRegistryOptions, RegistryStorageComponent, splitOptions,
} from '../common';

/**
 * Args of {@link S3RegistryStorage}: the core's S3 props (CRD field names), as Pulumi Inputs, plus
 * the Pulumi options.
 */
export interface S3RegistryStorageArgs extends Omit<InputProps<S3StorageProps>, 'credentials'>, PulumiRegistryOptions {
  /**
   * Credentials for the registry.
   * - omitted: an IAM user whose policy allows only the registry's bucket and object actions on
   *   this bucket (and the KMS actions on `keyID`), and an access key for it;
   * - an object: these credentials;
   * - `'cluster'`: no Secret; the operator uses the cluster's own credentials.
   *
   * With `regionEndpoint` (S3-compatible storage) give an object or `'cluster'`.
   * @default a least-privilege IAM user on AWS
   */
  readonly credentials?: InputProps<S3Credentials> | 'cluster';
  /**
   * Create the bucket (and, with default credentials, the IAM user) even with `regionEndpoint`.
   * @default true on AWS; false with `regionEndpoint`
   */
  readonly createBucket?: boolean;
  /**
   * Tags for the bucket and the IAM user.
   * @default none
   */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * The OpenShift image registry on Amazon S3, in one deploy graph: a hardened bucket (public access
 * blocked, BucketOwnerEnforced, SSE-S3 or SSE-KMS with a bucket key, the operator's own
 * incomplete-upload lifecycle rule, TLS-only bucket policy), an IAM user limited to that bucket,
 * the `image-registry-private-configuration-user` Secret, and the server-side-apply patch of
 * `configs.imageregistry.operator.openshift.io/cluster`. The bucket is kept on `pulumi destroy`.
 *
 * Providers come from `opts.providers` (`aws`, `kubernetes`) or `opts.provider`.
 *
 * @example
 * new S3RegistryStorage('registry', {
 *   bucket: 'acme-image-registry',
 *   keyID: kmsKey.arn,
 *   tags: { team: 'platform' },
 * }, { providers: { aws: awsProvider, kubernetes: clusterProvider } });
 */
export class S3RegistryStorage extends RegistryStorageComponent {
  /** Name of the bucket the registry uses. */
  public readonly bucket: pulumi.Output<string>;
  /** The bucket, when this component created it. */
  public readonly bucketResource?: aws.s3.Bucket;
  /** The IAM user, when this component created it. */
  public readonly user?: aws.iam.User;

  constructor(name: string, args: S3RegistryStorageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('S3RegistryStorage', 's3', name, opts);
    const { options, rest } = splitOptions(args);
    const { credentials, createBucket, tags, ...storage } = rest;
    const creds = credentials === 'cluster' ? undefined : credentials;
    const custom = storage.regionEndpoint !== undefined;
    const create = createBucket ?? !custom;
    const createUser = create && credentials === undefined;

    // Every problem in the props that are known now, before any child is registered.
    const extra: RegistryConfigProblem[] = [];
    if (!create && credentials === undefined) {
      extra.push({ path: 'credentials', message: 'S3-compatible storage (regionEndpoint) needs credentials: give { accessKey, secretKey }, or \'cluster\' to use the cluster\'s own' });
    }
    if (!create && storage.bucket === undefined) {
      extra.push({ path: 'bucket', message: 'is required when the component does not create the bucket (regionEndpoint, or createBucket: false)' });
    }
    if (createUser && typeof storage.keyID === 'string' && !storage.keyID.startsWith('arn:')) {
      extra.push({ path: 'keyID', message: `must be the key's ARN (arn:aws:kms:...) so the registry's IAM policy can name it, got ${JSON.stringify(storage.keyID)}` });
    }
    planOrThrow(this, 'S3RegistryStorage', planS3Storage, knownView({ ...storage, credentials: createUser ? undefined : creds }) as S3StorageProps, extra);
    this.checkWhenKnown('S3RegistryStorage', planS3Storage, storage, createUser ? undefined : creds);

    const dependsOn: pulumi.Resource[] = [];
    let bucketName: pulumi.Output<string>;
    let secretData: Record<string, pulumi.Input<string>> | undefined;
    if (create) {
      const retain = options.retainOnDelete ?? true;
      const bucket = new aws.s3.Bucket(`${name}-bucket`, {
        bucket: storage.bucket,
        forceDestroy: false,
        tags,
      }, child(this, { retainOnDelete: retain, protect: false }));
      this.bucketResource = bucket;
      bucketName = bucket.bucket;
      const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
        bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
      }, child(this));
      const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
        bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' },
      }, child(this));
      const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
        bucket: bucket.id,
        rules: [{
          applyServerSideEncryptionByDefault: storage.keyID !== undefined
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: storage.keyID }
            : { sseAlgorithm: 'AES256' },
          bucketKeyEnabled: true,
        }],
      }, child(this));
      const lifecycle = new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
        bucket: bucket.id,
        rules: [{ id: S3_INCOMPLETE_UPLOAD_RULE_ID, status: 'Enabled', filter: { prefix: '' }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } }],
      }, child(this));
      const policy = new aws.s3.BucketPolicy(`${name}-tls-only`, {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify(s3DenyInsecureTransportPolicy(arn))),
      }, child(this, { dependsOn: [publicAccess] }));
      dependsOn.push(bucket, publicAccess, ownership, encryption, lifecycle, policy);

      if (createUser) {
        const user = new aws.iam.User(`${name}-user`, { tags, forceDestroy: true }, child(this, formerly(`${name}-registry`)));
        this.user = user;
        const userPolicy = new aws.iam.UserPolicy(`${name}-user-policy`, {
          user: user.name,
          policy: pulumi.all([bucket.arn, storage.keyID]).apply(([arn, key]) => JSON.stringify(s3RegistryIdentityPolicy(arn, key))),
        }, child(this, formerly(`${name}-registry`)));
        const key = new aws.iam.AccessKey(`${name}-access-key`, { user: user.name }, child(this, { ...formerly(`${name}-registry`), additionalSecretOutputs: ['secret'] }));
        dependsOn.push(userPolicy, key);
        secretData = credentialSecretData(S3_SECRET_KEYS, { accessKey: key.id, secretKey: key.secret });
      }
    } else {
      bucketName = pulumi.output(storage.bucket as pulumi.Input<string>);
    }
    if (creds) secretData = credentialSecretData(S3_SECRET_KEYS, { ...creds });

    // The region defaults to the provider's, on AWS: the operator must not guess.
    const region: pulumi.Input<string | undefined> = storage.region ?? (custom ? undefined : aws.getRegionOutput({}, { parent: this }).region);
    const plan: pulumi.Output<RegistryStoragePlan> = this.planWhenKnown('S3RegistryStorage', planS3Storage, {
      ...storage, bucket: bucketName, region, credentials: secretData ? deferredLeaves({ accessKey: '', secretKey: '' }) : undefined,
    });

    this.bucket = bucketName;
    this.deployKubernetes(name, { plan, secretData, dependsOn, options }, { bucket: this.bucket });
  }
}
