import { javascript, typescript } from 'projen';

/**
 * openshift-registry-storage: one registry core, a cdk8s flavour and a Pulumi flavour.
 *
 * Dependency policy: the core (`.`) has no runtime dependency on Pulumi or cdk8s. Every SDK is an
 * *optional* peer dependency, so a cdk8s user never installs Pulumi and an AWS user never installs
 * azure-native. The same SDKs are devDependencies here, for our own tests.
 */
const PULUMI_DEV = '3.248.0'; // @pulumi/pulumi >= 3.249 declares engines.node >= 22; CI and this machine run Node 20.

const peers: Record<string, string> = {
  'cdk8s': '^2.68.0',
  'constructs': '^10.3.0',
  '@pulumi/pulumi': '^3.142.0',
  // 4.29.0: a create fails with AlreadyExists instead of silently upserting an existing object
  // (pulumi-kubernetes #4278; the `upsertExistingObjects` provider option first appears in 4.29.0's
  // provider.d.ts). Before it, a jobNamespace that already exists would be adopted by the
  // component's Namespace and deleted on `pulumi destroy`, with everything in it. (pulumi.com/waitFor
  // on a map value needs 4.18.4 too, which this covers.)
  '@pulumi/kubernetes': '^4.29.0',
  '@pulumi/aws': '^7.0.0',
  '@pulumi/gcp': '^9.0.0',
  '@pulumi/azure-native': '^3.0.0',
  '@pulumi/openstack': '^3.0.0',
};

const devPins: Record<string, string> = {
  'cdk8s': '2.70.106',
  'constructs': '10.8.1',
  '@pulumi/pulumi': PULUMI_DEV,
  '@pulumi/kubernetes': '4.34.2',
  '@pulumi/aws': '7.48.0',
  '@pulumi/gcp': '9.37.0',
  '@pulumi/azure-native': '3.28.0',
  '@pulumi/openstack': '3.15.2',
};

const project = new typescript.TypeScriptProject({
  name: 'openshift-registry-storage',
  packageName: 'openshift-registry-storage',
  description: 'Give the OpenShift image registry its storage in one step: S3, GCS, Azure Blob, Swift, PVC or emptyDir, as Pulumi components or cdk8s constructs over one validated core.',
  keywords: ['openshift', 'image-registry', 'pulumi', 'cdk8s', 's3', 'gcs', 'azure', 'swift', 'pvc'],
  license: 'Apache-2.0',
  copyrightOwner: 'openshift-registry-storage contributors',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  srcdir: 'lib',
  libdir: 'dist',
  testdir: 'test',
  sampleCode: false,
  entrypoint: 'dist/index.js',
  entrypointTypes: 'dist/index.d.ts',
  bin: { 'openshift-registry-storage': 'dist/cli/bin.js' },

  // No hosted CI scaffolding: CI is .ci/run on a clean clone.
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,

  typescriptVersion: '5.9.3',
  // Lint checks in `npm test`; it must not rewrite files in CI.
  eslintOptions: { dirs: ['lib', 'test', 'examples', 'scripts', 'e2e'], commandOptions: { fix: false } },
  // js-yaml for the CLI: linear in input size (50 MB in seconds), where yaml's unique-key check is
  // quadratic on large maps.
  deps: ['js-yaml@^4.1.1'],
  devDeps: [
    '@types/node@^20',
    '@types/js-yaml@^4',
    'yaml@^2.6.0', // tests and scripts
    'typedoc@0.28.20',
    // 3.8.x is pure JS. v4 pulls unrs-resolver, whose per-platform optional bindings npm 11 leaves
    // out of the lock file, after which `npm ci` refuses the lock.
    'eslint-import-resolver-typescript@3.8.7',
    'typedoc-plugin-markdown@4.14.1',
    'fast-check@^4.11.0', // property tests of the planners
    ...Object.entries(devPins).map(([n, v]) => `${n}@${v}`),
  ],
  peerDeps: Object.entries(peers).map(([n, v]) => `${n}@${v}`),
  peerDependencyOptions: { pinnedDevDependency: false },

  jestOptions: {
    jestVersion: '^29',
    // projen's default is `jest --updateSnapshot`, which would let snapshot drift pass CI unseen.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    junitReporting: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // The packed-tarball test (npm pack, tsc of both quick starts) runs in `test:package`, which
      // `npm run e2e` runs: it alone took a third of npm test's time on 2 cores.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumer.test.ts'],
      collectCoverage: false,
      testTimeout: 60_000,
      moduleNameMapper: {
        '^openshift-registry-storage$': '<rootDir>/lib/index.ts',
        '^openshift-registry-storage/(.*)$': '<rootDir>/lib/$1',
      },
    },
  },
  tsconfig: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
      isolatedModules: true,
      // Inline maps with sources make every file several times larger, and Node parses them all at
      // import (the schema module went from 31 KB to 147 KB). The package ships JS and .d.ts only.
      inlineSourceMap: false,
      inlineSources: false,
    },
  },
  tsconfigDev: {
    // projen keeps the dev tsconfig in test/; paths here are relative to it.
    include: ['../lib/**/*.ts', '../examples/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts', '../e2e/**/*.ts', '../.projenrc.ts'],
    compilerOptions: {
      skipLibCheck: true,
      // ts-jest then transpiles each file alone instead of type-checking it again through a language
      // service (about half of jest's time): `tsc --noEmit` above type-checks everything once.
      isolatedModules: true,
      // Examples import the package by its public name, as users do; type-check them against lib/.
      baseUrl: '..',
      paths: {
        'openshift-registry-storage': ['lib/index.ts'],
        'openshift-registry-storage/*': ['lib/*/index.ts', 'lib/*.ts'],
      },
    },
  },
});

