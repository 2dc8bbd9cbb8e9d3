/** The CLI against hostile or broken input: every case is exit 2 (or 1) with one bounded line, never a hang or a stack. */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { runCliInMemory } from './run';
import { clip, MAX_ECHO_CHARS, runCli } from '../../lib/cli';
import { nodeIo } from '../../lib/cli/node-io';
import { MAX_INPUT_BYTES } from '../../lib/cli/read-yaml';

const run = runCliInMemory;

/** Exit 2 and exactly one line on stderr, matching `expected`. */
function expectOneLine(r: { code: number; stderr: string }, expected: RegExp, code = 2) {
  expect({ code: r.code, lines: r.stderr.split('\n').length, stderr: r.stderr }).toEqual({ code, lines: 1, stderr: expect.stringMatching(expected) });
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const config = (spec: object) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec });
const s3 = config({ replicas: 2, managementState: 'Managed', storage: { managementState: 'Unmanaged', s3: { bucket: 'b-b-b', region: 'us-east-1' } } });
const ALIAS_BOMB = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
  ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n') + '\n';

describe('1. only regular files, bounded', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-hostile-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const real = (args: string[]) => {
    const err: string[] = [];
    const code = runCli(args, {}, { ...nodeIo(), stdout: () => undefined, stderr: (t: string) => err.push(t) });
    return { code, stderr: err.join('\n') };
  };

  it('a FIFO, /dev/zero, /dev/urandom and a directory: exit 2 at once, naming the file', () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    expectOneLine(real(['check', fifo]), /^check: cannot read .*pipe: it is a FIFO, not a regular file: save the input to a file, or pipe it to stdin with -$/);
    expectOneLine(real(['check', '/dev/zero']), /^check: cannot read \/dev\/zero: it is a device, not a regular file/);
    expectOneLine(real(['synth', 's3', '-f', '/dev/urandom']), /^synth: cannot read \/dev\/urandom: it is a device/);
    expectOneLine(real(['synth', 's3', '--credentials-file', '/dev/zero']), /^synth: cannot read \/dev\/zero: it is a device/);
    expectOneLine(real(['fleet', 'check', dir]), /^fleet check: cannot read .*: it is a directory: give a file$/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a file over the cap is refused before it is read', () => {
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_INPUT_BYTES + 1);
    expectOneLine(real(['check', big]), /^check: cannot read .*big\.yaml: it is 16 MiB; the limit is 16 MiB$/);
  });

  it('stdin is read up to the cap, then refused (check - < /dev/zero ends)', () => {
    const bin = path.join(__dirname, '..', '..', 'lib', 'cli', 'bin.ts');
    const zero = fs.openSync('/dev/zero', 'r');
    try {
      const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', bin, 'check', '-'], {
        stdio: [zero, 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000, cwd: path.join(__dirname, '..', '..'),
      });
      if (r.error || /Cannot find module 'ts-node/.test(r.stderr)) return; // no ts-node here: the in-process tests below cover it
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe('check: cannot read stdin: it is over 16 MiB, the limit: give a smaller input');
    } finally {
      fs.closeSync(zero);
    }
  }, 70_000);
});

