import * as fs from 'fs';
import * as path from 'path';
import { generate } from '../../scripts/gen-crd';

const LIB = path.resolve(__dirname, '../../lib');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('project rules', () => {
  it('nothing outside the adapters (lib/pulumi, lib/cdk8s, lib/testing) imports @pulumi/* or cdk8s*', () => {
    const adapters = ['pulumi', 'cdk8s', 'testing'].map((d) => path.join(LIB, d) + path.sep);
    const offenders = files(LIB)
      .filter((f) => !adapters.some((a) => f.startsWith(a)))
      .filter((f) => /from '(@pulumi\/|cdk8s|constructs)/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('imports point one way: lib/core, then lib/platforms, then the readers (flavours, fleet, CLI), none reaching sideways', () => {
    // what each top-level folder of lib may import besides itself (lib/fleet's inventories are core
    // knowledge the cdk8s fleet renders; lib/testing wraps the flavours for users' tests)
    const allowed: Record<string, string[]> = {
      core: ['generated'],
      generated: ['core'],
      platforms: ['core', 'generated'],
      fleet: ['core', 'platforms', 'generated'],
      cdk8s: ['core', 'platforms', 'fleet', 'generated'],
      pulumi: ['core', 'platforms', 'generated'],
      cli: ['core', 'platforms', 'fleet', 'generated'],
      testing: ['core', 'platforms', 'pulumi', 'cdk8s', 'generated'],
    };
    const top = (f: string) => path.relative(LIB, f).split(path.sep)[0];
    const sideways = files(LIB).filter((f) => top(f) in allowed).flatMap((f) =>
      [...fs.readFileSync(f, 'utf8').matchAll(/from '(\.[^']*)'/g)]
        .map((m) => top(path.resolve(path.dirname(f), m[1])))
        .filter((t) => t !== top(f) && !allowed[top(f)].includes(t))
        .map((t) => `${path.relative(LIB, f)} -> lib/${t}`));
    expect(sideways).toEqual([]);
    expect(Object.keys(allowed).concat('index.ts').sort()).toEqual(fs.readdirSync(LIB).sort());
  });

  it('the cdk8s flavour needs no cdk8s-plus: whichever one cdk8s init scaffolds (27, 33) can stay', () => {
    expect(files(LIB).filter((f) => /from 'cdk8s-plus/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(LIB, f))).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    expect(Object.keys(pkg.peerDependencies).filter((p) => p.startsWith('cdk8s-plus'))).toEqual([]);
  });

  it('each Pulumi entry loads only its own cloud SDK', () => {
    const clouds: Record<string, string[]> = { aws: ['@pulumi/aws'], gcp: ['@pulumi/gcp'], azure: ['@pulumi/azure-native'], openstack: ['@pulumi/openstack'], kubernetes: [] };
    const all = ['@pulumi/aws', '@pulumi/gcp', '@pulumi/azure-native', '@pulumi/openstack', 'cdk8s', 'cdk8s-plus-27', 'cdk8s-plus-33'];
    for (const [cloud, own] of Object.entries(clouds)) {
      const dir = path.join(LIB, 'pulumi', cloud);
      if (!fs.existsSync(dir)) continue;
      const imported = files(dir).concat(path.join(LIB, 'pulumi', 'common.ts'))
        .flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/from '([^'.][^']*)'/g)].map((m) => m[1]));
      expect({ cloud, foreign: all.filter((p) => imported.includes(p) && !own.includes(p)) }).toEqual({ cloud, foreign: [] });
    }
  });

  it('lib/generated matches the vendored CRD (run `npx projen gen:crd` when this fails)', () => {
    for (const [file, text] of Object.entries(generate())) {
      expect(fs.readFileSync(path.join(LIB, 'generated', file), 'utf8')).toBe(text);
    }
  });

  it('the published package neither reads nor cites ../shared or the vendored copy', () => {
    const offenders = files(LIB).filter((f) => /shared\/(openshift-api|controllers-crds)|vendor\/(openshift-api|controllers-crds)\/(?!SOURCE)/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(LIB, f))).toEqual([]);
  });

  // The repository stands alone with its vendored copies; where the shared ground truth is beside it
  // (developers' machines, CI), each copy must be byte for byte the same.
  describe.each(['openshift-api', 'openshift-api-imagepruner', 'openshift-api-releases', 'controllers-crds'])('vendor/%s', (folder) => {
    const shared = path.resolve(__dirname, '../../../shared', folder);
    (fs.existsSync(shared) ? it : it.skip)(`is the same as ../shared/${folder} (run \`npx projen vendor:sync\` when this fails)`, () => {
      const vendored = path.resolve(__dirname, '../../vendor', folder);
      const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
        .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
      const list = (dir: string) => walk(dir).map((f) => path.relative(dir, f)).sort();
      expect(list(vendored)).toEqual(list(shared));
      for (const f of list(shared)) {
        const same = fs.readFileSync(path.join(vendored, f)).equals(fs.readFileSync(path.join(shared, f)));
        expect({ f, same }).toEqual({ f, same: true });
      }
    });
  });
});

describe('dependencies', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package-lock.json'), 'utf8'));
  const version = (v: string) => v.replace(/^[\^~>=]+/, '').split('.').map(Number);
  const atLeast = (v: number[], min: number[]) => v[0] > min[0] || (v[0] === min[0] && (v[1] > min[1] || (v[1] === min[1] && v[2] >= min[2])));

  it('the only runtime dependency is js-yaml, at a range that excludes 4.1.0 (GHSA-mh29-5h37-fv8m, prototype pollution through <<)', () => {
    expect(Object.keys(pkg.dependencies)).toEqual(['js-yaml']);
    expect(pkg.dependencies['js-yaml']).toMatch(/^\^4\./);
    expect(atLeast(version(pkg.dependencies['js-yaml']), [4, 1, 1])).toBe(true);
    expect(atLeast(version(lock.packages['node_modules/js-yaml'].version), [4, 1, 1])).toBe(true);
  });

  it('@pulumi/kubernetes >= 4.29.0: earlier releases upsert an existing jobNamespace on create, then delete it on destroy', () => {
    expect(atLeast(version(pkg.peerDependencies['@pulumi/kubernetes']), [4, 29, 0])).toBe(true);
  });
});
