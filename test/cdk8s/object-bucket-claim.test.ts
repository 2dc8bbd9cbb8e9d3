/**
 * S3 storage on OpenShift Data Foundation through an ObjectBucketClaim: the claim, the keyless user
 * Secret and the Job that fills it in the cluster. No synthesized YAML holds a credential; the Job's
 * script is run by /bin/sh against a stub `oc`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { obcCredentialsObjects, ODF_NOOBAA_SERVICE_ENDPOINT, validateRegistryConfigPatch } from '../../lib';
import { ObjectBucketClaim, ObjectBucketClaimRegistryStorage, S3RegistryStorage } from '../../lib/cdk8s';

const ROUTE = 'https://s3-openshift-storage.apps.acme.example.com';

function chart(): Chart {
  return new Chart(Testing.app(), 'cluster-a', { namespace: 'team-a' });
}

describe('S3RegistryStorage with provision: { controller: \'object-bucket-claim\' }', () => {
  const synth = () => {
    const c = chart();
    new S3RegistryStorage(c, 'registry', { bucket: 'acme-image-registry', regionEndpoint: ROUTE, trustedCA: 'router-ca', provision: { controller: 'object-bucket-claim' } });
    return Testing.synth(c);
  };

  it('the claim, the Job\'s namespace, policy and RBAC, a keyless user Secret, the Job, then the Config, in Argo CD waves', () => {
    const out = synth();
    expect(out.map((m) => `${m.kind}:${m.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? ''}`)).toEqual([
      'ObjectBucketClaim:-3', 'Namespace:-2', 'ImageStream:-2', 'NetworkPolicy:-2', 'Secret:-2', 'Role:-2', 'ServiceAccount:-2', 'RoleBinding:-2', 'Job:-1', 'Config:',
    ]);
    const claim = out[0];
    expect(ObjectBucketClaim.problems(claim)).toEqual([]);
    expect(claim.metadata).toMatchObject({ name: 'image-registry-bucket', namespace: 'openshift-image-registry' });
    expect(claim.spec).toEqual({ bucketName: 'acme-image-registry', storageClassName: 'openshift-storage.noobaa.io' });
    const config = out[out.length - 1];
    expect(config.spec.storage.s3).toEqual({
      bucket: 'acme-image-registry', region: 'us-east-1', regionEndpoint: ROUTE, trustedCA: { name: 'router-ca' }, virtualHostedStyle: false, encrypt: false,
    });
    expect(validateRegistryConfigPatch(config)).toEqual([]);
    const secret = out.find((m) => m.kind === 'Secret');
    expect(secret.metadata).toMatchObject({ name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' });
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
    const role = out.find((m) => m.kind === 'Role');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['image-registry-bucket'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['image-registry-private-configuration-user'], verbs: ['get', 'patch'] },
    ]);
    // kept on delete like the Config and the claim: ODF has no installer-cloud-credentials to fall back on
    expect(secret.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
    const job = out.find((m) => m.kind === 'Job');
    expect(job.metadata.namespace).toBe('registry-storage-credentials');
    // An Argo CD Sync hook, not an ordinary object: its image is rewritten on admission (ImagePolicy),
    // so an ordinary Job would be OutOfSync for ever; hooks are re-run each sync and not compared.
    expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(out.find((m) => m.kind === 'NetworkPolicy').spec.podSelector).toEqual({ matchLabels: job.spec.template.metadata.labels });
  });

  it('the in-cluster service endpoint (no route, no cluster-wide proxy) with the service CA plans a valid Config without warnings', () => {
    const c = chart();
    const s = new S3RegistryStorage(c, 'registry', {
      bucket: 'acme-image-registry', regionEndpoint: ODF_NOOBAA_SERVICE_ENDPOINT, trustedCA: 'registry-s3-ca', provision: { controller: 'object-bucket-claim' },
    });
    expect(ODF_NOOBAA_SERVICE_ENDPOINT).toBe('https://s3.openshift-storage.svc');
    expect(s.warnings).toEqual([]);
    const config = Testing.synth(c).find((m) => m.kind === 'Config');
    expect(config.spec.storage.s3).toMatchObject({ regionEndpoint: 'https://s3.openshift-storage.svc', trustedCA: { name: 'registry-s3-ca' } });
    expect(validateRegistryConfigPatch(config)).toEqual([]);
  });

  it('no synthesized YAML holds a credential', () => {
    const yaml = JSON.stringify(synth());
    expect(yaml).not.toMatch(/REGISTRY_STORAGE_S3_(ACCESS|SECRET)KEY"\s*:\s*"[^$]/);
    expect(synth().filter((m) => m.kind === 'Secret').every((s) => s.data === undefined && s.stringData === undefined)).toBe(true);
  });

  it('Ceph RGW through its StorageClass and a claim name of one\'s own', () => {
    const c = chart();
    new S3RegistryStorage(c, 'registry', {
      bucket: 'acme-image-registry',
      regionEndpoint: 'https://ocs-storagecluster-cephobjectstore-openshift-storage.apps.acme.example.com',
      provision: { controller: 'object-bucket-claim', storageClassName: 'ocs-storagecluster-ceph-rgw', claimName: 'registry' },
    });
    const out = Testing.synth(c);
    expect(out[0].spec).toEqual({ bucketName: 'acme-image-registry', storageClassName: 'ocs-storagecluster-ceph-rgw' });
    expect(out[0].metadata.name).toBe('registry');
    expect(out.find((m) => m.kind === 'Role').rules[0].resourceNames).toEqual(['registry']);
    expect(out.find((m) => m.kind === 'Job').spec.template.spec.containers[0].command[2]).toContain('secret/registry -n openshift-image-registry');
  });

  it('refuses, with every problem at once, what cannot work', () => {
    expect(() => new S3RegistryStorage(chart(), 'r', { provision: { controller: 'object-bucket-claim', claimName: 'Bad_Name' } }))
      .toThrow(/S3RegistryStorage: 3 problems\n {2}- bucket: is required.*\n {2}- claimName: must be a Kubernetes name.*\n {2}- regionEndpoint: is required/);
    expect(() => new S3RegistryStorage(chart(), 'r', {
      bucket: 'acme-image-registry', regionEndpoint: ROUTE, credentials: { accessKey: 'a', secretKey: 's' }, provision: { controller: 'object-bucket-claim' },
    })).toThrow(/credentials: come from the claim/);
    for (const sc of ['ocs-storagecluster-ceph-rbd', 'ocs-storagecluster-cephfs', 'gp3-csi', 'thin-csi']) {
      expect(() => new S3RegistryStorage(chart(), 'r', { bucket: 'acme-image-registry', regionEndpoint: ROUTE, provision: { controller: 'object-bucket-claim', storageClassName: sc } }))
        .toThrow(/storageClassName: "[a-z0-9-]+" is a volume \(block or file\) StorageClass, which no bucket provisioner serves/);
    }
  });
});

describe('S3 props with a claim', () => {
  const base = { bucket: 'acme-image-registry', regionEndpoint: ROUTE, provision: { controller: 'object-bucket-claim' as const } };
  it('chunkSizeMiB, and the values the claim sets anyway (encrypt: false, virtualHostedStyle: false), are taken', () => {
    const r = new S3RegistryStorage(chart(), 'r', { ...base, chunkSizeMiB: 10, encrypt: false, virtualHostedStyle: false, openshiftVersion: '4.17' });
    expect(r.plan.spec.storage?.s3).toMatchObject({ chunkSizeMiB: 10, encrypt: false, virtualHostedStyle: false });
  });
  it('an S3 prop the claim cannot honour is refused by name, not dropped', () => {
    expect(() => new S3RegistryStorage(chart(), 'r', { ...base, encrypt: true, keyID: 'arn:aws:kms:us-east-1:111122223333:key/k' }))
      .toThrow(/2 problems\n {2}- encrypt: is not used with provision: \{ controller: 'object-bucket-claim' \}.*\n {2}- keyID: is not used/);
  });
});

describe('the credentials Job, run by /bin/sh with a stub oc and a stub sleep', () => {
  const job = obcCredentialsObjects({ claimName: 'image-registry-bucket', timeoutSeconds: 30 }).find((o) => o.kind === 'Job') as any;
  const command: string[] = job.spec.template.spec.containers[0].command;
  const AK = Buffer.from('AKIAOBCEXAMPLE').toString('base64');
  const SK = Buffer.from('obc/secret+key=').toString('base64');

  /** `keysAfter`: how many `get` calls find no keys before they appear (Infinity: never). */
  interface JobRun { code: number; calls: string[]; stdout: string; stderr: string; patch?: string; mode?: string; left: string[] }
  function runJob(keysAfter: number, secretKey = SK): JobRun {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-obc-'));
    // The Job writes its patch file under /tmp (an emptyDir in the pod): run the script with that path
    // pointed at a folder of the test's own.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-obc-tmp-'));
    try {
      const log = path.join(dir, 'calls');
      fs.writeFileSync(path.join(dir, 'count'), '0');
      fs.writeFileSync(path.join(dir, 'oc'), `#!/bin/sh
echo "$*" >> '${log}'
case "$1" in
  get)
    n=$(cat '${dir}/count'); echo $((n+1)) > '${dir}/count'
    if [ "$n" -lt ${Number.isFinite(keysAfter) ? keysAfter : 1000000} ]; then exit 1; fi
    case "$*" in *AWS_ACCESS_KEY_ID*) printf '%s' '${AK}' ;; *AWS_SECRET_ACCESS_KEY*) printf '%s' '${secretKey}' ;; esac ;;
  patch)
    for a in "$@"; do case "$a" in --patch-file=*) cat "\${a#--patch-file=}" > '${dir}/patch.json'; ls -l "\${a#--patch-file=}" | cut -c1-10 > '${dir}/patch.mode' ;; esac; done
    exit 0 ;;
esac
`, { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'sleep'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      const r = spawnSync(command[0], command.slice(1), { env: { PATH: `${dir}:/usr/bin:/bin`, HOME: tmp }, encoding: 'utf8' });
      const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
      const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8').trim() : undefined);
      return { code: r.status ?? -1, calls, stdout: r.stdout, stderr: r.stderr, patch: read('patch.json'), mode: read('patch.mode'), left: fs.readdirSync(tmp) };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  it('waits for the claim\'s keys, then patches them under the operator\'s names, printing none', () => {
    const r = runJob(2);
    expect(r.code).toBe(0);
    const patch = r.calls.find((c) => c.startsWith('patch'))!;
    expect(patch).toMatch(/^patch secret\/image-registry-private-configuration-user -n openshift-image-registry --type=merge --patch-file=\S+$/);
    expect(JSON.parse(r.patch!)).toEqual({ data: { REGISTRY_STORAGE_S3_ACCESSKEY: AK, REGISTRY_STORAGE_S3_SECRETKEY: SK } });
    // the keys were on no command line, the file was readable by the Job's user alone, and it is gone
    for (const call of r.calls) expect(call).not.toMatch(new RegExp(`${AK}|${SK.replace(/[+/=]/g, '\\$&')}`));
    expect(r.mode).toBe('-rw-------');
    expect(r.left).toEqual([]);
    expect(r.calls.filter((c) => c.startsWith('get')).length).toBe(4);
    expect(r.stdout + r.stderr).not.toContain(AK);
    expect(r.stdout + r.stderr).not.toContain(SK);
  });

  it('gives up after its timeout when the claim never binds, and never patches', () => {
    const r = runJob(Infinity);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ObjectBucketClaim image-registry-bucket has no keys after 30s: is it Bound?');
    expect(r.calls.some((c) => c.startsWith('patch'))).toBe(false);
  });

  it('refuses a claim Secret without the secret key', () => {
    const r = runJob(0, '');
    expect(r.code).toBe(1);
    expect(r.calls.some((c) => c.startsWith('patch'))).toBe(false);
  });
});

describe('ObjectBucketClaimRegistryStorage: one name in both flavours', () => {
  it('emits what S3RegistryStorage with provision: { controller: object-bucket-claim } emits', () => {
    const a = chart();
    new ObjectBucketClaimRegistryStorage(a, 'r', { bucket: 'acme-image-registry', regionEndpoint: ROUTE, claimName: 'registry-bucket', jobNamespace: 'registry-storage-keys' });
    const b = chart();
    new S3RegistryStorage(b, 'r', {
      bucket: 'acme-image-registry', regionEndpoint: ROUTE, provision: { controller: 'object-bucket-claim', claimName: 'registry-bucket', jobNamespace: 'registry-storage-keys' },
    });
    expect(Testing.synth(a)).toEqual(Testing.synth(b));
  });

  it('its props are checked by name', () => {
    expect(() => new ObjectBucketClaimRegistryStorage(chart(), 'r', { bucket: 'acme-image-registry', regionEndpoint: ROUTE, claimNmae: 'x' } as any))
      .toThrow(/claimNmae: is not a prop: did you mean "claimName"\?/);
  });

  it('later problems are named as this construct takes them: its own name, its props at the top', () => {
    let error: any;
    try {
      new ObjectBucketClaimRegistryStorage(chart(), 'r', { bucket: 'acme-image-registry', regionEndpoint: ROUTE, claimName: 'Not A Name', jobNamespace: 'kube-system' });
    } catch (e) {
      error = e;
    }
    expect(error.message).toMatch(/^ObjectBucketClaimRegistryStorage: 2 problems/);
    expect(error.problems.map((p: any) => [p.path, p.code])).toEqual([['claimName', 'ORS-OBC-003'], ['jobNamespace', 'ORS-JOB-002']]);
  });

  it('every Pulumi component has a cdk8s construct of the same name', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
    const cdk8s = require('../../lib/cdk8s') as Record<string, any>;
    const components = ['aws', 'gcp', 'azure', 'openstack', 'kubernetes'].flatMap((cloud) => Object.entries(require(`../../lib/pulumi/${cloud}`) as Record<string, any>)
      .filter(([, v]) => typeof v === 'function' && v.prototype instanceof pulumi.ComponentResource).map(([n]) => n));
    /* eslint-enable @typescript-eslint/no-require-imports */
    expect(components.length).toBeGreaterThanOrEqual(7);
    expect(components.filter((n) => !(typeof cdk8s[n] === 'function' && cdk8s[n].prototype instanceof cdk8s.RegistryStorage))).toEqual([]);
  });
});
