/**
 * S3 and S3-compatible storage (AWS S3, Ceph RGW, appliances): props, rules and plan.
 *
 * What the operator does with `spec.storage.s3`: pkg/storage/s3/s3.go in
 * https://github.com/openshift/cluster-image-registry-operator.
 */
import { REGISTRY_NAMESPACE } from '../../core/constants';
import { infrastructureResourceTags } from '../../core/infrastructure';
import {
  checkCommon, credentialMode, checkPropsShape, commonSpec, compact, credentialSecretData, finishPlan, given, httpUrl, known, kubernetesName,
  optionalBoolean, optionalObject, optionalString, RegistryCommonProps, RegistryStoragePlan, requireString, storageState, userSecret,
  COMMON_PROP_NAMES, PropNames,
} from '../../core/plan';
import { DEFERRED, Problems, RegistryConfigProblem, show } from '../../core/problems';
import { isKubernetesDuration } from '../../core/structural-schema';
import { ConfigSpecStorageS3 } from '../../generated/config-types';
import { AdoptionFacts, adoptionOf } from '../adopt';

/** Static credentials for S3 (an IAM user's access key, or an S3-compatible store's key pair). */
export interface S3Credentials {
  /** Access key ID; written to Secret key `REGISTRY_STORAGE_S3_ACCESSKEY`. */
  readonly accessKey: string;
  /** Secret access key; written to Secret key `REGISTRY_STORAGE_S3_SECRETKEY`. */
  readonly secretKey: string;
}

/** CloudFront as the registry's storage middleware (`spec.storage.s3.cloudFront`). */
export interface S3CloudFront {
  /** `SCHEME://HOST[/PATH]` at which CloudFront serves the bucket, e.g. `https://d111111abcdef8.cloudfront.net`. */
  readonly baseURL: string;
  /** CloudFront key pair ID. */
  readonly keypairID: string;
  /**
   * The Secret (in `openshift-image-registry`, where the operator mounts it from) and key holding
   * the CloudFront private key.
   */
  readonly privateKey: { readonly name: string; readonly key: string };
  /**
   * Session duration in Go syntax (`20m`, `1h30m`), not ISO-8601.
   * @default unset (the operator uses 1200s)
   */
  readonly duration?: string;
}

/**
 * Props of S3 registry storage. Field names are the CRD's (`spec.storage.s3`), so the YAML in the
 * OpenShift docs maps one to one.
 *
 * @see https://docs.openshift.com/container-platform/latest/registry/configuring_registry_storage/configuring-registry-storage-aws-user-infrastructure.html
 */
export interface S3StorageProps extends RegistryCommonProps {
  /**
   * Bucket name. S3 rules: 3-63 characters, lowercase letters, digits, dots and hyphens, starting
   * and ending with a letter or digit.
   *
   * @default unset: the operator creates `<infraID>-image-registry-<region>` itself and marks it Managed
   */
  readonly bucket?: string;

  /**
   * Region of the bucket. Required with `regionEndpoint`: the operator defaults the region only
   * when *both* are empty, and an endpoint without a region fails with `MissingRegion`.
   *
   * @default the cluster's AWS region (operator)
   * @see https://github.com/openshift/cluster-image-registry-operator/issues/752
   */
  readonly region?: string;

  /**
   * Endpoint of S3-compatible storage: a URL with a scheme (`https://s3.example.com:9021`) and no
   * path; the registry adds the bucket. A host label equal to the bucket name, or a port on a Ceph
   * RGW endpoint, is accepted with a warning (the operator accepts both; external RGWs listen on 7480).
   *
   * @default unset (AWS S3)
   * @see https://github.com/openshift/release/pull/57914
   */
  readonly regionEndpoint?: string;

  /**
   * Address the bucket as `bucket.host` instead of `host/bucket`. Many S3-compatible stores need
   * path style (the default).
   *
   * @default false
   */
  readonly virtualHostedStyle?: boolean;

