/**
 * The hard prune on real storage with a real registry: orphaned blobs made on purpose (an image
 * pushed, then its manifest deleted), the registry restarted read-only as the operator renders
 * `spec.readOnly: true`, a check pass that deletes nothing, then the deleting pass; what is freed
 * must be exactly the orphans, and every other image must still pull.
 *
 * distribution's `registry garbage-collect` stands in for OpenShift's `dockerregistry -prune`, which
 * needs the cluster's etcd (the images it references) and so cannot run here: both delete the blobs
 * nothing references, one asking the registry's own manifests, the other the cluster's Images.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Scenario } from './types';
import { planPvcStorage } from '../../lib';
import { applySpec, freshClusterSpec, operatorView, pull, pushAndPull, runRegistry, ScenarioContext, StepError } from '../harness';
import { buildImage } from '../image';
import { cleanEnv, runAsync } from '../proc';
import { RunningRegistry } from '../servers/registry';

/** What the prune scenario measured, for BENCHMARKS.md. */
export const PRUNE_BENCH: { freedBytes?: number; orphans?: number; keptBlobs?: number; seconds?: number } = {};

/** Every blob's data file under a registry root, by digest, with its size. */
function blobsOn(root: string): Map<string, number> {
  const out = new Map<string, number>();
  const dir = path.join(root, 'docker/registry/v2/blobs/sha256');
  if (!fs.existsSync(dir)) return out;
  for (const two of fs.readdirSync(dir)) {
    for (const hex of fs.readdirSync(path.join(dir, two))) {
      const data = path.join(dir, two, hex, 'data');
      if (fs.existsSync(data)) out.set(`sha256:${hex}`, fs.statSync(data).size);
    }
  }
  return out;
}

/** `docker-registry garbage-collect` on the registry's storage, with its environment (a folder: no secret in it). */
async function garbageCollect(ctx: ScenarioContext, reg: RunningRegistry, dryRun: boolean) {
  const config = path.join(ctx.dir, 'gc.yml');
  fs.writeFileSync(config, 'version: 0.1\nlog:\n  formatter: text\n');
  const env = Object.fromEntries(Object.entries(reg.redactedEnv).filter(([k]) => k.startsWith('REGISTRY_STORAGE')));
  const res = await runAsync('docker-registry', ['garbage-collect', ...(dryRun ? ['--dry-run'] : []), config], { env: cleanEnv(env), timeoutMs: 120_000 });
  fs.appendFileSync(path.join(ctx.artifacts, 'prune.log'), `$ garbage-collect${dryRun ? ' --dry-run' : ''}\n${res.stdout}${res.stderr}exit ${res.status}\n`);
  if (res.status !== 0) throw new StepError('prune', `garbage-collect exited ${res.status}: ${res.stderr.trim().split('\n').slice(-2).join(' ')}`);
  return `${res.stdout}\n${res.stderr}`;
}

export function pruneScenarios(): Scenario[] {
  return [{
    name: 'hard-prune-orphaned-blobs',
    proves: 'a hard prune in the read-only window frees exactly the orphaned blobs of a deleted image (check first, then delete), and every other image still pulls',
    run: async (ctx) => {
      const plan = planPvcStorage({ claim: 'registry-prune', accessMode: 'ReadWriteOnce' });
      const { pod } = operatorView(ctx, plan);
      const writable = await runRegistry(ctx, pod, 'registry-writable');
      const root = Object.values(writable.volumeDirs)[0];
      await pushAndPull(ctx, writable, 'keep/app');
      // an image of its own (its own layers), pushed, then its manifest deleted: its blobs are orphans
      const drop = buildImage(path.join(ctx.dir, 'drop-image'), 'drop', 3);
      const ref = `docker://${writable.host}/drop/app:${drop.tag}`;
      const pushed = await runAsync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${drop.layout}:${drop.tag}`, ref], { env: cleanEnv(), timeoutMs: 120_000 });
      if (pushed.status !== 0) throw new StepError('push', pushed.stderr.trim());
      const deleted = await runAsync('skopeo', ['delete', '--tls-verify=false', ref], { env: cleanEnv(), timeoutMs: 60_000 });
      if (deleted.status !== 0) throw new StepError('push', `deleting the manifest: ${deleted.stderr.trim()}`);
      const manifest = JSON.parse(fs.readFileSync(path.join(drop.layout, 'blobs/sha256', drop.manifestDigest.slice(7)), 'utf8'));
      const orphans = new Set<string>([drop.manifestDigest, manifest.config.digest, ...drop.layerDigests]);
      const before = blobsOn(root);
      for (const o of orphans) if (!before.has(o)) throw new StepError('setup', `the pushed blob ${o} is not on the storage`);
      // the read-only window: the same storage, the registry restarted with spec.readOnly: true as the operator renders it
      await ctx.sup.stop('registry-writable');
      const spec = applySpec(freshClusterSpec(), { ...plan.spec, readOnly: true } as Record<string, any>);
      const readOnlyPod = operatorView(ctx, { ...plan, spec: spec as any }).pod;
      if (!readOnlyPod.env.some((e) => e.name === 'REGISTRY_STORAGE_MAINTENANCE_READONLY')) throw new StepError('read-only', 'readOnly did not reach the registry\'s environment');
      const readOnly = await runRegistry(ctx, readOnlyPod, 'registry-read-only');
      if (Object.values(readOnly.volumeDirs)[0] !== root) throw new StepError('setup', 'the read-only registry is not on the same folder');
      // check: nothing deleted
      const t = Date.now();
      const check = await garbageCollect(ctx, readOnly, true);
      const afterCheck = blobsOn(root);
      if (afterCheck.size !== before.size) throw new StepError('prune', `the check pass deleted ${before.size - afterCheck.size} blobs`);
      const eligible = /(\d+) blobs and (\d+) manifests eligible for deletion/.exec(check);
      // delete
      await garbageCollect(ctx, readOnly, false);
      PRUNE_BENCH.seconds = (Date.now() - t) / 1000;
      const after = blobsOn(root);
      const gone = [...before.keys()].filter((d) => !after.has(d)).sort();
      if (JSON.stringify(gone) !== JSON.stringify([...orphans].sort())) {
        throw new StepError('prune', `deleted ${gone.join(', ')}; the orphans were ${[...orphans].sort().join(', ')}`);
      }
      const freed = gone.reduce((n, d) => n + before.get(d)!, 0);
      Object.assign(PRUNE_BENCH, { freedBytes: freed, orphans: gone.length, keptBlobs: after.size });
      ctx.note(`check: ${eligible ? `${eligible[1]} blobs and ${eligible[2]} manifests eligible` : 'no summary line'}, nothing deleted; `
        + `delete: the ${gone.length} orphaned blobs (${(freed / 2 ** 20).toFixed(1)} MiB) and nothing else, ${after.size} kept`);
      await pull(ctx, readOnly, 'keep/app');
    },
  }];
}
