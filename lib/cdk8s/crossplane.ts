/**
 * The Azure storage account and container as Crossplane managed resources (upjet provider for
 * Azure, `storage.azure.upbound.io`): the core's hardened account ({@link azureAccountIntent}). No
 * hardening value is written here.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterScoped } from './cluster-scoped';
import { CrossplaneStorageAccount, CrossplaneStorageAccountSpec } from './generated/crossplane-storage-account';
import { CrossplaneStorageContainer } from './generated/crossplane-storage-container';
import { KEEP_ON_DELETE_ANNOTATIONS } from '../core/constants';
import { AZURE_BLOB_DATA_ROLE, AzureAccountIntent } from '../platforms/azure';

/** How {@link AzureRegistryStorage} creates its account through Crossplane. */
export interface CrossplaneAccountOptions {
  /** Create the account and container with Crossplane's Azure provider. */
  readonly controller: 'crossplane';
  /**
   * Resource group of the account: the cluster's, for the cluster's identity to reach it. Required
   * here or, as for the Pulumi component, at the top of {@link AzureRegistryStorageProps}.
   */
  readonly resourceGroupName?: string;
  /**
   * Azure region of the account (Crossplane requires it). Required here or, as for the Pulumi
   * component, at the top of {@link AzureRegistryStorageProps}.
   */
  readonly location?: string;
  /**
   * Storage account SKU, `<tier>_<replication>`.
   * @default 'Standard_LRS'
   */
  readonly skuName?: string;
  /**
   * Keep the account and container (and the registry's images) when the objects are deleted or
   * pruned: `deletionPolicy: Orphan`, and Argo CD/Flux never prune them. Crossplane deletes them
   * otherwise.
   * @default true
   */
  readonly retainOnDelete?: boolean;
  /**
   * The cluster uses Azure Workload Identity: the account is created without shared-key access, as
   * the operator then sets it.
   * @default false
   */
  readonly workloadIdentity?: boolean;
  /**
   * The cluster's resource group, checked against `resourceGroupName` (the cluster's identity
   * reaches only accounts in it).
   * @default unset: not checked
   */
  readonly clusterResourceGroupName?: string;
  /**
   * Crossplane `ProviderConfig` to use.
   * @default unset: Crossplane's `default`
   */
  readonly providerConfigName?: string;
  /**
   * Tags of the account.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The cluster's Azure resource tags (`oc get infrastructure cluster -o
   * jsonpath='{.status.platformStatus.azure.resourceTags}'`, or
   * `azureClusterResourceTagsFromInfrastructure`): the operator puts them on the account it
   * creates, and Crossplane's tags are authoritative, so they are added to `tags` (which win for
   * the same key; `azureAccountTags`). An adopted account keeps them only so. Clusters installed
   * without user tags have none.
   * @default none
   */
  readonly clusterResourceTags?: Readonly<Record<string, string>>;
  /**
   * With `workloadIdentity` (no shared-key access), what lets Crossplane create the container:
   * Azure AD for the storage data plane (`storageUseAzureAD: true` in the `ProviderConfig` the
   * objects use) and `Storage Blob Data Contributor` on the account for the provider's identity
   * (a `RoleAssignment`). Without them the container is refused (`KeyBasedAuthenticationNotPermitted`);
   * synthesis fails unless the App holds both, from here or added by hand.
   * @default unset: emits neither
   * @see https://github.com/crossplane-contrib/provider-upjet-azure/blob/main/apis/cluster/v1beta1/types.go
   */
  readonly azureAD?: CrossplaneAzureAdOptions;
}

/** What {@link CrossplaneAccountOptions.azureAD} emits. */
export interface CrossplaneAzureAdOptions {
  /** Object (principal) ID of the identity the Crossplane Azure provider runs as: granted the Blob data role. */
  readonly principalId: string;
  /** Subscription of the account: the role assignment's scope is the account's resource ID. */
  readonly subscriptionID: string;
  /**
   * Also emit the `ProviderConfig` (cluster-scoped, `azure.upbound.io/v1beta1`), named
   * `providerConfigName` (default `registry-storage-azure-ad`), with `storageUseAzureAD: true`.
   * Leave it out when the ProviderConfig exists: then add it, with `storageUseAzureAD: true`, to
   * the App by hand so that synthesis can see it.
   * @default unset: the ProviderConfig is yours
   */
  readonly providerConfig?: {
    /** Client ID of the provider's identity. */
    readonly clientID: string;
    /** Azure AD tenant. */
    readonly tenantID: string;
    /** How the provider authenticates. @default 'OIDCTokenFile' (Workload Identity) */
    readonly source?: 'OIDCTokenFile' | 'UserAssignedManagedIdentity' | 'SystemAssignedManagedIdentity';
  };
}

/** Name of the ProviderConfig {@link CrossplaneAzureAdOptions.providerConfig} emits when `providerConfigName` is unset. */
export const AZURE_AD_PROVIDER_CONFIG = 'registry-storage-azure-ad';

