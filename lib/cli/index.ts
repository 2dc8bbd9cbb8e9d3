/**
 * `openshift-registry-storage`: print registry storage manifests (`synth`) or check a live
 * configuration (`check`). Exit codes: 0 clean, 1 problems found, 2 unusable input or usage.
 */
import { cliType, CREDENTIAL_KEYS, FlagSpec, SYNTH_FLAGS, VALUE_PROPS } from './options';
import { readYamlDocument, readYamlDocuments, YamlInputError } from './read-yaml';
import { closest } from '../core/names';
import { acknowledgedWarnings, credentialsFromSecretData, KubernetesManifest, RegistryStoragePlan, RegistryStorageType } from '../core/plan';
import { formatProblem, Problems, RegistryConfigProblem, RegistryStorageValidationError } from '../core/problems';
import { openshiftRelease } from '../core/releases';
import { ConfigSpecPatch } from '../core/validate-config';
import { FleetInventory, FleetInventoryError, FleetPlan, planFleet } from '../fleet/inventory';
import { hardPruneObjects } from '../platforms/hard-prune';
import { inspectRegistryObjects, MISNAMED_SECRET_KEYS } from '../platforms/inspect';
import { storageKindOfConfigType } from '../platforms/kinds';
import { planStorageMigration, StorageMigrationPlan } from '../platforms/migration';
import { StorageMigrationObjects, storageMigrationObjects } from '../platforms/migration-jobs';

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
  synth <${Object.keys(SYNTH_FLAGS).join('|')}> [options] [-f values.yaml]
      Print the registry storage manifests (Config, and the Secret, StorageClass or PVC where they
      apply) as YAML for \`oc apply --server-side --field-manager=openshift-registry-storage -f -\`.
  fleet check <inventory.yaml>
  fleet synth <inventory.yaml> --output acm|argocd [options]
      Validate a fleet inventory (clusters, their platform and storage, no credential), or write
      its Advanced Cluster Management policies or its Argo CD folders and ApplicationSet.
  check [file|-]...
      Check what \`oc get configs.imageregistry.operator.openshift.io cluster -o yaml\` prints (one or
      more documents, or a List that may also hold the user Secret and claims).
  migrate --from <old.yaml> --to <new.yaml>
  migrate verify --from <old.yaml> --to <new.yaml>
      Print how the registry's images move to new storage: the steps, the copy and verify scripts
      (rclone), where each end is and which Secret keys it reads, and the rollback; or the
      verification alone.
  adopt <live.yaml|->
      From the live Config, Infrastructure and ClusterVersion (oc get configs.imageregistry.operator.openshift.io/cluster
      infrastructure/cluster clusterversion/version -o yaml), print the props that adopt the storage the operator created
      (values for synth -f, or a component's args) and what changes; refused when it is not the operator's.
  prune [--schedule <cron>] [--cli-image <image>] [--namespace <ns>]
      Print the objects of a hard prune (the registry's own pruner, in a read-only window), to
      apply with oc apply --server-side: one Job, or a CronJob with --schedule.

Run \`openshift-registry-storage <command> --help\` for a command's options; --version prints the version.
Warnings (setups the operator accepts but the library advises against) go to stderr and do not change the exit code.
Exit codes: 0 clean, 1 problems found, 2 unusable input.`;

/** Longest user value a message repeats: a 10 MiB flag must not give a 10 MiB line. */
export const MAX_ECHO_CHARS = 200;

/**
 * A user value as a message may repeat it: on one line (line breaks and other control characters
 * escaped) and at most {@link MAX_ECHO_CHARS} characters, then `… (N characters)`.
 */
export function clip(value: string): string {
  const escape = (c: string) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Only the head is escaped: a 10 MiB value costs no more than a short one.
  const line = value.slice(0, MAX_ECHO_CHARS + 1).replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, escape);
  return line.length <= MAX_ECHO_CHARS && value.length <= MAX_ECHO_CHARS ? line : `${line.slice(0, MAX_ECHO_CHARS)}… (${value.length} characters)`;
}

/** Own keys only: `constructor` or `__proto__` never find Object.prototype's. */
function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Names JavaScript objects inherit: never a storage type, flag or key. */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Reads a file, or stdin for `-`; unreadable input is an InputError (exit 2, one line). */
function readInput(io: CliIo, file: string, command: string): string {
  try {
    return file === '-' ? io.readStdin() : io.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = String((e as Error)?.message ?? e).split('\n')[0];
    const reason = code === 'EISDIR' && !message.startsWith('it is') ? 'it is a directory: give a file' : message;
    throw new InputError(`${command}: cannot read ${file === '-' ? 'stdin' : clip(file)}: ${clip(reason)}`);
  }
}

/** What to do about a failed write, by its error code. */
const WRITE_FIXES: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder: choose another --out',
  EEXIST: 'a part of the path exists and is not a folder: choose another --out',
  EISDIR: 'it is a folder: give a file name to --out',
  ENOSPC: 'no space left on the device: free some, or choose another --out',
  EDQUOT: 'the disk quota is exhausted: free some, or choose another --out',
  EACCES: 'permission denied: choose a --out you may write',
  EPERM: 'not permitted: choose a --out you may write',
  EROFS: 'the file system is read-only: choose another --out',
  ENAMETOOLONG: 'the name is too long: choose a shorter --out',
};

