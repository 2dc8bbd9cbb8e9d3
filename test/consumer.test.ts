/**
 * A newcomer's first hour, against the package as npm ships it: the library is compiled and packed
 * (`npm pack`) into a scratch directory, the tarball is unpacked into a scratch consumer's
 * node_modules (its dependencies are this repository's own, linked), and then:
 * - every entry point resolves, for types, under `node10` (`moduleResolution: node`, which
 *   `pulumi new` and `cdk8s init` generate), `node16`, `nodenext` and `bundler`, from CommonJS and
 *   ESM files, and loads at run time from `require` and `import`;
 * - the README's Pulumi quick start compiles with the `pulumi new` tsconfig and runs under mocks;
 * - the README's cdk8s quick start compiles with the `cdk8s init` tsconfig and synthesizes.
 * The two tsconfigs are the templates' own (`test/consumer/*.tsconfig.json`, cited there).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const SPECIFIERS = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/**
 * What consumers install next to the library (the quick starts' and each cloud's entry's peers),
 * linked from this repository.
 */
const DEPENDENCIES = ['@pulumi/pulumi', '@pulumi/kubernetes', '@pulumi/aws', '@pulumi/gcp', '@pulumi/azure-native', '@pulumi/openstack',
  'cdk8s', 'constructs', 'js-yaml', '@types/node'];

let scratch: string;
let consumer: string;
let installed: string;
let packedFiles: string[];

function run(file: string, args: string[], cwd: string): string {
  return execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-pack-'));
  const stage = path.join(scratch, 'stage');
  fs.mkdirSync(stage);
  for (const f of ['package.json', 'README.md', 'API.md', 'LICENSE', '.npmignore']) fs.copyFileSync(path.join(ROOT, f), path.join(stage, f));
  run(process.execPath, [TSC, '-p', path.join(ROOT, 'tsconfig.json'), '--outDir', path.join(stage, 'dist')], ROOT);
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], stage));
  packedFiles = packed[0].files.map((f: { path: string }) => f.path);

  consumer = path.join(scratch, 'consumer');
  installed = path.join(consumer, 'node_modules', pkg.name);
  fs.mkdirSync(path.join(consumer, 'node_modules', '@pulumi'), { recursive: true });
  fs.mkdirSync(path.join(consumer, 'node_modules', '@types'), { recursive: true });
  run('tar', ['xzf', path.join(scratch, packed[0].filename), '-C', scratch], scratch);
  fs.renameSync(path.join(scratch, 'package'), installed);
  for (const dep of DEPENDENCIES) fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(consumer, 'node_modules', dep), 'dir');
}, 120_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('ships the compiled library and its docs, not sources, tests, vendored CRDs or example manifests', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'API.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/bin.js']));
    expect(packedFiles.filter((f) => /^(lib|test|vendor|examples|scripts|bench)\/|^dist\/manifests\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });

  const SETTINGS: Array<[string, ts.CompilerOptions, string[]]> = [
    ['node10 (pulumi new, cdk8s init)', { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }, ['index.ts']],
    ['node16', { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }, ['index.cts', 'index.mts']],
    ['nodenext', { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }, ['index.cts', 'index.mts']],
    ['bundler', { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }, ['index.ts']],
  ];
  it.each(SETTINGS)('every entry point resolves for types under moduleResolution %s, from CommonJS and ESM', (_name, options, importers) => {
    for (const specifier of SPECIFIERS) {
      for (const importer of importers) {
        const from = path.join(consumer, importer);
        const mode = importer.endsWith('.mts') ? ts.ModuleKind.ESNext : importer.endsWith('.cts') ? ts.ModuleKind.CommonJS : undefined;
        const resolved = ts.resolveModuleName(specifier, from, options, ts.sys, undefined, undefined, mode as ts.ResolutionMode).resolvedModule;
        const sub = specifier === pkg.name ? '.' : `./${specifier.slice(pkg.name.length + 1)}`;
        expect({ specifier, importer, file: resolved && path.relative(installed, resolved.resolvedFileName) })
          .toEqual({ specifier, importer, file: path.normalize(pkg.exports[sub].types) });
      }
    }
  });

  it('every entry point loads at run time, from require and from import', () => {
    const script = `const specs = ${JSON.stringify(SPECIFIERS)};
      for (const s of specs) { const m = require(s); if (Object.keys(m).length === 0) throw new Error(s + ' exports nothing'); }
      Promise.all(specs.map((s) => import(s))).then((ms) => console.log(ms.filter((m) => Object.keys(m).length > 0).length));`;
    expect(run(process.execPath, ['-e', script], consumer).trim()).toBe(String(SPECIFIERS.length));
  });
});

describe('the README quick starts, as a newcomer runs them', () => {
  function project(dir: string, tsconfig: string, file: string, source: string): string {
    const at = path.join(consumer, dir);
    fs.mkdirSync(at);
    fs.symlinkSync(path.join(consumer, 'node_modules'), path.join(at, 'node_modules'), 'dir');
    fs.copyFileSync(path.join(__dirname, 'consumer', tsconfig), path.join(at, 'tsconfig.json'));
    fs.copyFileSync(path.join(__dirname, 'readme', source), path.join(at, file));
    run(process.execPath, [TSC, '-p', 'tsconfig.json'], at);
    return at;
  }

  it('Pulumi: compiles with the pulumi new tsconfig and registers the storage and the Config patch, with no long-lived key', () => {
    const at = project('pulumi', 'pulumi-new.tsconfig.json', 'index.ts', 'index.ts');
    const script = `require('${pkg.name}/testing/pulumi').capturePulumiProgram(() => require('./bin/index'))
      .then((r) => console.log(JSON.stringify(r.map((x) => [x.type, x.name]))))`;
    const resources: Array<[string, string]> = JSON.parse(run(process.execPath, ['-e', script], at));
    expect(resources).toEqual(expect.arrayContaining([
      ['aws:s3/bucket:Bucket', 'registry-bucket'],
      ['kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch', 'registry-config'],
      ['openshift-registry-storage:index:S3RegistryStorage', 'registry'],
    ]));
    expect(resources.filter(([type]) => type.startsWith('aws:iam/') || type === 'kubernetes:core/v1:SecretPatch')).toEqual([]);
  }, 90_000);

  it('cdk8s: compiles with the cdk8s init tsconfig and synthesizes the cluster Config', () => {
    const at = project('cdk8s', 'cdk8s-init.tsconfig.json', 'main.ts', 'main.ts');
    run(process.execPath, ['main.js'], at);
    const docs = parseAllDocuments(fs.readFileSync(path.join(at, 'dist', 'registry.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    const config = docs.find((d) => d.kind === 'Config');
    expect(config.metadata.name).toBe('cluster');
    expect(config.metadata.namespace).toBeUndefined();
    expect(config.spec.storage.s3).toEqual({ bucket: 'acme-image-registry', region: 'eu-west-1', encrypt: true });
  }, 60_000);
});
