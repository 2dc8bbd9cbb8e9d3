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

  it('each Pulumi entry loads only its own cloud SDK', () => {
    const clouds: Record<string, string[]> = { aws: ['@pulumi/aws'], gcp: ['@pulumi/gcp'], azure: ['@pulumi/azure-native'], openstack: ['@pulumi/openstack'], kubernetes: [] };
    const all = ['@pulumi/aws', '@pulumi/gcp', '@pulumi/azure-native', '@pulumi/openstack', 'cdk8s', 'cdk8s-plus-27'];
    for (const [cloud, own] of Object.entries(clouds)) {
      const dir = path.join(LIB, 'pulumi', cloud);
      if (!fs.existsSync(dir)) continue;
      const imported = files(dir).concat(path.join(LIB, 'pulumi', 'common.ts'))
        .flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/from '([^'.][^']*)'/g)].map((m) => m[1]));
      expect({ cloud, foreign: all.filter((p) => imported.includes(p) && !own.includes(p)) }).toEqual({ cloud, foreign: [] });
    }
  });

  it('lib/generated matches the CRD in ../shared (run `npx projen gen:crd` when this fails)', () => {
    for (const [file, text] of Object.entries(generate())) {
      expect(fs.readFileSync(path.join(LIB, 'generated', file), 'utf8')).toBe(text);
    }
  });

  it('the published package does not read ../shared at run time', () => {
    const offenders = files(LIB).filter((f) => fs.readFileSync(f, 'utf8').includes('shared/openshift-api'));
    expect(offenders.map((f) => path.relative(LIB, f)).sort()).toEqual(['cdk8s/generated/image-registry-config.ts', 'generated/config-crd.ts', 'generated/config-schema.ts', 'generated/config-types.ts']);
    for (const f of offenders) expect(fs.readFileSync(f, 'utf8')).not.toMatch(/readFileSync|require\(/);
  });
});
