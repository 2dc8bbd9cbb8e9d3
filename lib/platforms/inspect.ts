/**
 * Live-object checks: every platform's rules at once (as kinds.ts lists them), read by the CLI's
 * `check` and by the cdk8s construct's validation of what it emits.
 *
 * Checks live objects (what `oc get ... -o yaml` prints) with every rule the library knows: the
 * CRD and the operator's runtime rules, the user Secret's keys, a claim's access mode against the
 * Config, and the same props rules the planning functions apply.
 */
import { crossplaneAzureAdProblems } from './azure';
import { STORAGE_KINDS, storageKindOfConfigType } from './kinds';
import { KEYS_FROM_ANNOTATION } from './object-bucket-claim';
import { S3_CLUSTER_IDENTITY_NO_KMS } from './s3';
import { CLUSTER_CREDENTIALS_SECRET, OPERATOR_DEFAULT_CLAIM_NAME, OPERATOR_STORAGE_TYPES, REGISTRY_CONFIG_KIND, REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME } from '../core/constants';
import { imagePrunerObject } from '../core/image-pruner';
import { credentialsFromSecretData, RegistryCommonProps } from '../core/plan';
import { Problems, RegistryConfigProblem, RegistryStorageValidationError } from '../core/problems';
import { configuredStorageTypes, validateRegistryConfigPatch } from '../core/validate-config';

/** Secret keys the operator reads per storage type, with the sets it accepts (one complete set is needed): each kind's `secretKeySets`. */
export const OPERATOR_SECRET_KEY_SETS: Readonly<Record<string, ReadonlyArray<readonly string[]>>> = Object.fromEntries(
  STORAGE_KINDS.filter((k) => k.secretKeySets && storageKindOfConfigType(k.configType) === k).map((k) => [k.configType, k.secretKeySets!]),
);

/** Secret keys users write that the operator does not read, and the key it reads instead (every kind's `misnamedSecretKeys`). */
export const MISNAMED_SECRET_KEYS: Readonly<Record<string, string>> = Object.assign({}, ...STORAGE_KINDS.map((k) => k.misnamedSecretKeys ?? {}));

/** Standard base64 with padding, what the API server decodes a Secret's `data` with (Go `base64.StdEncoding`). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decoded data of a Secret object (`stringData` wins over base64 `data`, as the API server merges them). */
export function secretData(secret: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(secret?.data ?? {})) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  for (const [k, v] of Object.entries<string>(secret?.stringData ?? {})) out[k] = String(v);
  return out;
}

/**
 * True when a cluster credentials Secret (`installer-cloud-credentials`) holds short-lived
 * credentials: an AWS STS role (`role_arn` with `web_identity_token_file`), a GCP Workload Identity
 * Federation configuration (`type: external_account`), or Azure Workload Identity
 * (`azure_federated_token_file`). Written by ccoctl.
 * @see https://github.com/openshift/cloud-credential-operator/blob/master/docs/short-term-credentials.md
 */
export function isShortLivedCloudCredentials(secret: unknown): boolean {
  const data = secretData(secret);
  if (/^\s*web_identity_token_file\s*=/m.test(data.credentials ?? '')) return true;
  if (data.azure_federated_token_file !== undefined) return true;
  try {
    return JSON.parse(data['service_account.json'] ?? 'null')?.type === 'external_account';
  } catch {
    return false;
  }
}

/** Problems with the user Secret for a storage type: keys the operator will not read, missing or empty keys. */
export function validateUserSecret(storageType: string, secret: unknown): RegistryConfigProblem[] {
  const path = `Secret ${REGISTRY_NAMESPACE}/${REGISTRY_USER_SECRET_NAME}`;
  const data = secretData(secret);
  const sets = OPERATOR_SECRET_KEY_SETS[storageType];
  const problems: RegistryConfigProblem[] = [];
  for (const [k, v] of Object.entries<unknown>((secret as any)?.data ?? {})) {
    if (typeof v !== 'string' || !BASE64.test(v)) {
      problems.push({ path: `${path}.data.${keyShown(k)}`, message: 'is not valid base64: the API server refuses the Secret. Encode the value with base64 -w0, or put plain text under stringData', code: 'ORS-CHECK-001' });
    }
  }
  if (!sets) {
    if (Object.keys(data).length > 0) problems.push({ path, message: `${storageType} storage reads no credentials: the Secret is ignored`, code: 'ORS-CHECK-002' });
    return problems;
  }
  const read = new Set(sets.flat());
  for (const key of Object.keys(data).sort()) {
    if (read.has(key)) continue;
    const instead = Object.prototype.hasOwnProperty.call(MISNAMED_SECRET_KEYS, key) ? MISNAMED_SECRET_KEYS[key] : undefined;
    problems.push({
      path: `${path}.${keyShown(key)}`,
      message: `the operator does not read ${keyShown(key)} for ${storageType} storage`
        + (instead ? `: rename it to ${instead} (the operator wins over the docs that say ${key})` : `; it reads ${[...read].join(', ')}`),
      code: 'ORS-CHECK-003',
    });
  }
  // A manifest whose keys the credentials Job writes in the cluster (ObjectBucketClaim) has none yet.
  const filledInCluster = (secret as any)?.metadata?.annotations?.[KEYS_FROM_ANNOTATION] !== undefined && Object.keys(data).length === 0;
  if (!filledInCluster && !sets.some((set) => set.every((k) => data[k] !== undefined))) {
    problems.push({
      path,
      message: `has no complete set of the keys the operator reads for ${storageType}: ${sets.map((s) => s.join(' + ')).join(', or ')}. `
        + 'While the Secret exists the operator uses it alone, with no fallback to the cluster\'s credentials',
      code: 'ORS-CHECK-004',
    });
  }
  for (const [k, v] of Object.entries(data)) {
    if (read.has(k) && v === '') problems.push({ path: `${path}.${k}`, message: 'is empty: the operator refuses an empty value', code: 'ORS-CHECK-005' });
  }
  return problems;
}

