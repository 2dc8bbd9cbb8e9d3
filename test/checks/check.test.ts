import { checkRegistryObjects, validateClaimForConfig, validateUserSecret } from '../../lib';

const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'image-registry-private-configuration-user' }, stringData: data });

describe('validateUserSecret', () => {
  it('accepts exactly the operator\'s keys', () => {
    expect(validateUserSecret('s3', secret({ REGISTRY_STORAGE_S3_ACCESSKEY: 'a', REGISTRY_STORAGE_S3_SECRETKEY: 's' }))).toEqual([]);
    expect(validateUserSecret('swift', secret({ REGISTRY_STORAGE_SWIFT_TOKENID: 't' }))).toEqual([]);
  });
  it('S3 needs both keys (no fallback to the cluster credentials while the Secret exists)', () => {
    expect(validateUserSecret('s3', secret({ REGISTRY_STORAGE_S3_ACCESSKEY: 'a' }))).toEqual([expect.objectContaining({ message: expect.stringContaining('no fallback') })]);
  });
  it('an empty Azure key is refused', () => {
    expect(validateUserSecret('azure', secret({ REGISTRY_STORAGE_AZURE_ACCOUNTKEY: '' }))).toEqual([
      expect.objectContaining({ path: expect.stringMatching(/REGISTRY_STORAGE_AZURE_ACCOUNTKEY$/), message: expect.stringContaining('empty') }),
    ]);
  });
  it('reads base64 data as the API server stores it', () => {
    expect(validateUserSecret('gcs', { data: { REGISTRY_STORAGE_GCS_KEYFILE: Buffer.from('{}').toString('base64') } })).toEqual([]);
  });
  it('storage without credentials ignores the Secret, and says so', () => {
    expect(validateUserSecret('pvc', secret({ X: 'y' }))).toEqual([expect.objectContaining({ message: expect.stringContaining('ignored') })]);
  });
});

describe('validateClaimForConfig', () => {
  const claim = (modes: string[]) => ({ metadata: { name: 'r' }, spec: { accessModes: modes } });
  it('RWX is unrestricted; RWO needs 1 replica and Recreate; neither is refused', () => {
    expect(validateClaimForConfig({ replicas: 3 }, claim(['ReadWriteMany']))).toEqual([]);
    expect(validateClaimForConfig({ replicas: 1, rolloutStrategy: 'Recreate' }, claim(['ReadWriteOnce']))).toEqual([]);
    expect(validateClaimForConfig({ replicas: 1 }, claim(['ReadWriteOnce'])).map((p) => p.path)).toEqual(['spec.rolloutStrategy']);
    expect(validateClaimForConfig({ replicas: 1 }, claim(['ReadOnlyMany']))[0].message).toContain('necessary access modes');
  });
});

describe('checkRegistryObjects', () => {
  it('applies the platform props rules to a live block: Swift credentials need authURL in the Config', () => {
    const problems = checkRegistryObjects([
      { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { replicas: 2, storage: { swift: { container: 'c' } } } },
      secret({ REGISTRY_STORAGE_SWIFT_USERNAME: 'u', REGISTRY_STORAGE_SWIFT_PASSWORD: 'p' }),
    ]);
    expect(problems.map((p) => p.path)).toEqual(['spec.storage.swift.authURL', 'spec.storage.swift.domain', 'spec.storage.swift.tenant']);
  });
  it('throws on input without a Config', () => {
    expect(() => checkRegistryObjects([{ kind: 'Secret' }])).toThrow('no configs.imageregistry.operator.openshift.io object in the input');
  });
});
