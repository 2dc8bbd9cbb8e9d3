/**
 * Building a plan: the spec every platform sets, the checks of the finished spec against the CRD and
 * the operator's rules, the user Secret and the credential modes. The model, the props checks and
 * the removal patches are re-exported from here for the modules that import them from `plan`.
 */
import { REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME } from './constants';
import { DEFAULT_REPLICAS, registryConfig, RegistryCommonProps, RegistryStoragePlan, RegistryStorageType, UserSecretManifest } from './model';
import { Problems, RegistryConfigProblem, show } from './problems';
import { compact, hasDeferred } from './props';
import { OLDEST_OPENSHIFT_RELEASE } from './releases';
import { ConfigSpecPatch, validateRegistryConfigPatch } from './validate-config';

export * from './model';
export * from './props';
export * from './removal-patch';

/**
 * @internal Builds the plan's spec, checks it against the CRD and the operator's rules, and throws
 * every problem at once. CRD problems are reported against the prop they come from.
 */
export function finishPlan(what: string, storageType: RegistryStorageType, problems: Problems,
  plan: () => Omit<RegistryStoragePlan, 'warnings' | 'openshiftVersion'>): RegistryStoragePlan {
  if (problems.adoptRequested && !problems.adoptionHandled) {
    problems.add(problems.adoptRequested, `applies to the storage the operator creates (s3, gcs, azure, swift), not to ${storageType}: remove adopt and infrastructureName`, 'ORS-ADOPT-007');
  }
  problems.throwIfAny(what);
  const acknowledged = problems.acknowledgedCodes;
  const openshiftVersion = problems.openshiftVersion ?? OLDEST_OPENSHIFT_RELEASE;
  const result: RegistryStoragePlan = {
    ...plan(),
    warnings: [...problems.warnings],
    ...(acknowledged.length > 0 ? { acknowledgedWarnings: acknowledged } : {}),
    openshiftVersion,
    ...(problems.imagePruner ? { imagePruner: problems.imagePruner } : {}),
    ...(problems.hardPrune ? { hardPrune: problems.hardPrune as RegistryStoragePlan['hardPrune'] } : {}),
    ...(problems.migrateFrom ? { migrateFrom: problems.migrateFrom as RegistryStoragePlan['migrateFrom'] } : {}),
  };
  // Values not known yet (Pulumi Outputs during the first pass) are checked when they are known.
  if (hasDeferred(result.spec)) return result;
  const reported = new Set(problems.all.map((p) => p.path));
  for (const p of validateRegistryConfigPatch(registryConfig(result.spec), { openshiftVersion })) {
    const prop = propPath(storageType, p);
    if (!reported.has(prop)) problems.add(prop, p.message, p.code);
  }
  problems.throwIfAny(what);
  return result;
}


function propPath(storageType: string, p: RegistryConfigProblem): string {
  const storagePrefix = `spec.storage.${storageType}.`;
  if (p.path.startsWith(storagePrefix)) return p.path.slice(storagePrefix.length);
  if (p.path === 'spec.storage.managementState') return 'storageManagementState';
  if (p.path.startsWith('spec.')) return p.path.slice('spec.'.length);
  return p.path;
}

/**
 * Secret data for credentials: each credential field given, under the Secret key the operator reads
 * for it (`keys` is a platform's `*_SECRET_KEYS`). Generic, so Pulumi Inputs map the same way.
 */
export function credentialSecretData<T>(keys: Readonly<Record<string, string>>, credentials: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(keys)
    .filter(([field]) => credentials[field] !== undefined)
    .map(([field, key]) => [key, credentials[field]]));
}

/** The inverse of {@link credentialSecretData}: credential fields from Secret data; absent keys are left out. */
export function credentialsFromSecretData(keys: Readonly<Record<string, string>>,
  data: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys)
    .filter(([, key]) => data[key] !== undefined)
    .map(([field, key]) => [field, data[key]!]));
}

/** @internal The user Secret manifest with exactly `data`'s keys. */
export function userSecret(stringData: Record<string, string>): UserSecretManifest {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: REGISTRY_USER_SECRET_NAME, namespace: REGISTRY_NAMESPACE },
    type: 'Opaque',
    stringData: Object.fromEntries(Object.entries(stringData).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/**
 * @internal The parts of the spec every platform sets. `defaults.replicas` is for storage that
 * needs a replica count (ReadWriteOnce, emptyDir); otherwise `replicas` is the user's, or
 * {@link DEFAULT_REPLICAS}: always present (see {@link RegistryCommonProps.replicas}).
 */
export function commonSpec(props: RegistryCommonProps, defaults: { replicas?: number; rolloutStrategy?: 'Recreate'; disableRedirect?: boolean }): Omit<ConfigSpecPatch, 'storage'> {
  return compact({
    managementState: props.managementState ?? 'Managed',
    replicas: props.replicas ?? defaults.replicas ?? (props.infrastructureTopology === 'SingleReplica' ? 1 : DEFAULT_REPLICAS),
    rolloutStrategy: props.rolloutStrategy ?? defaults.rolloutStrategy,
    disableRedirect: props.disableRedirect ?? defaults.disableRedirect,
  });
}

/** @internal `Unmanaged` when the storage is named, unless the user chose. */
export function storageState(props: RegistryCommonProps, named: boolean): 'Managed' | 'Unmanaged' | undefined {
  return props.storageManagementState ?? (named ? 'Unmanaged' : undefined);
}

/**
 * @internal The credential mode a flavour that provisions the storage reads from `credentials`:
 * one of the platform's `modes` by name, `'keys'` for an object of keys, `'cluster'` (the cluster's
 * own identity) when unset. A name not in `modes` is a problem naming them and `keysShape`.
 */
export function credentialMode<M extends string>(problems: Problems, credentials: unknown, modes: readonly M[], keysShape: string): M | 'keys' | 'cluster' {
  if (typeof credentials === 'string') {
    if ((modes as readonly string[]).includes(credentials)) return credentials as M;
    problems.add('credentials', `must be ${modes.map((m) => `'${m}'`).join(' or ')}, or ${keysShape}; got ${show(credentials)}`, 'ORS-CORE-001');
    return 'cluster';
  }
  return credentials !== undefined && credentials !== null ? 'keys' : 'cluster';
}
