/**
 * S3 on Ceph's RADOS Gateway: the S3-compatible path (regionEndpoint, region, path style, the
 * encrypt the library sets), multipart uploads of a layer larger than two chunks, and the
 * ObjectBucketClaim path, whose user Secret is written by the library's own Job script run
 * against a stand-in `oc`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Scenario } from './types';
import {
  obcCredentialsObjects, ODF_CEPH_RGW_STORAGE_CLASS, planObjectBucketClaimStorage, planS3Storage, RegistryStoragePlan, REGISTRY_USER_SECRET_NAME,
} from '../../lib';
import { assertStored, blobStatus, operatorView, pushAndPull, runRegistry, ScenarioContext, StepError } from '../harness';
import { run, Supervisor } from '../proc';
import { s3Request } from '../s3';
import { Ceph, startCeph } from '../servers/ceph';

export interface CephEnv {
  readonly ceph: Ceph;
  readonly keys: { readonly accessKey: string; readonly secretKey: string };
}

export async function setUpCeph(sup: Supervisor, dir: string): Promise<CephEnv> {
  const ceph = await startCeph(sup, dir);
  return { ceph, keys: ceph.createUser('registry') };
}

/** The bucket the library's Pulumi component (or the claim's provisioner) would have created. */
export async function createBucket(env: CephEnv, bucket: string, keys = env.keys): Promise<void> {
  const res = await s3Request(env.ceph.endpoint, keys, 'PUT', `/${bucket}`);
  if (res.status !== 200) throw new Error(`creating bucket ${bucket}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
}

async function proveS3(ctx: ScenarioContext, env: CephEnv, plan: Pick<RegistryStoragePlan, 'spec' | 'secret'>, repo: string, cluster = { platform: 'BareMetal' }) {
  const bucket = (plan.spec.storage as any).s3.bucket as string;
  const { pod } = operatorView(ctx, plan, cluster);
  const reg = await runRegistry(ctx, pod, `registry-${repo.replace(/\//g, '-')}`);
  await pushAndPull(ctx, reg, repo);
  const objects = env.ceph.listBucket(bucket);
  assertStored(ctx, objects.map((o) => o.name).sort(), ctx.image, repo);
  return { reg, objects };
}

export function cephScenarios(get: () => CephEnv): Scenario[] {
  return [
    {
      name: 's3-rgw-compatible',
      proves: 'S3-compatible storage: regionEndpoint, region, path style and encrypt as the library sets them; a layer of more than two chunks is a multipart upload',
      run: async (ctx) => {
        const env = get();
        await createBucket(env, 'registry-rgw');
        const plan = planS3Storage({
          bucket: 'registry-rgw', region: 'us-east-1', regionEndpoint: env.ceph.endpoint, chunkSizeMiB: 5, credentials: env.keys, openshiftVersion: '4.17',
        });
        const s3 = (plan.spec.storage as any).s3;
        // RGW refuses encrypted writes unless set up for them: with a regionEndpoint the library must not ask for it.
        if (s3.encrypt === true) throw new StepError('config', 'the library set encrypt with a regionEndpoint');
        const { reg, objects } = await proveS3(ctx, env, plan, 'e2e/rgw');
        const big = ctx.image.layerDigests[1];
        const data = objects.find((o) => o.name === `docker/registry/v2/blobs/sha256/${big.slice(7, 9)}/${big.slice(7)}/data`)!;
        const parts = /-(\d+)"?$/.exec(data.etag)?.[1];
        if (!parts || Number(parts) < 2) throw new StepError('multipart', `the ${ctx.image.bigLayerBytes}-byte layer was stored with ETag ${data.etag}, not as a multipart upload of 2+ parts`);
        ctx.note(`the ${(ctx.image.bigLayerBytes / 1048576).toFixed(1)} MiB layer is a ${parts}-part upload (chunkSizeMiB 5 reached the registry as CHUNKSIZE)`);
        const status = await blobStatus(reg, 'e2e/rgw', ctx.image.layerDigests[0]);
        if (status !== 307) throw new StepError('redirect', `blob GET answered ${status}; without disableRedirect the registry redirects to the storage (307)`);
        ctx.note('without disableRedirect the registry answered a blob GET with 307 to RGW');
      },
    },
    {
      name: 's3-rgw-object-bucket-claim',
      proves: 'the ObjectBucketClaim path: the Config the plan emits, and the user Secret its Job writes from the claim\'s keys (run against a stand-in oc)',
      run: async (ctx) => {
        const env = get();
        const plan = planObjectBucketClaimStorage({ bucket: 'registry-obc', storageClassName: ODF_CEPH_RGW_STORAGE_CLASS, regionEndpoint: env.ceph.endpoint });
        const claim = plan.objects.find((o) => o.kind === 'ObjectBucketClaim')!;
        // The provisioner's part: a bucket named as the claim asks, and the claim's Secret with its keys.
        const claimKeys = env.ceph.createUser('registry-obc');
        await createBucket(env, (claim as any).spec.bucketName, claimKeys);
        const secret = await runObcJob(ctx, claim.metadata.name as string, claimKeys);
        await proveS3(ctx, env, { spec: plan.spec, secret }, 'e2e/obc');
      },
    },
    {
      name: 'negative-s3-wrong-bucket',
      proves: 'a bucket that does not exist: the registry cannot store the image',
      mustFail: { step: 'push', reason: /NoSuchBucket|does not exist|404/ },
      run: async (ctx) => {
        const env = get();
        const plan = planS3Storage({ bucket: 'registry-no-such-bucket', region: 'us-east-1', regionEndpoint: env.ceph.endpoint, credentials: env.keys });
        await proveS3(ctx, env, plan, 'e2e/wrong-bucket');
      },
    },
    {
      name: 'negative-s3-wrong-secret-key',
      proves: 'a wrong secret key: RGW refuses the registry\'s signature',
      mustFail: { step: 'push', reason: /SignatureDoesNotMatch|403|Forbidden/ },
      run: async (ctx) => {
        const env = get();
        const plan = planS3Storage({
          bucket: 'registry-rgw', region: 'us-east-1', regionEndpoint: env.ceph.endpoint, credentials: { accessKey: env.keys.accessKey, secretKey: 'not-the-secret-key' },
        });
        await proveS3(ctx, env, plan, 'e2e/wrong-key');
      },
    },
    {
      name: 'negative-endpoint-without-scheme',
      proves: 'a regionEndpoint without a scheme is refused by the library before anything runs',
      mustFail: { step: 'library', reason: /regionEndpoint/ },
      run: async () => {
        const env = get();
        try {
          planS3Storage({ bucket: 'registry-rgw', region: 'us-east-1', regionEndpoint: env.ceph.endpoint.replace(/^http:\/\//, ''), credentials: env.keys });
        } catch (e) {
          throw new StepError('library', (e as Error).message.replace(/\s+/g, ' '));
        }
      },
    },
  ];
}

/**
 * Runs the shell script of the library's claim-keys Job with a stand-in `oc` that reads and
 * patches Secrets kept as JSON files; returns the user Secret the Job left.
 */
async function runObcJob(ctx: ScenarioContext, claimName: string, keys: { accessKey: string; secretKey: string }) {
  const objects = obcCredentialsObjects({ claimName });
  const job = objects.find((o) => o.kind === 'Job') as any;
  const userSecret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === REGISTRY_USER_SECRET_NAME) as any;
  const container = job.spec.template.spec.containers[0];
  const script: string = container.command[2] ?? container.args?.[0];
  const state = path.join(ctx.dir, 'cluster');
  fs.mkdirSync(state, { recursive: true });
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  fs.writeFileSync(path.join(state, `secret-${claimName}.json`), JSON.stringify({ data: { AWS_ACCESS_KEY_ID: b64(keys.accessKey), AWS_SECRET_ACCESS_KEY: b64(keys.secretKey) } }));
  fs.writeFileSync(path.join(state, `secret-${REGISTRY_USER_SECRET_NAME}.json`), JSON.stringify({ ...userSecret, data: {} }));
  const bin = path.join(ctx.dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  // `oc get secret/NAME -n NS -o jsonpath={.data.KEY}` and `oc patch secret/NAME -n NS --type=merge --patch-file=PATH`, nothing else.
  fs.writeFileSync(path.join(bin, 'oc'), `#!/usr/bin/env node
const fs = require('fs');
const [verb, ref, ...rest] = process.argv.slice(2);
const file = ${JSON.stringify(state)} + '/secret-' + ref.replace(/^secret\\//, '') + '.json';
if (!fs.existsSync(file)) { console.error('Error from server (NotFound): secrets "' + ref + '" not found'); process.exit(1); }
const obj = JSON.parse(fs.readFileSync(file, 'utf8'));
if (verb === 'get') {
  const m = /jsonpath=\\{\\.data\\.([A-Za-z0-9_]+)\\}/.exec(rest.join(' '));
  if (!m) { console.error('stand-in oc: unsupported get ' + rest.join(' ')); process.exit(2); }
  process.stdout.write((obj.data || {})[m[1]] || '');
} else if (verb === 'patch') {
  // the Job passes the keys in a file (--patch-file=PATH), never on the command line
  const flag = rest.find((a) => a.startsWith('--patch-file='));
  if (!flag || rest.includes('-p')) { console.error('stand-in oc: expected --patch-file, got ' + rest.join(' ')); process.exit(2); }
  const p = JSON.parse(fs.readFileSync(flag.slice('--patch-file='.length), 'utf8'));
  obj.data = { ...(obj.data || {}), ...p.data };
  fs.writeFileSync(file, JSON.stringify(obj));
} else { console.error('stand-in oc: unsupported ' + verb); process.exit(2); }
`, { mode: 0o755 });
  const r = run('/bin/sh', ['-c', script], { env: { PATH: `${bin}:/usr/bin:/bin`, HOME: ctx.dir }, timeoutMs: 30_000 });
  if (r.status !== 0) throw new StepError('obc-job', `the Job's script failed: ${r.stderr.trim()}`);
  const left = fs.readdirSync(ctx.dir).filter((f) => f.endsWith('.json'));
  if (left.length > 0) throw new StepError('obc-job', `the Job left its keys file behind in HOME: ${left.join(', ')}`);
  ctx.note(`the claim-keys Job's script: ${r.stdout.trim()}`);
  return JSON.parse(fs.readFileSync(path.join(state, `secret-${REGISTRY_USER_SECRET_NAME}.json`), 'utf8'));
}
