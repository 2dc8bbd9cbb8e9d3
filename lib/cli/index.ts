/**
 * `openshift-registry-storage`: print registry storage manifests (`synth`) or check a live
 * configuration (`check`). Exit codes: 0 clean, 1 problems found, 2 unusable input or usage.
 */
import { CREDENTIAL_KEYS, FlagSpec, SYNTH_FLAGS } from './options';
import { readYamlDocument, readYamlDocuments, YamlInputError } from './read-yaml';
import { inspectRegistryObjects, MISNAMED_SECRET_KEYS } from '../checks/live-objects';
import { closest } from '../core/names';
import { credentialsFromSecretData } from '../core/plan';
import { RegistryStorageValidationError } from '../core/problems';
import { FleetInventoryError, FleetPlan, loadFleetInventory } from '../fleet/inventory';

/** What the CLI reads and writes; injected so it can be tested without a process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => string;
  readonly readStdin: () => string;
  /** Writes a file, creating its folders (fleet synth --output argocd). */
  readonly writeFile?: (path: string, text: string) => void;
}

class UsageError extends Error {}
/** Unreadable input (a file, stdin, YAML): exit 2. */
class InputError extends Error {}
/** Values that can be read but are wrong (unknown keys, misnamed credentials): exit 1. */
class ValuesError extends Error {}

const USAGE = `Usage: openshift-registry-storage <command> [options]

Commands:
  synth <s3|gcs|swift|azure|pvc|emptydir> [options] [-f values.yaml]
      Print the registry storage manifests (Config, and the Secret, StorageClass or PVC where they
      apply) as YAML for \`oc apply --server-side --field-manager=openshift-registry-storage -f -\`.
  fleet check <inventory.yaml>
  fleet synth <inventory.yaml> --output acm|argocd [options]
      Validate a fleet inventory (clusters, their platform and storage, no credential), or write
      its Advanced Cluster Management policies or its Argo CD folders and ApplicationSet.
  check [file|-]
      Check what \`oc get configs.imageregistry.operator.openshift.io cluster -o yaml\` prints (one or
      more documents, or a List that may also hold the user Secret and claims).

Run \`openshift-registry-storage <command> --help\` for a command's options; --version prints the version.
Warnings (setups the operator accepts but the library advises against) go to stderr and do not change the exit code.
Exit codes: 0 clean, 1 problems found, 2 unusable input.`;

/** Reads a file, or stdin for `-`; unreadable input is an InputError (exit 2, one line). */
function readInput(io: CliIo, file: string, command: string): string {
  try {
    return file === '-' ? io.readStdin() : io.readFile(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (e as Error).message.split('\n')[0];
    throw new InputError(`${command}: cannot read ${file === '-' ? 'stdin' : file}: ${reason}`);
  }
}

function synthUsage(type?: string): string {
  const types = type ? [type] : Object.keys(SYNTH_FLAGS);
  const lines = [`Usage: openshift-registry-storage synth <${Object.keys(SYNTH_FLAGS).join('|')}> [options] [-f values.yaml]`, ''];
  for (const t of types) {
    lines.push(`${t} options:`);
    for (const [flag, spec] of Object.entries(SYNTH_FLAGS[t])) lines.push(`  --${flag}${spec.type === 'boolean' ? '' : ` <${spec.type}>`}`.padEnd(38) + spec.help);
    if (CREDENTIAL_KEYS[t]) lines.push(`  credentials: environment variables ${Object.values(CREDENTIAL_KEYS[t]).join(', ')}`);
    lines.push('');
  }
  lines.push('  -f, --values <file>                 YAML or JSON file with the props (flags win)');
  lines.push('  --credentials-file <file>           YAML, JSON or KEY=value file with the credential keys');
  lines.push('Credentials are never read from flags. Without them no Secret is printed.');
  return lines.join('\n');
}

function setPath(target: Record<string, any>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) cur = cur[p] = typeof cur[p] === 'object' && cur[p] !== null ? cur[p] : {};
  cur[parts[parts.length - 1]] = value;
}

