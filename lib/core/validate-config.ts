import { ALL_STORAGE_TYPES, OPERATOR_STORAGE_TYPES, REGISTRY_CONFIG_API_VERSION, REGISTRY_CONFIG_KIND, REGISTRY_CONFIG_NAME } from './constants';
import { RegistryConfigProblem } from './problems';
import { configSchemaOf, firstReleaseWith, NEWEST_OPENSHIFT_RELEASE, OPENSHIFT_RELEASES, openshiftRelease } from './releases';
import { admit, prunedFieldMessage } from './structural-schema';
import { Config, ConfigSpec } from '../generated/config-types';

/** How a Config is validated. */
export interface ValidateConfigOptions {
  /**
   * The OpenShift release the Config is for (`'4.16'`, or a cluster's version such as `'4.16.21'`):
   * it is validated against that release's CRD, whose API server drops every field it does not list.
   * @default the oldest release the library supports (`OLDEST_OPENSHIFT_RELEASE`)
   */
  readonly openshiftVersion?: string;
}

/**
 * Fields the CRD requires that the operator always sets on the live `cluster` Config (bootstrap:
 * 2 replicas, 1 on single-node OpenShift). A server-side-apply patch may leave them out: the live
 * value stays.
 */
const KEPT_FROM_LIVE_CONFIG = ['spec.replicas'];

/**
 * A Config `spec` as this library applies it with server-side apply: the CRD's `ConfigSpec`, with
 * `replicas` optional (left out, the live Config keeps its own).
 */
export type ConfigSpecPatch = Omit<ConfigSpec, 'replicas'> & { readonly replicas?: number };

/** A whole Config as this library applies it: see {@link ConfigSpecPatch}. */
export type ConfigPatch = Omit<Config, 'spec'> & { readonly spec: ConfigSpecPatch };

/**
 * Validates what this library applies to the live `cluster` Config: a server-side-apply patch
 * (merged into the live object, not replacing it; `oc apply --server-side` and the Pulumi
 * components both apply so). It is {@link validateRegistryConfig}, except that a field the
 * operator always keeps set on the live object (`spec.replicas`) may be left out. Every rule on a
 * field the patch does set still applies.
 */
export function validateRegistryConfigPatch(config: unknown, options: ValidateConfigOptions = {}): RegistryConfigProblem[] {
  return admitRegistryConfigPatch(config, options).problems;
}

/** {@link admitRegistryConfig} for what this library applies: see {@link validateRegistryConfigPatch}. */
export function admitRegistryConfigPatch(config: unknown, options: ValidateConfigOptions = {}): RegistryConfigAdmission {
  const admission = admitRegistryConfig(config, options);
  return { ...admission, problems: admission.problems.filter((p) => !(KEPT_FROM_LIVE_CONFIG.includes(p.path) && p.message === 'Required value')) };
}

/** What {@link admitRegistryConfig} returns. */
export interface RegistryConfigAdmission {
  /**
   * The Config as the API server would store it: unknown fields pruned, `status` dropped, schema
   * defaults applied (`logLevel: Normal`, `azure.networkAccess.type: External`, ...).
   */
  readonly config: unknown;
  /** Every problem found; empty when the Config is valid. */
  readonly problems: RegistryConfigProblem[];
  /**
   * Paths of unknown fields the API server would silently drop (pruning), such as a typo
   * (`spec.storage.s3.bukcet`). The API server accepts them; each is also one of `problems`, since
   * what the user meant never reaches the operator.
   */
  readonly pruned: readonly string[];
}

