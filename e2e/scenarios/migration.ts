/**
 * Switching storage without losing an image, on real storage: images pushed to a registry on the
 * old storage, the library's own copy and verify scripts run with Debian's rclone against the real
 * servers, then every image pulled through a registry on the new storage, digest for digest. And
 * what must fail: a corrupted blob stops the switch, an interrupted copy leaves the source serving,
 * a push in the read-only window is refused.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { createBucket, CephEnv } from './ceph';
import { createContainer, OpenStack, passwordPlan } from './openstack';
import { Scenario } from './types';
import { planPvcStorage, planS3Storage, planStorageMigration, RegistryStoragePlan, StorageMigrationPlan } from '../../lib';
import { applySpec, freshClusterSpec, operatorView, pull, pushAndPull, runRegistry, ScenarioContext, StepError } from '../harness';
import { operatorRegistryEnv } from '../operator-env';
import { cleanEnv, runAsync } from '../proc';
import { RunningRegistry, startRegistry } from '../servers/registry';

/** Repositories pushed before the switch: several images, each with the 12 MiB layer. */
const REPOS = ['e2e/app', 'e2e/tools', 'team/base'];
/** Pushed after the pre-copy, while the registry still takes pushes: the final pass must bring it. */
const LATE_REPO = 'late/pushed';

/** The storage block of a plan, as the live Config holds it (what `migrateFrom` takes). */
function block(plan: Pick<RegistryStoragePlan, 'spec'>): Record<string, unknown> {
  const { managementState: _m, ...storage } = plan.spec.storage as Record<string, unknown>;
  return storage;
}

/** Values of the plan's user Secret, by the operator's key names. */
function secretOf(plan: Pick<RegistryStoragePlan, 'secret'>): Record<string, string> {
  return { ...(plan.secret?.stringData ?? {}) };
}

/** Runs one of the migration plan's scripts as its Job would: rclone remotes from the environment only. */
type Ends<T> = { readonly source: T; readonly destination: T };

async function script(ctx: ScenarioContext, m: StorageMigrationPlan, mode: 'copy' | 'pre' | 'final' | 'verify',
  ends: Ends<string>, secrets: Ends<Record<string, string>>, timeoutMs = 300_000) {
  const env: Record<string, string> = {
    SOURCE: ends.source, DESTINATION: ends.destination, LINK_COMPARE: m.linkCompare, ...m.source.env, ...m.destination.env,
  };
  for (const role of ['source', 'destination'] as const) {
    for (const [variable, key] of Object.entries(m[role].secretEnv)) if (secrets[role][key] !== undefined) env[variable] = secrets[role][key];
  }
  const started = Date.now();
  const res = await runAsync('sh', ['-c', m.script, 'migrate', mode], { env: cleanEnv(env), timeoutMs });
  fs.appendFileSync(path.join(ctx.artifacts, 'migration.log'), `$ migrate ${mode}\n${res.stdout}${res.stderr}exit ${res.status}\n`);
  return { ...res, seconds: (Date.now() - started) / 1000 };
}

/** The last lines of a failed step's output. */
function tail(res: { stdout: string; stderr: string }): string {
  const lines = `${res.stdout}\n${res.stderr}`.trim().split('\n');
  const said = lines.filter((l) => l.startsWith('verify:') || / cannot be listed: /.test(l));
  return (said.length > 0 ? said : lines.slice(-3)).join(' ');
}

/** The folder a registry on a claim keeps its tree in (the claim's volume, mounted at /registry). */
function claimDir(reg: RunningRegistry): string {
  const dirs = Object.values(reg.volumeDirs);
  if (dirs.length !== 1) throw new StepError('setup', `expected one volume, found ${dirs.length}`);
  return dirs[0];
}

/**
 * A registry on a claim whose folder already holds a tree (the destination of a copy): the folder
 * is filled before the registry starts, where startRegistry mounts the claim.
 */
