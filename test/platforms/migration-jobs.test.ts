import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  DEFAULT_COPIER_IMAGE, planPvcStorage, planS3Storage, planStorageMigration, planSwiftStorage, storageMigrationObjects, storageMigrationOf,
  SUSPEND_BEFORE_MIGRATION_ANNOTATION,
} from '../../lib';
import { failure } from '../helpers';

const KEYS = { accessKey: 'AKIA', secretKey: 'not-a-secret' };
const find = (list: readonly any[], kind: string, name?: string) =>
  list.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const container = (job: any) => job.spec.template.spec.containers[0];
const envOf = (job: any) => Object.fromEntries(container(job).env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));

describe('storageMigrationObjects: the copy Jobs', () => {
  it('a ReadWriteOnce claim to AWS S3 with the cluster\'s identity: the registry\'s service account, token and credentials; the copier on the registry pod\'s node', () => {
    const to = planS3Storage({ bucket: 'registry-new', region: 'eu-west-1' });
    const objects = storageMigrationObjects(planStorageMigration({ from: { pvc: { claim: 'image-registry-storage' } }, to }));
    const policy = find(objects.copy, 'NetworkPolicy');
    const copy = find(objects.copy, 'Job');
    expect(copy.metadata).toMatchObject({ name: 'registry-storage-migrate-copy', namespace: 'openshift-image-registry' });
    const pod = (copy as any).spec.template.spec;
    expect(pod.serviceAccountName).toBe('registry');
    expect(container(copy).image).toBe(DEFAULT_COPIER_IMAGE);
    expect(DEFAULT_COPIER_IMAGE).toMatch(/^docker\.io\/rclone\/rclone:1\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
    expect(container(copy).command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(container(copy).command.slice(3)).toEqual(['migrate', 'pre']);
    expect(container(copy).command[2]).toMatch(/^umask 0002\nset -eu\n/);
    // the claim read-only at the source, on the node of the registry pod that has it attached
    expect(pod.volumes).toContainEqual({ name: 'source', persistentVolumeClaim: { claimName: 'image-registry-storage', readOnly: true } });
    expect(container(copy).volumeMounts).toContainEqual({ name: 'source', mountPath: '/migrate/source', readOnly: true });
    expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{
      labelSelector: { matchLabels: { 'docker-registry': 'default' } }, namespaces: ['openshift-image-registry'], topologyKey: 'kubernetes.io/hostname',
    }]);
    // the registry's identity as the operator gives it: bound token (audience openshift), installer-cloud-credentials
    expect(pod.volumes).toContainEqual({
      name: 'bound-sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'openshift', expirationSeconds: 3600, path: 'token' } }] },
    });
    expect(pod.volumes).toContainEqual({ name: 'cloud-credentials', secret: { secretName: 'installer-cloud-credentials' } });
    expect(container(copy).volumeMounts).toContainEqual({ name: 'bound-sa-token', mountPath: '/var/run/secrets/openshift/serviceaccount', readOnly: true });
    expect(envOf(copy)).toMatchObject({
      SOURCE: '/migrate/source',
      DESTINATION: 'dst:registry-new',
      LINK_COMPARE: '--checksum',
      RCLONE_CONFIG_DST_ENV_AUTH: 'true',
      AWS_SHARED_CREDENTIALS_FILE: '/var/run/secrets/cloud/credentials',
      AWS_ACCESS_KEY_ID: { name: 'installer-cloud-credentials', key: 'aws_access_key_id', optional: true },
    });
    // no key of the user Secret: the identity is the cluster's
    expect(JSON.stringify(copy)).not.toContain('image-registry-private-configuration-user');
    expect(objects.destinationKeys).toBeUndefined();
    // past the namespace's default-deny policy, to any port: a Service's port is not the pod's (NooBaa: 443 to 6443)
    expect(policy).toMatchObject({ kind: 'NetworkPolicy', metadata: { namespace: 'openshift-image-registry' } });
    expect((policy as any).spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'registry-storage-migrate-copier' } }, policyTypes: ['Egress'], egress: [{}],
    });
    // the cluster's trusted CAs, as the operator gives them to the registry
    expect(pod.volumes).toContainEqual({ name: 'trusted-ca', configMap: { name: 'trusted-ca', items: [{ key: 'ca-bundle.crt', path: 'ca-bundle.crt' }], optional: true } });
    expect(envOf(copy).CA_BUNDLE).toBe('/etc/pki/registry-storage-migration/ca-bundle.crt');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container(copy).securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    // the final pass: the same pod, mode final, a deadline of its own, and first a check that the registry is read-only
    const [final] = objects.final;
    expect(container(final).command.slice(3)).toEqual(['migrate', 'final']);
    const check = (final as any).spec.template.spec.initContainers[0];
    expect(check).toMatchObject({ name: 'read-only', image: 'registry-storage-cli:latest' });
    expect(check.command[2]).toContain('oc get configs.imageregistry.operator.openshift.io/cluster -o \'jsonpath={.spec.readOnly}\'');
    expect(check.command[2]).toContain('oc rollout status deployment/image-registry -n openshift-image-registry');
    expect((final as any).spec.template.metadata.annotations).toEqual({ 'alpha.image.policy.openshift.io/resolve-names': '*' });
    expect((final as any).spec.template.spec.automountServiceAccountToken).toBe(true);
    // what the check may do as the registry's service account: read the Config and the Deployment, nothing else
    expect(objects.copy.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'NetworkPolicy/openshift-image-registry/registry-storage-migrate-copier',
      'ImageStream/openshift-image-registry/registry-storage-cli',
      'ClusterRole//registry-storage-migrate-check',
      'ClusterRoleBinding//registry-storage-migrate-check',
      'Role/openshift-image-registry/registry-storage-migrate-check',
      'RoleBinding/openshift-image-registry/registry-storage-migrate-check',
      'Job/openshift-image-registry/registry-storage-migrate-copy',
    ]);
    expect((find(objects.copy, 'ClusterRole') as any).rules).toEqual([
      { apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: ['cluster'], verbs: ['get'] },
    ]);
    expect((find(objects.copy, 'ClusterRoleBinding') as any).subjects).toEqual([{ kind: 'ServiceAccount', name: 'registry', namespace: 'openshift-image-registry' }]);
    expect((final as any).spec.activeDeadlineSeconds).toBe(3600);
    expect((copy as any).spec.activeDeadlineSeconds).toBe(21600);
  });

  it('Swift to S3-compatible storage with keys: the old keys from the user Secret, the new ones from a Secret of their own; the endpoints\' ports open', () => {
    const to = planS3Storage({ bucket: 'registry', region: 'us-east-1', regionEndpoint: 'https://rgw.example.com:8080', credentials: KEYS });
    const from = { swift: { container: 'registry', authURL: 'http://keystone.example.com:5000/v3', authVersion: '3', domain: 'Default', tenant: 'registry' } };
    const objects = storageMigrationObjects(planStorageMigration({ from, to, toKeys: true }));
    const env = envOf(find(objects.copy, 'Job'));
    expect(env.RCLONE_CONFIG_SRC_USER).toEqual({ name: 'image-registry-private-configuration-user', key: 'REGISTRY_STORAGE_SWIFT_USERNAME' });
    expect(env.RCLONE_CONFIG_DST_SECRET_ACCESS_KEY).toEqual({ name: 'registry-storage-migration-destination', key: 'REGISTRY_STORAGE_S3_SECRETKEY' });
    expect(objects.destinationKeys).toEqual({ secretName: 'registry-storage-migration-destination', keys: ['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY'] });
    // no identity mounted where both ends use keys; no claim, no affinity
    const pod = (find(objects.copy, 'Job') as any).spec.template.spec;
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['tmp', 'trusted-ca']);
    expect(pod.affinity).toBeUndefined();
    expect(JSON.stringify(objects)).not.toContain(KEYS.secretKey);
    const named = storageMigrationObjects(planStorageMigration({ from, to, toKeys: true }), { sourceKeysSecret: 'old-swift-keys', destinationKeysSecret: 'new-rgw-keys' });
    expect(envOf(find(named.copy, 'Job')).RCLONE_CONFIG_SRC_KEY).toEqual({ name: 'old-swift-keys', key: 'REGISTRY_STORAGE_SWIFT_PASSWORD' });
    expect(named.destinationKeys?.secretName).toBe('new-rgw-keys');
  });

  it('the window\'s Jobs: oc in a namespace of their own, allowed only to patch the cluster Config and ImagePruner and to read the registry\'s Deployment', () => {
    const objects = storageMigrationObjects(planStorageMigration({ from: { pvc: { claim: 'old' } }, to: planPvcStorage({ claim: 'new', accessMode: 'ReadWriteMany' }) }));
    expect(objects.freeze.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//registry-storage-migrate',
      'ImageStream/registry-storage-migrate/registry-storage-cli',
      'NetworkPolicy/registry-storage-migrate/registry-storage-migrate-window',
      'ServiceAccount/registry-storage-migrate/registry-storage-migrate-window',
      'ClusterRole//registry-storage-migrate-window',
      'ClusterRoleBinding//registry-storage-migrate-window',
      'Role/openshift-image-registry/registry-storage-migrate-window',
      'RoleBinding/openshift-image-registry/registry-storage-migrate-window',
      'Job/registry-storage-migrate/registry-storage-migrate-read-only',
    ]);
    expect((find(objects.freeze, 'ClusterRole') as any).rules).toEqual([
      { apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs', 'imagepruners'], resourceNames: ['cluster'], verbs: ['get', 'patch'] },
    ]);
    expect((find(objects.freeze, 'Role') as any).rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['image-registry'], verbs: ['get', 'list', 'watch'] },
    ]);
    const freeze = find(objects.freeze, 'Job') as any;
    expect(freeze.spec.template.spec.serviceAccountName).toBe('registry-storage-migrate-window');
    // the operator's rendering of spec.readOnly (pkg/resource/podtemplatespec.go)
    expect(container(freeze).command[2]).toContain('env[?(@.name=="REGISTRY_STORAGE_MAINTENANCE_READONLY")].value}\' | grep -q \'enabled: true\'');
    expect(objects.thaw.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Job/registry-storage-migrate-writable']);
    const withImage = storageMigrationObjects(planStorageMigration({ from: { pvc: { claim: 'old' } }, to: planPvcStorage({ claim: 'new', accessMode: 'ReadWriteMany' }) }),
      { cliImage: 'quay.io/openshift/origin-cli@sha256:' + 'a'.repeat(64), namespace: 'registry-storage-move', copierImage: 'mirror.example.com/rclone@sha256:' + 'b'.repeat(64) });
    expect(withImage.freeze.map((o) => o.kind)).not.toContain('ImageStream');
    expect(container(find(withImage.thaw, 'Job')).image).toBe('quay.io/openshift/origin-cli@sha256:' + 'a'.repeat(64));
    expect(container(find(withImage.copy, 'Job')).image).toBe('mirror.example.com/rclone@sha256:' + 'b'.repeat(64));
    expect(withImage.copy.map((o) => o.kind)).not.toContain('ImageStream');
    expect((find(withImage.final, 'Job') as any).spec.template.spec.initContainers[0].image).toBe('quay.io/openshift/origin-cli@sha256:' + 'a'.repeat(64));
    expect(find(withImage.freeze, 'Namespace').metadata.name).toBe('registry-storage-move');
  });
});

