/**
 * The descriptor of OpenStack Swift storage: what the checks, the fleet, the CLI and both flavours read
 * about it (see `StorageKind`). The rules and the plan are in `./plan`.
 */
import { SWIFT_PROP_NAMES, SWIFT_SECRET_KEYS, SwiftStorageProps, planSwiftStorage } from './plan';
import { StorageKind, PlaceholderCredentials } from '../../core/storage-kind';

/** OpenStack Swift, as every part of the library reads it. */
export const SWIFT_KIND: StorageKind<SwiftStorageProps> = {
  name: 'swift',
  configType: 'swift',
  plan: planSwiftStorage,
  propNames: SWIFT_PROP_NAMES,
  secretKeys: SWIFT_SECRET_KEYS,
  secretKeySets: [
    [SWIFT_SECRET_KEYS.username, SWIFT_SECRET_KEYS.password],
    [SWIFT_SECRET_KEYS.applicationCredentialId, SWIFT_SECRET_KEYS.applicationCredentialName, SWIFT_SECRET_KEYS.applicationCredentialSecret],
    ['REGISTRY_STORAGE_SWIFT_TOKENID'],
  ],
  // the OpenShift docs' spelling; the operator reads _USERNAME
  misnamedSecretKeys: { REGISTRY_STORAGE_SWIFT_USER: SWIFT_SECRET_KEYS.username },
  cli: {
    name: 'swift',
    flags: {
      'container': { prop: 'container', type: 'string', help: 'container name' },
      'auth-url': { prop: 'authURL', type: 'string', help: 'Keystone URL (required with credentials)' },
      'auth-version': { prop: 'authVersion', type: 'string', help: '1, 2 or 3' },
      'domain': { prop: 'domain', type: 'string', help: 'user domain name' },
      'domain-id': { prop: 'domainID', type: 'string', help: 'user domain ID' },
      'tenant': { prop: 'tenant', type: 'string', help: 'project name' },
      'tenant-id': { prop: 'tenantID', type: 'string', help: 'project ID' },
      'region-name': { prop: 'regionName', type: 'string', help: 'Swift region' },
    },
  },
  fleet: {
    homePlatforms: ['openstack'],
    abbreviation: 'swift',
    identity: (p) => (p.container ? `swift container ${p.container}${p.authURL ? ` at ${p.authURL}` : ''}` : undefined),
    placeholderCredentials: (x, { swiftCredentialType }): PlaceholderCredentials => (swiftCredentialType === 'password'
      ? { value: { username: x, password: x }, keys: [SWIFT_SECRET_KEYS.username, SWIFT_SECRET_KEYS.password] }
      : {
        value: { applicationCredentialId: x, applicationCredentialName: x, applicationCredentialSecret: x },
        keys: [SWIFT_SECRET_KEYS.applicationCredentialId, SWIFT_SECRET_KEYS.applicationCredentialName, SWIFT_SECRET_KEYS.applicationCredentialSecret],
      }),
  },
};
