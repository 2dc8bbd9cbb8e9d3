import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as jsyaml from 'js-yaml';
import {
  ConfigSpecPatch, DEFAULT_JOB_NAMESPACE, DEFAULT_REPLICAS, KEEP_ON_DELETE_ANNOTATIONS, planEmptyDirStorage, planPvcStorage, planS3Storage,
  registryConfig,
  inspectRegistryObjects, operatorIgnoresConfig,
  removeOtherStorageObjects, specDigest, storageAppliedConditions, validateRegistryConfig, validateRegistryConfigPatch,
} from '../../lib';
import { isNamespaced, missingNamespaceProblems } from '../../lib/core/scope';

describe('replicas: always sent, so that no storage switch drops the field the CRD requires', () => {
  it('object storage and ReadWriteMany claims send 2 (the operator\'s highly available bootstrap) unless given', () => {
    expect(planS3Storage({ bucket: 'b-b-b' }).spec.replicas).toBe(DEFAULT_REPLICAS);
    expect(DEFAULT_REPLICAS).toBe(2);
    expect(planPvcStorage({ accessMode: 'ReadWriteMany' }).spec.replicas).toBe(2);
    // single-node OpenShift says so
    expect(planS3Storage({ bucket: 'b-b-b', replicas: 1 }).spec.replicas).toBe(1);
  });
  it('every plan sends replicas, so a later apply by the same field manager never removes it', () => {
    const plans = [
      planS3Storage({ bucket: 'b-b-b' }), planPvcStorage({}), planPvcStorage({ accessMode: 'ReadWriteMany' }), planPvcStorage({ claim: '' }),
      planEmptyDirStorage({ acknowledgeNonProduction: true }),
    ];
    for (const p of plans) {
      expect(typeof p.spec.replicas).toBe('number');
      expect(validateRegistryConfig(registryConfig(p.spec))).toEqual([]);
    }
  });
  it('ReadWriteOnce claims and emptyDir need 1; a given value is sent', () => {
    expect(planPvcStorage({}).spec.replicas).toBe(1);
    expect(planEmptyDirStorage({ acknowledgeNonProduction: true }).spec.replicas).toBe(1);
    expect(planS3Storage({ bucket: 'b-b-b', replicas: 3 }).spec.replicas).toBe(3);
  });
  it('a patch without replicas validates as a patch; the whole object still needs replicas, as the API server says', () => {
    const { replicas: _r, ...spec } = planS3Storage({ bucket: 'b-b-b' }).spec;
    const config = registryConfig(spec);
    expect(validateRegistryConfigPatch(config)).toEqual([]);
    expect(validateRegistryConfig(config)).toEqual([{ path: 'spec.replicas', message: 'Required value', code: 'ORS-CRD-010' }]);
    // every other rule still applies to a patch
    expect(validateRegistryConfigPatch(registryConfig({ storage: { emptyDir: {} }, replicas: 2 } as ConfigSpecPatch)).map((p) => p.path)).toEqual(['spec.replicas']);
  });
  it('int32 bounds on replicas', () => {
    expect(() => planS3Storage({ replicas: 2 ** 31 })).toThrow(/replicas: must be a whole number from 1 to 2147483647/);
  });
});

describe('storageAppliedConditions: what proves the operator applied this storage', () => {
  it('status.storage holds each scalar applied; StorageExists, Progressing=False, Degraded=False, Available', () => {
    const spec = planS3Storage({ bucket: 'acme', region: 'eu-west-1', regionEndpoint: 'https://s3.example.com', chunkSizeMiB: 16, trustedCA: 'ca', openshiftVersion: '4.17' }).spec;
    expect(storageAppliedConditions(spec)).toEqual([
      'jsonpath={.status.storage.s3.bucket}=acme',
      'jsonpath={.status.storage.s3.chunkSizeMiB}=16',
      'jsonpath={.status.storage.s3.region}=eu-west-1',
      'jsonpath={.status.storage.s3.regionEndpoint}=https://s3.example.com',
      'jsonpath={.status.storage.managementState}=Unmanaged',
      'condition=StorageExists',
      'condition=Progressing=False',
      'condition=Degraded=False',
      'condition=Available',
    ]);
  });
  it('false values (omitted by the operator\'s Go types) and values with "=" (the syntax splits on it) are left out', () => {
    const conditions = storageAppliedConditions({ managementState: 'Managed', storage: { s3: { bucket: 'b', encrypt: false, virtualHostedStyle: false, keyID: 'a=b' } } } as ConfigSpecPatch);
    expect(conditions.filter((c) => c.startsWith('jsonpath'))).toEqual(['jsonpath={.status.storage.s3.bucket}=b']);
  });
  it('a block with no scalars (emptyDir, operator-made claim) is awaited by its presence', () => {
    expect(storageAppliedConditions(planEmptyDirStorage({ acknowledgeNonProduction: true }).spec)[0]).toBe('jsonpath={.status.storage.emptyDir}');
    expect(storageAppliedConditions(planPvcStorage({ claim: '' }).spec)[0]).toBe('jsonpath={.status.storage.pvc}');
  });
  it('the digest changes with the spec and only with it', () => {
    const a = planS3Storage({ bucket: 'b-b-b' }).spec;
    expect(specDigest(a)).toBe(specDigest(planS3Storage({ bucket: 'b-b-b' }).spec));
    expect(specDigest(a)).not.toBe(specDigest(planS3Storage({ bucket: 'b-b-b', replicas: 3 }).spec));
    // key order does not matter
    expect(specDigest({ managementState: 'Managed', storage: { s3: { bucket: 'x', region: 'y' } } } as ConfigSpecPatch))
      .toBe(specDigest({ storage: { s3: { region: 'y', bucket: 'x' } }, managementState: 'Managed' } as ConfigSpecPatch));
  });
});

