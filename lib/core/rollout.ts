/**
 * What proves that the operator has applied a storage configuration, as conditions on the live
 * `cluster` Config. `Available` alone proves nothing: it is True while old pods still run on the
 * old storage (pkg/operator/status.go in openshift/cluster-image-registry-operator).
 */
import { createHash } from 'crypto';
import { ConfigSpecPatch, configuredStorageTypes } from './validate-config';

/** Annotation carrying {@link specDigest} of the applied spec, so a wait runs again on every change. */
export const APPLIED_SPEC_DIGEST_ANNOTATION = 'openshift-registry-storage/applied-spec-sha256';

/** SHA-256 of the spec as canonical JSON (keys sorted): equal specs, equal digests. */
export function specDigest(spec: ConfigSpecPatch): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v).sort().filter((k) => (v as any)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The conditions, in `kubectl wait --for` syntax (pulumi-kubernetes' `pulumi.com/waitFor`), under
 * which the operator has applied `spec`'s storage and the registry runs on it:
 * - `status.storage.<type>` holds each scalar the spec sets (the operator copies the storage block
 *   it applied there, pkg/storage/<type>); `status.storage.managementState` likewise;
 * - `StorageExists` True: the operator reached the storage with the credentials in use;
 * - `Progressing` False: the registry Deployment finished rolling out;
 * - `Degraded` False and `Available` True.
 *
 * Scalars that are false, zero or contain `=` are left out: the operator's Go types omit empty
 * values, and the waitFor syntax splits on `=`.
 */
export function storageAppliedConditions(spec: ConfigSpecPatch): string[] {
  const storage = (spec.storage ?? {}) as Record<string, unknown>;
  const types = configuredStorageTypes(storage);
  const conditions: string[] = [];
  for (const type of types) {
    const block = (storage[type] ?? {}) as Record<string, unknown>;
    const leaves = Object.entries(block).filter(([, v]) => isWaitableScalar(v)).sort(([a], [b]) => a.localeCompare(b));
    if (leaves.length === 0) conditions.push(`jsonpath={.status.storage.${type}}`);
    for (const [field, value] of leaves) conditions.push(`jsonpath={.status.storage.${type}.${field}}=${String(value)}`);
  }
  if (typeof storage.managementState === 'string') conditions.push(`jsonpath={.status.storage.managementState}=${storage.managementState}`);
  conditions.push('condition=StorageExists', 'condition=Progressing=False', 'condition=Degraded=False', 'condition=Available');
  return conditions;
}

function isWaitableScalar(v: unknown): boolean {
  if (typeof v === 'string') return v !== '' && !v.includes('=');
  if (typeof v === 'number') return v !== 0;
  return v === true;
}

/**
 * True when the operator does not reconcile the Config (`spec.managementState` Unmanaged or Removed,
 * `pkg/operator/controller.go`): `status.storage` then never follows the spec, and a wait for it
 * could only time out.
 */
export function operatorIgnoresConfig(spec: ConfigSpecPatch): boolean {
  return spec.managementState === 'Unmanaged' || spec.managementState === 'Removed';
}
