#!/usr/bin/env node
/**
 * `npm run bench`: what the library costs its users over the SDKs it wraps. Every figure is the
 * median of cold child processes (library and baseline interleaved), against a baseline measured in
 * the same run. Writes BENCHMARKS.md and bench/results/latest.json. Expects a compiled dist/
 * (the npm script compiles first).
 */
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const FLEET_RUNS = Number(process.env.BENCH_FLEET_RUNS ?? 5);
const pkg = require(path.join(ROOT, 'package.json'));

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ratio = (a, b) => a / b;
const fmt = (x, d = 1) => x.toFixed(d);

function worker(script, args) {
  const out = execFileSync(process.execPath, [path.join(__dirname, script), ...args], { cwd: __dirname, encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out);
}

/** Runs library and baseline alternately, `runs` times each; returns the raw samples. */
function paired(runs, library, baseline) {
  const lib = []; const base = [];
  for (let i = 0; i < runs; i++) {
    lib.push(library());
    base.push(baseline());
  }
  return { lib, base };
}

/** Median time of the library's own modules once the SDKs are loaded: the part the library adds, without process noise. */
function ownTime(sdks, entry) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(worker('import-worker.js', ['--after', sdks, entry]).ms);
  return median(samples);
}

function log(line) { process.stdout.write(`${line}\n`); }

const results = { date: new Date().toISOString(), machine: {}, figures: [] };
results.machine = {
  cpus: `${os.cpus().length} x ${os.cpus()[0].model}`, memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version, os: `${os.type()} ${os.release()}`,
  npm: execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim().split('\n').pop(),
};

// 1. import of the cdk8s flavour
{
  const { lib, base } = paired(RUNS, () => worker('import-worker.js', ['openshift-registry-storage/cdk8s']), () => worker('import-worker.js', ['cdk8s']));
  const pulumiLoaded = [...new Set(lib.flatMap((r) => r.loaded.filter((m) => m.startsWith('@pulumi/'))))];
  const l = median(lib.map((r) => r.ms)); const b = median(base.map((r) => r.ms));
  const own = ownTime('cdk8s', 'openshift-registry-storage/cdk8s');
  results.figures.push({ id: 'import-cdk8s', what: 'import openshift-registry-storage/cdk8s vs cdk8s', unit: 'ms', library: l, baseline: b, ratio: ratio(l, b), target: '<= 1.25', met: ratio(l, b) <= 1.25 && pulumiLoaded.length === 0, note: `own modules after the SDKs: ${fmt(own)} ms; @pulumi modules loaded: ${pulumiLoaded.length ? pulumiLoaded.join(', ') : 'none'}` });
  log(`import cdk8s flavour: ${fmt(l)} ms vs ${fmt(b)} ms`);
}

// 2. import of each Pulumi entry
const CLOUDS = {
  aws: ['@pulumi/aws'], gcp: ['@pulumi/gcp'], azure: ['@pulumi/azure-native'], openstack: ['@pulumi/openstack'], kubernetes: [],
};
const FOREIGN = ['@pulumi/aws', '@pulumi/gcp', '@pulumi/azure-native', '@pulumi/openstack', 'cdk8s'];
for (const [cloud, sdk] of Object.entries(CLOUDS)) {
  const { lib, base } = paired(RUNS, () => worker('import-worker.js', [`openshift-registry-storage/pulumi/${cloud}`]), () => worker('import-worker.js', ['@pulumi/pulumi', '@pulumi/kubernetes', ...sdk]));
  const foreign = [...new Set(lib.flatMap((r) => r.loaded.filter((m) => FOREIGN.includes(m) && !sdk.includes(m))))];
  const l = median(lib.map((r) => r.ms)); const b = median(base.map((r) => r.ms));
  const own = ownTime(['@pulumi/pulumi', '@pulumi/kubernetes', ...sdk].join(','), `openshift-registry-storage/pulumi/${cloud}`);
  results.figures.push({ id: `import-pulumi-${cloud}`, what: `import openshift-registry-storage/pulumi/${cloud} vs ${['@pulumi/pulumi', '@pulumi/kubernetes', ...sdk].join(' + ')}`, unit: 'ms', library: l, baseline: b, ratio: ratio(l, b), target: '<= 1.10', met: ratio(l, b) <= 1.10 && foreign.length === 0, note: `own modules after the SDKs: ${fmt(own)} ms; other SDKs loaded: ${foreign.length ? foreign.join(', ') : 'none'}` });
  log(`import pulumi/${cloud}: ${fmt(l)} ms vs ${fmt(b)} ms`);
}