describe('removeOtherStorageObjects', () => {
  it('runs outside openshift-image-registry (default-deny), with an API-server-only egress policy and the payload\'s oc', () => {
    const objects = removeOtherStorageObjects('s3');
    expect(objects.map((o) => o.kind)).toEqual(['Namespace', 'ImageStream', 'NetworkPolicy', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Job']);
    for (const o of objects) expect(o.metadata.namespace === undefined || o.metadata.namespace === DEFAULT_JOB_NAMESPACE).toBe(true);
    expect(objects.some((o) => o.metadata.namespace === 'openshift-image-registry')).toBe(false);
    const job = objects.find((o) => o.kind === 'Job') as any;
    const container = job.spec.template.spec.containers[0];
    expect(container.image).toBe('registry-storage-cli:latest');
    expect(container.env).toEqual([{ name: 'HOME', value: '/tmp' }]);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
  });
  it('a given image needs no ImageStream', () => {
    const objects = removeOtherStorageObjects('gcs', { image: 'mirror.example.com/cli@sha256:abc', namespace: 'registry-storage-ops' });
    expect(objects.map((o) => o.kind)).not.toContain('ImageStream');
    expect((objects.find((o) => o.kind === 'Job') as any).spec.template.metadata.annotations).toBeUndefined();
  });
});

describe('GitOps', () => {
  it('the keep-on-delete annotations cover Argo CD (prune and app deletion) and Flux', () => {
    expect(KEEP_ON_DELETE_ANNOTATIONS).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
  });
});

describe('removeOtherStorageObjects with removeStaleUserSecret: the Job script, run by /bin/sh with a stub oc', () => {
  const objects = removeOtherStorageObjects('s3', { removeStaleUserSecret: true });
  const job = objects.find((o) => o.kind === 'Job') as any;
  const command: string[] = job.spec.template.spec.containers[0].command;

  /**
   * Runs `script` with `oc` answering `managers` for the Secret (undefined: no Secret); returns the
   * oc calls. The stub prints what `oc get -o jsonpath=...` prints for the template it is given:
   * one manager a line for `{range ...}{.manager}{"\n"}{end}`, the managers joined by spaces for
   * `{.metadata.managedFields[*].manager}` (kubectl's list output), and refuses any other.
   */
  function runJob(managers: string[] | undefined, patchFails = false, script: string[] = command): { code: number; calls: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-oc-'));
    try {
      const log = path.join(dir, 'calls');
      const names = (managers ?? []).map((m) => `'${m}'`).join(' ');
      fs.writeFileSync(path.join(dir, 'oc'), `#!/bin/sh
printf '%s\\n' "$*" >> '${log}'
case "$1" in
  patch) ${patchFails ? 'exit 1' : 'exit 0'} ;;
  get)
    ${managers === undefined ? 'echo "Error from server (NotFound)" >&2; exit 1' : ''}
    case "$*" in
      *'jsonpath={range .metadata.managedFields[*]}{.manager}{"\\n"}{end}'*) printf '%s\\n' ${names} ;;
      *'jsonpath={.metadata.managedFields[*].manager}'*) echo ${names} ;;
      *) echo "stub oc: unsupported $*" >&2; exit 2 ;;
    esac ;;
  delete) exit 0 ;;
esac
`, { mode: 0o755 });
      const r = spawnSync(script[0], script.slice(1), { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: 'utf8' });
      const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map((c) => c.split(' ')[0]) : [];
      return { code: r.status ?? -1, calls };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('deletes the Secret this library wrote, after the patch', () => {
    expect(runJob(['kube-controller-manager', 'openshift-registry-storage'])).toEqual({ code: 0, calls: ['patch', 'get', 'delete'] });
  });

  it('keeps a Secret anyone else wrote, and copes with none', () => {
    expect(runJob(['kubectl-client-side-apply', 'external-secrets'])).toEqual({ code: 0, calls: ['patch', 'get'] });
    expect(runJob(['openshift-registry-storage-await'])).toEqual({ code: 0, calls: ['patch', 'get'] });
    // a manager whose name holds a space and this library's name is someone else's
    expect(runJob(['x openshift-registry-storage', 'openshift-registry-storage x'])).toEqual({ code: 0, calls: ['patch', 'get'] });
    // ...which the earlier script, splitting kubectl's space-joined list, took for this library's
    const earlier = [command[0], command[1], command[2].replace(
      '\'jsonpath={range .metadata.managedFields[*]}{.manager}{"\\n"}{end}\' 2>/dev/null | grep -qxF',
      '\'jsonpath={.metadata.managedFields[*].manager}\' 2>/dev/null | tr \' \' \'\\n\' | grep -qx')];
    expect(earlier[2]).not.toEqual(command[2]);
    expect(runJob(['x openshift-registry-storage'], false, earlier)).toEqual({ code: 0, calls: ['patch', 'get', 'delete'] });
    expect(runJob(undefined)).toEqual({ code: 0, calls: ['patch', 'get'] });
  });

  it('fails, touching nothing else, when the patch fails (the Job retries)', () => {
    expect(runJob(['openshift-registry-storage'], true)).toEqual({ code: 1, calls: ['patch'] });
  });

  it('a Role in openshift-image-registry allows get and delete on that Secret only', () => {
    const role = objects.find((o) => o.kind === 'Role') as any;
    expect(role.metadata.namespace).toBe('openshift-image-registry');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['image-registry-private-configuration-user'], verbs: ['get', 'delete'] }]);
    const binding = objects.find((o) => o.kind === 'RoleBinding') as any;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'registry-storage-keep-s3', namespace: 'registry-storage-jobs' }]);
    expect(removeOtherStorageObjects('s3').map((o) => o.kind)).not.toContain('Role');
  });
});