  /**
   * Ask S3 to encrypt objects the registry writes. Setting `keyID` implies `encrypt: true`.
   *
   * @default true on AWS S3; unset with `regionEndpoint` (Ceph RGW answers `InvalidArgument` to
   * encryption requests unless it is set up for them, openshift-docs#53870)
   */
  readonly encrypt?: boolean;

  /**
   * KMS key ID or ARN for SSE-KMS. Implies `encrypt: true`. The registry's principals must be
   * allowed to use the key (key policy or IAM), or pushes fail with HTTP 500.
   *
   * @default unset (SSE-S3)
   * @see https://github.com/openshift/cluster-image-registry-operator/pull/993
   */
  readonly keyID?: string;

  /**
   * Serve blobs through CloudFront.
   * @default unset
   */
  readonly cloudFront?: S3CloudFront;

  /**
   * Name of a ConfigMap in `openshift-config` whose `ca-bundle.crt` key holds the CAs the registry
   * trusts for `regionEndpoint` (internal CAs, Ceph RGW routes).
   *
   * Once set, the registry trusts **only** this bundle, not the system store: put the whole chain
   * in it (root and intermediates of the endpoint's certificate, and any public CA the endpoint or
   * a proxy in between presents). With redirects on (`disableRedirect` unset) the operator also
   * hands the bundle to the nodes, which pull blobs from the endpoint directly. The library checks
   * the name (a DNS subdomain of at most 253 characters); it cannot see the ConfigMap's contents.
   *
   * @default unset (system trust and the cloud's CA bundle)
   * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/storage/s3/s3.go
   */
  readonly trustedCA?: string;

  /**
   * Multipart upload chunk size in MiB, 5 to 5120.
   * @default unset (the operator's default, 10 MiB)
   */
  readonly chunkSizeMiB?: number;

  /**
   * Static credentials. They go into `image-registry-private-configuration-user`, which the operator
   * then uses *instead of* the cluster's credentials for everything (no per-key fallback); S3
   * session tokens are not supported by the operator.
   *
   * @default unset: no Secret; the operator uses the cluster's own credentials
   */
  readonly credentials?: S3Credentials;
}

/** Secret keys the operator reads for S3 (`pkg/storage/s3/s3.go`). */
export const S3_SECRET_KEYS = { accessKey: 'REGISTRY_STORAGE_S3_ACCESSKEY', secretKey: 'REGISTRY_STORAGE_S3_SECRETKEY' } as const;