/** Writes one output file; a failure is an InputError (exit 2, one line naming the file and the fix). */
function writeOutput(io: CliIo, file: string, text: string, command: string): void {
  if (!io.writeFile) throw new UsageError(`${command}: --out is not available here`);
  try {
    io.writeFile(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const fix = (code && own(WRITE_FIXES, code)) ?? clip(String((e as Error)?.message ?? e).split('\n')[0]);
    throw new InputError(`${command}: cannot write ${clip(file)}: ${code && own(WRITE_FIXES, code) ? `${code}: ` : ''}${fix}`);
  }
}

function synthUsage(type?: string): string {
  const types = type && Object.hasOwn(SYNTH_FLAGS, type) ? [type] : Object.keys(SYNTH_FLAGS);
  const lines = [`Usage: openshift-registry-storage synth <${Object.keys(SYNTH_FLAGS).join('|')}> [options] [-f values.yaml]`, ''];
  for (const t of types) {
    lines.push(`${t} options:`);
    for (const [flag, spec] of Object.entries(SYNTH_FLAGS[t])) lines.push(`  --${flag}${spec.type === 'boolean' ? '' : ` <${spec.type}>`}`.padEnd(38) + spec.help);
    if (Object.hasOwn(CREDENTIAL_KEYS, t)) lines.push(`  credentials: environment variables ${Object.values(CREDENTIAL_KEYS[t]).join(', ')}`);
    lines.push('');
  }
  lines.push('  -f, --values <file>                 YAML or JSON file with the props (flags win)');
  lines.push('  --credentials-file <file>           YAML, JSON or KEY=value file with the credential keys');
  lines.push('  --acknowledge <code>                a warning you accept, by code (repeat, or comma-separate); see docs/problem-codes.md');
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
    throw new UsageError(`--${flag}: expected true or false, got "${clip(raw)}"`);
  }
  if (raw === undefined) throw new UsageError(`--${flag}: needs a value (--${flag} <${spec.type}>)`);
  if (spec.type === 'integer') {
    // Decimal digits only: Number() would take 0x10, 0b11, 1e1, " 3" and "" (as 0).
    if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${flag}: expected a whole number in decimal digits (--${flag} 3), got "${clip(raw)}"`);
    return Number(raw);
  }
  if (spec.type === 'number') {
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(raw)) throw new UsageError(`--${flag}: expected a decimal number (--${flag} 1.5), got "${clip(raw)}"`);
    return Number(raw);
  }
  return raw;
}

/** Parses one YAML or JSON document that must be a map; throws InputError naming `what`. */
function parseMap(text: string, what: string): Record<string, unknown> {
  const value = readYamlDocument(text, clip(what));
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${clip(what)} must be a map of keys to values, got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`);
  }
  return value as Record<string, unknown>;
}

/** Every credential key name the CLI knows: the operator's, the misnamed ones, and the usual environment names of other tools. */
const KNOWN_CREDENTIAL_NAMES = new Set([
  ...Object.values(CREDENTIAL_KEYS).flatMap((keys) => Object.values(keys)),
  ...Object.keys(MISNAMED_SECRET_KEYS),
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'GOOGLE_APPLICATION_CREDENTIALS',
  'AZURE_STORAGE_ACCOUNT', 'AZURE_STORAGE_KEY', 'OS_USERNAME', 'OS_PASSWORD', 'OS_APPLICATION_CREDENTIAL_ID', 'OS_APPLICATION_CREDENTIAL_SECRET',
]);

/**
 * How a message names a key of a credentials file: by name when it is a known credential key name,
 * else by its line (a secret pasted where a key should be must not be echoed).
 */
function keyOf(key: string, line?: number): string {
  if (KNOWN_CREDENTIAL_NAMES.has(key)) return key;
  return line === undefined ? 'a key' : `line ${line}: the key`;
}

/**
 * A credentials file: YAML/JSON map or KEY=value lines; every value must be a string, every key
 * appears once. Messages name a line or a known key, never a value or the text of a malformed line.
 */