// Optional peers: installing the package must not drag in any SDK.
project.package.addField('peerDependenciesMeta',
  Object.fromEntries(Object.keys(peers).map((n) => [n, { optional: true }])));

project.package.addField('engines', { node: '>=20' });

// One entry per flavour and per cloud, so that a program loads only the SDK it uses.
const entries: Record<string, string> = {
  'cdk8s': 'cdk8s/index',
  'pulumi/aws': 'pulumi/aws/index',
  'pulumi/gcp': 'pulumi/gcp/index',
  'pulumi/azure': 'pulumi/azure/index',
  'pulumi/openstack': 'pulumi/openstack/index',
  'pulumi/kubernetes': 'pulumi/kubernetes/index',
  'testing/pulumi': 'testing/pulumi',
  'testing/cdk8s': 'testing/cdk8s',
};
const entry = (p: string) => ({ types: `./dist/${p}.d.ts`, default: `./dist/${p}.js` });
project.package.addField('exports', {
  '.': entry('index'),
  ...Object.fromEntries(Object.entries(entries).map(([sub, file]) => [`./${sub}`, entry(file)])),
  './package.json': './package.json',
});
// TypeScript's classic resolver (`moduleResolution: node`/`node10`, what `pulumi new` and `cdk8s
// init` generate) ignores `exports`; typesVersions gives it the same subpaths. Node itself reads
// `exports` at run time.
project.package.addField('typesVersions', {
  '*': Object.fromEntries(Object.entries(entries).map(([sub, file]) => [sub, [`dist/${file}.d.ts`]])),
});

const devTsconfig = project.tsconfigDev.fileName;

// ts-jest transpiles only; `tsc --noEmit` below type-checks lib, test and examples once.
project.jest!.config.transform = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: devTsconfig }],
};

// Generated code: the CRD types and schema, from the vendored openshift/api CRD (committed; one command).
project.addTask('gen:crd', {
  description: 'Regenerate lib/generated/* and lib/cdk8s/generated/* from the vendored CRDs (vendor/openshift-api, vendor/controllers-crds)',
  exec: `ts-node --project ${devTsconfig} scripts/gen-crd.ts`,
});
// The repository stands alone: what the tests and the generator read is vendored. This refreshes the
// copy from the shared ground truth beside the project (a test fails when they drift apart).
project.addTask('vendor:sync', {
  description: 'Copy ../shared/openshift-api, ../shared/openshift-api-imagepruner, ../shared/openshift-api-releases and ../shared/controllers-crds into vendor/ (then run gen:crd)',
  exec: 'rm -rf vendor/openshift-api vendor/openshift-api-imagepruner vendor/openshift-api-releases vendor/controllers-crds && mkdir -p vendor '
    + '&& cp -r ../shared/openshift-api vendor/openshift-api && cp -r ../shared/openshift-api-imagepruner vendor/openshift-api-imagepruner '
    + '&& cp -r ../shared/openshift-api-releases vendor/openshift-api-releases '
    + '&& cp -r ../shared/controllers-crds vendor/controllers-crds && chmod -R u+w vendor',
});

// The README's first command: the offline main job.
// Examples import the package by name: Node resolves that to dist/ through package.json "exports".
const mainTask = project.addTask('main', {
  description: 'Synthesize the cdk8s examples into dist/manifests and print the Pulumi examples\' graphs (offline)',
});
mainTask.spawn(project.compileTask);
mainTask.exec(`ts-node --transpile-only --project ${devTsconfig} scripts/main.ts`);