async function registryOnFolder(ctx: ScenarioContext, plan: RegistryStoragePlan, name: string,
  fill: (dir: string) => Promise<void>): Promise<RunningRegistry> {
  const { pod } = operatorView(ctx, plan);
  const volume = pod.volumes.find((v) => v.claim !== undefined)!;
  const dir = path.join(ctx.dir, name, 'volumes', volume.name);
  fs.mkdirSync(dir, { recursive: true });
  await fill(dir);
  ctx.registries.push(name);
  return startRegistry(ctx.sup, path.join(ctx.dir, name), name, pod);
}

/** The steps every pair runs: push, pre-copy, read-only (a push refused), final copy, verify, switch, pull every image. */
async function migrate(ctx: ScenarioContext, opts: {
  from: RegistryStoragePlan;
  to: RegistryStoragePlan;
  fromRegistry: RunningRegistry;
  sourcePath?: string;
  /** The destination's keys, when not the new plan's (a wrong credential). */
  destinationSecret?: Record<string, string>;
  /** Damages the destination before the pre-copy (what pre's hashing must catch). */
  beforeCopy?: (destination: string) => void;
  /** Damages the destination after the final pass (what `migrate verify` must catch). */
  corrupt?: (destination: string) => void;
  destinationRegistry: (m: StorageMigrationPlan, copyInto: (dir: string) => Promise<void>) => Promise<RunningRegistry>;
}): Promise<void> {
  for (const repo of REPOS) await pushAndPull(ctx, opts.fromRegistry, repo);
  const m = planStorageMigration({ from: block(opts.from), to: opts.to });
  const secrets = { source: secretOf(opts.from), destination: opts.destinationSecret ?? secretOf(opts.to) };
  const run = async (destination: string) => {
    const ends = { source: opts.sourcePath ?? m.source.path, destination };
    opts.beforeCopy?.(destination);
    const pre = await script(ctx, m, 'pre', ends, secrets);
    if (pre.status !== 0) throw new StepError('copy', tail(pre));
    // Still writable: an image pushed after the pre-copy must reach the destination in the final pass.
    await pushAndPull(ctx, opts.fromRegistry, LATE_REPO);
    // The read-only window: the registry on the old storage, restarted with spec.readOnly: true as the operator renders it.
    const spec = applySpec(freshClusterSpec(), { ...opts.from.spec, readOnly: true } as Record<string, any>);
    const readOnly = operatorRegistryEnv(spec, secretOf(opts.from), {});
    if (!readOnly.env.some((e) => e.name === 'REGISTRY_STORAGE_MAINTENANCE_READONLY')) throw new StepError('read-only', 'readOnly did not reach the registry\'s environment');
    const final = await script(ctx, m, 'final', ends, secrets);
    if (final.status !== 0) throw new StepError('verify', tail(final));
    ctx.note(final.stdout.trim().split('\n').filter((l) => l.startsWith('verify:')).join('; '));
    opts.corrupt?.(destination);
    const verify = await script(ctx, m, 'verify', ends, secrets);
    if (verify.status !== 0) throw new StepError('verify', verify.stdout.trim());
    // once a final pass passed, no copy runs there again: the registry may write to it after the switch
    const again = await script(ctx, m, 'pre', ends, secrets);
    if (again.status !== 3 || !/a final pass already passed here/.test(again.stderr)) {
      throw new StepError('copy', `a copy after the final pass was not refused (exit ${again.status}): ${tail(again)}`);
    }
  };
  const reg = await opts.destinationRegistry(m, async (dir) => run(dir));
  for (const repo of [...REPOS, LATE_REPO]) await pull(ctx, reg, repo);
  ctx.note(`after the switch every image (${[...REPOS, LATE_REPO].join(', ')}) pulls from the ${m.destination.type} storage with the pushed digests; rollback: ${m.rollbackCommand.slice(0, 80)}…`);
}

/** What the bench scenario measured, for BENCHMARKS.md (`E2E_WRITE_BENCHMARKS=1`). */
export const MIGRATION_BENCH: {
  copy?: { bytes: number; library: number[]; bare: number[] };
  window?: { small: { bytes: number; seconds: number }; large: { bytes: number; seconds: number }; deltaBytes: number };
} = {};

const MIB = 1024 * 1024;