function parseKeyValues(text: string, file: string): Map<string, { value: string; line?: number }> {
  const what = clip(file);
  const trimmed = text.trim();
  const entries: Array<{ key: string; value: unknown; line?: number }> = [];
  if (trimmed.startsWith('{') || /^[A-Za-z0-9_]+:(\s|$)/m.test(trimmed)) {
    // js-yaml refuses duplicated keys, naming the line; its reasons never quote a value.
    const map = parseMap(trimmed, what);
    for (const key of Object.keys(map)) entries.push({ key, value: map[key] });
  } else {
    const seen = new Map<string, number>();
    text.split(/\r?\n/).forEach((l, i) => {
      if (!l.trim() || l.trim().startsWith('#')) return;
      const at = l.indexOf('=');
      if (at <= 0) throw new InputError(`${what} line ${i + 1}: expected KEY=value`);
      const key = l.slice(0, at).trim().replace(/^export\s+/, '');
      const before = seen.get(key);
      if (before !== undefined) {
        throw new InputError(`${what} line ${i + 1}: ${KNOWN_CREDENTIAL_NAMES.has(key) ? key : 'the key'} is set twice (also on line ${before}): keep one`);
      }
      seen.set(key, i + 1);
      entries.push({ key, value: l.slice(at + 1).trim().replace(/^(["'])(.*)\1$/, '$2'), line: i + 1 });
    });
  }
  const result = new Map<string, { value: string; line?: number }>();
  for (const { key, value, line } of entries) {
    if (PROTOTYPE_NAMES.has(key)) {
      throw new InputError(`${what}${line === undefined ? '' : ` line ${line}`}: ${key} is not a credential key: remove it`);
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new InputError(`${what}: ${keyOf(key, line)} must be a string, got ${Array.isArray(value) ? 'a list' : value === null ? 'nothing' : `a ${typeof value}`}`);
    }
    result.set(key, { value: String(value), line });
  }
  return result;
}


/**
 * The credentials among `source` (environment and credentials file), by the Secret key names the
 * operator reads. Misnamed keys (the docs' REGISTRY_STORAGE_SWIFT_USER) are errors with the fix.
 */
function credentialsFrom(type: string, source: Record<string, string | undefined>): Record<string, string> | undefined {
  const keys = own(CREDENTIAL_KEYS, type);
  if (!keys) return undefined;
  const prefix = Object.values(keys)[0].replace(/^(REGISTRY_STORAGE_[A-Z0-9]+_).*$/, '$1');
  for (const key of Object.keys(source).sort()) {
    const instead = own(MISNAMED_SECRET_KEYS, key);
    if (instead && key.startsWith(prefix) && source[key] !== undefined) {
      throw new ValuesError(`${key}: the operator does not read it: rename it to ${instead} (the operator wins over the docs that say ${key})`);
    }
  }
  const creds = credentialsFromSecretData(keys, source);
  return Object.keys(creds).length > 0 ? creds : undefined;
}

function synth(args: string[], env: Record<string, string | undefined>, io: CliIo): number {
  const given = args[0];
  if (given === undefined) {
    io.stderr(synthUsage());
    return 2;
  }
  if (given === '--help' || given === '-h') {
    io.stdout(synthUsage());
    return 0;
  }
  const type = cliType(given) ?? given;
  const flags = own(SYNTH_FLAGS, type);
  if (!flags) throw new UsageError(`synth: unknown storage type "${clip(type)}": use one of ${Object.keys(SYNTH_FLAGS).join(', ')}`);
  const credentialKeys: Record<string, string> = own(CREDENTIAL_KEYS, type) ?? {};
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(synthUsage(type));
    return 0;
  }
  let props: Record<string, any> = {};
  const valueKeys: Array<[string, string]> = [];
  const set: Array<[string, unknown]> = [];
  let credentialSource: Record<string, string | undefined> = env;
  const acknowledge: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-')) throw new UsageError(`synth: unexpected argument "${clip(arg)}": options start with --`);
    const [name, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2);
    if (name === 'acknowledge') {
      acknowledge.push(...acknowledgeOption(inline ?? args[++i]));
      continue;
    }
    if (name === 'f' || name === 'values') {
      const file = inline ?? args[++i];
      if (!file) throw new UsageError(`--${name}: needs a file (-f values.yaml)`);
      const values = parseMap(readInput(io, file, 'synth'), file);
      const allowed = own(VALUE_PROPS, type) ?? [];
      for (const key of Object.keys(values)) {
        if (key === 'credentials') {
          throw new ValuesError(`${clip(file)}: credentials: never read from a values file: set ${Object.values(credentialKeys).join(', ') || 'nothing (this storage takes none)'} in the environment or a --credentials-file`);
        }
        if (!allowed.includes(key)) {
          const near = key.length <= MAX_ECHO_CHARS ? closest(key, allowed) : undefined;
          throw new ValuesError(`${clip(file)}: ${clip(key)}: not a prop of ${type} storage${near ? `; did you mean ${near}?` : ''} (props: ${allowed.join(', ')})`);
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
      const expected = Object.values(credentialKeys);
      const unknown = [...fromFile]
        .filter(([k]) => !expected.includes(k) && !Object.hasOwn(MISNAMED_SECRET_KEYS, k))
        .map(([k, v]) => keyOf(k, v.line));
      if (unknown.length > 0) {
        throw new ValuesError(`${clip(file)}: ${[...new Set(unknown)].join(', ')}: not credential keys of ${type} storage (${expected.join(', ') || 'it takes none'})`);
      }
      if (fromFile.size === 0) throw new ValuesError(`${clip(file)}: holds none of ${expected.join(', ')}`);
      const source: Record<string, string | undefined> = Object.assign(Object.create(null), env);
      for (const [k, v] of fromFile) source[k] = v.value;
      credentialSource = source;
      continue;
    }
    if (['access-key', 'secret-key', 'password', 'account-key', 'keyfile', 'application-credential-secret'].includes(name)) {
      const keys = Object.values(credentialKeys);
      throw new UsageError(keys.length === 0
        ? `--${name}: ${type} storage takes no credentials`
        : `--${name}: credentials are never read from flags (shell history keeps them): set ${keys.join(', ')} in the environment or a --credentials-file`);
    }
    const spec = own(flags, name);
    if (!spec) throw new UsageError(`--${clip(name)}: not an option of synth ${type}; see \`openshift-registry-storage synth ${type} --help\``);
    let raw = inline;
    if (raw === undefined && spec.type !== 'boolean') raw = args[++i];
    else if (raw === undefined && spec.type === 'boolean' && (args[i + 1] === 'true' || args[i + 1] === 'false')) raw = args[++i];
    set.push([spec.prop, parseValue(name, spec, raw)]);
  }
  for (const [prop, value] of set) setPath(props, prop, value);
  if (acknowledge.length > 0) {
    props.acknowledgeWarnings = [...(Array.isArray(props.acknowledgeWarnings) ? props.acknowledgeWarnings : []), ...acknowledge];
  }
  const credentials = credentialsFrom(type, credentialSource);
  if (credentials) props.credentials = credentials;

  // The cdk8s flavour builds the manifests; it is loaded only here, and only if installed.
  let synthStorage: (t: string, p: Record<string, unknown>) => { yaml: string; warnings: readonly RegistryConfigProblem[] };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    synthStorage = require('../cdk8s').synthRegistryStorage;
  } catch {
    io.stderr('synth needs the cdk8s flavour\'s packages: npm install cdk8s constructs');
    return 2;
  }
  // Name each problem as the user wrote it: the flag, the values file's key, or the credential variable.
  const flagOf: Record<string, string> = Object.fromEntries(Object.entries(flags).map(([f, spec]) => [spec.prop, f]));
  const byFlag: Record<string, string> = Object.fromEntries(set.map(([prop]) => [prop, flagOf[prop]]));
  const byFile: Record<string, string> = Object.fromEntries(valueKeys);
  const where = (path: string): string => {
    if (own(byFlag, path)) return `--${byFlag[path]}`;
    if (acknowledge.length > 0 && path.startsWith('acknowledgeWarnings')) return '--acknowledge';
    const root = path.split('.')[0];
    if (own(byFile, root) && !own(byFlag, root)) return `${clip(byFile[root])}: ${clip(path)}`;
    if (path.startsWith('credentials.')) return own(credentialKeys, path.slice('credentials.'.length)) ?? 'credentials';
    return own(flagOf, path) ? `--${flagOf[path]}` : clip(path);
  };
  let result: ReturnType<typeof synthStorage>;
  try {
    result = synthStorage(type, props);
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    for (const p of e.problems) io.stderr(formatProblem({ ...p, path: where(p.path) }));
    return 1;
  }
  for (const w of result.warnings) io.stderr(`warning: ${formatProblem({ ...w, path: where(w.path) })}`);
  io.stdout(result.yaml.trimEnd());
  return 0;
}

/**
 * `cat a.k8s.yaml b.k8s.yaml` joins the last object of a and the first of b without `---` (cdk8s
 * ends a file without one): put `---` before each top-level `apiVersion:` that starts a second
 * object in the same document. Used only when the input as written has duplicated keys.
 */
function splitJoinedObjects(text: string): string {
  let seen = false;
  return text.split('\n').map((line) => {
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      seen = /^---\s+apiVersion:/.test(line);
      return line;
    }
    if (!/^apiVersion:/.test(line)) return line;
    if (!seen) {
      seen = true;
      return line;
    }
    return `---\n${line}`;
  }).join('\n');
}

/** Every document of one input; a `cat` of manifest files (objects joined without `---`) is split. */
function readManifests(text: string, what: string): unknown[] {
  try {
    return readYamlDocuments(text, what);
  } catch (e) {
    if (!(e instanceof YamlInputError) || !e.message.includes('duplicated mapping key')) throw e;
    const split = splitJoinedObjects(text);
    if (split === text) throw e;
    try {
      return readYamlDocuments(split, what);
    } catch {
      throw e;
    }
  }
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null || value === undefined ? 'nothing' : `a ${typeof value}`;
}

const CHECK_USAGE = 'Usage: openshift-registry-storage check [--openshift-version <4.N>] [--acknowledge <code>]... [file|-]...\n\n'
  + 'Reads YAML from each file, or stdin with - or no argument (one or more documents, Lists, or a `cat` of cdk8s output files), '
  + 'and prints every problem, one a line, with the document it is in (document 2: spec.replicas: ...; a.yaml: document 2: ... with several files).\n'
  + 'Each Config is checked against the CRD of --openshift-version, else of a ClusterVersion in the input (oc get clusterversion version -o yaml), else of 4.12, the oldest supported release.\n'
  + 'Each line ends with the rule\'s code ([ORS-...], listed in docs/problem-codes.md); --acknowledge <code> leaves out a warning you accept.\n'
  + 'Exit codes: 0 clean, 1 problems found, 2 unusable input.';

/** The codes of one `--acknowledge` (comma-separated allowed). */
function acknowledgeOption(value: string | undefined): string[] {
  if (value === undefined || value === '' || value.startsWith('-')) throw new UsageError('--acknowledge: needs a warning code (--acknowledge ORS-PVC-W001)');
  return value.split(',').map((c) => c.trim()).filter((c) => c !== '');
}

/** `check`'s `--acknowledge` codes, each a warning code the library raises (a usage error otherwise). */
function checkedAcknowledgements(codes: readonly string[]): string[] {
  const problems = new Problems();
  const accepted = acknowledgedWarnings(codes, problems, '--acknowledge');
  if (problems.all.length > 0) throw new UsageError(problems.all.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return accepted;
}

function check(args: string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(CHECK_USAGE);
    return 0;
  }
  const acknowledge: string[] = [];
  const inputs: string[] = [];
  let openshiftVersion: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].replace(/^--/, '').split(/=(.*)/s, 2);
    if (args[i].startsWith('--') && name === 'acknowledge') {
      acknowledge.push(...acknowledgeOption(inline ?? args[++i]));
    } else if (args[i].startsWith('--') && name === 'openshift-version') {
      const value = inline ?? args[++i];
      const target = openshiftRelease(value ?? '');
      if (target.problem !== undefined) throw new UsageError(`--openshift-version: ${target.problem}`);
      openshiftVersion = target.release;
    } else if (args[i].startsWith('-') && args[i] !== '-') {
      throw new UsageError(`check: unknown option ${clip(args[i])}: check takes files, or - for stdin, and --acknowledge <code> (see check --help)`);
    } else {
      inputs.push(args[i]);
    }
  }
  const acknowledged = new Set(checkedAcknowledgements(acknowledge));
  if (inputs.filter((a) => a === '-').length > 1) throw new UsageError('check: - (stdin) can be given once');
  const files = inputs.length > 0 ? inputs : ['-'];
  // Each object with where it is: `document 2`, or `document 1, item 3` in a List; with the file's name when there are several.
  const located: Array<{ object: unknown; where: string }> = [];
  for (const file of files) {
    const name = file === '-' ? 'stdin' : clip(file);
    const prefix = files.length > 1 ? `${name}: ` : '';
    const parsed = readManifests(readInput(io, file, 'check'), `check: ${name}`);
    parsed.forEach((o: any, d) => {
      if (o === null || o === undefined) return;
      const isList = typeof o === 'object' && !Array.isArray(o) && typeof o.kind === 'string'
        && (o.kind === 'List' || (o.kind.endsWith('List') && Array.isArray(o.items)));
      if (!isList) {
        located.push({ object: o, where: `${prefix}document ${d + 1}` });
        return;
      }
      if (!Array.isArray(o.items)) {
        throw new InputError(`check: ${name}: document ${d + 1}: a ${clip(o.kind)} needs items: a list of objects, got ${kindOf(o.items)}`);
      }
      (o.items as unknown[]).forEach((item, j) => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          throw new InputError(`check: ${name}: document ${d + 1}, item ${j + 1}: must be an object (apiVersion, kind, ...), got ${kindOf(item)}`);
        }
        located.push({ object: item, where: `${prefix}document ${d + 1}, item ${j + 1}` });
      });
    });
  }
  const objects = located.map((l) => l.object);
  let findings;
  try {
    findings = inspectRegistryObjects(objects, { openshiftVersion });
  } catch (e) {
    io.stderr(`check: ${clip(String((e as Error)?.message ?? e).split('\n')[0])}`);
    return 2;
  }
  const problems = findings.problems;
  for (const w of findings.warnings) if (!acknowledged.has(w.code)) io.stderr(`warning: ${located[w.objectIndex].where}: ${formatProblem(w)}`);
  for (const p of problems) io.stdout(`${located[p.objectIndex].where}: ${formatProblem(p)}`);
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
  if (sub !== 'check' && sub !== 'synth') throw new UsageError(`fleet: unknown command "${clip(sub)}": use check or synth`);
  if (!file || file.startsWith('-')) throw new UsageError(`fleet ${sub}: needs an inventory file (openshift-registry-storage fleet ${sub} inventory.yaml)`);
  const options: Record<string, string[]> = Object.create(null);
  for (let i = 0; i < rest.length; i++) {
    const [name, inline] = rest[i].replace(/^--?/, '').split(/=(.*)/s, 2);
    const known = sub === 'check' ? [] : ['output', 'remediation', 'namespace', 'cluster-set', 'out', 'repo-url', 'revision', 'path'];
    if (!rest[i].startsWith('--') || !known.includes(name)) {
      const near = name.length <= MAX_ECHO_CHARS ? closest(name, known) : undefined;
      throw new UsageError(`fleet ${sub}: unknown option ${clip(rest[i])}${near ? `; did you mean --${near}?` : ''}`);
    }
    const value = inline ?? rest[++i];
    if (value === undefined) throw new UsageError(`--${name}: needs a value`);
    (options[name] ??= []).push(value);
  }
  const one = (name: string) => options[name]?.[options[name].length - 1];
  const text = readInput(io, file, `fleet ${sub}`);
  // The same reader as check and synth: bounded size, alias bombs refused, YAML errors exit 2.
  const doc = readYamlDocument(text, `fleet ${sub}: ${clip(file)}`, { core: true });
  let plan: FleetPlan;
  try {
    plan = planFleet(doc as FleetInventory);
  } catch (e) {
    if (!(e instanceof FleetInventoryError)) throw e;
    for (const p of e.problems) io.stdout(`${clip(file)}: ${formatProblem(p)}`);
    return 1;
  }
  for (const w of plan.warnings) io.stderr(`warning: ${clip(file)}: ${formatProblem(w)}`);
  if (sub === 'check') {
    for (const c of plan.clusters) {
      io.stdout(`${c.name}: ${c.platform}, ${c.kind}${c.hubSecret ? `, keys from hub Secret ${c.hubSecret.name} (${c.hubSecret.keys.join(', ')})` : ', no keys in any manifest'}`);
    }
    io.stdout(`ok: ${plan.clusters.length} cluster${plan.clusters.length === 1 ? '' : 's'}, no problems found`);
    return 0;
  }
  const output = one('output');
  if (output !== 'acm' && output !== 'argocd') throw new UsageError(`fleet synth: --output must be acm or argocd, got ${output === undefined ? 'nothing' : `"${clip(output)}"`}`);
  let flavour: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    flavour = require('../cdk8s');
  } catch {
    io.stderr('fleet synth needs the cdk8s flavour\'s packages: npm install cdk8s constructs');
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
      writeOutput(io, out, yaml, 'fleet synth');
      io.stderr(`wrote ${clip(out)}: ${plan.clusters.length} clusters`);
    } else {
      io.stdout(yaml.trimEnd());
    }
    return 0;
  }
  const repoURL = one('repo-url');
  if (!repoURL) throw new UsageError('fleet synth --output argocd: --repo-url is required (the Git repository Argo CD reads)');
  if (!out || !io.writeFile) throw new UsageError('fleet synth --output argocd: --out <dir> is required (one folder per cluster)');
  const { files, hubSecretKeys } = flavour.argoCdFleetFiles(plan, { repoURL, targetRevision: one('revision'), path: one('path') });
  for (const [name, content] of Object.entries<string>(files)) writeOutput(io, `${out}/${name}`, content, 'fleet synth');
  for (const [cluster, keys] of Object.entries<readonly string[]>(hubSecretKeys)) {
    io.stderr(`note: ${cluster} needs the Secret openshift-image-registry/image-registry-private-configuration-user from your secret store, with ${keys.join(', ')}`);
  }
  io.stderr(`wrote ${Object.keys(files).length} files under ${clip(out)}`);
  return 0;
}

