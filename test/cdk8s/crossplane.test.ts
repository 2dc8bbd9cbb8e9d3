/**
 * Azure storage provisioned through Crossplane: the core's one account intent, rendered as
 * `Account` and `Container` that pass their CRDs, field by field the same settings the Pulumi
 * flavour creates.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as jsyaml from 'js-yaml';
import { azureAccountTags, azureClusterResourceTagsFromInfrastructure, inspectRegistryObjects } from '../../lib';
import { AzureRegistryStorage, CrossplaneStorageAccount, CrossplaneStorageContainer } from '../../lib/cdk8s';
import { crdProblems } from '../../lib/cdk8s/crd-problems';
import { AzureRegistryStorage as PulumiAzureRegistryStorage } from '../../lib/pulumi/azure';
import { capturePulumiProgram } from '../../lib/testing/pulumi';

function chart(): Chart {
  return new Chart(Testing.app(), 'cluster-a', { namespace: 'team-a' });
}

const PROVISION = { controller: 'crossplane' as const, resourceGroupName: 'openshift-abc12', location: 'westeurope' };
const AZURE_AD = { principalId: 'p', subscriptionID: 's', providerConfig: { clientID: 'c', tenantID: 't' } };

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

  it('the cluster\'s resource tags join the account\'s (tags win for the same key), adopted or not: Crossplane\'s tags are authoritative', () => {
    const infrastructure = { status: { platformStatus: { azure: { resourceTags: [{ key: 'cost-center', value: 'ops' }, { key: 'team', value: 'infra' }, { key: 7 }] } } } };
    const clusterResourceTags = azureClusterResourceTagsFromInfrastructure(infrastructure);
    expect(clusterResourceTags).toEqual({ 'cost-center': 'ops', 'team': 'infra' });
    for (const adopt of [false, true]) {
      const c = chart();
      new AzureRegistryStorage(c, 'registry', {
        accountName: 'imageregistryacmex7abcde',
        container: 'acme-x7k2p-image-registry-abcdefghij',
        ...(adopt ? { adopt: true, infrastructureName: 'acme-x7k2p', acknowledgeWarnings: ['ORS-ADOPT-W001'] } : {}),
        provision: { controller: 'crossplane' },
        resourceGroupName: PROVISION.resourceGroupName,
        location: PROVISION.location,
        tags: { team: 'platform' },
        clusterResourceTags,
      });
      const account = Testing.synth(c).find((o) => o.kind === 'Account');
      expect(CrossplaneStorageAccount.problems(account)).toEqual([]);
      expect(account.spec.forProvider.tags).toEqual({ 'cost-center': 'ops', 'team': 'platform' });
    }
    expect(azureAccountTags(undefined, {})).toBeUndefined();
  });

  it('Workload Identity: no shared-key access; a CRD-required field missing fails synth', () => {
    const c = chart();
    const s = new AzureRegistryStorage(c, 'registry', { accountName: 'acmeregistry', provision: { ...PROVISION, workloadIdentity: true, azureAD: AZURE_AD } });
    expect(Testing.synth(c).find((o) => o.kind === 'Account').spec.forProvider.sharedAccessKeyEnabled).toBe(false);
    // The CRD's own rule (location is required unless observe-only), checked at synth.
    expect(CrossplaneStorageAccount.problems({ ...s.account!.toJson(), spec: { forProvider: { accountTier: 'Standard', accountReplicationType: 'LRS' } } }))
      .toEqual([expect.stringMatching(/spec: .*spec\.forProvider\.location is a required parameter/)]);
    expect(CrossplaneStorageAccount.problems({ ...s.account!.toJson(), spec: { managementPolicies: ['Observe'], forProvider: {} } })).toEqual([]);
  });

  it('Workload Identity: synthesis fails unless the App shows Azure AD for the data plane and the Blob data role', () => {
    const app = Testing.app();
    new AzureRegistryStorage(new Chart(app, 'a', { namespace: 'team-a' }), 'registry', { accountName: 'acmeregistry', provision: { ...PROVISION, workloadIdentity: true } });
    expect(() => app.synth()).toThrow(/ProviderConfig "default" is not here to show spec\.storageUseAzureAD: true: .*KeyBasedAuthenticationNotPermitted.*provision\.azureAD/s);
    expect(() => app.synth()).toThrow(/no RoleAssignment here grants "Storage Blob Data Contributor" on account acmeregistry/);
  });

  it('provision.azureAD: a ProviderConfig with storageUseAzureAD and the Blob data role, valid against the vendored CRD, before the container', () => {
    const app = Testing.app();
    const c = new Chart(app, 'a', { namespace: 'team-a' });
    const s = new AzureRegistryStorage(c, 'registry', {
      accountName: 'acmeregistry',
      provision: {
        ...PROVISION,
        workloadIdentity: true,
        azureAD: { principalId: '11111111-2222-3333-4444-555555555555', subscriptionID: 'sub-1', providerConfig: { clientID: 'client-1', tenantID: 'tenant-1' } },
      },
    });
    expect(() => app.synth()).not.toThrow();
    const out = Testing.synth(c);
    expect(out.map((o) => o.kind)).toEqual(['ProviderConfig', 'Account', 'RoleAssignment', 'Container', 'Config']);
    const pc = out[0];
    expect(pc.metadata).toEqual({ name: 'registry-storage-azure-ad' });
    expect(pc.spec).toEqual({ credentials: { source: 'OIDCTokenFile' }, clientID: 'client-1', tenantID: 'tenant-1', subscriptionID: 'sub-1', storageUseAzureAD: true });
    // every Crossplane object uses that ProviderConfig
    for (const o of out.slice(1, 4)) expect(o.spec.providerConfigRef).toEqual({ name: 'registry-storage-azure-ad' });
    const role = out[2];
    expect(role.spec.forProvider).toEqual({
      principalId: '11111111-2222-3333-4444-555555555555',
      roleDefinitionName: 'Storage Blob Data Contributor',
      scope: '/subscriptions/sub-1/resourceGroups/openshift-abc12/providers/Microsoft.Storage/storageAccounts/acmeregistry',
    });
    expect(role.metadata.namespace).toBeUndefined();
    const crd = jsyaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'vendor', 'controllers-crds', 'crossplane-azure', 'authorization.azure.upbound.io_roleassignments.yaml'), 'utf8')) as any;
    const version = crd.spec.versions.find((v: any) => v.name === 'v1beta1');
    expect(crdProblems(role, version.schema.openAPIV3Schema)).toEqual([]);
    expect(s.roleAssignment).toBeDefined();
    // an existing ProviderConfig: only the role, and the ProviderConfig must be in the App
    const app2 = Testing.app();
    new AzureRegistryStorage(new Chart(app2, 'b', { namespace: 'team-a' }), 'registry', {
      accountName: 'acmeregistry', provision: { ...PROVISION, workloadIdentity: true, providerConfigName: 'azure', azureAD: { principalId: 'p', subscriptionID: 's' } },
    });
    expect(() => app2.synth()).toThrow(/ProviderConfig "azure" is not here/);
  });

  it('check finds the same in live objects: a ProviderConfig without storageUseAzureAD', () => {
    const c = chart();
    new AzureRegistryStorage(c, 'registry', {
      accountName: 'acmeregistry',
      provision: { ...PROVISION, workloadIdentity: true, azureAD: { principalId: 'p', subscriptionID: 's', providerConfig: { clientID: 'c', tenantID: 't' } } },
    });
    const out = Testing.synth(c);
    expect(inspectRegistryObjects(out).problems).toEqual([]);
    const pc = out.find((o) => o.kind === 'ProviderConfig');
    const { storageUseAzureAD: _s, ...spec } = pc.spec;
    const problems = inspectRegistryObjects(out.map((o) => (o === pc ? { ...pc, spec } : o))).problems;
    expect(problems).toEqual([expect.objectContaining({ path: 'spec.storageUseAzureAD', message: expect.stringMatching(/^must be true: Account acmeregistry has no shared-key access/) })]);
  });

  it('the same account settings as the Pulumi flavour, field by field, from the one core intent', async () => {
    const c = chart();
    new AzureRegistryStorage(c, 'registry', {
      accountName: 'acmeregistry', container: 'images', provision: { ...PROVISION, skuName: 'Standard_ZRS', workloadIdentity: true, azureAD: AZURE_AD },
    });
    const out = Testing.synth(c);
    const [account, container] = ['Account', 'Container'].map((k) => out.find((o) => o.kind === k));
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
      .toThrow(/AzureRegistryStorage: 3 problems\n {2}- accountName: is required with provision.*\n {2}- location: is required with provision.*\n {2}- provision\.resourceGroupName: is "other", not the cluster's resource group/);
    expect(() => new AzureRegistryStorage(chart(), 'r', { accountName: 'acmeregistry', container: 'images', credentials: { accountKey: 'k' }, provision: PROVISION }))
      .toThrow(/credentials: with provision the registry uses the cluster's identity/);
  });
});
