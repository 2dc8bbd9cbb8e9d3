/**
 * The e2e translator (e2e/operator-env.ts) against what the operator's source does, without
 * servers: it runs in `npm test`, so a change to the translator is checked before the e2e runs.
 */
import { applySpec, freshClusterSpec } from '../../e2e/harness';
import { containerEnv, ensureAuthURLHasAPIVersion, goYamlValue, NotModelled, OperatorRefusal, operatorRegistryEnv, secretValues } from '../../e2e/operator-env';
import { planObjectBucketClaimStorage, planPvcStorage, planS3Storage, planSwiftStorage } from '../../lib';

const live = (spec: object) => applySpec(freshClusterSpec(), spec as Record<string, any>);

describe('goYamlValue (pkg/envvar EnvValue: yaml.v2 Marshal)', () => {
  test.each([
    ['swift', 'swift'], ['', '""'], ['3', '"3"'], ['true', '"true"'], ['yes', '"yes"'], ['1e3', '"1e3"'],
    ['p@ss word', 'p@ss word'], ['-dash', '"-dash"'], ['a: b', '"a: b"'], ['http://127.0.0.1:5000/v3', 'http://127.0.0.1:5000/v3'],
  ])('string %j is %s', (v, want) => expect(goYamlValue(v)).toBe(want));
  test('numbers and booleans are plain', () => {
    expect(goYamlValue(5242880)).toBe('5242880');
    expect(goYamlValue(false)).toBe('false');
  });
});

describe('ensureAuthURLHasAPIVersion (swift.go)', () => {
  test('an empty path gets /v<authVersion>', () => {
    expect(ensureAuthURLHasAPIVersion('https://keystone.example.com:5000', '3')).toBe('https://keystone.example.com:5000/v3');
    expect(ensureAuthURLHasAPIVersion('https://keystone.example.com:5000/', '2')).toBe('https://keystone.example.com:5000/v2');
  });
  test('a path beginning with /v1, /v2 or /v3 is kept', () => {
    expect(ensureAuthURLHasAPIVersion('https://k.example.com/v2.0', '3')).toBe('https://k.example.com/v2.0');
  });
  test('any other path is refused with the operator\'s message', () => {
    expect(() => ensureAuthURLHasAPIVersion('https://k.example.com/identity', '3')).toThrow(new OperatorRefusal('Incorrect Auth URL: /identity'));
  });
});

