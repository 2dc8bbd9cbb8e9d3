/**
 * Property tests of the pure planners, for every kind the registry lists and every supported OpenShift
 * release: every valid input plans to a Config the release's CRD and the operator's rules accept, with
 * exactly its own storage block; planning is deterministic; an unknown prop or a value of the wrong type
 * gives a validation error naming that prop, never another error; a field a later release added is
 * refused naming the release and the first that has it.
 */
import * as fc from 'fast-check';
import {
  configuredStorageTypes, registryConfig, RegistryStorageValidationError, STORAGE_KINDS, validateRegistryConfigPatch,
} from '../../lib';
import { OPENSHIFT_RELEASES } from '../../lib/core/releases';

const label = fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/).filter((l) => l.length >= 3);
const bucket = label.filter((b) => !b.startsWith('xn-') && !b.startsWith('goog') && !b.includes('google') && !b.endsWith('-s3alias'));
/** An `openshiftVersion` as a user gives it: unset (the oldest release), a release, or a cluster's full version. */
const openshiftVersion: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...OPENSHIFT_RELEASES),
  fc.tuple(fc.constantFrom(...OPENSHIFT_RELEASES), fc.nat({ max: 60 })).map(([r, patch]) => `${r}.${patch}`),
);

/** The release an `openshiftVersion` names: unset is the oldest supported. */
function releaseOf(version: string | undefined): string {
  return version === undefined ? OPENSHIFT_RELEASES[0] : version.split('.').slice(0, 2).join('.');
}

/** Whether the release an `openshiftVersion` names is `first` or newer (has what `first` added). */
function since(version: string | undefined, first: string): boolean {
  const minor = (r: string) => Number(r.split('.')[1]);
  return minor(releaseOf(version)) >= minor(first);
}

/** chunkSizeMiB: first in the 4.17 Config CRD. */
const chunkSizeMiB = fc.integer({ min: 5, max: 5120 });
const withChunkSize = (version: string | undefined) => (since(version, '4.17') ? { chunkSizeMiB } : {});

const common = fc.record({
  disableRedirect: fc.boolean(),
  rolloutStrategy: fc.constantFrom('RollingUpdate', 'Recreate'),
  managementState: fc.constantFrom('Managed', 'Unmanaged'),
}, { requiredKeys: [] });

/** Valid props of each kind, as a user would write them for a release (`openshiftVersion`): only the fields it has. */
const VALID: Record<string, (version: string | undefined) => fc.Arbitrary<Record<string, unknown>>> = {
  s3: (version) => fc.record({
    bucket,
    region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'),
    encrypt: fc.boolean(),
    ...withChunkSize(version),
    replicas: fc.integer({ min: 1, max: 5 }),
  }, { requiredKeys: ['bucket', 'region'] }),
  gcs: () => fc.record({ bucket, region: fc.constantFrom('us-east1', 'europe-west4'), projectID: label, replicas: fc.integer({ min: 1, max: 5 }) },
    { requiredKeys: ['bucket'] }).map((p) => (p.region !== undefined && p.projectID === undefined ? { ...p, projectID: 'acme' } : p)),
  azure: () => fc.record({ accountName: fc.stringMatching(/^[a-z0-9]{3,24}$/), container: label, replicas: fc.integer({ min: 1, max: 5 }) },
    { requiredKeys: ['accountName'] }),
  swift: () => fc.record({
    container: label,
    authURL: fc.constantFrom('https://keystone.example.com:5000/v3', 'https://identity.example.org/v3'),
    regionName: fc.constantFrom('RegionOne', 'east'),
    domain: fc.constantFrom('Default', 'acme'),
    tenant: label,
  }, { requiredKeys: ['container'] }),
  ibmcos: () => fc.record({
    bucket,
    serviceInstanceCRN: fc.stringMatching(/^[0-9a-f]{4,12}$/).map((h) => `crn:v1:bluemix:public:cloud-object-storage:global:a/${h}:${h}::`),
  }),
  pvc: () => fc.oneof(
    fc.record({ claim: label, size: fc.integer({ min: 100, max: 2000 }).map((n) => `${n}Gi`), accessMode: fc.constant('ReadWriteMany'), replicas: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ claim: label, accessMode: fc.constant('ReadWriteOnce'), replicas: fc.constant(1), rolloutStrategy: fc.constant('Recreate') }),
  ),
  emptyDir: () => fc.constant({ acknowledgeNonProduction: true }),
  objectBucketClaim: (version) => fc.record({
    bucket,
    regionEndpoint: fc.constantFrom('https://s3-openshift-storage.apps.example.com', 'https://s3.openshift-storage.svc'),
    ...withChunkSize(version),
  }, { requiredKeys: ['bucket', 'regionEndpoint'] }),
};