const MIGRATE_USAGE = `Usage:
  openshift-registry-storage migrate --from <old.yaml> --to <new.yaml> [--from-keys] [--to-keys] [--objects]
  openshift-registry-storage migrate verify --from <old.yaml> --to <new.yaml>

--from is the storage the registry uses now: the live Config (oc get configs.imageregistry.operator.openshift.io
cluster -o yaml), or its spec.storage block alone ({ pvc: { claim: image-registry-storage } }).
--to is the new storage: the output of synth (its Config), a Config, or a spec.storage block.
--from-keys / --to-keys read that end with the user Secret's keys instead of the pod's identity.
migrate prints the steps, each end's rclone remote (environment, and the Secret keys it reads; never
a value), the copy-and-verify script, and the rollback; --objects prints the Kubernetes objects of
each step instead (the copy Jobs, the read-only window's Jobs), in apply order; migrate verify prints
what runs the verification alone.`;

/** `spec.storage` of a Config in `docs` (a live Config, synth's output), or the one map given as a storage block. */
function storageOf(docs: unknown[], file: string): Record<string, unknown> {
  const config = docs.find((d: any) => d?.kind === 'Config' && String(d?.apiVersion).startsWith('imageregistry.operator.openshift.io/')) as any;
  if (config) {
    if (typeof config.spec?.storage !== 'object' || config.spec.storage === null) throw new InputError(`migrate: ${clip(file)}: the Config has no spec.storage`);
    return config.spec.storage;
  }
  if (docs.length === 1 && typeof docs[0] === 'object' && docs[0] !== null && !Array.isArray(docs[0])) {
    const d = docs[0] as Record<string, unknown>;
    return (typeof d.storage === 'object' && d.storage !== null ? d.storage : d) as Record<string, unknown>;
  }
  throw new InputError(`migrate: ${clip(file)}: holds no Config and is not a storage block ({ s3: { bucket: ... } })`);
}

