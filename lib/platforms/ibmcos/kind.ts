/**
 * The descriptor of IBM Cloud Object Storage: what the checks, the fleet, the CLI and both flavours
 * read about it (see `StorageKind`). The rules and the plan are in `./plan`.
 */
import { IBMCOS_PROP_NAMES, IBMCOS_SECRET_KEYS, IbmcosStorageProps, planIbmcosStorage } from './plan';
import { StorageKind } from '../../core/storage-kind';

/** IBM Cloud Object Storage, as every part of the library reads it. */
export const IBMCOS_KIND: StorageKind<IbmcosStorageProps> = {
  name: 'ibmcos',
  configType: 'ibmcos',
  plan: planIbmcosStorage,
  propNames: IBMCOS_PROP_NAMES,
  secretKeys: IBMCOS_SECRET_KEYS,
  secretKeySets: [[IBMCOS_SECRET_KEYS.iamApiKey]],
  misnamedSecretKeys: {
    REGISTRY_STORAGE_IBMCOS_IAM_API_KEY: IBMCOS_SECRET_KEYS.iamApiKey,
    REGISTRY_STORAGE_IBMCOS_APIKEY: IBMCOS_SECRET_KEYS.iamApiKey,
  },
  cli: {
    name: 'ibmcos',
    flags: {
      'bucket': { prop: 'bucket', type: 'string', help: 'bucket name (with --service-instance-crn when the bucket is in an instance of yours)' },
      'location': { prop: 'location', type: 'string', help: 'bucket location (the operator writes the cluster\'s over it)' },
      'resource-group-name': { prop: 'resourceGroupName', type: 'string', help: 'resource group (the operator writes the cluster\'s over it)' },
      'service-instance-crn': { prop: 'serviceInstanceCRN', type: 'string', help: 'CRN of the Cloud Object Storage instance holding the bucket' },
      'resource-key-crn': { prop: 'resourceKeyCRN', type: 'string', help: 'CRN of an HMAC resource key of that instance (Writer or Manager)' },
    },
  },
  copier: () => ({ unreachable: 'IBM Cloud Object Storage is not reachable by the library\'s copier yet (the operator authenticates with an IAM API key; no copy of it has been proven)' }),
  fleet: {
    // the operator's driver reads the bucket's location from an IBM Cloud or Power VS Infrastructure
    platforms: ['ibmcloud', 'powervs'],
    homePlatforms: ['ibmcloud', 'powervs'],
    abbreviation: 'ibmcos',
    identity: (p) => (p.bucket ? `ibmcos bucket ${p.bucket}` : undefined),
    placeholderCredentials: (x) => ({ value: { iamApiKey: x }, keys: Object.values(IBMCOS_SECRET_KEYS) }),
  },
};