/** S3 bucket naming rules; returns the problem, or undefined when the name is valid. */
export function s3BucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long, got ${name.length}`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'may hold only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not look like an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) {
    return 'uses a prefix or suffix S3 reserves (xn--, sthree-, -s3alias, --ol-s3, ...)';
  }
  return undefined;
}

/** True when the endpoint looks like a Ceph Rados Gateway (`rgw` as a word of the host name). */
function isRadosGateway(url: URL): boolean {
  return /(^|[.-])rgw([.-]|$)/.test(url.hostname) || url.hostname.includes('ceph-objectstore');
}

/** @internal Every prop of {@link S3StorageProps}: any other name is refused, naming the closest. */
export const S3_PROP_NAMES: PropNames<S3StorageProps> = {
  ...COMMON_PROP_NAMES,
  bucket: true,
  region: true,
  regionEndpoint: true,
  virtualHostedStyle: true,
  encrypt: true,
  keyID: true,
  cloudFront: { baseURL: true, keypairID: true, privateKey: { name: true, key: true }, duration: true },
  trustedCA: true,
  chunkSizeMiB: true,
  credentials: { accessKey: true, secretKey: true },
};

/**
 * Checks S3 props and returns the plan: the Config spec with exactly one `s3` block, and the user
 * Secret when credentials are given. Throws {@link RegistryStorageValidationError} listing every problem.
 */
/**
 * The bucket the operator creates on AWS (`pkg/storage/s3/s3.go`): named `<infraID>-image-registry-<region>`
 * (padded with random letters before 2026-04), tagged `kubernetes.io/cluster/<infraID>: owned`, which
 * `openshift-install destroy cluster` finds it by (installer `pkg/destroy/aws`).
 */
export const S3_ADOPTION: AdoptionFacts = {
  kind: 's3',
  names: { bucket: (infra) => `${infra}-image-registry-` },
  ownedMarker: (infra) => ({ kind: 'tag', key: `kubernetes.io/cluster/${infra}`, value: 'owned' }),
  markerRemoval: 'the ACK Bucket (at its next apply) and the Pulumi component (at adopt: \'imported\') set the bucket\'s whole tag set, without it; '
    + 'with neither, remove it yourself (aws s3api put-bucket-tagging)',
  teardown: 'openshift-install destroy cluster finds the cluster\'s buckets by that tag: once it is gone, this bucket and its images outlive the cluster (delete it yourself when you mean to)',
};

export function planS3Storage(props: S3StorageProps): RegistryStoragePlan {
  const problems = new Problems();
  props = checkPropsShape('S3RegistryStorage', props, S3_PROP_NAMES);
  checkCommon(props, problems);
  const adoption = adoptionOf(S3_ADOPTION, props as any, problems);

  const bucket = optionalString(problems, 'bucket', props.bucket);
  if (bucket !== undefined) {
    const p = s3BucketNameProblem(bucket);
    if (p) problems.add('bucket', `${show(bucket)} ${p} (S3 bucket naming rules)`, 'ORS-S3-001');
  }
  const region = optionalString(problems, 'region', props.region);
  const endpoint = optionalString(problems, 'regionEndpoint', props.regionEndpoint);
  if (endpoint !== undefined) {
    const url = httpUrl(problems, 'regionEndpoint', endpoint, 'https://s3.example.com');
    if (url && bucket && url.pathname.split('/').includes(bucket)) {
      problems.add('regionEndpoint', `must not contain the bucket name ${show(bucket)} in its path: the registry adds it; `
        + `use the bare service URL ${show(`${url.protocol}//${url.host}`)} (pushes fail with "s3aws: Path not found", OCPBUGS-42198)`, 'ORS-S3-002');
    } else if (url && url.pathname !== '/' && url.pathname !== '') {
      problems.add('regionEndpoint', `must be the bare service URL without a path, got path ${show(url.pathname)}`, 'ORS-S3-003');
    }
    // A host label equal to the bucket is the classic mistake of pasting a virtual-hosted URL
    // (OCPBUGS-42198), but also a real setup (bucket "minio" at https://minio.example.com): warn.
    if (url && bucket && url.hostname.split('.').includes(bucket)) {
      problems.warn('regionEndpoint', `host ${show(url.hostname)} has a label equal to the bucket name ${show(bucket)}: `
        + 'if that is the bucket\'s virtual-hosted URL, use the bare service URL instead (the registry adds the bucket; pushes fail with "s3aws: Path not found", OCPBUGS-42198)', 'ORS-S3-W001');
    }
    // The operator accepts any port; "no explicit port" is the OpenShift docs' advice for ODF routes.
    // An external Ceph RGW often listens on 7480 only.
    if (url && url.port && isRadosGateway(url)) {
      problems.warn('regionEndpoint', `Ceph Rados Gateway endpoint with an explicit port (${url.port}): fine for an external RGW; for OpenShift Data Foundation use the route or service URL on the default port, as the OpenShift docs do`, 'ORS-S3-W002');
    }
    if (!given(props.region)) {
      problems.add('region', 'is required with regionEndpoint: the operator only defaults the region when both are empty, and fails with MissingRegion otherwise (cluster-image-registry-operator#752). Use the region your store expects, often "us-east-1"', 'ORS-S3-006');
    }
  }
  const keyID = optionalString(problems, 'keyID', props.keyID);
  const encryptGiven = optionalBoolean(problems, 'encrypt', props.encrypt);
  const virtualHostedStyle = optionalBoolean(problems, 'virtualHostedStyle', props.virtualHostedStyle);
  if (given(props.keyID) && encryptGiven === false) {
    problems.add('encrypt', 'is false while keyID is set: keyID means SSE-KMS. Remove keyID, or remove encrypt: false', 'ORS-S3-007');
  }
  const chunk = known(props.chunkSizeMiB as any) as unknown;
  if (chunk !== undefined && (typeof chunk !== 'number' || !Number.isInteger(chunk) || chunk < 5 || chunk > 5120)) {
    problems.add('chunkSizeMiB', `must be a whole number of MiB from 5 to 5120 (S3's multipart limits), got ${show(chunk)}`, 'ORS-S3-008');
  }
  const trustedCA = optionalString(problems, 'trustedCA', props.trustedCA);
  kubernetesName(problems, 'trustedCA', trustedCA, 'a ConfigMap in openshift-config');
  const cfGiven = optionalObject(problems, 'cloudFront', props.cloudFront);
  // A whole cloudFront not known yet (a Pulumi Output) is checked when it resolves.
  const cfDeferred = (cfGiven as unknown) === DEFERRED;
  const cf = cfDeferred ? undefined : cfGiven;
  if (cf !== undefined) {
    const baseURL = requireString(problems, 'cloudFront.baseURL', cf.baseURL, 'with cloudFront');
    if (baseURL !== undefined) httpUrl(problems, 'cloudFront.baseURL', baseURL, 'https://d111111abcdef8.cloudfront.net');
    requireString(problems, 'cloudFront.keypairID', cf.keypairID, 'with cloudFront');
    const privateKey = optionalObject(problems, 'cloudFront.privateKey', cf.privateKey);
    kubernetesName(problems, 'cloudFront.privateKey.name',
      requireString(problems, 'cloudFront.privateKey.name', privateKey?.name, `with cloudFront: the Secret in ${REGISTRY_NAMESPACE} holding the private key`),
      `a Secret in ${REGISTRY_NAMESPACE}`);
    requireString(problems, 'cloudFront.privateKey.key', privateKey?.key, 'with cloudFront: the Secret key holding the private key');
    const duration = optionalString(problems, 'cloudFront.duration', cf.duration);
    if (duration !== undefined && !isKubernetesDuration(duration)) {
      problems.add('cloudFront.duration', `must be a Go duration such as "20m" or "1h30m" (not ISO-8601), got ${show(duration)}`, 'ORS-S3-009');
    }
  }
  const creds = optionalObject(problems, 'credentials', props.credentials);
  if (creds !== undefined) {
    requireString(problems, 'credentials.accessKey', creds.accessKey, 'with credentials: the operator needs both keys');
    requireString(problems, 'credentials.secretKey', creds.secretKey, 'with credentials: the operator needs both keys');
  }

  return finishPlan('S3RegistryStorage', 's3', problems, () => {
    const encrypt = given(props.keyID) ? true : encryptGiven ?? (given(props.regionEndpoint) ? undefined : true);
    const s3: ConfigSpecStorageS3 = compact({
      bucket,
      region,
      regionEndpoint: endpoint,
      virtualHostedStyle,
      encrypt,
      keyID,
      chunkSizeMiB: props.chunkSizeMiB,
      cloudFront: cfDeferred ? DEFERRED as never : cf && compact({
        baseURL: cf.baseURL, keypairID: cf.keypairID, privateKey: { name: cf.privateKey.name, key: cf.privateKey.key }, duration: cf.duration,
      }),
      trustedCA: trustedCA !== undefined ? { name: trustedCA } : undefined,
    });
    return {
      storageType: 's3',
      ...(adoption ? { adoption } : {}),
      spec: { ...commonSpec(props, {}), storage: compact({ managementState: storageState(props, given(props.bucket)), s3 }) },
      secret: creds && userSecret(credentialSecretData(S3_SECRET_KEYS, { ...creds })),
      objects: [],
    };
  });
}


