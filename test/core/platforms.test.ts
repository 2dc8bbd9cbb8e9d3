import * as fs from 'fs';
import * as path from 'path';
import {
  planAzureStorage, planEmptyDirStorage, planGcsStorage, planPvcStorage, planSwiftStorage, removeOtherStorageCommand,
  removeOtherStorageMergePatch, DEFERRED, gcpServiceAccountId, swiftContainerAccessRules, azureStorageAccountName, azureCloudNameForBlobEndpoint,
  planS3Storage, removeOtherStorageJsonPatch, removeOtherStorageObjects, RegistryStorageValidationError, credentialSecretData,
  credentialsFromSecretData, SWIFT_SECRET_KEYS, S3_SECRET_KEYS,
} from '../../lib';
import { expectProblem, expectValidConfig, expectWarning, problemsOf } from '../helpers';

const keyfile = JSON.stringify({ type: 'service_account', project_id: 'p', private_key: 'not-a-key', client_email: 'r@p.iam.gserviceaccount.com' });

describe('planGcsStorage', () => {
  it('defaults and full props pass the CRD; Secret holds only the keyfile', () => {
    const defaults = planGcsStorage({});
    expect(defaults.spec).toEqual({ managementState: 'Managed', replicas: 2, storage: { gcs: {} } });
    expectValidConfig(defaults);
    const full = planGcsStorage({
      bucket: 'acme-registry',
      region: 'us-east1',
      projectID: 'acme',
      keyID: 'projects/acme/locations/us-east1/keyRings/r/cryptoKeys/k',
      credentials: { keyfile },
    });
    expect(full.spec.storage).toEqual({ managementState: 'Unmanaged', gcs: { bucket: 'acme-registry', region: 'us-east1', projectID: 'acme', keyID: 'projects/acme/locations/us-east1/keyRings/r/cryptoKeys/k' } });
    expect(full.secret?.stringData).toEqual({ REGISTRY_STORAGE_GCS_KEYFILE: keyfile });
    expectValidConfig(full);
  });
  it('region needs projectID when the operator creates the bucket; for a named bucket it is only a warning', () => {
    expectProblem(planGcsStorage, { region: 'us-east1' }, 'projectID', 'required with region');
    // the operator uses projectID only to create a bucket
    expectWarning(planGcsStorage, { bucket: 'acme-registry', region: 'us-east1' }, 'projectID', 'existing bucket');
  });
  it('service account IDs are valid and differ between stacks (seeds)', () => {
    for (const name of ['registry', 'Registry_Prod.EU', '9lives', 'a'.repeat(40), '---']) {
      expect(gcpServiceAccountId(name, 'seed')).toMatch(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/);
    }
    expect(gcpServiceAccountId('registry', 'p/dev/registry')).not.toBe(gcpServiceAccountId('registry', 'p/prod/registry'));
  });
  it('bucket naming rules', () => {
    expectProblem(planGcsStorage, { bucket: 'google-images' }, 'bucket', 'google');
    expectProblem(planGcsStorage, { bucket: 'a' }, 'bucket', '3 to 63');
  });
  it('keyID must be a KMS key name', () => expectProblem(planGcsStorage, { keyID: 'my-key' }, 'keyID', 'projects/P/locations/L'));
  it('keyfile must be a key JSON', () => {
    expectProblem(planGcsStorage, { credentials: { keyfile: '/path/key.json' } }, 'credentials.keyfile', 'JSON text');
    expectProblem(planGcsStorage, { credentials: { keyfile: '{"type":"authorized_user"}' } }, 'credentials.keyfile', 'service account key');
  });
});

