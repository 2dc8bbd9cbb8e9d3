/**
 * `npm run e2e`: the library's output on real storage. Installs Debian's Keystone, Swift, Ceph
 * (mon, OSD on memstore, RGW), the CNCF distribution registry and skopeo when missing, starts them
 * on 127.0.0.1, runs every scenario, stops every process it started (also on failure and on
 * SIGINT/SIGTERM), and prints `e2e: N passed, M failed` last. Exit code 0 only when all pass.
 *
 * E2E_ONLY=<substring> runs the matching scenarios only (a group's name, such as `ssa`, runs the
 * whole group; `ssa` alone installs only Go); E2E_KEEP=1 keeps the working folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ScenarioContext, StepError } from './harness';
import { buildImage } from './image';
import { ensurePackages, PACKAGES, SSA_PACKAGES } from './install';
import { Supervisor } from './proc';
import { CephEnv, cephScenarios, setUpCeph } from './scenarios/ceph';
import { filesystemScenarios } from './scenarios/filesystem';
import { MIGRATION_BENCH, migrationScenarios } from './scenarios/migration';
import { OpenStack, openStackScenarios, setUpOpenStack } from './scenarios/openstack';
import { PRUNE_BENCH, pruneScenarios } from './scenarios/prune';
import { ssaScenarios } from './scenarios/ssa';
import { Scenario } from './scenarios/types';

const ROOT = path.resolve(__dirname, '..');
const ARTIFACTS = path.resolve(process.env.E2E_ARTIFACTS ?? path.join(ROOT, '.tmp', 'e2e-artifacts'));
/**
 * The suite's time limit once its packages are installed (apt-get has bounds of its own): past it
 * the runner stops everything and fails.
 */
const SUITE_LIMIT_MS = 6 * 60_000;

let passed = 0;
let failed = 0;

async function main(): Promise<number> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-e2e-'));
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const sup = new Supervisor(path.join(ARTIFACTS, 'logs'));
  const stopNow = (sig: string) => {
    log(`e2e: ${sig}: stopping every server`);
    sup.killAllNow();
    log(`e2e: ${passed} passed, ${failed + 1} failed (interrupted)`);
    process.exit(130);
  };
  process.on('SIGINT', () => stopNow('SIGINT'));
  process.on('SIGTERM', () => stopNow('SIGTERM'));
  process.on('exit', () => sup.killAllNow());
  let watchdog: NodeJS.Timeout | undefined;

  try {
    let openstack: OpenStack | undefined;
    let ceph: CephEnv | undefined;
    const only = process.env.E2E_ONLY;
    const all: Array<{ group: string; scenarios: Scenario[] }> = [
      // No server: Kubernetes' server-side-apply library replays the Config's writes (needs only Go).
      { group: 'ssa', scenarios: ssaScenarios() },
      { group: 'openstack', scenarios: openStackScenarios(() => openstack!) },
      { group: 'ceph', scenarios: cephScenarios(() => ceph!) },
      { group: 'filesystem', scenarios: [...filesystemScenarios(), ...pruneScenarios()] },
      // Keystone and Swift, and Ceph, together: the copies between them.
      { group: 'migration', scenarios: migrationScenarios(() => ({ ceph: ceph!, openstack: openstack! })) },
    ];
    const pick = (group: string, scenarios: Scenario[]) => scenarios.filter((s) => !only || only === group || s.name.includes(only)
      || (only === 'swift-application-credential-rules' && s.name === 'swift-region-name'));
    const onlySsa = all.every(({ group, scenarios }) => group === 'ssa' || pick(group, scenarios).length === 0);

    const tInstall = Date.now();
    const installed = ensurePackages(log, onlySsa ? SSA_PACKAGES : PACKAGES);
    timings.install = Date.now() - tInstall;
    log(installed.length ? `installed ${installed.length} packages in ${(timings.install / 1000).toFixed(1)}s` : 'packages already installed');
    // From here on: a cold package cache (Ceph, Swift, Go) can take minutes, bounded in install.ts.
    watchdog = setTimeout(() => stopNow(`over the ${SUITE_LIMIT_MS / 60_000}-minute limit`), SUITE_LIMIT_MS);
    watchdog.unref();

    const image = buildImage(path.join(work, 'image'), 'v1', 12);
    for (const { group, scenarios } of all) {
      const chosen = pick(group, scenarios);
      if (chosen.length === 0) continue;
      const tUp = Date.now();
      try {
        if (group === 'openstack' || group === 'migration') openstack = await setUpOpenStack(sup, path.join(work, `openstack-${group}`));
        if (group === 'ceph' || group === 'migration') ceph = await setUpCeph(sup, path.join(work, `ceph-${group}`));
      } catch (e) {
        log(`FAIL ${group} servers: ${(e as Error).message}`);
        failed += chosen.length;
        continue;
      }
      timings[`${group} servers up`] = Date.now() - tUp;
      const exposed = sup.listenersOutsideLoopback();
      if (exposed.length > 0) {
        log(`FAIL ${group} servers: not on 127.0.0.1 only: ${exposed.join(', ')}`);
        failed += chosen.length;
        await sup.stopAll();
        continue;
      }
      if (group !== 'filesystem' && group !== 'ssa') log(`${group} servers up in ${(timings[`${group} servers up`] / 1000).toFixed(1)}s`);
      for (const s of chosen) {
        const ok = await runScenario(s, sup, work, image, log, timings);
        if (ok) passed++;
        else failed++;
      }
      await sup.stopAll();
      await openstack?.recorder.close();
      openstack = undefined;
    }
  } catch (e) {
    log(`FAIL e2e setup: ${(e as Error).message}`);
    failed++;
  } finally {
    await sup.stopAll();
    clearTimeout(watchdog);
    timings.total = Date.now() - t0;
    fs.writeFileSync(path.join(ARTIFACTS, 'timings.json'), JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])), null, 2) + '\n');
    if (!process.env.E2E_KEEP) fs.rmSync(work, { recursive: true, force: true });
  }
  if (process.env.E2E_PRINT_ARTIFACTS) printArtifacts(log);
  if (process.env.E2E_WRITE_BENCHMARKS && failed === 0) writeBenchmarks(timings);
  log(`artefacts: ${path.relative(process.cwd(), ARTIFACTS) || ARTIFACTS} (emitted YAML with throwaway credentials, registry env without secrets, storage listings, logs, timings)`);
  log(`time: ${(timings.total / 1000).toFixed(1)}s`);
  log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

