/**
 * The steps every scenario shares: the library's plan becomes a live Config (the plan's spec
 * applied over a fresh cluster's Config, validated against the CRD), the operator's translation
 * runs the real registry, skopeo pushes and pulls the image, and the storage is listed.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { BuiltImage, readLayout } from './image';
import { ClusterFacts, operatorRegistryEnv, RegistryPodConfig, secretValues } from './operator-env';
import { cleanEnv, http, ProcessExited, runAsync, Supervisor } from './proc';
import { registryConfig, RegistryStoragePlan, validateRegistryConfig } from '../lib';
import { RunningRegistry, startRegistry } from './servers/registry';

/** The Config a fresh bare-metal or OpenStack cluster has before anyone sets storage. */
export function freshClusterSpec(): Record<string, any> {
  return {
    managementState: 'Removed',
    replicas: 1,
    rolloutStrategy: 'RollingUpdate',
    logLevel: 'Normal',
    operatorLogLevel: 'Normal',
    httpSecret: 'e2e-http-secret-not-a-real-one',
    storage: {},
  };
}

/** Server-side apply of the plan's fields over the live spec (objects merge, values replace). */
export function applySpec(live: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...live };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' ? applySpec(out[k], v) : v;
  }
  return out;
}

export interface ScenarioContext {
  readonly sup: Supervisor;
  readonly dir: string; // this scenario's working folder
  readonly artifacts: string; // this scenario's artefact folder
  readonly image: BuiltImage;
  readonly note: (line: string) => void;
  /** Names of the registries this scenario started; the runner stops them when it ends. */
  readonly registries: string[];
}

/** A failure of a scenario step, tagged with the step so that negative cases can check their reason. */
export class StepError extends Error {
  public constructor(public readonly step: string, message: string) {
    super(`${step}: ${message}`);
  }
}

/** Applies the plan to a fresh Config, validates it against the CRD and translates it as the operator does. */
export function operatorView(ctx: ScenarioContext, plan: { spec: RegistryStoragePlan['spec']; secret?: RegistryStoragePlan['secret']; openshiftVersion?: string },
  cluster: ClusterFacts = {}) {
  const spec = applySpec(freshClusterSpec(), plan.spec as Record<string, any>);
  const config = { ...registryConfig(plan.spec), spec };
  // the release the plan was made for: its API server's CRD
  const problems = validateRegistryConfig(config, { openshiftVersion: plan.openshiftVersion });
  if (problems.length > 0) throw new StepError('crd', problems.map((p) => `${p.path} ${p.message}`).join('; '));
  const throwaway = plan.secret ? [plan.secret] : [];
  fs.writeFileSync(path.join(ctx.artifacts, 'emitted.yaml'), [registryConfig(plan.spec), ...throwaway].map((d) => yaml.dump(d, { lineWidth: 200 })).join('---\n'));
  let pod: RegistryPodConfig;
  try {
    pod = operatorRegistryEnv(spec, secretValues(plan.secret as any), cluster);
  } catch (e) {
    throw new StepError('operator', (e as Error).message);
  }
  return { spec, pod };
}