/**
 * A Secret key as messages name it: a key named like the operator's (`REGISTRY_STORAGE_S3_ACCESKEY`)
 * is shown; anything else is not, since a pasted key or token can end up as a key's name.
 */
function keyShown(key: string): string {
  // upper-case words joined by _ (REGISTRY_STORAGE_SWIFT_USER), or lower-case words without digits
  // (credentials, service_account.json); a token (AKIA..., hex) is neither
  return key.length <= 64 && (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(key) || /^[a-z][a-z._-]*$/.test(key))
    ? key : '<a key not shown: it may be a credential>';
}

/** A claim's access modes against the Config's replicas and rollout strategy (the operator's `checkPVC`). */
export function validateClaimForConfig(spec: any, claim: any): RegistryConfigProblem[] {
  const modes: string[] = claim?.spec?.accessModes ?? [];
  const path = `PersistentVolumeClaim ${claim?.metadata?.namespace ?? REGISTRY_NAMESPACE}/${claim?.metadata?.name}`;
  if (modes.includes('ReadWriteMany')) return [];
  if (!modes.includes('ReadWriteOnce')) {
    return [{ path, message: 'does not contain the necessary access modes: ReadWriteMany or ReadWriteOnce', code: 'ORS-CHECK-006' }];
  }
  const problems: RegistryConfigProblem[] = [];
  if ((spec?.replicas ?? 1) > 1) {
    problems.push({ path: 'spec.replicas', message: `cannot use ReadWriteOnce access mode with more than one replica of the image registry (claim ${claim.metadata.name}, ${spec.replicas} replicas): set replicas to 1 or use a ReadWriteMany claim`, code: 'ORS-PVC-007' });
  }
  if ((spec?.rolloutStrategy ?? 'RollingUpdate') !== 'Recreate') {
    problems.push({ path: 'spec.rolloutStrategy', message: `cannot use ReadWriteOnce access mode with ${spec?.rolloutStrategy ?? 'RollingUpdate'} rollout strategy: set rolloutStrategy to Recreate`, code: 'ORS-PVC-008' });
  }
  return problems;
}

/** Maps a props problem to the Config path it concerns. */
function configPath(type: string, p: RegistryConfigProblem): RegistryConfigProblem {
  const path = p.path === 'replicas' || p.path === 'rolloutStrategy' ? `spec.${p.path}`
    : p.path === 'storageManagementState' ? 'spec.storage.managementState' : `spec.storage.${type}.${p.path}`;
  return { path, message: p.message, code: p.code };
}

/** The platform's props rules applied to a live storage block, reported with Config paths. */
function storagePropsFindings(type: string, spec: any, secret: unknown, openshiftVersion: string | undefined)
  : { problems: RegistryConfigProblem[]; warnings: RegistryConfigProblem[] } {
  // The kind that reads this block; a kind with no credentials (pvc, emptyDir) has its own check.
  const kind = storageKindOfConfigType(type);
  if (!kind?.secretKeys) return { problems: [], warnings: [] };
  const block = kind.propsFromBlock ? kind.propsFromBlock(spec.storage[type]) : { ...spec.storage[type] };
  const common: RegistryCommonProps = {
    replicas: spec.replicas, rolloutStrategy: spec.rolloutStrategy, storageManagementState: spec.storage.managementState, openshiftVersion,
  };
  const credentials = secret !== undefined ? credentialsFromSecretData(kind.secretKeys, secretData(secret)) : undefined;
  try {
    const plan = kind.plan({ ...block, ...common, credentials });
    return { problems: [], warnings: plan.warnings.map((w) => configPath(type, w)) };
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    // Secret contents are checked by validateUserSecret, with the operator's key names.
    return { problems: e.problems.filter((p) => !p.path.startsWith('credentials')).map((p) => configPath(type, p)), warnings: [] };
  }
}

