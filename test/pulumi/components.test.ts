import * as pulumi from '@pulumi/pulumi';
import { MOCKS, byType, one } from './mocks';
import { registryConfig, validateRegistryConfig } from '../../lib';
import { S3RegistryStorage } from '../../lib/pulumi/aws';
import { AzureRegistryStorage } from '../../lib/pulumi/azure';
import { GcsRegistryStorage } from '../../lib/pulumi/gcp';
import { EmptyDirRegistryStorage, PvcRegistryStorage } from '../../lib/pulumi/kubernetes';
import { SwiftRegistryStorage } from '../../lib/pulumi/openstack';
import { CapturedResource, capturePulumiProgram, outputValue } from '../../lib/testing/pulumi';

const PATCH = 'kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch';

function configPatch(resources: CapturedResource[]): CapturedResource {
  return byType(resources, PATCH).find((r) => r.name.endsWith('-config'))!;
}

function specOf(resources: CapturedResource[]): any {
  return configPatch(resources).inputs.spec;
}

function expectCommonGraph(resources: CapturedResource[], dataTypes: string[]): void {
  const patch = configPatch(resources);
  expect(patch.retainOnDelete).toBe(true);
  expect(validateRegistryConfig(registryConfig(patch.inputs.spec as any))).toEqual([]);
  for (const t of dataTypes) {
    for (const r of byType(resources, t)) {
      expect({ name: r.name, retainOnDelete: r.retainOnDelete }).toEqual({ name: r.name, retainOnDelete: true });
      expect(patch.dependencies).toContain(r.name);
    }
  }
  const secret = byType(resources, 'kubernetes:core/v1:Secret')[0];
  if (secret) {
    expect(secret.inputs.stringData).toBe('[secret]');
    expect(patch.dependencies).toContain(secret.name);
  }
  expect(one(resources, 'kubernetes:batch/v1:Job').dependencies).toContain(patch.name);
}

