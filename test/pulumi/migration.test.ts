import { MOCKS, byType } from './mocks';
import { S3RegistryStorage } from '../../lib/pulumi/aws';
import { PvcRegistryStorage } from '../../lib/pulumi/kubernetes';
import { CapturedResource, capturePulumiProgram } from '../../lib/testing/pulumi';

const JOB = 'kubernetes:batch/v1:Job';
const named = (resources: CapturedResource[], name: string) => {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource ${name}: ${resources.map((r) => r.name).join(', ')}`);
  return found;
};
const container = (job: CapturedResource) => (job.inputs as any).spec.template.spec.containers[0];

describe('migrateFrom on a Pulumi component', () => {
  it('S3 from the operator\'s claim: copy, read-only, final copy and checks, then the switch, then writable again, in one chain', async () => {
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', {
      acknowledgeWarnings: ['ORS-PULUMI-W002'],
      bucket: 'acme-registry',
      region: 'eu-west-1',
      migrateFrom: { managementState: 'Managed', pvc: { claim: 'image-registry-storage' } },
    }), MOCKS);
    const copy = named(resources, 'registry-migrate-copy-job');
    const readOnly = named(resources, 'registry-migrate-freeze-job');
    const final = named(resources, 'registry-migrate-final-job');
    const writable = named(resources, 'registry-migrate-thaw-job');
    const config = named(resources, 'registry-config');
    // the copy waits for the hardened bucket; each step for the one before
    for (const r of ['registry-bucket', 'registry-public-access', 'registry-encryption', 'registry-tls-only', 'registry-migrate-copy-networkpolicy']) {
      expect(copy.dependencies).toContain(r);
    }
    expect(readOnly.dependencies).toContain(copy.name);
    expect(final.dependencies).toContain(readOnly.name);
    // nothing of the switch before the final checks passed
    expect(config.dependencies).toContain(final.name);
    expect(copy.dependencies).not.toContain(config.name);
    // writable again only once the operator runs the registry on the new storage
    expect(writable.dependencies).toEqual(expect.arrayContaining(['registry-storage-applied', readOnly.name]));
    for (const r of [copy, readOnly, final, writable]) {
      expect(r.parent).toBe('registry');
      expect(r.retainOnDelete).toBe(false);
      expect((r.inputs as any).metadata.annotations['pulumi.com/waitFor']).toBe('condition=Complete');
    }
    expect((copy.inputs as any).metadata.annotations['pulumi.com/timeoutSeconds']).toBe(String(21600 + 300));
    // the copy runs as the registry, with the cluster's identity; the window's Jobs run the payload's oc
    expect((copy.inputs as any).metadata).toMatchObject({ name: 'registry-storage-migrate-copy', namespace: 'openshift-image-registry' });
    expect((copy.inputs as any).spec.template.spec.serviceAccountName).toBe('registry');
    expect(container(copy).command.slice(3)).toEqual(['migrate', 'pre']);
    expect(container(readOnly).image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect((readOnly.inputs as any).spec.template.metadata.annotations).toBeUndefined();
    expect(byType(resources, 'kubernetes:image.openshift.io/v1:ImageStream')).toEqual([]);
    // no key anywhere: the cluster's identity on both ends
    expect(byType(resources, 'kubernetes:core/v1:Secret')).toEqual([]);
    expect(component(resources).length).toBe(1);
  });

  it('S3-compatible storage with keys: the new keys in a Secret of their own for the copy; the user Secret changes only at the switch', async () => {
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', {
      acknowledgeWarnings: ['ORS-PULUMI-W002', 'ORS-S3-W002'],
      bucket: 'registry',
      region: 'us-east-1',
      regionEndpoint: 'https://rgw.example.com:8080',
      credentials: { accessKey: 'AKIAEXAMPLE', secretKey: 'not-a-real-key' },
      migrateFrom: { swift: { container: 'registry', authURL: 'https://keystone.example.com:5000/v3', authVersion: '3', domain: 'Default', tenant: 'registry' } },
    }), MOCKS);
    const keys = named(resources, 'registry-migrate-destination-keys');
    expect(keys.type).toBe('kubernetes:core/v1:Secret');
    expect((keys.inputs as any).metadata).toMatchObject({ name: 'registry-storage-migration-destination', namespace: 'openshift-image-registry' });
    expect((keys.inputs as any).data).toBe('[secret]');
    const copy = named(resources, 'registry-migrate-copy-job');
    expect(copy.dependencies).toContain(keys.name);
    const env = Object.fromEntries(container(copy).env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef.name]));
    expect(env).toMatchObject({
      RCLONE_CONFIG_SRC_USER: 'image-registry-private-configuration-user',
      RCLONE_CONFIG_DST_ACCESS_KEY_ID: 'registry-storage-migration-destination',
      RCLONE_CONFIG_DST_ENDPOINT: 'https://rgw.example.com:8080',
    });
    const userSecret = named(resources, 'registry-credentials');
    expect(userSecret.dependencies).toContain('registry-migrate-final-job');
    // the final Job's read-only check runs the payload's oc, resolved here
    const final = named(resources, 'registry-migrate-final-job');
    expect((final.inputs as any).spec.template.spec.initContainers[0].image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect((final.inputs as any).spec.template.metadata.annotations).toBeUndefined();
    expect(JSON.stringify(resources)).not.toContain('not-a-real-key');
  });

  it('what cannot be moved is refused with the other props, before any child is made', async () => {
    let message: string | undefined;
    const resources = await capturePulumiProgram(() => {
      try {
        new PvcRegistryStorage('registry', { claim: 'new', accessMode: 'ReadWriteMany', replicas: 2, migrateFrom: { emptyDir: {} }, migration: { copierImage: 'a b' } });
      } catch (e) {
        message = (e as Error).message;
      }
    }, MOCKS);
    expect(message).toMatch(/- migrateFrom: emptyDir storage cannot be copied from: emptyDir is a folder inside each registry pod.*\[ORS-MIGRATE-004\]/);
    expect(resources.filter((r) => r.name.includes('migrate'))).toEqual([]);
  });

  it('without migrateFrom, nothing of a migration', async () => {
    const resources = await capturePulumiProgram(() => new PvcRegistryStorage('registry', { claim: 'new', accessMode: 'ReadWriteMany', replicas: 2, acknowledgeWarnings: ['ORS-PULUMI-W002'] }), MOCKS);
    expect(resources.filter((r) => r.name.includes('migrate'))).toEqual([]);
    expect(byType(resources, JOB).map((r) => r.name)).toEqual(['registry-keep-pvc-job']);
  });
});

function component(resources: CapturedResource[]): CapturedResource[] {
  return resources.filter((r) => r.type === 'openshift-registry-storage:index:S3RegistryStorage');
}
