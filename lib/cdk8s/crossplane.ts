/**
 * The Azure storage account and container as Crossplane managed resources (upjet provider for
 * Azure, `storage.azure.upbound.io`): the core's hardened account ({@link azureAccountIntent}). No
 * hardening value is written here.
 */
import { Construct } from 'constructs';
import { CrossplaneStorageAccount, CrossplaneStorageAccountSpec } from './generated/crossplane-storage-account';
import { CrossplaneStorageContainer } from './generated/crossplane-storage-container';
import { KEEP_ON_DELETE_ANNOTATIONS } from '../core/constants';
import { AzureAccountIntent } from '../platforms/azure';

/** How {@link AzureRegistryStorage} creates its account through Crossplane. */
export interface CrossplaneAccountOptions {
  /** Create the account and container with Crossplane's Azure provider. */
  readonly controller: 'crossplane';
  /** Resource group of the account: the cluster's, for the cluster's identity to reach it. */
  readonly resourceGroupName: string;
  /** Azure region of the account (Crossplane requires it). */
  readonly location: string;
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
}

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
}

/** Emits the Crossplane `Account` and `Container` of an account intent (both cluster-scoped). */
export function crossplaneAccount(scope: Construct, id: string, intent: AzureAccountIntent, options: CrossplaneAccountOptions): CrossplaneAccount {
  if (intent.name === undefined) throw new Error('a Crossplane Account needs a name');
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
  return { account, container };
}