/** ID of the lifecycle rule the operator itself puts on buckets it manages (abort multipart uploads after 1 day). */
export const S3_INCOMPLETE_UPLOAD_RULE_ID = 'cleanup-incomplete-multipart-registry-uploads';

/**
 * The S3 actions the registry and the operator need on an Unmanaged bucket: the operator's
 * CredentialsRequest without creating, deleting or reconfiguring buckets.
 * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/manifests/01-registry-credentials-request.yaml
 */
export const S3_REGISTRY_BUCKET_ACTIONS = [
  's3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads',
  // The operator's tag controller reads and writes the bucket's tags on every resync, whatever the
  // storage's management state, with the registry's credentials (pkg/operator/awstagcontroller.go).
  's3:GetBucketTagging', 's3:PutBucketTagging',
] as const;
/** Object actions the registry needs; see {@link S3_REGISTRY_BUCKET_ACTIONS}. */
export const S3_REGISTRY_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'] as const;
/** KMS actions SSE-KMS needs (the operator's CredentialsRequest has none: pushes fail with 500 without them). */
export const S3_REGISTRY_KMS_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] as const;

/** An IAM policy document. */
export interface IamPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: ReadonlyArray<Record<string, unknown>>;
}

/**
 * Least-privilege identity policy for the registry on one bucket (and its KMS key, for SSE-KMS).
 * @param bucketArn `arn:aws:s3:::<bucket>`
 * @param kmsKeyArn the key's ARN when `keyID` is set
 */