describe('2. fleet check: the YAML reader of check and synth', () => {
  it('an alias bomb is refused at once, exit 2, one line', () => {
    const started = Date.now();
    expectOneLine(run(['fleet', 'check', 'inv.yaml'], { files: { 'inv.yaml': ALIAS_BOMB } }), /^fleet check: inv\.yaml expands through aliases to more than 5000000 values/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
  it('invalid YAML is exit 2, as for synth and check', () => {
    expectOneLine(run(['fleet', 'check', 'inv.yaml'], { files: { 'inv.yaml': 'clusters: [' } }), /^fleet check: inv\.yaml is not valid YAML: /);
    expectOneLine(run(['fleet', 'synth', 'inv.yaml', '--output', 'acm'], { files: { 'inv.yaml': 'a: 1\na: 2\n' } }), /duplicated mapping key \(line 2, column 1\)/);
  });
});

describe('3. prototype names are not types, flags or keys', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('synth %s', (type) => {
    expectOneLine(run(['synth', type]), new RegExp(`^synth: unknown storage type "${type}": use one of s3, gcs`));
  });
  it.each(['--__proto__', '--constructor', '--toString=x', '--valueOf'])('synth s3 %s', (flag) => {
    expectOneLine(run(['synth', 's3', flag]), /^--\S+: not an option of synth s3/);
  });
  it('fleet options', () => {
    expectOneLine(run(['fleet', 'synth', 'inv.yaml', '--__proto__', 'x'], { files: { 'inv.yaml': 'clusters: []\n' } }), /^fleet synth: unknown option --__proto__/);
    expectOneLine(run(['fleet', 'synth', 'inv.yaml', '--constructor', 'x'], { files: { 'inv.yaml': 'clusters: []\n' } }), /^fleet synth: unknown option --constructor/);
  });
  it.each([
    ['__proto__=x\n', /^c line 1: __proto__ is not a credential key: remove it$/],
    ['constructor=x\n', /^c line 1: constructor is not a credential key: remove it$/],
    ['__proto__: x\n', /^c: __proto__ is not a credential key: remove it$/],
    ['{"constructor": "x"}', /^c: constructor is not a credential key: remove it$/],
  ])('a credentials file with %j', (text, expected) => {
    expectOneLine(run(['synth', 's3', '--bucket', 'b-b-b', '--credentials-file', 'c'], { files: { c: text } }), expected);
  });
  it('environment variables named like prototype members do nothing', () => {
    expect(run(['synth', 's3', '--bucket', 'b-b-b', '--region', 'r'], { env: { constructor: 'x', __proto__: 'y' } as any }).code).toBe(0);
  });
});

describe('4. malformed Lists and output errors', () => {
  it.each([
    [{ apiVersion: 'v1', kind: 'List', items: 'nope' }, /^check: stdin: document 1: a List needs items: a list of objects, got a string$/],
    [{ apiVersion: 'v1', kind: 'List' }, /^check: stdin: document 1: a List needs items: a list of objects, got nothing$/],
    [{ apiVersion: 'v1', kind: 'List', items: { a: 1 } }, /got a object$/],
    [{ apiVersion: 'v1', kind: 'List', items: [s3, 'x'] }, /^check: stdin: document 1, item 2: must be an object \(apiVersion, kind, \.\.\.\), got a string$/],
    [{ apiVersion: 'v1', kind: 'List', items: [null] }, /item 1: must be an object .*got nothing$/],
    [{ apiVersion: 'v1', kind: 'List', items: [[1]] }, /item 1: must be an object .*got a list$/],
  ])('%j', (list, expected) => {
    expectOneLine(run(['check'], { stdin: stringify(list) }), expected);
  });

  it.each(['ENOTDIR', 'EEXIST', 'ENOSPC', 'EACCES', 'EISDIR', 'EWHATEVER'])('--out failing with %s', (code) => {
    const io = { writeFile: () => { throw Object.assign(new Error(`${code}: it failed\n    at somewhere`), { code }); } };
    const inv = 'clusters:\n  - name: a\n    platform: aws\n    storage: {s3: {bucket: acme-a-registry, region: us-east-1}}\n';
    const acm = run(['fleet', 'synth', 'inv.yaml', '--output', 'acm', '--remediation', 'inform', '--out', 'out/acm.yaml'], { files: { 'inv.yaml': inv }, io });
    expectOneLine(acm, new RegExp(`^fleet synth: cannot write out/acm\\.yaml: ${code}`));
    const argo = run(['fleet', 'synth', 'inv.yaml', '--output', 'argocd', '--repo-url', 'https://g.example.com/f.git', '--out', 'out'], { files: { 'inv.yaml': inv }, io });
    expectOneLine(argo, new RegExp(`^fleet synth: cannot write out/\\S+: ${code}`));
  });

  it('real write errors: a file where a folder should be (ENOTDIR/EEXIST)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-out-'));
    try {
      const file = path.join(dir, 'file');
      fs.writeFileSync(file, 'x');
      const inv = path.join(dir, 'inv.yaml');
      fs.writeFileSync(inv, 'clusters:\n  - name: a\n    platform: aws\n    storage: {s3: {bucket: acme-a-registry, region: us-east-1}}\n');
      const err: string[] = [];
      const io = { ...nodeIo(), stdout: () => undefined, stderr: (t: string) => err.push(t) };
      expect(runCli(['fleet', 'synth', inv, '--output', 'acm', '--remediation', 'inform', '--out', path.join(file, 'x', 'acm.yaml')], {}, io)).toBe(2);
      expect(err).toEqual([expect.stringMatching(/^fleet synth: cannot write .*: (ENOTDIR|EEXIST): .*choose another --out$/)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('5. integer flags take decimal digits only', () => {
  it.each(['0x10', '0b11', '0o7', '1e1', ' 3', '3 ', '', '1.5', '+3', 'Infinity', '--'])('--replicas %j', (value) => {
    expectOneLine(run(['synth', 's3', '--bucket', 'b-b-b', `--replicas=${value}`]), /^--replicas: expected a whole number in decimal digits \(--replicas 3\), got "/);
  });
  it('a negative or zero count reaches the core, which names the rule (exit 1)', () => {
    const r = run(['synth', 's3', '--bucket', 'b-b-b', '--region', 'r', '--replicas', '-1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^--replicas: /);
    expect(run(['synth', 's3', '--bucket', 'b-b-b', '--region', 'r', '--replicas', '3']).code).toBe(0);
  });
  it('--chunk-size-mib is whole too', () => {
    expectOneLine(run(['synth', 's3', '--bucket', 'b-b-b', '--chunk-size-mib', '0x10']), /^--chunk-size-mib: expected a whole number/);
  });
});

describe('6. credentials files: duplicated keys, and no value ever echoed', () => {
  const file = (text: string) => run(['synth', 's3', '--bucket', 'b-b-b', '--region', 'r', '--credentials-file', 'c'], { files: { c: text } });
  it('a key set twice in KEY=value lines names the key and both lines', () => {
    const r = file('REGISTRY_STORAGE_S3_ACCESSKEY=first-secret\n# comment\nREGISTRY_STORAGE_S3_SECRETKEY=s\nREGISTRY_STORAGE_S3_ACCESSKEY=second-secret\n');
    expectOneLine(r, /^c line 4: REGISTRY_STORAGE_S3_ACCESSKEY is set twice \(also on line 1\): keep one$/);
    expect(r.stderr).not.toMatch(/secret/);
  });
  it('an unknown key set twice is named by line only', () => {
    expectOneLine(file('hunter2=x\nhunter2=y\n'), /^c line 2: the key is set twice \(also on line 1\): keep one$/);
  });
  it('YAML and JSON duplicated keys', () => {
    expectOneLine(file('REGISTRY_STORAGE_S3_ACCESSKEY: a\nREGISTRY_STORAGE_S3_ACCESSKEY: b\n'), /^c is not valid YAML: duplicated mapping key \(line 2, column 1\)$/);
    expectOneLine(file('{"REGISTRY_STORAGE_S3_ACCESSKEY": "a", "REGISTRY_STORAGE_S3_ACCESSKEY": "b"}'), /^c is not valid YAML: duplicated mapping key/);
  });
  it('a malformed line, an unknown key, a non-string value: no value and no unknown key text in the message', () => {
    const secret = 'AKIAIOSFODNN7EXAMPLEwJalrXUtnFEMI';
    for (const [text, expected, code] of [
      [`REGISTRY_STORAGE_S3_ACCESSKEY=a\n${secret}\n`, /^c line 2: expected KEY=value$/, 2],
      [`${secret}=x\n`, /^c: line 1: the key: not credential keys of s3 storage/, 1],
      [`${secret}:\n  - x\n`, /^c: a key must be a string, got a list$/, 2],
      [`REGISTRY_STORAGE_S3_ACCESSKEY: [${secret}]\n`, /^c: REGISTRY_STORAGE_S3_ACCESSKEY must be a string, got a list$/, 2],
    ] as Array<[string, RegExp, number]>) {
      const r = file(text);
      expectOneLine(r, expected, code);
      expect(r.stderr + r.stdout).not.toContain(secret);
    }
  });
});

describe('7. check takes several files, and a cat of cdk8s output', () => {
  const clean = stringify(s3);
  const secret = stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'openshift-image-registry' }, data: {} });
  const bad = stringify(config({ replicas: 2, storage: { s3: { bucket: 'b-b-b', region: 'r', regionEndpoint: 'no-scheme:9021' } } }));

  it('check a.yaml b.yaml -: every file read, problems named by file and document', () => {
    const r = run(['check', 'a.yaml', 'b.yaml', '-'], { files: { 'a.yaml': secret, 'b.yaml': `---\n${secret}---\n` }, stdin: bad });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^stdin: document 1: spec\.storage\.s3\.regionEndpoint: must be an http/m);
    expect(run(['check', 'a.yaml', 'b.yaml'], { files: { 'a.yaml': clean, 'b.yaml': secret } })).toMatchObject({ code: 0, stdout: 'ok: no problems found' });
  });

  it('two Configs across files are named by their file', () => {
    const r = run(['check', 'a.yaml', 'b.yaml'], { files: { 'a.yaml': clean, 'b.yaml': clean } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('b.yaml: document 1: metadata.name: 2 Configs named "cluster"');
  });

  it('a cat of cdk8s output files (no --- between them), with empty documents and Lists', () => {
    const cdk8sFile = (...objects: object[]) => objects.map((o) => stringify(o)).join('---\n');
    const list = { apiVersion: 'v1', kind: 'List', items: [] };
    const cat = cdk8sFile({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }, list) + cdk8sFile(s3) + '---\n---\n';
    expect(run(['check'], { stdin: cat })).toMatchObject({ code: 0, stdout: 'ok: no problems found' });
    // real duplicated keys inside one object are still refused
    expectOneLine(run(['check'], { stdin: 'kind: Config\nkind: Config\n' }), /^check: stdin is not valid YAML: duplicated mapping key/);
  });

  it('an option is not a file', () => {
    expectOneLine(run(['check', '--strict']), /^check: unknown option --strict/);
  });
});

const inventory = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'fleet', 'inventory.yaml'), 'utf8');

describe('8. echoed values are bounded and on one line', () => {
  const huge = 'x'.repeat(10 * 1024 * 1024);
  it('clip keeps 200 characters and says how long the value was', () => {
    expect(clip('short')).toBe('short');
    expect(clip('a'.repeat(201))).toBe(`${'a'.repeat(MAX_ECHO_CHARS)}… (201 characters)`);
    expect(clip('a\nb\r\u0000')).toBe('a\\nb\\r\\u0000');
  });
  it.each([
    [['synth', huge]],
    [['synth', 's3', `--${huge}`]],
    [['synth', 's3', huge]],
    [['synth', 's3', '--replicas', huge]],
    [['synth', 's3', '--encrypt', huge]],
    [['synth', 's3', '-f', huge]],
    [['check', huge]],
    [[huge]],
    [['fleet', huge]],
    [['fleet', 'synth', 'inv.yaml', `--${huge}`]],
    [['fleet', 'synth', 'inv.yaml', '--output', huge]],
  ])('%#: a 10 MiB argument gives a short line', (argv) => {
    const r = run(argv as string[], { files: { 'inv.yaml': inventory } });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr.length).toBeLessThan(1000);
    expect(r.stderr).toMatch(/… \(1048576\d characters\)/);
  });
  it('a value with line breaks stays on one line', () => {
    expectOneLine(run(['synth', 'a\nb']), /^synth: unknown storage type "a\\nb"/);
  });
  it('a values-file key of 10 MiB', () => {
    const r = run(['synth', 's3', '-f', 'v.yaml'], { files: { 'v.yaml': `${'k'.repeat(100_000)}: 1\n` } });
    expect(r.code).toBe(1);
    expect(r.stderr.length).toBeLessThan(1000);
  });
});
