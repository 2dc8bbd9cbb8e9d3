import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ]);
    const pruner = objects.find((o) => o.metadata.name === 'registry-storage-hard-prune-registry') as any;
    expect([pruner.roleRef.name, pruner.subjects]).toEqual(['system:image-pruner', [{ kind: 'ServiceAccount', name: 'registry', namespace: 'openshift-image-registry' }]]);
    expect((job(objects) as any).spec.backoffLimit).toBe(0);
    expect((job(objects) as any).spec.activeDeadlineSeconds).toBe(3600);
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
 * The Job's script against a stand-in `oc` keeping the Config, the pruner, the Deployment and the
 * registry pod in files: the order of what it does, and that the window closes whatever happens.
 */
describe('the hard prune\'s script', () => {
  const FAKE_OC = `#!/bin/sh
state="$OC_STATE"
echo "$*" >> "$state/calls"
case "$1 $2" in
  "get configs.imageregistry.operator.openshift.io/cluster") cat "$state/readonly" 2>/dev/null || true ;;
  "get imagepruners.imageregistry.operator.openshift.io/cluster")
    case "$*" in *suspend-before-migration*) cat "$state/mark" 2>/dev/null || true ;; *spec.suspend*) cat "$state/suspend" ;; esac ;;
  "annotate imagepruners.imageregistry.operator.openshift.io/cluster") echo "\${3#*=}" > "$state/mark" ;;
  "patch imagepruners.imageregistry.operator.openshift.io/cluster")
    case "$*" in *'"suspend":true'*) echo true > "$state/suspend" ;; *'"suspend":false'*) echo false > "$state/suspend" ;; esac
    case "$*" in *'suspend-before-migration":null'*) rm -f "$state/mark" ;; esac ;;
  "patch configs.imageregistry.operator.openshift.io/cluster")
    case "$*" in *'"readOnly":true'*) echo true > "$state/readonly" ;; *'"readOnly":false'*) echo false > "$state/readonly" ;; esac ;;
  "get deployment/image-registry"|"get pod") [ "$(cat "$state/readonly" 2>/dev/null)" = true ] && echo '{enabled: true}' ;;
  "get pods") echo image-registry-7f9c-abcde ;;
  "rollout status") ;;
  "exec -n")
    case "$*" in
      *prune=check*) echo "Would delete 3 blobs"; echo "Would free up 12 MiB of disk space" ;;
      *prune=delete*) [ -f "$state/fail-delete" ] && { echo "failed" >&2; exit 1; }; echo "Deleted 3 blobs"; echo "Freed up 12 MiB of disk space" ;;
    esac ;;
  *) echo "unexpected: $*" >&2; exit 9 ;;
esac
`;
  function world(readOnly: 'true' | 'false', failDelete = false) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-prune-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'oc'), FAKE_OC, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'readonly'), `${readOnly}\n`);
    fs.writeFileSync(path.join(dir, 'suspend'), 'false\n');
    if (failDelete) fs.writeFileSync(path.join(dir, 'fail-delete'), '');
    const res = spawnSync('/bin/sh', ['-ec', scriptOf(hardPruneObjects())], { env: { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, OC_STATE: dir }, encoding: 'utf8', timeout: 10_000 });
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8').trim() : undefined);
    const calls = (read('calls') ?? '').split('\n').filter(Boolean);
    fs.rmSync(dir, { recursive: true, force: true });
    return { res, calls, readOnly: read, out: res.stdout };
  }

  it('opens the window, checks, deletes in the read-only pod, reports what was freed, and closes the window', () => {
    const w = world('false');
    expect(w.res.status).toBe(0);
    const steps = w.calls.map((c) => (c.startsWith('patch configs') ? `config ${/"readOnly":(\w+)/.exec(c)![1]}`
      : c.startsWith('exec') ? `exec ${/prune=(\w+)/.exec(c)![1]}` : c.startsWith('patch imagepruners') ? 'pruner' : undefined)).filter(Boolean);
    expect(steps).toEqual(['pruner', 'config true', 'exec check', 'exec delete', 'config false', 'pruner']);
    expect(w.out).toContain('Would delete 3 blobs');
    expect(w.out).toContain('Freed up 12 MiB of disk space');
  });

  it('a failed delete still closes the window, and the Job fails', () => {
    const w = world('false', true);
    expect(w.res.status).not.toBe(0);
    expect(w.calls.filter((c) => c.startsWith('patch configs')).map((c) => /"readOnly":(\w+)/.exec(c)![1])).toEqual(['true', 'false']);
  });

  it('a registry read-only already (another window) is left alone', () => {
    const w = world('true');
    expect(w.res.status).toBe(0);
    expect(w.out).toContain('read-only already');
    expect(w.calls.filter((c) => !c.startsWith('get'))).toEqual([]);
  });
});
