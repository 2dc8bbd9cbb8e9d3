import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { MOCKS, byType, one, secretValues } from './mocks';
import { registryConfig, validateRegistryConfigPatch } from '../../lib';
import { S3RegistryStorage } from '../../lib/pulumi/aws';
import { AzureRegistryStorage } from '../../lib/pulumi/azure';
import { RegistryStorageComponent } from '../../lib/pulumi/common';
import { GcsRegistryStorage } from '../../lib/pulumi/gcp';
import { EmptyDirRegistryStorage, ObjectBucketClaimRegistryStorage, PvcRegistryStorage } from '../../lib/pulumi/kubernetes';
import { SwiftRegistryStorage } from '../../lib/pulumi/openstack';
import { CaptureOptions, CapturedResource, capturePulumiProgram, outputValue } from '../../lib/testing/pulumi';

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
  expect(validateRegistryConfigPatch(registryConfig(patch.inputs.spec as any))).toEqual([]);
  for (const t of dataTypes) {
    for (const r of byType(resources, t)) {
      expect({ name: r.name, retainOnDelete: r.retainOnDelete }).toEqual({ name: r.name, retainOnDelete: true });
      expect(patch.dependencies).toContain(r.name);
    }
  }
  const secret = byType(resources, 'kubernetes:core/v1:SecretPatch')[0];
  if (secret) {
    expect(secret.inputs.data).toBe('[secret]');
    expect(patch.dependencies).toContain(secret.name);
  }
  expect(one(resources, 'kubernetes:batch/v1:Job').dependencies).toContain(patch.name);
}