/**
 * Admits a `configs.imageregistry.operator.openshift.io` object the way the API server and the
 * operator would, and returns the stored form together with every problem.
 *
 * - CRD rules, as the API server applies them on create: unknown fields are pruned, `status` is
 *   dropped, the schema's defaults are applied, then types, enums, patterns, bounds, required fields,
 *   the `duration` format (Go syntax such as `1h30m`, not ISO-8601) and the CEL rule on
 *   `azure.networkAccess` are checked. Messages use the API server's wording.
 * - The operator's runtime rules, which the CRD does not enforce: exactly one storage type among
 *   `emptyDir`, `s3`, `gcs`, `swift`, `pvc`, `azure`, `ibmcos` (none is a problem too: the operator
 *   then reports "storage backend not configured" on platforms without a default); `oss` has no
 *   driver any more; the object must be named `cluster`; `replicas` must not be negative; `emptyDir`
 *   with more than one replica gives each pod its own empty directory.
 *
 * Fields the target release's CRD does not list (`openshiftVersion`; by default the oldest supported
 * release) are problems naming the release and the first release that has them.
 *
 * @param config the object, e.g. parsed from `oc get configs.imageregistry.operator.openshift.io cluster -o yaml`
 * @see https://github.com/openshift/api/blob/master/imageregistry/v1/types.go
 * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/storage/storage.go
 */
export function admitRegistryConfig(config: unknown, options: ValidateConfigOptions = {}): RegistryConfigAdmission {
  const target = openshiftRelease(options.openshiftVersion);
  if (target.problem !== undefined) {
    return { config, problems: [{ path: 'openshiftVersion', message: target.problem, code: 'ORS-CONFIG-013' }], pruned: [] };
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return { config, problems: [{ path: '', message: `expected a Config object, got ${Array.isArray(config) ? 'an array' : typeof config}`, code: 'ORS-CONFIG-001' }], pruned: [] };
  }
  const release = target.release;
  const { object, problems, pruned: allPruned, near } = admit(config, configSchemaOf(release), ['apiVersion', 'kind', 'metadata']);
  // status is the operator's: the API server ignores it on create, it is no typo
  const pruned = allPruned.filter((p) => p !== 'status' && !p.startsWith('status.'));
  // A misspelt field is dropped by the API server, so what the user meant never reaches the
  // operator (`regoin:` leaves the region to the operator's default): a problem on every path.
  // So is a field a newer release added, on an older release's API server.
  problems.push(...pruned.map((p) => {
    const first = release === NEWEST_OPENSHIFT_RELEASE ? undefined : firstReleaseWith(p);
    return first !== undefined && OPENSHIFT_RELEASES.indexOf(first) > OPENSHIFT_RELEASES.indexOf(release)
      ? {
        path: p,
        message: `is not in OpenShift ${release}'s Config CRD (first in ${first}): its API server drops it without a word. `
          + `If the cluster runs ${first} or newer, set openshiftVersion to its release; otherwise remove the field`,
        code: 'ORS-CONFIG-012',
      }
      : { path: p, message: prunedFieldMessage(p, near), code: 'ORS-CONFIG-002' };
  }));
  const admitted = object as any;

  if (admitted.apiVersion !== REGISTRY_CONFIG_API_VERSION) {
    problems.push({ path: 'apiVersion', message: `must be "${REGISTRY_CONFIG_API_VERSION}", got ${JSON.stringify(admitted.apiVersion)}`, code: 'ORS-CONFIG-003' });
  }
  if (admitted.kind !== REGISTRY_CONFIG_KIND) {
    problems.push({ path: 'kind', message: `must be "${REGISTRY_CONFIG_KIND}", got ${JSON.stringify(admitted.kind)}`, code: 'ORS-CONFIG-004' });
  }
  const name = admitted.metadata?.name;
  if (name !== REGISTRY_CONFIG_NAME) {
    problems.push({
      path: 'metadata.name',
      message: `the operator only reconciles the Config named "${REGISTRY_CONFIG_NAME}", got ${JSON.stringify(name)}: set metadata.name to "${REGISTRY_CONFIG_NAME}"`,
      code: 'ORS-CONFIG-005',
    });
  }
  if (admitted.metadata?.namespace !== undefined) {
    problems.push({ path: 'metadata.namespace', message: 'the Config is cluster-scoped: remove metadata.namespace', code: 'ORS-CONFIG-006' });
  }

  const spec = admitted.spec;
  if (typeof spec === 'object' && spec !== null) problems.push(...operatorRules(spec, release));
  return { config: admitted, problems, pruned };
}