export function s3RegistryIdentityPolicy(bucketArn: string, kmsKeyArn?: string): IamPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'RegistryBucket', Effect: 'Allow', Action: [...S3_REGISTRY_BUCKET_ACTIONS], Resource: bucketArn },
      { Sid: 'RegistryObjects', Effect: 'Allow', Action: [...S3_REGISTRY_OBJECT_ACTIONS], Resource: `${bucketArn}/*` },
      ...(kmsKeyArn ? [{ Sid: 'RegistryKmsKey', Effect: 'Allow', Action: [...S3_REGISTRY_KMS_ACTIONS], Resource: kmsKeyArn }] : []),
    ],
  };
}

/**
 * The rule for `keyID` where policies and grants must name the key (an IAM-user policy, a KMS grant,
 * an ACK bucket): its ARN, not a key id or alias. Returns the problem, or undefined.
 */
export function s3KmsKeyArnProblem(keyID: unknown): RegistryConfigProblem | undefined {
  if (typeof keyID !== 'string' || /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/\S+$/.test(keyID)) return undefined;
  return { path: 'keyID', message: `must be the key's ARN (arn:aws:kms:<region>:<account>:key/<id>): the policies and grants name it, got ${show(keyID)}`, code: 'ORS-S3-014' };
}

/**
 * The bucket a flavour creates for the registry, hardened: what the Pulumi flavour renders with
 * `@pulumi/aws` and the cdk8s flavour as an ACK `Bucket`. Values are the caller's (plain strings, or
 * Pulumi Inputs), passed through.
 */
export interface S3BucketIntent<V = string> {
  /** Bucket name; unset lets the Pulumi flavour auto-name it. */
  readonly name?: V;
  /** All four public-access blocks on. */
  readonly publicAccessBlock: {
    readonly blockPublicAcls: true; readonly blockPublicPolicy: true; readonly ignorePublicAcls: true; readonly restrictPublicBuckets: true;
  };
  /** ACLs off: the bucket owner owns every object. */
  readonly objectOwnership: 'BucketOwnerEnforced';
  /** Default encryption: SSE-KMS with `keyID` (and a bucket key, fewer KMS calls), SSE-S3 otherwise. */
  readonly encryption: { readonly sseAlgorithm: 'aws:kms' | 'AES256'; readonly kmsMasterKeyId?: V; readonly bucketKeyEnabled: true };
  /**
   * The operator's own lifecycle rule on buckets it creates (`pkg/storage/s3/s3.go`): abort
   * incomplete multipart uploads after 1 day, on every key.
   */
  readonly lifecycleRule: { readonly id: string; readonly status: 'Enabled'; readonly prefix: ''; readonly abortIncompleteMultipartUploadDays: 1 };
  /** Tags. */
  readonly tags?: Readonly<Record<string, V>>;
  /** The bucket policy, for the bucket's ARN: TLS only, and an Allow for the registry's principal when given. */
  policy(bucketArn: string, registryPrincipalArn?: string): IamPolicyDocument;
}