/** Valid props of a kind for a release, with the common props and `openshiftVersion` (when set). */
function validFor(name: string, version: string | undefined): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(VALID[name](version), common).map(([own, c]) => {
    // the rules that tie common props to the storage: a ReadWriteOnce claim and emptyDir keep 1 replica and Recreate
    const merged: Record<string, unknown> = { ...c, ...own };
    if (name === 'emptyDir' || own.accessMode === 'ReadWriteOnce') merged.rolloutStrategy = own.rolloutStrategy ?? c.rolloutStrategy;
    if (own.accessMode === 'ReadWriteOnce') merged.rolloutStrategy = 'Recreate';
    if (version !== undefined) merged.openshiftVersion = version;
    return merged;
  });
}

const RUNS = { numRuns: 60, seed: 20261207 };

describe.each(STORAGE_KINDS.map((k) => [k.name, k] as const))('%s', (name, kind) => {
  const valid = openshiftVersion.chain((version) => validFor(name, version));

  it('has valid props to try', () => {
    expect(VALID[name]).toBeDefined();
  });

  it('every valid input plans to a Config the CRD and the operator accept, with its own block only', () => {
    fc.assert(fc.property(valid, (props) => {
      const plan = kind.plan(props);
      expect(plan.openshiftVersion).toBe(releaseOf(props.openshiftVersion as string | undefined));
      expect(validateRegistryConfigPatch(registryConfig(plan.spec), { openshiftVersion: plan.openshiftVersion })).toEqual([]);
      expect(configuredStorageTypes(plan.spec.storage)).toEqual([kind.configType]);
    }), RUNS);
  });

  it('planning is deterministic', () => {
    fc.assert(fc.property(valid, (props) => {
      expect(kind.plan(structuredClone(props))).toEqual(kind.plan(structuredClone(props)));
    }), RUNS);
  });

  it('an unknown prop is refused by name', () => {
    const unknown = fc.stringMatching(/^[a-z][a-zA-Z]{2,15}$/).filter((k) => !Object.hasOwn(kind.propNames, k) && !(k in Object.prototype));
    fc.assert(fc.property(valid, unknown, (props, k) => {
      let error: unknown;
      try {
        kind.plan({ ...props, [k]: 'x' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RegistryStorageValidationError);
      expect((error as RegistryStorageValidationError).problems.map((p) => p.path)).toContain(k);
    }), RUNS);
  });

  it('a value of the wrong type is refused naming its prop, never with another error', () => {
    const names = Object.keys(kind.propNames).filter((k) => k !== 'credentials');
    const wrong = fc.constantFrom<unknown>(42.5, -1, [], ['x'], true, 'x'.repeat(300), { nested: 1 });
    fc.assert(fc.property(valid, fc.constantFrom(...names), wrong, (props, k, v) => {
      let error: unknown;
      let planned = false;
      try {
        kind.plan({ ...props, [k]: v });
        planned = true;
      } catch (e) {
        error = e;
      }
      // Some values are valid for some props (true for a boolean, 'x'.repeat(300) for a free-text field),
      // and a value may conflict with another prop the input holds (keyID with encrypt: false), which
      // the rule then names: what must never happen is an error that is not the library's, or one that
      // names no prop of the input.
      if (!planned) {
        expect(error).toBeInstanceOf(RegistryStorageValidationError);
        const given = new Set([k, ...Object.keys(props)]);
        expect((error as RegistryStorageValidationError).problems.map((p) => p.path.split(/[.[]/)[0]).filter((root) => given.has(root))).not.toEqual([]);
      }
    }), RUNS);
  });
});

describe('a field a later release added', () => {
  it('chunkSizeMiB before 4.17 is refused, naming the release and the first that has it', () => {
    const kinds = STORAGE_KINDS.filter((k) => Object.hasOwn(k.propNames, 'chunkSizeMiB'));
    expect(kinds.map((k) => k.name).sort()).toEqual(['objectBucketClaim', 's3']);
    const older = openshiftVersion.filter((v) => !since(v, '4.17'));
    const input = fc.tuple(fc.constantFrom(...kinds), older).chain(([kind, version]) =>
      fc.tuple(fc.constant(kind), validFor(kind.name, version), chunkSizeMiB).map(([k, p, size]) => [k, { ...p, chunkSizeMiB: size }] as const));
    fc.assert(fc.property(input, ([kind, props]) => {
      let error: unknown;
      try {
        kind.plan(props);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RegistryStorageValidationError);
      const release = releaseOf((props as { openshiftVersion?: string }).openshiftVersion);
      expect((error as RegistryStorageValidationError).problems).toContainEqual({
        path: 'chunkSizeMiB',
        code: 'ORS-CONFIG-012',
        message: expect.stringMatching(new RegExp(`^is not in OpenShift ${release.replace('.', '\\.')}'s Config CRD \\(first in 4\\.17\\)`)),
      });
    }), RUNS);
  });
});
