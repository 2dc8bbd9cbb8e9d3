/**
 * Swift with Keystone v3: the library's Swift plans (through the API and once through the CLI)
 * run the real registry; application-credential access rules are set on a real credential and
 * checked against the registry's own recorded Swift requests.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Scenario } from './types';
import { planSwiftStorage, swiftContainerAccessRules, RegistryStoragePlan, validateUserSecret } from '../../lib';
import { SwiftRegistryStorage } from '../../lib/pulumi/openstack';
import { capturePulumiProgram } from '../../lib/testing/pulumi';
import { assertStored, blobStatus, operatorView, pushAndPull, runRegistry, ScenarioContext, StepError } from '../harness';
import { http, run, Supervisor } from '../proc';
import { applicationCredentialToken, Keystone, passwordToken, startKeystone, startSwift } from '../servers/openstack';
import { Recorder, startRecorder } from '../servers/recorder';
import { RunningRegistry } from '../servers/registry';

export interface OpenStack {
  readonly keystone: Keystone;
  readonly swiftPort: number;
  /** Region whose object-store endpoint is the recording proxy in front of the same Swift. */
  readonly recorder: Recorder;
  readonly domain: { readonly name: string; readonly id: string };
  readonly project: { readonly name: string; readonly id: string };
  readonly user: { readonly name: string; readonly id: string; readonly password: string };
}

const ADMIN_PASSWORD = 'e2e-admin-throwaway';

export async function setUpOpenStack(sup: Supervisor, dir: string): Promise<OpenStack> {
  const keystone = await startKeystone(sup, path.join(dir, 'keystone'), ADMIN_PASSWORD);
  const swiftServer = await startSwift(sup, path.join(dir, 'swift'), { url: keystone.url, adminPassword: ADMIN_PASSWORD });
  const recorder = await startRecorder(swiftServer.port);
  const t = await keystone.adminToken();
  const k = keystone.api;
  const domain = (await k('POST', '/domains', t, { domain: { name: 'e2e-domain' } })).domain;
  const project = (await k('POST', '/projects', t, { project: { name: 'registry-project', domain_id: domain.id } })).project;
  const password = 'e2e-registry-throwaway';
  const user = (await k('POST', '/users', t, { user: { name: 'registry', domain_id: domain.id, password } })).user;
  const member = (await k('GET', '/roles?name=member', t)).roles[0];
  await k('PUT', `/projects/${project.id}/users/${user.id}/roles/${member.id}`, t);
  const service = (await k('POST', '/services', t, { service: { type: 'object-store', name: 'swift' } })).service;
  // RegionOne: Swift itself, first in the catalog (what the registry takes without regionName).
  // RegionTwo: the recording proxy in front of the same Swift.
  await k('POST', '/regions', t, { region: { id: 'RegionTwo' } });
  const endpoint = (region: string, port: number) => ({
    endpoint: { service_id: service.id, interface: 'public', region_id: region, url: `http://127.0.0.1:${port}/v1/AUTH_$(project_id)s` },
  });
  await k('POST', '/endpoints', t, endpoint('RegionOne', swiftServer.port));
  await k('POST', '/endpoints', t, endpoint('RegionTwo', recorder.port));
  return {
    keystone,
    swiftPort: swiftServer.port,
    recorder,
    domain: { name: domain.name, id: domain.id },
    project: { name: project.name, id: project.id },
    user: { name: 'registry', id: user.id, password },
  };
}

async function userToken(os: OpenStack): Promise<string> {
  const auth = { user: os.user.name, password: os.user.password, userDomain: os.domain.name, project: os.project.name };
  return (await passwordToken(os.keystone.url, auth)).token;
}

/** Swift API on the real proxy (not through the recorder). */
async function swift(os: OpenStack, method: string, p: string, token: string) {
  return http(`http://127.0.0.1:${os.swiftPort}/v1/AUTH_${os.project.id}${p}`, { method, headers: { 'x-auth-token': token }, timeoutMs: 15_000 });
}

/** The container the library's Pulumi component would have created (the plan marks it Unmanaged). */
export async function createContainer(os: OpenStack, container: string): Promise<void> {
  const res = await swift(os, 'PUT', `/${container}`, await userToken(os));
  if (res.status !== 201 && res.status !== 202) throw new Error(`creating container ${container}: HTTP ${res.status}`);
}

