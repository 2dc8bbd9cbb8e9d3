/**
 * Snapshot helpers for Pulumi programs, on `pulumi.runtime.setMocks` (no CLI, no cloud).
 */
import * as pulumi from '@pulumi/pulumi';
import { RESOLVED_PROBLEM_SINK } from '../pulumi/resolved-problems';

/** What a recorded resource looks like: stable, sorted, secrets redacted. */
export interface CapturedResource {
  /** Resource type token, e.g. `aws:s3/bucket:Bucket`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Logical name of the parent, if any (the stack is left out). */
  readonly parent?: string;
  /** Logical names of the explicit and implicit dependencies, sorted. */
  readonly dependencies: readonly string[];
  /** Logical name of the explicit provider, if any (default providers are left out). */
  readonly provider?: string;
  /** True when the resource is kept on delete. */
  readonly retainOnDelete: boolean;
  /**
   * Former names the resource answers to (its `aliases` that rename it), sorted; present only when
   * it has some.
   */
  readonly aliases?: readonly string[];
  /** Inputs as registered; every secret value is replaced by `'[secret]'`. */
  readonly inputs: Record<string, unknown>;
  /**
   * For a read of an existing resource (`Resource.get`, a resource with the `id` option), the ID
   * read; `'[unknown]'` while it is unknown (a preview reads nothing then). Absent for registrations.
   */
  readonly readId?: string;
  /** For a resource registered with the `import` resource option, the ID it imports. */
  readonly importId?: string;
  /** Its `ignoreChanges` resource option, when given. */
  readonly ignoreChanges?: readonly string[];
}

/** Options of {@link capturePulumiProgram}. */
export interface CaptureOptions {
  /**
   * Results of provider function calls (`aws:index/getRegion:getRegion`, ...), by token. They
   * replace the defaults of the same token ({@link DEFAULT_MOCK_CALLS}).
   * @default {@link DEFAULT_MOCK_CALLS}: every function the components call; others return `{}`
   */
  readonly calls?: Record<string, (inputs: Record<string, any>) => Record<string, unknown>>;
  /**
   * Extra output state of new resources, by type token, merged over the inputs. They replace the
   * defaults of the same token ({@link DEFAULT_MOCK_STATE}).
   * @default {@link DEFAULT_MOCK_STATE}, over name-derived `id`, `arn` and `name`
   */
  readonly state?: Record<string, (name: string, inputs: Record<string, any>) => Record<string, unknown>>;
  /**
   * How long to wait for the program's registrations to finish before failing.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /** Project name (what `new pulumi.Config()` reads under). @default 'project' */
  readonly project?: string;
  /**
   * Configuration the program reads, by key without the project prefix (`bucket`) or with a
   * namespace (`aws:region`).
   * @default none
   */
  readonly config?: Record<string, string>;
  /** @default 'stack' */
  readonly stack?: string;
  /**
   * Run as `pulumi preview` of a stack that does not exist yet: the IDs of new resources are unknown,
   * as the engine leaves them, and a read whose ID is unknown returns no state.
   * @default false (`pulumi up`)
   */
  readonly preview?: boolean;
  /**
   * IDs of new resources, by logical name (`key`) or `<type>::<name>`, so a test can snapshot an
   * input made of another resource's ID (`keyID: key.id`). Others get `<name>-id` (Kubernetes
   * objects `<namespace>/<name>`).
   * @default none
   */
  readonly ids?: Record<string, string>;
}

/** Pulumi's auto-name suffix, fixed so that snapshots are stable. */
const SUFFIX = '1a2b3c4';

/**
 * Results of every provider function the components call, shaped like the real providers'
 * answers (values are placeholders), so a user's snapshot test needs no mocks of its own.
 */
