/**
 * Google Cloud Storage: props, rules and plan. Operator behaviour:
 * https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/storage/gcs/gcs.go
 */
import { shortHash } from '../../core/names';
import {
  checkCommon, credentialMode, checkPropsShape, commonSpec, compact, credentialSecretData, finishPlan, given, optionalObject, optionalString,
  RegistryCommonProps, RegistryStoragePlan, requireString, storageState, userSecret, COMMON_PROP_NAMES, PropNames,
} from '../../core/plan';
import { Problems, RegistryConfigProblem, show } from '../../core/problems';
import { AdoptionFacts, adoptionOf } from '../adopt';

/** A Google service account key. */
export interface GcsCredentials {
  /**
   * The service account key file's JSON text (`type: service_account`, or an `external_account`
   * workload identity configuration); written to Secret key `REGISTRY_STORAGE_GCS_KEYFILE`.
   */
  readonly keyfile: string;
}

/**
 * Props of GCS registry storage; field names are the CRD's (`spec.storage.gcs`).
 * @see https://docs.openshift.com/container-platform/latest/registry/configuring_registry_storage/configuring-registry-storage-gcp-user-infrastructure.html
 */
export interface GcsStorageProps extends RegistryCommonProps {
  /**
   * Bucket name: 3-63 characters (up to 222 with dots), lowercase letters, digits, `-`, `_` and
   * `.`, starting and ending with a letter or digit, not starting with `goog` nor containing `google`.
   * @default unset: the operator creates a randomly named bucket itself and marks it Managed
   */
  readonly bucket?: string;
  /**
   * GCS location of the bucket (e.g. `us-east1`). If you set it, set `projectID` too: the operator
   * fills the project from the cluster only when the region is empty.
   * @default the cluster's region (operator)
   */
  readonly region?: string;
  /**
   * Project that holds the bucket. The operator uses it only to create the bucket: with a named,
   * existing bucket it may be left out (a warning says so when `region` is set).
   * @default the cluster's project (operator), only when `region` is unset
   */
  readonly projectID?: string;
  /**
   * Cloud KMS key for CMEK, `projects/P/locations/L/keyRings/R/cryptoKeys/K`. The operator applies
   * it only when it creates the bucket; the GCS service agent needs encrypter/decrypter on the key.
   * @default unset (Google-managed encryption)
   */
  readonly keyID?: string;
  /**
   * A service account key. It goes into `image-registry-private-configuration-user`, which then
   * replaces the cluster's credentials for the registry entirely.
   * @default unset: no Secret; the operator uses the cluster's own credentials
   */
  readonly credentials?: GcsCredentials;
}

/** Secret key the operator reads for GCS (`pkg/storage/gcs/gcs.go`). */
export const GCS_SECRET_KEYS = { keyfile: 'REGISTRY_STORAGE_GCS_KEYFILE' } as const;

/** GCS bucket naming rules; returns the problem, or undefined when the name is valid. */
export function gcsBucketNameProblem(name: string): string | undefined {
  const max = name.includes('.') ? 222 : 63;
  if (name.length < 3 || name.length > max) return `must be 3 to ${max} characters long, got ${name.length}`;
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name)) return 'may hold only lowercase letters, digits, "-", "_" and ".", and must start and end with a letter or digit';
  if (name.split('.').some((part) => part.length > 63)) return 'must not have a dot-separated part longer than 63 characters';
  if (name.startsWith('goog') || name.includes('google') || name.includes('g00gle')) return 'must not start with "goog" nor contain "google"';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not look like an IP address';
  return undefined;
}

/** @internal Every prop of {@link GcsStorageProps}: any other name is refused, naming the closest. */
export const GCS_PROP_NAMES: PropNames<GcsStorageProps> = {
  ...COMMON_PROP_NAMES,
  bucket: true,
  region: true,
  projectID: true,
  keyID: true,
  credentials: { keyfile: true },
};

