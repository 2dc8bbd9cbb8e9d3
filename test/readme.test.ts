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
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README code blocks', () => {
  const blocks = [...README.matchAll(/(?:<!-- (\S+) -->\n)?```(?:ts|typescript)\n([\s\S]*?)```/g)].map((m) => ({ file: m[1], body: m[2] }));

  it('every TypeScript block names the file it is', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks.filter((b) => !b.file).map((b) => b.body.split('\n')[0])).toEqual([]);
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
