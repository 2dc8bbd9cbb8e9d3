import {
  DEFERRED, planAzureStorage, planEmptyDirStorage, planGcsStorage, planPvcStorage, planS3Storage, planSwiftStorage,
  RegistryStoragePlan, RegistryStorageValidationError,
} from '../../lib';
import { expectProblem, problemsOf } from '../helpers';

/** The API is used from plain JavaScript and YAML too: every input gets a validation error, never a TypeError. */
const PLANNERS: Record<string, (p: any) => RegistryStoragePlan> = {
  s3: planS3Storage, gcs: planGcsStorage, azure: planAzureStorage, swift: planSwiftStorage, pvc: planPvcStorage, emptyDir: planEmptyDirStorage,
};
const PROPS: Record<string, string[]> = {
  s3: ['bucket', 'region', 'regionEndpoint', 'encrypt', 'keyID', 'cloudFront', 'trustedCA', 'chunkSizeMiB', 'credentials', 'virtualHostedStyle'],
  gcs: ['bucket', 'region', 'projectID', 'keyID', 'credentials'],
  azure: ['accountName', 'container', 'cloudName', 'networkAccess', 'credentials', 'azureStackHub'],
  swift: ['container', 'authURL', 'authVersion', 'domain', 'domainID', 'tenant', 'tenantID', 'regionName', 'credentials'],
  pvc: ['claim', 'size', 'accessMode', 'storageClassName', 'cinder', 'useExistingClaim'],
  emptyDir: ['acknowledgeNonProduction'],
};
const COMMON = ['replicas', 'rolloutStrategy', 'disableRedirect', 'managementState', 'storageManagementState'];
const cyclic: any = { name: 'x' };
cyclic.self = cyclic;
const WEIRD: Array<[string, unknown]> = [
  ['null', null], ['a number', 12345], ['true', true], ['an empty string', ''], ['a newline', 'a\nb'], ['an object', {}], ['an array', []],
  ['a BigInt', BigInt(10)], ['a cyclic object', cyclic], ['a function', () => 1],
];

