/**
 * The descriptor of Azure Blob Storage storage: what the checks, the fleet, the CLI and both flavours read
 * about it (see `StorageKind`). The rules and the plan are in `./plan`.
 */
import { AZURE_ADOPTION, AZURE_PROP_NAMES, AZURE_SECRET_KEYS, AZURE_SKU_NAMES, AzureStorageProps, DEFAULT_AZURE_CONTAINER, planAzureStorage } from './plan';
import { BOUND_TOKEN_PATH, StorageKind } from '../../core/storage-kind';

/** @internal The fields of `provision` (the cdk8s `CrossplaneAccountOptions`, checked at compile time). */
export const AZURE_PROVISION_FIELDS = {
  crossplane: {
    controller: true,
    resourceGroupName: true,
    location: true,
    skuName: true,
    retainOnDelete: true,
    workloadIdentity: true,
    clusterResourceGroupName: true,
    providerConfigName: true,
    tags: true,
    clusterResourceTags: true,
    azureAD: { principalId: true, subscriptionID: true, providerConfig: { clientID: true, tenantID: true, source: true } },
  },
} as const;

/** The blob endpoint's domain in the Azure clouds other than the public one (Azure's documented suffixes). */
const AZURE_BLOB_SUFFIXES: Readonly<Record<string, string>> = {
  AzureUSGovernmentCloud: 'blob.core.usgovcloudapi.net',
  AzureChinaCloud: 'blob.core.chinacloudapi.cn',
  AzureGermanCloud: 'blob.core.cloudapi.de',
};

/** Azure Blob Storage, as every part of the library reads it. */
export const AZURE_KIND: StorageKind<AzureStorageProps> = {
  name: 'azure',
  configType: 'azure',
  plan: planAzureStorage,
  propNames: AZURE_PROP_NAMES,
  secretKeys: AZURE_SECRET_KEYS,
  secretKeySets: [[AZURE_SECRET_KEYS.accountKey]],
  misnamedSecretKeys: { REGISTRY_STORAGE_AZURE_ACCOUNT_KEY: AZURE_SECRET_KEYS.accountKey },
  cli: {
    name: 'azure',
    flags: {
      'account-name': { prop: 'accountName', type: 'string', help: 'storage account name' },
      'container': { prop: 'container', type: 'string', help: 'blob container' },
      'cloud-name': { prop: 'cloudName', type: 'string', help: 'AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud, AzureGermanCloud' },
      'network-access': { prop: 'networkAccess.type', type: 'string', help: 'External or Internal' },
    },
  },
  provision: {
    crossplane: {
      names: AZURE_PROVISION_FIELDS.crossplane,
      booleans: ['retainOnDelete', 'workloadIdentity'],
      enums: { skuName: AZURE_SKU_NAMES },
      maps: ['tags', 'clusterResourceTags'],
    },
  },
  // rclone's Azure Blob backend: https://rclone.org/azureblob/ (account, key; env_auth for Workload Identity).
  copier: (b) => (b.cloudName === 'AzureStackCloud'
    ? { unreachable: 'Azure Stack Hub\'s blob endpoint comes from the cluster\'s endpoints file, which the copier does not read' }
    : {
      options: {
        type: 'azureblob',
        account: String(b.accountName),
        ...(AZURE_BLOB_SUFFIXES[b.cloudName] ? { endpoint: `https://${b.accountName}.${AZURE_BLOB_SUFFIXES[b.cloudName]}` } : {}),
      },
      root: String(b.container),
      keys: { key: AZURE_SECRET_KEYS.accountKey },
      ambient: { env_auth: 'true' },
      // Workload Identity as the operator gives it to the registry (pkg/storage/azure/azure.go), or a client secret
      podIdentity: {
        env: { AZURE_FEDERATED_TOKEN_FILE: BOUND_TOKEN_PATH },
        fromCloudCredentials: { AZURE_CLIENT_ID: 'azure_client_id', AZURE_TENANT_ID: 'azure_tenant_id', AZURE_CLIENT_SECRET: 'azure_client_secret' },
      },
    }),
  adoption: AZURE_ADOPTION,
  fleet: {
    homePlatforms: ['azure'],
    abbreviation: 'azure',
    identity: (p) => (p.accountName ? `azure container ${p.accountName}/${p.container ?? DEFAULT_AZURE_CONTAINER}` : undefined),
    placeholderCredentials: (x) => ({ value: { accountKey: x }, keys: Object.values(AZURE_SECRET_KEYS) }),
  },
};
