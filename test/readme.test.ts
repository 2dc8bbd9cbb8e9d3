/**
 * Every TypeScript block of the README is a file of `test/readme/`, named in a comment above the
 * block, and equal to it: the typecheck compiles those files against the API, `readme/registry.test.ts`
 * (the README's snapshot test) runs as a test of this suite and runs the Pulumi quick start
 * (`readme/index.ts`), `test/consumer.test.ts` compiles and runs both quick starts against the
 * packed tarball, and the core block runs here.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
/** The README and every page of docs/, and CONTRIBUTING.md. */
const PAGES = ['README.md', 'CONTRIBUTING.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const TEXT = Object.fromEntries(PAGES.map((p) => [p, fs.readFileSync(path.join(ROOT, p), 'utf8')]));

describe('README and docs code blocks', () => {
  const blocks = PAGES.flatMap((page) => [...TEXT[page].matchAll(/(?:<!-- (\S+) -->\n)?```(?:ts|typescript)\n([\s\S]*?)```/g)]
    .map((m) => ({ page, file: m[1], body: m[2] })));

  it('every TypeScript block names the file it is', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks.filter((b) => !b.file).map((b) => `${b.page}: ${b.body.split('\n')[0]}`)).toEqual([]);
  });

  it('every YAML block parses', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadAll } = require('js-yaml') as typeof import('js-yaml');
    for (const page of PAGES) {
      for (const m of TEXT[page].matchAll(/```ya?ml\n([\s\S]*?)```/g)) expect(() => loadAll(m[1])).not.toThrow();
    }
  });

  it('every relative link points at a file that exists, and every #anchor at a heading of its page', () => {
    const anchor = (h: string) => h.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const m of TEXT[page].matchAll(/\]\(((?!https?:)[^)\s]*?)(#[^)\s]*)?\)/g)) {
        const target = m[1] ? path.join(path.dirname(page), m[1]) : page;
        if (!fs.existsSync(path.join(ROOT, target))) {
          broken.push(`${page}: ${m[0]}`);
          continue;
        }
        if (m[2] && target.endsWith('.md')) {
          const text = fs.readFileSync(path.join(ROOT, target), 'utf8');
          const headings = [...text.matchAll(/^#+ (.*)$/gm)].map((h) => anchor(h[1]));
          if (!headings.includes(m[2].slice(1))) broken.push(`${page}: ${m[0]}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  // After editing a file: npx projen readme:sync
  it.each(blocks.filter((b) => b.file).map((b) => [b.file!, b.body]))('%s is the block, character for character', (file, body) => {
    expect(file).toMatch(/^test\/readme\//);
    expect(body).toBe(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  });

  it('the core block runs, and what its comment says holds', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => require('./readme/core'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { planS3Storage, registryConfig, validateRegistryConfigPatch } = require('../lib');
    const plan = planS3Storage({ bucket: 'acme-image-registry', region: 'eu-west-1' });
    expect(validateRegistryConfigPatch(registryConfig(plan.spec))).toEqual([]);
  });
});

describe('README tables checked against the code', () => {
  const readme = TEXT['README.md'];

  it('the examples table names every example folder', () => {
    const table = readme.slice(readme.indexOf('## Examples'), readme.indexOf('## Documentation'));
    const missing = ['pulumi', 'cdk8s'].flatMap((flavour) => fs.readdirSync(path.join(ROOT, 'examples', flavour))
      .filter((d) => !table.includes(`\`${d}\``)).map((d) => `examples/${flavour}/${d}`));
    expect(missing).toEqual([]);
  });

  it('the package table names every component and construct each entry point exports', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
    const cdk8s = require('../lib/cdk8s') as typeof import('../lib/cdk8s');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const row = (entry: string) => readme.split('\n').find((l) => l.startsWith(`| \`${entry}\` |`)) ?? '';
    const missing: string[] = [];
    for (const cloud of ['aws', 'gcp', 'azure', 'openstack', 'kubernetes']) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(`../lib/pulumi/${cloud}`) as Record<string, unknown>;
      for (const [name, v] of Object.entries(mod)) {
        if (typeof v === 'function' && v.prototype instanceof pulumi.ComponentResource && !row(`openshift-registry-storage/pulumi/${cloud}`).includes(`\`${name}\``)) {
          missing.push(`pulumi/${cloud}: ${name}`);
        }
      }
    }
    for (const [name, v] of Object.entries(cdk8s)) {
      if (typeof v === 'function' && v.prototype instanceof cdk8s.RegistryStorage && !row('openshift-registry-storage/cdk8s').includes(`\`${name}\``)) {
        missing.push(`cdk8s: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