function migrate(args: string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(MIGRATE_USAGE);
    return 0;
  }
  const verifyOnly = args[0] === 'verify';
  const rest = verifyOnly ? args.slice(1) : args;
  const files: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const [name, inline] = rest[i].replace(/^--/, '').split(/=(.*)/s, 2);
    if (!rest[i].startsWith('--')) throw new UsageError(`migrate: unexpected argument "${clip(rest[i])}": see migrate --help`);
    if (name === 'from' || name === 'to') {
      const file = inline ?? rest[++i];
      if (!file) throw new UsageError(`--${name}: needs a file`);
      files[name] = file;
    } else if (name === 'from-keys' || name === 'to-keys' || (name === 'objects' && !verifyOnly)) {
      flags.add(name);
    } else {
      throw new UsageError(`migrate: unknown option --${clip(name)}: see migrate --help`);
    }
  }
  for (const n of ['from', 'to']) if (!files[n]) throw new UsageError(`migrate: --${n} <file> is required (see migrate --help)`);
  const from = storageOf(readManifests(readInput(io, files.from, 'migrate'), `migrate: ${clip(files.from)}`), files.from);
  const toStorage = storageOf(readManifests(readInput(io, files.to, 'migrate'), `migrate: ${clip(files.to)}`), files.to);
  const toTypes = Object.keys(toStorage).filter((k) => k !== 'managementState');
  let plan: StorageMigrationPlan;
  try {
    plan = planStorageMigration({
      from,
      to: { storageType: toTypes[0] as RegistryStorageType, spec: { storage: toStorage } as ConfigSpecPatch },
      fromKeys: flags.has('from-keys') ? true : undefined,
      toKeys: flags.has('to-keys') ? true : undefined,
    });
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    for (const p of e.problems) io.stderr(formatProblem(p));
    return 1;
  }
  const end = (role: 'source' | 'destination'): string[] => {
    const x = plan[role];
    const lines = [`${role}: ${x.type} ${x.reach.claim !== undefined ? `claim ${x.reach.claim}, mounted at ${x.path}` : x.path}`];
    for (const [k, v] of Object.entries(x.env)) lines.push(`  ${k}=${v}`);
    for (const [k, key] of Object.entries(x.secretEnv)) lines.push(`  ${k} from the Secret's key ${key}`);
    return lines;
  };
  const paths = `SOURCE=${plan.source.path} DESTINATION=${plan.destination.path} LINK_COMPARE=${plan.linkCompare}`;
  if (verifyOnly) {
    io.stdout([...end('source'), ...end('destination'), '', `# migrate.sh: run with rclone as "sh migrate.sh verify", with the environment above and ${paths}:`,
      plan.script.trimEnd()].join('\n'));
    return 0;
  }
  if (flags.has('objects')) {
    let objects: StorageMigrationObjects;
    try {
      objects = storageMigrationObjects(plan);
    } catch (e) {
      if (!(e instanceof RegistryStorageValidationError)) throw e;
      for (const p of e.problems) io.stderr(formatProblem(p));
      return 1;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jsyaml: typeof import('js-yaml') = require('js-yaml');
    const docs = (title: string, list: readonly unknown[]) => [`# ${title}`, ...list.map((o) => `---\n${jsyaml.dump(o, { noRefs: true, lineWidth: -1 })}`)];
    io.stdout([
      ...docs('1. copy while the registry takes pushes: apply, then wait for the Job to complete', objects.copy),
      ...docs('2. read-only window: apply, then wait for the Job to complete', objects.freeze),
      ...docs('3-4. final copy and verification: apply, then wait for the Job to complete; if it fails, apply step 6 and stop', objects.final),
      '# 5. switch: apply the new storage (synth\'s output), remove the old block, wait for the operator',
      ...docs('6. writable again, pruner as it was', objects.thaw),
      ...(objects.destinationKeys ? [`# the copy Jobs read the new storage's keys (${objects.destinationKeys.keys.join(', ')}) from the Secret `
        + `openshift-image-registry/${objects.destinationKeys.secretName}: create it before step 1`] : []),
    ].join('\n').trimEnd());
    return 0;
  }
  io.stdout([
    `# Moving the registry's images from ${plan.source.type} to ${plan.destination.type}`,
    'steps:', ...plan.steps.map((s, i) => `  ${i + 1}. ${s}`),
    '', ...end('source'), ...end('destination'),
    '', `# migrate.sh (run with rclone as: sh migrate.sh pre, then sh migrate.sh final in the read-only window), with ${paths}:`, plan.script.trimEnd(),
    '', '# the same as Kubernetes Jobs: migrate --objects',
    '', '# rollback (the old storage is left as it was):', plan.rollbackCommand,
  ].join('\n'));
  return 0;
}