/** The Crossplane `Account` spec of an account intent (Crossplane splits the SKU into tier and replication). */
export function crossplaneAccountSpec(intent: AzureAccountIntent, options: CrossplaneAccountOptions): CrossplaneStorageAccountSpec {
  const [tier, replication] = intent.skuName.split('_');
  return {
    deletionPolicy: (options.retainOnDelete ?? true) ? 'Orphan' : 'Delete',
    forProvider: {
      resourceGroupName: options.resourceGroupName,
      location: options.location,
      accountKind: intent.kind,
      accountTier: tier,
      accountReplicationType: replication,
      httpsTrafficOnlyEnabled: intent.httpsTrafficOnly,
      minTlsVersion: intent.minimumTlsVersion,
      allowNestedItemsToBePublic: intent.allowBlobPublicAccess,
      ...(intent.allowSharedKeyAccess === false ? { sharedAccessKeyEnabled: false } : {}),
      ...(intent.tags && Object.keys(intent.tags).length > 0 ? { tags: { ...intent.tags } } : {}),
    },
    ...(options.providerConfigName !== undefined ? { providerConfigRef: { name: options.providerConfigName } } : {}),
  };
}

/** What {@link crossplaneAccount} emits. */
export interface CrossplaneAccount {
  readonly account: CrossplaneStorageAccount;
  readonly container: CrossplaneStorageContainer;
  /** With `azureAD.providerConfig`. */
  readonly providerConfig?: ApiObject;
  /** With `azureAD`: the Blob data role for the provider's identity on the account. */
  readonly roleAssignment?: ApiObject;
}

/** Emits the Crossplane `Account` and `Container` of an account intent (both cluster-scoped). */
export function crossplaneAccount(scope: Construct, id: string, intent: AzureAccountIntent, options: CrossplaneAccountOptions): CrossplaneAccount {
  if (intent.name === undefined) throw new Error('a Crossplane Account needs a name');
  if (!options.resourceGroupName || !options.location) throw new Error('a Crossplane Account needs resourceGroupName and location');
  const ad = options.azureAD;
  // The emitted ProviderConfig is the one the objects use.
  if (ad?.providerConfig && options.providerConfigName === undefined) options = { ...options, providerConfigName: AZURE_AD_PROVIDER_CONFIG };
  const retain = options.retainOnDelete ?? true;
  const metadata = (name: string) => ({ name, ...(retain ? { annotations: { ...KEEP_ON_DELETE_ANNOTATIONS } } : {}) });
  // The object's name is the account's Azure name (Crossplane's default external name).
  const account = new CrossplaneStorageAccount(scope, id, { metadata: metadata(intent.name), spec: crossplaneAccountSpec(intent, options) });
  const container = new CrossplaneStorageContainer(scope, `${id}Container`, {
    metadata: metadata(`${intent.name}-${intent.container.name}`),
    spec: {
      deletionPolicy: retain ? 'Orphan' : 'Delete',
      forProvider: {
        storageAccountName: intent.name,
        // upjet's name for "no anonymous access" (the ARM API's publicAccess: None)
        containerAccessType: intent.container.publicAccess === 'None' ? 'private' : intent.container.publicAccess,
      },
      ...(options.providerConfigName !== undefined ? { providerConfigRef: { name: options.providerConfigName } } : {}),
    },
  });
  // Crossplane names the container by the object's external name: the container's own name.
  container.metadata.addAnnotation('crossplane.io/external-name', intent.container.name);
  container.addDependency(account);
  let providerConfig: ApiObject | undefined;
  let roleAssignment: ApiObject | undefined;
  const ref = options.providerConfigName !== undefined ? { providerConfigRef: { name: options.providerConfigName } } : {};
  if (ad?.providerConfig) {
    // Typed from provider-upjet-azure apis/cluster/v1beta1/types.go (ProviderConfigSpec); no CRD vendored.
    providerConfig = new ApiObject(scope, `${id}ProviderConfig`, {
      apiVersion: 'azure.upbound.io/v1beta1',
      kind: 'ProviderConfig',
      metadata: { name: options.providerConfigName! },
      spec: {
        credentials: { source: ad.providerConfig.source ?? 'OIDCTokenFile' },
        clientID: ad.providerConfig.clientID,
        tenantID: ad.providerConfig.tenantID,
        subscriptionID: ad.subscriptionID,
        storageUseAzureAD: true,
      },
    });
    clusterScoped(providerConfig);
    account.addDependency(providerConfig);
  }
  if (ad) {
    // authorization.azure.upbound.io/v1beta1 RoleAssignment (vendored CRD, checked in the tests)
    roleAssignment = new ApiObject(scope, `${id}BlobDataRole`, {
      apiVersion: 'authorization.azure.upbound.io/v1beta1',
      kind: 'RoleAssignment',
      metadata: metadata(`${intent.name}-blob-data`),
      spec: {
        deletionPolicy: 'Delete',
        forProvider: {
          principalId: ad.principalId,
          roleDefinitionName: AZURE_BLOB_DATA_ROLE,
          scope: `/subscriptions/${ad.subscriptionID}/resourceGroups/${options.resourceGroupName}/providers/Microsoft.Storage/storageAccounts/${intent.name}`,
        },
        ...ref,
      },
    });
    clusterScoped(roleAssignment);
    roleAssignment.addDependency(account);
    container.addDependency(roleAssignment);
  }
  return { account, container, providerConfig, roleAssignment };
}
