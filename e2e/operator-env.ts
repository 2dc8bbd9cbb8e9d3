/**
 * The operator's translation of a Config and the user Secret into the registry container's
 * environment, volumes and private Secret, written from the operator's source so that the e2e
 * suite feeds the real registry exactly what a cluster would. Where the operator would refuse the
 * Config or the Secret, {@link operatorRegistryEnv} throws an {@link OperatorRefusal} carrying the
 * operator's own message.
 *
 * Source: openshift/cluster-image-registry-operator at commit
 * 02bb5c2cd4d5f4d277cf987d6f65e58a732aefee (2026-07-23):
 * - pkg/storage/storage.go         NewDriver: exactly one storage block, else ErrStorageNotConfigured / MultiStoragesError
 * - pkg/storage/swift/swift.go     GetConfig (user Secret keys), ConfigEnv, ensureAuthURLHasAPIVersion
 * - pkg/storage/s3/s3.go           UpdateEffectiveConfig, ConfigEnv, getCredentialsConfigData,
 *                                  sharedCredentialsDataFromStaticCreds, Volumes, useDualStack
 * - pkg/storage/pvc/pvc.go         ConfigEnv, Volumes (rootDirectory "/registry")
 * - pkg/storage/emptydir/emptydir.go ConfigEnv, Volumes
 * - pkg/envvar/envvar.go           EnvValue: every value is YAML-encoded (gopkg.in/yaml.v2)
 * - pkg/resource/podtemplatespec.go makePodTemplateSpec: the common variables, disableRedirect, readOnly
 * - pkg/defaults/defaults.go       names (image-registry-private-configuration, image-registry-storage)
 *
 * Not modelled (the e2e does not use them; the translator throws {@link NotModelled} rather than guess):
 * S3 CloudFront, storage the operator would create and name itself (an empty bucket or container),
 * GCS, Azure and IBM COS, clouds.yaml / installer credentials for Swift, TLS and proxy settings.
 */

/** The operator would refuse this Config or Secret; `message` is the operator's. */
export class OperatorRefusal extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'OperatorRefusal';
  }
}

/** The Config uses something this translator does not model; the e2e fails rather than guess. */
export class NotModelled extends Error {
  public constructor(message: string) {
    super(`not modelled by the e2e translator: ${message}`);
    this.name = 'NotModelled';
  }
}

/** A container variable: a literal value or a key of the operator's private Secret. */
export interface RegistryEnvVar {
  readonly name: string;
  readonly value?: string;
  /** Key in `image-registry-private-configuration` (the operator names the key after the variable). */
  readonly secretKey?: string;
}

export interface RegistryVolume {
  readonly name: string;
  readonly mountPath: string;
  /** Files of a Secret volume: file name -> content. */
  readonly files?: Readonly<Record<string, string>>;
  readonly claim?: string;
  readonly emptyDir?: boolean;
}

export interface RegistryPodConfig {
  readonly storage: 'swift' | 's3' | 'filesystem';
  readonly env: readonly RegistryEnvVar[];
  /** Data of `image-registry-private-configuration` (the Secret the operator writes for the pod). */
  readonly privateSecretData: Readonly<Record<string, string>>;
  readonly volumes: readonly RegistryVolume[];
}

/** What the translator needs to know about the cluster (the Infrastructure object). */
export interface ClusterFacts {
  /** `status.platformStatus.type`: `AWS`, `OpenStack`, `BareMetal`, `None`... @default 'None' */
  readonly platform?: string;
  /** `status.platformStatus.aws.region` on AWS. */
  readonly awsRegion?: string;
}

/** A Secret as applied: `data` (base64) and `stringData` merged the way the API server does. */
export function secretValues(
  secret: { data?: Record<string, string>; stringData?: Record<string, string> } | undefined,
): Record<string, string> | undefined {
  if (!secret) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
  return out;
}

// YAML 1.1 words yaml.v2 quotes so that they stay strings.
const YAML11_SPECIAL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;
const YAML_NUMBER = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;

/**
 * `envvar.EnvVar.EnvValue`: `yaml.Marshal(value)` without the trailing newline. Strings that YAML
 * would read as another type, or that cannot be plain scalars, are double-quoted as yaml.v2 does.
 */