export async function listContainer(os: OpenStack, container: string): Promise<string[]> {
  const res = await swift(os, 'GET', `/${container}?format=json&limit=10000`, await userToken(os));
  if (res.status !== 200) throw new Error(`listing container ${container}: HTTP ${res.status}`);
  return (JSON.parse(res.text) as Array<{ name: string }>).map((o) => o.name).sort();
}

/** Runs a Swift plan end to end: Config and Secret -> operator env -> registry -> push, pull, listing. */
async function proveSwift(ctx: ScenarioContext, os: OpenStack, plan: Pick<RegistryStoragePlan, 'spec' | 'secret'>, repo: string): Promise<RunningRegistry> {
  const container = (plan.spec.storage as any).swift.container as string;
  const { pod } = operatorView(ctx, plan, { platform: 'OpenStack' });
  const reg = await runRegistry(ctx, pod, `registry-${repo.replace(/\//g, '-')}`);
  await pushAndPull(ctx, reg, repo);
  // distribution's Swift driver keeps everything under files/ in the container.
  assertStored(ctx, await listContainer(os, container), ctx.image, repo, 'files/');
  return reg;
}

export function passwordPlan(os: OpenStack, container: string, extra: Record<string, unknown> = {}) {
  return planSwiftStorage({
    container,
    authURL: os.keystone.url,
    domain: os.domain.name,
    tenant: os.project.name,
    credentials: { username: os.user.name, password: os.user.password },
    ...extra,
  });
}