describe('GcsRegistryStorage', () => {
  it('defaults: the cluster\'s service account; no account, no key, no Secret, no binding', async () => {
    const resources = await capturePulumiProgram(() => new GcsRegistryStorage('registry', { bucket: 'acme-registry', region: 'us-east1', projectID: 'acme' }), MOCKS);
    expect(resources.filter((r) => r.type.startsWith('gcp:serviceaccount/') || r.type === 'gcp:storage/bucketIAMMember:BucketIAMMember')).toEqual([]);
    expect(byType(resources, 'kubernetes:core/v1:SecretPatch')).toEqual([]);
    expectCommonGraph(resources, ['gcp:storage/bucket:Bucket']);
  });

  it('registryServiceAccount: the cluster\'s service account is bound on this bucket (a bucket in another project)', async () => {
    let email!: pulumi.Output<string>;
    const resources = await capturePulumiProgram(() => {
      email = GcsRegistryStorage.registryServiceAccountFromCluster();
      new GcsRegistryStorage('registry', { bucket: 'acme-registry', region: 'us-east1', projectID: 'other-project', registryServiceAccount: email });
    });
    expect(await pulumi.isSecret(email)).toBe(false);
    expect(await outputValue(email)).toBe('mock-openshift-i-abcde@mock-project.iam.gserviceaccount.com');
    const bindings = byType(resources, 'gcp:storage/bucketIAMMember:BucketIAMMember');
    expect(bindings.map((b) => [b.inputs.bucket, b.inputs.role, b.inputs.member])).toEqual([
      ['acme-registry', 'roles/storage.legacyBucketReader', 'serviceAccount:mock-openshift-i-abcde@mock-project.iam.gserviceaccount.com'],
      ['acme-registry', 'roles/storage.objectAdmin', 'serviceAccount:mock-openshift-i-abcde@mock-project.iam.gserviceaccount.com'],
    ]);
    expect(configPatch(resources).dependencies).toEqual(expect.arrayContaining(bindings.map((b) => b.name)));
    expect(byType(resources, 'gcp:serviceaccount/key:Key')).toEqual([]);
    await capturePulumiProgram(() => {
      expect(() => new GcsRegistryStorage('r1', { region: 'us-east1', projectID: 'acme', registryServiceAccount: 'registry' }))
        .toThrow(/registryServiceAccount: must be a service account email/);
      expect(() => new GcsRegistryStorage('r2', { region: 'us-east1', projectID: 'acme', credentials: 'key' as any }))
        .toThrow(/credentials: must be 'cluster' or 'service-account-key', or \{ keyfile \}/);
    }, MOCKS);
  });

  it('credentials: \'service-account-key\': bucket with UBLA, public access prevention, CMEK grant; service account bound on this bucket only', async () => {
    let storage!: GcsRegistryStorage;
    const keyID = 'projects/acme/locations/us-east1/keyRings/r/cryptoKeys/k';
    const resources = await capturePulumiProgram(() => {
      storage = new GcsRegistryStorage('registry', {
        bucket: 'acme-registry', region: 'us-east1', projectID: 'acme', keyID, labels: { team: 'platform' }, credentials: 'service-account-key',
      });
    }, MOCKS);
    const bucket = one(resources, 'gcp:storage/bucket:Bucket');
    expect(bucket.inputs).toMatchObject({
      name: 'acme-registry',
      location: 'us-east1',
      project: 'acme',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      encryption: { defaultKmsKeyName: keyID },
      // incomplete multipart uploads are aborted after a day, as on S3
      lifecycleRules: [{ action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 1 } }],
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
    // unique per project, stack and name: two stacks in one GCP project do not share it
    const accountId = one(resources, 'gcp:serviceaccount/account:Account').inputs.accountId as string;
    expect(accountId).toMatch(/^registry-registry-[0-9a-f]{6}$/);
    const other = await capturePulumiProgram(() => new GcsRegistryStorage('registry', {
      bucket: 'acme-registry', region: 'us-east1', projectID: 'acme', credentials: 'service-account-key',
    }), { ...MOCKS, stack: 'prod' });
    expect(one(other, 'gcp:serviceaccount/account:Account').inputs.accountId).not.toBe(accountId);
    expect(specOf(resources).storage).toEqual({ managementState: 'Unmanaged', gcs: { bucket: 'acme-registry', region: 'us-east1', projectID: 'acme', keyID } });
    expectCommonGraph(resources, ['gcp:storage/bucket:Bucket']);
    const data = storage.secret!.data as pulumi.Output<Record<string, string>>;
    expect(await pulumi.isSecret(data)).toBe(true);
    expect(Object.keys(await secretValues(data))).toEqual(['REGISTRY_STORAGE_GCS_KEYFILE']);
  });

  it('region is required to create the bucket', () => {
    expect(() => new GcsRegistryStorage('registry', {})).toThrow(/region: is required to create the bucket/);
  });

  it('given keyfile: no service account; cluster: no Secret', async () => {
    const given = await capturePulumiProgram(() => new GcsRegistryStorage('registry', {
      region: 'us-east1', projectID: 'acme', credentials: { keyfile: pulumi.secret('{"type":"service_account"}') },
    }), MOCKS);
    expect(byType(given, 'gcp:serviceaccount/account:Account')).toEqual([]);
    expect(byType(given, 'kubernetes:core/v1:SecretPatch')).toHaveLength(1);
    const cluster = await capturePulumiProgram(() => new GcsRegistryStorage('registry', { region: 'us-east1', projectID: 'acme', credentials: 'cluster' }), MOCKS);
    expect(byType(cluster, 'kubernetes:core/v1:SecretPatch')).toEqual([]);
  });
});

describe('AzureRegistryStorage', () => {
  it('defaults: the cluster\'s identity; no key listed, no Secret; the account in the cluster\'s resource group', async () => {
    const resources = await capturePulumiProgram(() => new AzureRegistryStorage('registry', {
      resourceGroupName: 'openshift-abc12', clusterResourceGroupName: 'OpenShift-ABC12', accountName: 'acmeregistry',
    }), MOCKS);
    expect(byType(resources, 'kubernetes:core/v1:SecretPatch')).toEqual([]);
    expect(one(resources, 'azure-native:storage:StorageAccount').inputs.allowSharedKeyAccess).toBeUndefined();
    expectCommonGraph(resources, ['azure-native:storage:StorageAccount', 'azure-native:storage:BlobContainer']);
    await capturePulumiProgram(() => {
      expect(() => new AzureRegistryStorage('r1', { resourceGroupName: 'registry-rg', clusterResourceGroupName: 'openshift-abc12' }))
        .toThrow(/resourceGroupName: is "registry-rg", not the cluster's resource group "openshift-abc12": the cluster's identity can use only an account in its own resource group/);
    }, MOCKS);
    // another group is fine with a key
    const keyed = await capturePulumiProgram(() => new AzureRegistryStorage('registry', {
      resourceGroupName: 'registry-rg', clusterResourceGroupName: 'openshift-abc12', credentials: 'account-key',
    }), MOCKS);
    expect(byType(keyed, 'kubernetes:core/v1:SecretPatch')).toHaveLength(1);
  });

  it('workloadIdentity: the account is created without shared-key access, as the operator would set it', async () => {
    const resources = await capturePulumiProgram(() => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift', workloadIdentity: true }), MOCKS);
    expect(one(resources, 'azure-native:storage:StorageAccount').inputs.allowSharedKeyAccess).toBe(false);
    const keyed = await capturePulumiProgram(() => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift', workloadIdentity: true, credentials: 'account-key' }), MOCKS);
    expect(one(keyed, 'azure-native:storage:StorageAccount').inputs.allowSharedKeyAccess).toBeUndefined();
  });

  it('credentials: \'account-key\': hardened StorageV2 account, private container, account key as secret, cloudName in the Config', async () => {
    let storage!: AzureRegistryStorage;
    const resources = await capturePulumiProgram(() => {
      storage = new AzureRegistryStorage('registry', {
        resourceGroupName: 'openshift', accountName: 'acmeregistry', cloudName: 'AzureUSGovernmentCloud', credentials: 'account-key',
      });
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
    const data = storage.secret!.data as pulumi.Output<Record<string, string>>;
    expect(await pulumi.isSecret(data)).toBe(true);
    expect(await secretValues(data)).toEqual({ REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'mock-account-key' });
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
    expect(rules.every((r) => r.service === 'object-store' && (r.path === '/info' || r.path === '/v1/*' || r.path.startsWith('/v1/*/image-registry')))).toBe(true);
    // the registry reads the account (HEAD /v1/AUTH_<project>) at start
    expect(rules).toContainEqual({ service: 'object-store', method: 'HEAD', path: '/v1/*' });
    expect(specOf(resources)).toEqual({
      managementState: 'Managed',
      replicas: 2,
      disableRedirect: true,
      storage: { managementState: 'Unmanaged', swift: { container: 'image-registry', authURL: 'https://keystone.example.com:5000/v3', regionName: 'RegionOne' } },
    });
    expectCommonGraph(resources, ['openstack:objectstorage/container:Container']);
    expect(Object.keys(await secretValues(storage.secret!.data)).sort()).toEqual([
      'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET',
    ]);
  });

  it('an unnamed container is unique per stack', async () => {
    const name = async (stack: string) => {
      const resources = await capturePulumiProgram(() => new SwiftRegistryStorage('registry', { authURL: 'https://keystone.example.com:5000/v3' }), { ...MOCKS, stack });
      return one(resources, 'openstack:objectstorage/container:Container').inputs.name as string;
    };
    const dev = await name('dev');
    expect(dev).toMatch(/^registry-image-registry-[0-9a-f]{8}$/);
    expect(await name('dev')).toBe(dev);
    expect(await name('prod')).not.toBe(dev);
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
    expect(Object.keys(await secretValues(storage.secret!.data)).sort()).toEqual(['REGISTRY_STORAGE_SWIFT_PASSWORD', 'REGISTRY_STORAGE_SWIFT_USERNAME']);
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

describe('what a live cluster needs', () => {
  it('Azure: an unnamed account gets a valid name (3-24 lowercase letters and digits), unique per stack', async () => {
    const name = async (stack: string, resourceGroupName = 'openshift') => {
      const resources = await capturePulumiProgram(() => new AzureRegistryStorage('registry', { resourceGroupName }), { ...MOCKS, stack });
      return one(resources, 'azure-native:storage:StorageAccount').inputs.accountName as string;
    };
    const dev = await name('dev');
    expect(dev).toMatch(/^[a-z0-9]{3,24}$/);
    expect(await name('dev')).toBe(dev);
    expect(await name('prod')).not.toBe(dev);
    expect(await name('dev', 'other-group')).not.toBe(dev);
  });

  it('Azure: cloudName follows the provider\'s cloud (the account\'s blob endpoint) unless given', async () => {
    const gov: CaptureOptions = {
      ...MOCKS,
      state: { ...MOCKS.state, 'azure-native:storage:StorageAccount': (_n, inputs) => ({ name: inputs.accountName, primaryEndpoints: { blob: `https://${inputs.accountName}.blob.core.usgovcloudapi.net/` } }) },
    };
    const resources = await capturePulumiProgram(() => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift', accountName: 'acmeregistry' }), gov);
    expect(specOf(resources).storage.azure).toEqual({ accountName: 'acmeregistry', container: 'image-registry', cloudName: 'AzureUSGovernmentCloud' });
    const given = await capturePulumiProgram(() => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift', accountName: 'acmeregistry', cloudName: 'AzureChinaCloud' }), gov);
    expect(specOf(given).storage.azure.cloudName).toBe('AzureChinaCloud');
    // an existing account: read through getStorageAccount when the resource group is known
    const existing = await capturePulumiProgram(() => new AzureRegistryStorage('registry', {
      createAccount: false, resourceGroupName: 'openshift', accountName: 'acmeregistry', container: 'images', credentials: { accountKey: pulumi.secret('k') },
    }), { ...MOCKS, calls: { ...MOCKS.calls, 'azure-native:storage:getStorageAccount': () => ({ primaryEndpoints: { blob: 'https://acmeregistry.blob.core.chinacloudapi.cn/' } }) } });
    expect(specOf(existing).storage.azure.cloudName).toBe('AzureChinaCloud');
  });

  it('the removal Job runs outside openshift-image-registry, egress on the API server ports only, with the payload\'s cli read by digest', async () => {
    const resources = await capturePulumiProgram(() => new GcsRegistryStorage('registry', { bucket: 'acme-registry', createBucket: false, credentials: 'cluster' }), MOCKS);
    const namespace = one(resources, 'kubernetes:core/v1:Namespace');
    const ns = (namespace.inputs.metadata as any).name;
    // a namespace of this component's own (project, stack, type and name), never a fixed one
    expect(ns).toMatch(/^registry-storage-jobs-[0-9a-f]{8}$/);
    const job = one(resources, 'kubernetes:batch/v1:Job');
    const jobMeta = job.inputs.metadata as any;
    expect(jobMeta.namespace).toBe(ns);
    expect(job.dependencies).toEqual(expect.arrayContaining([namespace.name, 'registry-keep-gcs-networkpolicy', 'registry-payload-cli']));
    const pod = (job.inputs.spec as any).template;
    // A digest: OpenShift's ImagePolicy plugin rewrites only short names, so the stored Job equals
    // the applied one and pulumi-kubernetes does not replace (and re-run) it on every up.
    expect(pod.metadata.annotations).toBeUndefined();
    expect(pod.spec.containers[0].image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(byType(resources, 'kubernetes:image.openshift.io/v1:ImageStream')).toEqual([]);
    const read = one(resources, 'kubernetes:image.openshift.io/v1:ImageStreamTag');
    expect(read.readId).toBe('openshift/cli:latest');
    // no TTL: a Job the TTL controller deletes is re-created on every `pulumi up --refresh`
    expect((job.inputs.spec as any).ttlSecondsAfterFinished).toBeUndefined();
    const policy = one(resources, 'kubernetes:networking.k8s.io/v1:NetworkPolicy');
    const jobName = jobMeta.name;
    expect(jobName).toMatch(/^registry-storage-keep-gcs-[0-9a-f]{8}$/);
    expect(policy.inputs.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': jobName } },
      policyTypes: ['Egress'],
      egress: [{ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }],
    });
    expect(pod.metadata.labels).toEqual({ 'app.kubernetes.io/name': jobName });
    const role = one(resources, 'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole');
    expect((role.inputs.metadata as any).name).toBe(jobName);
    expect(role.inputs.rules).toEqual([{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: ['cluster'], verbs: ['get', 'patch'] }]);

    const pinned = await capturePulumiProgram(() => new GcsRegistryStorage('registry', {
      bucket: 'acme-registry', createBucket: false, credentials: 'cluster', cliImage: 'mirror.example.com/ocp/cli@sha256:abc', jobNamespace: 'registry-storage-ops',
    }), MOCKS);
    expect(byType(pinned, 'kubernetes:image.openshift.io/v1:ImageStream')).toEqual([]);
    expect(byType(pinned, 'kubernetes:image.openshift.io/v1:ImageStreamTag')).toEqual([]);
    const pinnedPod = (one(pinned, 'kubernetes:batch/v1:Job').inputs.spec as any).template;
    expect(pinnedPod.spec.containers[0].image).toBe('mirror.example.com/ocp/cli@sha256:abc');
    expect(pinnedPod.metadata.annotations).toBeUndefined();
    expect((one(pinned, 'kubernetes:batch/v1:Job').inputs.metadata as any).namespace).toBe('registry-storage-ops');
  });

  it('switching component class in one stack: the old and the new component share no Job object name', async () => {
    const names = async (program: () => unknown) => (await capturePulumiProgram(program, MOCKS))
      .filter((r) => r.type.startsWith('kubernetes:') && !r.type.includes('Patch') && r.readId === undefined)
      .map((r) => `${r.type}/${(r.inputs.metadata as any)?.namespace ?? ''}/${(r.inputs.metadata as any)?.name}`);
    // the same storage type (s3) from two classes, under the same component name
    const before = await names(() => new S3RegistryStorage('registry', { bucket: 'acme-registry', createBucket: false, region: 'us-east-1' }));
    const after = await names(() => new ObjectBucketClaimRegistryStorage('registry', {
      bucket: 'acme-registry', regionEndpoint: 'https://s3-openshift-storage.apps.acme.example.com',
    }));
    expect(before.length).toBeGreaterThan(4);
    expect(after.filter((n) => before.includes(n))).toEqual([]);
  });

  it('two storages on one cluster in one program are refused at construction, naming both', async () => {
    await expect(capturePulumiProgram(() => {
      new S3RegistryStorage('a', { bucket: 'acme-a', createBucket: false, region: 'us-east-1' });
      new PvcRegistryStorage('b', {});
    }, MOCKS)).rejects.toThrow(/S3RegistryStorage "a" and PvcRegistryStorage "b" both configure the registry of the default Kubernetes provider/);
    const k8s = await import('@pulumi/kubernetes');
    await expect(capturePulumiProgram(() => {
      const cluster = new k8s.Provider('cluster', { kubeconfig: 'mock' });
      new S3RegistryStorage('a', { bucket: 'acme-a', createBucket: false, region: 'us-east-1' }, { providers: { kubernetes: cluster } });
      new PvcRegistryStorage('b', {}, { provider: cluster });
    }, MOCKS)).rejects.toThrow(/"a" and PvcRegistryStorage "b" both configure the registry of one Kubernetes provider/);
    // one per cluster is fine
    await capturePulumiProgram(() => {
      new S3RegistryStorage('a', { bucket: 'acme-a', createBucket: false, region: 'us-east-1' }, { providers: { kubernetes: new k8s.Provider('one', { kubeconfig: 'mock' }) } });
      new PvcRegistryStorage('b', {}, { providers: { kubernetes: new k8s.Provider('two', { kubeconfig: 'mock' }) } });
    }, MOCKS);
  });

  it('no Kubernetes provider: a warning names the kubeconfig context the default provider targets, and how to pin it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-kubeconfig-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Config\ncurrent-context: admin@prod-eu-1\ncontexts: []\n');
    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = file;
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
    try {
      await capturePulumiProgram(() => new PvcRegistryStorage('registry', {}), MOCKS);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/default provider's cluster, kubeconfig context "admin@prod-eu-1" \(KUBECONFIG=.*\)\. Pin it: \{ providers: \{ kubernetes: /),
        expect.anything());
      warn.mockClear();
      const k8s = await import('@pulumi/kubernetes');
      await capturePulumiProgram(() => new PvcRegistryStorage('registry', {}, { providers: { kubernetes: new k8s.Provider('c', { kubeconfig: 'mock' }) } }), MOCKS);
      expect(warn.mock.calls.filter(([m]) => /no Kubernetes provider/.test(m))).toEqual([]);
    } finally {
      warn.mockRestore();
      if (previous === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous;
    }
  });

  it('managementState Unmanaged: no wait for storage the operator will not touch, and a warning says so', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
    try {
      for (const managementState of ['Unmanaged'] as const) {
        const resources = await capturePulumiProgram(() => new PvcRegistryStorage('registry', { managementState }), MOCKS);
        const annotations = (resources.find((r) => r.name === 'registry-storage-applied')!.inputs.metadata as any).annotations;
        expect(annotations['pulumi.com/skipAwait']).toBe('true');
        expect(annotations['pulumi.com/waitFor']).toBeUndefined();
        expect(warn).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`^managementState: is ${managementState}: the operator does not reconcile .* \\[ORS-PULUMI-W001\\]$`)), expect.anything());
      }
      // Managed waits
      const managed = await capturePulumiProgram(() => new PvcRegistryStorage('registry', {}), MOCKS);
      const annotations = (managed.find((r) => r.name === 'registry-storage-applied')!.inputs.metadata as any).annotations;
      expect(annotations['pulumi.com/skipAwait']).toBeUndefined();
      expect(annotations['pulumi.com/waitFor']).toContain('condition=StorageExists');
    } finally {
      warn.mockRestore();
    }
  });

  it('warnings are logged on the component with pulumi.log.warn', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
    try {
      await capturePulumiProgram(() => new PvcRegistryStorage('registry', { size: '20Gi' }), MOCKS);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^size: is "20Gi", below the 100Gi/), expect.objectContaining({}));
      expect((warn.mock.calls[0][1] as any).constructor.name).toBe('PvcRegistryStorage');
    } finally {
      warn.mockRestore();
    }
  });
});

describe('child names', () => {
  const programs: Record<string, () => unknown> = {
    s3: () => new S3RegistryStorage('registry', { bucket: 'acme-registry', credentials: 'iam-user' }),
    gcs: () => new GcsRegistryStorage('registry', { bucket: 'acme-registry', region: 'us-east1', projectID: 'acme', credentials: 'service-account-key' }),
    azure: () => new AzureRegistryStorage('registry', { resourceGroupName: 'rg', credentials: 'account-key' }),
    swift: () => new SwiftRegistryStorage('registry', { authURL: 'https://keystone.example.com:5000/v3' }),
    pvc: () => new PvcRegistryStorage('registry', { cinder: { availabilityZone: 'nova' } }),
  };

  it.each(Object.keys(programs))('%s: every child has a name of its own', async (platform) => {
    const names = (await capturePulumiProgram(programs[platform], MOCKS)).map((r) => r.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('children renamed from <name>-registry answer to it, so existing stacks keep them (and their keys)', async () => {
    const renamed = async (platform: string) => Object.fromEntries((await capturePulumiProgram(programs[platform], MOCKS))
      .filter((r) => r.aliases).map((r) => [r.name, r.aliases]));
    expect(await renamed('s3')).toEqual({
      'registry-user': ['registry-registry'], 'registry-user-policy': ['registry-registry'], 'registry-access-key': ['registry-registry'],
    });
    expect(await renamed('gcs')).toEqual({ 'registry-service-account': ['registry-registry'], 'registry-key': ['registry-registry'] });
    expect(await renamed('swift')).toEqual({ 'registry-application-credential': ['registry-registry'] });
  });
});

describe('per case', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/acme-openshift-image-registry-installer-cloud-credentials';
  const AWS_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/abcd';
  const GCP_KEY = 'projects/acme/locations/us-east1/keyRings/r/cryptoKeys/k';
  const GCS_REGISTRY_SA = 'acme-openshift-i-abcde@acme.iam.gserviceaccount.com';
  const AUTH_URL = 'https://keystone.example.com:5000/v3';
  // Every value the mocks or the props give a credential: none may appear in what is recorded.
  const SECRET_VALUES = /not-a-real|mock-secret-access-key|mock-account-key|mock-private-key|mock-application-credential-secret/;
  const SECRET_PATCH = 'kubernetes:core/v1:SecretPatch';

  interface Case {
    readonly program: () => RegistryStorageComponent;
    /** The storage block the component sets (`s3`, `emptyDir`, ...). */
    readonly storageType: string;
    /** `type name` of every child but the Kubernetes side common to all: storage, hardening, identities, grants. */
    readonly storage: readonly string[];
    /** Logical names of those kept on `pulumi destroy` (the data holders). */
    readonly kept: readonly string[];
    /** The `cluster` Config's spec, exactly. */
    readonly spec: Record<string, unknown>;
    /** The `openshiftVersion` the program gives: the Config is valid on that release's CRD. @default the oldest supported */
    readonly openshiftVersion?: string;
    /** The user Secret's values as the operator reads them; absent: no Secret. */
    readonly secret?: Record<string, string>;
    /** The component reads the cluster's topology (no replicas given). @default true */
    readonly readsTopology?: boolean;
    /** @default 600 */
    readonly waitTimeoutSeconds?: number;
    /** The storage's hardening and the grants for the registry's identity; absent: no storage of its own. */
    readonly check?: (resources: CapturedResource[]) => void;
  }

  const S3_HARDENING = [
    'aws:s3/bucket:Bucket registry-bucket',
    'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration registry-lifecycle',
    'aws:s3/bucketOwnershipControls:BucketOwnershipControls registry-ownership',
    'aws:s3/bucketPolicy:BucketPolicy registry-tls-only',
    'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock registry-public-access',
    'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration registry-encryption',
  ];
  const AZURE_STORAGE = ['azure-native:storage:BlobContainer registry-container', 'azure-native:storage:StorageAccount registry-account'];

  /** The bucket policy's statements: TLS only on this bucket and its objects, then the Allows for `principal`. */
  function expectS3Bucket(resources: CapturedResource[], arn: string, sse: Record<string, unknown>, principal?: string): void {
    const bucket = one(resources, 'aws:s3/bucket:Bucket');
    expect(bucket.inputs.forceDestroy).toBe(false);
    // each setting applies to this bucket
    for (const line of S3_HARDENING.slice(1)) {
      const [type] = line.split(' ');
      expect({ type, bucket: one(resources, type).inputs.bucket }).toEqual({ type, bucket: 'registry-bucket-id' });
    }
    expect(one(resources, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').inputs).toMatchObject({
      blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    expect(one(resources, 'aws:s3/bucketOwnershipControls:BucketOwnershipControls').inputs.rule).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
    expect(one(resources, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').inputs.rules)
      .toEqual([{ applyServerSideEncryptionByDefault: sse, bucketKeyEnabled: true }]);
    expect(one(resources, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').inputs.rules).toEqual([
      { id: 'cleanup-incomplete-multipart-registry-uploads', status: 'Enabled', filter: { prefix: '' }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
    ]);
    const statements = JSON.parse(one(resources, 'aws:s3/bucketPolicy:BucketPolicy').inputs.policy as string).Statement;
    expect(statements[0]).toEqual({
      Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(statements.slice(1).map((s: any) => [s.Effect, s.Principal, s.Resource])).toEqual(principal === undefined ? [] : [
      ['Allow', { AWS: principal }, arn], ['Allow', { AWS: principal }, `${arn}/*`],
    ]);
  }

  function expectGcsBucket(resources: CapturedResource[], fields: Record<string, unknown>): void {
    expect(one(resources, 'gcp:storage/bucket:Bucket').inputs).toEqual({
      location: 'us-east1',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      lifecycleRules: [{ action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 1 } }],
      forceDestroy: false,
      ...fields,
    });
  }

  function bindings(resources: CapturedResource[]): unknown[] {
    return byType(resources, 'gcp:storage/bucketIAMMember:BucketIAMMember').map((b) => [b.name, b.inputs.bucket, b.inputs.role, b.inputs.member]);
  }

  /** The account and container: hardened, and the ones the Config names. */
  function expectAzureStorage(resources: CapturedResource[], account: Record<string, unknown>): void {
    const { accountName, container } = specOf(resources).storage.azure;
    expect(one(resources, 'azure-native:storage:StorageAccount').inputs).toEqual({
      accountName,
      resourceGroupName: 'openshift',
      kind: 'StorageV2',
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      ...account,
    });
    expect(one(resources, 'azure-native:storage:BlobContainer').inputs).toEqual({ accountName, resourceGroupName: 'openshift', containerName: container, publicAccess: 'None' });
  }

  /** The bucket, and what keeps it hardened once the stack is gone (the registry goes on using it). */
  const S3_KEPT = ['registry-bucket', 'registry-encryption', 'registry-lifecycle', 'registry-ownership', 'registry-public-access', 'registry-tls-only'];

  const cases: Record<string, Case> = {
    's3 defaults': {
      program: () => new S3RegistryStorage('registry'),
      storageType: 's3',
      storage: S3_HARDENING,
      kept: S3_KEPT,
      spec: { managementState: 'Managed', replicas: 2, storage: { managementState: 'Unmanaged', s3: { bucket: 'registry-bucket-1a2b3c', region: 'eu-west-1', encrypt: true } } },
      check: (resources) => expectS3Bucket(resources, 'arn:aws:s3:::registry-bucket-1a2b3c', { sseAlgorithm: 'AES256' }),
    },
    's3 full': {
      program: () => new S3RegistryStorage('registry', {
        bucket: 'acme-registry',
        region: 'eu-west-1',
        keyID: AWS_KEY,
        registryPrincipalArn: ROLE,
        chunkSizeMiB: 16,
        replicas: 3,
        tags: { team: 'platform' },
        waitTimeoutSeconds: 900,
        // chunkSizeMiB is first in the 4.17 Config CRD
        openshiftVersion: '4.17',
      }),
      openshiftVersion: '4.17',
      storageType: 's3',
      storage: [...S3_HARDENING, 'aws:kms/grant:Grant registry-key-grant'],
      kept: [...S3_KEPT, 'registry-key-grant'],
      spec: {
        managementState: 'Managed',
        replicas: 3,
        storage: { managementState: 'Unmanaged', s3: { bucket: 'acme-registry', region: 'eu-west-1', encrypt: true, keyID: AWS_KEY, chunkSizeMiB: 16 } },
      },
      readsTopology: false,
      waitTimeoutSeconds: 900,
      check: (resources) => {
        expect(one(resources, 'aws:s3/bucket:Bucket').inputs).toEqual({ bucket: 'acme-registry', forceDestroy: false, tags: { team: 'platform' } });
        expectS3Bucket(resources, 'arn:aws:s3:::acme-registry', { sseAlgorithm: 'aws:kms', kmsMasterKeyId: AWS_KEY }, ROLE);
        // the cluster's role may use the key: its CredentialsRequest has no KMS action
        const grant = one(resources, 'aws:kms/grant:Grant').inputs;
        expect([grant.keyId, grant.granteePrincipal, [...grant.operations as string[]].sort()]).toEqual([AWS_KEY, ROLE, ['Decrypt', 'DescribeKey', 'Encrypt', 'GenerateDataKey']]);
      },
    },
    's3 iam-user': {
      program: () => new S3RegistryStorage('registry', { credentials: 'iam-user' }),
      storageType: 's3',
      storage: [...S3_HARDENING, 'aws:iam/accessKey:AccessKey registry-access-key', 'aws:iam/user:User registry-user', 'aws:iam/userPolicy:UserPolicy registry-user-policy'],
      kept: S3_KEPT,
      spec: { managementState: 'Managed', replicas: 2, storage: { managementState: 'Unmanaged', s3: { bucket: 'registry-bucket-1a2b3c', region: 'eu-west-1', encrypt: true } } },
      // the access key of the user the component made
      secret: { REGISTRY_STORAGE_S3_ACCESSKEY: 'registry-access-key-id', REGISTRY_STORAGE_S3_SECRETKEY: 'mock-secret-access-key' },
      check: (resources) => {
        expectS3Bucket(resources, 'arn:aws:s3:::registry-bucket-1a2b3c', { sseAlgorithm: 'AES256' });
        const user = 'registry-user-1a2b3c4';
        expect([one(resources, 'aws:iam/accessKey:AccessKey').inputs.user, one(resources, 'aws:iam/userPolicy:UserPolicy').inputs.user]).toEqual([user, user]);
      },
    },
    'gcs defaults': {
      program: () => new GcsRegistryStorage('registry', { region: 'us-east1' }),
      storageType: 'gcs',
      storage: ['gcp:storage/bucket:Bucket registry-bucket'],
      kept: ['registry-bucket'],
      // the project is the provider's
      spec: { managementState: 'Managed', replicas: 2, storage: { managementState: 'Unmanaged', gcs: { bucket: 'registry-bucket-1a2b3c4', projectID: 'acme-from-provider', region: 'us-east1' } } },
      check: (resources) => expectGcsBucket(resources, { project: 'acme-from-provider' }),
    },
    'gcs full': {
      program: () => new GcsRegistryStorage('registry', {
        bucket: 'acme-registry',
        region: 'us-east1',
        projectID: 'acme',
        keyID: GCP_KEY,
        labels: { team: 'platform' },
        registryServiceAccount: GCS_REGISTRY_SA,
      }),
      storageType: 'gcs',
      storage: [
        'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember registry-cmek',
        'gcp:storage/bucket:Bucket registry-bucket',
        'gcp:storage/bucketIAMMember:BucketIAMMember registry-cluster-storage.legacybucketreader',
        'gcp:storage/bucketIAMMember:BucketIAMMember registry-cluster-storage.objectadmin',
      ],
      kept: ['registry-bucket', 'registry-cmek', 'registry-cluster-storage.legacybucketreader', 'registry-cluster-storage.objectadmin'],
      spec: { managementState: 'Managed', replicas: 2, storage: { managementState: 'Unmanaged', gcs: { bucket: 'acme-registry', projectID: 'acme', region: 'us-east1', keyID: GCP_KEY } } },
      check: (resources) => {
        expectGcsBucket(resources, { name: 'acme-registry', project: 'acme', labels: { team: 'platform' }, encryption: { defaultKmsKeyName: GCP_KEY } });
        // the project's GCS service agent may use the key, before the bucket is made with it
        expect(one(resources, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember').inputs).toEqual({
          cryptoKeyId: GCP_KEY, role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: 'serviceAccount:service-1@gs-project-accounts.iam.gserviceaccount.com',
        });
        expect(one(resources, 'gcp:storage/bucket:Bucket').dependencies).toContain('registry-cmek');
        // the cluster's service account, on this bucket only
        expect(bindings(resources)).toEqual([
          ['registry-cluster-storage.legacybucketreader', 'acme-registry', 'roles/storage.legacyBucketReader', `serviceAccount:${GCS_REGISTRY_SA}`],
          ['registry-cluster-storage.objectadmin', 'acme-registry', 'roles/storage.objectAdmin', `serviceAccount:${GCS_REGISTRY_SA}`],
        ]);
      },
    },
    'gcs key': {
      program: () => new GcsRegistryStorage('registry', { region: 'us-east1', credentials: 'service-account-key' }),
      storageType: 'gcs',
      storage: [
        'gcp:serviceaccount/account:Account registry-service-account',
        'gcp:serviceaccount/key:Key registry-key',
        'gcp:storage/bucket:Bucket registry-bucket',
        'gcp:storage/bucketIAMMember:BucketIAMMember registry-storage.legacybucketreader',
        'gcp:storage/bucketIAMMember:BucketIAMMember registry-storage.objectadmin',
      ],
      kept: ['registry-bucket'],
      spec: { managementState: 'Managed', replicas: 2, storage: { managementState: 'Unmanaged', gcs: { bucket: 'registry-bucket-1a2b3c4', projectID: 'acme-from-provider', region: 'us-east1' } } },
      // the key file of the account the component made, decoded
      secret: { REGISTRY_STORAGE_GCS_KEYFILE: '{"type":"service_account","private_key":"mock-private-key"}' },
      check: (resources) => {
        expectGcsBucket(resources, { project: 'acme-from-provider' });
        const account = one(resources, 'gcp:serviceaccount/account:Account').inputs;
        expect(account).toEqual({ accountId: expect.stringMatching(/^registry-registry-[0-9a-f]{6}$/), displayName: 'OpenShift image registry (registry)', project: 'acme-from-provider' });
        expect(one(resources, 'gcp:serviceaccount/key:Key').inputs).toEqual({ serviceAccountId: `projects/acme/serviceAccounts/${account.accountId}` });
        const member = `serviceAccount:${account.accountId}@acme.iam.gserviceaccount.com`;
        expect(bindings(resources)).toEqual([
          ['registry-storage.legacybucketreader', 'registry-bucket-1a2b3c4', 'roles/storage.legacyBucketReader', member],
          ['registry-storage.objectadmin', 'registry-bucket-1a2b3c4', 'roles/storage.objectAdmin', member],
        ]);
      },
    },
    'azure defaults': {
      program: () => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift' }),
      storageType: 'azure',
      storage: AZURE_STORAGE,
      kept: ['registry-account', 'registry-container'],
      // cloudName from the account's blob endpoint
      spec: {
        managementState: 'Managed',
        replicas: 2,
        storage: { managementState: 'Unmanaged', azure: { accountName: 'registrydcd31b2f334ed131', container: 'image-registry', cloudName: 'AzurePublicCloud' } },
      },
      check: (resources) => expectAzureStorage(resources, { sku: { name: 'Standard_LRS' } }),
    },
    'azure full': {
      program: () => new AzureRegistryStorage('registry', {
        resourceGroupName: 'openshift',
        accountName: 'acmeregistry',
        container: 'images',
        cloudName: 'AzureUSGovernmentCloud',
        skuName: 'Standard_ZRS',
        tags: { team: 'platform' },
        clusterResourceGroupName: 'openshift',
        workloadIdentity: true,
      }),
      storageType: 'azure',
      storage: AZURE_STORAGE,
      kept: ['registry-account', 'registry-container'],
      spec: {
        managementState: 'Managed',
        replicas: 2,
        storage: { managementState: 'Unmanaged', azure: { accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud' } },
      },
      // Workload Identity: no shared-key access, as the operator sets it
      check: (resources) => expectAzureStorage(resources, { sku: { name: 'Standard_ZRS' }, tags: { team: 'platform' }, allowSharedKeyAccess: false }),
    },
    'azure key': {
      program: () => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift', credentials: 'account-key' }),
      storageType: 'azure',
      storage: AZURE_STORAGE,
      kept: ['registry-account', 'registry-container'],
      spec: {
        managementState: 'Managed',
        replicas: 2,
        storage: { managementState: 'Unmanaged', azure: { accountName: 'registrydcd31b2f334ed131', container: 'image-registry', cloudName: 'AzurePublicCloud' } },
      },
      secret: { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'mock-account-key' },
      // shared-key access left on: the key is how the registry signs in
      check: (resources) => expectAzureStorage(resources, { sku: { name: 'Standard_LRS' } }),
    },
    'swift defaults': {
      program: () => new SwiftRegistryStorage('registry', { authURL: AUTH_URL }),
      storageType: 'swift',
      storage: ['openstack:identity/applicationCredential:ApplicationCredential registry-application-credential', 'openstack:objectstorage/container:Container registry-container'],
      kept: ['registry-container'],
      spec: {
        managementState: 'Managed',
        replicas: 2,
        disableRedirect: true,
        storage: { managementState: 'Unmanaged', swift: { authURL: AUTH_URL, container: 'registry-image-registry-6f2f8b1c' } },
      },
      secret: {
        REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID: 'registry-application-credential-id',
        REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME: 'registry-application-credential',
        REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET: 'mock-application-credential-secret',
      },
      check: (resources) => {
        const c = 'registry-image-registry-6f2f8b1c';
        expect(one(resources, 'openstack:objectstorage/container:Container').inputs).toEqual({ name: c, forceDestroy: false });
        const credential = one(resources, 'openstack:identity/applicationCredential:ApplicationCredential');
        // the account read at start, then this container and its objects, nothing else
        const onContainer = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'].flatMap((method) => [`/v1/*/${c}`, `/v1/*/${c}/**`].map((p) => `${method} ${p}`));
        expect((credential.inputs.accessRules as any[]).map((r) => `${r.service} ${r.method} ${r.path}`).sort())
          .toEqual(['GET /info', 'HEAD /v1/*', ...onContainer].map((r) => `object-store ${r}`).sort());
        expect(credential.dependencies).toContain('registry-container');
      },
    },
    'swift full': {
      program: () => new SwiftRegistryStorage('registry', {
        container: 'registry',
        authURL: AUTH_URL,
        authVersion: '3',
        domain: 'Default',
        tenant: 'registry',
        regionName: 'RegionOne',
        credentials: { username: 'registry', password: 'not-a-real-password' },
      }),
      storageType: 'swift',
      // given credentials: no application credential
      storage: ['openstack:objectstorage/container:Container registry-container'],
      kept: ['registry-container'],
      spec: {
        managementState: 'Managed',
        replicas: 2,
        disableRedirect: true,
        storage: {
          managementState: 'Unmanaged',
          swift: { container: 'registry', authURL: AUTH_URL, authVersion: '3', domain: 'Default', tenant: 'registry', regionName: 'RegionOne' },
        },
      },
      // _USERNAME, which the operator reads, not the _USER some docs show
      secret: { REGISTRY_STORAGE_SWIFT_USERNAME: 'registry', REGISTRY_STORAGE_SWIFT_PASSWORD: 'not-a-real-password' },
      check: (resources) => {
        expect(one(resources, 'openstack:objectstorage/container:Container').inputs).toEqual({ name: 'registry', region: 'RegionOne', forceDestroy: false });
      },
    },
    'pvc defaults': {
      program: () => new PvcRegistryStorage('registry'),
      storageType: 'pvc',
      storage: ['kubernetes:core/v1:PersistentVolumeClaim registry-claim'],
      kept: ['registry-claim'],
      // ReadWriteOnce: one replica, and Recreate so that the new pod can mount the volume
      spec: { managementState: 'Managed', replicas: 1, rolloutStrategy: 'Recreate', storage: { managementState: 'Unmanaged', pvc: { claim: 'image-registry-pvc' } } },
      check: (resources) => {
        const claim = one(resources, 'kubernetes:core/v1:PersistentVolumeClaim');
        expect(claim.inputs.metadata).toEqual({ name: 'image-registry-pvc', namespace: 'openshift-image-registry', annotations: { 'imageregistry.openshift.io': 'true' } });
        // the cluster's default storage class
        expect(claim.inputs.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, volumeMode: 'Filesystem' });
      },
    },
    'pvc full': {
      program: () => new PvcRegistryStorage('registry', { claim: 'registry', size: '500Gi', cinder: { availabilityZone: 'nova', volumeType: 'ssd' } }),
      storageType: 'pvc',
      storage: ['kubernetes:core/v1:PersistentVolumeClaim registry-claim', 'kubernetes:storage.k8s.io/v1:StorageClass registry-storage-class'],
      kept: ['registry-claim'],
      spec: { managementState: 'Managed', replicas: 1, rolloutStrategy: 'Recreate', storage: { managementState: 'Unmanaged', pvc: { claim: 'registry' } } },
      check: (resources) => {
        expect(one(resources, 'kubernetes:storage.k8s.io/v1:StorageClass').inputs).toEqual({
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: { name: 'image-registry-cinder' },
          provisioner: 'cinder.csi.openstack.org',
          parameters: { availability: 'nova', type: 'ssd' },
          reclaimPolicy: 'Retain',
          volumeBindingMode: 'WaitForFirstConsumer',
          allowVolumeExpansion: true,
        });
        const claim = one(resources, 'kubernetes:core/v1:PersistentVolumeClaim');
        expect((claim.inputs.metadata as any).name).toBe('registry');
        expect(claim.inputs.spec).toEqual({
          accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '500Gi' } }, storageClassName: 'image-registry-cinder', volumeMode: 'Filesystem',
        });
        expect(claim.dependencies).toContain('registry-storage-class');
      },
    },
    'emptydir': {
      program: () => new EmptyDirRegistryStorage('registry', { acknowledgeNonProduction: true }),
      storageType: 'emptyDir',
      // nothing but the Kubernetes side: the images live in the pod
      storage: [],
      kept: [],
      spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } },
    },
  };

  /** The Kubernetes side every component creates: the Config, the removal Job and what it needs, the wait. */
  function kubernetesSide(c: Case): string[] {
    const keep = `registry-keep-${c.storageType.toLowerCase()}`;
    return [
      `${PATCH} registry-config`,
      `${PATCH} registry-storage-applied`,
      'kubernetes:image.openshift.io/v1:ImageStreamTag registry-payload-cli',
      `kubernetes:batch/v1:Job ${keep}-job`,
      `kubernetes:core/v1:Namespace ${keep}-namespace`,
      `kubernetes:core/v1:ServiceAccount ${keep}-serviceaccount`,
      `kubernetes:networking.k8s.io/v1:NetworkPolicy ${keep}-networkpolicy`,
      `kubernetes:rbac.authorization.k8s.io/v1:ClusterRole ${keep}-clusterrole`,
      `kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding ${keep}-clusterrolebinding`,
      // with keys, the Secret patch; without, the Job may delete a Secret this library wrote before
      ...(c.secret ? [`${SECRET_PATCH} registry-credentials`]
        : [`kubernetes:rbac.authorization.k8s.io/v1:Role ${keep}-role`, `kubernetes:rbac.authorization.k8s.io/v1:RoleBinding ${keep}-rolebinding`]),
      ...(c.readsTopology ?? true ? ['kubernetes:config.openshift.io/v1:Infrastructure registry-infrastructure'] : []),
    ];
  }

  /** Names `name` depends on, directly or not. */
  function dependencyClosure(resources: CapturedResource[], name: string): Set<string> {
    const seen = new Set<string>();
    const visit = (n: string) => {
      for (const d of resources.find((r) => r.name === n)?.dependencies ?? []) {
        if (!seen.has(d)) {
          seen.add(d);
          visit(d);
        }
      }
    };
    visit(name);
    return seen;
  }

  interface Run {
    readonly resources: CapturedResource[];
    readonly component: RegistryStorageComponent;
    readonly secret?: { readonly isSecret: boolean; readonly values: Record<string, string> };
  }

  // one capture per case, shared by its tests (jest runs a file's tests one after another)
  const runs = new Map<string, Promise<Run>>();
  function run(name: string): Promise<Run> {
    if (!runs.has(name)) {
      runs.set(name, (async () => {
        let component!: RegistryStorageComponent;
        const resources = await capturePulumiProgram(() => {
          component = cases[name].program();
        }, MOCKS);
        // resolved now, before the next capture installs other mocks
        const data = component.secret?.data;
        const secret = data && { isSecret: await pulumi.isSecret(data), values: await secretValues(data) };
        return { resources, component, secret };
      })());
    }
    return runs.get(name)!;
  }

  const names = Object.keys(cases);

  it.each(names)('%s: exactly these children, each parented to the component; the data holders, the Config and the Secret kept on delete', async (name) => {
    const c = cases[name];
    const { resources, component } = await run(name);
    const root = resources.filter((r) => r.parent === undefined);
    expect(root.map((r) => `${r.type} ${r.name}`)).toEqual([`openshift-registry-storage:index:${component.componentType} registry`]);
    expect(component.storageType).toBe(c.storageType);
    const children = resources.filter((r) => r.parent !== undefined);
    expect(children.filter((r) => r.parent !== 'registry')).toEqual([]);
    expect(children.map((r) => `${r.type} ${r.name}`).sort()).toEqual([...c.storage, ...kubernetesSide(c)].sort());
    expect(children.filter((r) => r.retainOnDelete).map((r) => r.name).sort())
      .toEqual([...c.kept, 'registry-config', ...(c.secret ? ['registry-credentials'] : [])].sort());
    // reads only: the payload's cli, and the topology when replicas is not given
    expect(children.filter((r) => r.readId !== undefined).map((r) => `${r.name} ${r.readId}`).sort())
      .toEqual(['registry-payload-cli openshift/cli:latest', ...(c.readsTopology ?? true ? ['registry-infrastructure cluster'] : [])].sort());
  });

  it.each(names)('%s: the resources to review, with what is kept on delete and what is read', async (name) => {
    const { resources } = await run(name);
    expect(resources.map((r) => `${r.type} ${r.name}${r.retainOnDelete ? ' (kept)' : ''}${r.readId ? ` (read ${r.readId})` : ''}`)).toMatchSnapshot();
  });

  it.each(names)('%s: the Config patch sets exactly this spec, after everything the storage needs', async (name) => {
    const c = cases[name];
    const { resources } = await run(name);
    const patch = configPatch(resources);
    expect(patch.inputs.metadata).toMatchObject({ name: 'cluster' });
    expect(patch.inputs.spec).toEqual(c.spec);
    expect(validateRegistryConfigPatch(registryConfig(specOf(resources)), { openshiftVersion: c.openshiftVersion })).toEqual([]);
    // the operator never sees a Config whose storage, grants or Secret do not exist yet
    const before = dependencyClosure(resources, patch.name);
    expect(c.storage.map((l) => l.split(' ')[1]).filter((n) => !before.has(n))).toEqual([]);
    if (c.secret) expect(before).toContain('registry-credentials');
    // the wait: status.storage is this block, then the conditions, for waitTimeoutSeconds
    const annotations = (resources.find((r) => r.name === 'registry-storage-applied')!.inputs.metadata as any).annotations;
    const storage = c.spec.storage as Record<string, any>;
    const block = storage[c.storageType];
    const fields = Object.keys(block).map((k) => `jsonpath={.status.storage.${c.storageType}.${k}}=${block[k]}`);
    expect([...JSON.parse(annotations['pulumi.com/waitFor'])].sort()).toEqual([
      ...(fields.length > 0 ? fields : [`jsonpath={.status.storage.${c.storageType}}`]),
      ...(storage.managementState ? [`jsonpath={.status.storage.managementState}=${storage.managementState}`] : []),
      'condition=StorageExists', 'condition=Progressing=False', 'condition=Degraded=False', 'condition=Available',
    ].sort());
    expect(annotations['pulumi.com/timeoutSeconds']).toBe(String(c.waitTimeoutSeconds ?? 600));
  });

  it.each(names)('%s: a user Secret only with keys, holding the operator\'s key names; no secret value recorded', async (name) => {
    const c = cases[name];
    const { resources, secret } = await run(name);
    expect(JSON.stringify(resources)).not.toMatch(SECRET_VALUES);
    if (!c.secret) {
      expect(byType(resources, SECRET_PATCH)).toEqual([]);
      expect(secret).toBeUndefined();
      return;
    }
    const patch = one(resources, SECRET_PATCH);
    expect(patch.inputs.metadata).toMatchObject({ name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' });
    expect(patch.inputs.data).toBe('[secret]');
    expect(secret).toEqual({ isSecret: true, values: c.secret });
    // the check above would have caught this case's secret value
    expect(Object.values(c.secret).join(' ')).toMatch(SECRET_VALUES);
  });

  it.each(names)('%s: the removal Job removes every other storage block, never this one', async (name) => {
    const c = cases[name];
    const { resources } = await run(name);
    const command = ((one(resources, 'kubernetes:batch/v1:Job').inputs.spec as any).template.spec.containers[0].command as string[]).join(' ');
    const ops = JSON.parse(/(\[\{"op".*?\}\])/.exec(command)![1]) as Array<{ op: string; path: string }>;
    const removed = ops.filter((o) => o.op === 'remove').map((o) => o.path.replace('/spec/storage/', ''));
    const all = ['azure', 'emptyDir', 'gcs', 'ibmcos', 'oss', 'pvc', 's3', 'swift'];
    expect(removed.sort()).toEqual(all.filter((t) => t !== c.storageType));
    // and deletes a stale user Secret only when the component writes none
    expect(command.includes('oc delete secret/image-registry-private-configuration-user')).toBe(!c.secret);
  });

  it.each(names.filter((n) => cases[n].check))('%s: the storage is hardened, and the registry\'s identity is granted what it needs', async (name) => {
    const { resources } = await run(name);
    cases[name].check!(resources);
  });
});

describe('single-node OpenShift', () => {
  it('without replicas the component reads the cluster\'s topology: 1 replica on SingleReplica, 2 otherwise; with replicas it reads nothing', async () => {
    const sno = await capturePulumiProgram(() => new PvcRegistryStorage('registry', { accessMode: 'ReadWriteMany', storageClassName: 'cephfs' }), {
      ...MOCKS, state: { ...MOCKS.state, 'kubernetes:config.openshift.io/v1:Infrastructure': () => ({ status: { infrastructureTopology: 'SingleReplica' } }) },
    });
    expect(sno.find((r) => r.name === 'registry-infrastructure')!.readId).toBe('cluster');
    expect(specOf(sno).replicas).toBe(1);
    const ha = await capturePulumiProgram(() => new PvcRegistryStorage('registry', { accessMode: 'ReadWriteMany', storageClassName: 'cephfs' }), MOCKS);
    expect(specOf(ha).replicas).toBe(2);
    const given = await capturePulumiProgram(() => new PvcRegistryStorage('registry', { accessMode: 'ReadWriteMany', storageClassName: 'cephfs', replicas: 3 }), MOCKS);
    expect(given.filter((r) => r.type === 'kubernetes:config.openshift.io/v1:Infrastructure')).toEqual([]);
    expect(specOf(given).replicas).toBe(3);
  });
});