export const DEFAULT_MOCK_CALLS: Readonly<Record<string, (inputs: Record<string, any>) => Record<string, unknown>>> = {
  'aws:index/getRegion:getRegion': () => ({ id: 'us-east-1', name: 'us-east-1', region: 'us-east-1' }),
  'gcp:organizations/getClientConfig:getClientConfig': () => ({ id: 'mock-project', project: 'mock-project', region: 'us-central1', zone: 'us-central1-a', accessToken: 'mock-token' }),
  'gcp:storage/getProjectServiceAccount:getProjectServiceAccount': () => ({ emailAddress: 'service-123456789012@gs-project-accounts.iam.gserviceaccount.com', member: 'serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com' }),
  'azure-native:storage:listStorageAccountKeys': () => ({
    keys: [
      { keyName: 'key1', value: 'mock-account-key-1', permissions: 'FULL' },
      { keyName: 'key2', value: 'mock-account-key-2', permissions: 'FULL' },
    ],
  }),
  'azure-native:storage:getStorageAccount': (inputs) => ({
    name: inputs.accountName,
    primaryEndpoints: { blob: `https://${inputs.accountName}.blob.core.windows.net/` },
  }),
};

/**
 * Output state of every resource type the components read outputs of, shaped like the real
 * providers' (auto-names with a fixed suffix, ARNs, emails, key material placeholders).
 */
export const DEFAULT_MOCK_STATE: Readonly<Record<string, (name: string, inputs: Record<string, any>) => Record<string, unknown>>> = {
  'aws:s3/bucket:Bucket': (name, inputs) => {
    const bucket = inputs.bucket ?? `${name}-${SUFFIX}`;
    return { bucket, arn: `arn:aws:s3:::${bucket}`, id: bucket };
  },
  'aws:iam/user:User': (name, inputs) => {
    const userName = inputs.name ?? `${name}-${SUFFIX}`;
    return { name: userName, arn: `arn:aws:iam::123456789012:user/${userName}` };
  },
  'aws:iam/accessKey:AccessKey': () => ({ secret: 'mock-secret-access-key' }),
  'gcp:storage/bucket:Bucket': (name, inputs) => ({ name: inputs.name ?? `${name}-${SUFFIX}` }),
  'gcp:serviceaccount/account:Account': (_name, inputs) => {
    const email = `${inputs.accountId}@${inputs.project ?? 'mock-project'}.iam.gserviceaccount.com`;
    return { email, name: `projects/${inputs.project ?? 'mock-project'}/serviceAccounts/${email}`, member: `serviceAccount:${email}` };
  },
  'gcp:serviceaccount/key:Key': () => ({
    privateKey: Buffer.from(JSON.stringify({ type: 'service_account', project_id: 'mock-project', private_key: 'mock-private-key' })).toString('base64'),
  }),
  'azure-native:storage:StorageAccount': (name, inputs) => {
    const accountName = inputs.accountName ?? `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}${SUFFIX}`;
    return { name: accountName, primaryEndpoints: { blob: `https://${accountName}.blob.core.windows.net/` } };
  },
  'azure-native:storage:BlobContainer': (name, inputs) => ({ name: inputs.containerName ?? name }),
  // A read Secret (no inputs): the keys of the cluster's installer-cloud-credentials, as ccoctl writes
  // them on STS, WIF and Workload Identity clusters, and those an ObjectBucketClaim's provisioner writes.
  'kubernetes:core/v1:Secret': (_name, inputs) => (inputs.data === undefined && inputs.stringData === undefined ? {
    data: {
      'AWS_ACCESS_KEY_ID': Buffer.from('MOCKOBCACCESSKEY').toString('base64'),
      'AWS_SECRET_ACCESS_KEY': Buffer.from('mock-obc-secret-key').toString('base64'),
      'credentials': Buffer.from('[default]\nrole_arn = arn:aws:iam::123456789012:role/mock-openshift-image-registry-installer-cloud-credentials\n'
        + 'web_identity_token_file = /var/run/secrets/openshift/serviceaccount/token\n').toString('base64'),
      'service_account.json': Buffer.from(JSON.stringify({
        type: 'external_account',
        audience: '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/mock/providers/mock',
        service_account_impersonation_url: 'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/mock-openshift-i-abcde@mock-project.iam.gserviceaccount.com:generateAccessToken',
        credential_source: { file: '/var/run/secrets/openshift/serviceaccount/token' },
      })).toString('base64'),
    },
  } : {}),
  // The cluster's Infrastructure: a highly available AWS cluster.
  'kubernetes:config.openshift.io/v1:Infrastructure': () => ({
    status: { infrastructureTopology: 'HighlyAvailable', controlPlaneTopology: 'HighlyAvailable', platformStatus: { type: 'AWS', aws: { region: 'us-east-1' } } },
  }),
  // The release payload's oc, read from openshift/cli:latest (a digest pull spec).
  'kubernetes:image.openshift.io/v1:ImageStreamTag': () => ({
    image: { dockerImageReference: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:0000000000000000000000000000000000000000000000000000000000000c11' },
  }),
  'openstack:objectstorage/container:Container': (name, inputs) => ({ name: inputs.name ?? name }),
  'openstack:identity/applicationCredential:ApplicationCredential': (name, inputs) => ({ name: inputs.name ?? name, secret: 'mock-application-credential-secret' }),
};

const SIG = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const RESOURCE_SIG = '5cf8f73096256a8f31e491e813e4eb8e';
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** The ID pulumi-kubernetes gives an object it creates: `<namespace>/<name>`, or `<name>` (`provider/util.go` `fqName`). */
function kubernetesId(type: string, inputs: Record<string, any>): string | undefined {
  const name = inputs?.metadata?.name;
  if (!type.startsWith('kubernetes:') || typeof name !== 'string') return undefined;
  const namespace = inputs.metadata.namespace;
  return typeof namespace === 'string' && namespace !== '' ? `${namespace}/${name}` : name;
}

/** `urn:pulumi:stack::project::a$b::name` -> `name` */
function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf('::') + 2);
}