// 3 + 5. a fleet of S3RegistryStorage under Pulumi mocks
const fleet = {};
for (const n of [10, 100]) {
  const { lib, base } = paired(FLEET_RUNS, () => worker('pulumi-fleet-worker.js', ['library', String(n)]), () => worker('pulumi-fleet-worker.js', ['baseline', String(n)]));
  if (lib[0].resources !== base[0].resources) throw new Error(`library and baseline register different resource counts: ${lib[0].resources} vs ${base[0].resources}`);
  fleet[n] = { l: median(lib.map((r) => r.ms)), b: median(base.map((r) => r.ms)), lr: median(lib.map((r) => r.rssMiB)), br: median(base.map((r) => r.rssMiB)), resources: lib[0].resources };
  log(`pulumi fleet N=${n}: ${fmt(fleet[n].l)} ms vs ${fmt(fleet[n].b)} ms (${fleet[n].resources} resources)`);
}
results.figures.push({ id: 'pulumi-fleet-100', what: `Pulumi program with 100 S3RegistryStorage under mocks vs the same ${fleet[100].resources} resources declared with the SDKs`, unit: 'ms', library: fleet[100].l, baseline: fleet[100].b, ratio: ratio(fleet[100].l, fleet[100].b), target: '<= 1.2', met: ratio(fleet[100].l, fleet[100].b) <= 1.2, note: `N=10: ${fmt(fleet[10].l)} ms vs ${fmt(fleet[10].b)} ms` });
results.figures.push({ id: 'pulumi-fleet-scaling', what: 'S3RegistryStorage fleet: time(N=100) / time(N=10), library (baseline alongside)', unit: 'x', library: fleet[100].l / fleet[10].l, baseline: fleet[100].b / fleet[10].b, ratio: fleet[100].l / fleet[10].l, target: '<= 12', met: fleet[100].l / fleet[10].l <= 12, note: '' });
results.figures.push({ id: 'pulumi-fleet-rss', what: 'peak RSS of the N=100 Pulumi program', unit: 'MiB', library: fleet[100].lr, baseline: fleet[100].br, ratio: ratio(fleet[100].lr, fleet[100].br), target: 'reported', met: true, note: '' });

// Fleet inventories: 100 and 1,000 clusters through the ACM and Argo CD outputs
{
  const runs = (what, n) => Array.from({ length: FLEET_RUNS }, () => worker('fleet-inventory-worker.js', [what, String(n)]));
  const m = (rs, k) => median(rs.map((r) => r[k]));
  const acm100 = runs('acm', 100); const acm1000 = runs('acm', 1000); const argo1000 = runs('argocd', 1000);
  const floor100 = runs('yaml', 100); const floor1000 = runs('yaml', 1000);
  const l = m(acm1000, 'ms'); const b = m(floor1000, 'ms');
  results.figures.push({ id: 'fleet-acm-1000', what: 'fleet synth of a 1,000-cluster inventory into ACM policies (load, validate, every cluster\'s construct, templates) vs loading it and writing as many Configs with js-yaml', unit: 'ms', library: l, baseline: b, ratio: ratio(l, b), target: '< 10 s', met: l < 10000, note: `${acm1000[0].profiles} profiles; N=100: ${fmt(m(acm100, 'ms'))} ms` });
  results.figures.push({ id: 'fleet-acm-scaling', what: 'fleet synth, ACM: time(N=1,000) / time(N=100) (js-yaml floor alongside)', unit: 'x', library: l / m(acm100, 'ms'), baseline: b / m(floor100, 'ms'), ratio: l / m(acm100, 'ms'), target: '<= 10 (linear)', met: l / m(acm100, 'ms') <= 10, note: '' });
  results.figures.push({ id: 'fleet-acm-rss', what: 'peak RSS of the 1,000-cluster ACM synth (N=100 in the note)', unit: 'MiB', library: m(acm1000, 'rssMiB'), baseline: m(floor1000, 'rssMiB'), ratio: ratio(m(acm1000, 'rssMiB'), m(floor1000, 'rssMiB')), target: 'reported', met: true, note: `N=100: ${fmt(m(acm100, 'rssMiB'))} MiB` });
  const a = m(argo1000, 'ms');
  results.figures.push({ id: 'fleet-argocd-1000', what: 'fleet synth of the 1,000-cluster inventory into Argo CD folders and an ApplicationSet vs the js-yaml floor', unit: 'ms', library: a, baseline: b, ratio: ratio(a, b), target: '< 10 s', met: a < 10000, note: `${fmt(argo1000[0].bytes / 2 ** 20)} MiB written; peak RSS ${fmt(m(argo1000, 'rssMiB'))} MiB` });
  log(`fleet N=1000: acm ${fmt(l)} ms, argocd ${fmt(a)} ms (floor ${fmt(b)} ms)`);
}