/**
 * The window scripts against a stand-in `oc` keeping the pruner, the Config and the Deployment in
 * files: what they patch, in which order, and that running them twice changes nothing more.
 */
describe('the read-only window\'s scripts', () => {
  const FAKE_OC = `#!/bin/sh
state="$OC_STATE"
echo "$*" >> "$state/calls"
case "$1 $2" in
  "get imagepruners.imageregistry.operator.openshift.io/cluster")
    [ -f "$state/pruner" ] || exit 1
    case "$*" in
      *suspend-before-migration*) cat "$state/mark" 2>/dev/null || true ;;
      *spec.suspend*) cat "$state/suspend" 2>/dev/null || true ;;
    esac ;;
  "annotate imagepruners.imageregistry.operator.openshift.io/cluster") echo "\${3#*=}" > "$state/mark" ;;
  "patch imagepruners.imageregistry.operator.openshift.io/cluster")
    case "$*" in *'"suspend":true'*) echo true > "$state/suspend" ;; *'"suspend":false'*) echo false > "$state/suspend" ;; esac
    case "$*" in *'suspend-before-migration":null'*) rm -f "$state/mark" ;; esac ;;
  "patch configs.imageregistry.operator.openshift.io/cluster")
    case "$*" in *'"readOnly":true'*) echo true > "$state/readonly" ;; *'"readOnly":false'*) echo false > "$state/readonly" ;; esac ;;
  "get deployment/image-registry")
    [ "$(cat "$state/readonly" 2>/dev/null)" = true ] && echo '{enabled: true}' ;;
  "rollout status") ;;
  *) echo "unexpected: $*" >&2; exit 9 ;;
esac
`;
  const objects = storageMigrationObjects(planStorageMigration({ from: { pvc: { claim: 'old' } }, to: planPvcStorage({ claim: 'new', accessMode: 'ReadWriteMany' }) }));
  const scriptOf = (list: readonly any[]) => container(find(list, 'Job')).command[2] as string;

  function world(pruner: { suspend?: 'true' | 'false' } | undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-oc-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'oc'), FAKE_OC, { mode: 0o755 });
    if (pruner) {
      fs.writeFileSync(path.join(dir, 'pruner'), '');
      if (pruner.suspend) fs.writeFileSync(path.join(dir, 'suspend'), `${pruner.suspend}\n`);
    }
    const run = (script: string) => {
      const res = spawnSync('/bin/sh', ['-ec', script], { env: { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, OC_STATE: dir }, encoding: 'utf8', timeout: 10_000 });
      if (res.status !== 0) throw new Error(`exit ${res.status}: ${res.stderr}`);
      return res.stdout;
    };
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8').trim() : undefined);
    return { run, read, dir };
  }

  it('freeze suspends the pruner keeping its old value once, sets read-only and waits for the Deployment; thaw restores both', () => {
    const w = world({ suspend: 'false' });
    try {
      expect(w.run(scriptOf(objects.freeze))).toContain('read-only: the registry refuses pushes');
      expect([w.read('suspend'), w.read('mark'), w.read('readonly')]).toEqual(['true', 'false', 'true']);
      // a second run (a retried Job, a second sync) keeps the first value, not its own suspension
      w.run(scriptOf(objects.freeze));
      expect(w.read('mark')).toBe('false');
      expect(w.read('calls')!.split('\n').filter((c) => c.startsWith('annotate'))).toHaveLength(1);
      expect(w.run(scriptOf(objects.thaw))).toContain('writable');
      expect([w.read('suspend'), w.read('mark'), w.read('readonly')]).toEqual(['false', undefined, 'false']);
    } finally {
      fs.rmSync(w.dir, { recursive: true, force: true });
    }
  });

  it('a pruner suspended before stays suspended; no pruner: only the Config', () => {
    const w = world({ suspend: 'true' });
    const none = world(undefined);
    try {
      w.run(scriptOf(objects.freeze));
      w.run(scriptOf(objects.thaw));
      expect(w.read('suspend')).toBe('true');
      none.run(scriptOf(objects.freeze));
      none.run(scriptOf(objects.thaw));
      expect(none.read('calls')!.split('\n').filter((c) => c.startsWith('patch'))).toEqual([
        'patch configs.imageregistry.operator.openshift.io/cluster --type=merge -p {"spec":{"readOnly":true}}',
        'patch configs.imageregistry.operator.openshift.io/cluster --type=merge -p {"spec":{"readOnly":false}}',
      ]);
      expect(SUSPEND_BEFORE_MIGRATION_ANNOTATION).toBe('registry-storage.openshift.io/suspend-before-migration');
    } finally {
      fs.rmSync(w.dir, { recursive: true, force: true });
      fs.rmSync(none.dir, { recursive: true, force: true });
    }
  });
});