/** Checks GCS props and returns the plan. Throws {@link RegistryStorageValidationError} listing every problem. */
/**
 * The bucket the operator creates on GCP (`pkg/storage/gcs/gcs.go`): named `<infraID>-image-registry-<region>-<random>`,
 * labelled `kubernetes-io-cluster-<infraID>: owned`. `openshift-install destroy cluster` deletes every
 * bucket whose name starts with `<infraID>-`, whatever its labels (installer `pkg/destroy/gcp/bucket.go`).
 */
export const GCS_ADOPTION: AdoptionFacts = {
  kind: 'gcs',
  names: { bucket: (infra) => `${infra}-image-registry-` },
  ownedMarker: (infra) => ({ kind: 'label', key: `kubernetes-io-cluster-${infra}`, value: 'owned' }),
  markerRemoval: 'the Pulumi component leaves it (pulumi-gcp manages only the labels in the program); '
    + 'remove it yourself if you like (gcloud storage buckets update gs://<bucket> --remove-labels=<key>)',
  teardown: 'it does not decide teardown: openshift-install destroy cluster deletes every bucket whose name starts with the infrastructure name, whatever its labels: '
    + 'before tearing the cluster down, move the images to a bucket of another name (migrateFrom)',
};

export function planGcsStorage(props: GcsStorageProps): RegistryStoragePlan {
  const problems = new Problems();
  props = checkPropsShape('GcsRegistryStorage', props, GCS_PROP_NAMES);
  checkCommon(props, problems);
  const adoption = adoptionOf(GCS_ADOPTION, props as any, problems);
  const bucket = optionalString(problems, 'bucket', props.bucket);
  if (bucket !== undefined) {
    const p = gcsBucketNameProblem(bucket);
    if (p) problems.add('bucket', `${show(bucket)} ${p} (GCS bucket naming rules)`, 'ORS-GCS-001');
  }
  const region = optionalString(problems, 'region', props.region);
  const projectID = optionalString(problems, 'projectID', props.projectID);
  // The operator uses projectID only to create a bucket, and fills it from the cluster only when
  // region is empty too (pkg/storage/gcs/gcs.go).
  if (given(props.region) && !given(props.projectID)) {
    if (given(props.bucket)) {
      problems.warn('projectID', 'is unset while region is set: fine for an existing bucket (the operator uses projectID only to create one), '
        + 'but if the bucket does not exist yet the operator tries to create it in an empty project and fails. Set projectID to be safe', 'ORS-GCS-W001');
    } else {
      problems.add('projectID', 'is required with region when the operator creates the bucket: it takes the project from the cluster only when region is empty too, and would otherwise create the bucket in an empty project', 'ORS-GCS-003');
    }
  }
  const keyID = optionalString(problems, 'keyID', props.keyID);
  if (keyID !== undefined && !/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.test(keyID)) {
    problems.add('keyID', `must be a Cloud KMS key name "projects/P/locations/L/keyRings/R/cryptoKeys/K", got ${show(keyID)}`, 'ORS-GCS-004');
  }
  const creds = optionalObject(problems, 'credentials', props.credentials);
  if (creds !== undefined) {
    const keyfile = requireString(problems, 'credentials.keyfile', creds.keyfile, 'with credentials: the service account key JSON');
    if (keyfile !== undefined) {
      let parsed: any;
      try {
        parsed = JSON.parse(keyfile);
      } catch {
        problems.add('credentials.keyfile', 'must be the key file\'s JSON text (not a path, not base64)', 'ORS-GCS-005');
      }
      if (parsed !== undefined && !['service_account', 'external_account'].includes(parsed?.type)) {
        // Nothing of the key file is repeated: its "type" may be any part of a pasted secret.
        const got = parsed === null || typeof parsed !== 'object' ? 'JSON that is not an object'
          : parsed.type === undefined ? 'no "type"' : 'another "type" (not repeated: it is part of a credential)';
        problems.add('credentials.keyfile', `must be a service account key ("type": "service_account") or an external_account configuration, got ${got}`, 'ORS-GCS-006');
      }
    }
  }
  return finishPlan('GcsRegistryStorage', 'gcs', problems, () => ({
    storageType: 'gcs',
    ...(adoption ? { adoption } : {}),
    spec: {
      ...commonSpec(props, {}),
      storage: compact({ managementState: storageState(props, given(props.bucket)), gcs: compact({ bucket, region, projectID, keyID }) }),
    },
    secret: creds && userSecret(credentialSecretData(GCS_SECRET_KEYS, { ...creds })),
    objects: [],
  }));
}

