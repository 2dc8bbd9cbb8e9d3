/**
 * The descriptor of OpenStack Swift storage: what the checks, the fleet, the CLI and both flavours read
 * about it (see `StorageKind`). The rules and the plan are in `./plan`.
 */
import { SWIFT_ADOPTION, SWIFT_PROP_NAMES, SWIFT_SECRET_KEYS, SwiftStorageProps, planSwiftStorage } from './plan';
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
  // The Swift driver keeps the tree under files/ (DLO segments under segments/, which a GET of the
  // manifest object under files/ returns whole). rclone's Swift backend: https://rclone.org/swift/.
  copier: (b) => ({
    options: {
      type: 'swift',
      ...(b.authURL ? { auth: String(b.authURL) } : {}),
      ...(b.authVersion ? { auth_version: String(b.authVersion) } : {}),
      ...(b.domain ? { domain: String(b.domain), tenant_domain: String(b.domain) } : {}),
      ...(b.domainID ? { domain_id: String(b.domainID) } : {}),
      ...(b.tenant ? { tenant: String(b.tenant) } : {}),
      ...(b.tenantID ? { tenant_id: String(b.tenantID) } : {}),
      ...(b.regionName ? { region: String(b.regionName) } : {}),
    },
    root: `${b.container}/files`,
    // every link is a single-part object whose ETag (md5Hash) is its MD5
    checksums: true,
    keys: {
      user: SWIFT_SECRET_KEYS.username,
      key: SWIFT_SECRET_KEYS.password,
      application_credential_id: SWIFT_SECRET_KEYS.applicationCredentialId,
      application_credential_name: SWIFT_SECRET_KEYS.applicationCredentialName,
      application_credential_secret: SWIFT_SECRET_KEYS.applicationCredentialSecret,
    },
  }),
  adoption: SWIFT_ADOPTION,
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
