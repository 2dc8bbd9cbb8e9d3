import * as path from 'path';
import { App, Chart } from 'cdk8s';
import {
  inspectRegistryObjects, planAzureStorage, planFleet, planS3Storage, RegistryConfigProblem, validateRegistryConfig,
} from '../../lib';
import { AcmRegistryStorageFleet, PRINT_WARNINGS_CONTEXT, S3RegistryStorage } from '../../lib/cdk8s';
import { runCli } from '../../lib/cli';
import { configSchemaOf, NEWEST_OPENSHIFT_RELEASE, OLDEST_OPENSHIFT_RELEASE, OPENSHIFT_RELEASES, openshiftRelease } from '../../lib/core/releases';
import { configRuntimeSchema } from '../../scripts/gen-crd';
import { failure } from '../helpers';

const RELEASES_DIR = path.join(__dirname, '../../vendor/openshift-api-releases');

const config = (spec: object) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed', replicas: 2, ...spec } });
const codes = (ps: readonly RegistryConfigProblem[]) => ps.map((p) => `${p.path} ${p.code}`);

describe('OpenShift releases', () => {
  it('supports 4.12 to 4.23, the oldest being the default', () => {
    expect(OPENSHIFT_RELEASES).toEqual(['4.12', '4.13', '4.14', '4.15', '4.16', '4.17', '4.18', '4.19', '4.20', '4.21', '4.22', '4.23']);
    expect([OLDEST_OPENSHIFT_RELEASE, NEWEST_OPENSHIFT_RELEASE]).toEqual(['4.12', '4.23']);
  });

  it.each(OPENSHIFT_RELEASES)('%s: the schema rebuilt from the package\'s changes is the vendored CRD\'s, field for field', (release) => {
    const vendored = configRuntimeSchema(path.join(RELEASES_DIR, release, 'configs.imageregistry.operator.openshift.io.crd.yaml'));
    expect(configSchemaOf(release)).toEqual(vendored);
  });

  it('reads a release or a cluster\'s version; refuses numbers, older and newer releases with the fix', () => {
    expect(['4.16', '4.16.21', 'v4.16.0', '4.16.0-rc.2', ' 4.9'].map((v) => openshiftRelease(v).release ?? openshiftRelease(v).problem)).toEqual([
      '4.16', '4.16', '4.16', '4.16', expect.stringMatching(/^is 4\.9, older than the oldest release the library supports \(4\.12\)/),
    ]);
    expect(openshiftRelease(4.1).problem).toMatch(/must be an OpenShift release such as "4\.16".*quote it \(4\.1 and 4\.10 are the same number\)/);
    expect(openshiftRelease('4.24').problem).toMatch(/^is 4\.24, newer than the newest release this version of the library knows \(4\.23\): upgrade the library/);
    expect(openshiftRelease(undefined).release).toBe('4.12');
  });
});

