/**
 * Azure storage provisioned through Crossplane: the core's one account intent, rendered as
 * `Account` and `Container` that pass their CRDs, field by field the same settings the Pulumi
 * flavour creates.
 */
import { Chart, Testing } from 'cdk8s';
import { AzureRegistryStorage, CrossplaneStorageAccount, CrossplaneStorageContainer } from '../../lib/cdk8s';
import { AzureRegistryStorage as PulumiAzureRegistryStorage } from '../../lib/pulumi/azure';
import { capturePulumiProgram } from '../../lib/testing/pulumi';

function chart(): Chart {
  return new Chart(Testing.app(), 'cluster-a', { namespace: 'team-a' });
}

const PROVISION = { controller: 'crossplane' as const, resourceGroupName: 'openshift-abc12', location: 'westeurope' };

describe('AzureRegistryStorage with provision: { controller: \'crossplane\' }', () => {
  it('emits a hardened Account and a private Container, cluster-scoped, orphaned on delete, before the Config', () => {
    const c = chart();
    new AzureRegistryStorage(c, 'registry', { accountName: 'acmeregistry', provision: { ...PROVISION, tags: { team: 'platform' } } });
    const out = Testing.synth(c);
    expect(out.map((m) => m.kind)).toEqual(['Account', 'Container', 'Config']);
    const [account, container, config] = out;
    expect(CrossplaneStorageAccount.problems(account)).toEqual([]);
    expect(CrossplaneStorageContainer.problems(container)).toEqual([]);
    expect(account.metadata.namespace).toBeUndefined();
    expect(container.metadata.namespace).toBeUndefined();
    expect(account.spec).toEqual({
      deletionPolicy: 'Orphan',
      forProvider: {
        resourceGroupName: 'openshift-abc12',
        location: 'westeurope',
        accountKind: 'StorageV2',
        accountTier: 'Standard',
        accountReplicationType: 'LRS',
        httpsTrafficOnlyEnabled: true,
        minTlsVersion: 'TLS1_2',
        allowNestedItemsToBePublic: false,
        tags: { team: 'platform' },
      },
    });
    expect(container.metadata.annotations['crossplane.io/external-name']).toBe('image-registry');
    expect(container.spec).toEqual({ deletionPolicy: 'Orphan', forProvider: { storageAccountName: 'acmeregistry', containerAccessType: 'private' } });
    expect(config.spec.storage.azure).toEqual({ accountName: 'acmeregistry', container: 'image-registry' });
  });

  it('Workload Identity: no shared-key access; a CRD-required field missing fails synth', () => {
    const c = chart();
    const s = new AzureRegistryStorage(c, 'registry', { accountName: 'acmeregistry', provision: { ...PROVISION, workloadIdentity: true } });
    expect(Testing.synth(c)[0].spec.forProvider.sharedAccessKeyEnabled).toBe(false);
    // The CRD's own rule (location is required unless observe-only), checked at synth.
    expect(CrossplaneStorageAccount.problems({ ...s.account!.toJson(), spec: { forProvider: { accountTier: 'Standard', accountReplicationType: 'LRS' } } }))
      .toEqual([expect.stringMatching(/spec: .*spec\.forProvider\.location is a required parameter/)]);
    expect(CrossplaneStorageAccount.problems({ ...s.account!.toJson(), spec: { managementPolicies: ['Observe'], forProvider: {} } })).toEqual([]);
  });

  it('the same account settings as the Pulumi flavour, field by field, from the one core intent', async () => {
    const c = chart();
    new AzureRegistryStorage(c, 'registry', { accountName: 'acmeregistry', container: 'images', provision: { ...PROVISION, skuName: 'Standard_ZRS', workloadIdentity: true } });
    const [account, container] = Testing.synth(c);
    const resources = await capturePulumiProgram(() => new PulumiAzureRegistryStorage('registry', {
      resourceGroupName: 'openshift-abc12', location: 'westeurope', accountName: 'acmeregistry', container: 'images', skuName: 'Standard_ZRS', workloadIdentity: true,
    }));
    const a = resources.find((r) => r.type === 'azure-native:storage:StorageAccount')!.inputs as any;
    const b = resources.find((r) => r.type === 'azure-native:storage:BlobContainer')!.inputs as any;
    const p = account.spec.forProvider;
    expect([p.resourceGroupName, p.location, p.accountKind, `${p.accountTier}_${p.accountReplicationType}`]).toEqual([a.resourceGroupName, a.location, a.kind, a.sku.name]);
    expect([p.httpsTrafficOnlyEnabled, p.minTlsVersion, p.allowNestedItemsToBePublic, p.sharedAccessKeyEnabled])
      .toEqual([a.enableHttpsTrafficOnly, a.minimumTlsVersion, a.allowBlobPublicAccess, a.allowSharedKeyAccess]);
    expect([container.metadata.annotations['crossplane.io/external-name'], container.spec.forProvider.containerAccessType]).toEqual([b.containerName, 'private']);
    expect(b.publicAccess).toBe('None');
  });

  it('refuses, with every problem at once, what cannot work', () => {
    expect(() => new AzureRegistryStorage(chart(), 'r', { provision: { controller: 'crossplane', resourceGroupName: 'other', clusterResourceGroupName: 'openshift-abc12' } as any }))
      .toThrow(/AzureRegistryStorage: 3 problems\n {2}- accountName: is required with provision.*\n {2}- provision\.location: is required.*\n {2}- provision\.resourceGroupName: is "other", not the cluster's resource group/);
    expect(() => new AzureRegistryStorage(chart(), 'r', { accountName: 'acmeregistry', container: 'images', credentials: { accountKey: 'k' }, provision: PROVISION }))
      .toThrow(/credentials: with provision the registry uses the cluster's identity/);
  });
});
