/**
 * Azure Blob Storage: props, rules and plan. Operator behaviour:
 * https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/storage/azure/azure.go
 */
import { infrastructureResourceTags } from '../../core/infrastructure';
import { shortHash } from '../../core/names';
import {
  checkCommon, credentialMode, checkPropsShape, commonSpec, compact, credentialSecretData, finishPlan, given, optionalBoolean, optionalObject,
  optionalString, RegistryCommonProps, RegistryStoragePlan, requireString, storageState, userSecret, COMMON_PROP_NAMES, PropNames,
} from '../../core/plan';
import { Problems, show } from '../../core/problems';
import { ConfigSpecStorageAzureNetworkAccess } from '../../generated/config-types';
import { AdoptionFacts, adoptionOf } from '../adopt';

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

/** @internal Every prop of {@link AzureStorageProps}: any other name is refused, naming the closest. */
export const AZURE_PROP_NAMES: PropNames<AzureStorageProps> = {
  ...COMMON_PROP_NAMES,
  accountName: true,
  container: true,
  cloudName: true,
  azureStackHub: true,
  // its fields are the CRD's: a misspelt one is pruned, and that is a problem (validate-config)
  networkAccess: true,
  credentials: { accountKey: true },
};

/** Checks Azure props and returns the plan. Throws {@link RegistryStorageValidationError} listing every problem. */
/**
 * The account and container the operator creates on Azure (`pkg/storage/azure/azure.go`): account
 * `imageregistry<infraID without dashes>` cut to 19 characters, then 5 random ones, container `<infraID>-image-registry-<random>`,
 * in the cluster's resource group, tagged `kubernetes.io_cluster.<infraID>: owned`.
 * `openshift-install destroy cluster` deletes that resource group, and every account in it (installer `pkg/destroy/azure`).
 */
export const AZURE_ADOPTION: AdoptionFacts = {
  kind: 'azure',
  names: {
    accountName: (infra) => `imageregistry${infra.replace(/[^a-z0-9]/g, '')}`.slice(0, 19),
    container: (infra) => `${infra}-image-registry-`,
  },
  ownedMarker: (infra) => ({ kind: 'tag', key: `kubernetes.io_cluster.${infra}`, value: 'owned' }),
  markerRemoval: 'the Crossplane Account (at its next apply) and the Pulumi component (at adopt: \'imported\') set the account\'s whole tag set, without it; '
    + 'with neither, remove it yourself (az tag update --operation delete)',
  teardown: 'it does not decide teardown: openshift-install destroy cluster deletes the cluster\'s resource group and the account in it, whatever its tags: '
    + 'before tearing the cluster down, move the images to an account of your own (migrateFrom)',
};