/**
 * Roles the registry's service account gets on its bucket only: object read/write/delete, and the
 * bucket read (`storage.buckets.get`) the operator checks the bucket with.
 */
export const GCS_REGISTRY_BUCKET_ROLES = ['roles/storage.objectAdmin', 'roles/storage.legacyBucketReader'] as const;

/** Role the GCS service agent needs on a CMEK key (`keyID`). */
export const GCS_CMEK_ROLE = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

/**
 * A valid Google service account ID (6-30 characters, `[a-z][-a-z0-9]*[a-z0-9]`) derived from a
 * name and a seed. Deterministic, so plans and snapshots are stable; the seed (the Pulumi flavour
 * passes project, stack and name) keeps two stacks that share a GCP project from colliding.
 */
export function gcpServiceAccountId(name: string, seed: string = name): string {
  const suffix = shortHash(seed, 6);
  let id = name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^[^a-z]+/, '');
  id = `${id}-registry`.replace(/^-/, '').slice(0, 30 - suffix.length - 1).replace(/-+$/, '');
  id = `${id || 'registry'}-${suffix}`;
  return /^[a-z]/.test(id) ? id : `r${id.slice(1)}`;
}

/**
 * The bucket a flavour creates for the registry, hardened: what the Pulumi flavour renders with
 * `@pulumi/gcp` and the cdk8s flavour as a Config Connector `StorageBucket`. Values are the
 * caller's (plain strings, or Pulumi Inputs), passed through.
 */
export interface GcsBucketIntent<V = string> {
  /** Bucket name; unset lets the Pulumi flavour auto-name it. */
  readonly name?: V;
  /** Location: the registry's `region`. */
  readonly location: V;
  /** Uniform bucket-level access: IAM only, no object ACLs. */
  readonly uniformBucketLevelAccess: true;
  /** Public access prevention. */
  readonly publicAccessPrevention: 'enforced';
  /** CMEK: the default KMS key (`keyID`). */
  readonly defaultKmsKeyName?: V;
  /**
   * Abort incomplete multipart uploads after 1 day (XML API multipart uploads, which the registry's
   * resumable writes can leave behind), as the S3 bucket's rule does.
   * @see https://cloud.google.com/storage/docs/lifecycle#abort-mpu
   */
  readonly lifecycleRule: { readonly action: 'AbortIncompleteMultipartUpload'; readonly ageDays: 1 };
  /** Labels. */
  readonly labels?: Readonly<Record<string, V>>;
}

/**
 * @internal What a flavour that creates the bucket (Pulumi's `createBucket`, Config Connector's
 * `provision`) needs that the Config does not: the bucket's location. One rule, in one wording.
 */
export function gcsBucketCreationProblems(props: { readonly region?: unknown }): RegistryConfigProblem[] {
  return given(props.region) ? [] : [{ path: 'region', message: 'is required to create the bucket: it is the bucket\'s location, e.g. "us-east1"', code: 'ORS-GCS-007' }];
}

/** The hardened bucket for the registry ({@link GcsBucketIntent}). */
export function gcsBucketIntent<V = string>(props: {
  readonly bucket?: V; readonly region: V; readonly keyID?: V; readonly labels?: Readonly<Record<string, V>>;
}): GcsBucketIntent<V> {
  return {
    ...(props.bucket !== undefined ? { name: props.bucket } : {}),
    location: props.region,
    uniformBucketLevelAccess: true,
    publicAccessPrevention: 'enforced',
    ...(props.keyID !== undefined ? { defaultKmsKeyName: props.keyID } : {}),
    lifecycleRule: { action: 'AbortIncompleteMultipartUpload', ageDays: 1 },
    ...(props.labels !== undefined ? { labels: props.labels } : {}),
  };
}