export function openStackScenarios(get: () => OpenStack): Scenario[] {
  return [
    {
      name: 'swift-password-names',
      proves: 'password credentials with domain and tenant names: the Secret keys and Config fields the library emits reach a real Swift',
      run: async (ctx) => {
        const os = get();
        await createContainer(os, 'registry-names');
        const plan = passwordPlan(os, 'registry-names');
        const reg = await proveSwift(ctx, os, plan, 'e2e/names');
        // disableRedirect: the library sets it for Swift; the registry serves blobs itself.
        if (plan.spec.disableRedirect !== true) throw new StepError('config', 'the Swift plan did not set disableRedirect');
        const status = await blobStatus(reg, 'e2e/names', ctx.image.layerDigests[0]);
        if (status !== 200) throw new StepError('redirect', `blob GET answered ${status}, expected 200 (served by the registry)`);
        ctx.note('REGISTRY_STORAGE_REDIRECT_DISABLE=true reached the registry; blob GET answered 200 from the registry');
      },
    },
    {
      name: 'swift-password-ids',
      proves: 'password credentials with domainID and tenantID',
      run: async (ctx) => {
        const os = get();
        await createContainer(os, 'registry-ids');
        const plan = planSwiftStorage({
          container: 'registry-ids',
          authURL: os.keystone.url,
          domainID: os.domain.id,
          tenantID: os.project.id,
          credentials: { username: os.user.name, password: os.user.password },
        });
        await proveSwift(ctx, os, plan, 'e2e/ids');
      },
    },
    {
      name: 'swift-region-name',
      proves: 'regionName picks the second of two object-store endpoints in the catalog (every Swift request went through it)',
      run: async (ctx) => {
        const os = get();
        await createContainer(os, 'registry-region');
        os.recorder.requests.length = 0;
        await proveSwift(ctx, os, passwordPlan(os, 'registry-region', { regionName: 'RegionTwo' }), 'e2e/region');
        const recorded = os.recorder.requests.filter((r) => r.path.includes('registry-region'));
        if (recorded.length === 0) throw new StepError('region', 'no Swift request went through the RegionTwo endpoint');
        fs.writeFileSync(path.join(ctx.artifacts, 'recorded-swift-requests.txt'), os.recorder.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join('\n') + '\n');
        ctx.note(`${os.recorder.requests.length} Swift requests went through RegionTwo's endpoint`);
      },
    },
    {
      name: 'swift-application-credential-rules',
      proves: 'the access rules the library generates, set on a real application credential, allow every Swift request the registry made and refuse one outside them',
      run: async (ctx) => {
        const os = get();
        const recorded = os.recorder.requests.filter((r) => r.status < 400 || r.status === 404);
        if (recorded.length === 0) throw new StepError('replay', 'nothing recorded: swift-region-name must run first');
        const token = await userToken(os);
        const rules = swiftContainerAccessRules('registry-region');
        const created = (await os.keystone.api('POST', `/users/${os.user.id}/application_credentials`, token, {
          application_credential: { name: 'registry-e2e', access_rules: rules },
        })).application_credential;
        // The library's plan with the credential: the keys the operator reads.
        const plan = planSwiftStorage({
          container: 'registry-region',
          authURL: os.keystone.url,
          credentials: { applicationCredentialId: created.id, applicationCredentialName: 'registry-e2e', applicationCredentialSecret: created.secret },
        });
        const { pod } = operatorView(ctx, plan, { platform: 'OpenStack' });
        // The values as the registry reads them: the operator YAML-encodes each (a secret that starts
        // with '-', as one in 64 of Keystone's do, arrives quoted) and the registry decodes it into a string field.
        const asRead = (v: string | undefined) => v === undefined ? undefined : String(yaml.load(v, { schema: yaml.FAILSAFE_SCHEMA }));
        const byName = Object.fromEntries(pod.env.map((e) => [e.name, asRead(e.secretKey ? pod.privateSecretData[e.secretKey] : e.value)]));
        if (byName.REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID !== created.id
          || byName.REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET !== created.secret) {
          throw new StepError('operator', 'the application credential did not reach REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIAL*');
        }
        // distribution 2.8 has no application-credential parameters: replay the registry's requests.
        const appToken = await applicationCredentialToken(os.keystone.url, created.id, created.secret);
        const refused: string[] = [];
        const lines: string[] = [];
        for (const r of recorded) {
          const bulk = r.body !== undefined;
          const res = await http(`http://127.0.0.1:${os.swiftPort}${r.path}`, {
            method: r.method,
            headers: { 'x-auth-token': appToken, ...(bulk ? { 'accept': 'application/json', 'content-type': 'text/plain' } : {}) },
            body: bulk ? r.body : r.method === 'PUT' || r.method === 'POST' ? '' : undefined,
          });
          // A bulk delete answers 200 and lists per-object refusals in its body: each object's
          // delete is a subrequest that passes authtoken (and the access rules) on its own.
          const bulkErrors: Array<[string, string]> = bulk ? (JSON.parse(res.text).Errors ?? []) : [];
          const bulkRefused = bulkErrors.filter(([, status]) => /^40[13]/.test(status));
          lines.push(`${r.method} ${r.path} -> ${res.status}${bulk ? ` ${res.text.replace(/\s+/g, ' ')}` : ''} (registry got ${r.status})`);
          if (res.status === 401 || res.status === 403) refused.push(`${r.method} ${r.path.split('?')[0]}`);
          for (const [obj] of bulkRefused) refused.push(`bulk DELETE of ${obj}`);
        }
        // Outside the rules: another container's listing, and creating a container (what a typo in
        // the Config's container would make the registry do with a broader credential).
        const outsideRequests: Array<[string, string]> = [['GET', '/registry-names?format=json'], ['PUT', '/registry-typo-by-app-credential']];
        const outside: string[] = [];
        for (const [method, p] of outsideRequests) {
          const res = await http(`http://127.0.0.1:${os.swiftPort}/v1/AUTH_${os.project.id}${p}`, { method, headers: { 'x-auth-token': appToken }, body: method === 'PUT' ? '' : undefined });
          lines.push(`${method} /v1/AUTH_${os.project.id}${p} (outside the rules) -> ${res.status}`);
          if (res.status !== 401 && res.status !== 403) outside.push(`${method} ${p} answered ${res.status}`);
        }
        fs.writeFileSync(path.join(ctx.artifacts, 'replay.txt'), `${JSON.stringify(rules, null, 1)}\n${lines.join('\n')}\n`);
        if (refused.length > 0) throw new StepError('replay', `the rules refused ${refused.length} of the registry's requests: ${[...new Set(refused)].slice(0, 5).join(', ')}`);
        if (outside.length > 0) throw new StepError('replay', `requests outside the rules were not refused: ${outside.join(', ')}`);
        ctx.note(`replayed ${recorded.length} registry requests with the rule-limited credential: none refused; `
          + 'listing another container and creating a container were refused');
      },
    },
    {
      name: 'swift-cli-synth',
      proves: 'the CLI\'s `synth swift` output (Config and Secret, credentials from the environment) runs the registry',
      run: async (ctx) => {
        const os = get();
        await createContainer(os, 'registry-cli');
        const cli = path.join(__dirname, '..', '..', 'dist', 'cli', 'bin.js');
        const out = run(process.execPath, [cli, 'synth', 'swift', '--container', 'registry-cli', '--auth-url', os.keystone.url, '--domain', os.domain.name, '--tenant', os.project.name], {
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', REGISTRY_STORAGE_SWIFT_USERNAME: os.user.name, REGISTRY_STORAGE_SWIFT_PASSWORD: os.user.password },
        });
        if (out.status !== 0) throw new StepError('cli', out.stderr.trim());
        const docs = yaml.loadAll(out.stdout) as any[];
        const config = docs.find((d) => d?.kind === 'Config');
        const secret = docs.find((d) => d?.kind === 'Secret');
        if (!config || !secret) throw new StepError('cli', `expected a Config and a Secret, got ${docs.map((d) => d?.kind).join(', ')}`);
        await proveSwift(ctx, os, { spec: config.spec, secret }, 'e2e/cli');
      },
    },
    {
      name: 'swift-adopt-unmark',
      proves: 'adopting the operator\'s container: the registry keeps its images in it, and the metadata the Pulumi component sends at adopt: \'imported\' leaves no mark openshift-install destroy cluster selects the container by, and changes nothing else',
      run: async (ctx) => {
        const os = get();
        const infra = 'acme-x7k2p';
        const container = `${infra}-image-registry-e2eadopt`;
        // As the operator creates it (pkg/storage/swift/swift.go): its cluster ID and its name as metadata.
        const token = await userToken(os);
        const made = await http(`http://127.0.0.1:${os.swiftPort}/v1/AUTH_${os.project.id}/${container}`, {
          method: 'PUT', headers: { 'x-auth-token': token, 'X-Container-Meta-Openshiftclusterid': infra, 'X-Container-Meta-Name': container },
        });
        if (made.status !== 201 && made.status !== 202) throw new StepError('setup', `creating ${container}: HTTP ${made.status}`);
        const reg = await proveSwift(ctx, os, passwordPlan(os, container, { adopt: true, infrastructureName: infra, acknowledgeWarnings: ['ORS-ADOPT-W001'] }), 'e2e/adopt');
        const stored = await listContainer(os, container);
        // installer pkg/destroy/openstack deleteContainers: metadata["Openshiftclusterid"] == infraID
        const marked = async () => (await swift(os, 'HEAD', `/${container}`, await userToken(os))).headers;
        if ((await marked()).get('x-container-meta-openshiftclusterid') !== infra) throw new StepError('setup', 'the container does not carry the operator\'s mark');
        // The component's second up, as registered; the provider sends each metadata entry as a
        // header of a POST (terraform-provider-openstack containers.Update, gophercloud
        // ToContainerUpdateMap: "X-Container-Meta-" + key).
        const resources = await capturePulumiProgram(() => new SwiftRegistryStorage('registry', {
          container,
          authURL: os.keystone.url,
          domain: os.domain.name,
          tenant: os.project.name,
          adopt: 'imported',
          infrastructureName: infra,
          credentials: 'cluster',
          acknowledgeWarnings: ['ORS-ADOPT-W001', 'ORS-PULUMI-W002'],
        }));
        const metadata = resources.find((r) => r.type === 'openstack:objectstorage/container:Container')?.inputs.metadata as Record<string, string> | undefined;
        if (!metadata) throw new StepError('library', 'the component set no metadata at adopt: \'imported\'');
        const headers = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`X-Container-Meta-${k}`, v]));
        const posted = await http(`http://127.0.0.1:${os.swiftPort}/v1/AUTH_${os.project.id}/${container}`, {
          method: 'POST', headers: { 'x-auth-token': await userToken(os), ...headers },
        });
        if (posted.status !== 204) throw new StepError('unmark', `POST of the metadata: HTTP ${posted.status}`);
        const after = await marked();
        // What teardown compares: the key as Swift returns it, against the infrastructure name.
        if (after.get('x-container-meta-openshiftclusterid') === infra) {
          throw new StepError('unmark', `teardown still selects the container: X-Container-Meta-Openshiftclusterid: ${JSON.stringify(after.get('x-container-meta-openshiftclusterid'))}`);
        }
        if (after.get('x-container-meta-name') !== container) throw new StepError('unmark', 'the operator\'s other metadata (Name) went too');
        const kept = await listContainer(os, container);
        if (JSON.stringify(kept) !== JSON.stringify(stored)) throw new StepError('unmark', `the container's objects changed: ${stored.length} before, ${kept.length} after`);
        const status = await blobStatus(reg, 'e2e/adopt', ctx.image.layerDigests[0]);
        if (status !== 200) throw new StepError('unmark', `blob GET answered ${status} after the mark went, expected 200`);
        ctx.note(`sent ${JSON.stringify(headers)}: Openshiftclusterid ${JSON.stringify(after.get('x-container-meta-openshiftclusterid'))}, not ${infra}; Name kept, ${kept.length} objects kept, the image still served`);
      },
    },
    {
      name: 'swift-wrong-container-is-created',
      proves: 'a container name that does not exist does not fail: the registry\'s Swift driver creates it and stores there (a typo loses no data but hides the old images)',
      run: async (ctx) => {
        const os = get();
        const before = await swift(os, 'HEAD', '/registry-typo', await userToken(os));
        if (before.status !== 404) throw new StepError('setup', `container registry-typo already exists (HTTP ${before.status})`);
        await proveSwift(ctx, os, passwordPlan(os, 'registry-typo'), 'e2e/typo');
        ctx.note('the registry created container registry-typo itself');
      },
    },
    {
      name: 'negative-swift-docs-user-key',
      proves: 'the OpenShift docs\' REGISTRY_STORAGE_SWIFT_USER key: the operator refuses the Secret, and the library\'s Secret check names the key',
      mustFail: { step: 'operator', reason: /does not contain required keys 'REGISTRY_STORAGE_SWIFT_USERNAME'/ },
      run: async (ctx) => {
        const os = get();
        const plan = passwordPlan(os, 'registry-names');
        const data = { ...(plan.secret!.stringData as Record<string, string>) };
        data.REGISTRY_STORAGE_SWIFT_USER = data.REGISTRY_STORAGE_SWIFT_USERNAME;
        delete data.REGISTRY_STORAGE_SWIFT_USERNAME;
        const secret = { ...plan.secret!, stringData: data };
        const found = validateUserSecret('swift', secret).map((p) => p.message).join('; ');
        if (!/REGISTRY_STORAGE_SWIFT_USER\b/.test(found)) throw new StepError('library', `validateUserSecret did not name REGISTRY_STORAGE_SWIFT_USER: ${found}`);
        ctx.note(`validateUserSecret: ${found.slice(0, 160)}`);
        operatorView(ctx, { spec: plan.spec, secret: secret as any }, { platform: 'OpenStack' });
      },
    },
    {
      name: 'negative-swift-missing-domain',
      proves: 'without domain the library refuses the props; a Config stripped of it makes the registry fail to authenticate',
      mustFail: { step: 'registry', reason: /(401|Unauthori[sz]|Authori[sz]ation Failed|authenticat)/i },
      run: async (ctx) => {
        const os = get();
        try {
          planSwiftStorage({ container: 'registry-names', authURL: os.keystone.url, tenant: os.project.name, credentials: { username: os.user.name, password: os.user.password } });
          throw new StepError('library', 'planSwiftStorage accepted password credentials without domain');
        } catch (e) {
          if (e instanceof StepError || !/domain/.test((e as Error).message)) throw e;
          ctx.note(`library: ${(e as Error).message.split('\n').find((l) => /domain/.test(l))?.trim()}`);
        }
        const plan = passwordPlan(os, 'registry-names');
        const spec = JSON.parse(JSON.stringify(plan.spec));
        delete spec.storage.swift.domain;
        const { pod } = operatorView(ctx, { spec, secret: plan.secret }, { platform: 'OpenStack' });
        await runRegistry(ctx, pod, 'registry-no-domain');
      },
    },
  ];
}