function parseValue(flag: string, spec: FlagSpec, raw: string | undefined): unknown {
  if (spec.type === 'boolean') {
    if (raw === undefined || raw === 'true') return true;
    if (raw === 'false') return false;
    throw new UsageError(`--${flag}: expected true or false, got "${raw}"`);
  }
  if (raw === undefined) throw new UsageError(`--${flag}: needs a value (--${flag} <${spec.type}>)`);
  if (spec.type === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new UsageError(`--${flag}: expected a number, got "${raw}"`);
    return n;
  }
  return raw;
}

/** Parses one YAML or JSON document that must be a map; throws InputError naming `what`. */
function parseMap(text: string, what: string): Record<string, unknown> {
  const value = readYamlDocument(text, what);
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${what} must be a map of keys to values, got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`);
  }
  return value as Record<string, unknown>;
}

/** A credentials file: YAML/JSON map or KEY=value lines; every value must be a string. */
function parseKeyValues(text: string, what: string): Record<string, string> {
  const trimmed = text.trim();
  let entries: Array<[string, unknown]>;
  if (trimmed.startsWith('{') || /^[A-Za-z0-9_]+:(\s|$)/m.test(trimmed)) {
    entries = Object.entries(parseMap(trimmed, what));
  } else {
    entries = trimmed.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).map((l, i) => {
      const at = l.indexOf('=');
      if (at <= 0) throw new InputError(`${what} line ${i + 1}: expected KEY=value`);
      return [l.slice(0, at).trim().replace(/^export\s+/, ''), l.slice(at + 1).trim().replace(/^(["'])(.*)\1$/, '$2')];
    });
  }
  for (const [k, v] of entries) {
    if (typeof v !== 'string' && typeof v !== 'number') throw new InputError(`${what}: ${k} must be a string, got ${Array.isArray(v) ? 'a list' : v === null ? 'nothing' : `a ${typeof v}`}`);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
}

/** Props a values file may set for a storage type: every flag's prop, and the nested ones. */
const VALUE_PROPS: Record<string, readonly string[]> = Object.fromEntries(Object.entries(SYNTH_FLAGS).map(([type, flags]) => [type, [
  ...new Set([...Object.values(flags).map((f) => f.prop.split('.')[0]), ...(type === 's3' ? ['cloudFront'] : []), ...(type === 'azure' ? ['azureStackHub'] : [])]),
]]));

/**
 * The credentials among `source` (environment and credentials file), by the Secret key names the
 * operator reads. Misnamed keys (the docs' REGISTRY_STORAGE_SWIFT_USER) are errors with the fix.
 */
function credentialsFrom(type: string, source: Record<string, string | undefined>): Record<string, string> | undefined {
  const keys = CREDENTIAL_KEYS[type];
  if (!keys) return undefined;
  const prefix = Object.values(keys)[0].replace(/^(REGISTRY_STORAGE_[A-Z0-9]+_).*$/, '$1');
  for (const key of Object.keys(source).sort()) {
    const instead = MISNAMED_SECRET_KEYS[key];
    if (instead && key.startsWith(prefix) && source[key] !== undefined) {
      throw new ValuesError(`${key}: the operator does not read it: rename it to ${instead} (the operator wins over the docs that say ${key})`);
    }
  }
  const creds = credentialsFromSecretData(keys, source);
  return Object.keys(creds).length > 0 ? creds : undefined;
}

function synth(args: string[], env: Record<string, string | undefined>, io: CliIo): number {
  const type = args[0];
  if (type === undefined) {
    io.stderr(synthUsage());
    return 2;
  }
  if (type === '--help' || type === '-h') {
    io.stdout(synthUsage());
    return 0;
  }
  const flags = SYNTH_FLAGS[type];
  if (!flags) throw new UsageError(`synth: unknown storage type "${type}": use one of ${Object.keys(SYNTH_FLAGS).join(', ')}`);
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(synthUsage(type));
    return 0;
  }
  let props: Record<string, any> = {};
  const valueKeys: Array<[string, string]> = [];
  const set: Array<[string, unknown]> = [];
  let credentialSource: Record<string, string | undefined> = env;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-')) throw new UsageError(`synth: unexpected argument "${arg}": options start with --`);
    const [name, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2);
    if (name === 'f' || name === 'values') {
      const file = inline ?? args[++i];
      if (!file) throw new UsageError(`--${name}: needs a file (-f values.yaml)`);
      const values = parseMap(readInput(io, file, 'synth'), file);
      const allowed = VALUE_PROPS[type];
      for (const key of Object.keys(values)) {
        if (key === 'credentials') {
          throw new ValuesError(`${file}: credentials: never read from a values file: set ${Object.values(CREDENTIAL_KEYS[type] ?? {}).join(', ') || 'nothing (this storage takes none)'} in the environment or a --credentials-file`);
        }
        if (!allowed.includes(key)) {
          const near = closest(key, allowed);
          throw new ValuesError(`${file}: ${key}: not a prop of ${type} storage${near ? `; did you mean ${near}?` : ''} (props: ${allowed.join(', ')})`);
        }
      }
      valueKeys.push(...Object.keys(values).map((k) => [k, file] as [string, string]));
      props = { ...values, ...props };
      continue;
    }
    if (name === 'credentials-file') {
      const file = inline ?? args[++i];
      if (!file) throw new UsageError('--credentials-file: needs a file');
      const fromFile = parseKeyValues(readInput(io, file, 'synth'), file);
      const expected = Object.values(CREDENTIAL_KEYS[type] ?? {});
      const unknown = Object.keys(fromFile).filter((k) => !expected.includes(k) && !MISNAMED_SECRET_KEYS[k]);
      if (unknown.length > 0) {
        throw new ValuesError(`${file}: ${unknown.join(', ')}: not credential keys of ${type} storage (${expected.join(', ') || 'it takes none'})`);
      }
      if (Object.keys(fromFile).length === 0) throw new ValuesError(`${file}: holds none of ${expected.join(', ')}`);
      credentialSource = { ...env, ...fromFile };
      continue;
    }
    if (['access-key', 'secret-key', 'password', 'account-key', 'keyfile', 'application-credential-secret'].includes(name)) {
      const keys = Object.values(CREDENTIAL_KEYS[type] ?? {});
      throw new UsageError(keys.length === 0
        ? `--${name}: ${type} storage takes no credentials`
        : `--${name}: credentials are never read from flags (shell history keeps them): set ${keys.join(', ')} in the environment or a --credentials-file`);
    }
    const spec = flags[name];
    if (!spec) throw new UsageError(`--${name}: not an option of synth ${type}; see \`openshift-registry-storage synth ${type} --help\``);
    let raw = inline;
    if (raw === undefined && spec.type !== 'boolean') raw = args[++i];
    else if (raw === undefined && spec.type === 'boolean' && (args[i + 1] === 'true' || args[i + 1] === 'false')) raw = args[++i];
    set.push([spec.prop, parseValue(name, spec, raw)]);
  }
  for (const [prop, value] of set) setPath(props, prop, value);
  const credentials = credentialsFrom(type, credentialSource);
  if (credentials) props.credentials = credentials;

  // The cdk8s flavour builds the manifests; it is loaded only here, and only if installed.
  let synthStorage: (t: string, p: Record<string, unknown>) => { yaml: string; warnings: ReadonlyArray<{ path: string; message: string }> };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    synthStorage = require('../cdk8s').synthRegistryStorage;
  } catch {
    io.stderr('synth needs the cdk8s flavour\'s packages: npm install cdk8s cdk8s-plus-27 constructs');
    return 2;
  }
  // Name each problem as the user wrote it: the flag, the values file's key, or the credential variable.
  const flagOf = Object.fromEntries(Object.entries(flags).map(([f, spec]) => [spec.prop, f]));
  const byFlag = Object.fromEntries(set.map(([prop]) => [prop, flagOf[prop]]));
  const byFile = Object.fromEntries(valueKeys);
  const credentialKeys: Record<string, string> = CREDENTIAL_KEYS[type] ?? {};
  const where = (path: string): string => {
    if (byFlag[path]) return `--${byFlag[path]}`;
    const root = path.split('.')[0];
    if (byFile[root] && !byFlag[root]) return `${byFile[root]}: ${path}`;
    if (path.startsWith('credentials.')) return credentialKeys[path.slice('credentials.'.length)] ?? 'credentials';
    return flagOf[path] ? `--${flagOf[path]}` : path;
  };
  let result: ReturnType<typeof synthStorage>;
  try {
    result = synthStorage(type, props);
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    for (const p of e.problems) io.stderr(`${where(p.path)}: ${p.message}`);
    return 1;
  }
  for (const w of result.warnings) io.stderr(`warning: ${where(w.path)}: ${w.message}`);
  io.stdout(result.yaml.trimEnd());
  return 0;
}

