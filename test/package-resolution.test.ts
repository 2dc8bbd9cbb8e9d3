import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Every public entry point resolves, for types, under the module resolutions consumers use:
 * `node10` (`moduleResolution: node`, which `pulumi new` and `cdk8s init` generate), `node16`,
 * `nodenext` and `bundler`, from CommonJS and from ESM files. The package is laid out as npm
 * installs it (the real package.json, a file at every path it names) and TypeScript's own
 * resolver is asked, as `tsc` would ask it.
 */
const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const SPECIFIERS = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));

let consumer: string;
beforeAll(() => {
  consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-consumer-'));
  const installed = path.join(consumer, 'node_modules', pkg.name);
  fs.mkdirSync(installed, { recursive: true });
  fs.writeFileSync(path.join(installed, 'package.json'), JSON.stringify(pkg));
  for (const target of Object.values<any>(pkg.exports)) {
    if (typeof target !== 'object') continue;
    for (const file of [target.types, target.default]) {
      fs.mkdirSync(path.dirname(path.join(installed, file)), { recursive: true });
      fs.writeFileSync(path.join(installed, file), file.endsWith('.d.ts') ? 'export {};\n' : 'module.exports = {};\n');
    }
  }
});
afterAll(() => fs.rmSync(consumer, { recursive: true, force: true }));

const SETTINGS: Array<[string, ts.CompilerOptions, string[]]> = [
  ['node10 (pulumi new, cdk8s init)', { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }, ['index.ts']],
  ['node16', { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }, ['index.cts', 'index.mts']],
  ['nodenext', { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }, ['index.cts', 'index.mts']],
  ['bundler', { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }, ['index.ts']],
];

describe.each(SETTINGS)('moduleResolution %s', (_name, options, importers) => {
  it.each(SPECIFIERS)('%s', (specifier) => {
    for (const importer of importers) {
      const from = path.join(consumer, importer);
      const mode = importer.endsWith('.mts') ? ts.ModuleKind.ESNext : importer.endsWith('.cts') ? ts.ModuleKind.CommonJS : undefined;
      const resolved = ts.resolveModuleName(specifier, from, options, ts.sys, undefined, undefined, mode as ts.ResolutionMode).resolvedModule;
      const sub = specifier === pkg.name ? '.' : `./${specifier.slice(pkg.name.length + 1)}`;
      expect({ importer, file: resolved && path.relative(consumer, fs.realpathSync(resolved.resolvedFileName)) })
        .toEqual({ importer, file: path.join('node_modules', pkg.name, pkg.exports[sub].types) });
    }
  });
});