describe('a field a later release added is refused on an older one, naming both', () => {
  // [field, last release without it, first with it, a Config spec setting it, first release whose CRD has its parent]
  const cases: Array<[string, string, string, object, string]> = [
    ['spec.storage.s3.chunkSizeMiB', '4.16', '4.17', { storage: { s3: { bucket: 'acme', region: 'eu-west-1', chunkSizeMiB: 16 } } }, '4.12'],
    ['spec.storage.azure.networkAccess', '4.14', '4.15', { storage: { azure: { accountName: 'acme', networkAccess: { type: 'External' } } } }, '4.12'],
    ['spec.resources.claims', '4.12', '4.13', { storage: { emptyDir: {} }, replicas: 1, resources: { claims: [{ name: 'gpu' }] } }, '4.12'],
    ['spec.resources.claims[0].request', '4.17', '4.18', { storage: { emptyDir: {} }, replicas: 1, resources: { claims: [{ name: 'gpu', request: 'r' }] } }, '4.13'],
    ['spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys', '4.15', '4.16',
      { storage: { emptyDir: {} }, replicas: 1, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', matchLabelKeys: ['app'] }] } } }, '4.12'],
  ];
  it.each(cases)('%s: refused on %s and before, accepted from %s', (field, last, first, spec, parent) => {
    for (const release of OPENSHIFT_RELEASES.slice(OPENSHIFT_RELEASES.indexOf(parent))) {
      const problems = validateRegistryConfig(config(spec), { openshiftVersion: release });
      if (OPENSHIFT_RELEASES.indexOf(release) < OPENSHIFT_RELEASES.indexOf(first)) {
        expect(problems).toEqual([{
          path: field,
          message: `is not in OpenShift ${release}'s Config CRD (first in ${first}): its API server drops it without a word. `
            + `If the cluster runs ${first} or newer, set openshiftVersion to its release; otherwise remove the field`,
          code: 'ORS-CONFIG-012',
        }]);
      } else {
        expect({ release, problems }).toEqual({ release, problems: [] });
      }
    }
    expect(OPENSHIFT_RELEASES.indexOf(last) + 1).toBe(OPENSHIFT_RELEASES.indexOf(first));
  });

  it('unset means the oldest supported release; a typo is still a typo on every release', () => {
    expect(codes(validateRegistryConfig(config({ storage: { s3: { bucket: 'acme', chunkSizeMiB: 16 } } })))).toEqual(['spec.storage.s3.chunkSizeMiB ORS-CONFIG-012']);
    expect(codes(validateRegistryConfig(config({ storage: { s3: { bucket: 'acme', chunkSizeMIB: 16 } } }), { openshiftVersion: '4.23' }))).toEqual(['spec.storage.s3.chunkSizeMIB ORS-CONFIG-002']);
    expect(codes(validateRegistryConfig(config({ storage: { s3: { bucket: 'acme' } } }), { openshiftVersion: '5.0' }))).toEqual(['openshiftVersion ORS-CONFIG-013']);
  });

  it('planners: the problem is named by the prop; openshiftVersion is checked and carried by the plan', () => {
    expect(failure(() => planS3Storage({ bucket: 'acme', region: 'eu-west-1', chunkSizeMiB: 16 })).problems)
      .toEqual([expect.objectContaining({ path: 'chunkSizeMiB', code: 'ORS-CONFIG-012', message: expect.stringMatching(/^is not in OpenShift 4\.12's Config CRD \(first in 4\.17\)/) })]);
    const plan = planS3Storage({ bucket: 'acme', region: 'eu-west-1', chunkSizeMiB: 16, openshiftVersion: '4.17.3' });
    expect([plan.spec.storage?.s3?.chunkSizeMiB, plan.openshiftVersion]).toEqual([16, '4.17']);
    expect(planS3Storage({ bucket: 'acme', region: 'eu-west-1' }).openshiftVersion).toBe('4.12');
    expect(failure(() => planAzureStorage({ accountName: 'acme', networkAccess: { type: 'Internal' }, openshiftVersion: '4.14' })).problems.map((p) => p.code)).toContain('ORS-CONFIG-012');
    expect(failure(() => planS3Storage({ bucket: 'acme', openshiftVersion: 4.17 as any })).problems).toEqual([expect.objectContaining({ path: 'openshiftVersion', code: 'ORS-PROPS-030' })]);
  });

  it('cdk8s: the construct and its Config L1 validate against the release', () => {
    const app = new App();
    app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
    const chart = new Chart(app, 'c');
    new S3RegistryStorage(chart, 'registry', { bucket: 'acme', region: 'eu-west-1', chunkSizeMiB: 16, openshiftVersion: '4.17' });
    expect(() => app.synth()).not.toThrow();
    expect(chart.toJson().find((o: any) => o.kind === 'Config').spec.storage.s3.chunkSizeMiB).toBe(16);
    expect(() => new S3RegistryStorage(new Chart(new App(), 'c'), 'registry', { bucket: 'acme', region: 'eu-west-1', chunkSizeMiB: 16 })).toThrow(/chunkSizeMiB: is not in OpenShift 4\.12's Config CRD/);
  });
});

describe('Pulumi: the component validates against the release', () => {
  it('chunkSizeMiB needs openshiftVersion 4.17 or newer', async () => {
    const { S3RegistryStorage: PulumiS3 } = await import('../../lib/pulumi/aws');
    const { capturePulumiProgram } = await import('../../lib/testing/pulumi');
    const { MOCKS } = await import('../pulumi/mocks');
    await expect(capturePulumiProgram(() => new PulumiS3('registry', { bucket: 'acme', region: 'eu-west-1', chunkSizeMiB: 16 }), MOCKS))
      .rejects.toThrow(/chunkSizeMiB: is not in OpenShift 4\.12's Config CRD \(first in 4\.17\).*\[ORS-CONFIG-012\]/);
    const resources = await capturePulumiProgram(() => new PulumiS3('registry', { bucket: 'acme', region: 'eu-west-1', chunkSizeMiB: 16, openshiftVersion: '4.17' }), MOCKS);
    expect((resources.find((r) => r.name === 'registry-config')!.inputs.spec as any).storage.s3.chunkSizeMiB).toBe(16);
  });
});

describe('the operator\'s behaviour by release', () => {
  it('Alibaba OSS: a driven block through 4.16 (two blocks are refused), ignored from 4.17', () => {
    const both = config({ storage: { oss: { bucket: 'acme-oss' }, s3: { bucket: 'acme' } } });
    expect(codes(validateRegistryConfig(both, { openshiftVersion: '4.16' }))).toEqual(['spec.storage ORS-CONFIG-009']);
    expect(codes(validateRegistryConfig(both, { openshiftVersion: '4.17' }))).toEqual(['spec.storage.oss ORS-CONFIG-007']);
    expect(validateRegistryConfig(config({ storage: { oss: { bucket: 'acme-oss' } } }), { openshiftVersion: '4.12' })).toEqual([]);
  });
});

describe('check and the fleet', () => {
  const chunked = {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'Config',
    metadata: { name: 'cluster' },
    spec: { managementState: 'Managed', replicas: 2, storage: { managementState: 'Unmanaged', s3: { bucket: 'acme', region: 'eu-west-1', chunkSizeMiB: 16 } } },
  };
  const clusterVersion = (version: string) => ({ apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: { name: 'version' }, status: { desired: { version } } });

  it('check reads the release from a ClusterVersion in its input, or --openshift-version', () => {
    expect(codes(inspectRegistryObjects([chunked]).problems)).toEqual(['spec.storage.s3.chunkSizeMiB ORS-CONFIG-012']);
    expect(inspectRegistryObjects([chunked, clusterVersion('4.18.7')]).problems).toEqual([]);
    expect(codes(inspectRegistryObjects([chunked, clusterVersion('4.16.30')]).problems)).toEqual(['spec.storage.s3.chunkSizeMiB ORS-CONFIG-012']);
    const run = (argv: string[]) => {
      const out: string[] = [];
      const code = runCli(argv, {}, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), readFile: () => JSON.stringify(chunked), readStdin: () => '' });
      return { code, out: out.join('\n') };
    };
    expect(run(['check', 'c.yaml'])).toMatchObject({ code: 1, out: expect.stringContaining('(first in 4.17)') });
    expect(run(['check', '--openshift-version', '4.17', 'c.yaml'])).toEqual({ code: 0, out: 'ok: no problems found' });
    expect(run(['check', '--openshift-version', '4.99', 'c.yaml'])).toMatchObject({ code: 2, out: expect.stringMatching(/^--openshift-version: is 4\.99, newer than/) });
  });

  it('an inventory says each cluster\'s release; a cluster on an older release is refused by name; releases share a profile when the objects are the same', () => {
    const inventory = (old: string) => ({
      defaults: { common: { openshiftVersion: '4.18' } },
      clusters: [
        { name: 'a', platform: 'aws', storage: { s3: { bucket: 'acme-a', region: 'eu-west-1' } } },
        { name: 'b', platform: 'aws', common: { openshiftVersion: old }, storage: { s3: { bucket: 'acme-b', region: 'eu-west-1' } } },
      ],
    });
    const plan = planFleet(inventory('4.14') as any);
    expect(plan.clusters.map((c) => [c.name, (c.props as any).openshiftVersion])).toEqual([['a', '4.18'], ['b', '4.14']]);
    const app = new App();
    app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
    const fleet = new AcmRegistryStorageFleet(new Chart(app, 'hub'), 'fleet', { fleet: plan, remediationAction: 'inform' });
    expect(fleet.profiles.map((p) => p.clusters)).toEqual([['a', 'b']]);

    const chunkedInventory = { ...inventory('4.16'), clusters: inventory('4.16').clusters.map((c) => ({ ...c, storage: { s3: { ...c.storage.s3, chunkSizeMiB: 16 } } })) };
    let error: any;
    try {
      planFleet(chunkedInventory as any);
    } catch (e) {
      error = e;
    }
    expect(codes(error.problems)).toEqual(['clusters.b.storage.s3.chunkSizeMiB ORS-CONFIG-012']);
  });
});