/**
 * E2E_WRITE_BENCHMARKS=1: the run's times go to bench/e2e.md (which `npm run bench` includes) and
 * into BENCHMARKS.md between its e2e markers.
 */
function writeBenchmarks(timings: Record<string, number>): void {
  const s = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
  const scenarios = Object.entries(timings).filter(([k]) => !['install', 'total'].includes(k) && !k.endsWith('servers up'));
  const md = `## End to end on real storage (\`npm run e2e\`)

- Date: ${new Date().toISOString()}; ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}
- Packages: ${timings.install > 1000 ? 'installed by this run from a cold package cache (no apt lists, no .deb cache)' : 'already installed'}

| step | time | target |
| --- | --- | --- |
| apt-get update and install of the ${PACKAGES.length} Debian packages | ${s(timings.install)} | |
| Keystone (db_sync, bootstrap, uwsgi) and Swift up | ${s(timings['openstack servers up'])} | |
| Ceph mon, OSD (memstore) and RGW up | ${s(timings['ceph servers up'])} | |
| ${scenarios.length} scenarios (${s(scenarios.reduce((a, [, v]) => a + v, 0))} in all; slowest: ${scenarios.sort((a, b) => b[1] - a[1]).slice(0, 2).map(([k, v]) => `${k} ${s(v)}`).join(', ')}) | | |
| **whole suite**, without the TypeScript build | **${s(timings.total)}** | < 6 min |

Each push moves a 12 MiB random layer (gzip cannot shrink it) and pulls it back.
${migrationRows()}${pruneRows()}`;
  fs.writeFileSync(path.join(ROOT, 'bench', 'e2e.md'), md);
  const bench = path.join(ROOT, 'BENCHMARKS.md');
  const current = fs.readFileSync(bench, 'utf8');
  const block = `<!-- e2e:start -->\n${md}<!-- e2e:end -->\n`;
  const marked = /<!-- e2e:start -->[\s\S]*?<!-- e2e:end -->\n/;
  fs.writeFileSync(bench, marked.test(current) ? current.replace(marked, block)
    : current.replace('\n## Reading the figures', `\n${block}\n## Reading the figures`));
}

/** The migration rows (scenario migrate-bench): the copy against bare rclone, and the read-only window at two sizes. */
function migrationRows(): string {
  const { copy, window } = MIGRATION_BENCH;
  if (!copy || !window) return '';
  const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const copyRatio = med(copy.library) / med(copy.bare);
  const windowRatio = window.large.seconds / window.small.seconds;
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  return `
### Moving the images (scenario \`migrate-bench\`, Debian's rclone 1.60, a folder to Ceph RGW)

| measure | library | baseline | ratio | target | verdict |
| --- | --- | --- | --- | --- | --- |
| copy of a ${mib(copy.bytes)} registry tree (blobs of 4 MiB), median of ${copy.library.length}, vs bare \`rclone copy\` of the same tree in the same run | ${med(copy.library).toFixed(2)} s | ${med(copy.bare).toFixed(2)} s | ${copyRatio.toFixed(2)} | <= 1.15 | ${verdict(copyRatio <= 1.15)} |
| read-only window (the final pass: copy, hash what is new, check every link) with the same ${mib(window.deltaBytes)} new, at ${mib(window.large.bytes)} vs ${mib(window.small.bytes)} stored | ${window.large.seconds.toFixed(2)} s | ${window.small.seconds.toFixed(2)} s | ${windowRatio.toFixed(2)} | <= 1.3 | ${verdict(windowRatio <= 1.3)} |

The library's copy is the script's \`copy\` mode (what \`pre\` does before hashing): one \`rclone copy\`
by name and size, after three listings (the destination can be listed, the source holds a tree, no
final pass passed there), about 0.3 s whatever the size. The window is
what pushes are refused for, less the registry's two rolls (read-only on, then the switch), which
no cluster here can time.
`;
}

