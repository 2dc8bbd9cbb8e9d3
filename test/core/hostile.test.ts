import { Chart, Testing } from 'cdk8s';
import {
  planAzureStorage, planEmptyDirStorage, planGcsStorage, planObjectBucketClaimStorage, planPvcStorage, planS3Storage, planSwiftStorage,
  RegistryStoragePlan,
} from '../../lib';
import { S3RegistryStorage as Cdk8sS3, PvcRegistryStorage as Cdk8sPvc } from '../../lib/cdk8s';
import { failure } from '../helpers';

/**
 * Hostile and sloppy input from plain JavaScript, props files and inventories (issue #20): every
 * case gets one RegistryStorageValidationError, never a TypeError, a RangeError or minutes of CPU.
 */
const PLANNERS: Record<string, (p: any) => RegistryStoragePlan> = {
  s3: planS3Storage,
  gcs: planGcsStorage,
  azure: planAzureStorage,
  swift: planSwiftStorage,
  pvc: planPvcStorage,
  emptyDir: planEmptyDirStorage,
  objectBucketClaim: planObjectBucketClaimStorage,
};

describe('unknown and misspelt props are refused, naming the closest', () => {
  it('bukcet: no plan leaves the bucket to the operator (which would create Managed storage of its own)', () => {
    const e = failure(() => planS3Storage({ bukcet: 'acme-registry', region: 'us-east-1' } as any));
    expect(e.problems).toEqual([expect.objectContaining({ path: 'bukcet', message: expect.stringMatching(/^is not a prop: did you mean "bucket"\?/) })]);
  });

  it.each(Object.keys(PLANNERS))('%s refuses an unknown prop, and one inside an object prop the library checks', (kind) => {
    const e = failure(() => PLANNERS[kind]({ replica: 2 }));
    expect(e.problems[0]).toEqual({ path: 'replica', message: expect.stringMatching(/^is not a prop: did you mean "replicas"\?/), code: 'ORS-PROPS-016' });
  });

  it('nested: cloudFront, cinder; and credentials without repeating the field name', () => {
    expect(failure(() => planS3Storage({ bucket: 'b-b-b', cloudFront: { baseURL: 'https://d.cloudfront.net', keypairId: 'k', privateKey: { name: 'n', key: 'k' } } } as any))
      .problems[0]).toEqual({ path: 'cloudFront.keypairId', message: expect.stringContaining('did you mean "keypairID"?'), code: 'ORS-PROPS-016' });
    expect(failure(() => planPvcStorage({ cinder: { availabiltyZone: 'nova' } } as any)).problems[0].path).toBe('cinder.availabiltyZone');
    const e = failure(() => planS3Storage({ bucket: 'b-b-b', credentials: { accessKey: 'a', secretKey: 's', AKIAEXAMPLESECRET: 'x' } } as any));
    expect(e.message).not.toContain('AKIAEXAMPLESECRET');
    expect(e.problems[0]).toEqual({ path: 'credentials', message: expect.stringContaining('not one of accessKey, secretKey'), code: 'ORS-PROPS-015' });
  });

  it('a field of a CRD-typed prop (azure networkAccess) that the API server would prune is a problem too', () => {
    const e = failure(() => planAzureStorage({ accountName: 'acct', networkAccess: { type: 'Internal', interal: {} }, openshiftVersion: '4.15' } as any));
    expect(e.problems).toContainEqual({ path: 'networkAccess.interal', message: expect.stringContaining('did you mean "internal"?'), code: 'ORS-CONFIG-002' });
  });

  it('cdk8s constructs from plain JavaScript refuse them too', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => new Cdk8sS3(chart, 'r', { bukcet: 'acme' } as any)).toThrow(/bukcet: is not a prop: did you mean "bucket"\?/);
    expect(() => new Cdk8sPvc(chart, 'p', { sise: '100Gi' } as any)).toThrow(/sise: is not a prop: did you mean "size"\?/);
  });
});

describe('inputs that are not objects', () => {
  it.each([42, 'bucket', [], [1], null, true, new Date(0), new Map(), () => ({})])('every planner refuses %p as props', (props) => {
    for (const plan of Object.values(PLANNERS)) {
      const e = failure(() => plan(props));
      expect(e.problems[0].path).toBe('(props)');
      expect(e.problems).toHaveLength(1);
    }
  });

  it('objects inside props that are not plain data (class instances, Dates, Maps) are refused by path', () => {
    expect(failure(() => planS3Storage({ bucket: new String('b-b-b') } as any)).problems[0])
      .toEqual({ path: 'bucket', message: 'must be plain data (an object literal), got an instance of String: pass a copy, e.g. { ...value }', code: 'ORS-PROPS-013' });
    expect(failure(() => planPvcStorage({ cinder: new Map() } as any)).problems[0].path).toBe('cinder');
  });
});

