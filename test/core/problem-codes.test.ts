import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import {
  inspectRegistryObjects, planFleet, planObjectBucketClaimStorage, planPvcStorage, planS3Storage,
  RegistryConfigProblem, validateRegistryConfig,
} from '../../lib';
import { S3RegistryStorage as CdkS3RegistryStorage } from '../../lib/cdk8s';
import { PROBLEM_CODES } from '../../lib/core/problem-codes';
import { PvcRegistryStorage } from '../../lib/pulumi/kubernetes';
import { capturePulumiProgram } from '../../lib/testing/pulumi';
import { runCliInMemory } from '../cli/run';
import { failure } from '../helpers';
import { MOCKS } from '../pulumi/mocks';

const codes = (ps: readonly RegistryConfigProblem[]) => ps.map((p) => p.code);

const cli = (argv: string[], files: Record<string, string> = {}) => runCliInMemory(argv, { files });

describe('problem codes', () => {
  it('every code is ORS-<area>-<number>, a warning\'s number starts with W, and docs/problem-codes.md lists each with its severity', () => {
    const docs = fs.readFileSync(path.join(__dirname, '../../docs/problem-codes.md'), 'utf8');
    expect(Object.keys(PROBLEM_CODES).length).toBeGreaterThan(150);
    for (const [code, severity] of Object.entries(PROBLEM_CODES)) {
      expect(code).toMatch(/^ORS-[A-Z0-9]+-W?\d{3}$/);
      expect(severity).toBe(/-W\d{3}$/.test(code) ? 'warning' : 'error');
      expect(docs).toContain(`| \`${code}\` | ${severity} |`);
    }
  });

  it('errors carry error codes and warnings warning codes, and the error message ends each line with the code', () => {
    const e = failure(() => planS3Storage({ bucket: 'Not_A_Bucket', regionEndpoint: 'https://s3.example.com/path', chunkSizeMiB: 1, openshiftVersion: '4.17' }));
    expect(codes(e.problems)).toEqual(['ORS-S3-001', 'ORS-S3-003', 'ORS-S3-006', 'ORS-S3-008']);
    for (const p of e.problems) expect(PROBLEM_CODES[p.code]).toBe('error');
    expect(e.message).toContain('  - chunkSizeMiB: must be a whole number of MiB from 5 to 5120 (S3\'s multipart limits), got 1 [ORS-S3-008]');
    const plan = planPvcStorage({ accessMode: 'ReadWriteMany', size: '20Gi' });
    expect(plan.warnings).toEqual([expect.objectContaining({ path: 'size', code: 'ORS-PVC-W001' })]);
    expect(PROBLEM_CODES['ORS-PVC-W001']).toBe('warning');
  });

  it('the Config\'s problems carry the CRD rule\'s code, and a pruned field its own', () => {
    const problems = validateRegistryConfig({
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { managementState: 'Managed', replicas: 'two', storage: { s3: { bucket: 'acme', regoin: 'eu-west-1' } } },
    } as any);
    expect(problems).toEqual([
      { path: 'spec.replicas', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"', code: 'ORS-CRD-002' },
      { path: 'spec.storage.s3.regoin', message: expect.stringMatching(/^unknown field: .*did you mean "region"\?/), code: 'ORS-CONFIG-002' },
    ]);
  });

  describe('one rule, one code, on every path', () => {
    it('a misspelt prop: the core planner and the Pulumi component say ORS-PROPS-016', async () => {
      expect(codes(failure(() => planPvcStorage({ replica: 1 } as any)).problems)).toEqual(['ORS-PROPS-016']);
      await expect(capturePulumiProgram(() => new PvcRegistryStorage('registry', { replica: 1 } as any), MOCKS))
        .rejects.toThrow(/replica: is not a prop: did you mean "replicas"\?.*\[ORS-PROPS-016\]/);
    });

    it('S3 bucket naming: S3 storage and an ObjectBucketClaim say ORS-S3-001', () => {
      expect(codes(failure(() => planS3Storage({ bucket: 'Bad_Bucket' })).problems)).toEqual(['ORS-S3-001']);
      expect(codes(failure(() => planObjectBucketClaimStorage({ bucket: 'Bad_Bucket', regionEndpoint: 'https://s3.example.com' })).problems)).toEqual(['ORS-S3-001']);
    });

    it('ReadWriteOnce with two replicas: the PVC plan and check of live objects say ORS-PVC-007', () => {
      expect(codes(failure(() => planPvcStorage({ claim: 'registry', accessMode: 'ReadWriteOnce', replicas: 2 })).problems)).toContain('ORS-PVC-007');
      const findings = inspectRegistryObjects([
        { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed', replicas: 2, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'registry' } } } },
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'registry', namespace: 'openshift-image-registry' }, spec: { accessModes: ['ReadWriteOnce'] } },
      ]);
      expect(codes(findings.problems)).toContain('ORS-PVC-007');
    });
  });

  describe('acknowledgeWarnings', () => {
    it('drops an acknowledged warning from the plan, and records the code', () => {
      const plan = planPvcStorage({ accessMode: 'ReadWriteMany', size: '20Gi', acknowledgeWarnings: ['ORS-PVC-W001'] });
      expect(plan.warnings).toEqual([]);
      expect(plan.acknowledgedWarnings).toEqual(['ORS-PVC-W001']);
      // a warning not acknowledged is still printed
      const other = planPvcStorage({ accessMode: 'ReadWriteMany', size: '20Gi', acknowledgeWarnings: ['ORS-S3-W001'] });
      expect(codes(other.warnings)).toEqual(['ORS-PVC-W001']);
    });

    it('refuses an error\'s code, a code the library does not raise (naming the closest), and a value that is not a list', () => {
      const e = failure(() => planPvcStorage({ acknowledgeWarnings: ['ORS-PVC-007', 'ORS-PVC-W01', 42 as any] }));
      expect(e.problems).toEqual([
        { path: 'acknowledgeWarnings[0]', message: expect.stringMatching(/^"ORS-PVC-007" is an error, not a warning: errors cannot be acknowledged/), code: 'ORS-PROPS-028' },
        { path: 'acknowledgeWarnings[1]', message: expect.stringMatching(/^"ORS-PVC-W01" is not a warning code the library raises: did you mean "ORS-PVC-W001"\?/), code: 'ORS-PROPS-029' },
        { path: 'acknowledgeWarnings[2]', message: 'must be a warning code such as "ORS-PVC-W001", got 42', code: 'ORS-PROPS-027' },
      ]);
      expect(codes(failure(() => planPvcStorage({ acknowledgeWarnings: 'ORS-PVC-W001' as any })).problems)).toEqual(['ORS-PROPS-027']);
    });

    it('cdk8s: the construct\'s own warnings are acknowledged too (ACK cannot grant the KMS key)', () => {
      const make = (acknowledgeWarnings?: string[]) => new CdkS3RegistryStorage(new Chart(new App(), 'c'), 'registry', {
        bucket: 'acme-registry',
        region: 'eu-west-1',
        keyID: 'arn:aws:kms:eu-west-1:111122223333:key/abcd',
        provision: { controller: 'ack' },
        acknowledgeWarnings,
      });
      expect(codes(make().warnings)).toEqual(['ORS-CDK8S-W002']);
      expect(make(['ORS-CDK8S-W002']).warnings).toEqual([]);
    });

    it('Pulumi: warnings are logged with their code, and an acknowledged one is not', async () => {
      const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
      try {
        await capturePulumiProgram(() => new PvcRegistryStorage('registry', { size: '20Gi', managementState: 'Unmanaged' }), MOCKS);
        const logged = () => warn.mock.calls.map(([m]) => String(m).replace(/^.*\[(ORS-[A-Z0-9-]+)\]$/s, '$1'));
        expect(logged()).toEqual(expect.arrayContaining(['ORS-PVC-W001', 'ORS-PULUMI-W001', 'ORS-PULUMI-W002']));
        warn.mockClear();
        await capturePulumiProgram(() => new PvcRegistryStorage('registry', {
          size: '20Gi', managementState: 'Unmanaged', acknowledgeWarnings: ['ORS-PVC-W001', 'ORS-PULUMI-W001', 'ORS-PULUMI-W002'],
        }), MOCKS);
        expect(warn).not.toHaveBeenCalled();
      } finally {
        warn.mockRestore();
      }
    });

    it('CLI: synth and check print codes; --acknowledge leaves a warning out; an error code is a usage error', () => {
      const warned = cli(['synth', 'pvc', '--size', '20Gi']);
      expect(warned.code).toBe(0);
      expect(warned.stderr).toMatch(/^warning: --size: is "20Gi", below the 100Gi .* \[ORS-PVC-W001\]$/);
      expect(cli(['synth', 'pvc', '--size', '20Gi', '--acknowledge', 'ORS-PVC-W001'])).toMatchObject({ code: 0, stderr: '' });
      const refused = cli(['synth', 'pvc', '--acknowledge=ORS-PVC-007']);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/^--acknowledge: "ORS-PVC-007" is an error, not a warning.*\[ORS-PROPS-028\]$/) });

      const removed = 'apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata: {name: cluster}\n'
        + 'spec: {managementState: Removed, replicas: 1, storage: {managementState: Unmanaged, emptyDir: {}}}\n';
      expect(cli(['check', 'c.yaml'], { 'c.yaml': removed }).stderr).toMatch(/^warning: document 1: spec.managementState: is Removed: .*\[ORS-CHECK-W001\]$/);
      expect(cli(['check', '--acknowledge', 'ORS-CHECK-W001', 'c.yaml'], { 'c.yaml': removed })).toMatchObject({ code: 0, stderr: '' });
      expect(() => cli(['check', '--acknowledge', 'ORS-NOPE-W001', 'c.yaml'], { 'c.yaml': removed })).not.toThrow();
      expect(cli(['check', '--acknowledge', 'ORS-NOPE-W001', 'c.yaml'], { 'c.yaml': removed }).code).toBe(2);
    });

    it('fleet: common.acknowledgeWarnings applies to each cluster\'s plan', () => {
      const inventory = (common: object) => ({
        clusters: [{ name: 'edge-1', platform: 'baremetal', common, storage: { pvc: { accessMode: 'ReadWriteMany', size: '20Gi' } } }],
      });
      expect(codes(planFleet(inventory({}) as any).warnings)).toEqual(['ORS-PVC-W001']);
      expect(planFleet(inventory({ acknowledgeWarnings: ['ORS-PVC-W001'] }) as any).warnings).toEqual([]);
    });
  });
});
