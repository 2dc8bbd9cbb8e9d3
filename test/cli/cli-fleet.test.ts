/** `openshift-registry-storage fleet check|synth` (lib/cli). */
import * as fs from 'fs';
import * as path from 'path';
import * as jsyaml from 'js-yaml';
import { runCli } from '../../lib/cli';

const inventory = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'fleet', 'inventory.yaml'), 'utf8');

function run(argv: string[], files: Record<string, string> = { 'inv.yaml': inventory }) {
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const code = runCli(argv, {}, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => {
      if (files[p] === undefined) throw new Error(`ENOENT: no such file '${p}'`);
      return files[p];
    },
    readStdin: () => '',
    writeFile: (p, t) => { written[p] = t; },
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), written };
}

describe('fleet check', () => {
  test('prints each cluster and ok, exit 0', () => {
    const r = run(['fleet', 'check', 'inv.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('edge-openstack: openstack, swift, keys from hub Secret edge-openstack-registry-storage');
    expect(r.stdout.split('\n').pop()).toBe('ok: 7 clusters, no problems found');
  });
  test('prints every problem named by file, cluster and prop, exit 1', () => {
    const bad = 'clusters:\n  - name: a\n    platform: aws\n    storage: {s3: {bucket: acme-shared-registry}}\n  - name: b\n    platform: aws\n    storage: {s3: {bucket: acme-shared-registry}}\n';
    const r = run(['fleet', 'check', 'bad.yaml'], { 'bad.yaml': bad });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(/^bad\.yaml: clusters\.a\.storage\.s3: uses the same storage as b/),
      expect.stringMatching(/^bad\.yaml: clusters\.b\.storage\.s3: uses the same storage as a/),
    ]);
  });
  test('usage errors exit 2', () => {
    expect(run(['fleet', 'check']).code).toBe(2);
    expect(run(['fleet', 'deploy', 'inv.yaml']).stderr).toBe('fleet: unknown command "deploy": use check or synth');
    expect(run(['fleet', 'synth', 'inv.yaml', '--outptu', 'acm'])).toMatchObject({ code: 2, stderr: 'fleet synth: unknown option --outptu; did you mean --output?' });
    expect(run(['fleet', 'synth', 'inv.yaml', '--output', 'acm']))
      .toMatchObject({ code: 2, stderr: 'fleet synth --output acm: --remediation must be inform (report drift) or enforce (create and correct)' });
  });
});

describe('fleet synth', () => {
  test('--output acm prints the hub objects', () => {
    const r = run(['fleet', 'synth', 'inv.yaml', '--output', 'acm', '--remediation', 'inform', '--namespace', 'fleet-registry']);
    expect(r.code).toBe(0);
    const objects = jsyaml.loadAll(r.stdout) as any[];
    expect([...new Set(objects.map((o) => o.kind))]).toEqual(['Namespace', 'ManagedClusterSetBinding', 'ConfigMap', 'Policy', 'Placement', 'PlacementBinding']);
    expect(objects.filter((o) => o.kind === 'Policy').every((p) => p.metadata.namespace === 'fleet-registry' && p.spec.remediationAction === 'inform')).toBe(true);
  });
  test('--output argocd writes one folder per cluster and the ApplicationSet, and names the Secrets to provide', () => {
    const r = run(['fleet', 'synth', 'inv.yaml', '--output', 'argocd', '--repo-url', 'https://git.example.com/fleet.git', '--out', 'dist/fleet-argocd']);
    expect(r.code).toBe(0);
    expect(Object.keys(r.written)).toContain('dist/fleet-argocd/applicationset.yaml');
    expect(Object.keys(r.written)).toContain('dist/fleet-argocd/prod-eu-1/registry-storage.yaml');
    expect(r.stderr).toContain('note: edge-openstack needs the Secret openshift-image-registry/image-registry-private-configuration-user');
  });
});
