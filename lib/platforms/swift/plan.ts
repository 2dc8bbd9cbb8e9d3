/**
 * OpenStack Swift: props, rules and plan. Operator behaviour:
 * https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/storage/swift/swift.go
 */
import { shortHash } from '../../core/names';
import {
  checkCommon, checkPropsShape, commonSpec, compact, credentialSecretData, finishPlan, given, httpUrl, optionalObject, optionalString,
  RegistryCommonProps, RegistryStoragePlan, requireString, storageState, userSecret, COMMON_PROP_NAMES, PropNames,
} from '../../core/plan';
import { Problems, show } from '../../core/problems';
import { AdoptionFacts, adoptionOf } from '../adopt';

/** Keystone user name and password. */
export interface SwiftPasswordCredentials {
  /** User name; written to `REGISTRY_STORAGE_SWIFT_USERNAME` (not `_USER`, which the OpenShift docs once said). */
  readonly username: string;
  /** Password; written to `REGISTRY_STORAGE_SWIFT_PASSWORD`. */
  readonly password: string;
}

/** A Keystone application credential. */
export interface SwiftApplicationCredentials {
  /** Written to `REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID`. */
  readonly applicationCredentialId: string;
  /** Written to `REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME`. */
  readonly applicationCredentialName: string;
  /** Written to `REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET`. */
  readonly applicationCredentialSecret: string;
}

/** Swift credentials: a password or an application credential. */
export type SwiftCredentials = SwiftPasswordCredentials | SwiftApplicationCredentials;

/**
 * Props of Swift registry storage; field names are the CRD's (`spec.storage.swift`). With
 * credentials the operator reads nothing but the credentials from the Secret: the auth URL,
 * domain, tenant and region must be here.
 * @see https://docs.openshift.com/container-platform/latest/registry/configuring_registry_storage/configuring-registry-storage-openstack-user-infrastructure.html
 */
export interface SwiftStorageProps extends RegistryCommonProps {
  /**
   * Container name (no `/`, at most 256 characters).
   * @default unset: the operator creates a randomly named container and marks it Managed
   */
  readonly container?: string;
  /**
   * Keystone URL, e.g. `https://keystone.example.com:5000/v3`. Required with credentials. Its path
   * must be empty (the operator appends `/v<authVersion>`) or begin with `/v1`, `/v2` or `/v3`
   * (used as it is; anything after the version, such as `/v2.0`, gets a warning).
   * @default the cluster's clouds.yaml (only without credentials)
   */
  readonly authURL?: string;
  /**
   * Keystone API version: "1", "2" or "3".
   * @default unset (clouds.yaml's identity_api_version, else 3)
   */
  readonly authVersion?: '1' | '2' | '3';
  /** User domain name (Keystone v3). Required with password credentials on v3, unless `domainID` is set. @default unset */
  readonly domain?: string;
  /** User domain ID (Keystone v3). @default unset */
  readonly domainID?: string;
  /** Project (tenant) name. Required with password credentials, unless `tenantID` is set. @default unset */
  readonly tenant?: string;
  /** Project (tenant) ID. @default unset */
  readonly tenantID?: string;
  /** Region of the Swift endpoint. @default unset (the first in the catalog) */
  readonly regionName?: string;
  /**
   * Password or application credential; see {@link SwiftCredentials}.
   * @default unset: no Secret; the operator uses the cluster's clouds.yaml
   */
  readonly credentials?: SwiftCredentials;
}

/** Secret keys the operator reads for Swift (`pkg/storage/swift/swift.go`). */
export const SWIFT_SECRET_KEYS = {
  username: 'REGISTRY_STORAGE_SWIFT_USERNAME',
  password: 'REGISTRY_STORAGE_SWIFT_PASSWORD',
  applicationCredentialId: 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID',
  applicationCredentialName: 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME',
  applicationCredentialSecret: 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET',
} as const;

function isPassword(c: SwiftCredentials): c is SwiftPasswordCredentials {
  return 'username' in c || 'password' in c;
}

