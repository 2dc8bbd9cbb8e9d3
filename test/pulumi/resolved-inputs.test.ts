/**
 * Props that are Outputs are checked when they resolve, credentials included; a failure is a
 * ResourceError on the component and no child registers. Runs the cases of
 * `fixtures/resolved-inputs.ts` in a plain Node process: each gated child rejects (that is how the
 * Pulumi runtime fails a registration, and how `pulumi up` reports the error), and jest would
 * charge those rejections to whichever test is running.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { CapturedResource } from '../../lib/testing/pulumi';

interface Outcome { name: string; error?: string; resourceError?: boolean; resources: CapturedResource[]; rejections: number }

let outcomes: Record<string, Outcome>;
beforeAll(() => {
  // Its exit code is not read: Pulumi's leak detector fails a process that ends with the pending
  // registrations a failed case leaves; every case writes its line first.
  const out = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'fixtures', 'resolved-inputs.ts')], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') },
  }).stdout;
  outcomes = Object.fromEntries(out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Outcome).map((o) => [o.name, o]));
}, 70_000);

const INVALID: Record<string, RegExp> = {
  'replicas: output(0)': /S3RegistryStorage: 1 problem\n {2}- replicas: must be a whole number from 1 to 2147483647/,
  'secretKey: output(undefined)': /- credentials\.secretKey: is required/,
  'accessKey: output(12345)': /- credentials\.accessKey: .*must be a string \(got a number\)/,
  'accessKey: output("")': /- credentials\.accessKey: is required/,
  'keyfile: output(path)': /GcsRegistryStorage: 1 problem\n {2}- credentials\.keyfile: must be the key file's JSON text/,
  'accountKey: output("")': /AzureRegistryStorage: 1 problem\n {2}- credentials\.accountKey: .*must not be empty/,
  'swift password: output(7)': /SwiftRegistryStorage: 1 problem\n {2}- credentials\.password: .*must be a string/,
  'size: output("lots")': /PvcRegistryStorage: 1 problem\n {2}- size: must be a Kubernetes quantity/,
  'cloudFront: output({ baseURL: "http:" })': /- cloudFront\.baseURL: must be an http:\/\/ or https:\/\/ URL/,
};

describe('what the cluster answers', () => {
  it('a failed import of openshift/cli fails the component at once with the fix, not after a 10-minute wait', () => {
    const o = outcomes['cli import failed'];
    expect(o.error).toMatch(/ImageStreamTag openshift\/cli:latest has no image \(its import failed: oc describe imagestream cli -n openshift\); set cliImage/);
    expect(o.resourceError).toBe(true);
    // nothing after the Config: no Job runs an image that cannot be pulled
    expect(o.resources.filter((r) => r.type === 'kubernetes:batch/v1:Job')).toEqual([]);
  });
});

describe('props that resolve to invalid values', () => {
  it.each(Object.keys(INVALID))('%s: one ResourceError on the component, and no child registered', (name) => {
    const o = outcomes[name];
    expect(o.error).toMatch(/^the program failed under Pulumi mocks once its Outputs resolved: /);
    expect(o.error).toMatch(INVALID[name]);
    expect(o.resourceError).toBe(true);
    // Only the component: no bucket, no IAM user, no Secret, no Config patch, no Job, no wait.
    expect(o.resources.map((r) => r.type)).toEqual([expect.stringMatching(/^openshift-registry-storage:index:/)]);
  });

  it.each(Object.keys(INVALID))('%s: pulumi up prints the message once (one distinct unhandled rejection)', (name) => {
    expect(outcomes[name].rejections).toBe(1);
  });

  it('never repeats a credential in the message', () => {
    for (const o of Object.values(outcomes)) {
      expect(o.error ?? '').not.toMatch(/hunter2|\/path\/to\/key\.json|12345/);
    }
  });
});

describe('props given as Outputs that resolve to valid values', () => {
  const config = (name: string) => outcomes[name].resources.find((r) => r.name === 'registry-config')!;

  it('cloudFront as one Output lands in the spec', () => {
    expect(outcomes['cloudFront: output({...})'].error).toBeUndefined();
    expect((config('cloudFront: output({...})').inputs.spec as any).storage.s3.cloudFront).toEqual({
      baseURL: 'https://d111111abcdef8.cloudfront.net', keypairID: 'K2JCJMDEHXQW5F', privateKey: { name: 'cloudfront', key: 'private.pem' },
    });
  });

  it('cinder as one Output makes the StorageClass', () => {
    const o = outcomes['cinder: output({ availabilityZone })'];
    expect(o.error).toBeUndefined();
    const sc = o.resources.find((r) => r.type === 'kubernetes:storage.k8s.io/v1:StorageClass')!;
    expect(sc.inputs.parameters).toEqual({ availability: 'nova' });
  });

  it('a secret key file keeps the Secret secret and the spec in clear', () => {
    const o = outcomes['keyfile: secret output(JSON)'];
    expect(o.error).toBeUndefined();
    expect(o.resources.find((r) => r.name === 'registry-credentials')!.inputs.data).toBe('[secret]');
    expect((config('keyfile: secret output(JSON)').inputs.spec as any).storage.gcs).toEqual({ bucket: 'acme-registry', region: 'us-east1', projectID: 'acme' });
  });
});
