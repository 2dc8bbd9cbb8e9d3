/**
 * The kinds of registry storage the library knows, one descriptor each (see `StorageKind`). The
 * checks, the fleet, the CLI and both flavours read this list: a new kind is its platform folder
 * and one line here.
 */
import { AZURE_KIND } from './azure';
import { EMPTY_DIR_KIND } from './emptydir';
import { GCS_KIND } from './gcs';
import { IBMCOS_KIND } from './ibmcos';
import { OBJECT_BUCKET_CLAIM_KIND } from './object-bucket-claim';
import { PVC_KIND } from './pvc';
import { S3_KIND } from './s3';
import { SWIFT_KIND } from './swift';
import { COMMON_PROP_NAMES } from '../core/plan';
import { StorageKind } from '../core/storage-kind';

/** Every kind, in the order the docs and the CLI list them. */
export const STORAGE_KINDS: readonly StorageKind[] = [
  S3_KIND, GCS_KIND, AZURE_KIND, SWIFT_KIND, IBMCOS_KIND, PVC_KIND, EMPTY_DIR_KIND, OBJECT_BUCKET_CLAIM_KIND,
];

/** The kind of this name (`s3`, `objectBucketClaim`), or undefined; never one of Object.prototype's members. */
export function storageKind(name: unknown): StorageKind | undefined {
  return typeof name === 'string' ? STORAGE_KINDS.find((k) => k.name === name) : undefined;
}

/** The kind that reads a live Config's `spec.storage.<type>` block: the first that sets it (`s3` for `s3`). */
export function storageKindOfConfigType(type: string): StorageKind | undefined {
  return STORAGE_KINDS.find((k) => k.configType === type);
}

/**
 * The props a fleet inventory may set for a kind: its platform's props but `credentials` and the
 * common ones (which go under `common`), plus `provision` where a controller can create the storage.
 */
export function fleetPropNames(kind: StorageKind): string[] {
  return [...Object.keys(kind.propNames).filter((k) => k !== 'credentials' && !Object.hasOwn(COMMON_PROP_NAMES, k)), ...(kind.provision ? ['provision'] : [])];
}
