import { fakeCluster } from './fake-oc';
import { hardPruneObjects } from '../../lib';
import { failure } from '../helpers';

const job = (objects: readonly any[]) => objects.find((o) => o.kind === 'Job' || o.kind === 'CronJob');
const scriptOf = (objects: readonly any[]) => {
  const j = job(objects);
  const spec = j.kind === 'CronJob' ? j.spec.jobTemplate.spec : j.spec;
  return spec.template.spec.containers[0].command[2] as string;
};

describe('hardPruneObjects', () => {
  it('one oc Job in a namespace of its own, allowed to open the window and exec into the registry\'s pods; the registry may list Images', () => {
    const objects = hardPruneObjects();
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//registry-storage-prune',
      'ImageStream/registry-storage-prune/registry-storage-cli',
      'NetworkPolicy/registry-storage-prune/registry-storage-hard-prune',
      'ServiceAccount/registry-storage-prune/registry-storage-hard-prune',
      'ClusterRole//registry-storage-hard-prune',
      'ClusterRoleBinding//registry-storage-hard-prune',
      'Role/openshift-image-registry/registry-storage-hard-prune',
      'RoleBinding/openshift-image-registry/registry-storage-hard-prune',
      'ClusterRoleBinding//registry-storage-hard-prune-registry',
      'Job/registry-storage-prune/registry-storage-hard-prune',
    ]);
    const role = objects.find((o) => o.kind === 'Role') as any;
    expect(role.rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['image-registry'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'delete'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ]);
    const pruner = objects.find((o) => o.metadata.name === 'registry-storage-hard-prune-registry') as any;
    expect([pruner.roleRef.name, pruner.subjects]).toEqual(['system:image-pruner', [{ kind: 'ServiceAccount', name: 'registry', namespace: 'openshift-image-registry' }]]);
    expect((job(objects) as any).spec.backoffLimit).toBe(0);
    expect((job(objects) as any).spec.activeDeadlineSeconds).toBe(21600);
  });

  it('with a schedule, a CronJob that never runs twice at once', () => {
    const cron = job(hardPruneObjects({ schedule: '0 4 * * 0', cliImage: 'quay.io/openshift/origin-cli@sha256:' + 'a'.repeat(64) }));
    expect(cron.kind).toBe('CronJob');
    expect(cron.spec).toMatchObject({ schedule: '0 4 * * 0', concurrencyPolicy: 'Forbid' });
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].image).toBe('quay.io/openshift/origin-cli@sha256:' + 'a'.repeat(64));
  });

  it('refuses what would not run, naming the option', () => {
    const e = failure(() => hardPruneObjects({ schedule: 'weekly', namespace: 'kube-system', deadlineSeconds: 10, cliImage: '' }));
    expect(e.problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      'schedule ORS-PRUNER-005', 'cliImage ORS-PRUNER-006', 'namespace ORS-JOB-002', 'deadlineSeconds ORS-PRUNER-007',
    ]);
  });
});

/**
 * The Job's script against a stand-in `oc` (test/platforms/fake-oc.ts): the order of what it does,
 * and that the window closes whatever happens, and never closes another's.
 */
describe('the hard prune\'s script', () => {
  function prune(state: Record<string, string>) {
    const c = fakeCluster({ pruner: '', suspend: 'false', readonly: 'false', ...state });
    const res = c.run(scriptOf(hardPruneObjects()));
    const out = { res, calls: c.calls(), read: (f: string) => c.read(f), out: res.stdout };
    c.remove();
    return out;
  }
  const steps = (calls: string[]) => calls.map((c) => (c.startsWith('patch configs') ? `config ${/"readOnly":(\w+)/.exec(c)![1]}`
    : c.startsWith('exec') ? `exec ${/prune=(\w+)/.exec(c)![1]}` : c.startsWith('patch imagepruners') ? 'pruner'
      : c.startsWith('annotate configs') ? 'take window' : c.startsWith('delete pod') ? 'delete pod' : undefined)).filter(Boolean);

  it('takes the window, checks, deletes in the read-only pod, reports what was freed, and closes the window', () => {
    const w = prune({});
    expect(w.res.status).toBe(0);
    expect(steps(w.calls)).toEqual(['take window', 'pruner', 'config true', 'exec check', 'exec delete', 'config false', 'pruner']);
    expect(w.out).toContain('Would delete 3 blobs');
    expect(w.out).toContain('Freed up 12 MiB of disk space');
    // each pass bounded so that the script ends, and closes the window, before the Job's deadline
    expect(w.calls.filter((c) => c.startsWith('exec'))).toHaveLength(2);
    expect(scriptOf(hardPruneObjects())).toContain('timeout 9540 oc exec');
    expect(scriptOf(hardPruneObjects({ deadlineSeconds: 3000 }))).toContain('timeout 240 oc exec');
  });

  it('a failed delete stops the pruner in its pod, then closes the window, and the Job fails', () => {
    const w = prune({ 'fail-delete': '' });
    expect(w.res.status).not.toBe(0);
    expect(steps(w.calls)).toEqual(['take window', 'pruner', 'config true', 'exec check', 'exec delete', 'delete pod', 'config false', 'pruner']);
  });

  it('a window another opened, or one set by hand, is left alone; one a killed earlier run left is closed, without pruning', () => {
    const migrating = prune({ readonly: 'true', owner: 'migration' });
    expect([migrating.res.status, migrating.calls.filter((c) => !c.startsWith('get'))]).toEqual([0, []]);
    expect(migrating.out).toContain('read-only already (migration)');
    const byHand = prune({ readonly: 'true' });
    expect(byHand.calls.filter((c) => !c.startsWith('get'))).toEqual([]);
    const stale = prune({ readonly: 'true', owner: 'hard-prune', suspend: 'true', mark: 'false' });
    expect(steps(stale.calls)).toEqual(['config false', 'pruner']);
    expect(stale.out).toContain('an earlier run left its window open');
  });
});