// 4 + 5. cdk8s synth of 100 clusters' PvcRegistryStorage
{
  const { lib, base } = paired(FLEET_RUNS, () => worker('cdk8s-fleet-worker.js', ['library', '100']), () => worker('cdk8s-fleet-worker.js', ['baseline', '100']));
  if (lib[0].bytes !== base[0].bytes) throw new Error(`library and baseline synthesize different YAML sizes: ${lib[0].bytes} vs ${base[0].bytes}`);
  const l = median(lib.map((r) => r.ms)); const b = median(base.map((r) => r.ms));
  results.figures.push({ id: 'cdk8s-fleet-100', what: 'cdk8s synth of 100 charts with a PvcRegistryStorage vs hand-built ApiObjects (same YAML)', unit: 'ms', library: l, baseline: b, ratio: ratio(l, b), target: '<= 1.5', met: ratio(l, b) <= 1.5, note: '' });
  const lr = median(lib.map((r) => r.rssMiB)); const br = median(base.map((r) => r.rssMiB));
  results.figures.push({ id: 'cdk8s-fleet-rss', what: 'peak RSS of the 100-chart synth', unit: 'MiB', library: lr, baseline: br, ratio: ratio(lr, br), target: 'reported', met: true, note: '' });
  log(`cdk8s fleet N=100: ${fmt(l)} ms vs ${fmt(b)} ms`);
}

// 5b. `check` on large inputs: linear in size, bounded in memory
{
  const check = {};
  // 15 MiB: just under the CLI's 16 MiB input limit (lib/core/bounded-input.ts); 50 MiB must be refused at once.
  for (const mib of [5, 15]) {
    const { lib, base } = paired(FLEET_RUNS, () => worker('check-worker.js', ['library', String(mib)]), () => worker('check-worker.js', ['baseline', String(mib)]));
    if (lib.some((r) => r.exit !== 0)) throw new Error(`check exited ${lib.map((r) => r.exit).join(',')} on the ${mib} MiB input`);
    check[mib] = { l: median(lib.map((r) => r.ms)), b: median(base.map((r) => r.ms)), lr: Math.max(...lib.map((r) => r.rssMiB)), br: Math.max(...base.map((r) => r.rssMiB)) };
    log(`check ${mib} MiB: ${fmt(check[mib].l)} ms (${fmt(check[mib].lr)} MiB) vs loading it ${fmt(check[mib].b)} ms`);
  }
  results.figures.push({ id: 'check-5mib', what: 'CLI check of a 5 MiB single-map YAML Config vs loading it with js-yaml', unit: 'ms', library: check[5].l, baseline: check[5].b, ratio: ratio(check[5].l, check[5].b), target: 'reported', met: true, note: `peak RSS ${fmt(check[5].lr)} MiB (loading alone ${fmt(check[5].br)} MiB)` });
  const refused = worker('check-worker.js', ['library', '50']);
  if (refused.exit !== 2) throw new Error(`check exited ${refused.exit} on the 50 MiB input, not 2 (refused)`);
  results.figures.push({ id: 'check-15mib', what: 'CLI check of a 15 MiB single-map YAML Config vs loading it with js-yaml', unit: 'ms', library: check[15].l, baseline: check[15].b, ratio: ratio(check[15].l, check[15].b), target: '< 10 s, < 1 GiB', met: check[15].l < 10000 && check[15].lr < 1024, note: `peak RSS ${fmt(check[15].lr)} MiB; time(15)/time(5) = ${fmt(check[15].l / check[5].l, 2)} (loading alone ${fmt(check[15].b / check[5].b, 2)}); a 50 MiB input is refused with one line in ${fmt(refused.ms)} ms (the limit is 16 MiB)` });
}