/**
 * The bucket's tags as the operator's tag controller leaves them, so that a stack or controller
 * that owns the tag set agrees with it instead of undoing it. Whenever `spec.storage.s3` is set,
 * the controller merges the cluster's `infrastructure.status.platformStatus.aws.resourceTags` into
 * the bucket's tags (theirs win for the same key; keys `Name`, `kubernetes.io/*` and
 * `openshift.io/*` are skipped) and writes the set when it differs
 * (cluster-image-registry-operator `pkg/operator/awstagcontroller.go`, `syncInfraTags`). Pulumi
 * `tags` and an ACK `spec.tagging` are authoritative: without the cluster's tags in them, every
 * `pulumi up --refresh` and every ACK resync removes the operator's tags, and the operator adds them
 * back on its next Infrastructure event.
 * @returns undefined when there is no tag at all
 */
export function s3BucketTags(tags?: Readonly<Record<string, string>>, clusterResourceTags?: Readonly<Record<string, string>>):
  Record<string, string> | undefined {
  const cluster = Object.entries(clusterResourceTags ?? {}).filter(([k]) => !isOperatorSkippedTag(k));
  const merged: Record<string, string> = { ...tags, ...Object.fromEntries(cluster) };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/** Keys the operator's tag controller never writes (`awstagcontroller.go`). */
function isOperatorSkippedTag(key: string): boolean {
  return key === 'Name' || key.startsWith('kubernetes.io/') || key.startsWith('openshift.io/');
}

/**
 * The cluster's AWS resource tags from its `infrastructures.config.openshift.io/cluster` object
 * (`oc get infrastructure cluster -o yaml`): `status.platformStatus.aws.resourceTags`, as a map.
 */
export function clusterResourceTagsFromInfrastructure(infrastructure: unknown): Record<string, string> {
  return infrastructureResourceTags(infrastructure, 'aws');
}

/** The hardened bucket for the registry ({@link S3BucketIntent}). */
export function s3BucketIntent<V = string>(props: {
  readonly bucket?: V; readonly keyID?: V; readonly tags?: Readonly<Record<string, V>>;
}): S3BucketIntent<V> {
  return {
    ...(props.bucket !== undefined ? { name: props.bucket } : {}),
    publicAccessBlock: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    objectOwnership: 'BucketOwnerEnforced',
    encryption: props.keyID !== undefined
      ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.keyID, bucketKeyEnabled: true }
      : { sseAlgorithm: 'AES256', bucketKeyEnabled: true },
    lifecycleRule: { id: S3_INCOMPLETE_UPLOAD_RULE_ID, status: 'Enabled', prefix: '', abortIncompleteMultipartUploadDays: 1 },
    ...(props.tags !== undefined ? { tags: props.tags } : {}),
    policy: (bucketArn, registryPrincipalArn) => s3RegistryBucketPolicy(bucketArn, registryPrincipalArn),
  };
}