describe('planAzureStorage', () => {
  it('defaults and full props pass the CRD', () => {
    expectValidConfig(planAzureStorage({}));
    const full = planAzureStorage({
      accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud', credentials: { accountKey: 'a2V5' },
    });
    expect(full.spec.storage).toEqual({ managementState: 'Unmanaged', azure: { accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud' } });
    expect(full.secret?.stringData).toEqual({ REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'a2V5' });
    expectValidConfig(full);
  });
  it('accountName is 3-24 lowercase letters and digits', () => expectProblem(planAzureStorage, { accountName: 'Acme-Registry' }, 'accountName', '3 to 24'));
  it('generated account names are valid for any component name and differ by seed', () => {
    for (const name of ['registry', 'My-Registry', 'x', 'a'.repeat(40), '---']) {
      const accountName = azureStorageAccountName(name, 'p/dev/registry/rg');
      expect(accountName).toMatch(/^[a-z0-9]{3,24}$/);
      expect(problemsOf(planAzureStorage, { accountName })).toEqual([]);
    }
    expect(azureStorageAccountName('registry', 'p/dev/registry/rg')).not.toBe(azureStorageAccountName('registry', 'p/prod/registry/rg'));
  });
  it('cloudName from a blob endpoint', () => {
    expect(azureCloudNameForBlobEndpoint('https://a.blob.core.windows.net/')).toBe('AzurePublicCloud');
    expect(azureCloudNameForBlobEndpoint('https://a.blob.core.usgovcloudapi.net/')).toBe('AzureUSGovernmentCloud');
    expect(azureCloudNameForBlobEndpoint('https://a.blob.core.chinacloudapi.cn/')).toBe('AzureChinaCloud');
    expect(azureCloudNameForBlobEndpoint('https://a.blob.local.azurestack.external/')).toBeUndefined();
    expect(azureCloudNameForBlobEndpoint(undefined)).toBeUndefined();
  });
  it('container follows the CRD pattern', () => expectProblem(planAzureStorage, { container: 'a--b' }, 'container', 'single hyphens'));
  it('cloudName is one the operator knows', () => expectProblem(planAzureStorage, { cloudName: 'AzureUSSecCloud' as any }, 'cloudName', 'must be one of'));
  it('AzureStackCloud only with azureStackHub', () => {
    expectProblem(planAzureStorage, { cloudName: 'AzureStackCloud' }, 'cloudName', 'endpoints file');
    expect(problemsOf(planAzureStorage, { cloudName: 'AzureStackCloud', azureStackHub: true })).toEqual([]);
  });
  it('an account key needs accountName and container, and must not be empty', () => {
    const problems = problemsOf(planAzureStorage, { credentials: { accountKey: '' } });
    expect(problems.map((p) => p.path).sort()).toEqual(['accountName', 'container', 'credentials.accountKey']);
  });
  it('networkAccess Internal does nothing with an account key (the operator creates nothing then)', () => {
    expectProblem(planAzureStorage, { accountName: 'acmeregistry', container: 'images', networkAccess: { type: 'Internal' }, credentials: { accountKey: 'k' }, openshiftVersion: '4.15' }, 'networkAccess.type', 'no private endpoint');
  });
  it('networkAccess Internal: redirect disabled by default; internal without Internal refused', () => {
    // networkAccess is first in the 4.15 Config CRD
    const plan = planAzureStorage({ networkAccess: { type: 'Internal', internal: { vnetName: 'vnet', subnetName: 'subnet' } }, openshiftVersion: '4.15' });
    expect(plan.spec.disableRedirect).toBe(true);
    expectValidConfig(plan);
    expectProblem(planAzureStorage, { networkAccess: { internal: { vnetName: 'vnet' } }, openshiftVersion: '4.15' }, 'networkAccess.internal', 'type: "Internal"');
  });
  it('CRD patterns the props rules do not repeat are still reported against the prop', () => {
    expectProblem(planAzureStorage, { networkAccess: { type: 'Internal', internal: { vnetName: '.invalid' } }, openshiftVersion: '4.15' }, 'networkAccess.internal.vnetName', 'should match');
  });
});

describe('planSwiftStorage', () => {
  const base = { authURL: 'https://keystone.example.com:5000/v3', domain: 'Default', tenant: 'registry' };
  it('defaults: disableRedirect true (the OpenShift docs require it for Swift)', () => {
    const plan = planSwiftStorage({});
    expect(plan.spec).toEqual({ managementState: 'Managed', replicas: 2, disableRedirect: true, storage: { swift: {} } });
    expectValidConfig(plan);
  });
  it('password credentials use REGISTRY_STORAGE_SWIFT_USERNAME, not _USER', () => {
    const plan = planSwiftStorage({ ...base, container: 'registry', regionName: 'RegionOne', credentials: { username: 'u', password: 'p' } });
    expect(Object.keys(plan.secret!.stringData)).toEqual(['REGISTRY_STORAGE_SWIFT_PASSWORD', 'REGISTRY_STORAGE_SWIFT_USERNAME']);
    expect(plan.spec.storage).toEqual({ managementState: 'Unmanaged', swift: { ...base, container: 'registry', regionName: 'RegionOne' } });
    expectValidConfig(plan);
  });
  it('application credentials use the three APPLICATIONCREDENTIAL keys', () => {
    const plan = planSwiftStorage({ authURL: base.authURL, credentials: { applicationCredentialId: 'i', applicationCredentialName: 'n', applicationCredentialSecret: 's' } });
    expect(Object.keys(plan.secret!.stringData)).toEqual([
      'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET',
    ]);
  });
  it('credentials need authURL (never read from the Secret)', () => {
    expectProblem(planSwiftStorage, { credentials: { applicationCredentialId: 'i', applicationCredentialName: 'n', applicationCredentialSecret: 's' } }, 'authURL', 'never from the Secret');
  });
  it('password credentials on v3 need a domain and a tenant', () => {
    const problems = problemsOf(planSwiftStorage, { authURL: base.authURL, credentials: { username: 'u', password: 'p' } });
    expect(problems.map((p) => p.path).sort()).toEqual(['domain', 'tenant']);
  });
  it('authURL path must be empty or begin with /v1-3 (as the operator checks) and agree with authVersion', () => {
    expectProblem(planSwiftStorage, { authURL: 'https://k.example.com/identity/v3' }, 'authURL', 'begin with /v1, /v2 or /v3');
    expectProblem(planSwiftStorage, { authURL: 'https://k.example.com/v3', authVersion: '2' }, 'authVersion', 'agree');
    // the operator accepts any path beginning with /v2: /v2.0 is a warning, not an error
    expectWarning(planSwiftStorage, { authURL: 'https://k.example.com:5000/v2.0', authVersion: '2' }, 'authURL', 'used as it is');
    expect(planSwiftStorage({ authURL: 'https://k.example.com:5000/v3/' }).warnings).toEqual([]);
  });
  it('access rules allow the account HEAD the registry makes at start, and the container only', () => {
    const rules = swiftContainerAccessRules('registry');
    expect(rules).toContainEqual({ service: 'object-store', method: 'HEAD', path: '/v1/*' });
    expect(rules).toContainEqual({ service: 'object-store', method: 'GET', path: '/info' });
    expect(rules.filter((r) => r.path !== '/info' && r.path !== '/v1/*').every((r) => r.path.startsWith('/v1/*/registry'))).toBe(true);
    expect(rules.filter((r) => r.path === '/v1/*').map((r) => r.method)).toEqual(['HEAD']);
  });
  it('container has no slash', () => expectProblem(planSwiftStorage, { container: 'a/b' }, 'container', 'without "/"'));
});

describe('planPvcStorage', () => {
  it('defaults: ReadWriteOnce 100Gi claim with the annotation, 1 replica, Recreate, Unmanaged', () => {
    const plan = planPvcStorage({});
    expect(plan.spec).toEqual({
      managementState: 'Managed',
      replicas: 1,
      rolloutStrategy: 'Recreate',
      storage: { managementState: 'Unmanaged', pvc: { claim: 'image-registry-pvc' } },
    });
    expect(plan.objects).toEqual([{
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'image-registry-pvc', namespace: 'openshift-image-registry', annotations: { 'imageregistry.openshift.io': 'true' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, volumeMode: 'Filesystem' },
    }]);
    expect(plan.secret).toBeUndefined();
    expectValidConfig(plan);
  });
  it('ReadWriteMany allows HA replicas and keeps RollingUpdate', () => {
    const plan = planPvcStorage({ accessMode: 'ReadWriteMany', replicas: 2, storageClassName: 'cephfs', size: '500Gi' });
    expect(plan.spec.replicas).toBe(2);
    expect(plan.spec.rolloutStrategy).toBeUndefined();
    expect((plan.objects[0] as any).spec.storageClassName).toBe('cephfs');
    expectValidConfig(plan);
  });
  it('ReadWriteOnce refuses more than one replica and RollingUpdate', () => {
    expectProblem(planPvcStorage, { replicas: 2 }, 'replicas', 'ReadWriteMany');
    expectProblem(planPvcStorage, { rolloutStrategy: 'RollingUpdate' }, 'rolloutStrategy', 'Recreate');
  });
  it('size is a quantity; under 100Gi (the docs\' advice, not an operator rule) is a warning', () => {
    expectWarning(planPvcStorage, { size: '50Gi' }, 'size', 'below the 100Gi');
    expectProblem(planPvcStorage, { size: 'big' }, 'size', 'quantity');
    expect(problemsOf(planPvcStorage, { size: '0.5Ti' })).toEqual([]);
    expect(problemsOf(planPvcStorage, { size: '200G' })).toEqual([]);
  });
  it('cinder: the docs\' StorageClass, Retain by default, and the claim uses it', () => {
    const plan = planPvcStorage({ claim: 'csi-pvc-imageregistry', cinder: { availabilityZone: 'nova' } });
    expect(plan.objects[0]).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'image-registry-cinder' },
      provisioner: 'cinder.csi.openstack.org',
      parameters: { availability: 'nova' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    expect((plan.objects[1] as any).spec.storageClassName).toBe('image-registry-cinder');
    expect(plan.spec.storage?.pvc?.claim).toBe('csi-pvc-imageregistry');
  });
  it('cinder refuses ReadWriteMany and a conflicting storageClassName', () => {
    expectProblem(planPvcStorage, { cinder: { availabilityZone: 'nova' }, accessMode: 'ReadWriteMany' }, 'accessMode', 'Cinder');
    expectProblem(planPvcStorage, { cinder: { availabilityZone: 'nova' }, storageClassName: 'other' }, 'storageClassName', 'cinder creates');
    expectProblem(planPvcStorage, { cinder: { availabilityZone: '' } }, 'cinder.availabilityZone', 'required');
  });
  it('claim "" lets the operator create its own claim: no objects, storage state left to the operator', () => {
    const plan = planPvcStorage({ claim: '' });
    expect(plan.objects).toEqual([]);
    expect(plan.spec.storage).toEqual({ pvc: {} });
    // the operator's own claim is ReadWriteMany
    expect(plan.spec.replicas).toBe(2);
    expectProblem(planPvcStorage, { claim: '', size: '200Gi' }, 'size', 'operator then creates');
  });
  it('useExistingClaim references a claim without creating it', () => {
    const plan = planPvcStorage({ claim: 'registry', useExistingClaim: true, accessMode: 'ReadWriteMany', replicas: 2 });
    expect(plan.objects).toEqual([]);
    expect(plan.spec.storage).toEqual({ managementState: 'Unmanaged', pvc: { claim: 'registry' } });
    expectProblem(planPvcStorage, { useExistingClaim: true }, 'claim', 'required with useExistingClaim');
  });
});

describe('planEmptyDirStorage', () => {
  it('needs the acknowledgement', () => {
    expectProblem(planEmptyDirStorage, {} as any, 'acknowledgeNonProduction', 'loses every image');
  });
  it('one replica only', () => expectProblem(planEmptyDirStorage, { acknowledgeNonProduction: true, replicas: 2 }, 'replicas', 'must be 1'));
  it('plans a valid Config', () => {
    const plan = planEmptyDirStorage({ acknowledgeNonProduction: true });
    expect(plan.spec).toEqual({ managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } });
    expectValidConfig(plan);
  });
});

describe('deferred values (Pulumi Outputs not known yet)', () => {
  it('skip the rules that need the value but count as given', () => {
    expect(problemsOf(planS3Storage, { region: DEFERRED as any, regionEndpoint: DEFERRED as any, bucket: DEFERRED as any })).toEqual([]);
  });
});

describe('removing other storage types', () => {
  it('merge patch nulls every other block, never the kept one nor managementState', () => {
    expect(removeOtherStorageMergePatch('s3')).toEqual({ spec: { storage: { azure: null, emptyDir: null, gcs: null, ibmcos: null, oss: null, pvc: null, swift: null } } });
    expect(removeOtherStorageCommand('pvc')).toBe(`oc patch configs.imageregistry.operator.openshift.io/cluster --type=json -p '${JSON.stringify(removeOtherStorageJsonPatch('pvc'))}'`);
  });

  it('the JSON patch of the Job and the command fails, changing nothing, when the kept block is absent: it moves the block onto itself first', () => {
    // Not copy: the API server's evanphx/json-patch v4 copies an absent key as null instead of failing
    // (shown with that library in the e2e suite, group ssa, scenario removal-json-patch).
    const patch = removeOtherStorageJsonPatch('emptyDir');
    expect(patch[0]).toEqual({ op: 'move', from: '/spec/storage/emptyDir', path: '/spec/storage/emptyDir' });
    // every other block: add null (works whether or not it is there), then remove
    const others = ['azure', 'gcs', 'ibmcos', 'oss', 'pvc', 's3', 'swift'];
    expect(patch.slice(1)).toEqual(others.flatMap((t) => [{ op: 'add', path: `/spec/storage/${t}`, value: null }, { op: 'remove', path: `/spec/storage/${t}` }]));
    expect(patch.some((o) => o.path === '/spec/storage/managementState')).toBe(false);
  });

  it('the docs\' by-hand command is removeOtherStorageCommand(\'s3\')', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'core.md'), 'utf8');
    expect(page).toContain(removeOtherStorageCommand('s3'));
  });

  it.each([['emptydir', 'emptyDir'], ['S3', 's3'], ['', undefined], [undefined, undefined], ['oss', undefined], ['managementState', undefined]])(
    'every removal operation refuses keep %j (it would remove the live block too)', (keep, near) => {
      const ops = [removeOtherStorageMergePatch, removeOtherStorageJsonPatch, removeOtherStorageCommand, (k: any) => removeOtherStorageObjects(k)];
      for (const op of ops) {
        let error: unknown;
        try {
          op(keep as any);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(RegistryStorageValidationError);
        const [problem] = (error as RegistryStorageValidationError).problems;
        expect(problem.path).toBe('keep');
        expect(problem.message).toMatch(/^must be one of "s3", "gcs", "swift", "azure", "ibmcos", "pvc", "emptyDir"/);
        if (near) expect(problem.message).toContain(`did you mean "${near}"?`);
      }
    });
});

describe('credential fields and Secret keys', () => {
  it('maps each given field to the key the operator reads, and back; absent fields stay absent', () => {
    expect(credentialSecretData(SWIFT_SECRET_KEYS, { username: 'u', password: 'p' })).toEqual({
      REGISTRY_STORAGE_SWIFT_USERNAME: 'u', REGISTRY_STORAGE_SWIFT_PASSWORD: 'p',
    });
    expect(credentialsFromSecretData(SWIFT_SECRET_KEYS, { REGISTRY_STORAGE_SWIFT_USER: 'u', REGISTRY_STORAGE_SWIFT_PASSWORD: 'p' })).toEqual({ password: 'p' });
    expect(credentialsFromSecretData(S3_SECRET_KEYS, credentialSecretData(S3_SECRET_KEYS, { accessKey: 'a', secretKey: 's' }))).toEqual({ accessKey: 'a', secretKey: 's' });
  });
});
