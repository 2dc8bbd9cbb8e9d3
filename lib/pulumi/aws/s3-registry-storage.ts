import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_CREDENTIALS_SECRET, REGISTRY_NAMESPACE } from '../../core/constants';
import { credentialSecretData, RegistryStoragePlan } from '../../core/plan';
import { RegistryConfigProblem } from '../../core/problems';
import {
  planS3Access, planS3Storage, registryRoleArnFromCredentials, S3_SECRET_KEYS, s3BucketIntent, s3KmsKeyArnProblem, S3AccessProps, S3CredentialMode,
  S3Credentials, s3RegistryIdentityPolicy, S3StorageProps, s3BucketTags, S3_PROP_NAMES, S3_ADOPTION,
} from '../../platforms/s3';
import { adoptStep, importOptions, pulumiAdoption, PulumiAdoptArgs, PulumiAdoption } from '../adopt';
import {
  argNames,
  child, ClusterCredentialsReadOptions, collectProblems, deferredLeaves, formerly, InputProps, knownView, planOrThrow,
  PulumiRegistryOptions, readClusterResourceTags, RegistryStorageComponent, splitOptions, argProblems, knownArgs, BASE_ARG_NAMES, credentialObject,
  plainArgs,
} from '../common';

/**
 * Args of {@link S3RegistryStorage}: the core's S3 props (CRD field names), as Pulumi Inputs, plus
 * the Pulumi options.
 */
export interface S3RegistryStorageArgs extends Omit<InputProps<S3StorageProps>, 'credentials' | 'adopt'>, PulumiRegistryOptions, PulumiAdoptArgs {
  /**
   * How the registry authenticates ({@link S3CredentialMode}):
   * - `'cluster'` (the default on AWS): no Secret and no key; the registry uses the cluster's own
   *   identity (`installer-cloud-credentials`, short-lived on STS clusters), which may use any bucket
   *   in the cluster's account. With `keyID` the component grants that identity the key
   *   (`registryPrincipalArn`); with `registryPrincipalArn` the bucket policy allows it too (a bucket
   *   in another account; ROSA with hosted control planes, whose managed policy allows only buckets
   *   named `*-image-registry-<region>-*`).
   * - `'iam-user'`: an IAM user whose policy allows only this bucket (and key), and a long-lived
   *   access key for it in `image-registry-private-configuration-user`. Security reviews flag IAM
   *   user keys, and on STS clusters the Secret replaces the cluster's short-lived credentials.
   * - `{ accessKey, secretKey }`: these keys, in that Secret (S3-compatible storage needs them).
   * @default 'cluster' on AWS; keys are required with `regionEndpoint`
   * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/manifests/01-registry-credentials-request.yaml
   */
  readonly credentials?: InputProps<S3Credentials> | S3CredentialMode;
  /**
   * ARN of the identity the registry runs as with the cluster's credentials: the ccoctl role
   * `<name>-openshift-image-registry-installer-cloud-credentials` on STS clusters
   * ({@link S3RegistryStorage.registryRoleArnFromCluster} reads it), the minted IAM user otherwise.
   * Required with `keyID` in `'cluster'` mode (unless `grantKeyToRegistry: false`).
   * @default unset: no KMS grant, no bucket policy Allow
   */
  readonly registryPrincipalArn?: pulumi.Input<string>;
  /**
   * With `keyID` and the cluster's identity, create a KMS grant (`kms:Encrypt`, `kms:Decrypt`,
   * `kms:GenerateDataKey`, `kms:DescribeKey`) on the key for `registryPrincipalArn`. The
   * CredentialsRequest has no KMS action: without a grant (or a key policy statement you manage)
   * pushes fail with HTTP 500.
   * @default true
   */
  readonly grantKeyToRegistry?: boolean;
  /**
   * Create the bucket even with `regionEndpoint`.
   * @default true on AWS; false with `regionEndpoint`
   */
  readonly createBucket?: boolean;
  /**
   * Tags for the bucket and the IAM user.
   * @default none
   */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * The cluster's AWS resource tags ({@link S3RegistryStorage.clusterResourceTagsFromCluster}
   * reads them): the operator's tag controller writes them to the bucket, and the bucket's `tags`
   * are authoritative, so they are added to them (`s3BucketTags`) rather than removed at every
   * `pulumi up --refresh`. Clusters installed without user tags have none.
   * @default none
   */
  readonly clusterResourceTags?: pulumi.Input<Record<string, string>>;
}

/** Every arg name of {@link S3RegistryStorageArgs}: an arg missing here fails compilation. */
const S3_ARG_NAMES = {
  ...BASE_ARG_NAMES,
  ...argNames(S3_PROP_NAMES),
  tags: true,
  registryPrincipalArn: true,
  grantKeyToRegistry: true,
  createBucket: true,
  clusterResourceTags: true,
} as const satisfies Record<keyof S3RegistryStorageArgs, true>;