/**
 * How the registry authenticates to S3, in a flavour that provisions the storage:
 * - `'cluster'`: no user Secret; the operator and the registry use the cluster's own identity
 *   (`installer-cloud-credentials`: a role with short-lived tokens on STS clusters, a minted IAM
 *   user otherwise). Its CredentialsRequest allows the registry's S3 actions on any bucket in the
 *   cluster's account, and no KMS action.
 * - `'iam-user'`: an IAM user whose policy allows only this bucket (and key), and an access key for
 *   it in the user Secret. A long-lived key: IAM guidance (and security hubs) prefer roles, and on
 *   STS clusters the Secret replaces the cluster's short-lived credentials.
 * - an object: these keys, in the user Secret (S3-compatible storage).
 */
export type S3CredentialMode = 'cluster' | 'iam-user';

/** The credential modes {@link S3CredentialMode} names. */
export const S3_CREDENTIAL_MODES: readonly S3CredentialMode[] = ['cluster', 'iam-user'];

/** Props of {@link planS3Access}: how the registry reaches a bucket a flavour provisions. */
export interface S3AccessProps {
  /** @default 'cluster' on AWS; keys are required with `regionEndpoint` */
  readonly credentials?: S3CredentialMode | S3Credentials;
  readonly keyID?: string;
  readonly regionEndpoint?: string;
  /**
   * ARN of the identity the registry runs as with the cluster's credentials: the role on STS
   * clusters (ccoctl names it `<name>-openshift-image-registry-installer-cloud-credentials`), the
   * minted IAM user otherwise.
   */
  readonly registryPrincipalArn?: string;
  /** @default true */
  readonly grantKeyToRegistry?: boolean;
}

/** What the registry's access needs besides the bucket, as data every flavour renders. */
export interface S3AccessPlan {
  /** `'keys'` for given keys. */
  readonly mode: S3CredentialMode | 'keys';
  /**
   * A KMS grant on `keyID` for the registry's identity (the cluster's identity has no KMS action;
   * without it pushes fail with HTTP 500). A grant, not a key policy statement: the component does
   * not own the key policy (replacing it would drop its other statements), and a grant names the
   * key and the principal only, which also works for a key in another account.
   */
  readonly kmsGrant?: { readonly keyId: string; readonly granteePrincipal: string; readonly operations: readonly string[] };
  /**
   * A principal the bucket policy allows the registry's actions to: needed for a bucket in another
   * account, and on ROSA with hosted control planes, whose managed policy allows only buckets named
   * `*-image-registry-<region>-*`.
   */
  readonly bucketPolicyPrincipal?: string;
}

/** KMS grant operations of the registry's KMS actions ({@link S3_REGISTRY_KMS_ACTIONS}). */
export const S3_REGISTRY_KMS_GRANT_OPERATIONS = S3_REGISTRY_KMS_ACTIONS.map((a) => a.slice('kms:'.length));

/**
 * Plans how the registry reaches the bucket: the credential mode and the grants the cluster's
 * identity lacks. Throws {@link RegistryStorageValidationError} listing every problem.
 */
/**
 * @internal The fact behind every KMS rule of the cluster's identity, in one wording: the
 * operator's CredentialsRequest for the registry lists S3 actions only
 * (cluster-image-registry-operator `manifests/01-registry-credentials-request.yaml`).
 */
export const S3_CLUSTER_IDENTITY_NO_KMS = 'the registry uses the cluster\'s identity, whose CredentialsRequest has no KMS action: '
  + 'pushes fail with HTTP 500 until the key grants it kms:Encrypt, kms:Decrypt and kms:GenerateDataKey (a KMS grant, or the key policy)';