describe('hostile JavaScript objects', () => {
  const throwing = new Proxy({}, {
    ownKeys() {
      throw new Error('trap');
    },
    getPrototypeOf() {
      return Object.prototype;
    },
  });

  it('a Proxy whose traps throw', () => {
    for (const plan of Object.values(PLANNERS)) {
      expect(failure(() => plan(throwing)).problems).toEqual([{ path: '(props)', message: 'must be plain data: reading it threw (trap)', code: 'ORS-PROPS-006' }]);
    }
    expect(failure(() => planPvcStorage({ replicas: 1, cinder: throwing as any })).problems).toEqual([{ path: '(props)', message: 'must be plain data: reading it threw (trap)', code: 'ORS-PROPS-006' }]);
  });

  it('a getter that throws, and a getter that returns another value the second time (the plan reads a copy)', () => {
    const getter = Object.defineProperty({}, 'bucket', { enumerable: true, get: () => { throw new TypeError('boom'); } });
    expect(failure(() => planS3Storage(getter)).problems).toEqual([{ path: '(props)', message: 'must be plain data: reading it threw (boom)', code: 'ORS-PROPS-006' }]);
    let reads = 0;
    const fickle = Object.defineProperty({ region: 'us-east-1' }, 'bucket', { enumerable: true, get: () => (reads++ === 0 ? 'acme-registry' : 'x') });
    expect(planS3Storage(fickle).spec.storage?.s3?.bucket).toBe('acme-registry');
    expect(reads).toBe(1);
  });

  it('a throwing toString or toJSON is never called', () => {
    const evil = { toString: () => { throw new Error('x'); }, toJSON: () => { throw new Error('y'); } };
    expect(failure(() => planS3Storage({ bucket: evil } as any)).problems.map((p) => p.path)).toEqual(['bucket.toString', 'bucket.toJSON']);
  });

  it('100,000-deep nesting gives one problem, quickly', () => {
    let deep: any = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const started = Date.now();
    const e = failure(() => planAzureStorage({ networkAccess: deep, openshiftVersion: '4.15' } as any));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0].message).toBe('must nest at most 32 levels deep');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a DAG with 2^24 paths gives one problem, quickly', () => {
    let dag: any = { leaf: 'x' };
    for (let i = 0; i < 24; i++) dag = { l: dag, r: dag };
    const started = Date.now();
    const e = failure(() => planAzureStorage({ networkAccess: dag, openshiftVersion: '4.15' } as any));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0].message).toMatch(/^must hold at most 10000 values/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('messages are bounded', () => {
  it('a 10 MiB bucket name gives a message of a few hundred characters', () => {
    const e = failure(() => planS3Storage({ bucket: 'a'.repeat(10 * 1024 * 1024) }));
    expect(e.message.length).toBeLessThan(600);
    expect(e.message).toContain('(10485760 characters)');
  });

  it('a 10 MiB unknown prop name is cut too', () => {
    const e = failure(() => planS3Storage({ ['x'.repeat(10 * 1024 * 1024)]: 1 } as any));
    expect(e.message.length).toBeLessThan(1000);
  });
});

describe('the Jobs: namespaces, shells, deadlines, keys', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { obcCredentialsObjects, removeOtherStorageObjects } = require('../../lib') as typeof import('../../lib');
  const job = (objects: any[]) => objects.find((o) => o.kind === 'Job');

  it.each(['openshift-image-registry', 'openshift-config', 'openshift', 'kube-system', 'default', 'operators', 'argocd', 'open-cluster-management',
    'cert-manager', 'registry-storage-', 'Bad_Name', '', 'a'.repeat(64)])(
    'refuses Job namespace %j on every path', (namespace) => {
      expect(failure(() => removeOtherStorageObjects('s3', { namespace })).problems[0].path).toBe('namespace');
      expect(failure(() => obcCredentialsObjects({ claimName: 'c', namespace })).problems[0].path).toBe('namespace');
    });

  it.each(['c; rm -rf /', '$(id)', 'a b', 'UPPER', '', 42, undefined])('obcCredentialsObjects refuses claimName %j (it reaches a shell)', (claimName) => {
    expect(failure(() => obcCredentialsObjects({ claimName } as any)).problems[0].path).toBe('claimName');
  });

  it.each([NaN, 0.5, 0, -1, Infinity, '600', 10 ** 9])('obcCredentialsObjects refuses timeoutSeconds %p (NaN or 0.5 would loop for ever)', (timeoutSeconds) => {
    expect(failure(() => obcCredentialsObjects({ claimName: 'c', timeoutSeconds } as any)).problems[0].path).toBe('timeoutSeconds');
  });

  it('every Job has an activeDeadlineSeconds', () => {
    expect(job(removeOtherStorageObjects('s3')).spec.activeDeadlineSeconds).toBe(600);
    expect(job(obcCredentialsObjects({ claimName: 'c', timeoutSeconds: 60 })).spec.activeDeadlineSeconds).toBe(360);
  });

  it('the keys never appear on a command line: the patch is a file the shell\'s printf writes', () => {
    const script: string = job(obcCredentialsObjects({ claimName: 'c' })).spec.template.spec.containers[0].command[2];
    const patchLine = script.split('\n').find((l) => l.startsWith('oc patch secret/'))!;
    expect(patchLine).toContain('--patch-file="$keys"');
    expect(patchLine).not.toMatch(/\$ak|\$sk/);
    expect(script).toMatch(/^printf .* "\$ak" "\$sk" > "\$keys"$/m);
    // run by /bin/sh with a stub oc in test/cdk8s/object-bucket-claim.test.ts: mode 600, removed after
  });

  it('the stale-Secret delete reads one field manager a line, matched whole', () => {
    const script: string = job(removeOtherStorageObjects('s3', { removeStaleUserSecret: true })).spec.template.spec.containers[0].command[2];
    expect(script).toContain('{range .metadata.managedFields[*]}{.manager}{"\\n"}{end}');
    expect(script).toContain('grep -qxF openshift-registry-storage');
    expect(script).not.toContain("tr ' '");
  });
});

