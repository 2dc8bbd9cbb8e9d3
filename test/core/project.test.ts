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
  it('nothing outside lib/pulumi and lib/cdk8s imports @pulumi/* or cdk8s*', () => {
    const offenders = files(LIB)
      .filter((f) => !f.startsWith(path.join(LIB, 'pulumi')) && !f.startsWith(path.join(LIB, 'cdk8s')))
      .filter((f) => /from '(@pulumi\/|cdk8s|constructs)/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('lib/generated matches the CRD in ../shared (run `npx projen gen:crd` when this fails)', () => {
    for (const [file, text] of Object.entries(generate())) {
      expect(fs.readFileSync(path.join(LIB, 'generated', file), 'utf8')).toBe(text);
    }
  });

  it('the published package does not read ../shared at run time', () => {
    const offenders = files(LIB).filter((f) => fs.readFileSync(f, 'utf8').includes('shared/openshift-api'));
    expect(offenders.map((f) => path.relative(LIB, f)).sort()).toEqual(['cdk8s/generated/image-registry-config.ts', 'generated/config-schema.ts', 'generated/config-types.ts']);
    for (const f of offenders) expect(fs.readFileSync(f, 'utf8')).not.toMatch(/readFileSync|require\(/);
  });
});
