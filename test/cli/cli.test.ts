import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { runCli } from '../../lib/cli';
import { nodeIo } from '../../lib/cli/node-io';

function run(argv: string[], opts: { env?: Record<string, string>; files?: Record<string, string>; stdin?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(argv, opts.env ?? {}, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => {
      if (opts.files?.[p] === undefined) throw new Error(`ENOENT: no such file '${p}'`);
      return opts.files[p];
    },
    readStdin: () => opts.stdin ?? '',
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const docs = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS());

const config = (spec: object) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec });

describe('openshift-registry-storage --help', () => {
  it('prints usage for the tool and each command, exit 0', () => {
    expect(run(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('synth <s3|gcs|azure|swift|ibmcos|pvc|emptydir>') });
    expect(run(['synth', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--region-endpoint') });
    expect(run(['synth', 'pvc', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--availability-zone') });
    expect(run(['check', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Exit codes') });
  });
  it('no command or an unknown one is a usage error, exit 2', () => {
    expect(run([]).code).toBe(2);
    expect(run(['deploy'])).toEqual({ code: 2, stdout: '', stderr: 'unknown command "deploy": use synth, check, fleet, migrate, prune or adopt (openshift-registry-storage --help)' });
  });
});

describe('synth', () => {
  it('prints the Config for oc apply, exit 0', () => {
    const r = run(['synth', 's3', '--bucket', 'acme-registry', '--region', 'eu-west-1', '--chunk-size-mib=16', '--virtual-hosted-style', '--openshift-version', '4.17']);
    expect(r.code).toBe(0);
    const [cfg] = docs(r.stdout);
    expect(cfg.spec.storage.s3).toEqual({ bucket: 'acme-registry', region: 'eu-west-1', chunkSizeMiB: 16, virtualHostedStyle: true, encrypt: true });
  });

  it('credentials come from the environment, named like the Secret keys; no credentials, no Secret', () => {
    const withCreds = run(['synth', 'azure', '--account-name', 'acmeregistry', '--container', 'images', '--cloud-name', 'AzureUSGovernmentCloud'],
      { env: { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'k' } });
    expect(withCreds.code).toBe(0);
    expect(docs(withCreds.stdout).map((d) => d.kind)).toEqual(['Secret', 'Config']);
    expect(docs(withCreds.stdout)[0].stringData).toEqual({ REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'k' });
    const without = run(['synth', 'azure', '--account-name', 'acmeregistry', '--container', 'images']);
    expect(docs(without.stdout).map((d) => d.kind)).toEqual(['Config']);
  });

  it('reads props from -f and credentials from --credentials-file', () => {
    const r = run(['synth', 'swift', '-f', 'values.yaml', '--credentials-file', 'creds.env', '--region-name', 'RegionOne'], {
      files: {
        'values.yaml': stringify({ container: 'registry', authURL: 'https://keystone.example.com:5000/v3', domain: 'Default', tenant: 'registry' }),
        'creds.env': 'REGISTRY_STORAGE_SWIFT_USERNAME=registry\nREGISTRY_STORAGE_SWIFT_PASSWORD="not-a-real-password"\n',
      },
    });
    expect(r.code).toBe(0);
    const [secret, cfg] = docs(r.stdout);
    expect(Object.keys(secret.stringData).sort()).toEqual(['REGISTRY_STORAGE_SWIFT_PASSWORD', 'REGISTRY_STORAGE_SWIFT_USERNAME']);
    expect(cfg.spec.storage.swift).toMatchObject({ container: 'registry', regionName: 'RegionOne' });
  });

  it('warnings (setups the operator accepts) go to stderr and keep exit 0', () => {
    const r = run(['synth', 's3', '--bucket', 'minio', '--region', 'us-east-1', '--region-endpoint', 'https://minio.example.com']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: --region-endpoint: host "minio.example.com" has a label equal to the bucket name "minio"/);
    expect(docs(r.stdout)[0].spec.storage.s3.regionEndpoint).toBe('https://minio.example.com');
    const small = run(['synth', 'pvc', '--size', '20Gi']);
    expect(small.code).toBe(0);
    expect(small.stderr).toMatch(/^warning: --size: is "20Gi", below the 100Gi/);
    // no second copy from the construct itself
    expect(small.stderr.split('\n')).toHaveLength(1);
  });

  it('pvc with a Cinder zone prints StorageClass, claim and Config', () => {
    const r = run(['synth', 'pvc', '--claim', 'csi-pvc-imageregistry', '--availability-zone', 'nova']);
    expect(docs(r.stdout).map((d) => d.kind)).toEqual(['StorageClass', 'PersistentVolumeClaim', 'Config']);
  });

  it('invalid props: every problem, one line each naming the option, exit 1', () => {
    const r = run(['synth', 's3', '--region-endpoint', 'fancy-emc-thing:9021', '--chunk-size-mib', '2', '--openshift-version', '4.17']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(/^--region-endpoint: must be an http:\/\/ or https:\/\/ URL/),
      expect.stringMatching(/^--region: is required with regionEndpoint/),
      expect.stringMatching(/^--chunk-size-mib: must be a whole number of MiB from 5 to 5120/),
    ]);
    expect(run(['synth', 'emptydir']).stderr).toMatch(/^--acknowledge-non-production: must be true/);
  });

  it('usage errors are one line naming the option and the fix, exit 2', () => {
    expect(run(['synth', 'minio'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^synth: unknown storage type "minio": use one of s3, gcs/) });
    expect(run(['synth', 's3', '--project-id', 'x'])).toMatchObject({ code: 2, stderr: '--project-id: not an option of synth s3; see `openshift-registry-storage synth s3 --help`' });
    expect(run(['synth', 's3', '--replicas', 'two'])).toMatchObject({ code: 2, stderr: '--replicas: expected a whole number in decimal digits (--replicas 3), got "two"' });
    expect(run(['synth', 's3', '--bucket'])).toMatchObject({ code: 2, stderr: '--bucket: needs a value (--bucket <string>)' });
    expect(run(['synth', 's3', '--secret-key', 'hunter2'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^--secret-key: credentials are never read from flags/) });
  });
});

describe('check', () => {
  const s3 = config({ replicas: 2, managementState: 'Managed', storage: { managementState: 'Unmanaged', s3: { bucket: 'b-b-b', region: 'us-east-1' } } });

  it('a clean Config, exit 0', () => {
    expect(run(['check', 'cluster.yaml'], { files: { 'cluster.yaml': stringify(s3) } })).toEqual({ code: 0, stdout: 'ok: no problems found', stderr: '' });
  });

  it('reads stdin with - or no argument', () => {
    expect(run(['check', '-'], { stdin: stringify(s3) }).code).toBe(0);
    expect(run(['check'], { stdin: stringify(s3) }).code).toBe(0);
  });

  it('warnings on a live Config go to stderr, exit 0 (an external RGW on port 7480)', () => {
    const r = run(['check'], { stdin: stringify(config({ replicas: 2, storage: { s3: { bucket: 'registry', region: 'us-east-1', regionEndpoint: 'http://rgw.example.com:7480' } } })) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok: no problems found');
    expect(r.stderr).toMatch(/^warning: document 1: spec\.storage\.s3\.regionEndpoint: Ceph Rados Gateway endpoint with an explicit port \(7480\)/);
  });

  it('a manifest without replicas is a server-side-apply patch (the live value stays): no problem', () => {
    expect(run(['check'], { stdin: stringify(config({ storage: { s3: { bucket: 'b-b-b', region: 'r' } } })) }).code).toBe(0);
  });

  it('managementState Removed: a warning with Unmanaged storage, a problem with Managed storage (the images would go)', () => {
    const off = run(['check'], { stdin: stringify(config({ managementState: 'Removed', replicas: 1, storage: { managementState: 'Unmanaged', pvc: { claim: 'c' } } })) });
    expect(off.code).toBe(0);
    expect(off.stderr).toMatch(/^warning: document 1: spec\.managementState: is Removed: the registry is off/);
    const deleting = run(['check'], { stdin: stringify(config({ managementState: 'Removed', replicas: 2, storage: { managementState: 'Managed', s3: { bucket: 'b-b-b', region: 'r' } } })) });
    expect(deleting.code).toBe(1);
    expect(deleting.stdout).toMatch(/^document 1: spec\.managementState: is Removed with storage.managementState Managed/m);
  });

  it('two cluster Configs in one input, exit 1', () => {
    const one = stringify(config({ replicas: 2, storage: { s3: { bucket: 'b-b-b', region: 'r' } } }));
    const r = run(['check'], { stdin: `${one}---\n${one}` });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('document 2: metadata.name: 2 Configs named "cluster" in the input');
  });

  it('two storage types, exit 1', () => {
    const r = run(['check'], { stdin: stringify(config({ replicas: 1, storage: { emptyDir: {}, s3: {} } })) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('document 1: spec.storage: exactly one storage type should be configured at the same time, got 2: [emptyDir s3]');
  });

  it('an S3 endpoint without scheme, exit 1', () => {
    const r = run(['check'], { stdin: stringify(config({ replicas: 2, storage: { s3: { bucket: 'b-b-b', region: 'r', regionEndpoint: 'fancy-emc-thing:9021' } } })) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^document 1: spec\.storage\.s3\.regionEndpoint: must be an http:\/\/ or https:\/\/ URL/m);
  });

  it('a List with the Secret: keys the operator will not read (REGISTRY_STORAGE_SWIFT_USER), exit 1', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        config({ replicas: 2, disableRedirect: true, storage: { swift: { container: 'c', authURL: 'https://k.example.com/v3', domain: 'Default', tenant: 't' } } }),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
          data: { REGISTRY_STORAGE_SWIFT_USER: Buffer.from('u').toString('base64'), REGISTRY_STORAGE_SWIFT_PASSWORD: Buffer.from('p').toString('base64') },
        },
      ],
    };
    const r = run(['check'], { stdin: stringify(list) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('document 1, item 2: Secret openshift-image-registry/image-registry-private-configuration-user.REGISTRY_STORAGE_SWIFT_USER: the operator does not read REGISTRY_STORAGE_SWIFT_USER for swift storage: rename it to REGISTRY_STORAGE_SWIFT_USERNAME');
    expect(r.stdout).toContain('has no complete set of the keys the operator reads for swift');
  });

  it('ReadWriteOnce claim with several replicas when the claim is included, exit 1', () => {
    const input = [
      config({ replicas: 2, storage: { pvc: { claim: 'registry' } } }),
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'registry', namespace: 'openshift-image-registry' }, spec: { accessModes: ['ReadWriteOnce'] } },
    ].map((d) => stringify(d)).join('---\n');
    const r = run(['check'], { stdin: input });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(/^document 1: spec\.replicas: cannot use ReadWriteOnce access mode with more than one replica/),
      expect.stringMatching(/^document 1: spec\.rolloutStrategy: cannot use ReadWriteOnce access mode with RollingUpdate rollout strategy/),
    ]);
  });

  it('a Secret whose data is not base64, and a claim without a usable access mode: each named by its document', () => {
    const input = [
      config({ replicas: 1, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'registry' } } }),
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'registry', namespace: 'openshift-image-registry' }, spec: { accessModes: ['ReadOnlyMany'] } },
      config({ replicas: 2, storage: { s3: { bucket: 'b-b-b', region: 'r' } } }),
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [{
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
          data: { REGISTRY_STORAGE_S3_ACCESSKEY: 'not base64!', REGISTRY_STORAGE_S3_SECRETKEY: Buffer.from('s').toString('base64') },
        }],
      },
    ].map((d) => stringify(d)).join('---\n');
    const r = run(['check'], { stdin: input });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining([
      'document 2: PersistentVolumeClaim openshift-image-registry/registry: does not contain the necessary access modes: ReadWriteMany or ReadWriteOnce [ORS-CHECK-006]',
      'document 3: metadata.name: 2 Configs named "cluster" in the input: a cluster has one; the last applied would win [ORS-CHECK-009]',
      'document 4, item 1: Secret openshift-image-registry/image-registry-private-configuration-user.data.REGISTRY_STORAGE_S3_ACCESSKEY: '
        + 'is not valid base64: the API server refuses the Secret. Encode the value with base64 -w0, or put plain text under stringData [ORS-CHECK-001]',
    ]));
    // the value itself is never printed
    expect(r.stdout).not.toContain('not base64!');
  });

  describe('credentials: static keys against the cluster\'s own identity', () => {
    const secret = (name: string, data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'openshift-image-registry' },
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    });
    const userKeys = secret('image-registry-private-configuration-user', { REGISTRY_STORAGE_S3_ACCESSKEY: 'AKIAEXAMPLE', REGISTRY_STORAGE_S3_SECRETKEY: 'hunter2' });
    const sts = secret('installer-cloud-credentials', { credentials: '[default]\nrole_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = /var/run/secrets/openshift/serviceaccount/token\n' });
    const minted = secret('installer-cloud-credentials', { aws_access_key_id: 'AKIAMINTED', aws_secret_access_key: 'x' });
    const s3With = (extra: object = {}) => config({ replicas: 2, storage: { s3: { bucket: 'b-b-b', region: 'r', ...extra } } });
    const yamlDocs = (...d: object[]) => d.map((x) => stringify(x)).join('---\n');

    it('warns when the user Secret holds keys while the cluster\'s credentials are short-lived (STS, WIF, Workload Identity)', () => {
      const r = run(['check'], { stdin: yamlDocs(s3With(), userKeys, sts) });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('warning: document 2: Secret openshift-image-registry/image-registry-private-configuration-user: holds static keys while the cluster\'s installer-cloud-credentials are short-lived');
      expect(r.stderr + r.stdout).not.toMatch(/AKIAEXAMPLE|hunter2/);
      const gcp = secret('installer-cloud-credentials', { 'service_account.json': JSON.stringify({ type: 'external_account' }) });
      const gcsKey = secret('image-registry-private-configuration-user', { REGISTRY_STORAGE_GCS_KEYFILE: JSON.stringify({ type: 'service_account' }) });
      const gcs = config({ replicas: 2, storage: { gcs: { bucket: 'b-b-b', region: 'us-east1', projectID: 'p' } } });
      expect(run(['check'], { stdin: yamlDocs(gcs, gcsKey, gcp) }).stderr).toContain('holds static keys');
      const azure = config({ replicas: 2, storage: { azure: { accountName: 'acmeregistry', container: 'images' } } });
      const azureKey = secret('image-registry-private-configuration-user', { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'k' });
      const wi = secret('installer-cloud-credentials', { azure_client_id: 'c', azure_tenant_id: 't', azure_federated_token_file: '/var/run/secrets/openshift/serviceaccount/token' });
      expect(run(['check'], { stdin: yamlDocs(azure, azureKey, wi) }).stderr).toContain('holds static keys');
    });

    it('no warning with minted (long-lived) cluster credentials, or without the user Secret', () => {
      expect(run(['check'], { stdin: yamlDocs(s3With(), userKeys, minted) }).stderr).toBe('');
      expect(run(['check'], { stdin: yamlDocs(s3With(), sts) }).stderr).toBe('');
    });

    it('warns when keyID is set and no user Secret is in the input: the cluster\'s identity needs the key granted', () => {
      const r = run(['check'], { stdin: yamlDocs(s3With({ keyID: 'arn:aws:kms:us-east-1:111122223333:key/abcd' })) });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^warning: document 1: spec\.storage\.s3\.keyID: is set with no user Secret in the input, .*kms:Encrypt, kms:Decrypt and kms:GenerateDataKey/);
      expect(run(['check'], { stdin: yamlDocs(s3With({ keyID: 'arn:aws:kms:us-east-1:111122223333:key/abcd' }), userKeys) }).stderr).toBe('');
    });
  });

  it('unusable input: one line with the reason, exit 2', () => {
    expect(run(['check'], { stdin: 'a: [' })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^check: stdin is not valid YAML: /) });
    expect(run(['check'], { stdin: stringify({ apiVersion: 'v1', kind: 'ConfigMap' }) })).toMatchObject({ code: 2, stderr: 'check: no configs.imageregistry.operator.openshift.io object in the input' });
    expect(run(['check', 'missing.yaml'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^check: cannot read missing.yaml: ENOENT/) });
    expect(run(['check', 'a', 'b'])).toMatchObject({ code: 2, stderr: "check: cannot read a: ENOENT: no such file 'a'" });
    expect(run(['check', '-', '-'])).toMatchObject({ code: 2, stderr: 'check: - (stdin) can be given once' });
  });
});

