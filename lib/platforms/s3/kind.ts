/**
 * The descriptor of Amazon S3 storage: what the checks, the fleet, the CLI and both flavours read
 * about it (see `StorageKind`). The rules and the plan are in `./plan`.
 */
import { S3_ADOPTION, S3StorageProps, S3_PROP_NAMES, S3_SECRET_KEYS, planS3Storage } from './plan';
import { CLOUD_CREDENTIALS_MOUNT_PATH, StorageKind } from '../../core/storage-kind';

/**
 * @internal The fields of `provision` per controller (the cdk8s `AckBucketOptions` and
 * `ObjectBucketClaimOptions`; `lib/cdk8s/provision-props.ts` checks that they match at compile time).
 */
export const S3_PROVISION_FIELDS = {
  ack: { controller: true, namespace: true, retainOnDelete: true, registryPrincipalArn: true, tags: true, clusterResourceTags: true },
  objectBucketClaim: { controller: true, storageClassName: true, claimName: true, cliImage: true, jobNamespace: true },
} as const;

/** Amazon S3 and S3-compatible storage, as every part of the library reads it. */
export const S3_KIND: StorageKind<S3StorageProps> = {
  name: 's3',
  configType: 's3',
  plan: planS3Storage,
  propNames: S3_PROP_NAMES,
  secretKeys: S3_SECRET_KEYS,
  secretKeySets: [[S3_SECRET_KEYS.accessKey, S3_SECRET_KEYS.secretKey]],
  misnamedSecretKeys: { REGISTRY_STORAGE_S3_ACCESS_KEY: S3_SECRET_KEYS.accessKey, REGISTRY_STORAGE_S3_SECRET_KEY: S3_SECRET_KEYS.secretKey },
  // the Config names the CA's ConfigMap as { name }; the props take the name
  // The live Config holds trustedCA: { name: "" } when none is set (the API's field has no omitempty).
  propsFromBlock: (block) => {
    const { trustedCA, ...rest } = block;
    return { ...rest, ...(trustedCA?.name ? { trustedCA: trustedCA.name } : {}) };
  },
  cli: {
    name: 's3',
    flags: {
      'bucket': { prop: 'bucket', type: 'string', help: 'bucket name' },
      'region': { prop: 'region', type: 'string', help: 'bucket region (required with --region-endpoint)' },
      'region-endpoint': { prop: 'regionEndpoint', type: 'string', help: 'S3-compatible endpoint URL with scheme, without the bucket' },
      'virtual-hosted-style': { prop: 'virtualHostedStyle', type: 'boolean', help: 'bucket.host addressing' },
      'encrypt': { prop: 'encrypt', type: 'boolean', help: 'ask S3 to encrypt objects' },
      'key-id': { prop: 'keyID', type: 'string', help: 'KMS key for SSE-KMS (implies --encrypt)' },
      'trusted-ca': { prop: 'trustedCA', type: 'string', help: 'ConfigMap in openshift-config with ca-bundle.crt' },
      'chunk-size-mib': { prop: 'chunkSizeMiB', type: 'integer', help: 'multipart chunk size, 5-5120' },
    },
  },
  provision: {
    'ack': { names: S3_PROVISION_FIELDS.ack, booleans: ['retainOnDelete'], maps: ['tags', 'clusterResourceTags'] },
    'object-bucket-claim': { names: S3_PROVISION_FIELDS.objectBucketClaim, booleans: [] },
  },
  // The registry's tree sits at the bucket's root (the operator sets no rootdirectory). rclone's s3
  // backend: https://rclone.org/s3/ (provider, endpoint, force_path_style, server_side_encryption).
  copier: (b) => ({
    options: {
      type: 's3',
      provider: b.regionEndpoint ? 'Other' : 'AWS',
      ...(b.region ? { region: String(b.region) } : {}),
      ...(b.regionEndpoint ? { endpoint: String(b.regionEndpoint), force_path_style: String(b.virtualHostedStyle !== true) } : {}),
      ...(b.keyID ? { server_side_encryption: 'aws:kms', sse_kms_key_id: String(b.keyID) } : b.encrypt ? { server_side_encryption: 'AES256' } : {}),
      no_check_bucket: 'true',
    },
    root: String(b.bucket),
    // every link is a single-part object whose ETag (md5Hash) is its MD5
    checksums: true,
    keys: { access_key_id: S3_SECRET_KEYS.accessKey, secret_access_key: S3_SECRET_KEYS.secretKey },
    // AWS STS (ccoctl's role_arn and web_identity_token_file) through the SDK's chain
    ...(b.regionEndpoint ? {} : {
      ambient: { env_auth: 'true' },
      // The SDK's chain: the shared file the Cloud Credential Operator or ccoctl wrote (role_arn and
      // web_identity_token_file with STS), or the minted keys.
      podIdentity: {
        env: {
          AWS_SHARED_CREDENTIALS_FILE: `${CLOUD_CREDENTIALS_MOUNT_PATH}/credentials`,
          AWS_CONFIG_FILE: `${CLOUD_CREDENTIALS_MOUNT_PATH}/credentials`,
          AWS_SDK_LOAD_CONFIG: '1',
        },
        fromCloudCredentials: { AWS_ACCESS_KEY_ID: 'aws_access_key_id', AWS_SECRET_ACCESS_KEY: 'aws_secret_access_key' },
      },
    }),
  }),
  adoption: S3_ADOPTION,
  fleet: {
    homePlatforms: ['aws'],
    regionFromCluster: true,
    abbreviation: 's3',
    identity: (p) => (p.bucket ? `s3 bucket ${p.bucket}${p.regionEndpoint ? ` at ${p.regionEndpoint}` : ''}` : undefined),
    placeholderCredentials: (x) => ({ value: { accessKey: x, secretKey: x }, keys: Object.values(S3_SECRET_KEYS) }),
    noClusterIdentity: (p) => (p.regionEndpoint !== undefined
      ? 'the cluster\'s identity reaches AWS S3 only, not an S3-compatible endpoint: use hub-secret, or objectBucketClaim for OpenShift Data Foundation'
      : undefined),
  },
};