describe('GcsRegistryStorage', () => {
  it('bucket with UBLA, public access prevention, CMEK grant; service account bound on this bucket only', async () => {
    let storage!: GcsRegistryStorage;
    const keyID = 'projects/acme/locations/us-east1/keyRings/r/cryptoKeys/k';
    const resources = await capturePulumiProgram(() => {
      storage = new GcsRegistryStorage('registry', { bucket: 'acme-registry', region: 'us-east1', projectID: 'acme', keyID, labels: { team: 'platform' } });
    }, MOCKS);
    const bucket = one(resources, 'gcp:storage/bucket:Bucket');
    expect(bucket.inputs).toMatchObject({
      name: 'acme-registry',
      location: 'us-east1',
      project: 'acme',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      encryption: { defaultKmsKeyName: keyID },
      forceDestroy: false,
      labels: { team: 'platform' },
    });
    const grant = one(resources, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember');
    expect(grant.inputs).toMatchObject({ cryptoKeyId: keyID, role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: 'serviceAccount:service-1@gs-project-accounts.iam.gserviceaccount.com' });
    expect(bucket.dependencies).toContain(grant.name);
    const bindings = byType(resources, 'gcp:storage/bucketIAMMember:BucketIAMMember');
    expect(bindings.map((b) => [b.inputs.bucket, b.inputs.role])).toEqual([
      ['acme-registry', 'roles/storage.legacyBucketReader'], ['acme-registry', 'roles/storage.objectAdmin'],
    ]);
    expect(one(resources, 'gcp:serviceaccount/account:Account').inputs.accountId).toBe('registry-registry');
    expect(specOf(resources).storage).toEqual({ managementState: 'Unmanaged', gcs: { bucket: 'acme-registry', region: 'us-east1', projectID: 'acme', keyID } });
    expectCommonGraph(resources, ['gcp:storage/bucket:Bucket']);
    const data = storage.secret!.stringData as pulumi.Output<Record<string, string>>;
    expect(await pulumi.isSecret(data)).toBe(true);
    expect(Object.keys(await outputValue(data))).toEqual(['REGISTRY_STORAGE_GCS_KEYFILE']);
  });

  it('region is required to create the bucket', () => {
    expect(() => new GcsRegistryStorage('registry', {})).toThrow(/region: is required to create the bucket/);
  });

  it('given keyfile: no service account; cluster: no Secret', async () => {
    const given = await capturePulumiProgram(() => new GcsRegistryStorage('registry', {
      region: 'us-east1', projectID: 'acme', credentials: { keyfile: pulumi.secret('{"type":"service_account"}') },
    }), MOCKS);
    expect(byType(given, 'gcp:serviceaccount/account:Account')).toEqual([]);
    expect(byType(given, 'kubernetes:core/v1:Secret')).toHaveLength(1);
    const cluster = await capturePulumiProgram(() => new GcsRegistryStorage('registry', { region: 'us-east1', projectID: 'acme', credentials: 'cluster' }), MOCKS);
    expect(byType(cluster, 'kubernetes:core/v1:Secret')).toEqual([]);
  });
});

describe('AzureRegistryStorage', () => {
  it('hardened StorageV2 account, private container, account key as secret, cloudName in the Config', async () => {
    let storage!: AzureRegistryStorage;
    const resources = await capturePulumiProgram(() => {
      storage = new AzureRegistryStorage('registry', { resourceGroupName: 'openshift', accountName: 'acmeregistry', cloudName: 'AzureUSGovernmentCloud' });
    }, MOCKS);
    expect(one(resources, 'azure-native:storage:StorageAccount').inputs).toMatchObject({
      accountName: 'acmeregistry',
      resourceGroupName: 'openshift',
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS' },
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
    });
    expect(one(resources, 'azure-native:storage:BlobContainer').inputs).toMatchObject({ containerName: 'image-registry', publicAccess: 'None' });
    expect(specOf(resources).storage).toEqual({
      managementState: 'Unmanaged', azure: { accountName: 'acmeregistry', container: 'image-registry', cloudName: 'AzureUSGovernmentCloud' },
    });
    expectCommonGraph(resources, ['azure-native:storage:StorageAccount', 'azure-native:storage:BlobContainer']);
    const data = storage.secret!.stringData as pulumi.Output<Record<string, string>>;
    expect(await pulumi.isSecret(data)).toBe(true);
    expect(await outputValue(data)).toEqual({ REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'mock-account-key' });
  });

  it('resourceGroupName is required to create the account', () => {
    expect(() => new AzureRegistryStorage('registry', {})).toThrow(/resourceGroupName: is required/);
  });

  it('existing account with its key: nothing created, Secret and Config only', async () => {
    const resources = await capturePulumiProgram(() => new AzureRegistryStorage('registry', {
      createAccount: false, accountName: 'acmeregistry', container: 'images', credentials: { accountKey: pulumi.secret('k') },
    }), MOCKS);
    expect(resources.filter((r) => r.type.startsWith('azure-native:'))).toEqual([]);
    expect(specOf(resources).storage.azure).toEqual({ accountName: 'acmeregistry', container: 'images' });
  });
});

describe('SwiftRegistryStorage', () => {
  it('container, application credential limited to it, Config with authURL and disableRedirect', async () => {
    let storage!: SwiftRegistryStorage;
    const resources = await capturePulumiProgram(() => {
      storage = new SwiftRegistryStorage('registry', { container: 'image-registry', authURL: 'https://keystone.example.com:5000/v3', regionName: 'RegionOne' });
    }, MOCKS);
    expect(one(resources, 'openstack:objectstorage/container:Container').inputs).toMatchObject({ name: 'image-registry', region: 'RegionOne', forceDestroy: false });
    const credential = one(resources, 'openstack:identity/applicationCredential:ApplicationCredential');
    const rules = credential.inputs.accessRules as any[];
    expect(rules.every((r) => r.service === 'object-store' && (r.path === '/info' || r.path.startsWith('/v1/*/image-registry')))).toBe(true);
    expect(specOf(resources)).toEqual({
      managementState: 'Managed',
      replicas: 2,
      disableRedirect: true,
      storage: { managementState: 'Unmanaged', swift: { container: 'image-registry', authURL: 'https://keystone.example.com:5000/v3', regionName: 'RegionOne' } },
    });
    expectCommonGraph(resources, ['openstack:objectstorage/container:Container']);
    expect(Object.keys(await outputValue(storage.secret!.stringData as pulumi.Output<Record<string, string>>)).sort()).toEqual([
      'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET',
    ]);
  });

  it('a created credential needs authURL in the Config', () => {
    expect(() => new SwiftRegistryStorage('registry', { container: 'c' })).toThrow(/authURL: is required with credentials/);
  });

  it('password credentials write _USERNAME and need domain and tenant', async () => {
    expect(() => new SwiftRegistryStorage('registry', { authURL: 'https://k.example.com/v3', credentials: { username: 'u', password: 'p' } }))
      .toThrow(/- domain: .*\n {2}- tenant: /);
    let storage!: SwiftRegistryStorage;
    await capturePulumiProgram(() => {
      storage = new SwiftRegistryStorage('registry', { authURL: 'https://k.example.com/v3', domain: 'Default', tenant: 'registry', credentials: { username: 'u', password: pulumi.secret('p') } });
    }, MOCKS);
    expect(Object.keys(await outputValue(storage.secret!.stringData as pulumi.Output<Record<string, string>>)).sort()).toEqual(['REGISTRY_STORAGE_SWIFT_PASSWORD', 'REGISTRY_STORAGE_SWIFT_USERNAME']);
  });
});

describe('PvcRegistryStorage', () => {
  it('Cinder: StorageClass then claim (retained, annotated, RWO 100Gi) then Config with Recreate and 1 replica', async () => {
    let storage!: PvcRegistryStorage;
    const resources = await capturePulumiProgram(() => {
      storage = new PvcRegistryStorage('registry', { claim: 'csi-pvc-imageregistry', cinder: { availabilityZone: 'nova' } });
    }, MOCKS);
    const sc = one(resources, 'kubernetes:storage.k8s.io/v1:StorageClass');
    expect(sc.inputs).toMatchObject({
      provisioner: 'cinder.csi.openstack.org', parameters: { availability: 'nova' }, volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, reclaimPolicy: 'Retain',
    });
    const claim = one(resources, 'kubernetes:core/v1:PersistentVolumeClaim');
    expect(claim.inputs.metadata).toEqual({ name: 'csi-pvc-imageregistry', namespace: 'openshift-image-registry', annotations: { 'imageregistry.openshift.io': 'true' } });
    expect(claim.inputs.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, storageClassName: 'image-registry-cinder' });
    expect(claim.dependencies).toContain(sc.name);
    expect(specOf(resources)).toEqual({
      managementState: 'Managed', replicas: 1, rolloutStrategy: 'Recreate', storage: { managementState: 'Unmanaged', pvc: { claim: 'csi-pvc-imageregistry' } },
    });
    expectCommonGraph(resources, ['kubernetes:core/v1:PersistentVolumeClaim']);
    expect(await outputValue(storage.claim)).toBe('csi-pvc-imageregistry');
    expect(await outputValue(storage.secretName)).toBeUndefined();
  });

  it('ReadWriteMany with 2 replicas on bare metal', async () => {
    const resources = await capturePulumiProgram(() => new PvcRegistryStorage('registry', { accessMode: 'ReadWriteMany', replicas: 2, storageClassName: 'cephfs' }), MOCKS);
    expect(specOf(resources).replicas).toBe(2);
    expect(specOf(resources).rolloutStrategy).toBeUndefined();
  });

  it('claim "" lets the operator create its own claim: no claim resource', async () => {
    const resources = await capturePulumiProgram(() => new PvcRegistryStorage('registry', { claim: '' }), MOCKS);
    expect(byType(resources, 'kubernetes:core/v1:PersistentVolumeClaim')).toEqual([]);
    expect(specOf(resources).storage).toEqual({ pvc: {} });
  });

  it('Output values are filled in when known; plan-shaping props must be plain', async () => {
    const resources = await capturePulumiProgram(() => new PvcRegistryStorage('registry', { size: pulumi.output('200Gi') }), MOCKS);
    expect((one(resources, 'kubernetes:core/v1:PersistentVolumeClaim').inputs.spec as any).resources.requests.storage).toBe('200Gi');
    expect(() => new PvcRegistryStorage('registry2', { accessMode: pulumi.output('ReadWriteOnce' as const) })).toThrow(/accessMode: must be a plain value/);
  });

  it('ReadWriteOnce with 2 replicas is refused before anything is created', () => {
    expect(() => new PvcRegistryStorage('registry', { replicas: 2 })).toThrow(/replicas: must be 1 with accessMode ReadWriteOnce/);
  });
});

