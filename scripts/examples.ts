/**
 * Runs the examples offline, as the main job and the tests do: cdk8s apps through synth, Pulumi
 * programs under mocks. Examples import the package by its public name; the main job resolves it to
 * the compiled package (dist/, through package.json "exports"), the tests to lib/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { parse } from 'yaml';
import { validateRegistryConfigPatch } from 'openshift-registry-storage';
import { CapturedResource, capturePulumiProgram, CaptureOptions } from 'openshift-registry-storage/testing/pulumi';

export const EXAMPLES_DIR = path.resolve(__dirname, '..', 'examples');

/** Example names of a flavour, sorted. */
export function listExamples(flavour: 'cdk8s' | 'pulumi'): string[] {
  return fs.readdirSync(path.join(EXAMPLES_DIR, flavour)).filter((d) => fs.statSync(path.join(EXAMPLES_DIR, flavour, d)).isDirectory()).sort();
}

/** Synthesizes a cdk8s example (its exported `RegistryChart`) and returns the manifests as YAML. */
export function synthCdk8sExample(name: string): { yaml: string; manifests: any[]; problems: string[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RegistryChart } = require(path.join(EXAMPLES_DIR, 'cdk8s', name, 'main.ts'));
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-')) });
  const chart = new RegistryChart(app, name);
  const yaml: string = app.synthYaml();
  const manifests = chart.toJson();
  const problems = manifests.filter((m: any) => m.kind === 'Config')
    .flatMap((m: any) => validateRegistryConfigPatch(m).map((p) => `${p.path}: ${p.message}`));
  return { yaml, manifests, problems };
}

/** A cdk8s example that writes a folder (the Argo CD fleet) exports `writeFleet(outdir)`; others, undefined. */
export function fleetFolderExample(name: string): ((outdir: string) => string[]) | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(EXAMPLES_DIR, 'cdk8s', name, 'main.ts')).writeFleet;
}

/** Pulumi mocks good enough for every example: provider functions and the outputs programs read. */
export const EXAMPLE_MOCKS: CaptureOptions = {
  calls: {
    'aws:index/getRegion:getRegion': () => ({ name: 'eu-west-1', region: 'eu-west-1' }),
    'gcp:organizations/getClientConfig:getClientConfig': () => ({ project: 'acme-prod' }),
    'gcp:storage/getProjectServiceAccount:getProjectServiceAccount': () => ({ emailAddress: 'service-1@gs-project-accounts.iam.gserviceaccount.com' }),
    'azure-native:storage:listStorageAccountKeys': () => ({ keys: [{ keyName: 'key1', value: 'offline-account-key' }] }),
  },
  state: {
    'aws:s3/bucket:Bucket': (name, inputs) => ({ bucket: inputs.bucket ?? `${name}-offline`, arn: `arn:aws:s3:::${inputs.bucket ?? `${name}-offline`}` }),
    'aws:iam/accessKey:AccessKey': () => ({ secret: 'offline-secret-access-key' }),
    'gcp:storage/bucket:Bucket': (name, inputs) => ({ name: inputs.name ?? `${name}-offline` }),
    'gcp:serviceaccount/account:Account': (_n, inputs) => ({ email: `${inputs.accountId}@acme-prod.iam.gserviceaccount.com`, name: `projects/acme-prod/serviceAccounts/${inputs.accountId}` }),
    'gcp:serviceaccount/key:Key': () => ({ privateKey: Buffer.from('{"type":"service_account"}').toString('base64') }),
    'azure-native:storage:StorageAccount': (name, inputs) => ({ name: inputs.accountName ?? `${name.replace(/[^a-z0-9]/g, '')}offline` }),
    'azure-native:storage:BlobContainer': (name, inputs) => ({ name: inputs.containerName ?? name }),
    'openstack:objectstorage/container:Container': (name, inputs) => ({ name: inputs.name ?? name }),
    'openstack:identity/applicationCredential:ApplicationCredential': (name, inputs) => ({ name: inputs.name ?? name, secret: 'offline-application-credential' }),
  },
};

/**
 * The config `pulumi up` would see: Pulumi.yaml defaults, stand-ins for secrets without one, and,
 * where the project has stack files (`Pulumi.<stack>.yaml`), the first stack's values.
 */
export function exampleConfig(name: string): { project: string; config: Record<string, string>; stack?: string } {
  const dir = path.join(EXAMPLES_DIR, 'pulumi', name);
  const project = parse(fs.readFileSync(path.join(dir, 'Pulumi.yaml'), 'utf8'));
  const config: Record<string, string> = {};
  for (const [key, decl] of Object.entries<any>(project.config ?? {})) {
    if (typeof decl !== 'object' || decl === null) config[key] = String(decl);
    else if (decl.default !== undefined) config[key] = String(decl.default);
    else if (decl.secret) config[key] = `offline-${key}`;
  }
  const stackFile = fs.readdirSync(dir).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)).sort()[0];
  if (!stackFile) return { project: project.name, config };
  for (const [key, value] of Object.entries<unknown>(parse(fs.readFileSync(path.join(dir, stackFile), 'utf8')).config ?? {})) {
    config[key.startsWith(`${project.name}:`) ? key.slice(project.name.length + 1) : key] = String(value);
  }
  return { project: project.name, config, stack: stackFile.split('.')[1] };
}

/** Runs a Pulumi example under mocks and returns its resources (secrets redacted). */
export async function runPulumiExample(name: string): Promise<CapturedResource[]> {
  const file = path.join(EXAMPLES_DIR, 'pulumi', name, 'index.ts');
  // A Pulumi program runs when it is loaded: load it afresh every time.
  delete require.cache[require.resolve(file)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return capturePulumiProgram(() => require(file), { ...EXAMPLE_MOCKS, ...exampleConfig(name) });
}