export async function runRegistry(ctx: ScenarioContext, pod: RegistryPodConfig, name: string): Promise<RunningRegistry> {
  ctx.registries.push(name);
  try {
    const reg = await startRegistry(ctx.sup, path.join(ctx.dir, 'registry'), name, pod);
    fs.writeFileSync(path.join(ctx.artifacts, 'registry-env.txt'), Object.entries(reg.redactedEnv).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    const exposed = ctx.sup.listenersOutsideLoopback();
    if (exposed.length > 0) throw new Error(`not on 127.0.0.1 only: ${exposed.join(', ')}`);
    return reg;
  } catch (e) {
    const log = path.join(ctx.sup.logDir, `${name}.log`);
    const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').slice(-6).join('\n') : '';
    // A server that exited says why in its panic line; a registry that never answered, in its last lines.
    throw new StepError('registry', `${(e as Error).message}${tail && !(e instanceof ProcessExited) ? `\n${tail}` : ''}`);
  }
}

/** Pushes the image with skopeo, pulls it back into a new layout, and compares digests. */
export async function pushAndPull(ctx: ScenarioContext, reg: RunningRegistry, repo: string): Promise<{ pushMs: number; pullMs: number }> {
  const ref = `docker://${reg.host}/${repo}:${ctx.image.tag}`;
  const t0 = Date.now();
  const push = await runAsync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${ctx.image.layout}:${ctx.image.tag}`, ref], { env: cleanEnv(), timeoutMs: 120_000 });
  const pushMs = Date.now() - t0;
  if (push.status !== 0) {
    const log = fs.readFileSync(reg.log, 'utf8').split('\n').filter((l) => /level=error|panic|err\.message/.test(l)).slice(-3).join('\n');
    throw new StepError('push', `${push.stderr.trim().split('\n').slice(-2).join(' ')}${log ? `\nregistry: ${log}` : ''}`);
  }
  const pullMs = await pull(ctx, reg, repo);
  ctx.note(`pushed and pulled ${repo}:${ctx.image.tag}, manifest ${ctx.image.manifestDigest.slice(0, 19)}… identical`);
  return { pushMs, pullMs };
}

/** Pulls the image into a new layout and compares its digests with the pushed image's; returns the time it took. */
export async function pull(ctx: ScenarioContext, reg: RunningRegistry, repo: string): Promise<number> {
  const ref = `docker://${reg.host}/${repo}:${ctx.image.tag}`;
  const pulled = fs.mkdtempSync(path.join(ctx.dir, 'pulled-'));
  const t1 = Date.now();
  const res = await runAsync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', ref, `oci:${pulled}:${ctx.image.tag}`], { env: cleanEnv(), timeoutMs: 120_000 });
  const pullMs = Date.now() - t1;
  if (res.status !== 0) throw new StepError('pull', res.stderr.trim().split('\n').slice(-2).join(' '));
  const got = readLayout(pulled);
  if (got.manifestDigest !== ctx.image.manifestDigest) throw new StepError('digest', `pulled manifest ${got.manifestDigest}, pushed ${ctx.image.manifestDigest}`);
  if (got.layerDigests.join() !== ctx.image.layerDigests.join() || !got.layersIntact) throw new StepError('digest', 'pulled layers differ from the pushed ones');
  return pullMs;
}

/** GET of the big layer from the registry without following redirects: 200 (served) or 307 (redirect to storage). */
export async function blobStatus(reg: RunningRegistry, repo: string, digest: string): Promise<number> {
  return (await http(`http://${reg.host}/v2/${repo}/blobs/${digest}`, { redirect: 'manual', timeoutMs: 30_000 })).status;
}

/** The storage paths distribution writes for a repository's image, relative to its root. */
export function expectedPaths(image: BuiltImage, repo: string): string[] {
  return [
    ...image.layerDigests.map((d) => `docker/registry/v2/blobs/sha256/${d.slice(7, 9)}/${d.slice(7)}/data`),
    `docker/registry/v2/blobs/sha256/${image.manifestDigest.slice(7, 9)}/${image.manifestDigest.slice(7)}/data`,
    `docker/registry/v2/repositories/${repo}/_manifests/tags/${image.tag}/current/link`,
  ];
}

/** Writes the listing and checks that every expected path is in it (under `prefix`). */
export function assertStored(ctx: ScenarioContext, listing: string[], image: BuiltImage, repo: string, prefix = ''): void {
  fs.writeFileSync(path.join(ctx.artifacts, 'storage-listing.txt'), listing.join('\n') + '\n');
  const missing = expectedPaths(image, repo).filter((p) => !listing.includes(`${prefix}${p}`));
  if (missing.length > 0) throw new StepError('storage', `not where the Config says: ${missing.join(', ')} (listing in storage-listing.txt)`);
  ctx.note(`storage holds the ${image.layerDigests.length} layers, the manifest and the tag under ${prefix || '/'}docker/registry/v2`);
}
