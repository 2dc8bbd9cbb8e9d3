/**
 * The descriptor of emptyDir storage: what the checks, the fleet, the CLI and both flavours read
 * about it (see `StorageKind`). The rules and the plan are in `./plan`.
 */
import { EMPTY_DIR_PROP_NAMES, EmptyDirStorageProps, planEmptyDirStorage } from './plan';
import { StorageKind } from '../../core/storage-kind';

/** emptyDir (tests only), as every part of the library reads it. */
export const EMPTY_DIR_KIND: StorageKind<EmptyDirStorageProps> = {
  name: 'emptyDir',
  configType: 'emptyDir',
  plan: planEmptyDirStorage,
  propNames: EMPTY_DIR_PROP_NAMES,
  cli: {
    // the CLI's lower-case spelling (emptyDir is accepted too)
    name: 'emptydir',
    flags: {
      'acknowledge-non-production': { prop: 'acknowledgeNonProduction', type: 'boolean', help: 'required: images are lost on every restart' },
    },
  },
  copier: () => ({ unreachable: 'emptyDir is a folder inside each registry pod, which no other pod can read, and it is lost when the pod goes' }),
  fleet: {
    abbreviation: 'emptydir',
    identity: () => undefined, // per pod
    noKeys: 'emptyDir storage reads no keys',
  },
};