// 6. installed size of a cdk8s-only consumer
{
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-size-'));
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop();
  const peers = ['cdk8s', 'constructs'].map((p) => `${p}@${pkg.devDependencies[p]}`);
  const install = (dir, specs) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}');
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--omit=dev', ...specs], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm install failed in ${dir}: ${r.stderr}`);
    return Number(execFileSync('du', ['-sb', path.join(dir, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
  };
  const l = install(path.join(tmp, 'library'), [path.join(tmp, tgz), ...peers]);
  const b = install(path.join(tmp, 'baseline'), peers);
  const tarball = fs.statSync(path.join(tmp, tgz)).size;
  fs.rmSync(tmp, { recursive: true, force: true });
  results.figures.push({ id: 'install-size-cdk8s', what: 'installed size, cdk8s-only consumer: package + its dependencies + peers vs cdk8s + constructs', unit: 'MiB', library: l / 2 ** 20, baseline: b / 2 ** 20, ratio: ratio(l, b), target: '<= 1.1', met: ratio(l, b) <= 1.1, note: `packed tarball ${fmt(tarball / 1024)} KiB` });
  log(`install size: ${fmt(l / 2 ** 20)} MiB vs ${fmt(b / 2 ** 20)} MiB`);
}

// 7. full npm test
if (process.env.BENCH_SKIP_TEST !== '1') {
  const start = Date.now();
  const r = spawnSync('npm', ['test'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const s = (Date.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`npm test failed:\n${r.stdout.slice(-2000)}`);
  results.figures.push({ id: 'npm-test', what: 'wall time of the full npm test (tsc, jest, API.md check, eslint)', unit: 's', library: s, baseline: 120, ratio: s / 120, target: '<= 120 s', met: s <= 120, note: '' });
  log(`npm test: ${fmt(s)} s`);
}

fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);

const rows = results.figures.map((f) => `| ${f.what} | ${fmt(f.library, f.unit === 'x' ? 2 : 1)} ${f.unit} | ${fmt(f.baseline, f.unit === 'x' ? 2 : 1)} ${f.unit} | ${fmt(f.ratio, 2)} | ${f.target} | ${f.met ? 'met' : '**missed**'} | ${f.note} |`);
const md = `# Benchmarks

What openshift-registry-storage costs its users over the SDKs it wraps. Generated by \`npm run bench\`
(bench/run.js); every figure is the median of cold child processes, library and baseline
interleaved, with the baseline measured in the same run (${RUNS} runs per import figure,
${FLEET_RUNS} per program figure).

- Date: ${results.date}
- Machine: ${results.machine.cpus}, ${results.machine.memoryGiB} GiB, ${results.machine.os}
- Node ${results.machine.node}, npm ${results.machine.npm}

| figure | library | baseline | ratio | target | result | note |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Reproduce: \`npm ci && npm run bench\` (about seven minutes on this machine; \`BENCH_RUNS\`, \`BENCH_FLEET_RUNS\` and
\`BENCH_SKIP_TEST=1\` adjust it). Raw samples' medians are in \`bench/results/latest.json\` (not committed).
${fs.existsSync(path.join(__dirname, 'e2e.md')) ? `\n<!-- e2e:start -->\n${fs.readFileSync(path.join(__dirname, 'e2e.md'), 'utf8')}<!-- e2e:end -->\n` : ''}${fs.existsSync(path.join(__dirname, 'NOTES.md')) ? `\n${fs.readFileSync(path.join(__dirname, 'NOTES.md'), 'utf8')}` : ''}`;
fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), md);
log('\nwrote BENCHMARKS.md');
if (results.figures.some((f) => !f.met)) log(`missed: ${results.figures.filter((f) => !f.met).map((f) => f.id).join(', ')}`);
