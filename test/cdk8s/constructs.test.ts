import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { RegistryStorageValidationError, validateRegistryConfigPatch } from '../../lib';
import {
  AzureRegistryStorage, EmptyDirRegistryStorage, GcsRegistryStorage, PRINT_WARNINGS_CONTEXT, PvcRegistryStorage, RegistryStorage, S3RegistryStorage,
  SwiftRegistryStorage,
  ImageRegistryConfig,
} from '../../lib/cdk8s';
import { synthRedacted } from '../../lib/testing/cdk8s';

/** A chart with a namespace, to prove cluster-scoped objects never get it. */
function chart(): Chart {
  return new Chart(Testing.app(), 'cluster-a', { namespace: 'team-a' });
}

function byKind(manifests: any[], kind: string): any[] {
  return manifests.filter((m) => m.kind === kind);
}

function one(manifests: any[], kind: string): any {
  const found = byKind(manifests, kind);
  expect(found).toHaveLength(1);
  return found[0];
}

const KEEP = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };

/** Every Config is valid on the CRD of the release the construct was given (by default the oldest supported). */
function expectEveryConfigValid(manifests: any[], openshiftVersion?: string): void {
  for (const c of byKind(manifests, 'Config')) expect(validateRegistryConfigPatch(c, { openshiftVersion })).toEqual([]);
}

