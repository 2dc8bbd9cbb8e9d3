import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { admitRegistryConfig, validateRegistryConfig } from '../../lib';
import { NEWEST_OPENSHIFT_RELEASE } from '../../lib/core/releases';

// The upstream vectors, vendored (vendor/openshift-api/SOURCE.md); test/core/project.test.ts checks the copy against ../shared.
const SHARED = path.resolve(__dirname, '../../vendor/openshift-api');

interface Vector { name: string; initial: string; expected?: string; expectedError?: string }

const vectors: Array<[string, Vector]> = fs.readdirSync(path.join(SHARED, 'tests'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) => {
    const suite = parse(fs.readFileSync(path.join(SHARED, 'tests', f), 'utf8'));
    expect(suite.crdName).toBe('configs.imageregistry.operator.openshift.io');
    return (suite.tests.onCreate as Vector[]).map((v) => [`${f}: ${v.name}`, v] as [string, Vector]);
  });

/** The upstream runner gives every object a name; ours is `cluster`, the only one the operator reads. */
function named(doc: any): any {
  return { ...doc, metadata: { name: 'cluster' } };
}

/** The vectors come from the newest openshift/api: they are validated against the newest release's CRD. */
const upstream = { openshiftVersion: NEWEST_OPENSHIFT_RELEASE };

/** Only the CRD's own verdict: upstream vectors hold minimal Configs without a storage type. */
function crdProblems(config: unknown) {
  return admitRegistryConfig(config, upstream).problems.filter((p) => !p.path.startsWith('spec.storage') || p.message.includes('in body') || p.message.startsWith('Required') || p.message.startsWith('Unsupported'));
}

describe('upstream openshift/api test vectors', () => {
  it('finds all 12 vectors', () => {
    expect(vectors).toHaveLength(12);
  });

  it.each(vectors)('%s', (_name, v) => {
    const initial = named(parse(v.initial));
    const { config, problems } = admitRegistryConfig(initial, upstream);
    const crd = crdProblems(initial);
    if (v.expectedError) {
      expect(crd.length).toBeGreaterThan(0);
      const rendered = crd.map((p) => `${p.path}: ${p.message}`);
      expect(rendered.some((r) => r.includes(v.expectedError!))).toBe(true);
    } else {
      expect(crd).toEqual([]);
      expect(config).toEqual(named(parse(v.expected!)));
      // Upstream's minimal Configs have no storage type: the operator rule says so, and nothing else.
      expect(problems.map((p) => p.path).filter((p) => p !== 'spec.storage')).toEqual([]);
    }
  });
});

const minimal = (spec: object) => ({
  apiVersion: 'imageregistry.operator.openshift.io/v1',
  kind: 'Config',
  metadata: { name: 'cluster' },
  spec: { replicas: 2, ...spec },
});

