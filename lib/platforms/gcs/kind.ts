/**
 * The descriptor of Google Cloud Storage storage: what the checks, the fleet, the CLI and both flavours read
 * about it (see `StorageKind`). The rules and the plan are in `./plan`.
 */
import { GCS_ADOPTION, GCS_PROP_NAMES, GCS_SECRET_KEYS, GcsStorageProps, planGcsStorage } from './plan';
import { CLOUD_CREDENTIALS_MOUNT_PATH, StorageKind } from '../../core/storage-kind';

/** @internal The fields of `provision` (the cdk8s `ConfigConnectorBucketOptions`, checked at compile time). */
export const GCS_PROVISION_FIELDS = {
  configConnector: { controller: true, namespace: true, retainOnDelete: true, registryServiceAccount: true, labels: true },
} as const;

/** Google Cloud Storage, as every part of the library reads it. */
export const GCS_KIND: StorageKind<GcsStorageProps> = {
  name: 'gcs',
  configType: 'gcs',
  plan: planGcsStorage,
  propNames: GCS_PROP_NAMES,
  secretKeys: GCS_SECRET_KEYS,
  secretKeySets: [[GCS_SECRET_KEYS.keyfile]],
  misnamedSecretKeys: { REGISTRY_STORAGE_GCS_KEY_FILE: GCS_SECRET_KEYS.keyfile },
  cli: {
    name: 'gcs',
    flags: {
      'bucket': { prop: 'bucket', type: 'string', help: 'bucket name' },
      'region': { prop: 'region', type: 'string', help: 'bucket location' },
      'project-id': { prop: 'projectID', type: 'string', help: 'project of the bucket (required with --region)' },
      'key-id': { prop: 'keyID', type: 'string', help: 'Cloud KMS key for CMEK' },
    },
  },
  provision: {
    'config-connector': { names: GCS_PROVISION_FIELDS.configConnector, booleans: ['retainOnDelete'], maps: ['labels'] },
  },
  // rclone's Google Cloud Storage backend: https://rclone.org/googlecloudstorage/ (service_account_credentials
  // takes a service_account key only; Workload Identity Federation goes through env_auth).
  copier: (b) => ({
    options: { type: 'google cloud storage', bucket_policy_only: 'true' },
    root: String(b.bucket),
    // every link is a single-part object whose ETag (md5Hash) is its MD5
    checksums: true,
    keys: { service_account_credentials: GCS_SECRET_KEYS.keyfile },
    ambient: { env_auth: 'true' },
    // a service account key or a Workload Identity Federation external_account file (pkg/storage/gcs/gcs.go reads the same key)
    podIdentity: { env: { GOOGLE_APPLICATION_CREDENTIALS: `${CLOUD_CREDENTIALS_MOUNT_PATH}/service_account.json` } },
  }),
  adoption: GCS_ADOPTION,
  fleet: {
    homePlatforms: ['gcp'],
    regionFromCluster: true,
    abbreviation: 'gcs',
    identity: (p) => (p.bucket ? `gcs bucket ${p.bucket}` : undefined),
    placeholderCredentials: (x) => ({
      value: { keyfile: JSON.stringify({ type: 'service_account', client_email: `${x}@placeholder.iam.gserviceaccount.com`, private_key: x }) },
      keys: Object.values(GCS_SECRET_KEYS),
    }),
  },
};
