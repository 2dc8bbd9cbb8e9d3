/**
 * Command-line options of `synth`, per storage type: kebab-case flags mirroring the props.
 */
import { AZURE_SECRET_KEYS } from '../platforms/azure';
import { GCS_SECRET_KEYS } from '../platforms/gcs';
import { S3_SECRET_KEYS } from '../platforms/s3';
import { SWIFT_SECRET_KEYS } from '../platforms/swift';

/**
 * One flag: the prop it sets (a dotted path) and how its value is read: `integer` takes decimal
 * digits only (an optional leading `-`, so the core names the lower bound), `number` a decimal fraction.
 */
export interface FlagSpec {
  readonly prop: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean';
  readonly help: string;
}

const COMMON: Record<string, FlagSpec> = {
  'replicas': { prop: 'replicas', type: 'integer', help: 'number of registry pods (default 2; 1 with ReadWriteOnce, emptyDir or SingleReplica)' },
  'infrastructure-topology': { prop: 'infrastructureTopology', type: 'string', help: 'the cluster\'s status.infrastructureTopology (SingleReplica: 1 replica by default)' },
  'rollout-strategy': { prop: 'rolloutStrategy', type: 'string', help: 'RollingUpdate or Recreate' },
  'disable-redirect': { prop: 'disableRedirect', type: 'boolean', help: 'proxy blobs through the registry' },
  'management-state': { prop: 'managementState', type: 'string', help: 'Managed (default) or Unmanaged' },
  'storage-management-state': { prop: 'storageManagementState', type: 'string', help: 'Managed or Unmanaged (default when the storage is named)' },
};

/** Flags per storage type (the CLI's name for it). */
export const SYNTH_FLAGS: Record<string, Record<string, FlagSpec>> = {
  s3: {
    'bucket': { prop: 'bucket', type: 'string', help: 'bucket name' },
    'region': { prop: 'region', type: 'string', help: 'bucket region (required with --region-endpoint)' },
    'region-endpoint': { prop: 'regionEndpoint', type: 'string', help: 'S3-compatible endpoint URL with scheme, without the bucket' },
    'virtual-hosted-style': { prop: 'virtualHostedStyle', type: 'boolean', help: 'bucket.host addressing' },
    'encrypt': { prop: 'encrypt', type: 'boolean', help: 'ask S3 to encrypt objects' },
    'key-id': { prop: 'keyID', type: 'string', help: 'KMS key for SSE-KMS (implies --encrypt)' },
    'trusted-ca': { prop: 'trustedCA', type: 'string', help: 'ConfigMap in openshift-config with ca-bundle.crt' },
    'chunk-size-mib': { prop: 'chunkSizeMiB', type: 'integer', help: 'multipart chunk size, 5-5120' },
    ...COMMON,
  },
  gcs: {
    'bucket': { prop: 'bucket', type: 'string', help: 'bucket name' },
    'region': { prop: 'region', type: 'string', help: 'bucket location' },
    'project-id': { prop: 'projectID', type: 'string', help: 'project of the bucket (required with --region)' },
    'key-id': { prop: 'keyID', type: 'string', help: 'Cloud KMS key for CMEK' },
    ...COMMON,
  },
  azure: {
    'account-name': { prop: 'accountName', type: 'string', help: 'storage account name' },
    'container': { prop: 'container', type: 'string', help: 'blob container' },
    'cloud-name': { prop: 'cloudName', type: 'string', help: 'AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud, AzureGermanCloud' },
    'network-access': { prop: 'networkAccess.type', type: 'string', help: 'External or Internal' },
    ...COMMON,
  },
  swift: {
    'container': { prop: 'container', type: 'string', help: 'container name' },
    'auth-url': { prop: 'authURL', type: 'string', help: 'Keystone URL (required with credentials)' },
    'auth-version': { prop: 'authVersion', type: 'string', help: '1, 2 or 3' },
    'domain': { prop: 'domain', type: 'string', help: 'user domain name' },
    'domain-id': { prop: 'domainID', type: 'string', help: 'user domain ID' },
    'tenant': { prop: 'tenant', type: 'string', help: 'project name' },
    'tenant-id': { prop: 'tenantID', type: 'string', help: 'project ID' },
    'region-name': { prop: 'regionName', type: 'string', help: 'Swift region' },
    ...COMMON,
  },
  pvc: {
    'claim': { prop: 'claim', type: 'string', help: 'claim name ("" lets the operator create its own)' },
    'size': { prop: 'size', type: 'string', help: 'claim size, at least 100Gi' },
    'access-mode': { prop: 'accessMode', type: 'string', help: 'ReadWriteOnce (default) or ReadWriteMany' },
    'storage-class-name': { prop: 'storageClassName', type: 'string', help: 'StorageClass of the claim' },
    'availability-zone': { prop: 'cinder.availabilityZone', type: 'string', help: 'create a Cinder StorageClass in this zone' },
    'use-existing-claim': { prop: 'useExistingClaim', type: 'boolean', help: 'reference --claim without creating it' },
    ...COMMON,
  },
  emptydir: {
    'acknowledge-non-production': { prop: 'acknowledgeNonProduction', type: 'boolean', help: 'required: images are lost on every restart' },
    ...COMMON,
  },
};

/**
 * Credentials come from environment variables (or a file) named like the Secret keys the operator
 * reads, never from flags: flags end up in shell history.
 */
export const CREDENTIAL_KEYS: Record<string, Record<string, string>> = {
  s3: { ...S3_SECRET_KEYS },
  gcs: { ...GCS_SECRET_KEYS },
  azure: { ...AZURE_SECRET_KEYS },
  swift: { ...SWIFT_SECRET_KEYS },
};