export function planAzureStorage(props: AzureStorageProps): RegistryStoragePlan {
  const problems = new Problems();
  props = checkPropsShape('AzureRegistryStorage', props, AZURE_PROP_NAMES);
  checkCommon(props, problems);
  const adoption = adoptionOf(AZURE_ADOPTION, props as any, problems);
  const accountName = optionalString(problems, 'accountName', props.accountName);
  if (accountName !== undefined && !/^[a-z0-9]{3,24}$/.test(accountName)) {
    problems.add('accountName', `must be 3 to 24 lowercase letters and digits (Azure storage account rules), got ${show(accountName)}`, 'ORS-AZURE-001');
  }
  const container = optionalString(problems, 'container', props.container);
  if (container !== undefined && !(container.length >= 3 && container.length <= 63 && /^[0-9a-z]+(-[0-9a-z]+)*$/.test(container))) {
    problems.add('container', `must be 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit, got ${show(container)}`, 'ORS-AZURE-002');
  }
  const cloudName = optionalString(problems, 'cloudName', props.cloudName);
  if (cloudName !== undefined && !AZURE_CLOUDS.includes(cloudName)) {
    problems.add('cloudName', `must be one of ${AZURE_CLOUDS.join(', ')}, got ${show(cloudName)}`, 'ORS-AZURE-003');
  }
  const azureStackHub = optionalBoolean(problems, 'azureStackHub', props.azureStackHub);
  if (cloudName === 'AzureStackCloud' && azureStackHub !== true) {
    problems.add('cloudName', 'AzureStackCloud needs the cluster\'s Azure Stack Hub endpoints file (AZURE_ENVIRONMENT_FILEPATH): set azureStackHub: true on an Azure Stack Hub cluster', 'ORS-AZURE-004');
  }
  const networkAccess = optionalObject(problems, 'networkAccess', props.networkAccess);
  if (networkAccess?.internal !== undefined && networkAccess.type !== 'Internal') {
    problems.add('networkAccess.internal', 'is only allowed with networkAccess.type "Internal": set type: "Internal" or remove internal', 'ORS-AZURE-005');
  }
  const creds = optionalObject(problems, 'credentials', props.credentials);
  if (creds !== undefined) {
    requireString(problems, 'credentials.accountKey', creds.accountKey, 'with credentials, and must not be empty (the operator refuses an empty key)');
    if (!given(props.accountName)) problems.add('accountName', 'is required with credentials.accountKey: with a key the operator creates nothing and needs the account name', 'ORS-AZURE-006');
    if (!given(props.container)) problems.add('container', 'is required with credentials.accountKey: with a key the operator creates nothing and needs the container', 'ORS-AZURE-007');
    if (networkAccess?.type === 'Internal') {
      problems.add('networkAccess.type', 'Internal has no effect with credentials.accountKey: with a key the operator creates nothing, so no private endpoint. '
        + 'Create the private endpoint yourself and leave networkAccess unset, or use the cluster\'s credentials', 'ORS-AZURE-008');
    }
  }
  return finishPlan('AzureRegistryStorage', 'azure', problems, () => ({
    storageType: 'azure',
    ...(adoption ? { adoption } : {}),
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

/**
 * How the registry authenticates to Azure Blob, in a flavour that provisions the account:
 * - `'cluster'`: no user Secret; the operator uses the cluster's own identity
 *   (`installer-cloud-credentials`: Azure Workload Identity, or a service principal). Its role is
 *   assigned at the cluster's resource group, and the operator's calls target that group: only an
 *   account in the cluster's resource group works. With a federated token the operator turns off the
 *   account's shared-key access itself (`DisableStorageAccountAccessKeyAccess`).
 * - `'account-key'`: the account's key in the user Secret. A long-lived key: the built-in policy
 *   "Storage accounts should prevent shared key access" denies it, and on Workload Identity
 *   clusters the Secret replaces the short-lived credentials.
 * - an object: this key.
 */
export type AzureCredentialMode = 'cluster' | 'account-key';

/** The credential modes {@link AzureCredentialMode} names. */
export const AZURE_CREDENTIAL_MODES: readonly AzureCredentialMode[] = ['cluster', 'account-key'];

/** Props of {@link planAzureAccess}. */
export interface AzureAccessProps {
  /** @default 'cluster' */
  readonly credentials?: AzureCredentialMode | AzureCredentials;
  /** Resource group of the storage account. */
  readonly resourceGroupName?: string;
  /**
   * The cluster's resource group (`oc get infrastructure cluster -o
   * jsonpath='{.status.platformStatus.azure.resourceGroupName}'`): in `'cluster'` mode it must be the
   * account's.
   */
  readonly clusterResourceGroupName?: string;
  /** The cluster uses Azure Workload Identity (short-lived, federated credentials). */
  readonly workloadIdentity?: boolean;
}

/** What the registry's access needs, as data every flavour renders. */
export interface AzureAccessPlan {
  /** `'keys'` for a given key. */
  readonly mode: AzureCredentialMode | 'keys';
  /**
   * The account's `allowSharedKeyAccess`: `false` with the cluster's identity on Workload Identity,
   * where the operator sets it to false itself, so that the stack does not fight the operator.
   */
  readonly allowSharedKeyAccess?: false;
}

/**
 * Plans how the registry reaches the account. Throws {@link RegistryStorageValidationError} listing
 * every problem.
 */
export function planAzureAccess(props: AzureAccessProps): AzureAccessPlan {
  const problems = new Problems();
  const creds = props.credentials;
  const mode: AzureAccessPlan['mode'] = credentialMode(problems, creds, AZURE_CREDENTIAL_MODES, '{ accountKey }');
  const group = optionalString(problems, 'resourceGroupName', props.resourceGroupName);
  const clusterGroup = optionalString(problems, 'clusterResourceGroupName', props.clusterResourceGroupName);
  const workloadIdentity = optionalBoolean(problems, 'workloadIdentity', props.workloadIdentity) ?? false;
  // Resource group names are case-insensitive in Azure.
  if (mode === 'cluster' && group !== undefined && clusterGroup !== undefined && group.toLowerCase() !== clusterGroup.toLowerCase()) {
    problems.add('resourceGroupName', `is ${show(group)}, not the cluster's resource group ${show(clusterGroup)}: the cluster's identity can use only `
      + 'an account in its own resource group (its role is assigned there, and the operator\'s calls target it). Create the account in '
      + `${show(clusterGroup)}, or give credentials: 'account-key'`, 'ORS-AZURE-009');
  }
  problems.throwIfAny('Azure access');
  return { mode, ...(mode === 'cluster' && workloadIdentity ? { allowSharedKeyAccess: false as const } : {}) };
}

/** Container name the flavours create when `container` is not given. */
export const DEFAULT_AZURE_CONTAINER = 'image-registry';

/** Storage account SKU the flavours create by default. */
export const DEFAULT_AZURE_SKU = 'Standard_LRS';

/**
 * The storage account SKUs Azure offers (`<tier>_<replication>`): what `skuName` may be on every path.
 * @see https://learn.microsoft.com/en-us/rest/api/storagerp/srp_sku_types
 */
export const AZURE_SKU_NAMES: readonly string[] = ['Standard_LRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS', 'Premium_LRS', 'Premium_ZRS'];

/**
 * The storage account and container a flavour creates for the registry, hardened: what the Pulumi
 * flavour renders with `@pulumi/azure-native` and the cdk8s flavour as Crossplane `Account` and
 * `Container`. Values are the caller's (plain strings, or Pulumi Inputs), passed through.
 */
export interface AzureAccountIntent<V = string> {
  /** Account name (3-24 lowercase letters and digits). */
  readonly name?: V;
  /** General-purpose v2. */
  readonly kind: 'StorageV2';
  /** SKU, `<tier>_<replication>`. */
  readonly skuName: V;
  /** HTTPS only. */
  readonly httpsTrafficOnly: true;
  /** TLS 1.2 at least. */
  readonly minimumTlsVersion: 'TLS1_2';
  /** No anonymous (public) blob access. */
  readonly allowBlobPublicAccess: false;
  /** Shared-key access, off on Workload Identity clusters ({@link planAzureAccess}); unset otherwise. */
  readonly allowSharedKeyAccess?: false;
  /** The private container. */
  readonly container: { readonly name: V; readonly publicAccess: 'None' };
  /** Tags. */
  readonly tags?: Readonly<Record<string, V>>;
}

/** The hardened account and container for the registry ({@link AzureAccountIntent}). */
export function azureAccountIntent<V = string>(props: {
  readonly accountName?: V;
  readonly container?: V;
  readonly skuName?: V;
  readonly tags?: Readonly<Record<string, V>>;
  readonly access?: AzureAccessPlan;
}): AzureAccountIntent<V> {
  return {
    ...(props.accountName !== undefined ? { name: props.accountName } : {}),
    kind: 'StorageV2',
    skuName: props.skuName ?? (DEFAULT_AZURE_SKU as unknown as V),
    httpsTrafficOnly: true,
    minimumTlsVersion: 'TLS1_2',
    allowBlobPublicAccess: false,
    ...(props.access?.allowSharedKeyAccess === false ? { allowSharedKeyAccess: false as const } : {}),
    container: { name: props.container ?? (DEFAULT_AZURE_CONTAINER as unknown as V), publicAccess: 'None' },
    ...(props.tags !== undefined ? { tags: props.tags } : {}),
  };
}

/**
 * The account's tags: the cluster's Azure resource tags first, then `tags`, which win for the same
 * key. The operator puts the cluster's tags (`infrastructure.status.platformStatus.azure.resourceTags`,
 * from the install config's `userTags`) on the account it creates, and never again
 * (cluster-image-registry-operator `pkg/storage/azure/azure.go`, `CreateStorage`); Azure Policy may
 * require them. An account's tags in Pulumi and Crossplane are authoritative: an adopted account
 * loses every tag left out of them, the installer's with the owned one.
 * @returns undefined when there is no tag at all
 */
export function azureAccountTags(tags?: Readonly<Record<string, string>>, clusterResourceTags?: Readonly<Record<string, string>>):
  Record<string, string> | undefined {
  const merged: Record<string, string> = { ...clusterResourceTags, ...tags };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/**
 * The cluster's Azure resource tags from its `infrastructures.config.openshift.io/cluster` object
 * (`oc get infrastructure cluster -o yaml`): `status.platformStatus.azure.resourceTags`, as a map.
 */
export function azureClusterResourceTagsFromInfrastructure(infrastructure: unknown): Record<string, string> {
  return infrastructureResourceTags(infrastructure, 'azure');
}

/** The role that lets an identity create and use containers through the Blob data plane. */
export const AZURE_BLOB_DATA_ROLE = 'Storage Blob Data Contributor';

/**
 * What a Crossplane `Account` without shared-key access needs to be usable, checked over a set of
 * objects (an App's, or `check`'s input). provider-upjet-azure creates the container through the
 * storage data plane, which the azurerm provider reaches with the account's Shared Key unless its
 * `ProviderConfig` sets `spec.storageUseAzureAD: true` (provider-upjet-azure
 * `apis/cluster/v1beta1/types.go`, `StorageUseAzureAD`); with shared keys off, Azure answers
 * `KeyBasedAuthenticationNotPermitted` and the container is never made. With Azure AD, the
 * provider's identity needs a Blob data role on the account ({@link AZURE_BLOB_DATA_ROLE}).
 *
 * @param objects the objects as applied; those that are not Crossplane Azure objects are ignored
 * @returns a problem per Account, naming what is missing and the fix
 */
export function crossplaneAzureAdProblems(objects: readonly unknown[]): Array<{ objectIndex: number; path: string; message: string; code: string }> {
  const list = objects.map((o: any, i) => ({ o, i }));
  const of = (group: string, kind: string) => list.filter(({ o }) => o?.kind === kind && typeof o?.apiVersion === 'string' && o.apiVersion.startsWith(`${group}/`));
  const configs = of('azure.upbound.io', 'ProviderConfig');
  const assignments = of('authorization.azure.upbound.io', 'RoleAssignment');
  const problems: Array<{ objectIndex: number; path: string; message: string; code: string }> = [];
  for (const { o: account, i } of of('storage.azure.upbound.io', 'Account')) {
    if (account?.spec?.forProvider?.sharedAccessKeyEnabled !== false) continue;
    const name = String(account.metadata?.annotations?.['crossplane.io/external-name'] ?? account.metadata?.name);
    const configName = String(account.spec.providerConfigRef?.name ?? 'default');
    const fix = 'provision.azureAD emits both, or add them to the same input';
    const config = configs.find(({ o }) => o?.metadata?.name === configName);
    if (config === undefined) {
      problems.push({
        objectIndex: i,
        path: 'spec.providerConfigRef',
        message: `Account ${name} has no shared-key access, and its ProviderConfig "${configName}" is not here to show spec.storageUseAzureAD: true: `
          + `without it Crossplane creates the container with the account's Shared Key, which Azure refuses (KeyBasedAuthenticationNotPermitted); ${fix}`,
        code: 'ORS-AZURE-010',
      });
    } else if (config.o.spec?.storageUseAzureAD !== true) {
      problems.push({
        objectIndex: config.i,
        path: 'spec.storageUseAzureAD',
        message: `must be true: Account ${name} has no shared-key access, and without Azure AD Crossplane creates its container with the Shared Key, which Azure refuses (KeyBasedAuthenticationNotPermitted)`,
        code: 'ORS-AZURE-011',
      });
    }
    const granted = assignments.some(({ o }) => /^Storage Blob Data (Contributor|Owner)$/.test(String(o?.spec?.forProvider?.roleDefinitionName ?? ''))
      && String(o?.spec?.forProvider?.scope ?? '').toLowerCase().endsWith(`/providers/microsoft.storage/storageaccounts/${name.toLowerCase()}`));
    if (!granted) {
      problems.push({
        objectIndex: i,
        path: 'spec.forProvider.sharedAccessKeyEnabled',
        message: `is false, and no RoleAssignment here grants "${AZURE_BLOB_DATA_ROLE}" on account ${name}: through Azure AD the Crossplane provider's identity needs it to create the container; ${fix}`,
        code: 'ORS-AZURE-012',
      });
    }
  }
  return problems;
}