// End to end on real storage (not part of npm test; .ci/run runs it): Debian's Keystone, Swift,
// Ceph RGW, the CNCF distribution registry and skopeo on 127.0.0.1. Needs root on Debian.
// What a consumer gets: the packed tarball, its entry points under every module resolution, both
// quick starts compiled with the `pulumi new` and `cdk8s init` tsconfigs and run.
const testPackage = project.addTask('test:package', {
  description: 'Pack the library with npm pack and compile and run both README quick starts against the tarball (test/consumer.test.ts)',
  exec: 'jest --ci --testPathIgnorePatterns /node_modules/ --runTestsByPath test/consumer.test.ts',
});
const e2e = project.addTask('e2e', {
  description: 'The packed-tarball test, then the library\'s output on real Swift/Keystone, Ceph RGW and a filesystem with the CNCF registry and skopeo (root, Debian), and the server-side-apply replay',
});
e2e.spawn(testPackage);
e2e.spawn(project.compileTask);
e2e.exec(`ts-node --transpile-only --project ${devTsconfig} e2e/run.ts`);

// Benchmarks (not part of npm test): npm run bench writes BENCHMARKS.md.
const bench = project.addTask('bench', { description: 'Measure the library against the SDKs it wraps; writes BENCHMARKS.md' });
bench.spawn(project.compileTask);
bench.exec('node bench/run.js');

// API.md from the TSDoc of the public entry points (committed; the test run fails when stale).
project.addTask('docgen', {
  description: 'Regenerate API.md from the TSDoc of the public API',
  exec: 'node scripts/docgen.mjs',
});


project.testTask.reset();
// The static checks are single-threaded: on 2 cores they run beside each other (scripts/parallel.mjs),
// then jest, which uses both cores. One after another they took longer than jest itself.
const lintDirs = ['lib', 'test', 'examples', 'scripts', 'e2e', 'build-tools', 'projenrc', '.projenrc.ts'].join(' ');
project.testTask.exec([
  'node scripts/parallel.mjs',
  `'typecheck=tsc --noEmit -p ${devTsconfig}'`,
  '\'api-md-fresh=node scripts/docgen.mjs --check\'',
  '\'problem-codes-fresh=node scripts/problem-codes.mjs --check\'',
  `'eslint=ESLINT_USE_FLAT_CONFIG=false NODE_NO_WARNINGS=1 eslint --ext .ts,.tsx --no-error-on-unmatched-pattern ${lintDirs}'`,
].join(' '), { name: 'static checks' });
project.testTask.exec('jest --passWithNoTests --ci', { receiveArgs: true });

project.gitignore.exclude('/dist/', '/bench/results/', '.tmp/', '/test-reports/', '/coverage/');
project.npmignore?.exclude('/examples/', '/scripts/', '/e2e/', '/.tmp/', '/bench/', '/.ci/', '/BENCHMARKS.md', '/test-reports/', '/vendor/', '/dist/manifests/');
// projen adds a bare `dist` exclusion for jsii; our compiled output *is* dist/.
project.npmignore?.removePatterns('dist');

// Lint lib, test, scripts and examples with the dev tsconfig, which includes them all.
const eslintrc = project.tryFindObjectFile('.eslintrc.json')!;
eslintrc.addDeletionOverride('parserOptions.projectService');
// One type-aware program for everything (the dev tsconfig includes lib/): half the lint time of two.
eslintrc.addOverride('parserOptions.project', [`./${devTsconfig}`]);
// Resolve imports with the dev tsconfig too: its `paths` map `openshift-registry-storage/*` to lib/,
// so lint does not depend on a built dist/ (`npm ci && npm test` works without `npm run main`).
eslintrc.addOverride('settings.import/resolver.typescript.project', `./${devTsconfig}`);
// Scripts (generator, main job) are development tools: they may use devDependencies.
// The README's code blocks are test/readme/ files, copied as users would: `require('./index')`.
project.eslint!.addOverride({ files: ['test/readme/**'], rules: { '@typescript-eslint/no-require-imports': 'off' } });
project.addTask('changelog', { description: 'Write CHANGELOG.md from the conventional commits since the last v* tag', exec: 'node scripts/changelog.mjs' });
project.addTask('problem-codes', { description: 'Write lib/core/problem-codes.ts and docs/problem-codes.md from the codes the library raises', exec: 'node scripts/problem-codes.mjs' });
project.addTask('readme:sync', { description: 'Copy test/readme/ files into the README blocks that name them', exec: 'node scripts/sync-readme.mjs' });
eslintrc.addOverride('rules.import/no-extraneous-dependencies.1.devDependencies', ['**/test/**', '**/build-tools/**', '.projenrc.ts', 'projenrc/**/*.ts', 'scripts/**', 'e2e/**']);

project.synth();
