import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { crossplaneAccount, CrossplaneAccountOptions } from './crossplane';
import { CrossplaneStorageAccount } from './generated/crossplane-storage-account';
import { CrossplaneStorageContainer } from './generated/crossplane-storage-container';
import { collect, readProvisionedProps, RegistryStorage, withProvisionProblems } from './registry-storage';
import { given } from '../core/plan';
import { RegistryConfigProblem, show } from '../core/problems';
import { AZURE_KIND, AzureAccessPlan, azureAccountIntent, azureAccountTags, AzureStorageProps, AZURE_PROP_NAMES, DEFAULT_AZURE_CONTAINER, planAzureAccess, planAzureStorage } from '../platforms/azure';

/**
 * Image registry storage on Azure Blob Storage.
 *
 * @example
 * new AzureRegistryStorage(chart, 'registry', {
 *   accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud',
 * });
 */
export class AzureRegistryStorage extends RegistryStorage {
  /** The Crossplane `Account`, with `provision: { controller: 'crossplane' }`. */
  public readonly account?: CrossplaneStorageAccount;
  /** The Crossplane `Container`, with `provision: { controller: 'crossplane' }`. */
  public readonly container?: CrossplaneStorageContainer;
  /** The Crossplane `ProviderConfig` with `storageUseAzureAD: true`, with `provision.azureAD.providerConfig`. */
  public readonly providerConfig?: ApiObject;
  /** The Blob data role of the Crossplane provider's identity on the account, with `provision.azureAD`. */
  public readonly roleAssignment?: ApiObject;

  constructor(scope: Construct, id: string, props: AzureRegistryStorageProps = {}) {
    const read = readProvisionedProps<AzureRegistryStorageProps>('AzureRegistryStorage', props, AZURE_PROP_NAMES, AZURE_PROVISIONED_PROP_NAMES, AZURE_KIND.provision!);
    const { lifted, provisionIssues } = read;
    const provision = read.provision as CrossplaneAccountOptions | undefined;
    const rest = read.storage as AzureStorageProps;
    // With provision, the container the construct creates is named in the Config.
    const storage = provision ? { ...rest, container: rest.container ?? DEFAULT_AZURE_CONTAINER } : rest;
    let access: AzureAccessPlan | undefined;
    super(scope, id, withProvisionProblems('AzureRegistryStorage', () => planAzureStorage(storage), () => {
      if (provision === undefined) return [];
      const problems: RegistryConfigProblem[] = [...provisionIssues];
      if (provisionIssues.some((p) => p.path === 'provision' || p.path === 'provision.controller')) return problems;
      if (!given(storage.accountName)) problems.push({ path: 'accountName', message: 'is required with provision: the Crossplane Account needs a name', code: 'ORS-CDK8S-001' });
      for (const k of ['resourceGroupName', 'location'] as const) {
        if (!given(provision[k])) problems.push({ path: k, message: 'is required with provision: Crossplane creates the account with it', code: 'ORS-CDK8S-002' });
      }
      const ad = provision.azureAD as Record<string, any> | undefined;
      if (ad !== undefined) {
        if (provision.workloadIdentity !== true) {
          problems.push({ path: 'provision.azureAD', message: 'is for workloadIdentity: true (an account without shared keys); leave it out otherwise', code: 'ORS-CDK8S-003' });
        }
        for (const k of ['principalId', 'subscriptionID']) {
          if (typeof ad[k] !== 'string' || ad[k] === '') problems.push({ path: `provision.azureAD.${k}`, message: `is required, got ${show(ad[k])}`, code: 'ORS-CDK8S-004' });
        }
        for (const k of ['clientID', 'tenantID']) {
          if (ad.providerConfig !== undefined && (typeof ad.providerConfig?.[k] !== 'string' || ad.providerConfig[k] === '')) {
            problems.push({ path: `provision.azureAD.providerConfig.${k}`, message: `is required to emit the ProviderConfig, got ${show(ad.providerConfig?.[k])}`, code: 'ORS-CDK8S-005' });
          }
        }
      }
      if (storage.credentials !== undefined) {
        problems.push({ path: 'credentials', message: 'with provision the registry uses the cluster\'s identity: leave credentials out (a key in Git is what this avoids)', code: 'ORS-CDK8S-006' });
      }
      problems.push(...collect(() => {
        access = planAzureAccess({
          resourceGroupName: provision.resourceGroupName,
          clusterResourceGroupName: provision.clusterResourceGroupName,
          workloadIdentity: provision.workloadIdentity,
        });
      }).map((p) => ({ ...p, path: `provision.${p.path}` })));
      return problems;
    }, () => [], lifted));
    if (provision) {
      const intent = azureAccountIntent({
        accountName: storage.accountName,
        container: storage.container,
        skuName: provision.skuName,
        tags: azureAccountTags(provision.tags, provision.clusterResourceTags),
        access,
      });
      // Adopted storage is always kept: Orphan, and never pruned by GitOps, whatever retainOnDelete says.
      const made = crossplaneAccount(this, 'Account', intent, this.plan.adoption ? { ...provision, retainOnDelete: true } : provision);
      this.account = made.account;
      this.container = made.container;
      if (this.plan.adoption) {
        // Crossplane observes the existing account by its external name instead of creating one
        // (docs.crossplane.io/latest/guides/import-existing-resources).
        this.account.metadata.addAnnotation('crossplane.io/external-name', storage.accountName as string);
      }
      this.providerConfig = made.providerConfig;
      this.roleAssignment = made.roleAssignment;
      // The operator must not look for the account before it exists.
      this.config.addDependency(made.account, made.container);
    }
  }
}

/**
 * What describes an account a controller creates: at the top of the props, as the Pulumi component
 * takes them. Under `provision` (as earlier releases had them) they are deprecated, and still read.
 */
export type AzureProvisionedProps = Partial<Pick<CrossplaneAccountOptions,
'resourceGroupName' | 'location' | 'skuName' | 'workloadIdentity' | 'clusterResourceGroupName' | 'tags' | 'clusterResourceTags' | 'retainOnDelete'>>;

/** @internal The names of {@link AzureProvisionedProps}. */
const AZURE_PROVISIONED_PROP_NAMES: Readonly<Record<keyof AzureProvisionedProps, true>> = {
  resourceGroupName: true,
  location: true,
  skuName: true,
  workloadIdentity: true,
  clusterResourceGroupName: true,
  tags: true,
  clusterResourceTags: true,
  retainOnDelete: true,
};

/** Props of {@link AzureRegistryStorage}: the core's Azure props, and how to create the account. */
export interface AzureRegistryStorageProps extends AzureStorageProps, AzureProvisionedProps {
  /**
   * Create the storage account and container in the cluster, through a controller: `{ controller:
   * 'crossplane', resourceGroupName, location }` emits Crossplane `Account` and `Container`
   * (`storage.azure.upbound.io`, cluster-scoped) hardened like the Pulumi flavour's (StorageV2, HTTPS
   * only, TLS 1.2, no public blob access, a private container; no shared-key access with
   * `workloadIdentity`), orphaned on delete by default. Needs `accountName`, and Crossplane's Azure
   * provider installed. The registry uses the cluster's identity (no user Secret), which reaches
   * only accounts in the cluster's resource group.
   * @default unset: the account exists (or the operator creates one when `accountName` is unset)
   */
  readonly provision?: CrossplaneAccountOptions;
}