export function planS3Access(props: S3AccessProps): S3AccessPlan {
  const problems = new Problems();
  const creds = props.credentials;
  const endpoint = given(props.regionEndpoint);
  const mode: S3AccessPlan['mode'] = credentialMode(problems, creds, S3_CREDENTIAL_MODES, '{ accessKey, secretKey }');
  if ((creds === undefined || creds === null) && endpoint) {
    problems.add('credentials', 'S3-compatible storage (regionEndpoint) needs keys: give { accessKey, secretKey }; the cluster\'s identity is an AWS one', 'ORS-S3-010');
  }
  if (mode === 'iam-user' && endpoint) {
    problems.add('credentials', '\'iam-user\' creates an AWS IAM user, which S3-compatible storage (regionEndpoint) does not know: give { accessKey, secretKey }', 'ORS-S3-011');
  }
  const principal = optionalString(problems, 'registryPrincipalArn', props.registryPrincipalArn);
  const principalValue = known(principal);
  if (principalValue !== undefined && !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:(role|user|assumed-role)\/\S+$/.test(principalValue)) {
    problems.add('registryPrincipalArn', `must be the ARN of an IAM role or user (arn:aws:iam::123456789012:role/...), got ${show(principalValue)}`, 'ORS-S3-012');
  }
  const grant = optionalBoolean(problems, 'grantKeyToRegistry', props.grantKeyToRegistry) ?? true;
  const keyID = given(props.keyID) ? props.keyID : undefined;
  let kmsGrant: S3AccessPlan['kmsGrant'];
  if (mode === 'cluster' && keyID !== undefined && grant && !endpoint) {
    if (!given(props.registryPrincipalArn)) {
      problems.add('registryPrincipalArn', `is required with keyID: ${S3_CLUSTER_IDENTITY_NO_KMS}. `
        + 'Give the role ARN (ccoctl: <name>-openshift-image-registry-installer-cloud-credentials; '
        + 'S3RegistryStorage.registryRoleArnFromCluster() reads it), or grantKeyToRegistry: false when the key policy grants it already', 'ORS-S3-013');
    } else {
      // A value not known yet (a Pulumi Output) stays DEFERRED: the flavour passes its own input.
      kmsGrant = { keyId: keyID, granteePrincipal: principal ?? (DEFERRED as never), operations: S3_REGISTRY_KMS_GRANT_OPERATIONS };
    }
  }
  problems.throwIfAny('S3 access');
  return { mode, ...(kmsGrant ? { kmsGrant } : {}), ...(mode === 'cluster' && given(props.registryPrincipalArn) ? { bucketPolicyPrincipal: principal ?? (DEFERRED as never) } : {}) };
}

/**
 * The role the registry uses on an STS cluster, from `installer-cloud-credentials`' `credentials`
 * key (an ini with `role_arn` and `web_identity_token_file`, written by ccoctl). Throws when the
 * Secret holds static keys (mint mode): the minted IAM user's ARN is then an input.
 */
export function registryRoleArnFromCredentials(ini: string): string {
  const roleArn = /^\s*role_arn\s*=\s*(\S+)\s*$/m.exec(ini)?.[1];
  if (roleArn === undefined) {
    throw new Error('installer-cloud-credentials holds no role_arn: the cluster is not in STS mode (its credentials are a minted IAM '
      + 'user\'s keys). Give registryPrincipalArn, the ARN of that user (aws iam get-user --user-name <its name>)');
  }
  return roleArn;
}

/**
 * The bucket policy: deny every request not made over TLS and, when the registry's principal is
 * given, allow it the registry's bucket and object actions on this bucket.
 */
export function s3RegistryBucketPolicy(bucketArn: string, registryPrincipalArn?: string): IamPolicyDocument {
  const tls = s3DenyInsecureTransportPolicy(bucketArn);
  if (registryPrincipalArn === undefined) return tls;
  return {
    Version: '2012-10-17',
    Statement: [
      ...tls.Statement,
      { Sid: 'RegistryBucket', Effect: 'Allow', Principal: { AWS: registryPrincipalArn }, Action: [...S3_REGISTRY_BUCKET_ACTIONS], Resource: bucketArn },
      { Sid: 'RegistryObjects', Effect: 'Allow', Principal: { AWS: registryPrincipalArn }, Action: [...S3_REGISTRY_OBJECT_ACTIONS], Resource: `${bucketArn}/*` },
    ],
  };
}

/** Bucket policy that denies every request not made over TLS. */
export function s3DenyInsecureTransportPolicy(bucketArn: string): IamPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }],
  };
}