describe('namespaced objects name their namespace', () => {
  it('the scope table agrees with every vendored CRD', () => {
    const root = path.join(__dirname, '..', '..', 'vendor');
    let n = 0;
    for (const d of ['openshift-api', 'controllers-crds']) {
      for (const f of fs.readdirSync(path.join(root, d), { recursive: true }) as string[]) {
        if (!f.endsWith('.yaml') || f.includes('tests')) continue;
        const crd = jsyaml.load(fs.readFileSync(path.join(root, d, f), 'utf8')) as any;
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        n++;
        expect([crd.spec.names.kind, isNamespaced(`${crd.spec.group}/v1`, crd.spec.names.kind)]).toEqual([crd.spec.names.kind, crd.spec.scope === 'Namespaced']);
      }
    }
    expect(n).toBeGreaterThan(10);
  });
  it('a namespaced object without one is a problem naming it; cluster-scoped ones and named ones are not', () => {
    const problems = missingNamespaceProblems([
      { apiVersion: 's3.services.k8s.aws/v1alpha1', kind: 'Bucket', metadata: { name: 'b' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'x' } },
      { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' } },
    ], (_o, i) => `item ${i}`);
    expect(problems).toEqual([{ path: 'item 0', message: expect.stringMatching(/^Bucket b is namespaced and has no namespace: .*Argo CD refuses the whole sync/), code: 'ORS-CORE-002' }]);
  });
});

describe('single-node OpenShift', () => {
  it('the topology picks replicas 1 by default, as the operator bootstraps it; a given replicas or a storage need wins', () => {
    expect(planS3Storage({ bucket: 'b-b-b', infrastructureTopology: 'SingleReplica' }).spec.replicas).toBe(1);
    expect(planS3Storage({ bucket: 'b-b-b', infrastructureTopology: 'HighlyAvailable' }).spec.replicas).toBe(2);
    expect(planS3Storage({ bucket: 'b-b-b', infrastructureTopology: 'SingleReplica', replicas: 3 }).spec.replicas).toBe(3);
    expect(planPvcStorage({ infrastructureTopology: 'SingleReplica' }).spec.replicas).toBe(1);
    expect(() => planS3Storage({ bucket: 'b-b-b', infrastructureTopology: 'Single' as any })).toThrow(/infrastructureTopology: must be one of HighlyAvailable/);
  });
  it('check warns on 2 replicas when the input has a SingleReplica Infrastructure', () => {
    const config = registryConfig(planS3Storage({ bucket: 'b-b-b' }).spec);
    const infrastructure = { apiVersion: 'config.openshift.io/v1', kind: 'Infrastructure', metadata: { name: 'cluster' }, status: { infrastructureTopology: 'SingleReplica' } };
    expect(inspectRegistryObjects([config, infrastructure]).warnings).toEqual([
      expect.objectContaining({ path: 'spec.replicas', objectIndex: 0, message: expect.stringMatching(/^is 2 on a single-node cluster/) }),
    ]);
    expect(inspectRegistryObjects([config]).warnings).toEqual([]);
  });
});

describe('operatorIgnoresConfig', () => {
  it('is true only where the operator does not reconcile the Config', () => {
    expect(operatorIgnoresConfig({ managementState: 'Unmanaged' } as ConfigSpecPatch)).toBe(true);
    expect(operatorIgnoresConfig({ managementState: 'Removed' } as ConfigSpecPatch)).toBe(true);
    expect(operatorIgnoresConfig(planS3Storage({ bucket: 'b-b-b' }).spec)).toBe(false);
  });
});