describe('no part of a credential is repeated', () => {
  it.each([
    ['a type that is a pasted key', { type: 'hunter2-PRIVATE-KEY-MATERIAL' }, 'another "type" (not repeated: it is part of a credential)'],
    ['a type that is an object', { type: { private_key: 'hunter2' } }, 'another "type" (not repeated: it is part of a credential)'],
    ['no type', { private_key: 'hunter2' }, 'no "type"'],
    ['not an object', 'hunter2', 'JSON that is not an object'],
  ])('the GCS key file: %s', (_, keyfile, got) => {
    const e = failure(() => planGcsStorage({ bucket: 'acme-registry', credentials: { keyfile: JSON.stringify(keyfile) } }));
    expect(e.message).not.toContain('hunter2');
    expect(e.problems).toEqual([{ path: 'credentials.keyfile', message: expect.stringMatching(new RegExp(`got ${got.replace(/[()"]/g, '\\$&')}$`)), code: 'ORS-GCS-006' }]);
  });
});

describe('check: live objects with hostile field names', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { admitRegistryConfig, inspectRegistryObjects, validateUserSecret } = require('../../lib') as typeof import('../../lib');
  const config = () => ({
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'Config',
    metadata: { name: 'cluster' },
    spec: { managementState: 'Managed', replicas: 2, storage: { managementState: 'Unmanaged', s3: { bucket: 'acme-registry', region: 'us-east-1' } as any } as any } as any,
  });

  it.each([['spec', 'constructor'], ['spec', '__proto__'], ['storage', 'toString'], ['s3', 'hasOwnProperty'], ['s3', 'regoin']])(
    'a field named %s.%s is one the API server prunes, and check says so', (where, key) => {
      const c = config();
      const target = where === 'spec' ? c.spec : where === 'storage' ? c.spec.storage : c.spec.storage.s3;
      Object.defineProperty(target, key, { value: 'x', enumerable: true, writable: true, configurable: true });
      const path = `${where === 'spec' ? 'spec' : where === 'storage' ? 'spec.storage' : 'spec.storage.s3'}.${key}`;
      expect(admitRegistryConfig(c).pruned).toEqual([path]);
      expect(inspectRegistryObjects([c]).problems.map((p) => p.path)).toContain(path);
    });

  it('a megabyte field name is cut in the path', () => {
    const c = config();
    c.spec.storage.s3['k'.repeat(10 * 1024 * 1024)] = 1;
    for (const p of inspectRegistryObjects([c]).problems) expect(p.path.length + p.message.length).toBeLessThan(1000);
  });

  it('a user Secret key that may be a credential is not named', () => {
    const secret = (key: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
      data: { [key]: Buffer.from('x').toString('base64'), REGISTRY_STORAGE_S3_ACCESSKEY: 'eA==', REGISTRY_STORAGE_S3_SECRETKEY: 'eA==' },
    });
    const named = validateUserSecret('s3', secret('REGISTRY_STORAGE_S3_ACCESKEY'));
    expect(named.map((p) => p.path)).toContain('Secret openshift-image-registry/image-registry-private-configuration-user.REGISTRY_STORAGE_S3_ACCESKEY');
    for (const key of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'.replace(/[/+]/g, ''), '3f9a0c1d2e', 'S'.repeat(10 * 1024 * 1024)]) {
      const text = JSON.stringify(validateUserSecret('s3', secret(key)));
      expect(text).not.toContain(key.slice(0, 10));
      expect(text).toContain('<a key not shown: it may be a credential>');
    }
  });
});