/** Options of {@link inspectRegistryObjects}. */
export interface InspectOptions {
  /**
   * Leave out the CRD's own verdict on each Config (for callers that have it already, such as the
   * cdk8s Config L1, which validates itself at synth).
   * @default false
   */
  readonly skipCrd?: boolean;
  /**
   * The OpenShift release the objects are for (`'4.16'` or `'4.16.21'`): each Config is checked
   * against that release's CRD. When unset, a `ClusterVersion` among the objects gives it
   * (`oc get clusterversion version -o yaml`: `status.desired.version`); otherwise the oldest
   * supported release.
   */
  readonly openshiftVersion?: string;
}

/** A problem or warning of {@link inspectRegistryObjects}, with the object it concerns. */
export interface RegistryFinding extends RegistryConfigProblem {
  /** Index, in the objects given, of the object the finding concerns (the CLI names its document). */
  readonly objectIndex: number;
}

/** What {@link inspectRegistryObjects} finds: problems (the operator or the API server would refuse) and warnings. */
export interface RegistryFindings {
  readonly problems: readonly RegistryFinding[];
  readonly warnings: readonly RegistryFinding[];
}

/**
 * Checks a set of objects as `oc get -o yaml` prints them: every `configs.imageregistry.operator.openshift.io`
 * Config, the `image-registry-private-configuration-user` Secret and the claims among them.
 *
 * @returns every problem and every warning, each with the object path it concerns
 * @throws Error when the objects hold no registry Config (the input is unusable)
 */