describe('OpenShift docs examples as expected output', () => {
  it('S3 with bucket and region', () => {
    const c = chart();
    new S3RegistryStorage(c, 'registry', { bucket: 'my-registry-bucket', region: 'us-east-1' });
    const out = Testing.synth(c);
    expect(out).toHaveLength(1);
    expect(one(out, 'Config')).toEqual({
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster', annotations: KEEP },
      // replicas always: a later apply without it would remove the field the CRD requires
      spec: {
        managementState: 'Managed',
        replicas: 2,
        storage: { managementState: 'Unmanaged', s3: { bucket: 'my-registry-bucket', region: 'us-east-1', encrypt: true } },
      },
    });
  });

  it('Azure Government with cloudName', () => {
    const c = chart();
    new AzureRegistryStorage(c, 'registry', { accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud', credentials: { accountKey: 'not-a-real-key' } });
    const out = Testing.synth(c);
    expect(one(out, 'Config').spec.storage.azure).toEqual({ accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud' });
    const secret = one(out, 'Secret');
    expect(secret.metadata).toEqual({ name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' });
    expect(Object.keys(secret.stringData)).toEqual(['REGISTRY_STORAGE_AZURE_ACCOUNTKEY']);
  });

  it('Swift with disableRedirect: true and REGISTRY_STORAGE_SWIFT_USERNAME', () => {
    const c = chart();
    new SwiftRegistryStorage(c, 'registry', {
      container: 'image-registry',
      authURL: 'https://keystone.example.com:5000/v3',
      domain: 'Default',
      tenant: 'registry',
      credentials: { username: 'registry', password: 'not-a-real-password' },
    });
    const out = Testing.synth(c);
    expect(one(out, 'Config').spec.disableRedirect).toBe(true);
    expect(Object.keys(one(out, 'Secret').stringData).sort()).toEqual(['REGISTRY_STORAGE_SWIFT_PASSWORD', 'REGISTRY_STORAGE_SWIFT_USERNAME']);
  });

  it('OpenStack Cinder: StorageClass, PVC csi-pvc-imageregistry, Config with claim, Recreate, 1 replica', () => {
    const c = chart();
    const storage = new PvcRegistryStorage(c, 'registry', { claim: 'csi-pvc-imageregistry', cinder: { availabilityZone: 'nova', storageClassName: 'custom-csi-storageclass' } });
    const out = Testing.synth(c);
    expect(one(out, 'StorageClass')).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'custom-csi-storageclass' },
      provisioner: 'cinder.csi.openstack.org',
      parameters: { availability: 'nova' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    expect(one(out, 'PersistentVolumeClaim')).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      // kept by Argo CD and Flux: deleting the claim deletes the images with most StorageClasses
      metadata: { name: 'csi-pvc-imageregistry', namespace: 'openshift-image-registry', annotations: { 'imageregistry.openshift.io': 'true', ...KEEP } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, storageClassName: 'custom-csi-storageclass', volumeMode: 'Filesystem' },
    });
    expect(one(out, 'Config').spec).toEqual({
      managementState: 'Managed',
      replicas: 1,
      rolloutStrategy: 'Recreate',
      storage: { managementState: 'Unmanaged', pvc: { claim: 'csi-pvc-imageregistry' } },
    });
    // apply order: StorageClass, then the claim, then the Config
    expect(out.map((m) => m.kind)).toEqual(['StorageClass', 'PersistentVolumeClaim', 'Config']);
    expect(storage.storageClass).toBeDefined();
    expect(storage.claim?.name).toBe('csi-pvc-imageregistry');
  });

  it('bare metal PVC with managementState: Managed (the registry starts Removed there)', () => {
    const c = chart();
    new PvcRegistryStorage(c, 'registry', { accessMode: 'ReadWriteMany', replicas: 2, storageClassName: 'ocs-storagecluster-cephfs' });
    const config = one(Testing.synth(c), 'Config');
    expect(config.spec.managementState).toBe('Managed');
    expect(config.spec.replicas).toBe(2);
  });

  it('emptyDir', () => {
    const c = chart();
    new EmptyDirRegistryStorage(c, 'registry', { acknowledgeNonProduction: true });
    expect(one(Testing.synth(c), 'Config').spec).toEqual({ managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } });
  });
});

describe('cdk8s rules', () => {
  it('cluster-scoped objects carry no namespace whatever the chart says; namespaced ones are in openshift-image-registry', () => {
    const c = chart();
    new PvcRegistryStorage(c, 'registry', { cinder: { availabilityZone: 'nova' } });
    const out = Testing.synth(c);
    expect(one(out, 'Config').metadata.namespace).toBeUndefined();
    expect(one(out, 'StorageClass').metadata.namespace).toBeUndefined();
    expect(one(out, 'PersistentVolumeClaim').metadata.namespace).toBe('openshift-image-registry');
  });

  it('works in a chart without a namespace too', () => {
    const c = new Chart(Testing.app(), 'plain');
    new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b' });
    expect(one(Testing.synth(c), 'Config').metadata).toEqual({ name: 'cluster', annotations: KEEP });
  });

  it('emits the Secret only with credentials, and before the Config', () => {
    const without = chart();
    const s = new S3RegistryStorage(without, 'registry', { bucket: 'b-b-b' });
    expect(byKind(Testing.synth(without), 'Secret')).toEqual([]);
    expect(s.secret).toBeUndefined();
    const withCreds = chart();
    new S3RegistryStorage(withCreds, 'registry', { bucket: 'b-b-b', credentials: { accessKey: 'AKIA', secretKey: 'not-a-real-secret' } });
    expect(Testing.synth(withCreds).map((m) => m.kind)).toEqual(['Secret', 'Config']);
  });

  it('throws the core\'s validation error at construction, naming the prop', () => {
    expect(() => new S3RegistryStorage(chart(), 'registry', { regionEndpoint: 'fancy-emc-thing:9021' })).toThrow(RegistryStorageValidationError);
    expect(() => new S3RegistryStorage(chart(), 'registry', { regionEndpoint: 'fancy-emc-thing:9021' })).toThrow(/regionEndpoint: must be an http/);
    expect(() => new PvcRegistryStorage(chart(), 'registry', { replicas: 2 })).toThrow(/replicas: must be 1 with accessMode ReadWriteOnce/);
  });

  it('fails synthesis when the emitted Config is not valid (e.g. a JSON patch adds a second storage block)', () => {
    const c = chart();
    const s = new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b' });
    s.config.addJsonPatch(JsonPatch.add('/spec/storage/emptyDir', {}));
    expect(() => Testing.synth(c)).toThrow(/exactly one storage type should be configured at the same time, got 2: \[emptyDir s3\]/);
  });

  it('the Config the plan admitted is not admitted again, but a JSON patch or a change of the spec object after construction is', () => {
    const typo = chart();
    const t = new S3RegistryStorage(typo, 'registry', { bucket: 'b-b-b' });
    t.config.addJsonPatch(JsonPatch.add('/spec/storage/s3/regoin', 'eu-west-1'));
    expect(() => Testing.synth(typo)).toThrow(/spec\.storage\.s3\.regoin: unknown field: .*did you mean "region"/);
    const mutated = chart();
    const m = new S3RegistryStorage(mutated, 'registry', { bucket: 'b-b-b' });
    (m.plan.spec.storage as any).s3.chunkSizeMiB = 16; // 4.12, the default, has no chunkSizeMiB
    expect(() => Testing.synth(mutated)).toThrow(/spec\.storage\.s3\.chunkSizeMiB: is not in OpenShift 4\.12's Config CRD \(first in 4\.17\)/);
    const renamed = chart();
    const r = new S3RegistryStorage(renamed, 'registry', { bucket: 'b-b-b' });
    r.config.addJsonPatch(JsonPatch.replace('/metadata/name', 'other'));
    expect(() => Testing.synth(renamed)).toThrow(/the operator only reconciles the Config named "cluster"/);
  });

  it('fails synthesis when one App holds two registry storages', () => {
    const app = Testing.app();
    new S3RegistryStorage(new Chart(app, 'a'), 'registry', { bucket: 'b-b-b' });
    new GcsRegistryStorage(new Chart(app, 'b'), 'registry', {});
    expect(() => app.synthYaml()).toThrow(/one App may hold one registry storage .* found 2: a\/registry, b\/registry/);
  });

  it('isRegistryStorage recognises the constructs', () => {
    const s = new EmptyDirRegistryStorage(chart(), 'r', { acknowledgeNonProduction: true });
    expect(RegistryStorage.isRegistryStorage(s)).toBe(true);
    expect(RegistryStorage.isRegistryStorage({})).toBe(false);
  });

  it('fromExistingClaim references a claim without emitting one', () => {
    const c = chart();
    const s = PvcRegistryStorage.fromExistingClaim(c, 'registry', 'registry-cephfs', { accessMode: 'ReadWriteMany', replicas: 3 });
    const out = Testing.synth(c);
    expect(out.map((m) => m.kind)).toEqual(['Config']);
    expect(one(out, 'Config').spec.storage.pvc).toEqual({ claim: 'registry-cephfs' });
    expect(s.claim).toBeUndefined();
  });

  it('removeOtherStorageTypes: a PostSync Job outside openshift-image-registry whose ServiceAccount may only get and patch the cluster Config', () => {
    const c = chart();
    const s = new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b' });
    s.removeOtherStorageTypes();
    const out = Testing.synth(c);
    const role = one(out, 'ClusterRole');
    expect(role.rules).toEqual([{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: ['cluster'], verbs: ['get', 'patch'] }]);
    expect(role.metadata.namespace).toBeUndefined();
    // openshift-image-registry denies all egress by default: the Job runs in a namespace of its own
    const namespace = one(out, 'Namespace');
    expect(namespace.metadata.name).toBe('registry-storage-jobs');
    expect(namespace.metadata.namespace).toBeUndefined();
    expect(one(out, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'registry-storage-keep-s3', namespace: 'registry-storage-jobs' }]);
    const job = one(out, 'Job');
    expect(job.metadata.namespace).toBe('registry-storage-jobs');
    expect(one(out, 'NetworkPolicy').spec.egress).toEqual([{ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }]);
    // the release payload's oc, through an ImageStream that tracks openshift/cli:latest
    expect(one(out, 'ImageStream').spec.tags[0].from).toEqual({ kind: 'ImageStreamTag', namespace: 'openshift', name: 'cli:latest' });
    expect(job.spec.template.spec.containers[0].image).toBe('registry-storage-cli:latest');
    expect(job.spec.template.metadata.annotations).toEqual({ 'alpha.image.policy.openshift.io/resolve-names': '*' });
    const command = job.spec.template.spec.containers[0].command;
    expect(command.slice(0, 4)).toEqual(['oc', 'patch', 'configs.imageregistry.operator.openshift.io/cluster', '--type=json']);
    // a JSON patch: it fails, changing nothing, when the live Config has no s3 block
    const patch = JSON.parse(command[5]);
    expect(patch[0]).toEqual({ op: 'move', from: '/spec/storage/s3', path: '/spec/storage/s3' });
    expect(patch.filter((o: any) => o.op === 'remove').map((o: any) => o.path.split('/')[3]).sort())
      .toEqual(['azure', 'emptyDir', 'gcs', 'ibmcos', 'oss', 'pvc', 'swift']);
    // PostSync hooks, in waves: the namespace, then what the Job needs, then the Job
    const hooks = out.filter((m) => m.kind !== 'Config');
    for (const m of hooks) expect(m.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    const wave = (kind: string) => Number(one(out, kind).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('Namespace')).toBeLessThan(wave('ImageStream'));
    for (const kind of ['ImageStream', 'NetworkPolicy', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']) expect(wave(kind)).toBeLessThan(wave('Job'));
    // the Config (with both blocks, which the operator merely waits on) comes before the Job
    expect(out.map((m) => m.kind).indexOf('Config')).toBeLessThan(out.map((m) => m.kind).indexOf('Job'));
  });

  it('synth checks the whole App as `check` would, after JSON patches', () => {
    const synthErrors = (build: (c: Chart) => void): string => {
      const app = Testing.app();
      build(new Chart(app, 'c'));
      try {
        app.synth();
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    // a second Config added by hand
    expect(synthErrors((c) => {
      new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b' });
      new ImageRegistryConfig(c, 'extra', { spec: { managementState: 'Managed', storage: { emptyDir: {} } } });
    })).toMatch(/one App may hold one configs.imageregistry.operator.openshift.io object .* found 2/);
    // a typo'd field added by a JSON patch, which the API server would drop without a word
    expect(synthErrors((c) => {
      new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b' }).config.addJsonPatch(JsonPatch.add('/spec/storage/s3/bukcet', 'other'));
    })).toMatch(/spec.storage.s3.bukcet: unknown field/);
    // replicas patched onto a ReadWriteOnce claim (the operator's checkPVC)
    expect(synthErrors((c) => {
      new PvcRegistryStorage(c, 'registry', {}).config.addJsonPatch(JsonPatch.replace('/spec/replicas', 2));
    })).toMatch(/cannot use ReadWriteOnce access mode with more than one replica/);
    // an endpoint patched to host:port
    expect(synthErrors((c) => {
      new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b', region: 'r', regionEndpoint: 'https://s3.example.com' })
        .config.addJsonPatch(JsonPatch.replace('/spec/storage/s3/regionEndpoint', 'fancy-emc-thing:9021'));
    })).toMatch(/spec.storage.s3.regionEndpoint: must be an http:\/\/ or https:\/\/ URL/);
    // Removed with Managed storage: the operator would delete the images
    expect(synthErrors((c) => {
      new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b', storageManagementState: 'Managed' }).config.addJsonPatch(JsonPatch.replace('/spec/managementState', 'Removed'));
    })).toMatch(/spec.managementState: is Removed with storage.managementState Managed/);
    // a Secret key the operator does not read
    expect(synthErrors((c) => {
      const s = new SwiftRegistryStorage(c, 'registry', { authURL: 'https://k.example.com/v3', domain: 'Default', tenant: 't', credentials: { username: 'u', password: 'p' } });
      s.secret!.addJsonPatch(JsonPatch.add('/stringData/REGISTRY_STORAGE_SWIFT_USER', 'u'));
    })).toMatch(/REGISTRY_STORAGE_SWIFT_USER: the operator does not read/);
    // the claim (an object the App check skips while it renders what the plan made) patched to ReadWriteOnce
    expect(synthErrors((c) => {
      const s = new PvcRegistryStorage(c, 'registry', { accessMode: 'ReadWriteMany', replicas: 2 });
      s.claim!.addJsonPatch(JsonPatch.replace('/spec/accessModes', ['ReadWriteOnce']));
    })).toMatch(/ReadWriteOnce/);
    // the plan's spec object changed after the construct was made: rendered and checked again
    expect(synthErrors((c) => {
      const s = new PvcRegistryStorage(c, 'registry', {});
      (s.plan.spec as any).replicas = 3;
    })).toMatch(/ReadWriteOnce access mode with more than one replica/);
    // a user Secret added by hand beside a storage that reads no keys is rendered and checked
    expect(synthErrors((c) => {
      new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b' });
      new ApiObject(c, 'by-hand', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
        stringData: { REGISTRY_STORAGE_S3_ACCESSKEY: 'a' },
      });
    })).toMatch(/REGISTRY_STORAGE_S3_SECRETKEY/);
    // a second Config added by hand inside the storage, marked admitted: still counted
    expect(synthErrors((c) => {
      const s = new PvcRegistryStorage(c, 'registry', {});
      new ImageRegistryConfig(s, 'Extra', { spec: { managementState: 'Removed', storage: { emptyDir: {} } } as any, specAdmitted: true });
    })).toMatch(/one App may hold one configs.imageregistry.operator.openshift.io object/);
    expect(synthErrors((c) => new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b' }))).toBe('');
  });

  it('an App resolver that rewrites the Config is checked like a JSON patch', () => {
    const removed = {
      resolve: (ctx: any) => {
        if (ctx.key.join('.') === 'spec.managementState' && ctx.value === 'Managed') ctx.replaceValue('Removed');
      },
    };
    const app = new App({ resolvers: [removed] });
    const c = new Chart(app, 'c');
    new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b', storageManagementState: 'Managed' });
    expect(() => app.synthYaml()).toThrow(/spec.managementState: is Removed with storage.managementState Managed/);
  });

  it('removeOtherStorageTypes with cliImage: no ImageStream, the image as given', () => {
    const c = chart();
    new S3RegistryStorage(c, 'registry', { bucket: 'b-b-b' }).removeOtherStorageTypes({ cliImage: 'mirror.example.com/ocp/cli@sha256:abc', namespace: 'registry-storage-ops' });
    const out = Testing.synth(c);
    expect(byKind(out, 'ImageStream')).toEqual([]);
    expect(one(out, 'Job').spec.template.spec.containers[0].image).toBe('mirror.example.com/ocp/cli@sha256:abc');
    expect(one(out, 'Job').metadata.namespace).toBe('registry-storage-ops');
  });

  it('warnings print at synth and are exposed; an App context turns the printing off', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const app = Testing.app();
      const s = new PvcRegistryStorage(new Chart(app, 'c'), 'registry', { size: '20Gi' });
      expect(s.warnings).toEqual([expect.objectContaining({ path: 'size' })]);
      app.synth();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('size: is "20Gi", below the 100Gi'));
      warn.mockClear();
      const quiet = Testing.app();
      quiet.node.setContext(PRINT_WARNINGS_CONTEXT, false);
      new PvcRegistryStorage(new Chart(quiet, 'c'), 'registry', { size: '20Gi' });
      quiet.synth();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('snapshots (defaults and full props; Secret values redacted)', () => {
  const cases: Array<[string, (c: Chart) => RegistryStorage]> = [
    ['s3 defaults', (c) => new S3RegistryStorage(c, 'registry')],
    ['s3 full', (c) => new S3RegistryStorage(c, 'registry', {
      bucket: 'acme-registry',
      region: 'eu-west-1',
      keyID: 'arn:aws:kms:eu-west-1:111122223333:key/abcd',
      chunkSizeMiB: 16,
      trustedCA: 'registry-ca',
      cloudFront: { baseURL: 'https://d111111abcdef8.cloudfront.net', keypairID: 'K2JCJMDEHXQW5F', privateKey: { name: 'cloudfront', key: 'private.pem' } },
      credentials: { accessKey: 'AKIAEXAMPLE', secretKey: 'not-a-real-secret' },
      // chunkSizeMiB is first in the 4.17 Config CRD
      openshiftVersion: '4.17',
    })],
    ['gcs defaults', (c) => new GcsRegistryStorage(c, 'registry')],
    ['gcs full', (c) => new GcsRegistryStorage(c, 'registry', {
      bucket: 'acme-registry',
      region: 'us-east1',
      projectID: 'acme',
      keyID: 'projects/acme/locations/us-east1/keyRings/r/cryptoKeys/k',
      credentials: { keyfile: '{"type":"service_account"}' },
    })],
    ['azure defaults', (c) => new AzureRegistryStorage(c, 'registry')],
    ['azure full', (c) => new AzureRegistryStorage(c, 'registry', {
      accountName: 'acmeregistry',
      container: 'images',
      cloudName: 'AzureUSGovernmentCloud',
      credentials: { accountKey: 'k' },
    })],
    ['azure private endpoint', (c) => new AzureRegistryStorage(c, 'registry', {
      networkAccess: { type: 'Internal', internal: { vnetName: 'vnet', subnetName: 'subnet' } },
      // networkAccess is first in the 4.15 Config CRD
      openshiftVersion: '4.15',
    })],
    ['swift defaults', (c) => new SwiftRegistryStorage(c, 'registry')],
    ['swift full', (c) => new SwiftRegistryStorage(c, 'registry', {
      container: 'registry',
      authURL: 'https://keystone.example.com:5000/v3',
      authVersion: '3',
      domain: 'Default',
      tenant: 'registry',
      regionName: 'RegionOne',
      credentials: { applicationCredentialId: 'id', applicationCredentialName: 'name', applicationCredentialSecret: 'not-a-real-secret' },
    })],
    ['pvc defaults', (c) => new PvcRegistryStorage(c, 'registry')],
    ['pvc full', (c) => new PvcRegistryStorage(c, 'registry', { claim: 'registry', size: '500Gi', cinder: { availabilityZone: 'nova', volumeType: 'ssd' } })],
    ['emptydir', (c) => new EmptyDirRegistryStorage(c, 'registry', { acknowledgeNonProduction: true })],
  ];
  it.each(cases)('%s', (_name, build) => {
    const c = chart();
    const storage = build(c);
    expectEveryConfigValid(Testing.synth(c), storage.plan.openshiftVersion);
    const snapshot = synthRedacted(c);
    expect(JSON.stringify(snapshot)).not.toMatch(/not-a-real|AKIAEXAMPLE/);
    expect(snapshot).toMatchSnapshot();
  });
});

describe('App.synth', () => {
  it('writes a valid manifest through the normal App path', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-')) });
    new S3RegistryStorage(new Chart(app, 'registry', { namespace: 'x' }), 'storage', { bucket: 'b-b-b' });
    expect(app.synthYaml()).toContain('name: cluster');
  });
});
