import { App, Chart } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { PRINT_WARNINGS_CONTEXT, PvcRegistryStorage } from '../../lib/cdk8s';
import { failure } from '../helpers';

describe('hardPrune on a cdk8s construct', () => {
  it('ordinary objects in Argo CD waves after the Config (and after a migration\'s window): a Job runs once', () => {
    const app = new App();
    app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
    const chart = new Chart(app, 'c', { namespace: 'apps' });
    const storage = new PvcRegistryStorage(chart, 'registry', {
      claim: 'registry-cephfs', accessMode: 'ReadWriteMany', replicas: 2, hardPrune: {}, migrateFrom: { pvc: { claim: 'image-registry-storage' } },
    });
    const objects = loadAll(app.synthYaml()) as any[];
    const wave = (o: any) => o.metadata.annotations?.['argocd.argoproj.io/sync-wave'];
    const job = objects.find((o) => o.kind === 'Job' && o.metadata.name === 'registry-storage-hard-prune');
    expect(wave(job)).toBe('22');
    expect(objects.filter((o) => o.metadata.name?.startsWith('registry-storage-hard-prune')).map(wave)).toEqual(['21', '21', '21', '21', '21', '21', '21', '22']);
    expect(objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'registry-storage-prune').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('20');
    // the claim the construct creates stays in the migration's first wave; nothing of the prune moved there
    expect(wave(objects.find((o) => o.kind === 'PersistentVolumeClaim'))).toBe('-50');
    expect(objects.findIndex((o) => o === job)).toBeGreaterThan(objects.findIndex((o) => o.kind === 'Config'));
    expect(storage.hardPrune?.kind).toBe('Job');
  });

  it('a wrong option is refused, naming hardPrune', () => {
    const e = failure(() => new PvcRegistryStorage(new Chart(new App(), 'c'), 'registry', { claim: 'x', accessMode: 'ReadWriteMany', replicas: 2, hardPrune: { deadlineSeconds: 1 } }));
    expect(e.problems.map((p) => `${p.path} ${p.code}`)).toEqual(['hardPrune.deadlineSeconds ORS-PRUNER-007']);
  });
});