/**
 * Validates a `configs.imageregistry.operator.openshift.io` object against the real CRD and the
 * operator's runtime rules; see {@link admitRegistryConfig} for the rules.
 *
 * @returns every problem found; an empty array means the Config is valid
 */
export function validateRegistryConfig(config: unknown, options: ValidateConfigOptions = {}): RegistryConfigProblem[] {
  return admitRegistryConfig(config, options).problems;
}

/** The storage blocks set in a Config's `spec.storage` (excluding `managementState`). */
export function configuredStorageTypes(storage: unknown): string[] {
  if (typeof storage !== 'object' || storage === null) return [];
  return ALL_STORAGE_TYPES.filter((t) => (storage as any)[t] !== undefined && (storage as any)[t] !== null);
}

/**
 * The last release whose operator has the Alibaba OSS driver: `NewDriver` in `pkg/storage/storage.go`
 * reads `cfg.OSS` on release-4.16 of openshift/cluster-image-registry-operator; commit 9a2dbe7d3
 * ("remove alibaba", 2024-08-06) removed it, and release-4.17 is the first branch that has it.
 */
const LAST_RELEASE_WITH_OSS = '4.16';

/** The storage blocks the operator of a release drives (`NewDriver` counts each one it finds). */
function drivenTypes(release: string): readonly string[] {
  return OPENSHIFT_RELEASES.indexOf(release) <= OPENSHIFT_RELEASES.indexOf(LAST_RELEASE_WITH_OSS)
    ? [...OPERATOR_STORAGE_TYPES, 'oss'] : OPERATOR_STORAGE_TYPES;
}

function operatorRules(spec: any, release: string): RegistryConfigProblem[] {
  const problems: RegistryConfigProblem[] = [];
  const types = configuredStorageTypes(spec.storage);
  const operatorTypes = drivenTypes(release);
  const driven = types.filter((t) => operatorTypes.includes(t));

  if (types.includes('oss') && !operatorTypes.includes('oss')) {
    problems.push({
      path: 'spec.storage.oss',
      message: `the operator has had no Alibaba OSS driver since ${OPENSHIFT_RELEASES[OPENSHIFT_RELEASES.indexOf(LAST_RELEASE_WITH_OSS) + 1]}: the block is ignored. `
        + 'Remove it and configure another storage type',
      code: 'ORS-CONFIG-007',
    });
  }
  if (driven.length === 0) {
    problems.push({
      path: 'spec.storage',
      message: `no storage type is configured: set exactly one of ${operatorTypes.join(', ')} `
        + '(the operator reports "storage backend not configured" on platforms without a default)',
      code: 'ORS-CONFIG-008',
    });
  } else if (driven.length > 1) {
    problems.push({
      path: 'spec.storage',
      message: `exactly one storage type should be configured at the same time, got ${driven.length}: [${driven.join(' ')}]. `
        + 'Remove all but one (server-side apply cannot remove a block another field manager owns: use a JSON patch)',
      code: 'ORS-CONFIG-009',
    });
  }
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    problems.push({ path: 'spec.replicas', message: `must not be negative, got ${spec.replicas}`, code: 'ORS-CONFIG-010' });
  }
  if (driven.includes('emptyDir') && typeof spec.replicas === 'number' && spec.replicas > 1) {
    problems.push({
      path: 'spec.replicas',
      message: `emptyDir storage cannot be shared: with ${spec.replicas} replicas each pod has its own empty directory and pulls fail at random. Set replicas to 1`,
      code: 'ORS-CONFIG-011',
    });
  }
  return problems;
}