/** @internal Every prop of {@link SwiftStorageProps}: any other name is refused, naming the closest. */
export const SWIFT_PROP_NAMES: PropNames<SwiftStorageProps> = {
  ...COMMON_PROP_NAMES,
  container: true,
  authURL: true,
  authVersion: true,
  domain: true,
  domainID: true,
  tenant: true,
  tenantID: true,
  regionName: true,
  // a union: the fields of both kinds of credentials
  credentials: {
    username: true, password: true, applicationCredentialId: true, applicationCredentialName: true, applicationCredentialSecret: true,
  },
};

/** Checks Swift props and returns the plan. Throws {@link RegistryStorageValidationError} listing every problem. */
/**
 * The container the operator creates on OpenStack (`pkg/storage/swift/swift.go`): named
 * `<infraID>-image-registry-<random>`, with metadata `X-Container-Meta-Openshiftclusterid: <infraID>`.
 */
/**
 * The value an adopted container's `X-Container-Meta-Openshiftclusterid` takes, in place of the
 * infrastructure name: `openshift-install destroy cluster` deletes the containers whose value equals
 * the infrastructure name (installer `pkg/destroy/openstack`, `deleteContainers`), and an
 * infrastructure name always ends in `-<random>`, so this one is never it. A value, not the key's
 * removal: terraform-provider-openstack removes no metadata key, and an empty value (Swift's way to
 * remove one) makes no diff in pulumi-openstack 3.15 (pulumi-terraform-bridge#1501).
 */
export const SWIFT_ADOPTED_CLUSTER_ID = 'adopted';

export const SWIFT_ADOPTION: AdoptionFacts = {
  kind: 'swift',
  names: { container: (infra) => `${infra}-image-registry-` },
  ownedMarker: (infra) => ({ kind: 'metadata', key: 'X-Container-Meta-Openshiftclusterid', value: infra }),
  markerRemoval: `the Pulumi component sets it to "${SWIFT_ADOPTED_CLUSTER_ID}" at adopt: 'imported'; no controller manages Swift containers, `
    + 'so with cdk8s change or remove it yourself (swift post -H "X-Remove-Container-Meta-Openshiftclusterid: x" <container>)',
  teardown: 'openshift-install destroy cluster deletes every container whose metadata Openshiftclusterid is the infrastructure name (installer pkg/destroy/openstack): '
    + 'once it is gone (swift post -H "X-Remove-Container-Meta-Openshiftclusterid: x" <container>), this container and its images outlive the cluster (delete it yourself when you mean to)',
};