/**
 * The OpenShift image registry on Amazon S3, in one deploy graph: a hardened bucket (public access
 * blocked, BucketOwnerEnforced, SSE-S3 or SSE-KMS with a bucket key, the operator's own
 * incomplete-upload lifecycle rule, TLS-only bucket policy), the grants the cluster's identity lacks
 * (a KMS grant with `keyID`), and the server-side-apply patch of
 * `configs.imageregistry.operator.openshift.io/cluster`. No long-lived key unless asked for
 * (`credentials: 'iam-user'` or given keys, in `image-registry-private-configuration-user`). The
 * bucket is kept on `pulumi destroy`.
 *
 * Providers come from `opts.providers` (`aws`, `kubernetes`) or `opts.provider`.
 *
 * @example
 * new S3RegistryStorage('registry', {
 *   bucket: 'acme-image-registry',
 *   keyID: kmsKey.arn,
 *   registryPrincipalArn: S3RegistryStorage.registryRoleArnFromCluster({ provider: clusterProvider }),
 *   tags: { team: 'platform' },
 * }, { providers: { aws: awsProvider, kubernetes: clusterProvider } });
 */
export class S3RegistryStorage extends RegistryStorageComponent {
  /**
   * The role the registry uses on an STS cluster, read from its
   * `openshift-image-registry/installer-cloud-credentials` Secret (`role_arn` of the `credentials`
   * ini ccoctl writes). The ARN is not secret: the Output is not either. Fails on clusters whose
   * credentials are a minted IAM user's keys; give that user's ARN instead.
   */
  public static registryRoleArnFromCluster(options: ClusterCredentialsReadOptions = {}): pulumi.Output<string> {
    const secret = k8s.core.v1.Secret.get(options.name ?? CLUSTER_CREDENTIALS_SECRET, `${REGISTRY_NAMESPACE}/${CLUSTER_CREDENTIALS_SECRET}`,
      { provider: options.provider, parent: options.parent });
    return pulumi.unsecret(secret.data.apply((d) => registryRoleArnFromCredentials(Buffer.from(d?.credentials ?? '', 'base64').toString('utf8'))));
  }

  /**
   * The cluster's AWS resource tags, read from `infrastructures.config.openshift.io/cluster`
   * (`status.platformStatus.aws.resourceTags`), for {@link S3RegistryStorageArgs.clusterResourceTags}.
   */
  public static clusterResourceTagsFromCluster(options: ClusterCredentialsReadOptions = {}): pulumi.Output<Record<string, string>> {
    return readClusterResourceTags('aws', options);
  }

  /** Name of the bucket the registry uses. */
  public readonly bucket: pulumi.Output<string>;
  /** The bucket, when this component created it. */
  public readonly bucketResource?: aws.s3.Bucket;
  /** The IAM user, with `credentials: 'iam-user'`. */
  public readonly user?: aws.iam.User;
  /** The KMS grant for the registry's identity, when one was needed. */
  public readonly keyGrant?: aws.kms.Grant;
  /** With `adopt`: what this up imports, and what it leaves as it is. */
  public readonly adoption?: PulumiAdoption;