function check(args: string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout('Usage: openshift-registry-storage check [file|-]\n\nReads YAML from the file, or stdin with - or no argument, and prints every problem, one a line, with the document it is in (document 2: spec.replicas: ...).\nExit codes: 0 clean, 1 problems found, 2 unusable input.');
    return 0;
  }
  if (args.length > 1) throw new UsageError(`check: takes one file, got ${args.length}`);
  const file = args[0] ?? '-';
  const name = file === '-' ? 'stdin' : file;
  const text = readInput(io, file, 'check');
  const parsed = readYamlDocuments(text, `check: ${name}`);
  // Each object with where it is: `document 2`, or `document 1, item 3` in a List.
  const located = parsed.flatMap((o: any, d) => {
    if (o === null || o === undefined) return [];
    const list = o?.kind === 'List' || (typeof o?.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items));
    return list ? (o.items as unknown[]).map((item, j) => ({ object: item, where: `document ${d + 1}, item ${j + 1}` }))
      : [{ object: o as unknown, where: `document ${d + 1}` }];
  });
  const objects = located.map((l) => l.object);
  let findings;
  try {
    findings = inspectRegistryObjects(objects);
  } catch (e) {
    io.stderr(`check: ${(e as Error).message}`);
    return 2;
  }
  const problems = findings.problems;
  for (const w of findings.warnings) io.stderr(`warning: ${located[w.objectIndex].where}: ${w.path}: ${w.message}`);
  for (const p of problems) io.stdout(`${located[p.objectIndex].where}: ${p.path}: ${p.message}`);
  if (problems.length === 0) io.stdout('ok: no problems found');
  return problems.length === 0 ? 0 : 1;
}

