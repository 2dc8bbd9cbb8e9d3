import {
  ConfigSpecPatch, DEFAULT_JOB_NAMESPACE, KEEP_ON_DELETE_ANNOTATIONS, planEmptyDirStorage, planPvcStorage, planS3Storage, registryConfig,
  removeOtherStorageObjects, specDigest, storageAppliedConditions, validateRegistryConfig, validateRegistryConfigPatch,
} from '../../lib';

describe('replicas: left to the live Config unless the storage needs a count', () => {
  it('object storage and ReadWriteMany claims send no replicas (single-node OpenShift keeps its 1)', () => {
    expect(planS3Storage({ bucket: 'b-b-b' }).spec.replicas).toBeUndefined();
    expect(planPvcStorage({ accessMode: 'ReadWriteMany' }).spec.replicas).toBeUndefined();
  });
  it('ReadWriteOnce claims and emptyDir need 1; a given value is sent', () => {
    expect(planPvcStorage({}).spec.replicas).toBe(1);
    expect(planEmptyDirStorage({ acknowledgeNonProduction: true }).spec.replicas).toBe(1);
    expect(planS3Storage({ bucket: 'b-b-b', replicas: 3 }).spec.replicas).toBe(3);
  });
  it('the patch validates as a patch; the whole object still needs replicas, as the API server says', () => {
    const config = registryConfig(planS3Storage({ bucket: 'b-b-b' }).spec);
    expect(validateRegistryConfigPatch(config)).toEqual([]);
    expect(validateRegistryConfig(config)).toEqual([{ path: 'spec.replicas', message: 'Required value' }]);
    // every other rule still applies to a patch
    expect(validateRegistryConfigPatch(registryConfig({ storage: { emptyDir: {} }, replicas: 2 } as ConfigSpecPatch)).map((p) => p.path)).toEqual(['spec.replicas']);
  });
  it('int32 bounds on replicas', () => {
    expect(() => planS3Storage({ replicas: 2 ** 31 })).toThrow(/replicas: must be a whole number from 1 to 2147483647/);
  });
});

describe('storageAppliedConditions: what proves the operator applied this storage', () => {
  it('status.storage holds each scalar applied; StorageExists, Progressing=False, Degraded=False, Available', () => {
    const spec = planS3Storage({ bucket: 'acme', region: 'eu-west-1', regionEndpoint: 'https://s3.example.com', chunkSizeMiB: 16, trustedCA: 'ca' }).spec;
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
    const objects = removeOtherStorageObjects('gcs', { image: 'mirror.example.com/cli@sha256:abc', namespace: 'ops' });
    expect(objects.map((o) => o.kind)).not.toContain('ImageStream');
    expect((objects.find((o) => o.kind === 'Job') as any).spec.template.metadata.annotations).toBeUndefined();
  });
});

describe('GitOps', () => {
  it('the keep-on-delete annotations cover Argo CD (prune and app deletion) and Flux', () => {
    expect(KEEP_ON_DELETE_ANNOTATIONS).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
  });
});
