import { FakeCluster, fakeCluster } from './fake-oc';
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
 * The window scripts against a stand-in `oc` keeping the Config, the pruner and the Deployment in
 * files: what they patch, in which order, that running them twice changes nothing more, and that a
 * window belongs to whoever opened it.
 */
describe('the read-only window\'s scripts', () => {
  const objects = storageMigrationObjects(planStorageMigration({ from: { pvc: { claim: 'old' } }, to: planPvcStorage({ claim: 'new', accessMode: 'ReadWriteMany' }) }));
  const scriptOf = (list: readonly any[]) => container(find(list, 'Job')).command[2] as string;
  const ok = (c: FakeCluster, script: string) => {
    const res = c.run(script);
    if (res.status !== 0) throw new Error(`exit ${res.status}: ${res.stderr}`);
    return res.stdout;
  };

  it('freeze takes the window, suspends the pruner keeping its old value once, sets read-only and waits for the Deployment; thaw restores all', () => {
    const c = fakeCluster({ pruner: '', suspend: 'false' });
    try {
      expect(ok(c, scriptOf(objects.freeze))).toContain('read-only: the registry refuses pushes');
      expect([c.read('suspend'), c.read('mark'), c.read('readonly'), c.read('owner')]).toEqual(['true', 'false', 'true', 'migration']);
      // the owner annotation is taken on the resourceVersion read, so two windows cannot both take it
      expect(c.calls().find((x) => x.startsWith('annotate configs'))).toBe(
        'annotate configs.imageregistry.operator.openshift.io/cluster registry-storage.openshift.io/read-only-by=migration --resource-version=7');
      // a second run (a retried Job, a second sync) keeps the first value, not its own suspension
      ok(c, scriptOf(objects.freeze));
      expect(c.read('mark')).toBe('false');
      expect(c.calls().filter((x) => x.startsWith('annotate imagepruners'))).toHaveLength(1);
      expect(ok(c, scriptOf(objects.thaw))).toContain('writable');
      expect([c.read('suspend'), c.read('mark'), c.read('readonly'), c.read('owner')]).toEqual(['false', undefined, 'false', undefined]);
    } finally {
      c.remove();
    }
  });

  it('a window another opened is neither taken nor closed', () => {
    const c = fakeCluster({ readonly: 'true', owner: 'hard-prune' });
    try {
      const res = c.run(scriptOf(objects.freeze));
      expect([res.status, res.stderr.trim()]).toEqual([5, 'read-only: another window is open (registry-storage.openshift.io/read-only-by: hard-prune): not now']);
      expect(ok(c, scriptOf(objects.thaw))).toContain('no read-only window of migration is open');
      expect([c.read('readonly'), c.read('owner')]).toEqual(['true', 'hard-prune']);
      expect(c.calls().filter((x) => x.startsWith('patch'))).toEqual([]);
    } finally {
      c.remove();
    }
  });

  it('a pruner suspended before stays suspended; no pruner: only the Config', () => {
    const c = fakeCluster({ pruner: '', suspend: 'true' });
    const none = fakeCluster({});
    try {
      ok(c, scriptOf(objects.freeze));
      ok(c, scriptOf(objects.thaw));
      expect(c.read('suspend')).toBe('true');
      ok(none, scriptOf(objects.freeze));
      ok(none, scriptOf(objects.thaw));
      expect(none.calls().filter((x) => x.startsWith('patch'))).toEqual([
        'patch configs.imageregistry.operator.openshift.io/cluster --type=merge -p {"spec":{"readOnly":true}}',
        'patch configs.imageregistry.operator.openshift.io/cluster --type=merge -p {"spec":{"readOnly":false},"metadata":{"annotations":{"registry-storage.openshift.io/read-only-by":null}}}',
      ]);
      expect(SUSPEND_BEFORE_MIGRATION_ANNOTATION).toBe('registry-storage.openshift.io/suspend-before-migration');
    } finally {
      c.remove();
      none.remove();
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
