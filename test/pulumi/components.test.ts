import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { MOCKS, byType, one, secretValues } from './mocks';
import { registryConfig, validateRegistryConfigPatch } from '../../lib';
import { S3RegistryStorage } from '../../lib/pulumi/aws';
import { AzureRegistryStorage } from '../../lib/pulumi/azure';
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
        expect(warn).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`^managementState: ${managementState}: the operator does not reconcile`)), expect.anything());
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

describe('snapshots: recorded resources, sorted, secrets redacted', () => {
  const cases: Array<[string, () => unknown]> = [
    ['s3 defaults', () => new S3RegistryStorage('registry')],
    ['s3 full', () => new S3RegistryStorage('registry', {
      bucket: 'acme-registry',
      region: 'eu-west-1',
      keyID: 'arn:aws:kms:eu-west-1:111122223333:key/abcd',
      registryPrincipalArn: 'arn:aws:iam::111122223333:role/acme-openshift-image-registry-installer-cloud-credentials',
      chunkSizeMiB: 16,
      replicas: 3,
      tags: { team: 'platform' },
      waitTimeoutSeconds: 900,
    })],
    ['gcs defaults', () => new GcsRegistryStorage('registry', { region: 'us-east1' })],
    ['gcs full', () => new GcsRegistryStorage('registry', {
      bucket: 'acme-registry',
      region: 'us-east1',
      projectID: 'acme',
      keyID: 'projects/acme/locations/us-east1/keyRings/r/cryptoKeys/k',
      labels: { team: 'platform' },
      registryServiceAccount: 'acme-openshift-i-abcde@acme.iam.gserviceaccount.com',
    })],
    ['gcs key', () => new GcsRegistryStorage('registry', { region: 'us-east1', credentials: 'service-account-key' })],
    ['azure defaults', () => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift' })],
    ['azure full', () => new AzureRegistryStorage('registry', {
      resourceGroupName: 'openshift',
      accountName: 'acmeregistry',
      container: 'images',
      cloudName: 'AzureUSGovernmentCloud',
      skuName: 'Standard_ZRS',
      tags: { team: 'platform' },
      clusterResourceGroupName: 'openshift',
      workloadIdentity: true,
    })],
    ['azure key', () => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift', credentials: 'account-key' })],
    ['s3 iam-user', () => new S3RegistryStorage('registry', { credentials: 'iam-user' })],
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
    expect(validateRegistryConfigPatch(registryConfig(specOf(resources)))).toEqual([]);
    expect(JSON.stringify(resources)).not.toMatch(/not-a-real|mock-secret-access-key|mock-account-key/);
    expect(resources).toMatchSnapshot();
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