/**
 * Adds `count` random blobs of `size` bytes to a registry tree at `root`, each named by its sha256
 * and linked from `repo`'s layers, as a registry writes them.
 */
function addBlobs(root: string, repo: string, count: number, size = 4 * MIB): number {
  const v2 = path.join(root, 'docker/registry/v2');
  for (let i = 0; i < count; i++) {
    const data = randomBytes(size);
    const hex = createHash('sha256').update(data).digest('hex');
    const blob = path.join(v2, 'blobs/sha256', hex.slice(0, 2), hex, 'data');
    fs.mkdirSync(path.dirname(blob), { recursive: true });
    fs.writeFileSync(blob, data);
    const link = path.join(v2, 'repositories', repo, '_layers/sha256', hex, 'link');
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.writeFileSync(link, `sha256:${hex}`);
  }
  return count * size;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function migrationScenarios(get: () => { ceph: CephEnv; openstack: OpenStack }): Scenario[] {
  const rgwPlan = (env: CephEnv, bucket: string) => planS3Storage({
    bucket, region: 'us-east-1', regionEndpoint: env.ceph.endpoint, chunkSizeMiB: 5, credentials: env.keys, openshiftVersion: '4.17',
  });
  return [
    {
      name: 'migrate-folder-to-rgw',
      proves: 'PVC (folder) to Ceph RGW: the library\'s copy and verify with rclone, then every image pulls from RGW digest for digest',
      run: async (ctx) => {
        const { ceph } = get();
        const from = planPvcStorage({ claim: 'registry-old', accessMode: 'ReadWriteOnce' });
        const fromRegistry = await runRegistry(ctx, operatorView(ctx, from).pod, 'registry-source');
        await createBucket(ceph, 'migrated-from-folder');
        const to = rgwPlan(ceph, 'migrated-from-folder');
        await migrate(ctx, {
          from,
          to,
          fromRegistry,
          sourcePath: claimDir(fromRegistry),
          destinationRegistry: async (m, copy) => {
            await copy(m.destination.path);
            return runRegistry(ctx, operatorView(ctx, to, { platform: 'BareMetal' }).pod, 'registry-destination');
          },
        });
      },
    },
    {
      name: 'migrate-rgw-to-swift',
      proves: 'Ceph RGW (a 12 MiB layer in 5 MiB multipart chunks) to Swift: the tree lands under files/, every image pulls from Swift',
      run: async (ctx) => {
        const { ceph, openstack } = get();
        await createBucket(ceph, 'migrate-source');
        const from = rgwPlan(ceph, 'migrate-source');
        const fromRegistry = await runRegistry(ctx, operatorView(ctx, from, { platform: 'BareMetal' }).pod, 'registry-source');
        await createContainer(openstack, 'migrated-from-rgw');
        const to = passwordPlan(openstack, 'migrated-from-rgw');
        await migrate(ctx, {
          from,
          to,
          fromRegistry,
          destinationRegistry: async (m, copy) => {
            await copy(m.destination.path);
            return runRegistry(ctx, operatorView(ctx, to, { platform: 'OpenStack' }).pod, 'registry-destination');
          },
        });
      },
    },
    {
      name: 'migrate-swift-to-folder',
      proves: 'Swift (files/ prefix, large objects) to a PVC folder: every image pulls from the folder',
      run: async (ctx) => {
        const { openstack } = get();
        await createContainer(openstack, 'migrate-swift-source');
        const from = passwordPlan(openstack, 'migrate-swift-source');
        const fromRegistry = await runRegistry(ctx, operatorView(ctx, from, { platform: 'OpenStack' }).pod, 'registry-source');
        const to = planPvcStorage({ claim: 'registry-new', accessMode: 'ReadWriteOnce' });
        await migrate(ctx, { from, to, fromRegistry, destinationRegistry: (_m, copy) => registryOnFolder(ctx, to, 'registry-destination', copy) });
      },
    },
    {
      name: 'migrate-verify-refuses-corrupted-blob',
      proves: 'a blob damaged at the destination after the copy: verify refuses, so the switch never happens',
      mustFail: { step: 'verify', reason: /hashes to [0-9a-f]{64}, not its name/ },
      run: async (ctx) => {
        const { ceph } = get();
        await createBucket(ceph, 'migrate-corrupt-source');
        const from = rgwPlan(ceph, 'migrate-corrupt-source');
        const fromRegistry = await runRegistry(ctx, operatorView(ctx, from, { platform: 'BareMetal' }).pod, 'registry-source');
        const to = planPvcStorage({ claim: 'registry-new', accessMode: 'ReadWriteOnce' });
        await migrate(ctx, {
          from,
          to,
          fromRegistry,
          corrupt: (dir) => {
            const big = ctx.image.layerDigests[1].slice(7);
            const file = path.join(dir, 'docker/registry/v2/blobs/sha256', big.slice(0, 2), big, 'data');
            const fd = fs.openSync(file, 'r+');
            fs.writeSync(fd, Buffer.from('x'), 0, 1, 1024);
            fs.closeSync(fd);
          },
          destinationRegistry: (_m, copy) => registryOnFolder(ctx, to, 'registry-destination', copy),
        });
      },
    },
    {
      name: 'migrate-pre-copy-refuses-damaged-blob',
      proves: 'a blob at the destination with the right size and the wrong bytes (a bad earlier write): the pre-copy\'s hashing refuses it, before the read-only window opens',
      mustFail: { step: 'copy', reason: /hashes to [0-9a-f]{64}, not its name: delete it at the destination/ },
      run: async (ctx) => {
        const from = planPvcStorage({ claim: 'registry-old', accessMode: 'ReadWriteOnce' });
        const fromRegistry = await runRegistry(ctx, operatorView(ctx, from).pod, 'registry-source');
        const source = claimDir(fromRegistry);
        const to = planPvcStorage({ claim: 'registry-new', accessMode: 'ReadWriteOnce' });
        await migrate(ctx, {
          from,
          to,
          fromRegistry,
          sourcePath: source,
          beforeCopy: (dir) => {
            const big = ctx.image.layerDigests[1].slice(7);
            const rel = path.join('docker/registry/v2/blobs/sha256', big.slice(0, 2), big, 'data');
            fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
            const bytes = fs.readFileSync(path.join(source, rel));
            bytes[1024] = 255 - bytes[1024];
            fs.writeFileSync(path.join(dir, rel), bytes);
          },
          destinationRegistry: (_m, copy) => registryOnFolder(ctx, to, 'registry-destination', copy),
        });
      },
    },
    {
      name: 'migrate-refuses-wrong-destination-credential',
      proves: 'a wrong secret key for the destination bucket: the pre-copy stops at its first listing, before the read-only window and with nothing copied',
      mustFail: { step: 'copy', reason: /destination dst:migrate-wrong-key cannot be listed: check its name and credentials/ },
      run: async (ctx) => {
        const { ceph } = get();
        const from = planPvcStorage({ claim: 'registry-old', accessMode: 'ReadWriteOnce' });
        const fromRegistry = await runRegistry(ctx, operatorView(ctx, from).pod, 'registry-source');
        await createBucket(ceph, 'migrate-wrong-key');
        const to = rgwPlan(ceph, 'migrate-wrong-key');
        await migrate(ctx, {
          from,
          to,
          fromRegistry,
          sourcePath: claimDir(fromRegistry),
          destinationSecret: { ...secretOf(to), REGISTRY_STORAGE_S3_SECRETKEY: 'not-the-key' },
          destinationRegistry: async (m, copy) => {
            await copy(m.destination.path);
            throw new StepError('switch', 'the switch was reached with a wrong credential');
          },
        });
      },
    },
    {
      name: 'migrate-refuses-source-without-tree',
      proves: 'migrateFrom naming storage that holds no registry tree (the wrong claim or bucket): refused, not taken for an empty registry',
      mustFail: { step: 'copy', reason: /the source holds no registry tree .*: is migrateFrom the storage the registry uses now\?/ },
      run: async (ctx) => {
        const from = planPvcStorage({ claim: 'not-the-registry', accessMode: 'ReadWriteOnce' });
        const to = planPvcStorage({ claim: 'registry-new', accessMode: 'ReadWriteOnce' });
        const m = planStorageMigration({ from: block(from), to });
        const source = path.join(ctx.dir, 'other-claim');
        const destination = path.join(ctx.dir, 'new-claim');
        fs.mkdirSync(path.join(source, 'something-else'), { recursive: true });
        fs.mkdirSync(destination, { recursive: true });
        const res = await script(ctx, m, 'pre', { source, destination }, { source: {}, destination: {} });
        if (res.status !== 0) throw new StepError('copy', tail(res));
      },
    },
    {
      name: 'migrate-interrupted-copy',
      proves: 'a copy killed half-way: the source is untouched and still serves every image, and verify refuses the partial destination',
      run: async (ctx) => {
        const { ceph } = get();
        const from = planPvcStorage({ claim: 'registry-old', accessMode: 'ReadWriteOnce' });
        const fromRegistry = await runRegistry(ctx, operatorView(ctx, from).pod, 'registry-source');
        for (const repo of REPOS) await pushAndPull(ctx, fromRegistry, repo);
        const source = claimDir(fromRegistry);
        const before = listing(source);
        await createBucket(ceph, 'migrate-interrupted');
        const to = rgwPlan(ceph, 'migrate-interrupted');
        const m = planStorageMigration({ from: block(from), to });
        const secrets = { source: {}, destination: secretOf(to) };
        // --bwlimit makes the copy slow enough to be cut: a 1-second bound kills it mid-way.
        const slow = { ...m, script: m.script.replace('flags="', 'flags="--bwlimit 1M ') };
        await script(ctx, slow, 'pre', { source, destination: m.destination.path }, secrets, 1500);
        const verify = await script(ctx, m, 'verify', { source, destination: m.destination.path }, secrets);
        if (verify.status === 0) throw new StepError('verify', 'verify passed on a copy cut half-way');
        ctx.note(`verify refused the partial copy: ${verify.stdout.trim().split('\n')[0]}`);
        const after = listing(source);
        if (JSON.stringify(after) !== JSON.stringify(before)) throw new StepError('source', 'the interrupted copy changed the source');
        for (const repo of REPOS) await pull(ctx, fromRegistry, repo);
        ctx.note('the source is byte for byte as before and still serves every image');
      },
    },
    {
      name: 'migrate-bench',
      proves: 'the copy against bare rclone copy of the same tree to Ceph RGW, and the read-only window at two stored sizes with the same delta',
      run: async (ctx) => {
        const { ceph } = get();
        const env = (m: StorageMigrationPlan) => {
          const e: Record<string, string> = { ...m.destination.env };
          for (const [variable, key] of Object.entries(m.destination.secretEnv)) e[variable] = ceph.keys[key === 'REGISTRY_STORAGE_S3_ACCESSKEY' ? 'accessKey' : 'secretKey'];
          return e;
        };
        const plan = (bucket: string) => planStorageMigration({ from: { pvc: { claim: 'bench' } }, to: rgwPlan(ceph, bucket) });
        const purge = async (m: StorageMigrationPlan) => {
          await runAsync('rclone', ['purge', m.destination.path, '--config', '/dev/null'], { env: cleanEnv(env(m)), timeoutMs: 120_000 });
        };
        const secrets = { source: {}, destination: secretOf(rgwPlan(ceph, 'bench-keys')) };
        // the copy: the library's (mode copy) and bare rclone copy of the same 512 MiB tree, alternated, each
        // into a fresh bucket, after one unmeasured round with a small tree (RGW's first writes of a run are slower)
        const tree = path.join(ctx.dir, 'copied');
        const treeBytes = addBlobs(tree, 'bench/copied', 128);
        const warm = path.join(ctx.dir, 'warm');
        addBlobs(warm, 'bench/warm', 4);
        const library: number[] = [];
        const bare: number[] = [];
        for (let i = 0; i < 4; i++) {
          for (const who of ['bare', 'library'] as const) {
            const bucket = `bench-${who}-${i}`;
            await createBucket(ceph, bucket);
            const m = plan(bucket);
            const source = i === 0 ? warm : tree;
            const t = Date.now();
            const res = who === 'bare'
              ? await runAsync('rclone', ['copy', `${source}/docker/registry/v2`, `${m.destination.path}/docker/registry/v2`, '--config', '/dev/null'],
                { env: cleanEnv(env(m)), timeoutMs: 300_000 })
              : await script(ctx, m, 'copy', { source, destination: m.destination.path }, secrets);
            if (res.status !== 0) throw new StepError('copy', `${who}: ${tail(res)}`);
            if (i > 0) (who === 'bare' ? bare : library).push((Date.now() - t) / 1000);
            await purge(m);
          }
        }
        fs.rmSync(tree, { recursive: true, force: true });
        MIGRATION_BENCH.copy = { bytes: treeBytes, library, bare };
        ctx.note(`copy of ${treeBytes / MIB} MiB to RGW: library ${library.map((x) => x.toFixed(2)).join(', ')} s, bare rclone copy ${bare.map((x) => x.toFixed(2)).join(', ')} s`);
        // the window: pre-copy, the same delta (2 new blobs, 8 MiB) at 32 and 128 MiB stored, then the final pass timed
        const small = path.join(ctx.dir, 'small');
        const smallBytes = addBlobs(small, 'bench/small', 8);
        const large = path.join(ctx.dir, 'large');
        const largeBytes = addBlobs(large, 'bench/large', 32);
        const windows: Record<string, number> = {};
        let deltaBytes = 0;
        for (const [name, root] of [['small', small], ['large', large]] as const) {
          const bucket = `bench-window-${name}`;
          await createBucket(ceph, bucket);
          const m = plan(bucket);
          const ends = { source: root, destination: m.destination.path };
          const pre = await script(ctx, m, 'pre', ends, secrets);
          if (pre.status !== 0) throw new StepError('copy', tail(pre));
          deltaBytes = addBlobs(root, `bench/${name}`, 2);
          const final = await script(ctx, m, 'final', ends, secrets);
          if (final.status !== 0) throw new StepError('verify', tail(final));
          windows[name] = final.seconds;
          await purge(m);
        }
        MIGRATION_BENCH.window = {
          small: { bytes: smallBytes, seconds: windows.small }, large: { bytes: largeBytes, seconds: windows.large }, deltaBytes,
        };
        ctx.note(`read-only window (final pass) with ${deltaBytes / MIB} MiB new: ${windows.small.toFixed(2)} s at ${smallBytes / MIB} MiB stored, `
          + `${windows.large.toFixed(2)} s at ${largeBytes / MIB} MiB; copy ratio ${(median(library) / median(bare)).toFixed(2)}, window ratio ${(windows.large / windows.small).toFixed(2)}`);
      },
    },
    {
      name: 'migrate-read-only-refuses-push',
      proves: 'in the read-only window (spec.readOnly: true as the operator renders it) the registry refuses a push and still serves pulls',
      run: async (ctx) => {
        const from = planPvcStorage({ claim: 'registry-old', accessMode: 'ReadWriteOnce' });
        const writable = await runRegistry(ctx, operatorView(ctx, from).pod, 'registry-writable');
        await pushAndPull(ctx, writable, 'e2e/app');
        const dir = claimDir(writable);
        const spec = applySpec(freshClusterSpec(), { ...from.spec, readOnly: true } as Record<string, any>);
        const readOnly = await registryOnFolder(ctx, { ...from, spec: spec as any }, 'registry-read-only', async (target) => {
          fs.cpSync(dir, target, { recursive: true });
        });
        await pull(ctx, readOnly, 'e2e/app');
        let refused = false;
        try {
          await pushAndPull(ctx, readOnly, 'e2e/new');
        } catch (e) {
          refused = e instanceof StepError && e.step === 'push';
          ctx.note(`push refused: ${(e as Error).message.split('\n')[0].slice(0, 160)}`);
        }
        if (!refused) throw new StepError('read-only', 'a push was accepted in the read-only window');
      },
    },
  ];
}

function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)} ${fs.statSync(p).size}`);
    }
  };
  walk(dir);
  return out.sort();
}