/**
 * How the registry authenticates to GCS, in a flavour that provisions the storage:
 * - `'cluster'`: no user Secret; the registry uses the cluster's own service account
 *   (`installer-cloud-credentials`: a Workload Identity Federation credential that impersonates it,
 *   or a minted key). ccoctl grants it the bucket and object permissions at project level, so a
 *   bucket in the cluster's project works; a bucket in another project needs a bucket binding for
 *   that service account (`registryServiceAccount`).
 * - `'service-account-key'`: a service account bound on this bucket only, and a long-lived key for
 *   it in the user Secret. Organisations created since 2024-05-03 enforce
 *   `iam.disableServiceAccountKeyCreation`, and on WIF clusters the Secret replaces the cluster's
 *   short-lived credentials.
 * - an object: this key file, in the user Secret.
 */
export type GcsCredentialMode = 'cluster' | 'service-account-key';

/** The credential modes {@link GcsCredentialMode} names. */
export const GCS_CREDENTIAL_MODES: readonly GcsCredentialMode[] = ['cluster', 'service-account-key'];

/** Props of {@link planGcsAccess}. */
export interface GcsAccessProps {
  /** @default 'cluster' */
  readonly credentials?: GcsCredentialMode | GcsCredentials;
  /**
   * Email of the service account the registry uses with the cluster's credentials (the one
   * `service_account_impersonation_url` names in `installer-cloud-credentials`).
   */
  readonly registryServiceAccount?: string;
}

/** What the registry's access needs besides the bucket, as data every flavour renders. */
export interface GcsAccessPlan {
  /** `'keys'` for a given key file. */
  readonly mode: GcsCredentialMode | 'keys';
  /**
   * Members to bind {@link GCS_REGISTRY_BUCKET_ROLES} to on the bucket: the registry's service
   * account in `'cluster'` mode, when given (bindings only add members; a bucket in another project
   * needs them, and in the cluster's project they are harmless). Binding the federated principal
   * instead is ignored: the credential impersonates the service account.
   */
  readonly bucketMembers: readonly string[];
}

/**
 * Plans how the registry reaches the bucket. Throws {@link RegistryStorageValidationError} listing
 * every problem.
 */
export function planGcsAccess(props: GcsAccessProps): GcsAccessPlan {
  const problems = new Problems();
  const creds = props.credentials;
  const mode: GcsAccessPlan['mode'] = credentialMode(problems, creds, GCS_CREDENTIAL_MODES, '{ keyfile }');
  const account = optionalString(problems, 'registryServiceAccount', props.registryServiceAccount);
  if (account !== undefined && !/^[a-z0-9-]+@[a-z0-9.-]+\.gserviceaccount\.com$/.test(account)) {
    problems.add('registryServiceAccount', `must be a service account email (name@project.iam.gserviceaccount.com), got ${show(account)}`, 'ORS-GCS-008');
  }
  problems.throwIfAny('GCS access');
  const member = given(props.registryServiceAccount) ? `serviceAccount:${account ?? '(not known yet)'}` : undefined;
  return { mode, bucketMembers: mode === 'cluster' && member !== undefined ? [member] : [] };
}

/**
 * The service account the registry uses, from `installer-cloud-credentials`' `service_account.json`:
 * the one `service_account_impersonation_url` names (Workload Identity Federation), or
 * `client_email` (a minted key).
 */
export function registryServiceAccountFromCredentials(json: string): string {
  let parsed: any;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('installer-cloud-credentials has no service_account.json in JSON: is this a GCP cluster?');
  }
  const fromUrl = /serviceAccounts\/([^/:]+@[^/:]+):generateAccessToken/.exec(String(parsed?.service_account_impersonation_url ?? ''))?.[1];
  const email = fromUrl ?? parsed?.client_email;
  if (typeof email !== 'string') throw new Error('installer-cloud-credentials names no service account (service_account_impersonation_url, client_email): give registryServiceAccount');
  return email;
}