describe('plain JavaScript callers: every input gets RegistryStorageValidationError or a plan', () => {
  const cases = Object.entries(PROPS)
    .flatMap(([type, props]) => [...props, ...COMMON].flatMap((prop) => WEIRD.map(([what, value]) => [type, prop, what, value] as const)));
  it.each(cases)('%s.%s = %s', (type, prop, _what, value) => {
    const base = type === 'emptyDir' ? { acknowledgeNonProduction: true } : {};
    let plan: RegistryStoragePlan | undefined;
    try {
      plan = PLANNERS[type]({ ...base, [prop]: value });
    } catch (e) {
      expect(e).toBeInstanceOf(RegistryStorageValidationError);
      const problems = (e as RegistryStorageValidationError).problems;
      // the problem names the prop (or a field inside it); useExistingClaim: true is valid, and asks for a claim
      if (prop === 'useExistingClaim' && value === true) expect(problems.map((p) => p.path)).toEqual(['claim']);
      else expect(problems.some((p) => p.path === prop || p.path.startsWith(`${prop}.`) || p.path === '(props)')).toBe(true);
      return;
    }
    // accepted: null means "not given"; never a null, BigInt or function in what is applied
    expect(JSON.stringify(plan.spec)).not.toContain('null');
  });

  it.each(Object.keys(PLANNERS))('%s: props that are not an object', (type) => {
    for (const props of [null, undefined, 5, 'bucket', []]) {
      expect(problemsOf(PLANNERS[type], props)).toEqual([expect.objectContaining({ path: '(props)', message: expect.stringContaining('must be an object') })]);
    }
  });

  it('cyclic values and BigInts are named by their path', () => {
    expect(problemsOf(planAzureStorage, { networkAccess: cyclic, openshiftVersion: '4.15' } as any)).toEqual([{ path: 'networkAccess.self', message: 'must not contain itself (a cyclic value)', code: 'ORS-PROPS-012' }]);
    expect(problemsOf(planS3Storage, { replicas: BigInt(2) } as any)).toEqual([{ path: 'replicas', message: 'must be a number or a string, not a BigInt (2n)', code: 'ORS-PROPS-009' }]);
  });

  it('numbers where strings belong, strings where booleans belong', () => {
    expectProblem(planS3Storage, { bucket: 12345 as any }, 'bucket', 'must be a string, got 12345');
    expectProblem(planS3Storage, { encrypt: 'yes' as any }, 'encrypt', 'must be true or false');
    expectProblem(planPvcStorage, { useExistingClaim: 'true' as any, claim: 'c' }, 'useExistingClaim', 'must be true or false');
    expectProblem(planSwiftStorage, { authURL: 'https://k.example.com/v3', credentials: 'secret' as any }, 'credentials', 'must be an object');
  });

  it('newlines and empty strings never reach the Config', () => {
    expectProblem(planS3Storage, { region: 'eu-west-1\n' }, 'region', 'control characters');
    expectProblem(planS3Storage, { keyID: 'arn:aws:kms:x\nkey' }, 'keyID', 'control characters');
    expectProblem(planSwiftStorage, { domain: 'Default\r\n' }, 'domain', 'control characters');
    expectProblem(planS3Storage, { region: '' }, 'region', 'must not be empty');
    // the one empty string that means something: the operator's own claim
    expect(planPvcStorage({ claim: '' }).spec.storage?.pvc).toEqual({});
  });

  it('Kubernetes name rules for claims, StorageClasses, ConfigMaps and Secrets', () => {
    expectProblem(planPvcStorage, { claim: 'a'.repeat(254) }, 'claim', 'at most 253');
    expectProblem(planPvcStorage, { claim: 'Registry' }, 'claim', 'lowercase');
    expectProblem(planPvcStorage, { storageClassName: 'ceph fs' }, 'storageClassName', 'a StorageClass');
    expectProblem(planPvcStorage, { cinder: { availabilityZone: 'nova', storageClassName: 'Cinder_SC' } }, 'cinder.storageClassName', 'a StorageClass');
    expectProblem(planS3Storage, { trustedCA: 'ca\nbundle' }, 'trustedCA', 'control characters');
    expectProblem(planS3Storage, {
      cloudFront: { baseURL: 'https://d.example.net', keypairID: 'K', privateKey: { name: 'CloudFront Key', key: 'pem' } },
    }, 'cloudFront.privateKey.name', 'a Secret in openshift-image-registry');
  });

  it('user information in a URL is refused without repeating it (the Config is not secret)', () => {
    const problems = problemsOf(planS3Storage, { region: 'us-east-1', regionEndpoint: 'https://registry:hunter2@s3.example.com' });
    expect(problems).toEqual([expect.objectContaining({ path: 'regionEndpoint', message: expect.stringContaining('user information') })]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
    expectProblem(planSwiftStorage, { authURL: 'https://admin:pw@keystone.example.com/v3' }, 'authURL', 'user information');
  });

  it('whole objects not known yet (Pulumi Outputs) are checked later, and still shape the plan', () => {
    expect(problemsOf(planS3Storage, { cloudFront: DEFERRED as any })).toEqual([]);
    const plan = planPvcStorage({ cinder: DEFERRED as any });
    expect(plan.objects.map((o) => o.kind)).toEqual(['StorageClass', 'PersistentVolumeClaim']);
  });
});

describe('credential values never appear in a message', () => {
  it('wrong types are described, not repeated', () => {
    const problems = [
      ...problemsOf(planS3Storage, { credentials: { accessKey: 12345 as any, secretKey: ['wJalrXUtnFEMI'] as any } }),
      ...problemsOf(planGcsStorage, { credentials: { keyfile: '/path/to/secret-key.json' } }),
      ...problemsOf(planAzureStorage, { accountName: 'acct', container: 'images', credentials: { accountKey: { k: 'hunter2' } as any } }),
    ];
    expect(problems.map((p) => p.path).sort()).toEqual(['credentials.accessKey', 'credentials.accountKey', 'credentials.keyfile', 'credentials.secretKey']);
    expect(JSON.stringify(problems)).not.toMatch(/12345|wJalrXUtnFEMI|secret-key\.json|hunter2/);
  });

  it('credentials are opaque: a key file over many lines is accepted as it is', () => {
    const keyfile = JSON.stringify({ type: 'service_account', project_id: 'p', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' }, null, 2);
    expect(keyfile).toContain('\n');
    expect(planGcsStorage({ credentials: { keyfile } }).secret?.stringData).toEqual({ REGISTRY_STORAGE_GCS_KEYFILE: keyfile });
  });
});