describe('validateRegistryConfig: CRD rules', () => {
  it('accepts a valid S3 Config', () => {
    expect(validateRegistryConfig(minimal({ storage: { s3: { bucket: 'b', region: 'us-east-1' } } }))).toEqual([]);
  });

  it('requires replicas', () => {
    const { replicas: _r, ...spec } = minimal({ storage: { emptyDir: {} } }).spec;
    expect(validateRegistryConfig({ ...minimal({}), spec })).toContainEqual({ path: 'spec.replicas', message: 'Required value', code: 'ORS-CRD-010' });
  });

  it('rejects a wrong type', () => {
    expect(validateRegistryConfig(minimal({ replicas: '2', storage: { emptyDir: {} } }))).toContainEqual({
      path: 'spec.replicas', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"', code: 'ORS-CRD-002',
    });
  });

  it('rejects values outside an enum', () => {
    expect(validateRegistryConfig(minimal({ logLevel: 'Loud', storage: { emptyDir: {} } }))).toContainEqual({
      path: 'spec.logLevel', message: 'Unsupported value: "Loud": supported values: "", "Normal", "Debug", "Trace", "TraceAll"', code: 'ORS-CRD-003',
    });
  });

  it('checks patterns (rolloutStrategy, storage.managementState)', () => {
    const problems = validateRegistryConfig(minimal({ rolloutStrategy: 'BlueGreen', storage: { managementState: 'Removed', s3: {} } }));
    expect(problems.map((p) => p.path)).toEqual(['spec.rolloutStrategy', 'spec.storage.managementState']);
  });

  it('checks string lengths (azure.container)', () => {
    const problems = validateRegistryConfig(minimal({ storage: { azure: { container: 'ab' } } }));
    expect(problems).toContainEqual({ path: 'spec.storage.azure.container', message: 'Invalid value: "ab": spec.storage.azure.container in body should be at least 3 chars long', code: 'ORS-CRD-005' });
  });

  it('applies defaults before validating: azure networkAccess.type is External', () => {
    // networkAccess is first in the 4.15 Config CRD
    const { config, problems } = admitRegistryConfig(minimal({ storage: { azure: {} } }), { openshiftVersion: '4.15' });
    expect(problems).toEqual([]);
    expect((config as any).spec.storage.azure.networkAccess).toEqual({ type: 'External' });
  });

  it('enforces the CEL rule: internal is forbidden when type is not Internal', () => {
    const internal = { vnetName: 'vnet', subnetName: 'subnet' };
    // networkAccess is first in the 4.15 Config CRD
    const options = { openshiftVersion: '4.15' };
    expect(validateRegistryConfig(minimal({ storage: { azure: { networkAccess: { internal } } } }), options)).toEqual([{
      path: 'spec.storage.azure.networkAccess', message: 'Invalid value: "object": internal is forbidden when type is not Internal', code: 'ORS-CRD-015',
    }]);
    expect(validateRegistryConfig(minimal({ storage: { azure: { networkAccess: { type: 'Internal', internal } } } }), options)).toEqual([]);
  });

  it('uses Go duration syntax, not ISO-8601, for cloudFront.duration', () => {
    const s3 = (duration: string) => minimal({ storage: { s3: { cloudFront: { baseURL: 'https://d.example', keypairID: 'K', privateKey: { name: 'cf', key: 'pk' }, duration } } } });
    expect(validateRegistryConfig(s3('1h30m'))).toEqual([]);
    expect(validateRegistryConfig(s3('300ms'))).toEqual([]);
    expect(validateRegistryConfig(s3('PT20M'))).toContainEqual({
      path: 'spec.storage.s3.cloudFront.duration', message: 'Invalid value: "PT20M": spec.storage.s3.cloudFront.duration in body must be of type duration: "PT20M"', code: 'ORS-CRD-007',
    });
  });

  it('checks required fields of nested objects (cloudFront)', () => {
    const problems = validateRegistryConfig(minimal({ storage: { s3: { cloudFront: { baseURL: 'https://d.example' } } } }));
    expect(problems.map((p) => p.path)).toEqual(['spec.storage.s3.cloudFront.keypairID', 'spec.storage.s3.cloudFront.privateKey']);
  });

  it('applies the OSS encryption anyOf after defaulting method to AES256', () => {
    const problems = validateRegistryConfig(minimal({ storage: { s3: {}, oss: { encryption: { kms: { keyID: 'k' } } } } }));
    expect(problems.map((p) => p.path)).toContain('spec.storage.oss.encryption');
  });

  it('prunes unknown fields and drops status; a pruned field is a problem naming the closest one (the user\'s value never reaches the operator)', () => {
    const { config, problems, pruned } = admitRegistryConfig({ ...minimal({ storage: { s3: { bucket: 'b', bukket: 'typo' } }, surprise: 1 }), status: { storageManaged: true } });
    expect(pruned).toEqual(['spec.storage.s3.bukket', 'spec.surprise']);
    expect(problems).toEqual([
      { path: 'spec.surprise', message: 'unknown field: the API server would drop it without a word; check the spelling against the CRD', code: 'ORS-CONFIG-002' },
      { path: 'spec.storage.s3.bukket', message: 'unknown field: the API server would drop it without a word; did you mean "bucket"?', code: 'ORS-CONFIG-002' },
    ].sort((a, b) => problems.findIndex((p) => p.path === a.path) - problems.findIndex((p) => p.path === b.path)));
    expect((config as any).spec.storage.s3).toEqual({ bucket: 'b' });
    expect((config as any).spec.surprise).toBeUndefined();
    expect((config as any).status).toBeUndefined();
  });

  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields', () => {
    const { config } = admitRegistryConfig(minimal({ storage: { emptyDir: {} }, unsupportedConfigOverrides: { anything: { goes: true } } }));
    expect((config as any).spec.unsupportedConfigOverrides).toEqual({ anything: { goes: true } });
  });

  it('checks int-or-string quantities in resources', () => {
    expect(validateRegistryConfig(minimal({ storage: { emptyDir: {} }, replicas: 1, resources: { requests: { memory: '256Mi', cpu: 1 } } }))).toEqual([]);
    const problems = validateRegistryConfig(minimal({ storage: { emptyDir: {} }, replicas: 1, resources: { requests: { memory: 'lots' } } }));
    expect(problems.map((p) => p.path)).toEqual(['spec.resources.requests.memory']);
  });
});