function redact(v: unknown): unknown {
  if (v === UNKNOWN) return '[unknown]';
  if (Array.isArray(v)) return v.map(redact);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if (o[SIG] === SECRET_SIG) return '[secret]';
  if (o[SIG] === RESOURCE_SIG) return { resource: nameOf(String(o.urn)) };
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, redact(o[k])]));
}

/** `v` with every secret replaced by its value: what the mock state and calls compute from. */
function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if (o[SIG] === SECRET_SIG) return unwrapSecrets(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
}

/** The logical name in a provider reference (`<urn>::<id>`). */
function providerRefName(ref: string | undefined): string | undefined {
  return ref ? nameOf(ref.split('::').slice(0, -1).join('::')) : undefined;
}

let installed: { records: CapturedResource[]; options: CaptureOptions } | undefined;

function install(options: CaptureOptions): { records: CapturedResource[]; options: CaptureOptions } {
  const state = { records: [] as CapturedResource[], options };
  const project = options.project ?? 'project';
  for (const [key, value] of Object.entries(options.config ?? {})) {
    pulumi.runtime.setConfig(key.includes(':') ? key : `${project}:${key}`, value);
  }
  const preview = options.preview ?? false;
  // The regions of the aws providers the program made, by logical name: getRegion answers with the
  // region of the provider it is called with, as the engine would.
  const awsRegions = new Map<string, string>();
  void pulumi.runtime.setMocks({
    newResource: (args) => {
      // A read whose ID is unknown (only in a preview): the engine reads nothing.
      if (args.id === UNKNOWN) return { id: undefined, state: {} };
      const inputs = unwrapSecrets(args.inputs) as Record<string, any>;
      if (args.type === 'pulumi:providers:aws' && typeof inputs.region === 'string') awsRegions.set(args.name, inputs.region);
      const extra = (state.options.state?.[args.type] ?? DEFAULT_MOCK_STATE[args.type])?.(args.name, inputs) ?? {};
      const given = state.options.ids?.[`${args.type}::${args.name}`] ?? state.options.ids?.[args.name];
      return {
        // In a preview, a resource that does not exist yet has no ID.
        id: args.id ? args.id : preview ? '' : given ?? kubernetesId(args.type, inputs) ?? `${args.name}-id`,
        state: { name: args.name, arn: `arn:mock:${args.type}:${args.name}`, ...args.inputs, ...extra },
      };
    },
    call: (args) => {
      const own = state.options.calls?.[args.token];
      const region = args.token === 'aws:index/getRegion:getRegion' ? awsRegions.get(providerRefName(args.provider) ?? '') : undefined;
      if (!own && region !== undefined) return { id: region, name: region, region };
      return (own ?? DEFAULT_MOCK_CALLS[args.token])?.(unwrapSecrets(args.inputs) as Record<string, any>) ?? {};
    },
  }, project, options.stack ?? 'stack', preview);
  const monitor = pulumi.runtime.getMonitor() as any;
  // What every request names: type, name, parent, explicit provider, dependencies.
  const common = (req: any) => {
    const parent = req.getParent();
    const provider: string = req.getProvider?.() ?? '';
    const providerName = provider && !provider.includes('::default') ? nameOf(provider.split('::').slice(0, -1).join('::')) : undefined;
    return {
      type: req.getType() as string,
      name: req.getName() as string,
      ...(parent && !parent.includes('pulumi:pulumi:Stack') ? { parent: nameOf(parent) } : {}),
      ...(providerName ? { provider: providerName } : {}),
      dependencies: [...new Set<string>(req.getDependenciesList().map(nameOf))].sort(),
    };
  };
  const read = monitor.readResource.bind(monitor);
  monitor.readResource = (req: any, callback: any) => {
    state.records.push({
      ...common(req),
      retainOnDelete: false,
      inputs: redact(req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      readId: String(redact(req.getId())),
    });
    return read(req, callback);
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    state.records.push({
      ...common(req),
      retainOnDelete: req.getRetainondelete?.() === true,
      ...aliasNames(req),
      ...(req.getImportid?.() ? { importId: String(req.getImportid()) } : {}),
      ...(req.getIgnorechangesList?.()?.length ? { ignoreChanges: [...req.getIgnorechangesList()] } : {}),
      inputs: redact(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
    });
    return register(req, callback);
  };
  return state;
}

/** The names of a registration's aliases (structured specs or URNs), when it has some. */
function aliasNames(req: any): { aliases?: string[] } {
  const names = new Set<string>();
  for (const a of req.getAliasesList?.() ?? []) {
    const name = a.getSpec?.()?.getName?.() || (a.getUrn?.() ? nameOf(a.getUrn()) : '');
    if (name) names.add(name);
  }
  for (const urn of req.getAliasurnsList?.() ?? []) names.add(nameOf(urn));
  return names.size > 0 ? { aliases: [...names].sort() } : {};
}

/**
 * Runs `program` under Pulumi mocks and returns every resource it registered, sorted by type and
 * name, with secret values replaced by `'[secret]'`: ready for `toMatchSnapshot()`. Each call
 * installs fresh mocks; run programs one after another, not in parallel. Every provider function
 * and resource output the components read has a default mock ({@link DEFAULT_MOCK_CALLS},
 * {@link DEFAULT_MOCK_STATE}), so no mocks of your own are needed.
 *
 * A program that is a module (`require('./index')`) runs once per Node module cache: wrap it in
 * `jest.isolateModules` to run it again in the same test file.
 *
 * @example
 * const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', { bucket: 'b' }), {
 *   calls: { 'aws:index/getRegion:getRegion': () => ({ region: 'eu-west-1', name: 'eu-west-1' }) },
 * });
 * expect(resources).toMatchSnapshot();
 */
export async function capturePulumiProgram(program: () => unknown, options: CaptureOptions = {}): Promise<CapturedResource[]> {
  installed = install(options);
  const failures: unknown[] = [];
  let failed: (e: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => {
    failed = (e) => {
      failures.push(e);
      reject(e);
    };
  });
  failure.catch(() => undefined);
  // Problems the components find once Outputs resolve (replicas: pulumi.output(0), ...); and, where
  // the runner lets the program see them (not under jest), any rejection inside the program.
  const sinks = globalThis as { [RESOLVED_PROBLEM_SINK]?: (e: unknown) => void };
  sinks[RESOLVED_PROBLEM_SINK] = failed;
  const onRejection = (e: unknown) => failed(e);
  process.on('unhandledRejection', onRejection);
  try {
    try {
      await program();
    } catch (e) {
      // What registered before the throw (the component itself) finishes here, not in the next capture.
      await settle(options.timeoutMs ?? 10_000).catch(() => undefined);
      throw new PulumiProgramError(`the program threw under Pulumi mocks: ${(e as Error)?.message ?? String(e)}`, e, sorted(installed.records));
    }
    try {
      await settle(options.timeoutMs ?? 10_000, failure);
    } catch (e) {
      if (failures.length === 0) throw e;
      await drain(failures);
      const first = failures[0] as Error;
      throw new PulumiProgramError(`the program failed under Pulumi mocks once its Outputs resolved: ${cleanMessage(first)}`, first,
        sorted(installed.records));
    }
  } finally {
    delete sinks[RESOLVED_PROBLEM_SINK];
    process.off('unhandledRejection', onRejection);
  }
  return sorted(installed.records);
}

function sorted(records: readonly CapturedResource[]): CapturedResource[] {
  return [...records].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

/**
 * What {@link capturePulumiProgram} throws when the program throws, or fails once its Outputs
 * resolve (a component's props were invalid): the first error as `cause`, and what had registered.
 */
export class PulumiProgramError extends Error {
  constructor(message: string, cause: unknown,
    /** The resources registered before the failure, as {@link capturePulumiProgram} returns them. */
    public readonly resources: readonly CapturedResource[]) {
    super(message, { cause });
    this.name = 'PulumiProgramError';
  }
}

/**
 * Waits until the children that depend on a failed check have failed too (each rejects once), so
 * that their rejections land within this capture: a runner attributes them to the running test,
 * and a plain Node process would otherwise exit on them after the listener is gone.
 */
async function drain(failures: readonly unknown[]): Promise<void> {
  let quiet = 0;
  for (let turns = 0; quiet < 5 && turns < 200; turns++) {
    const before = failures.length;
    await new Promise((r) => setTimeout(r, 5));
    quiet = failures.length === before ? quiet + 1 : 0;
  }
}

/**
 * The message of an error from a resource's registration: `@pulumi/pulumi` prefixes it with the
 * path of the property that carried it (`error serializing property "spec": ...`), once per level.
 */
function cleanMessage(e: unknown): string {
  const message = (e as Error)?.message ?? String(e);
  return message.replace(/^(error serializing property "[^"]*": )+/, '');
}

/**
 * Waits until the runtime has no registration in flight. `waitForRPCs` is marked internal in
 * `@pulumi/pulumi`; without it, yield to the event loop until the record count is stable.
 */
async function settle(timeoutMs: number, failure?: Promise<never>): Promise<void> {
  const wait = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the program did not settle within ${timeoutMs} ms: an Output never resolved `
      + '(a mocked resource may lack an output the program reads: add it with options.state), or an apply threw '
      + '(under jest, the runner reports that error with the test)')), timeoutMs);
  });
  try {
    let seen = -1;
    while (seen !== installed!.records.length) {
      seen = installed!.records.length;
      if (wait) await Promise.race([wait(), timeout, ...(failure ? [failure] : [])]);
      await Promise.race([new Promise((r) => setTimeout(r, 0)), ...(failure ? [failure] : [])]);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves an Output's value under mocks (for assertions). */
export function outputValue<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => {
    resolve(v);
    return v;
  }));
}
