import { loadAll } from 'js-yaml';
import { runCliInMemory } from './run';

const run = (argv: string[], files: Record<string, string> = {}) => runCliInMemory(argv, { files });

const LIVE = `apiVersion: imageregistry.operator.openshift.io/v1
kind: Config
metadata: {name: cluster}
spec:
  managementState: Managed
  replicas: 1
  storage: {managementState: Managed, pvc: {claim: image-registry-storage}}
status: {}
`;

describe('migrate', () => {
  it('from the live Config to what synth printed: the steps, each end, the scripts and the rollback; no secret value', () => {
    const synth = run(['synth', 's3', '--bucket', 'registry', '--region', 'us-east-1', '--region-endpoint', 'https://rgw.example.com'], {});
    expect(synth.code).toBe(0);
    const r = run(['migrate', '--from', 'live.yaml', '--to', 'new.yaml'], { 'live.yaml': LIVE, 'new.yaml': synth.stdout });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('# Moving the registry\'s images from pvc to s3');
    expect(r.stdout).toContain('source: pvc claim image-registry-storage, mounted at /migrate/source');
    expect(r.stdout).toContain('destination: s3 dst:registry');
    expect(r.stdout).toContain('  RCLONE_CONFIG_DST_ENDPOINT=https://rgw.example.com');
    expect(r.stdout).toContain('  RCLONE_CONFIG_DST_ACCESS_KEY_ID from the Secret\'s key REGISTRY_STORAGE_S3_ACCESSKEY');
    expect(r.stdout).toContain('rclone hashsum sha256 --download');
    expect(r.stdout).toContain('oc patch configs.imageregistry.operator.openshift.io cluster --type=merge -p \'{"metadata":{"annotations":{"registry-storage.openshift.io/read-only-by":null}},'
      + '"spec":{"readOnly":false,"storage":{"s3":null,"pvc":{"claim":"image-registry-storage"},"managementState":"Managed"}}}\'');
    const verify = run(['migrate', 'verify', '--from', 'live.yaml', '--to', 'new.yaml'], { 'live.yaml': LIVE, 'new.yaml': synth.stdout });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('rclone hashsum sha256');
    expect(verify.stdout).not.toContain('copy.sh');
  });

  it('--objects: the Jobs of each step in apply order, as YAML, with where the switch goes and the Secret the copy reads the new keys from', () => {
    const synth = run(['synth', 's3', '--bucket', 'registry', '--region', 'us-east-1', '--region-endpoint', 'https://rgw.example.com'], {});
    const r = run(['migrate', '--from', 'live.yaml', '--to', 'new.yaml', '--objects'], { 'live.yaml': LIVE, 'new.yaml': synth.stdout });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const docs = (require('js-yaml') as typeof import('js-yaml')).loadAll(r.stdout).filter((d) => d) as any[];
    expect(docs.filter((d) => d.kind === 'Job').map((d) => d.metadata.name)).toEqual([
      'registry-storage-migrate-copy', 'registry-storage-migrate-read-only', 'registry-storage-migrate-final', 'registry-storage-migrate-writable',
    ]);
    const lines = r.stdout.split('\n');
    const index = (text: string) => lines.findIndex((l) => l.startsWith(text));
    expect(index('# 3-4. final copy')).toBeLessThan(index('# 5. switch'));
    expect(index('# 5. switch')).toBeLessThan(index('# 6. writable again'));
    expect(r.stdout).toContain('openshift-image-registry/registry-storage-migration-destination: create it before step 1');
    expect(run(['migrate', 'verify', '--objects', '--from', 'a', '--to', 'b'], {}).code).toBe(2);
  });

  it('a storage block alone is taken too; what cannot move is refused with its code; usage errors exit 2', () => {
    const block = 'swift: {container: registry, authURL: "https://keystone.example.com/v3"}\n';
    const to = 'pvc: {claim: registry-new}\n';
    expect(run(['migrate', '--from', 'old.yaml', '--to', 'new.yaml'], { 'old.yaml': block, 'new.yaml': to }).stdout).toContain('source: swift src:registry/files');
    expect(run(['migrate', '--from', 'old.yaml', '--to', 'new.yaml'], { 'old.yaml': 'emptyDir: {}\n', 'new.yaml': to }))
      .toMatchObject({ code: 1, stderr: expect.stringMatching(/^from: emptyDir storage cannot be copied from: .*\[ORS-MIGRATE-004\]$/) });
    expect(run(['migrate', '--from', 'old.yaml'], { 'old.yaml': block })).toMatchObject({ code: 2, stderr: 'migrate: --to <file> is required (see migrate --help)' });
    expect(run(['migrate', '--help']).stdout).toContain('migrate verify --from <old.yaml> --to <new.yaml>');
  });
});