  constructor(name: string, args: S3RegistryStorageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('S3RegistryStorage', 's3', name, opts);
    args = plainArgs(this, 'S3RegistryStorage', args);
    const argsProblems = argProblems(args, S3_ARG_NAMES, { booleans: ['createBucket', 'grantKeyToRegistry'], credentialModes: ['cluster', 'iam-user'] });
    const { options, rest } = splitOptions(knownArgs(args, S3_ARG_NAMES));
    const {
      credentials: given, createBucket, tags, clusterResourceTags, registryPrincipalArn, grantKeyToRegistry, adopt: adoptArg, ...others
    } = rest;
    const { adopt, step } = adoptStep(adoptArg, argsProblems);
    const storage = { ...others, ...(adopt === undefined ? {} : { adopt }) };
    const creds = credentialObject(given);
    const credentials = typeof given === 'string' ? given : creds;
    const custom = storage.regionEndpoint !== undefined;
    if (adopt && typeof storage.bucket !== 'string') {
      // `import` takes the bucket's name as it is, not a value known later
      argsProblems.push({ path: 'bucket', message: 'must be a plain string with adopt: it is the ID the bucket is imported by', code: 'ORS-PULUMI-021' });
    }
    const create = createBucket ?? !custom;

    // Every problem in the props that are known now, before any child is registered.
    const extra: RegistryConfigProblem[] = [...argsProblems];
    const accessProps = knownView({
      credentials: creds ? deferredLeaves(creds) : credentials,
      keyID: storage.keyID,
      regionEndpoint: storage.regionEndpoint,
      registryPrincipalArn,
      grantKeyToRegistry,
    }) as S3AccessProps;
    const access = collectProblems(planS3Access, accessProps, extra);
    const createUser = create && access?.mode === 'iam-user';
    if (!create && storage.bucket === undefined) {
      extra.push({ path: 'bucket', message: 'is required when the component does not create the bucket (regionEndpoint, or createBucket: false)', code: 'ORS-PULUMI-001' });
    }
    const keyProblem = createUser || access?.kmsGrant ? s3KmsKeyArnProblem(storage.keyID) : undefined;
    if (keyProblem) extra.push(keyProblem);
    planOrThrow(this, 'S3RegistryStorage', planS3Storage, knownView({ ...storage, credentials: creds }) as S3StorageProps, extra);
    this.checkWhenKnown('S3RegistryStorage', planS3Storage, storage, creds);

    const dependsOn: pulumi.Resource[] = [];
    // What the kept storage needs to stay hardened and reachable by the cluster's identity is kept with
    // it: after `pulumi destroy` the registry goes on using the bucket, so its encryption, public access
    // block, TLS-only policy and the key grant must not go (an S3 bucket whose encryption configuration
    // is deleted falls back to S3's default, SSE-S3; a registry whose KMS grant is deleted can read nothing).
    // Adopted, they are kept whatever retainOnDelete says, as the imported bucket is.
    const retain = (options.retainOnDelete ?? true) || (step !== undefined && create);
    let bucketName: pulumi.Output<string>;
    let secretData: Record<string, pulumi.Input<string>> | undefined;
    if (create) {
      // The core's hardened bucket, rendered with @pulumi/aws (the cdk8s flavour renders it as an ACK Bucket).
      const intent = s3BucketIntent<pulumi.Input<string>>({
        bucket: storage.bucket as pulumi.Input<string> | undefined,
        keyID: storage.keyID as pulumi.Input<string> | undefined,
      });
      // adopt: the operator's bucket is imported, not created; the first up leaves its tags (the
      // operator's, not in the program) as they are, and `adopt: 'imported'` sets the library's.
      const imported = step !== undefined ? { name: `${name}-bucket`, id: storage.bucket as string, deferred: ['tags', 'tagsAll'] } : undefined;
      const bucket = new aws.s3.Bucket(`${name}-bucket`, {
        bucket: intent.name,
        forceDestroy: false,
        tags: clusterResourceTags === undefined ? tags
          : pulumi.all([pulumi.output(tags), pulumi.output(clusterResourceTags)]).apply(([t, c]) => s3BucketTags(t, c)),
      }, child(this, {
        retainOnDelete: retain,
        protect: false,
        ...(imported ? importOptions(step!, imported) : {}),
      }));
      this.bucketResource = bucket;
      if (imported) this.adoption = pulumiAdoption(step!, S3_ADOPTION, String(storage.infrastructureName), [imported], (w) => this.warn(args, w));
      bucketName = bucket.bucket;
      const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
        bucket: bucket.id, ...intent.publicAccessBlock,
      }, child(this, { retainOnDelete: retain }));
      const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
        bucket: bucket.id, rule: { objectOwnership: intent.objectOwnership },
      }, child(this, { retainOnDelete: retain }));
      const { bucketKeyEnabled, ...sse } = intent.encryption;
      const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: sse, bucketKeyEnabled }],
      }, child(this, { retainOnDelete: retain }));
      const rule = intent.lifecycleRule;
      const lifecycle = new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
        bucket: bucket.id,
        rules: [{
          id: rule.id,
          status: rule.status,
          filter: { prefix: rule.prefix },
          abortIncompleteMultipartUpload: { daysAfterInitiation: rule.abortIncompleteMultipartUploadDays },
        }],
      }, child(this, { retainOnDelete: retain }));
      // TLS only; and, with the registry's principal, an Allow for it on this bucket.
      const principal = access?.bucketPolicyPrincipal !== undefined ? registryPrincipalArn : undefined;
      const policy = new aws.s3.BucketPolicy(`${name}-tls-only`, {
        bucket: bucket.id,
        policy: pulumi.all([bucket.arn, principal]).apply(([arn, p]) => JSON.stringify(intent.policy(arn, p))),
      }, child(this, { dependsOn: [publicAccess], retainOnDelete: retain }));
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
    if (access?.kmsGrant) {
      this.keyGrant = new aws.kms.Grant(`${name}-key-grant`, {
        keyId: storage.keyID as pulumi.Input<string>,
        granteePrincipal: registryPrincipalArn as pulumi.Input<string>,
        operations: [...access.kmsGrant.operations],
      }, child(this, { retainOnDelete: retain }));
      dependsOn.push(this.keyGrant);
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