/** The hard prune's row (scenario hard-prune-orphaned-blobs): what it freed. */
function pruneRows(): string {
  const { freedBytes, orphans, keptBlobs, seconds } = PRUNE_BENCH;
  if (freedBytes === undefined) return '';
  return `
### What a hard prune frees (scenario \`hard-prune-orphaned-blobs\`, a folder, Debian's registry 2.8)

An image pushed, then its manifest deleted: its ${orphans} blobs are orphans. In the read-only window
a check pass deleted nothing, then the deleting pass freed **${(freedBytes / 2 ** 20).toFixed(1)} MiB**, exactly those
${orphans} blobs, and kept the other ${keptBlobs} (every other image still pulls), in ${seconds! < 0.1 ? 'under 0.1 s' : `${seconds!.toFixed(1)} s`} for both passes.
distribution's \`garbage-collect\` stands in for OpenShift's \`dockerregistry -prune\`, which needs the
cluster's Images.
`;
}

/** CI keeps its log, not files: the artefacts (not the server logs) go to stdout, long listings cut. */
function printArtifacts(log: (l: string) => void): void {
  const files = ['result.txt', 'emitted.yaml', 'registry-env.txt', 'storage-listing.txt', 'recorded-swift-requests.txt', 'replay.txt', 'ssa.txt'];
  for (const dir of fs.readdirSync(ARTIFACTS).filter((d) => d !== 'logs').sort()) {
    const full = path.join(ARTIFACTS, dir);
    if (!fs.statSync(full).isDirectory()) continue;
    for (const f of files.filter((n) => fs.existsSync(path.join(full, n)))) {
      const lines = fs.readFileSync(path.join(full, f), 'utf8').trimEnd().split('\n');
      log(`----- ${dir}/${f}${lines.length > 40 ? ` (first 40 of ${lines.length} lines)` : ''}`);
      for (const l of lines.slice(0, 40)) log(`  ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`);
    }
  }
  log(`----- timings.json\n${fs.readFileSync(path.join(ARTIFACTS, 'timings.json'), 'utf8').trimEnd()}`);
}

async function runScenario(
  s: Scenario, sup: Supervisor, work: string, image: ReturnType<typeof buildImage>, log: (l: string) => void, timings: Record<string, number>,
): Promise<boolean> {
  const dir = path.join(work, s.name);
  const artifacts = path.join(ARTIFACTS, s.name);
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(artifacts, { recursive: true });
  const notes: string[] = [];
  const ctx: ScenarioContext = { sup, dir, artifacts, image, note: (l) => notes.push(l), registries: [] };
  const t = Date.now();
  let error: Error | undefined;
  try {
    await s.run(ctx);
  } catch (e) {
    error = e as Error;
  } finally {
    for (const name of ctx.registries) await sup.stop(name);
  }
  timings[s.name] = Date.now() - t;
  const secs = `${(timings[s.name] / 1000).toFixed(1)}s`;
  let ok: boolean;
  let verdict: string;
  if (s.mustFail) {
    const step = error instanceof StepError ? error.step : 'unexpected';
    ok = !!error && step === s.mustFail.step && s.mustFail.reason.test(error.message);
    verdict = !error ? 'it did not fail' : `failed at ${error.message.replace(/\s+/g, ' ').slice(0, 400)}`;
    if (!ok && error) verdict += ` (expected step ${s.mustFail.step} matching ${s.mustFail.reason})`;
  } else {
    ok = !error;
    verdict = error ? `failed at ${error.message.replace(/\s+/g, ' ').slice(0, 600)}` : 'ok';
  }
  log(`${ok ? 'PASS' : 'FAIL'} ${s.name} (${secs}): ${s.proves}`);
  for (const n of notes) log(`     ${n}`);
  if (s.mustFail || !ok) log(`     ${s.mustFail && ok ? 'failed as it must: ' : ''}${verdict}`);
  fs.writeFileSync(path.join(artifacts, 'result.txt'), `${ok ? 'PASS' : 'FAIL'} ${s.name} (${secs})\n${s.proves}\n${notes.join('\n')}\n${verdict}\n`);
  return ok;
}

main().then((code) => process.exit(code), (e) => {
  process.stdout.write(`FAIL e2e: ${(e as Error).stack}\ne2e: 0 passed, 1 failed\n`);
  process.exit(1);
});