const ADOPT_USAGE = `Usage: openshift-registry-storage adopt <live.yaml|->

Reads the live Config, the Infrastructure and the ClusterVersion (for the release):
  oc get configs.imageregistry.operator.openshift.io/cluster infrastructure/cluster clusterversion/version -o yaml > live.yaml
and prints the props that adopt the storage the operator created (s3, gcs, azure, swift): the
storage block as the Config holds it, adopt: true and the infrastructure name. Use them as values
for synth (-f), or as a component's or construct's props. Then what changes is printed on stderr.
Storage the operator did not create is refused. See docs/adopting.md.`;

function adopt(args: string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(ADOPT_USAGE);
    return 0;
  }
  if (args.length > 1 || (args[0] ?? '-').startsWith('--')) throw new UsageError('adopt: give one file, or - for stdin: see adopt --help');
  const file = args[0] ?? '-';
  // `oc get a b -o yaml` prints a List
  const docs = readManifests(readInput(io, file, 'adopt'), `adopt: ${clip(file)}`)
    .flatMap((d: any) => (typeof d?.kind === 'string' && d.kind.endsWith('List') && Array.isArray(d.items) ? d.items : [d]));
  const storage = storageOf(docs, file);
  const infrastructure = docs.find((d: any) => d?.kind === 'Infrastructure' && String(d?.apiVersion).startsWith('config.openshift.io/')) as any;
  const infra = infrastructure?.status?.infrastructureName;
  if (typeof infra !== 'string') {
    throw new InputError('adopt: the input holds no Infrastructure with status.infrastructureName: add infrastructure/cluster to the oc get (see adopt --help)');
  }
  const types = Object.keys(storage).filter((k) => k !== 'managementState' && storage[k] !== null && storage[k] !== undefined);
  const kind = types.length === 1 ? storageKindOfConfigType(types[0]) : undefined;
  if (!kind?.adoption) {
    io.stderr(`adopt: the Config's storage is ${types.join(', ') || 'none'}: only the storage the operator creates (s3, gcs, azure, swift) can be adopted [ORS-ADOPT-007]`);
    return 1;
  }
  const block = storage[types[0]] as Record<string, any>;
  // The release, from a ClusterVersion in the input: a Config of a later release holds fields (chunkSizeMiB, networkAccess) the oldest lacks.
  const version = (docs.find((d: any) => d?.kind === 'ClusterVersion' && String(d?.apiVersion).startsWith('config.openshift.io/')) as any)?.status?.desired?.version;
  const props: Record<string, unknown> = {
    ...(kind.propsFromBlock ? kind.propsFromBlock(block) : block), adopt: true, infrastructureName: infra, ...(typeof version === 'string' ? { openshiftVersion: version } : {}),
  };
  let plan: RegistryStoragePlan;
  try {
    plan = kind.plan(props);
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    for (const p of e.problems) io.stderr(formatProblem(p));
    return 1;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsyaml: typeof import('js-yaml') = require('js-yaml');
  io.stdout(`# ${kind.name}: the props that adopt the operator's storage (synth ${kind.cli?.name ?? kind.name} -f this file, or a component's args)\n`
    + jsyaml.dump(props, { noRefs: true, lineWidth: -1 }).trimEnd());
  io.stderr(`was: storage.managementState ${String(storage.managementState ?? 'unset')}; becomes: ${(plan.spec.storage as any).managementState}`);
  for (const w of plan.warnings) io.stderr(`warning: ${formatProblem(w)}`);
  const marker = plan.adoption!.ownedMarker;
  io.stderr('pulumi: as a component\'s args, the first up imports the storage as it is (adopt: true; an import fails on any difference); '
    + `once it has run, set adopt: 'imported': the next preview shows the library's settings as a diff, and what becomes of the ${marker.kind} ${marker.key}`
    + `${kind.name === 'azure' ? ' (the import also needs subscriptionId and resourceGroupName)' : ''}. See docs/adopting.md`);
  io.stderr('cdk8s: as a construct\'s props, its controller adopts the storage where one manages it (ACK, Config Connector, Crossplane); the Config alone otherwise');
  return 0;
}

