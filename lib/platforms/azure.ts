/**
 * Azure Blob Storage: props, rules and plan. Operator behaviour:
 * https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/storage/azure/azure.go
 */
import { shortHash } from '../core/names';
import {
  checkCommon, checkPropsShape, commonSpec, compact, credentialSecretData, finishPlan, given, optionalBoolean, optionalObject,
  optionalString, RegistryCommonProps, RegistryStoragePlan, requireString, storageState, userSecret,
} from '../core/plan';
import { Problems, show } from '../core/problems';
import { ConfigSpecStorageAzureNetworkAccess } from '../generated/config-types';

/** A storage account key. */
export interface AzureCredentials {
  /**
   * One of the storage account's access keys; written to Secret key
   * `REGISTRY_STORAGE_AZURE_ACCOUNTKEY`. Its presence puts the operator in "UPI mode": it creates
   * nothing, and needs `accountName` and `container`.
   */
  readonly accountKey: string;
}

/** Azure clouds the operator knows (go-autorest environment names). */
export type AzureCloudName = 'AzurePublicCloud' | 'AzureUSGovernmentCloud' | 'AzureChinaCloud' | 'AzureGermanCloud' | 'AzureStackCloud';

const AZURE_CLOUDS: readonly string[] = ['AzurePublicCloud', 'AzureUSGovernmentCloud', 'AzureChinaCloud', 'AzureGermanCloud', 'AzureStackCloud'];

/**
 * Props of Azure Blob registry storage; field names are the CRD's (`spec.storage.azure`).
 * @see https://docs.openshift.com/container-platform/latest/registry/configuring_registry_storage/configuring-registry-storage-azure-user-infrastructure.html
 */
export interface AzureStorageProps extends RegistryCommonProps {
  /**
   * Storage account name: 3-24 lowercase letters and digits, unique across Azure.
   * @default unset: the operator creates an account itself and marks it Managed
   */
  readonly accountName?: string;
  /**
   * Blob container: 3-63 lowercase letters, digits and single hyphens (`^[0-9a-z]+(-[0-9a-z]+)*$`).
   * @default unset: the operator creates one
   */
  readonly container?: string;
  /**
   * The Azure cloud. Set it on government and sovereign clouds when you name the account: the
   * operator copies the cluster's cloud only when both `cloudName` and `accountName` are empty, and
   * otherwise talks to the public cloud's `core.windows.net`. `AzureStackCloud` needs the cluster's
   * Azure Stack Hub endpoints file, so it is accepted only with `azureStackHub: true`.
   * @default unset (the cluster's cloud when accountName is unset, else AzurePublicCloud)
   * @see https://github.com/openshift/openshift-docs/pull/25807
   */
  readonly cloudName?: AzureCloudName;
  /**
   * Confirms the cluster runs on Azure Stack Hub, whose endpoints file the operator reads
   * (`AZURE_ENVIRONMENT_FILEPATH`); required for `cloudName: AzureStackCloud`.
   * @default false
   */
  readonly azureStackHub?: boolean;
  /**
   * Public (`External`) or private-endpoint (`Internal`) access to the account. `Internal`
   * disables public network access, so `disableRedirect` defaults to true with it.
   * @default unset (the API server defaults `{type: External}`)
   */
  readonly networkAccess?: ConfigSpecStorageAzureNetworkAccess;
  /**
   * The account key; see {@link AzureCredentials}.
   * @default unset: no Secret; the operator uses the cluster's own credentials
   */
  readonly credentials?: AzureCredentials;
}

/** Secret key the operator reads for Azure (`pkg/storage/azure/azure.go`). */
export const AZURE_SECRET_KEYS = { accountKey: 'REGISTRY_STORAGE_AZURE_ACCOUNTKEY' } as const;

