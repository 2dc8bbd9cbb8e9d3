import { App, Chart } from 'cdk8s';
import {
  AzureProvisionedProps, AzureRegistryStorage, GcsProvisionedProps, GcsRegistryStorage, PRINT_WARNINGS_CONTEXT, S3ProvisionedProps, S3RegistryStorage,
} from '../../lib/cdk8s';
import { S3RegistryStorageArgs } from '../../lib/pulumi/aws';
import { AzureRegistryStorageArgs } from '../../lib/pulumi/azure';
import { GcsRegistryStorageArgs } from '../../lib/pulumi/gcp';
import { failure } from '../helpers';

// The props that describe a storage a controller creates have the same names, at the top, in both
// flavours: a name missing from either side fails compilation here.
const S3_NAMES: ReadonlyArray<keyof S3ProvisionedProps & keyof S3RegistryStorageArgs> = ['registryPrincipalArn', 'tags', 'clusterResourceTags', 'retainOnDelete'];
const GCS_NAMES: ReadonlyArray<keyof GcsProvisionedProps & keyof GcsRegistryStorageArgs> = ['registryServiceAccount', 'labels', 'retainOnDelete'];
const AZURE_NAMES: ReadonlyArray<keyof AzureProvisionedProps & keyof AzureRegistryStorageArgs> = [
  'resourceGroupName', 'location', 'skuName', 'workloadIdentity', 'clusterResourceGroupName', 'tags', 'retainOnDelete',
];

function synth(make: (c: Chart) => { warnings: readonly { code: string }[] }) {
  const app = new App();
  app.node.setContext(PRINT_WARNINGS_CONTEXT, false); // read from `warnings` below, not printed
  const chart = new Chart(app, 'c', { namespace: 'ack-system' });
  const storage = make(chart);
  return { objects: chart.toJson(), warnings: storage.warnings.map((w) => w.code) };
}

const ROLE = 'arn:aws:iam::111122223333:role/acme-openshift-image-registry-installer-cloud-credentials';

