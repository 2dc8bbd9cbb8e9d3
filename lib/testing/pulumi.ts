/**
 * Snapshot helpers for Pulumi programs, on `pulumi.runtime.setMocks` (no CLI, no cloud).
 */
import * as pulumi from '@pulumi/pulumi';

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
  /** Inputs as registered; every secret value is replaced by `'[secret]'`. */
  readonly inputs: Record<string, unknown>;
}

/** Options of {@link capturePulumiProgram}. */
export interface CaptureOptions {
  /**
   * Results of provider function calls (`aws:index/getRegion:getRegion`, ...), by token.
   * @default none: calls return `{}`
   */
  readonly calls?: Record<string, (inputs: Record<string, any>) => Record<string, unknown>>;
  /**
   * Extra output state of new resources, by type token, merged over the inputs.
   * @default name-derived `id`, `arn` and `name`
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
}

const SIG = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const RESOURCE_SIG = '5cf8f73096256a8f31e491e813e4eb8e';
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

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

let installed: { records: CapturedResource[]; options: CaptureOptions } | undefined;

function install(options: CaptureOptions): { records: CapturedResource[]; options: CaptureOptions } {
  const state = { records: [] as CapturedResource[], options };
  const project = options.project ?? 'project';
  for (const [key, value] of Object.entries(options.config ?? {})) {
    pulumi.runtime.setConfig(key.includes(':') ? key : `${project}:${key}`, value);
  }
  void pulumi.runtime.setMocks({
    newResource: (args) => {
      const extra = state.options.state?.[args.type]?.(args.name, args.inputs) ?? {};
      return {
        id: `${args.name}-id`,
        state: { name: args.name, arn: `arn:mock:${args.type}:${args.name}`, ...args.inputs, ...extra },
      };
    },
    call: (args) => state.options.calls?.[args.token]?.(args.inputs) ?? {},
  }, project, options.stack ?? 'stack', false);
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    const parent = req.getParent();
    const provider: string = req.getProvider?.() ?? '';
    const providerName = provider && !provider.includes('::default') ? nameOf(provider.split('::').slice(0, -1).join('::')) : undefined;
    state.records.push({
      type: req.getType(),
      name: req.getName(),
      ...(parent && !parent.includes('pulumi:pulumi:Stack') ? { parent: nameOf(parent) } : {}),
      ...(providerName ? { provider: providerName } : {}),
      dependencies: [...new Set<string>(req.getDependenciesList().map(nameOf))].sort(),
      retainOnDelete: req.getRetainondelete?.() === true,
      inputs: redact(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
    });
    return register(req, callback);
  };
  return state;
}

/**
 * Runs `program` under Pulumi mocks and returns every resource it registered, sorted by type and
 * name, with secret values replaced by `'[secret]'`: ready for `toMatchSnapshot()`. Each call
 * installs fresh mocks; run programs one after another, not in parallel.
 *
 * @example
 * const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', { bucket: 'b' }), {
 *   calls: { 'aws:index/getRegion:getRegion': () => ({ region: 'eu-west-1', name: 'eu-west-1' }) },
 * });
 * expect(resources).toMatchSnapshot();
 */
export async function capturePulumiProgram(program: () => unknown, options: CaptureOptions = {}): Promise<CapturedResource[]> {
  installed = install(options);
  await program();
  await settle(options.timeoutMs ?? 10_000);
  return [...installed.records].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

/**
 * Waits until the runtime has no registration in flight. `waitForRPCs` is marked internal in
 * `@pulumi/pulumi`; without it, yield to the event loop until the record count is stable.
 */
async function settle(timeoutMs: number): Promise<void> {
  const wait = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the program did not settle within ${timeoutMs} ms: an Output never resolved `
      + '(a mocked resource may lack an output the program reads; add it with options.state)')), timeoutMs);
  });
  try {
    let seen = -1;
    while (seen !== installed!.records.length) {
      seen = installed!.records.length;
      if (wait) await Promise.race([wait(), timeout]);
      await new Promise((r) => setTimeout(r, 0));
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