const FLEET_USAGE = `Usage:
  openshift-registry-storage fleet check <inventory.yaml>
  openshift-registry-storage fleet synth <inventory.yaml> --output acm --remediation inform|enforce [--namespace <ns>] [--cluster-set <set>]... [--out <file>]
  openshift-registry-storage fleet synth <inventory.yaml> --output argocd --repo-url <url> [--revision main] [--path fleet-argocd] --out <dir>

check prints each cluster's storage and every problem, named by cluster and prop (exit 1).
acm prints the hub's Policies, Placements, PlacementBindings and values ConfigMap (no credential;
keys of hub-secret clusters come from <cluster>-registry-storage Secrets on the hub).
argocd writes <dir>/<cluster>/registry-storage.yaml and <dir>/applicationset.yaml (no Secret).`;

function fleet(args: string[], io: CliIo): number {
  const [sub, file, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || args.includes('--help')) {
    io.stdout(FLEET_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'check' && sub !== 'synth') throw new UsageError(`fleet: unknown command "${sub}": use check or synth`);
  if (!file || file.startsWith('-')) throw new UsageError(`fleet ${sub}: needs an inventory file (openshift-registry-storage fleet ${sub} inventory.yaml)`);
  const options: Record<string, string[]> = {};
  for (let i = 0; i < rest.length; i++) {
    const [name, inline] = rest[i].replace(/^--?/, '').split(/=(.*)/s, 2);
    const known = sub === 'check' ? [] : ['output', 'remediation', 'namespace', 'cluster-set', 'out', 'repo-url', 'revision', 'path'];
    if (!rest[i].startsWith('--') || !known.includes(name)) {
      const near = closest(name, known);
      throw new UsageError(`fleet ${sub}: unknown option ${rest[i]}${near ? `; did you mean --${near}?` : ''}`);
    }
    const value = inline ?? rest[++i];
    if (value === undefined) throw new UsageError(`--${name}: needs a value`);
    (options[name] ??= []).push(value);
  }
  const one = (name: string) => options[name]?.[options[name].length - 1];
  const text = readInput(io, file, `fleet ${sub}`);
  let plan: FleetPlan;
  try {
    plan = loadFleetInventory(text);
  } catch (e) {
    if (!(e instanceof FleetInventoryError)) throw e;
    for (const p of e.problems) io.stdout(`${file}: ${p.path}: ${p.message}`);
    return 1;
  }
  for (const w of plan.warnings) io.stderr(`warning: ${file}: ${w.path}: ${w.message}`);
  if (sub === 'check') {
    for (const c of plan.clusters) {
      io.stdout(`${c.name}: ${c.platform}, ${c.kind}${c.hubSecret ? `, keys from hub Secret ${c.hubSecret.name} (${c.hubSecret.keys.join(', ')})` : ', no keys in any manifest'}`);
    }
    io.stdout(`ok: ${plan.clusters.length} cluster${plan.clusters.length === 1 ? '' : 's'}, no problems found`);
    return 0;
  }
  const output = one('output');
  if (output !== 'acm' && output !== 'argocd') throw new UsageError(`fleet synth: --output must be acm or argocd, got ${output === undefined ? 'nothing' : `"${output}"`}`);
  let flavour: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    flavour = require('../cdk8s');
  } catch {
    io.stderr('fleet synth needs the cdk8s flavour\'s packages: npm install cdk8s cdk8s-plus-27 constructs');
    return 2;
  }
  const out = one('out');
  if (output === 'acm') {
    const remediation = one('remediation');
    if (remediation !== 'inform' && remediation !== 'enforce') {
      throw new UsageError('fleet synth --output acm: --remediation must be inform (report drift) or enforce (create and correct)');
    }
    const yaml: string = flavour.synthAcmFleetYaml(plan, { remediationAction: remediation, namespace: one('namespace'), clusterSets: options['cluster-set'] });
    if (out) {
      if (!io.writeFile) throw new UsageError('fleet synth: --out is not available here');
      io.writeFile(out, yaml);
      io.stderr(`wrote ${out}: ${plan.clusters.length} clusters`);
    } else {
      io.stdout(yaml.trimEnd());
    }
    return 0;
  }
  const repoURL = one('repo-url');
  if (!repoURL) throw new UsageError('fleet synth --output argocd: --repo-url is required (the Git repository Argo CD reads)');
  if (!out || !io.writeFile) throw new UsageError('fleet synth --output argocd: --out <dir> is required (one folder per cluster)');
  const { files, hubSecretKeys } = flavour.argoCdFleetFiles(plan, { repoURL, targetRevision: one('revision'), path: one('path') });
  for (const [name, content] of Object.entries<string>(files)) io.writeFile(`${out}/${name}`, content);
  for (const [cluster, keys] of Object.entries<readonly string[]>(hubSecretKeys)) {
    io.stderr(`note: ${cluster} needs the Secret openshift-image-registry/image-registry-private-configuration-user from your secret store, with ${keys.join(', ')}`);
  }
  io.stderr(`wrote ${Object.keys(files).length} files under ${out}`);
  return 0;
}

/** Runs the CLI; returns the exit code. */
export function runCli(argv: string[], env: Record<string, string | undefined>, io: CliIo): number {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'synth': return synth(rest, env, io);
      case 'check': return check(rest, io);
      case 'fleet': return fleet(rest, io);
      case '--help': case '-h': case 'help':
        io.stdout(USAGE);
        return 0;
      case '--version': case '-V': case 'version':
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        io.stdout(require('../../package.json').version);
        return 0;
      case undefined:
        io.stderr(USAGE);
        return 2;
      default: throw new UsageError(`unknown command "${command}": use synth, check or fleet (openshift-registry-storage --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError || e instanceof YamlInputError) {
      io.stderr(e.message);
      return 2;
    }
    if (e instanceof ValuesError) {
      io.stderr(e.message);
      return 1;
    }
    throw e;
  }
}