describe('prune', () => {
  it('prints the hard prune\'s objects as YAML in apply order; a CronJob with --schedule; a wrong option names its flag', () => {
    const once = run(['prune']);
    expect(once.code).toBe(0);
    const docs = loadAll(once.stdout) as any[];
    expect(docs.map((d) => d.kind).pop()).toBe('Job');
    const weekly = loadAll(run(['prune', '--schedule', '0 4 * * 0']).stdout) as any[];
    expect(weekly.pop()).toMatchObject({ kind: 'CronJob', spec: { schedule: '0 4 * * 0', concurrencyPolicy: 'Forbid' } });
    expect(run(['prune', '--schedule=weekly'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^--schedule: must be a cron schedule .*\[ORS-PRUNER-005\]$/) });
    expect(run(['prune', '--shedule', 'x']).code).toBe(2);
    expect(run(['prune', '--help']).stdout).toContain('dockerregistry -prune=check');
  });
});

describe('adopt', () => {
  const LIVE_AWS = `apiVersion: v1
kind: List
items:
- apiVersion: imageregistry.operator.openshift.io/v1
  kind: Config
  metadata: {name: cluster}
  spec:
    managementState: Managed
    storage:
      managementState: Managed
      s3: {bucket: acme-x7k2p-image-registry-us-east-1, region: us-east-1, encrypt: true, virtualHostedStyle: false}
- apiVersion: config.openshift.io/v1
  kind: Infrastructure
  metadata: {name: cluster}
  status: {infrastructureName: acme-x7k2p, platform: AWS}
`;

  it('prints the props that adopt the operator\'s bucket, and what changes; storage of one\'s own is refused', () => {
    const r = run(['adopt', 'live.yaml'], { 'live.yaml': LIVE_AWS });
    expect(r.code).toBe(0);
    expect(loadAll(r.stdout)[0]).toEqual({
      bucket: 'acme-x7k2p-image-registry-us-east-1', region: 'us-east-1', encrypt: true, virtualHostedStyle: false, adopt: true, infrastructureName: 'acme-x7k2p',
    });
    expect(r.stderr).toContain('was: storage.managementState Managed; becomes: Unmanaged');
    expect(r.stderr).toMatch(/warning: adopt: .*kubernetes.io\/cluster\/acme-x7k2p: owned marks it the cluster's.*\[ORS-ADOPT-W001\]/);
    expect(r.stderr).toMatch(/^pulumi: .*first up imports the storage as it is \(adopt: true.*set adopt: 'imported'.*tag kubernetes.io\/cluster\/acme-x7k2p\. See docs\/adopting.md$/m);
    expect(r.stderr).toMatch(/^cdk8s: .*its controller adopts the storage/m);
    const own = run(['adopt', 'live.yaml'], { 'live.yaml': LIVE_AWS.replace('bucket: acme-x7k2p-image-registry-us-east-1', 'bucket: my-own-bucket') });
    expect(own).toMatchObject({ code: 1, stderr: expect.stringMatching(/^bucket: "my-own-bucket" is not the operator's s3 storage .*\[ORS-ADOPT-005\]$/) });
    expect(run(['adopt', 'live.yaml'], { 'live.yaml': LIVE_AWS.replace(/- apiVersion: config[\s\S]*$/, '') }).code).toBe(2);
    // as the live Config holds it: trustedCA with an empty name (the API field has no omitempty); the release from the ClusterVersion
    const live = LIVE_AWS.replace('virtualHostedStyle: false}', 'virtualHostedStyle: false, trustedCA: {name: ""}}')
      + '- apiVersion: config.openshift.io/v1\n  kind: ClusterVersion\n  metadata: {name: version}\n  status: {desired: {version: 4.17.3}}\n';
    const withCa = run(['adopt', 'live.yaml'], { 'live.yaml': live });
    expect(withCa.code).toBe(0);
    expect(loadAll(withCa.stdout)[0]).toMatchObject({ openshiftVersion: '4.17.3' });
    expect(loadAll(withCa.stdout)[0]).not.toHaveProperty('trustedCA');
  });
});