export function goYamlValue(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (value === '') return '""';
  const needsQuotes = YAML11_SPECIAL.test(value) || YAML_NUMBER.test(value)
    || /^[\s!&*\-?:,[\]{}#|>@`"'%]/.test(value) || /\s$/.test(value) || /: |\s#|[\n\t\r]/.test(value);
  return needsQuotes ? JSON.stringify(value) : value;
}

const STORAGE_ORDER: ReadonlyArray<[string, string]> = [
  // pkg/storage/storage.go NewDriver's order and names
  ['emptyDir', 'EmptyDir'], ['s3', 'S3'], ['swift', 'Swift'], ['gcs', 'GCS'], ['ibmcos', 'IBMCOS'], ['pvc', 'PVC'], ['azure', 'Azure'],
];

const PRIVATE_SECRET = 'image-registry-private-configuration';
const USER_SECRET_REF = 'openshift-image-registry/image-registry-private-configuration-user';

type Spec = Record<string, any>;

/**
 * The registry pod's storage configuration for a live Config (`spec`) and the user Secret's
 * values (`undefined` when there is no Secret), as the operator builds it.
 */
export function operatorRegistryEnv(spec: Spec, userSecret: Record<string, string> | undefined, cluster: ClusterFacts = {}): RegistryPodConfig {
  if (spec.managementState === 'Removed') throw new OperatorRefusal('managementState is Removed: the operator removes the registry deployment');
  const storage: Spec = spec.storage ?? {};
  const configured = STORAGE_ORDER.filter(([field]) => storage[field] !== undefined && storage[field] !== null);
  if (configured.length === 0) throw new OperatorRefusal('storage backend not configured');
  if (configured.length > 1) {
    throw new OperatorRefusal(`exactly one storage type should be configured at the same time, got ${configured.length}: [${configured.map(([, n]) => n).join(' ')}]`);
  }
  const [field] = configured[0];
  const driver = field === 'swift' ? swiftDriver(storage.swift, userSecret)
    : field === 's3' ? s3Driver(storage.s3, userSecret, cluster)
      : field === 'pvc' ? pvcDriver(storage.pvc)
        : field === 'emptyDir' ? emptyDirDriver()
          : undefined;
  if (!driver) throw new NotModelled(`${configured[0][1]} storage`);

  // envvar.List.EnvVars: Secret values become secretKeyRefs to the private Secret, keyed by name.
  const env: RegistryEnvVar[] = [];
  const privateSecretData: Record<string, string> = { ...driver.volumeSecrets };
  for (const e of driver.envs) {
    const encoded = goYamlValue(e.value);
    if (e.secret) {
      env.push({ name: e.name, secretKey: e.name });
      privateSecretData[e.name] = encoded;
    } else {
      env.push({ name: e.name, value: encoded });
    }
  }
  // podtemplatespec.go makePodTemplateSpec: the variables every registry gets (those that matter
  // to storage and to a standalone registry; REGISTRY_OPENSHIFT_* are read by OpenShift's fork only).
  env.push(
    { name: 'REGISTRY_HTTP_ADDR', value: ':5000' },
    { name: 'REGISTRY_HTTP_NET', value: 'tcp' },
    { name: 'REGISTRY_HTTP_SECRET', value: spec.httpSecret ?? '' },
    { name: 'REGISTRY_LOG_LEVEL', value: logLevel(spec) },
    { name: 'REGISTRY_OPENSHIFT_QUOTA_ENABLED', value: 'true' },
    { name: 'REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR', value: 'inmemory' },
    { name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'true' },
    { name: 'REGISTRY_HEALTH_STORAGEDRIVER_ENABLED', value: 'true' },
    { name: 'REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL', value: '10s' },
    { name: 'REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD', value: '1' },
    { name: 'REGISTRY_OPENSHIFT_METRICS_ENABLED', value: 'true' },
    { name: 'REGISTRY_OPENSHIFT_SERVER_ADDR', value: 'image-registry.openshift-image-registry.svc:5000' },
  );
  if (spec.readOnly === true) env.push({ name: 'REGISTRY_STORAGE_MAINTENANCE_READONLY', value: '{enabled: true}' });
  if (spec.disableRedirect === true) env.push({ name: 'REGISTRY_STORAGE_REDIRECT_DISABLE', value: 'true' });
  return { storage: driver.storage, env, privateSecretData, volumes: driver.volumes };
}

function logLevel(spec: Spec): string {
  if (['Debug', 'Trace', 'TraceAll'].includes(spec.logLevel)) return 'debug';
  const logging = spec.logging ?? 0;
  if (logging === 1) return 'warn';
  if ([0, 2, 3].includes(logging)) return 'info';
  return 'debug';
}

interface DriverEnv { readonly name: string; readonly value: string | number | boolean; readonly secret?: boolean }
interface Driver {
  readonly storage: RegistryPodConfig['storage'];
  readonly envs: DriverEnv[];
  readonly volumes: RegistryVolume[];
  readonly volumeSecrets?: Record<string, string>;
}

/** pkg/storage/swift/swift.go: GetConfig, ConfigEnv. */
function swiftDriver(cfg: Spec, userSecret: Record<string, string> | undefined): Driver {
  if (!userSecret) {
    // GetConfig falls back to installer-cloud-credentials' clouds.yaml, which only a cluster has.
    throw new NotModelled('Swift credentials from the cluster\'s clouds.yaml (installer-cloud-credentials): give the plan credentials');
  }
  const v = (k: string) => userSecret[k] ?? '';
  const username = v('REGISTRY_STORAGE_SWIFT_USERNAME');
  const password = v('REGISTRY_STORAGE_SWIFT_PASSWORD');
  const appId = v('REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID');
  const appName = v('REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME');
  const appSecret = v('REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET');
  const token = v('REGISTRY_STORAGE_SWIFT_TOKENID');
  if (!(username && password) && !(appId && appName && appSecret) && !token) {
    throw new OperatorRefusal(`secret "${USER_SECRET_REF}" does not contain required keys 'REGISTRY_STORAGE_SWIFT_USERNAME' and 'REGISTRY_STORAGE_SWIFT_PASSWORD'; `
      + 'or \'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID\', \'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME\' and '
      + '\'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET\'; or \'REGISTRY_STORAGE_SWIFT_TOKENID\'');
  }
  if (!cfg.container) throw new NotModelled('a container the operator would create and name (set container)');
  const authVersionStr = cfg.authVersion || '3';
  const authVersion = Number.parseInt(authVersionStr, 10);
  if (!/^[-+]?\d+$/.test(authVersionStr)) throw new OperatorRefusal(`unable to parse authVersion: strconv.Atoi: parsing "${authVersionStr}": invalid syntax`);
  const authURL = ensureAuthURLHasAPIVersion(cfg.authURL ?? '', authVersionStr);
  const envs: DriverEnv[] = [
    { name: 'REGISTRY_STORAGE', value: 'swift' },
    { name: 'REGISTRY_STORAGE_SWIFT_CONTAINER', value: cfg.container },
    { name: 'REGISTRY_STORAGE_SWIFT_AUTHURL', value: authURL },
    { name: 'REGISTRY_STORAGE_SWIFT_USERNAME', value: username, secret: true },
    { name: 'REGISTRY_STORAGE_SWIFT_PASSWORD', value: password, secret: true },
    { name: 'REGISTRY_STORAGE_SWIFT_TOKENID', value: token, secret: true },
    { name: 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID', value: appId, secret: true },
    { name: 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME', value: appName, secret: true },
    { name: 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET', value: appSecret, secret: true },
    { name: 'REGISTRY_STORAGE_SWIFT_AUTHVERSION', value: authVersion },
  ];
  if (cfg.domain) envs.push({ name: 'REGISTRY_STORAGE_SWIFT_DOMAIN', value: cfg.domain });
  if (cfg.domainID) envs.push({ name: 'REGISTRY_STORAGE_SWIFT_DOMAINID', value: cfg.domainID });
  if (cfg.tenant) envs.push({ name: 'REGISTRY_STORAGE_SWIFT_TENANT', value: cfg.tenant });
  if (cfg.tenantID) envs.push({ name: 'REGISTRY_STORAGE_SWIFT_TENANTID', value: cfg.tenantID });
  if (cfg.regionName) envs.push({ name: 'REGISTRY_STORAGE_SWIFT_REGION', value: cfg.regionName });
  return { storage: 'swift', envs, volumes: [] };
}

/**
 * swift.go ensureAuthURLHasAPIVersion. urlx.NormalizeString lower-cases the scheme and host and
 * adds `http://` to a URL without a scheme; a URL that does not parse is refused.
 */
export function ensureAuthURLHasAPIVersion(authURL: string, authVersion: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(authURL) ? authURL : `http://${authURL}`);
  } catch {
    throw new OperatorRefusal(`parse "${authURL}": invalid URL`);
  }
  if (authURL === '') throw new OperatorRefusal('empty url');
  const normalized = `${url.protocol}//${url.host}${url.pathname === '/' && !authURL.endsWith('/') ? '' : url.pathname}${url.search}`;
  const p = url.pathname;
  if (p.startsWith('/v1') || p.startsWith('/v2') || p.startsWith('/v3')) return normalized;
  if (!(p === '/' || p === '')) throw new OperatorRefusal(`Incorrect Auth URL: ${p}`);
  return `${normalized.endsWith('/') ? normalized : `${normalized}/`}v${authVersion}`;
}

const S3_SECRET_MOUNT = '/var/run/secrets/cloud';
const S3_SECRET_FILE = 'credentials';

/** pkg/storage/s3/s3.go: UpdateEffectiveConfig, ConfigEnv, getCredentialsConfigData, Volumes. */
function s3Driver(config: Spec, userSecret: Record<string, string> | undefined, cluster: ClusterFacts): Driver {
  const cfg: Spec = { ...config };
  // UpdateEffectiveConfig: with neither region nor regionEndpoint, the cluster's AWS values.
  if (!cfg.region && !cfg.regionEndpoint) {
    cfg.region = cluster.platform === 'AWS' ? cluster.awsRegion ?? '' : '';
  }
  if (!cfg.bucket) throw new NotModelled('a bucket the operator would create and name (set bucket)');
  if (cfg.cloudFront) throw new NotModelled('CloudFront');
  // getCredentialsConfigData: the user Secret's two keys, as a shared credentials file.
  if (!userSecret) {
    // getCredentialsConfigData falls back to installer-cloud-credentials, which only a cluster has.
    throw new NotModelled('S3 credentials from the cluster (installer-cloud-credentials): give the plan credentials');
  }
  for (const key of ['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']) {
    if (!(key in userSecret)) throw new OperatorRefusal(`secret "${USER_SECRET_REF}" does not contain required key "${key}"`);
  }
  const credentials = `[default]\naws_access_key_id = ${userSecret.REGISTRY_STORAGE_S3_ACCESSKEY}\naws_secret_access_key = ${userSecret.REGISTRY_STORAGE_S3_SECRETKEY}\n`;
  const envs: DriverEnv[] = [];
  if (cfg.regionEndpoint) envs.push({ name: 'REGISTRY_STORAGE_S3_REGIONENDPOINT', value: cfg.regionEndpoint });
  if (cfg.keyID) envs.push({ name: 'REGISTRY_STORAGE_S3_KEYID', value: cfg.keyID });
  const chunk = cfg.chunkSizeMiB ?? 0;
  if (chunk > 4 && chunk < 5121) envs.push({ name: 'REGISTRY_STORAGE_S3_CHUNKSIZE', value: chunk * 1024 * 1024 });
  envs.push(
    { name: 'REGISTRY_STORAGE', value: 's3' },
    { name: 'REGISTRY_STORAGE_S3_BUCKET', value: cfg.bucket },
    { name: 'REGISTRY_STORAGE_S3_REGION', value: cfg.region ?? '' },
    { name: 'REGISTRY_STORAGE_S3_ENCRYPT', value: cfg.encrypt === true },
    { name: 'REGISTRY_STORAGE_S3_FORCEPATHSTYLE', value: cfg.virtualHostedStyle !== true },
    { name: 'REGISTRY_STORAGE_S3_CREDENTIALSCONFIGPATH', value: `${S3_SECRET_MOUNT}/${S3_SECRET_FILE}` },
  );
  // useDualStack: always with a regionEndpoint; otherwise when the AWS SDK knows a dual-stack
  // endpoint for the region (every commercial region: assumed here for a non-empty region).
  if (cfg.regionEndpoint || cfg.region) envs.push({ name: 'REGISTRY_STORAGE_S3_USEDUALSTACK', value: true });
  return {
    storage: 's3',
    envs,
    volumes: [{ name: PRIVATE_SECRET, mountPath: S3_SECRET_MOUNT, files: { [S3_SECRET_FILE]: credentials } }],
    volumeSecrets: { [S3_SECRET_FILE]: credentials },
  };
}

/** pkg/storage/pvc/pvc.go: the claim mounted at /registry (the operator names a claim it creates image-registry-storage). */
function pvcDriver(cfg: Spec): Driver {
  return {
    storage: 'filesystem',
    envs: [{ name: 'REGISTRY_STORAGE', value: 'filesystem' }, { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: '/registry' }],
    volumes: [{ name: 'registry-storage', mountPath: '/registry', claim: cfg.claim || 'image-registry-storage' }],
  };
}

/** pkg/storage/emptydir/emptydir.go. */
function emptyDirDriver(): Driver {
  return {
    storage: 'filesystem',
    envs: [{ name: 'REGISTRY_STORAGE', value: 'filesystem' }, { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: '/registry' }],
    volumes: [{ name: 'registry-storage', mountPath: '/registry', emptyDir: true }],
  };
}

/** The values the container sees: literal values, and secretKeyRefs resolved from the private Secret. */
export function containerEnv(pod: RegistryPodConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of pod.env) {
    if (e.secretKey !== undefined) {
      if (!(e.secretKey in pod.privateSecretData)) throw new Error(`kubelet: couldn't find key ${e.secretKey} in Secret openshift-image-registry/${PRIVATE_SECRET}`);
      out[e.name] = pod.privateSecretData[e.secretKey];
    } else {
      out[e.name] = e.value ?? '';
    }
  }
  return out;
}
