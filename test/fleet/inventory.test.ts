/** The fleet inventory's rules (lib/fleet/inventory.ts), each named by cluster and prop. */
import * as fs from 'fs';
import * as path from 'path';
import { FleetInventory, FleetInventoryError, HUB_SECRET_PLACEHOLDER, loadFleetInventory, planFleet } from '../../lib';

function problems(inventory: unknown): string[] {
  try {
    planFleet(inventory as FleetInventory);
  } catch (e) {
    if (e instanceof FleetInventoryError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

const s3 = (name: string, bucket: string, extra: Record<string, unknown> = {}) => ({ name, platform: 'aws' as const, region: 'eu-west-1', storage: { s3: { bucket, ...extra } } });

describe('planFleet', () => {
  test('the example inventory resolves every cluster, sorted by name, with no credential', () => {
    const fleet = loadFleetInventory(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'fleet', 'inventory.yaml'), 'utf8'));
    expect(fleet.clusters.map((c) => `${c.name}:${c.kind}:${c.credentials}`)).toEqual([
      'analytics-gcp:gcs:cluster', 'edge-openstack:swift:hub-secret', 'factory-1:objectBucketClaim:cluster', 'lab-vsphere:pvc:cluster',
      'prod-eu-1:s3:cluster', 'prod-eu-2:s3:cluster', 'prod-us-1:s3:cluster',
    ]);
    const edge = fleet.clusters.find((c) => c.name === 'edge-openstack')!;
    expect(edge.hubSecret).toEqual({
      name: 'edge-openstack-registry-storage',
      keys: ['REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET'],
    });
    expect(Object.values(edge.plan.secret!.stringData)).toEqual([HUB_SECRET_PLACEHOLDER, HUB_SECRET_PLACEHOLDER, HUB_SECRET_PLACEHOLDER]);
  });

  test('defaults apply under each cluster\'s own props; the cluster\'s region fills s3.region', () => {
    const fleet = planFleet({
      defaults: { common: { replicas: 3 }, storage: { s3: { encrypt: true } } },
      clusters: [s3('a', 'acme-a-registry'), s3('b', 'acme-b-registry', { encrypt: false, region: 'us-east-1' })],
    });
    expect(fleet.clusters[0].plan.spec).toMatchObject({ replicas: 3, storage: { s3: { bucket: 'acme-a-registry', region: 'eu-west-1', encrypt: true } } });
    expect(fleet.clusters[1].plan.spec.storage).toMatchObject({ s3: { region: 'us-east-1' } });
    expect((fleet.clusters[1].plan.spec.storage as any).s3.encrypt).toBe(false);
  });

  test('names: DNS labels, each once', () => {
    expect(problems({ clusters: [s3('Prod_1', 'acme-a-registry'), s3('a', 'acme-b-registry'), s3('a', 'acme-c-registry')] })).toEqual([
      'clusters.Prod_1.name: must be the ManagedCluster name (lowercase letters, digits and hyphens, at most 63), got "Prod_1"',
      'clusters.a.name: is also the name of clusters[1]: each cluster once',
    ]);
  });

  test('exactly one storage per cluster', () => {
    expect(problems({ clusters: [{ name: 'a', platform: 'aws', storage: { s3: { bucket: 'acme-a-registry' }, pvc: {} } }] }))
      .toEqual(['clusters.a.storage: must hold exactly one of s3, gcs, azure, swift, ibmcos, pvc, emptyDir, objectBucketClaim, got s3, pvc']);
    expect(problems({ clusters: [{ name: 'a', platform: 'aws', storage: {} }] })).toEqual([expect.stringContaining('clusters.a.storage: must hold exactly one of')]);
  });

  test('unknown keys are named, with the likely meant one', () => {
    expect(problems({ clusters: [{ name: 'a', platform: 'aws', regoin: 'x', storage: { s3: { buckt: 'acme-a-registry' } } }] })).toEqual([
      'clusters.a.regoin: is not a cluster key; did you mean region? (keys: name, platform, region, credentials, hubSecretName, swiftCredentialType, storage, common, sharesStorageWith)',
      expect.stringMatching(/^clusters\.a\.storage\.s3\.buckt: is not a s3 prop; did you mean bucket\?/),
    ]);
  });

  test('credentials never sit in an inventory', () => {
    expect(problems({ clusters: [{ name: 'a', platform: 'aws', storage: { s3: { bucket: 'acme-a-registry', credentials: { accessKey: 'AKIA', secretKey: 'x' } } } }] }))
      .toEqual(['clusters.a.storage.s3.credentials: never in an inventory: use credentials: cluster, or hub-secret with the keys in a Secret on the hub']);
  });

  test('credentials: cluster only where the cluster has an identity for the storage', () => {
    expect(problems({ clusters: [{ name: 'a', platform: 'vsphere', storage: { gcs: { bucket: 'acme-a-registry', region: 'europe-west4', projectID: 'p' } } }] }))
      .toEqual(['clusters.a.credentials: is cluster, but a vsphere cluster has no gcs identity (only gcp clusters do): use hub-secret']);
    expect(problems({ clusters: [{ name: 'a', platform: 'aws', storage: { s3: { bucket: 'acme-a-registry', region: 'x', regionEndpoint: 'https://s3.example.com' } } }] }))
      .toEqual([expect.stringMatching(/^clusters\.a\.credentials: is cluster, but the cluster's identity reaches AWS S3 only/)]);
    expect(problems({ clusters: [{ name: 'a', platform: 'vsphere', credentials: 'hub-secret', storage: { gcs: { bucket: 'acme-a-registry', region: 'europe-west4', projectID: 'p' } } }] }))
      .toEqual([]);
  });

  test('hub-secret on storage that reads no keys is refused', () => {
    expect(problems({ clusters: [{ name: 'a', platform: 'baremetal', credentials: 'hub-secret', storage: { pvc: { claim: 'registry' } } }] }))
      .toEqual(['clusters.a.credentials: is hub-secret, but pvc storage reads no keys: remove it']);
  });

  test('two clusters on one bucket: an error naming both, unless each declares the other', () => {
    expect(problems({ clusters: [s3('a', 'acme-shared-registry'), s3('b', 'acme-shared-registry')] })).toEqual([
      expect.stringMatching(/^clusters\.a\.storage\.s3: uses the same storage as b \(s3 bucket acme-shared-registry\)/),
      expect.stringMatching(/^clusters\.b\.storage\.s3: uses the same storage as a /),
    ]);
    expect(problems({ clusters: [{ ...s3('a', 'acme-shared-registry'), sharesStorageWith: ['b'] }, s3('b', 'acme-shared-registry')] }))
      .toEqual([expect.stringMatching(/^clusters\.b\.storage\.s3: uses the same storage as a /)]);
    expect(problems({ clusters: [{ ...s3('a', 'acme-shared-registry'), sharesStorageWith: ['b'] }, { ...s3('b', 'acme-shared-registry'), sharesStorageWith: ['a'] }] }))
      .toEqual([]);
  });

  test('each cluster\'s own storage rules come from the platform, named by cluster', () => {
    expect(problems({ clusters: [s3('a', 'Bad_Bucket'), { name: 'b', platform: 'baremetal', storage: { pvc: { size: '1Gi', accessMode: 'ReadWriteMany' } } }] }))
      .toEqual(expect.arrayContaining([expect.stringMatching(/^clusters\.a\.storage\.s3\.bucket: "Bad_Bucket"/)]));
  });

  test('the remaining keys: platform, hub Secret name, Swift credential type, defaults, common props, provision', () => {
    const swift = { container: 'registry', authURL: 'https://keystone.example.com:5000/v3' };
    expect(problems({
      defaults: { credentails: 'cluster', common: { replica: 2 } },
      clusters: [
        { name: 'a', platform: 'mars', storage: { pvc: {} } },
        { name: 'b', platform: 'openstack', credentials: 'hub-secret', hubSecretName: 'Bad Name', swiftCredentialType: 'token', storage: { swift } },
        { ...s3('c', 'acme-c-registry', { provision: 'ack' }) },
        { name: 'd', platform: 'openstack', credentials: 'hub-secret', swiftCredentialType: 'password', storage: { swift } },
      ],
    })).toEqual([
      'defaults.credentails: is not a defaults key: use credentials, common and storage',
      'defaults.common.replica: is not a common prop (props: replicas, infrastructureTopology, rolloutStrategy, disableRedirect, managementState, storageManagementState, acknowledgeWarnings, openshiftVersion, imagePruner, hardPrune)',
      'clusters.a.platform: must be one of aws, gcp, azure, openstack, ibmcloud, powervs, vsphere, baremetal, none, got "mars"',
      'clusters.b.hubSecretName: must be a Secret name, got "Bad Name"',
      'clusters.b.swiftCredentialType: must be application-credential or password, got "token"',
      'clusters.c.storage.s3.provision: must be an object such as { controller: \'ack\' }, got "ack"',
      // Swift passwords on Keystone v3 need the user's domain and the project: named by cluster.
      expect.stringMatching(/^clusters\.d\.storage\.swift\.domain: is required with password credentials/),
      expect.stringMatching(/^clusters\.d\.storage\.swift\.tenant: is required with password credentials/),
    ]);
  });

  test('every problem at once, and YAML errors as one problem', () => {
    expect(problems({ clusters: [{ name: 'a', platform: 'mars', storage: { s4: {} } }, { platform: 'aws' }] }).length).toBeGreaterThanOrEqual(4);
    expect(() => loadFleetInventory('clusters: [')).toThrow(/\(yaml\)/);
    expect(problems({ clusters: [] })).toEqual(['clusters: must be a non-empty list of clusters']);
  });
});

describe('hostile and sloppy inventories (issue #20)', () => {
  const ack = (provision: Record<string, unknown>) => ({ clusters: [s3('a', 'acme-a-registry', { provision: { controller: 'ack', ...provision } })] });

  test('provision is checked as the cdk8s construct checks it, named by cluster: fleet check agrees with fleet synth', () => {
    expect(problems(ack({ retainOnDelte: false }))).toEqual([
      expect.stringMatching(/^clusters\.a\.storage\.s3\.provision\.retainOnDelte: is not a field of provision with controller 'ack': did you mean "retainOnDelete"\?/),
    ]);
    expect(problems(ack({ retainOnDelete: 0 }))).toEqual(['clusters.a.storage.s3.provision.retainOnDelete: must be true or false, got 0']);
    expect(problems({ clusters: [s3('a', 'acme-a-registry', { provision: { controller: 'bogus' } })] }))
      .toEqual(['clusters.a.storage.s3.provision.controller: must be \'ack\' or \'object-bucket-claim\', got "bogus"']);
  });

  test('a megabyte name, key or value gives messages of a few hundred characters', () => {
    const huge = 'A'.repeat(10 * 1024 * 1024);
    for (const inventory of [
      { clusters: [s3(huge, 'acme-a-registry')] },
      { clusters: [{ ...s3('a', 'acme-a-registry'), platform: huge }] },
      { clusters: [{ ...s3('a', 'acme-a-registry'), [huge]: 1 }] },
      { clusters: [{ name: 'a', platform: 'aws', storage: { [huge]: {} } }] },
      { [huge]: 1, clusters: [s3('a', 'acme-a-registry')] },
    ]) {
      const lines = problems(inventory);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line.length).toBeLessThan(1400);
    }
  });

  test('a Proxy, a throwing getter, deep nesting and a shared object reached 2^24 times each give one problem, in about a second at most', () => {
    const throwing = new Proxy({}, { ownKeys: () => { throw new Error('trap'); }, getPrototypeOf: () => Object.prototype });
    const getter = Object.defineProperty({}, 'clusters', { enumerable: true, get: () => { throw new Error('boom'); } });
    let deep: any = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    let dag: any = { leaf: 'x' };
    for (let i = 0; i < 24; i++) dag = { l: dag, r: dag };
    for (const inventory of [throwing, getter, { clusters: [{ ...s3('a', 'b-b-b'), platform: deep }] }, { clusters: [{ ...s3('a', 'b-b-b'), platform: dag }] }]) {
      const started = Date.now();
      expect(problems(inventory)).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });

  test('loadFleetInventory refuses an alias bomb and a text over 16 MiB', () => {
    const bomb = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 7 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}]`), 'clusters: *a7'].join('\n');
    expect(() => loadFleetInventory(bomb)).toThrow(/the inventory expands through aliases to more than 5000000 values/);
    expect(() => loadFleetInventory(`# ${'x'.repeat(17 * 1024 * 1024)}\n`)).toThrow(/the inventory is 17 MiB; the limit is 16 MiB/);
  });
});