export function inspectRegistryObjects(objects: readonly unknown[], options: InspectOptions = {}): RegistryFindings {
  const indexed = objects.map((o: any, i) => ({ o, i }));
  const configs = indexed.filter(({ o }) => o?.kind === REGISTRY_CONFIG_KIND && String(o?.apiVersion).startsWith('imageregistry.operator.openshift.io/'));
  if (configs.length === 0) throw new Error('no configs.imageregistry.operator.openshift.io object in the input');
  const secret = indexed.find(({ o }) => o?.kind === 'Secret' && o?.metadata?.name === REGISTRY_USER_SECRET_NAME);
  const clusterCredentials = indexed.find(({ o }) => o?.kind === 'Secret' && o?.metadata?.name === CLUSTER_CREDENTIALS_SECRET);
  const claims = indexed.filter(({ o }) => o?.kind === 'PersistentVolumeClaim');
  const problems: RegistryFinding[] = [];
  const warnings: RegistryFinding[] = [];
  const at = (objectIndex: number) => (p: RegistryConfigProblem): RegistryFinding => ({ ...p, objectIndex });
  // The release: given, or the ClusterVersion's (the cluster the objects were read from).
  const clusterVersion = indexed.find(({ o }) => o?.kind === 'ClusterVersion' && String(o?.apiVersion).startsWith('config.openshift.io/'));
  const fromCluster = clusterVersion?.o?.status?.desired?.version;
  const openshiftVersion: string | undefined = options.openshiftVersion ?? (typeof fromCluster === 'string' ? fromCluster : undefined);
  const named = configs.filter(({ o }) => o?.metadata?.name === REGISTRY_CONFIG_NAME);
  if (named.length > 1) {
    problems.push(at(named[1].i)({ path: 'metadata.name', message: `${named.length} Configs named "${REGISTRY_CONFIG_NAME}" in the input: a cluster has one; the last applied would win`, code: 'ORS-CHECK-009' }));
  }
  for (const { o: config, i } of configs) {
    // A live Config always has replicas; one without is a manifest for server-side apply, which
    // keeps the live value.
    const own = options.skipCrd ? [] : validateRegistryConfigPatch(config, { openshiftVersion });
    const seen = new Set(own.map((p) => p.path));
    problems.push(...own.map(at(i)));
    const spec = config.spec ?? {};
    if (spec.managementState === 'Removed') {
      // Removed makes the operator delete the registry and, for Managed storage, the storage and
      // its images (pkg/operator/controller.go RemoveResources). Bare-metal clusters start Removed.
      if (spec.storage?.managementState === 'Managed') {
        problems.push(at(i)({ path: 'spec.managementState', message: 'is Removed with storage.managementState Managed: the operator deletes the storage and every image in it. Set Managed, or make the storage Unmanaged first', code: 'ORS-CHECK-010' }));
      } else {
        warnings.push(at(i)({ path: 'spec.managementState', message: 'is Removed: the registry is off (its storage is kept, being Unmanaged). Set Managed to turn it on', code: 'ORS-CHECK-W001' }));
      }
    }
    const types = configuredStorageTypes(spec.storage).filter((t) => (OPERATOR_STORAGE_TYPES as readonly string[]).includes(t));
    if (types.length !== 1) continue;
    const type = types[0];
    const found = storagePropsFindings(type, spec, secret?.o, openshiftVersion);
    problems.push(...found.problems.filter((p) => !seen.has(p.path)).map(at(i)));
    warnings.push(...found.warnings.map(at(i)));
    if (secret !== undefined) problems.push(...validateUserSecret(type, secret.o).map(at(secret.i)));
    const keyed = secret !== undefined && Object.keys(secretData(secret.o)).some((k) => (OPERATOR_SECRET_KEY_SETS[type] ?? []).flat().includes(k));
    if (keyed && clusterCredentials !== undefined && isShortLivedCloudCredentials(clusterCredentials.o)) {
      warnings.push(at(secret!.i)({
        path: `Secret ${REGISTRY_NAMESPACE}/${REGISTRY_USER_SECRET_NAME}`,
        message: `holds static keys while the cluster's ${CLUSTER_CREDENTIALS_SECRET} are short-lived: the operator uses the keys instead, for everything. `
          + 'Delete the Secret to use the cluster\'s identity (grant it what it lacks, such as a KMS key), or keep it if the keys are meant',
        code: 'ORS-CHECK-W002',
      }));
    }
    if (type === 's3' && spec.storage.s3?.keyID && secret === undefined) {
      warnings.push(at(i)({
        path: 'spec.storage.s3.keyID',
        message: `is set with no user Secret in the input, so ${S3_CLUSTER_IDENTITY_NO_KMS}. `
          + `If the cluster has ${REGISTRY_USER_SECRET_NAME}, add it to the input`,
        code: 'ORS-CHECK-W003',
      }));
    }
    if (type === 'pvc') {
      const name = spec.storage.pvc?.claim || OPERATOR_DEFAULT_CLAIM_NAME;
      const claim = claims.find(({ o }) => o?.metadata?.name === name);
      if (claim) problems.push(...validateClaimForConfig(spec, claim.o).map((p) => at(p.path.startsWith('spec.') ? i : claim.i)(p)));
    }
  }
  // Single-node OpenShift (an Infrastructure in the input says so) with 2 or more replicas.
  const infrastructure = indexed.find(({ o }) => o?.kind === 'Infrastructure' && String(o?.apiVersion).startsWith('config.openshift.io/'));
  if (infrastructure?.o?.status?.infrastructureTopology === 'SingleReplica') {
    for (const { o: config, i } of configs) {
      if (typeof config?.spec?.replicas === 'number' && config.spec.replicas > 1) {
        warnings.push(at(i)({
          path: 'spec.replicas',
          message: `is ${config.spec.replicas} on a single-node cluster (infrastructureTopology SingleReplica): with exactly 2 the operator adds a required `
            + 'anti-affinity on the node name and one pod stays Pending; set replicas: 1',
          code: 'ORS-CHECK-W004',
        }));
      }
    }
  }
  // The image pruner: against its CRD, and suspended; missing from a dump read from a cluster.
  const pruners = indexed.filter(({ o }) => o?.kind === 'ImagePruner' && String(o?.apiVersion).startsWith('imageregistry.operator.openshift.io/'));
  for (const { o: pruner, i } of pruners) {
    const found = new Problems();
    imagePrunerObject(found, pruner?.spec ?? {}, 'spec');
    problems.push(...found.all.map(at(i)));
    warnings.push(...found.warnings.map(at(i)));
  }
  if (pruners.length === 0 && clusterVersion !== undefined && configs.some(({ o }) => o?.spec?.managementState === 'Managed')) {
    warnings.push(at(configs[0].i)({
      path: 'imagepruners.imageregistry.operator.openshift.io/cluster',
      message: 'is not in the input read from the cluster: nothing may prune the images etcd no longer references. '
        + 'Add it (oc get imagepruners.imageregistry.operator.openshift.io cluster -o yaml), or restore it: the operator creates it',
      code: 'ORS-CHECK-W005',
    }));
  }
  // Storage made by a controller next to the Config: a Crossplane Azure account without shared keys.
  problems.push(...crossplaneAzureAdProblems(objects));
  return { problems, warnings };
}

/**
 * The problems {@link inspectRegistryObjects} finds (warnings left out).
 *
 * @returns every problem, each with the object path it concerns; empty when all is well
 * @throws Error when the objects hold no registry Config (the input is unusable)
 */
export function checkRegistryObjects(objects: readonly unknown[]): RegistryConfigProblem[] {
  return [...inspectRegistryObjects(objects).problems];
}