/** Nine levels of ten aliases: a billion values if copied, a few hundred bytes as text. */
const ALIAS_BOMB = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
  ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n') + '\n';

describe('every input gets a clear answer', () => {
  it('--version prints the package version', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(run(['--version'])).toEqual({ code: 0, stdout: require('../../package.json').version, stderr: '' });
  });

  it('synth with no type prints usage to stderr, exit 2', () => {
    const r = run(['synth']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('Usage: openshift-registry-storage synth');
  });

  it('the Config\'s spelling of a type is an alias of the CLI\'s (emptyDir for emptydir)', () => {
    const a = run(['synth', 'emptyDir', '--acknowledge-non-production']);
    const b = run(['synth', 'emptydir', '--acknowledge-non-production']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('a credential flag on emptyDir says it takes none', () => {
    expect(run(['synth', 'emptydir', '--password', 'x'])).toEqual({ code: 2, stdout: '', stderr: '--password: emptydir storage takes no credentials' });
  });

  it('-f values: unknown keys name the key and the closest prop, exit 1; problems name the key, not a flag', () => {
    const typo = run(['synth', 's3', '-f', 'v.yaml'], { files: { 'v.yaml': 'bukcet: acme\nregion: eu-west-1\n' } });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/^v\.yaml: bukcet: not a prop of s3 storage; did you mean bucket\?/);
    const bad = run(['synth', 's3', '-f', 'v.yaml'], { files: { 'v.yaml': 'bucket: Not_Valid\nregion: eu-west-1\n' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^v\.yaml: bucket: "Not_Valid"/);
    const creds = run(['synth', 's3', '-f', 'v.yaml'], { files: { 'v.yaml': 'credentials:\n  accessKey: a\n' } });
    expect(creds).toMatchObject({ code: 1, stderr: expect.stringMatching(/^v\.yaml: credentials: never read from a values file/) });
  });

  it('-f values that are not a readable map: one line, exit 2', () => {
    const cases: Record<string, RegExp> = {
      'bucket: a\nbucket: b\n': /not valid YAML: duplicated mapping key \(line 2, column 1\)/,
      'bucket: "unterminated\n': /not valid YAML/,
      '- bucket\n- region\n': /must be a map of keys to values, got a list/,
      'just a string\n': /must be a map of keys to values, got a string/,
      // an alias bomb
      [ALIAS_BOMB]: /expands through aliases to more than 5000000 values \(an alias bomb\?\)/,
    };
    for (const [text, expected] of Object.entries(cases)) {
      const r = run(['synth', 's3', '-f', 'v.yaml'], { files: { 'v.yaml': text } });
      expect({ text, code: r.code, lines: r.stderr.split('\n').length }).toEqual({ text, code: 2, lines: 1 });
      expect(r.stderr).toMatch(expected);
    }
  });

  it('--credentials-file: non-string values, unknown keys and files with none of the keys are errors', () => {
    const file = (text: string) => run(['synth', 's3', '--bucket', 'b-b-b', '--credentials-file', 'c'], { files: { c: text } });
    expect(file('REGISTRY_STORAGE_S3_ACCESSKEY:\n  nested: x\n')).toMatchObject({ code: 2, stderr: 'c: REGISTRY_STORAGE_S3_ACCESSKEY must be a string, got a object' });
    expect(file('AWS_ACCESS_KEY_ID=x\n')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^c: AWS_ACCESS_KEY_ID: not credential keys of s3 storage/) });
    expect(file('# nothing here\n')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^c: holds none of REGISTRY_STORAGE_S3_ACCESSKEY/) });
    expect(file('REGISTRY_STORAGE_S3_ACCESSKEY=a\nREGISTRY_STORAGE_S3_SECRETKEY="b"\n').code).toBe(0);
  });

  it('swift credentials: a missing variable is named; the docs\' _USER is to be renamed', () => {
    const base = ['synth', 'swift', '--auth-url', 'https://k.example.com/v3', '--domain', 'Default', '--tenant', 't'];
    const missing = run(base, { env: { REGISTRY_STORAGE_SWIFT_PASSWORD: 'p' } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^REGISTRY_STORAGE_SWIFT_USERNAME: is required with password credentials/m);
    const misnamed = run(base, { env: { REGISTRY_STORAGE_SWIFT_USER: 'u', REGISTRY_STORAGE_SWIFT_PASSWORD: 'p' } });
    expect(misnamed).toMatchObject({ code: 1, stderr: expect.stringMatching(/^REGISTRY_STORAGE_SWIFT_USER: the operator does not read it: rename it to REGISTRY_STORAGE_SWIFT_USERNAME/) });
  });

  it('check refuses an alias bomb in one line too', () => {
    expect(run(['check', '-'], { stdin: ALIAS_BOMB })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^check: stdin expands through aliases/) });
  });

  it('unreadable files: one line naming the file, exit 2, for check and synth', () => {
    expect(run(['synth', 's3', '-f', 'nope.yaml'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^synth: cannot read nope\.yaml: ENOENT/) });
    expect(run(['check', 'nope.yaml'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^check: cannot read nope\.yaml: ENOENT/) });
  });
});

describe('real files', () => {
  it('binary, invalid UTF-8 and directories: one line, exit 2, no stack trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-cli-'));
    const binary = path.join(dir, 'blob.bin');
    fs.writeFileSync(binary, Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    try {
      for (const [args, expected] of [
        [['check', binary], /blob\.bin is not valid UTF-8/],
        [['check', dir], /it is a directory/],
        [['synth', 's3', '-f', binary], /blob\.bin is not valid UTF-8/],
      ] as Array<[string[], RegExp]>) {
        const err: string[] = [];
        const io = { ...nodeIo(), stdout: () => undefined, stderr: (t: string) => err.push(t) };
        expect(runCli(args, {}, io)).toBe(2);
        expect(err).toHaveLength(1);
        expect(err[0]).toMatch(expected);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