describe('props of the storage a controller creates: at the top, as in Pulumi', () => {
  it('the name lists cover every such prop of each construct', () => {
    expect([S3_NAMES.length, GCS_NAMES.length, AZURE_NAMES.length]).toEqual([4, 3, 7]);
  });

  it('S3 with ACK: the top-level props give the same objects as the deprecated provision fields, without the deprecation warning', () => {
    const values = { registryPrincipalArn: ROLE, tags: { team: 'platform' }, clusterResourceTags: { owner: 'acme' }, retainOnDelete: false };
    const top = synth((c) => new S3RegistryStorage(c, 'registry', { bucket: 'acme-registry', region: 'eu-west-1', ...values, provision: { controller: 'ack' } }));
    const under = synth((c) => new S3RegistryStorage(c, 'registry', { bucket: 'acme-registry', region: 'eu-west-1', provision: { controller: 'ack', ...values } }));
    expect(top.objects).toEqual(under.objects);
    const bucket = top.objects.find((o) => o.kind === 'Bucket');
    expect(bucket.metadata.annotations['services.k8s.aws/deletion-policy']).toBeUndefined();
    expect(String(bucket.spec.policy)).toContain(`"${ROLE}"`);
    expect(bucket.spec.tagging.tagSet).toEqual(expect.arrayContaining([{ key: 'team', value: 'platform' }, { key: 'owner', value: 'acme' }]));
    expect(top.warnings).toEqual([]);
    expect(under.warnings).toEqual(['ORS-CDK8S-W003', 'ORS-CDK8S-W003', 'ORS-CDK8S-W003', 'ORS-CDK8S-W003']);
  });

  it('GCS with Config Connector and Azure with Crossplane: the same', () => {
    const account = 'acme-openshift-i-abcde@acme.iam.gserviceaccount.com';
    const gcsTop = synth((c) => new GcsRegistryStorage(c, 'registry', {
      bucket: 'acme-registry', region: 'us-east1', projectID: 'acme', registryServiceAccount: account, labels: { team: 'platform' }, provision: { controller: 'config-connector' },
    }));
    const gcsUnder = synth((c) => new GcsRegistryStorage(c, 'registry', {
      bucket: 'acme-registry', region: 'us-east1', projectID: 'acme', provision: { controller: 'config-connector', registryServiceAccount: account, labels: { team: 'platform' } },
    }));
    expect(gcsTop.objects).toEqual(gcsUnder.objects);
    expect(gcsTop.objects.filter((o) => o.kind === 'IAMPolicyMember')).toHaveLength(2);
    expect([gcsTop.warnings, gcsUnder.warnings]).toEqual([[], ['ORS-CDK8S-W003', 'ORS-CDK8S-W003']]);

    const azure = { resourceGroupName: 'openshift-abc12', location: 'westeurope', skuName: 'Standard_ZRS', tags: { team: 'platform' } };
    const azureTop = synth((c) => new AzureRegistryStorage(c, 'registry', { accountName: 'acmeregistry', ...azure, provision: { controller: 'crossplane' } }));
    const azureUnder = synth((c) => new AzureRegistryStorage(c, 'registry', { accountName: 'acmeregistry', provision: { controller: 'crossplane', ...azure } }));
    expect(azureTop.objects).toEqual(azureUnder.objects);
    expect(azureTop.objects.find((o) => o.kind === 'Account').spec.forProvider).toMatchObject({ resourceGroupName: 'openshift-abc12', location: 'westeurope', accountReplicationType: 'ZRS' });
    expect(azureTop.warnings).toEqual([]);
  });

  it('is refused without provision, with two values, and named at the top when its value is wrong', () => {
    const chart = () => new Chart(new App(), 'c', { namespace: 'ack-system' });
    expect(failure(() => new S3RegistryStorage(chart(), 'r', { bucket: 'acme-registry', tags: { team: 'platform' } })).problems)
      .toEqual([{ path: 'tags', message: expect.stringMatching(/^describes storage a controller creates: add provision/), code: 'ORS-CDK8S-015' }]);
    expect(failure(() => new S3RegistryStorage(chart(), 'r', { bucket: 'acme-registry', retainOnDelete: true, provision: { controller: 'ack', retainOnDelete: false } })).problems)
      .toEqual([{ path: 'provision.retainOnDelete', message: expect.stringMatching(/^is given at the top too \(retainOnDelete\), with another value/), code: 'ORS-CDK8S-016' }]);
    expect(failure(() => new S3RegistryStorage(chart(), 'r', { bucket: 'acme-registry', retainOnDelete: 'no' as any, provision: { controller: 'ack' } })).problems)
      .toEqual([expect.objectContaining({ path: 'retainOnDelete', message: expect.stringMatching(/must be true or false/) })]);
    expect(failure(() => new S3RegistryStorage(chart(), 'r', { bucket: 'acme-registry', registryPrincipalArn: '*', provision: { controller: 'ack' } })).problems)
      .toEqual([expect.objectContaining({ path: 'registryPrincipalArn', code: 'ORS-S3-012' })]);
    expect(failure(() => new AzureRegistryStorage(chart(), 'r', { accountName: 'acmeregistry', location: 'westeurope', provision: { controller: 'crossplane' } })).problems)
      .toEqual([{ path: 'resourceGroupName', message: 'is required with provision: Crossplane creates the account with it', code: 'ORS-CDK8S-002' }]);
  });

  it('the deprecation warning can be acknowledged', () => {
    const acknowledged = synth((c) => new S3RegistryStorage(c, 'registry', {
      bucket: 'acme-registry', region: 'eu-west-1', acknowledgeWarnings: ['ORS-CDK8S-W003'], provision: { controller: 'ack', tags: { team: 'platform' } },
    }));
    expect(acknowledged.warnings).toEqual([]);
  });
});