describe('the Jobs\' options are named as each construct and component names them', () => {
  it('cdk8s RemoveOtherStorageTypes and the OBC provision', () => {
    const chart = () => new Chart(Testing.app(), 'c');
    expect(() => new Cdk8sS3(chart(), 'r', { bucket: 'b-b-b' }).removeOtherStorageTypes({ cliImage: 'quay.io/x cli', namespace: 'argocd' }))
      .toThrow(/RemoveOtherStorageTypes: 2 problems\n {2}- cliImage: must be an image reference \(no spaces\).*\n {2}- namespace: must be a namespace of the Jobs' own, starting with "registry-storage-", got "argocd"/);
    expect(() => new Cdk8sS3(chart(), 'r', {
      bucket: 'acme-registry', regionEndpoint: 'https://s3.openshift-storage.svc', provision: { controller: 'object-bucket-claim', cliImage: 'a b', jobNamespace: 'argocd' },
    })).toThrow(/- provision\.cliImage: must be an image reference.*\n {2}- provision\.jobNamespace: .*Use e\.g\. "registry-storage-credentials"/);
  });
});

describe('limits that hold for any input', () => {
  it('a list of 2^32 - 1 empty slots is refused at once (every element counts)', () => {
    const started = Date.now();
    const e = failure(() => planS3Storage({ bucket: 'acme-registry', rolloutStrategy: new Array(2 ** 32 - 1) } as any));
    expect(e.problems).toEqual([{ path: 'rolloutStrategy', message: expect.stringMatching(/^must hold at most 10000 values .*got a list of 4294967295$/), code: 'ORS-PROPS-014' }]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('100,000 misspelt props give 50 problems and a count of the rest, not a 26 MB message', () => {
    const props: Record<string, number> = {};
    for (let i = 0; i < 100_000; i++) props[`p${i}`] = 1;
    const e = failure(() => planS3Storage(props as any));
    expect(e.problems).toHaveLength(51);
    expect(e.problems[50]).toEqual({ path: '(more)', message: 'and 99950 more problems, not listed', code: 'ORS-CORE-000' });
    expect(e.message.length).toBeLessThan(20_000);
  });

  it('a misspelt credential field is named with its fix; any other is not repeated', () => {
    const typo = failure(() => planGcsStorage({ bucket: 'acme-registry', credentials: { keyFile: '{}' } } as any));
    expect(typo.problems[0]).toEqual({ path: 'credentials.keyFile', message: expect.stringContaining('did you mean "keyfile"?'), code: 'ORS-PROPS-016' });
    const pasted = failure(() => planGcsStorage({ bucket: 'acme-registry', credentials: { keyfile: '{}', ['ya29.a0AfH6SMBx']: 1 } } as any));
    expect(pasted.message).not.toContain('ya29');
  });

  it('removal: a keep with no near name still reads as sentences', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(() => (require('../../lib') as typeof import('../../lib')).removeOtherStorageMergePatch('minio-bucket' as any))
      .toThrow(/got "minio-bucket"\. Every other block is removed/);
  });
});

describe('flags mean what they say in the core too (issue #20 item 3)', () => {
  it.each([
    ['disableRedirect', 'false'], ['disableRedirect', 0], ['encrypt', 'no'], ['virtualHostedStyle', 1],
    ['replicas', 'soon'], ['replicas', -1], ['replicas', 1.5], ['chunkSizeMiB', 'big'], ['chunkSizeMiB', 4],
    ['rolloutStrategy', 'Rolling'], ['managementState', 'Removed'], ['infrastructureTopology', 'single'],
  ])('S3: %s: %p is refused, naming the prop', (prop, value) => {
    // 4.17: chunkSizeMiB is first in its Config CRD, so only the value is refused
    const e = failure(() => planS3Storage({ bucket: 'acme-registry', region: 'us-east-1', openshiftVersion: '4.17', [prop]: value } as any));
    expect(e.problems.map((p) => p.path)).toContain(prop);
  });

  it.each([
    ['pvc', planPvcStorage, { claim: 'c-c' }, 'useExistingClaim', 'yes'],
    ['pvc', planPvcStorage, { claim: 'c-c' }, 'accessMode', 'ReadWriteAll'],
    ['emptyDir', planEmptyDirStorage, {}, 'acknowledgeNonProduction', 'true'],
    ['azure', planAzureStorage, { accountName: 'acct', container: 'ctr' }, 'cloudName', 'AzureMoonCloud'],
    ['swift', planSwiftStorage, { container: 'ctr' }, 'authVersion', 4],
  ] as const)('%s: a wrong value is refused, naming the prop (%#)', (_kind, plan, base, prop, value) => {
    const e = failure(() => (plan as (p: any) => unknown)({ ...base, [prop]: value }));
    expect(e.problems.map((p) => p.path)).toContain(prop);
  });
});
