import { App, Chart } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { PRINT_WARNINGS_CONTEXT, PvcRegistryStorage, RegistryStorage, S3RegistryStorage } from '../../lib/cdk8s';
import { failure } from '../helpers';

/** Synthesizes as `cdk8s synth` does (validation included), and reads the objects back in their order. */
function synth(make: (c: Chart) => RegistryStorage) {
  const app = new App();
  app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
  const chart = new Chart(app, 'c', { namespace: 'argocd-apps' });
  const storage = make(chart);
  const objects = loadAll(app.synthYaml()) as any[];
  const at = (kind: string, name: string) => {
    const i = objects.findIndex((o) => o.kind === kind && o.metadata.name === name);
    if (i < 0) throw new Error(`no ${kind}/${name}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
    return i;
  };
  const wave = (kind: string, name: string) => objects[at(kind, name)].metadata.annotations?.['argocd.argoproj.io/sync-wave'];
  return { storage, objects, at, wave, warnings: storage.warnings.map((w) => w.code) };
}

describe('migrateFrom on a cdk8s construct', () => {
  it('Argo CD sync waves: the claim it creates, the copy, the read-only window, the final checks, the switch, then writable again', () => {
    const s = synth((c) => new PvcRegistryStorage(c, 'registry', {
      claim: 'registry-cephfs',
      accessMode: 'ReadWriteMany',
      replicas: 2,
      storageClassName: 'ocs-storagecluster-cephfs',
      migrateFrom: { managementState: 'Managed', emptyDir: undefined, s3: { bucket: 'acme-old', region: 'eu-west-1' } } as any,
    }));
    expect([
      s.wave('PersistentVolumeClaim', 'registry-cephfs'),
      s.wave('NetworkPolicy', 'registry-storage-migrate-copier'),
      s.wave('Job', 'registry-storage-migrate-copy'),
      s.wave('Namespace', 'registry-storage-migrate'),
      s.wave('ClusterRole', 'registry-storage-migrate-window'),
      s.wave('Job', 'registry-storage-migrate-read-only'),
      s.wave('Job', 'registry-storage-migrate-final'),
      s.wave('Config', 'cluster'),
      s.wave('Job', 'registry-storage-migrate-writable'),
    ]).toEqual(['-50', '-40', '-39', '-30', '-29', '-28', '-20', undefined, '10']);
    // the same order in the file, for a reader (and a tool that applies in order)
    const order = [['PersistentVolumeClaim', 'registry-cephfs'], ['Job', 'registry-storage-migrate-copy'], ['Job', 'registry-storage-migrate-read-only'],
      ['Job', 'registry-storage-migrate-final'], ['Config', 'cluster']].map(([k, n]) => s.at(k, n));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // a sync that fails once the window is open makes the registry writable again on the old storage
    const hook = s.objects[s.at('Job', 'registry-storage-migrate-writable-on-failure')];
    expect(hook.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'SyncFail', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    // the new claim mounted at the destination; AWS S3 read with the cluster's identity
    const copy = s.objects[s.at('Job', 'registry-storage-migrate-copy')];
    expect(copy.metadata.namespace).toBe('openshift-image-registry');
    expect(copy.spec.template.spec.volumes).toContainEqual({ name: 'destination', persistentVolumeClaim: { claimName: 'registry-cephfs' } });
    expect(copy.spec.template.spec.volumes).toContainEqual({ name: 'cloud-credentials', secret: { secretName: 'installer-cloud-credentials' } });
    // cluster-scoped objects carry no namespace; namespaced ones keep their own, not the chart's
    for (const o of s.objects) expect(o.metadata.namespace).not.toBe('argocd-apps');
    expect(s.objects[s.at('ClusterRole', 'registry-storage-migrate-window')].metadata.namespace).toBeUndefined();
    expect(s.warnings).toContain('ORS-CDK8S-W004');
    expect(s.storage.migration?.finalJob.name).toBe('registry-storage-migrate-final');
  });

  it('S3-compatible storage with keys: the new keys in a Secret of their own for the copy, the user Secret only with the switch', () => {
    const s = synth((c) => new S3RegistryStorage(c, 'registry', {
      bucket: 'registry',
      region: 'us-east-1',
      regionEndpoint: 'https://rgw.example.com',
      credentials: { accessKey: 'AKIAEXAMPLE', secretKey: 'example-secret' },
      migrateFrom: { swift: { container: 'registry', authURL: 'https://keystone.example.com:5000/v3', authVersion: '3', domain: 'Default', tenant: 'r' } },
      acknowledgeWarnings: ['ORS-CDK8S-W004'],
    }));
    const keys = s.objects[s.at('Secret', 'registry-storage-migration-destination')];
    expect(keys).toMatchObject({ metadata: { namespace: 'openshift-image-registry', annotations: { 'argocd.argoproj.io/sync-wave': '-40' } } });
    expect(Object.keys(keys.stringData).sort()).toEqual(['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']);
    expect(s.at('Secret', 'image-registry-private-configuration-user')).toBeGreaterThan(s.at('Job', 'registry-storage-migrate-final'));
    expect(s.wave('Secret', 'image-registry-private-configuration-user')).toBeUndefined();
    expect(s.warnings).not.toContain('ORS-CDK8S-W004');
  });

  it('what cannot be moved is refused, naming migrateFrom', () => {
    const e = failure(() => synth((c) => new PvcRegistryStorage(c, 'registry', { claim: 'x', accessMode: 'ReadWriteMany', replicas: 2, migrateFrom: { emptyDir: {} } })));
    expect(e.problems.map((p) => `${p.path} ${p.code}`)).toEqual(['migrateFrom ORS-MIGRATE-004']);
    expect(e.message).toMatch(/^PvcRegistryStorage: /);
  });
});
