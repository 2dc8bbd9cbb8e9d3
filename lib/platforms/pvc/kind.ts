/**
 * The descriptor of a PersistentVolumeClaim storage: what the checks, the fleet, the CLI and both flavours read
 * about it (see `StorageKind`). The rules and the plan are in `./plan`.
 */
import { PVC_PROP_NAMES, PvcStorageProps, planPvcStorage } from './plan';
import { OPERATOR_DEFAULT_CLAIM_NAME } from '../../core/constants';
import { StorageKind } from '../../core/storage-kind';

/** A PersistentVolumeClaim, as every part of the library reads it. */
export const PVC_KIND: StorageKind<PvcStorageProps> = {
  name: 'pvc',
  configType: 'pvc',
  plan: planPvcStorage,
  propNames: PVC_PROP_NAMES,
  cli: {
    name: 'pvc',
    flags: {
      'claim': { prop: 'claim', type: 'string', help: 'claim name ("" lets the operator create its own)' },
      'size': { prop: 'size', type: 'string', help: 'claim size, at least 100Gi' },
      'access-mode': { prop: 'accessMode', type: 'string', help: 'ReadWriteOnce (default) or ReadWriteMany' },
      'storage-class-name': { prop: 'storageClassName', type: 'string', help: 'StorageClass of the claim' },
      'availability-zone': { prop: 'cinder.availabilityZone', type: 'string', help: 'create a Cinder StorageClass in this zone' },
      'use-existing-claim': { prop: 'useExistingClaim', type: 'boolean', help: 'reference --claim without creating it' },
    },
  },
  // The operator mounts the claim at /registry and sets the filesystem driver's root there.
  copier: (b) => ({ claim: typeof b.claim === 'string' && b.claim !== '' ? b.claim : OPERATOR_DEFAULT_CLAIM_NAME }),
  fleet: {
    abbreviation: 'pvc',
    identity: () => undefined, // a claim is per cluster
    noKeys: 'pvc storage reads no keys',
  },
};