describe('validateRegistryConfig: operator runtime rules', () => {
  it('rejects a Config with no storage type', () => {
    expect(validateRegistryConfig(minimal({}))).toEqual([expect.objectContaining({ path: 'spec.storage', message: expect.stringContaining('no storage type is configured') })]);
  });

  it('rejects two storage types with the operator\'s own message', () => {
    expect(validateRegistryConfig(minimal({ storage: { gcs: {}, s3: {} } }))).toEqual([expect.objectContaining({
      path: 'spec.storage', message: expect.stringContaining('exactly one storage type should be configured at the same time, got 2: [s3 gcs]'),
    })]);
  });

  it('says oss is no longer supported from 4.17, and that it is not a storage type there', () => {
    const problems = validateRegistryConfig(minimal({ storage: { oss: {} } }), { openshiftVersion: '4.17' });
    expect(problems.map((p) => p.path)).toEqual(['spec.storage.oss', 'spec.storage']);
    expect(problems[0].message).toContain('no Alibaba OSS driver');
  });

  it('counts ibmcos as a storage type', () => {
    expect(validateRegistryConfig(minimal({ storage: { ibmcos: { bucket: 'b' } } }))).toEqual([]);
  });

  it('requires the name cluster and no namespace', () => {
    const problems = validateRegistryConfig({ ...minimal({ storage: { emptyDir: {} }, replicas: 1 }), metadata: { name: 'registry', namespace: 'default' } });
    expect(problems.map((p) => p.path)).toEqual(['metadata.name', 'metadata.namespace']);
  });

  it('rejects emptyDir with more than one replica', () => {
    expect(validateRegistryConfig(minimal({ storage: { emptyDir: {} }, replicas: 2 }))).toEqual([expect.objectContaining({ path: 'spec.replicas' })]);
  });

  it('rejects negative replicas', () => {
    expect(validateRegistryConfig(minimal({ storage: { s3: {} }, replicas: -1 })).map((p) => p.path)).toEqual(['spec.replicas']);
  });

  it('rejects wrong apiVersion and kind, and non-objects', () => {
    expect(validateRegistryConfig({ ...minimal({ storage: { s3: {} } }), apiVersion: 'v1', kind: 'ConfigMap' }).map((p) => p.path)).toEqual(['apiVersion', 'kind']);
    expect(validateRegistryConfig('nope')).toEqual([{ path: '', message: 'expected a Config object, got string', code: 'ORS-CONFIG-001' }]);
  });
});