/** Checks Azure props and returns the plan. Throws {@link RegistryStorageValidationError} listing every problem. */
export function planAzureStorage(props: AzureStorageProps): RegistryStoragePlan {
  const problems = new Problems();
  checkPropsShape('AzureRegistryStorage', props);
  checkCommon(props, problems);
  const accountName = optionalString(problems, 'accountName', props.accountName);
  if (accountName !== undefined && !/^[a-z0-9]{3,24}$/.test(accountName)) {
    problems.add('accountName', `must be 3 to 24 lowercase letters and digits (Azure storage account rules), got ${show(accountName)}`);
  }
  const container = optionalString(problems, 'container', props.container);
  if (container !== undefined && !(container.length >= 3 && container.length <= 63 && /^[0-9a-z]+(-[0-9a-z]+)*$/.test(container))) {
    problems.add('container', `must be 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit, got ${show(container)}`);
  }
  const cloudName = optionalString(problems, 'cloudName', props.cloudName);
  if (cloudName !== undefined && !AZURE_CLOUDS.includes(cloudName)) {
    problems.add('cloudName', `must be one of ${AZURE_CLOUDS.join(', ')}, got ${show(cloudName)}`);
  }
  const azureStackHub = optionalBoolean(problems, 'azureStackHub', props.azureStackHub);
  if (cloudName === 'AzureStackCloud' && azureStackHub !== true) {
    problems.add('cloudName', 'AzureStackCloud needs the cluster\'s Azure Stack Hub endpoints file (AZURE_ENVIRONMENT_FILEPATH): set azureStackHub: true on an Azure Stack Hub cluster');
  }
  const networkAccess = optionalObject(problems, 'networkAccess', props.networkAccess);
  if (networkAccess?.internal !== undefined && networkAccess.type !== 'Internal') {
    problems.add('networkAccess.internal', 'is only allowed with networkAccess.type "Internal": set type: "Internal" or remove internal');
  }
  const creds = optionalObject(problems, 'credentials', props.credentials);
  if (creds !== undefined) {
    requireString(problems, 'credentials.accountKey', creds.accountKey, 'with credentials, and must not be empty (the operator refuses an empty key)');
    if (!given(props.accountName)) problems.add('accountName', 'is required with credentials.accountKey: with a key the operator creates nothing and needs the account name');
    if (!given(props.container)) problems.add('container', 'is required with credentials.accountKey: with a key the operator creates nothing and needs the container');
    if (networkAccess?.type === 'Internal') {
      problems.add('networkAccess.type', 'Internal has no effect with credentials.accountKey: with a key the operator creates nothing, so no private endpoint. '
        + 'Create the private endpoint yourself and leave networkAccess unset, or use the cluster\'s credentials');
    }
  }
  return finishPlan('AzureRegistryStorage', 'azure', problems, () => ({
    storageType: 'azure',
    spec: {
      ...commonSpec(props, { disableRedirect: networkAccess?.type === 'Internal' ? true : undefined }),
      storage: compact({
        managementState: storageState(props, given(props.accountName)),
        azure: compact({ accountName, container, cloudName, networkAccess }),
      }),
    },
    secret: creds && userSecret(credentialSecretData(AZURE_SECRET_KEYS, { ...creds })),
    objects: [],
  }));
}

/**
 * A valid storage account name (3-24 lowercase letters and digits) for an account the library
 * creates without a given name: the name's letters and digits (at most 12) and 12 hex digits of a
 * hash of `seed`. Deterministic, so plans and snapshots are stable; the Pulumi flavour seeds it with
 * project, stack, name and resource group, so stacks do not collide. Pulumi's own auto-name
 * (`<name>-<hex>`) has a hyphen, which Azure refuses.
 */
export function azureStorageAccountName(name: string, seed: string): string {
  const prefix = name.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12);
  return `${prefix}${shortHash(seed, 24 - prefix.length)}`;
}

/** Blob endpoint host suffixes of the clouds the operator knows (Azure SDK environments). */
const AZURE_BLOB_SUFFIXES: ReadonlyArray<readonly [string, AzureCloudName]> = [
  ['.blob.core.windows.net', 'AzurePublicCloud'],
  ['.blob.core.usgovcloudapi.net', 'AzureUSGovernmentCloud'],
  ['.blob.core.chinacloudapi.cn', 'AzureChinaCloud'],
  ['.blob.core.cloudapi.de', 'AzureGermanCloud'],
];

/**
 * The `cloudName` for a storage account's blob endpoint (`https://acct.blob.core.usgovcloudapi.net/`
 * is `AzureUSGovernmentCloud`), or undefined for an endpoint of no known cloud (Azure Stack Hub).
 * The Pulumi flavour reads the endpoint of the account it creates, so `cloudName` follows the
 * provider's environment without the user repeating it.
 */
export function azureCloudNameForBlobEndpoint(endpoint: string | undefined): AzureCloudName | undefined {
  if (!endpoint) return undefined;
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return AZURE_BLOB_SUFFIXES.find(([suffix]) => host.endsWith(suffix))?.[1];
}