describe('EmptyDirRegistryStorage', () => {
  it('only with the acknowledgement', async () => {
    expect(() => new EmptyDirRegistryStorage('registry', {} as any)).toThrow(/acknowledgeNonProduction: must be true/);
    const resources = await capturePulumiProgram(() => new EmptyDirRegistryStorage('registry', { acknowledgeNonProduction: true }), MOCKS);
    expect(specOf(resources)).toEqual({ managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } });
  });
});

describe('snapshots: recorded resources, sorted, secrets redacted', () => {
  const cases: Array<[string, () => unknown]> = [
    ['s3 defaults', () => new S3RegistryStorage('registry')],
    ['s3 full', () => new S3RegistryStorage('registry', {
      bucket: 'acme-registry',
      region: 'eu-west-1',
      keyID: 'arn:aws:kms:eu-west-1:111122223333:key/abcd',
      chunkSizeMiB: 16,
      replicas: 3,
      tags: { team: 'platform' },
      availableTimeoutSeconds: 900,
    })],
    ['gcs defaults', () => new GcsRegistryStorage('registry', { region: 'us-east1' })],
    ['gcs full', () => new GcsRegistryStorage('registry', {
      bucket: 'acme-registry', region: 'us-east1', projectID: 'acme', keyID: 'projects/acme/locations/us-east1/keyRings/r/cryptoKeys/k', labels: { team: 'platform' },
    })],
    ['azure defaults', () => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift' })],
    ['azure full', () => new AzureRegistryStorage('registry', {
      resourceGroupName: 'openshift', accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud', skuName: 'Standard_ZRS', tags: { team: 'platform' },
    })],
    ['swift defaults', () => new SwiftRegistryStorage('registry', { authURL: 'https://keystone.example.com:5000/v3' })],
    ['swift full', () => new SwiftRegistryStorage('registry', {
      container: 'registry',
      authURL: 'https://keystone.example.com:5000/v3',
      authVersion: '3',
      domain: 'Default',
      tenant: 'registry',
      regionName: 'RegionOne',
      credentials: { username: 'registry', password: 'not-a-real-password' },
    })],
    ['pvc defaults', () => new PvcRegistryStorage('registry')],
    ['pvc full', () => new PvcRegistryStorage('registry', { claim: 'registry', size: '500Gi', cinder: { availabilityZone: 'nova', volumeType: 'ssd' } })],
    ['emptydir', () => new EmptyDirRegistryStorage('registry', { acknowledgeNonProduction: true })],
  ];
  it.each(cases)('%s', async (_name, program) => {
    const resources = await capturePulumiProgram(program, MOCKS);
    expect(validateRegistryConfig(registryConfig(specOf(resources)))).toEqual([]);
    expect(JSON.stringify(resources)).not.toMatch(/not-a-real|mock-secret-access-key|mock-account-key/);
    expect(resources).toMatchSnapshot();
  });
});