export function planSwiftStorage(props: SwiftStorageProps): RegistryStoragePlan {
  const problems = new Problems();
  props = checkPropsShape('SwiftRegistryStorage', props, SWIFT_PROP_NAMES);
  checkCommon(props, problems);
  const adoption = adoptionOf(SWIFT_ADOPTION, props as any, problems);
  const container = optionalString(problems, 'container', props.container);
  if (container !== undefined && (container.includes('/') || container.length > 256 || container.length === 0)) {
    problems.add('container', `must be 1 to 256 characters without "/", got ${show(container)}`, 'ORS-SWIFT-001');
  }
  const authVersion = optionalString(problems, 'authVersion', props.authVersion);
  if (authVersion !== undefined && !['1', '2', '3'].includes(authVersion)) {
    problems.add('authVersion', `must be "1", "2" or "3", got ${show(authVersion)}`, 'ORS-SWIFT-002');
  }
  const authURL = optionalString(problems, 'authURL', props.authURL);
  if (authURL !== undefined) {
    const url = httpUrl(problems, 'authURL', authURL, 'https://keystone.example.com:5000/v3');
    const path = url?.pathname ?? '';
    // The operator (pkg/storage/swift/swift.go, ensureAuthURLHasAPIVersion) accepts any path that
    // begins with /v1, /v2 or /v3 as it is, appends /v<authVersion> to an empty path, and rejects
    // every other path.
    const versioned = /^\/v[123]/.exec(path);
    if (url && path !== '/' && path !== '' && !versioned) {
      problems.add('authURL', `path must be empty or begin with /v1, /v2 or /v3 (the operator rejects others: "Incorrect Auth URL"), got ${show(url.pathname)}`, 'ORS-SWIFT-003');
    } else if (url && versioned && !/^\/v[123]\/?$/.test(path)) {
      problems.warn('authURL', `path ${show(url.pathname)} is used as it is (the operator accepts any path beginning with ${versioned[0]}); make sure it is the Keystone API root, such as /v3`, 'ORS-SWIFT-W001');
    }
    if (url && versioned && authVersion !== undefined && versioned[0] !== `/v${authVersion}`) {
      problems.add('authVersion', `is "${authVersion}" but authURL's path begins with ${versioned[0]}: make them agree`, 'ORS-SWIFT-005');
    }
  }
  for (const f of ['domain', 'domainID', 'tenant', 'tenantID', 'regionName'] as const) optionalString(problems, f, props[f]);

  const creds = optionalObject(problems, 'credentials', props.credentials);
  const version = authVersion ?? '3';
  if (creds !== undefined) {
    if (!given(props.authURL)) {
      problems.add('authURL', 'is required with credentials: the operator takes the auth URL from the Config, never from the Secret (cluster-image-registry-operator#410)', 'ORS-SWIFT-006');
    }
    if (isPassword(creds)) {
      requireString(problems, 'credentials.username', creds.username, 'with password credentials');
      requireString(problems, 'credentials.password', creds.password, 'with password credentials');
      if (version === '3' && !given(props.domain) && !given(props.domainID)) {
        problems.add('domain', 'is required with password credentials on Keystone v3 (or set domainID): the operator reads it from the Config, not the Secret', 'ORS-SWIFT-007');
      }
      if (!given(props.tenant) && !given(props.tenantID)) {
        problems.add('tenant', 'is required with password credentials (or set tenantID): without a project the token has no Swift endpoint', 'ORS-SWIFT-008');
      }
    } else {
      requireString(problems, 'credentials.applicationCredentialId', creds.applicationCredentialId, 'with application credentials');
      requireString(problems, 'credentials.applicationCredentialName', creds.applicationCredentialName, 'with application credentials');
      requireString(problems, 'credentials.applicationCredentialSecret', creds.applicationCredentialSecret, 'with application credentials');
    }
  }
  return finishPlan('SwiftRegistryStorage', 'swift', problems, () => ({
    storageType: 'swift',
    ...(adoption ? { adoption } : {}),
    spec: {
      ...commonSpec(props, { disableRedirect: true }),
      storage: compact({
        managementState: storageState(props, given(props.container)),
        swift: compact({
          container,
          authURL,
          authVersion,
          domain: props.domain,
          domainID: props.domainID,
          tenant: props.tenant,
          tenantID: props.tenantID,
          regionName: props.regionName,
        }),
      }),
    },
    secret: creds && userSecret(credentialSecretData(SWIFT_SECRET_KEYS, { ...creds })),
    objects: [],
  }));
}

/** A Keystone application-credential access rule. */
export interface SwiftAccessRule {
  readonly service: 'object-store';
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
}

/**
 * Access rules that limit an application credential to one Swift container, plus what the
 * registry's Swift driver calls besides it: `GET /info` (capabilities) and `HEAD /v1/AUTH_<project>`
 * (account info, read at start whenever the cluster offers temp URLs; an error there stops the
 * registry).
 *
 * Access rules work only when Swift's keystonemiddleware has `service_type` set (`object-store`):
 * without it, every request of a restricted application credential is refused.
 *
 * @see https://github.com/openshift/image-registry (vendored distribution Swift driver, swift.go)
 * @see https://docs.openstack.org/keystone/latest/user/application_credentials.html#access-rules
 */
export function swiftContainerAccessRules(container: string): SwiftAccessRule[] {
  const methods = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;
  return [
    { service: 'object-store', method: 'GET', path: '/info' },
    { service: 'object-store', method: 'HEAD', path: '/v1/*' },
    ...methods.flatMap((method) => [
      { service: 'object-store' as const, method, path: `/v1/*/${container}` },
      { service: 'object-store' as const, method, path: `/v1/*/${container}/**` },
    ]),
  ];
}

/**
 * The container name the library gives a container it creates without a given name:
 * `<name>-image-registry-<8 hex digits of a hash of seed>`. The Pulumi flavour seeds it with
 * project, stack and name, so two stacks of one project do not share (and fight over) a container.
 */
export function swiftContainerName(name: string, seed: string): string {
  return `${name}-image-registry-${shortHash(seed, 8)}`;
}