const PRUNE_USAGE = `Usage: openshift-registry-storage prune [--schedule <cron>] [--cli-image <image>] [--namespace <ns>] [--deadline-seconds <n>]

Prints, as YAML in apply order, the objects of a hard prune: a Job (a CronJob with --schedule) that
opens a read-only window (the image pruner suspended, spec.readOnly: true, the registry rolled), runs
the registry's own pruner in a registry pod (dockerregistry -prune=check, then -prune=delete: what
was freed is in the Job's log), and closes the window whatever happened; with what it needs (its
namespace, roles, system:image-pruner for the registry's service account). See docs/image-pruner.md.`;

function prune(args: string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(PRUNE_USAGE);
    return 0;
  }
  const names: Record<string, 'schedule' | 'cliImage' | 'namespace' | 'deadlineSeconds'> = {
    'schedule': 'schedule', 'cli-image': 'cliImage', 'namespace': 'namespace', 'deadline-seconds': 'deadlineSeconds',
  };
  const options: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].replace(/^--/, '').split(/=(.*)/s, 2);
    if (!args[i].startsWith('--') || !Object.hasOwn(names, name)) throw new UsageError(`prune: unknown option ${clip(args[i])}: see prune --help`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name}: needs a value`);
    options[names[name]] = name === 'deadline-seconds' ? Number(value) : value;
  }
  let objects: KubernetesManifest[];
  try {
    objects = hardPruneObjects(options);
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    const flag = Object.fromEntries(Object.entries(names).map(([f, p]) => [p, `--${f}`]));
    for (const p of e.problems) io.stderr(formatProblem({ ...p, path: flag[p.path] ?? p.path }));
    return 1;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsyaml: typeof import('js-yaml') = require('js-yaml');
  io.stdout(objects.map((o) => `---\n${jsyaml.dump(o, { noRefs: true, lineWidth: -1 })}`).join('').trimEnd());
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
      case 'migrate': return migrate(rest, io);
      case 'prune': return prune(rest, io);
      case 'adopt': return adopt(rest, io);
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
      default: throw new UsageError(`unknown command "${clip(command)}": use synth, check, fleet, migrate, prune or adopt (openshift-registry-storage --help)`);
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