describe('migrateFrom on a storage plan', () => {
  it('the plan carries the request; storageMigrationOf plans it, naming problems by the props', () => {
    const plan = planS3Storage({ bucket: 'new', region: 'us-east-1', migrateFrom: { managementState: 'Managed', pvc: { claim: 'image-registry-storage' } } });
    expect(plan.migrateFrom).toEqual({ storage: { managementState: 'Managed', pvc: { claim: 'image-registry-storage' } }, options: {} });
    const planned = storageMigrationOf(plan)!;
    expect(planned.plan.source.type).toBe('pvc');
    expect(planned.objects.copy.map((o) => o.kind).pop()).toBe('Job');
    expect(storageMigrationOf(planS3Storage({ bucket: 'new', region: 'us-east-1' }))).toBeUndefined();

    const codes = (props: Record<string, unknown>) => failure(() => storageMigrationOf(planS3Storage({ bucket: 'new', region: 'us-east-1', ...props })))
      .problems.map((p) => `${p.path} ${p.code}`);
    expect(codes({ migrateFrom: { emptyDir: {} } })).toEqual(['migrateFrom ORS-MIGRATE-004']);
    expect(codes({ migrateFrom: { pvc: { claim: 'x' } }, migration: { copierImage: 'has space', copyDeadlineSeconds: 5, destinationKeysSecret: 'image-registry-private-configuration-user' } }))
      .toEqual(['migration.copierImage ORS-MIGRATE-006', 'migration.destinationKeysSecret ORS-MIGRATE-008', 'migration.copyDeadlineSeconds ORS-MIGRATE-009']);
    expect(codes({ migrateFrom: { pvc: { claim: 'x' } }, migration: { namespace: 'openshift-image-registry' } })).toEqual(['migration.namespace ORS-JOB-002']);
    // the new storage written with keys nobody gave
    expect(failure(() => storageMigrationOf(planS3Storage({ bucket: 'new', region: 'us-east-1', regionEndpoint: 'https://rgw.example.com', migrateFrom: { pvc: { claim: 'x' } } })))
      .problems.map((p) => `${p.path} ${p.code}`)).toEqual(['migration.toKeys ORS-MIGRATE-010']);
  });

  it('the props\' own shape is checked with every other prop', () => {
    const codes = (props: Record<string, unknown>) => failure(() => planSwiftStorage({ container: 'c', ...props } as any)).problems.map((p) => `${p.path} ${p.code}`);
    expect(codes({ migrateFrom: 'pvc' })).toContain('migrateFrom ORS-PROPS-031');
    expect(codes({ migrateFrom: { pvc: {} }, migration: [] })).toContain('migration ORS-PROPS-032');
    expect(codes({ migration: { copierImage: 'x' } })).toContain('migration ORS-PROPS-033');
    expect(codes({ migrateFrom: { pvc: {} }, migration: { copierimage: 'x' } }).join()).toMatch(/migration\.copierimage ORS-PROPS-016/);
  });
});
