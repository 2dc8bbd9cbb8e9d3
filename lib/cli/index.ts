/**
 * `openshift-registry-storage`: print registry storage manifests (`synth`) or check a live
 * configuration (`check`). Exit codes: 0 clean, 1 problems found, 2 unusable input or usage.
 */
import { parseAllDocuments } from 'yaml';
import { CREDENTIAL_KEYS, FlagSpec, SYNTH_FLAGS } from './options';
import { inspectRegistryObjects } from '../checks/live-objects';
import { credentialsFromSecretData } from '../core/plan';
import { RegistryStorageValidationError } from '../core/problems';

/** What the CLI reads and writes; injected so it can be tested without a process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => string;
  readonly readStdin: () => string;
}

class UsageError extends Error {}

const USAGE = `Usage: openshift-registry-storage <command> [options]

Commands:
  synth <s3|gcs|swift|azure|pvc|emptydir> [options] [-f values.yaml]
      Print the registry storage manifests (Config, and the Secret, StorageClass or PVC where they
      apply) as YAML for \`oc apply --server-side --field-manager=openshift-registry-storage -f -\`.
  check [file|-]
      Check what \`oc get configs.imageregistry.operator.openshift.io cluster -o yaml\` prints (one or
      more documents, or a List that may also hold the user Secret and claims).

Run \`openshift-registry-storage <command> --help\` for a command's options.
Warnings (setups the operator accepts but the library advises against) go to stderr and do not change the exit code.
Exit codes: 0 clean, 1 problems found, 2 unusable input.`;

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

function parseKeyValues(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || /^[A-Z0-9_]+:\s/m.test(trimmed)) {
    return Object.fromEntries(Object.entries<unknown>(parseAllDocuments(trimmed)[0]?.toJS() ?? {}).map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(trimmed.split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => {
    const i = l.indexOf('=');
    return [l.slice(0, i).trim(), l.slice(i + 1).trim().replace(/^["']|["']$/g, '')];
  }));
}

function credentialsFrom(type: string, source: Record<string, string | undefined>): Record<string, string> | undefined {
  const keys = CREDENTIAL_KEYS[type];
  const creds = keys ? credentialsFromSecretData(keys, source) : {};
  return Object.keys(creds).length > 0 ? creds : undefined;
}

function synth(args: string[], env: Record<string, string | undefined>, io: CliIo): number {
  const type = args[0];
  if (type === undefined || type === '--help' || type === '-h') {
    io.stdout(synthUsage());
    return type === undefined ? 2 : 0;
  }
  const flags = SYNTH_FLAGS[type];
  if (!flags) throw new UsageError(`synth: unknown storage type "${type}": use one of ${Object.keys(SYNTH_FLAGS).join(', ')}`);
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(synthUsage(type));
    return 0;
  }
  let props: Record<string, any> = {};
  const set: Array<[string, unknown]> = [];
  let credentialSource: Record<string, string | undefined> = env;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-')) throw new UsageError(`synth: unexpected argument "${arg}": options start with --`);
    const [name, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2);
    if (name === 'f' || name === 'values') {
      const file = inline ?? args[++i];
      if (!file) throw new UsageError(`--${name}: needs a file (-f values.yaml)`);
      props = { ...(parseAllDocuments(io.readFile(file))[0]?.toJS() ?? {}), ...props };
      continue;
    }
    if (name === 'credentials-file') {
      const file = inline ?? args[++i];
      if (!file) throw new UsageError('--credentials-file: needs a file');
      credentialSource = { ...env, ...parseKeyValues(io.readFile(file)) };
      continue;
    }
    if (['access-key', 'secret-key', 'password', 'account-key', 'keyfile', 'application-credential-secret'].includes(name)) {
      throw new UsageError(`--${name}: credentials are never read from flags (shell history keeps them): set ${Object.values(CREDENTIAL_KEYS[type] ?? {}).join(', ') || 'nothing: this storage has no credentials'} in the environment or a --credentials-file`);
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
  const byProp = Object.fromEntries(Object.entries(flags).map(([f, s]) => [s.prop, f]));
  const where = (path: string) => (byProp[path] ? `--${byProp[path]}` : path.startsWith('credentials') ? 'credentials' : path);
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
    io.stdout('Usage: openshift-registry-storage check [file|-]\n\nReads YAML from the file, or stdin with - or no argument, and prints every problem.\nExit codes: 0 clean, 1 problems found, 2 unusable input.');
    return 0;
  }
  if (args.length > 1) throw new UsageError(`check: takes one file, got ${args.length}`);
  const file = args[0] ?? '-';
  let text: string;
  try {
    text = file === '-' ? io.readStdin() : io.readFile(file);
  } catch (e) {
    io.stderr(`check: cannot read ${file === '-' ? 'stdin' : file}: ${(e as Error).message}`);
    return 2;
  }
  const docs = parseAllDocuments(text);
  const bad = docs.find((d) => d.errors.length > 0);
  if (bad) {
    io.stderr(`check: ${file === '-' ? 'stdin' : file} is not valid YAML: ${bad.errors[0].message.split('\n')[0]}`);
    return 2;
  }
  const objects = docs.map((d) => d.toJS()).filter((o) => o !== null && o !== undefined)
    .flatMap((o: any) => (o?.kind === 'List' || (typeof o?.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) ? o.items : [o]));
  let findings;
  try {
    findings = inspectRegistryObjects(objects);
  } catch (e) {
    io.stderr(`check: ${(e as Error).message}`);
    return 2;
  }
  const problems = findings.problems;
  for (const w of findings.warnings) io.stderr(`warning: ${w.path}: ${w.message}`);
  for (const p of problems) io.stdout(`${p.path}: ${p.message}`);
  if (problems.length === 0) io.stdout('ok: no problems found');
  return problems.length === 0 ? 0 : 1;
}

/** Runs the CLI; returns the exit code. */
export function runCli(argv: string[], env: Record<string, string | undefined>, io: CliIo): number {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'synth': return synth(rest, env, io);
      case 'check': return check(rest, io);
      case '--help': case '-h': case 'help':
        io.stdout(USAGE);
        return 0;
      case undefined:
        io.stderr(USAGE);
        return 2;
      default: throw new UsageError(`unknown command "${command}": use synth or check (openshift-registry-storage --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(e.message);
      return 2;
    }
    throw e;
  }
}