describe('operatorRegistryEnv', () => {
  test('Swift: the plan\'s Config and Secret become the operator\'s variables, credentials through the private Secret', () => {
    const plan = planSwiftStorage({
      container: 'c',
      authURL: 'https://k.example.com:5000',
      domain: 'd',
      tenant: 't',
      regionName: 'RegionTwo',
      credentials: { username: 'u', password: '12345' },
    });
    const pod = operatorRegistryEnv(live(plan.spec), secretValues(plan.secret as any));
    const env = containerEnv(pod);
    expect(env).toMatchObject({
      REGISTRY_STORAGE: 'swift',
      REGISTRY_STORAGE_SWIFT_CONTAINER: 'c',
      REGISTRY_STORAGE_SWIFT_AUTHURL: 'https://k.example.com:5000/v3',
      REGISTRY_STORAGE_SWIFT_USERNAME: 'u',
      REGISTRY_STORAGE_SWIFT_PASSWORD: '"12345"',
      REGISTRY_STORAGE_SWIFT_AUTHVERSION: '3',
      REGISTRY_STORAGE_SWIFT_DOMAIN: 'd',
      REGISTRY_STORAGE_SWIFT_TENANT: 't',
      REGISTRY_STORAGE_SWIFT_REGION: 'RegionTwo',
      REGISTRY_STORAGE_SWIFT_TOKENID: '""',
      REGISTRY_STORAGE_REDIRECT_DISABLE: 'true',
    });
    expect(pod.env.find((e) => e.name === 'REGISTRY_STORAGE_SWIFT_PASSWORD')).toEqual({ name: 'REGISTRY_STORAGE_SWIFT_PASSWORD', secretKey: 'REGISTRY_STORAGE_SWIFT_PASSWORD' });
    expect(env.REGISTRY_STORAGE_SWIFT_DOMAINID).toBeUndefined();
  });

  test('Swift: the docs\' REGISTRY_STORAGE_SWIFT_USER key is refused as the operator refuses it', () => {
    expect(() => operatorRegistryEnv(live(planSwiftStorage({ container: 'c', authURL: 'https://k.example.com', domain: 'd', tenant: 't' }).spec),
      { REGISTRY_STORAGE_SWIFT_USER: 'u', REGISTRY_STORAGE_SWIFT_PASSWORD: 'p' })).toThrow(/does not contain required keys 'REGISTRY_STORAGE_SWIFT_USERNAME'/);
  });

  test('S3 with a regionEndpoint: path style, encrypt false, chunk size in bytes, keys as a shared credentials file', () => {
    const plan = planS3Storage({ bucket: 'registry-b', region: 'us-east-1', regionEndpoint: 'https://rgw.example.com', chunkSizeMiB: 5, credentials: { accessKey: 'AK', secretKey: 'SK' }, openshiftVersion: '4.17' });
    const pod = operatorRegistryEnv(live(plan.spec), secretValues(plan.secret as any), { platform: 'BareMetal' });
    expect(containerEnv(pod)).toMatchObject({
      REGISTRY_STORAGE: 's3',
      REGISTRY_STORAGE_S3_BUCKET: 'registry-b',
      REGISTRY_STORAGE_S3_REGION: 'us-east-1',
      REGISTRY_STORAGE_S3_REGIONENDPOINT: 'https://rgw.example.com',
      REGISTRY_STORAGE_S3_ENCRYPT: 'false',
      REGISTRY_STORAGE_S3_FORCEPATHSTYLE: 'true',
      REGISTRY_STORAGE_S3_CHUNKSIZE: '5242880',
      REGISTRY_STORAGE_S3_CREDENTIALSCONFIGPATH: '/var/run/secrets/cloud/credentials',
      REGISTRY_STORAGE_S3_USEDUALSTACK: 'true',
    });
    expect(pod.volumes).toEqual([{
      name: 'image-registry-private-configuration',
      mountPath: '/var/run/secrets/cloud',
      files: { credentials: '[default]\naws_access_key_id = AK\naws_secret_access_key = SK\n' },
    }]);
  });

  test('S3: a user Secret without the secret key is refused with the operator\'s message', () => {
    const plan = planS3Storage({ bucket: 'registry-b', region: 'us-east-1', regionEndpoint: 'https://rgw.example.com', credentials: { accessKey: 'AK', secretKey: 'SK' } });
    expect(() => operatorRegistryEnv(live(plan.spec), { REGISTRY_STORAGE_S3_ACCESSKEY: 'AK' }))
      .toThrow('secret "openshift-image-registry/image-registry-private-configuration-user" does not contain required key "REGISTRY_STORAGE_S3_SECRETKEY"');
  });

  test('the ObjectBucketClaim plan\'s Config translates to path-style S3 with the claim\'s bucket', () => {
    const plan = planObjectBucketClaimStorage({ bucket: 'registry-obc', regionEndpoint: 'https://s3.openshift-storage.svc' });
    const env = containerEnv(operatorRegistryEnv(live(plan.spec), { REGISTRY_STORAGE_S3_ACCESSKEY: 'a', REGISTRY_STORAGE_S3_SECRETKEY: 'b' }));
    expect(env).toMatchObject({ REGISTRY_STORAGE_S3_BUCKET: 'registry-obc', REGISTRY_STORAGE_S3_FORCEPATHSTYLE: 'true', REGISTRY_STORAGE_S3_ENCRYPT: 'false' });
  });

  test('PVC: the claim is mounted at /registry, the filesystem driver\'s root', () => {
    const pod = operatorRegistryEnv(live(planPvcStorage({ claim: 'my-claim' }).spec), undefined);
    expect(containerEnv(pod)).toMatchObject({ REGISTRY_STORAGE: 'filesystem', REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: '/registry' });
    expect(pod.volumes).toEqual([{ name: 'registry-storage', mountPath: '/registry', claim: 'my-claim' }]);
  });

  test('no storage, two storages and Removed are refused with the operator\'s messages', () => {
    expect(() => operatorRegistryEnv({ managementState: 'Managed', storage: {} }, undefined)).toThrow('storage backend not configured');
    expect(() => operatorRegistryEnv({ managementState: 'Managed', storage: { s3: { bucket: 'b' }, pvc: { claim: 'c' } } }, undefined))
      .toThrow('exactly one storage type should be configured at the same time, got 2: [S3 PVC]');
    expect(() => operatorRegistryEnv({ managementState: 'Removed', storage: { pvc: {} } }, undefined)).toThrow(/Removed/);
  });

  test('what only a cluster has (installer credentials, storage the operator names) is not modelled, never guessed', () => {
    expect(() => operatorRegistryEnv({ storage: { s3: { bucket: 'b', region: 'us-east-1' } } }, undefined)).toThrow(NotModelled);
    expect(() => operatorRegistryEnv({ storage: { s3: { region: 'us-east-1' } } }, { REGISTRY_STORAGE_S3_ACCESSKEY: 'a', REGISTRY_STORAGE_S3_SECRETKEY: 'b' }))
      .toThrow(/bucket the operator would create/);
    expect(() => operatorRegistryEnv({ storage: { gcs: { bucket: 'b' } } }, undefined)).toThrow(NotModelled);
  });

  test('secretValues merges data (base64) and stringData as the API server does', () => {
    expect(secretValues({ data: { A: Buffer.from('x').toString('base64'), B: 'eQ==' }, stringData: { B: 'z' } })).toEqual({ A: 'x', B: 'z' });
  });
});
