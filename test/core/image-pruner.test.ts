import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { inspectRegistryObjects, isCronSchedule, planPvcStorage, planS3Storage, registryConfig } from '../../lib';
import { PRINT_WARNINGS_CONTEXT, S3RegistryStorage as S3Construct } from '../../lib/cdk8s';
import { admit } from '../../lib/core/structural-schema';
import { IMAGE_PRUNER_OPENAPI_V3_SCHEMA } from '../../lib/generated/image-pruner';
import { S3RegistryStorage } from '../../lib/pulumi/aws';
import { capturePulumiProgram } from '../../lib/testing/pulumi';
import { failure } from '../helpers';
import { MOCKS } from '../pulumi/mocks';

const S3 = { bucket: 'acme-registry', region: 'eu-west-1' };
const PRUNER = {
  schedule: '30 3 * * 0',
  keepTagRevisions: 5,
  keepYoungerThanDuration: '2h',
  ignoreInvalidImageReferences: true,
  resources: { requests: { cpu: '100m', memory: '256Mi' } },
  tolerations: [{ key: 'node-role.kubernetes.io/infra', operator: 'Exists', effect: 'NoSchedule' }],
};

describe('imagePruner', () => {
  it('the fields given, as the ImagePruner the operator reads; nothing else (the rest keeps the operator\'s defaults)', () => {
    const plan = planS3Storage({ ...S3, imagePruner: PRUNER });
    expect(plan.imagePruner).toEqual({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name: 'cluster' }, spec: PRUNER });
    expect(planS3Storage(S3).imagePruner).toBeUndefined();
    // as the API server stores it: nothing pruned, only the CRD's own default added
    const stored = admit(plan.imagePruner, IMAGE_PRUNER_OPENAPI_V3_SCHEMA, ['apiVersion', 'kind', 'metadata']);
    expect(stored.problems).toEqual([]);
    expect(stored.pruned).toEqual([]);
    expect((stored.object as any).spec).toEqual({ ...PRUNER, logLevel: 'Normal' });
  });

  it('the vendored CRD\'s own test vectors pass through the same admission', () => {
    const suite = loadAll(fs.readFileSync(path.join(__dirname, '../../vendor/openshift-api-imagepruner/tests/AAA_ungated.yaml'), 'utf8'))[0] as any;
    for (const t of suite.tests.onCreate) {
      const initial = loadAll(t.initial)[0];
      const expected = loadAll(t.expected)[0];
      expect([t.name, admit(initial, IMAGE_PRUNER_OPENAPI_V3_SCHEMA, ['apiVersion', 'kind', 'metadata']).object]).toEqual([t.name, expected]);
    }
  });

  it('every problem at once, named under imagePruner, with the fix', () => {
    const e = failure(() => planPvcStorage({
      claim: 'c',
      accessMode: 'ReadWriteMany',
      replicas: 2,
      imagePruner: { schedule: '0 3 * *', keepTagRevison: 3, keepYoungerThanDuration: 'two hours', keepYoungerThan: 60, logLevel: 'Verbose' } as any,
    }));
    expect(e.problems.map((p) => `${p.path} ${p.code}`).sort()).toEqual([
      'imagePruner.keepTagRevison ORS-PRUNER-004',
      'imagePruner.keepYoungerThan ORS-PRUNER-002',
      'imagePruner.keepYoungerThanDuration ORS-CRD-007',
      'imagePruner.logLevel ORS-CRD-003',
      'imagePruner.schedule ORS-PRUNER-003',
    ].sort());
    expect(e.message).toMatch(/imagePruner\.keepTagRevison: unknown field: the API server would drop it without a word; did you mean "keepTagRevisions"\?/);
    expect(failure(() => planPvcStorage({ claim: 'c', accessMode: 'ReadWriteMany', replicas: 2, imagePruner: 'daily' as any })).problems[0].code).toBe('ORS-PRUNER-001');
  });

  it('a suspended pruner is a warning, which can be acknowledged', () => {
    expect(planS3Storage({ ...S3, imagePruner: { suspend: true } }).warnings.map((w) => `${w.path} ${w.code}`)).toEqual(['imagePruner.suspend ORS-PRUNER-W001']);
    expect(planS3Storage({ ...S3, imagePruner: { suspend: true }, acknowledgeWarnings: ['ORS-PRUNER-W001'] }).warnings).toEqual([]);
  });

  it.each([
    ['0 0 * * *', true], ['*/15 2-5 1,15 * mon-fri', true], ['@daily', true], ['CRON_TZ=UTC 0 3 * * *', true],
    ['0 3 * *', false], ['0 3 * * * *', false], ['daily', false], ['', false], ['0 3 * * ; rm', false],
  ])('isCronSchedule(%p) is %p', (s, ok) => {
    expect(isCronSchedule(s)).toBe(ok);
  });

  it('check: the pruner against its CRD, suspended, and missing from a dump read from a cluster', () => {
    const config = registryConfig({ managementState: 'Managed', storage: { emptyDir: {} } } as any);
    const pruner = (spec: unknown) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name: 'cluster' }, spec });
    const suspended = inspectRegistryObjects([config, pruner({ suspend: true, keepTagRevisions: 'three' })]);
    expect(suspended.problems.map((p) => `${p.objectIndex} ${p.path} ${p.code}`)).toEqual(['1 spec.keepTagRevisions ORS-CRD-002']);
    expect(suspended.warnings.map((p) => `${p.objectIndex} ${p.path} ${p.code}`)).toContain('1 spec.suspend ORS-PRUNER-W001');
    const clusterVersion = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: { name: 'version' }, status: { desired: { version: '4.16.3' } } };
    expect(inspectRegistryObjects([config, clusterVersion]).warnings.map((w) => w.code)).toContain('ORS-CHECK-W005');
    expect(inspectRegistryObjects([config, clusterVersion, pruner({})]).warnings.map((w) => w.code)).not.toContain('ORS-CHECK-W005');
    expect(inspectRegistryObjects([config]).warnings.map((w) => w.code)).not.toContain('ORS-CHECK-W005');
  });

  it('cdk8s: the ImagePruner beside the Config, cluster-scoped, never pruned or deleted by Argo CD', () => {
    const app = new App();
    app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
    const chart = new Chart(app, 'c', { namespace: 'apps' });
    const storage = new S3Construct(chart, 'registry', { ...S3, imagePruner: PRUNER });
    const objects = loadAll(app.synthYaml()) as any[];
    const pruner = objects.find((o) => o.kind === 'ImagePruner');
    expect(pruner).toEqual({
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'ImagePruner',
      metadata: { name: 'cluster', annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
      spec: PRUNER,
    });
    expect(storage.imagePruner).toBeDefined();
    // a JSON patch that breaks it is caught by the App's check at synth
    storage.imagePruner!.addJsonPatch(JsonPatch.add('/spec/keepTagRevisions', 'many'));
    expect(() => app.synthYaml()).toThrow(/spec\.keepTagRevisions/);
  });

  it('Pulumi: a server-side-apply patch of the ImagePruner as this library, after the Config, not kept on delete', async () => {
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', { ...S3, imagePruner: PRUNER, acknowledgeWarnings: ['ORS-PULUMI-W002'] }), MOCKS);
    const patch = resources.find((r) => r.type === 'kubernetes:imageregistry.operator.openshift.io/v1:ImagePrunerPatch')!;
    expect(patch.name).toBe('registry-image-pruner');
    expect(patch.inputs).toMatchObject({
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'ImagePruner',
      metadata: { name: 'cluster', annotations: { 'pulumi.com/patchForce': 'true', 'pulumi.com/patchFieldManager': 'openshift-registry-storage', 'pulumi.com/skipAwait': 'true' } },
      spec: PRUNER,
    });
    expect(patch.dependencies).toContain('registry-config');
    expect(patch.retainOnDelete).toBe(false);
    const without = await capturePulumiProgram(() => new S3RegistryStorage('registry', { ...S3, acknowledgeWarnings: ['ORS-PULUMI-W002'] }), MOCKS);
    expect(without.filter((r) => r.type.endsWith(':ImagePrunerPatch'))).toEqual([]);
  });
});
