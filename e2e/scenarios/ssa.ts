/**
 * Server-side-apply replays of the `cluster` Config's day two: the operator's bootstrap, `oc edit`,
 * then the library's objects as each flavour writes them, storage switch after storage switch,
 * merged and owned by Kubernetes' own SSA library (`e2e/ssa/replay.go`). No server runs.
 *
 * The library's objects come from its public API: Pulumi inputs as registered under mocks
 * (`capturePulumiProgram`), cdk8s objects from `Testing.synth`, the removal patch from
 * `removeOtherStorageJsonPatch`, applied by the API server's JSON patch library (evanphx/json-patch
 * v4, `e2e/ssa/jsonpatch/main.go`). The rest of the history is written here, after
 * notes/operator-storage.md §1.2 (bootstrap) and notes/day-two-on-a-real-cluster.md:
 * - `cluster-image-registry-operator` (Update): bootstrap, then the block it filled in;
 * - `kubectl-edit` (Update, a merge patch): `oc edit` of `spec.logLevel` and `spec.nodeSelector`;
 * - Pulumi: the Config patch, the removal Job's `oc patch --type=json` (`kubectl-patch`, Update),
 *   the wait patch, in that order; each patch applies as its `pulumi.com/patchFieldManager`, or
 *   pulumi-kubernetes' default `pulumi-kubernetes-<random>` (`fieldManagerName`,
 *   provider/pkg/provider/provider.go; the random part is kept in the resource's state), forced when
 *   `pulumi.com/patchForce` is "true" (`patchForce`, provider/pkg/await/await.go). A patch that
 *   leaves the program and is not retained is deleted at the end of the update: pulumi-kubernetes
 *   relinquishes its fields with an unforced apply of just its identity (`ssa.Relinquish`,
 *   provider/pkg/ssa/actions.go). `pulumi.com/*` annotations go to the server with the object
 *   (only `pulumi.com/autonamed` is internal, provider/pkg/metadata/annotations.go);
 * - cdk8s: `oc apply --server-side --force-conflicts --field-manager=openshift-registry-storage`,
 *   then the construct's removal Job;
 * - Argo CD: `argocd-controller` applies the same objects, forced (gitops-engine forces SSA
 *   conflicts), with its tracking annotation; the removal Job runs as a PostSync hook.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Chart, Testing } from 'cdk8s';
import { Scenario } from './types';
import {
  configuredStorageTypes, FIELD_MANAGER, planS3Storage, registryConfig, RegistryStorageType, removeOtherStorageJsonPatch,
  removeOtherStorageMergePatch, REGISTRY_STORAGE_TYPES,
  storageAppliedConditions, validateRegistryConfig,
} from '../../lib';
import * as cdk8s from '../../lib/cdk8s';
import { S3RegistryStorage } from '../../lib/pulumi/aws';
import { AzureRegistryStorage } from '../../lib/pulumi/azure';
import { GcsRegistryStorage } from '../../lib/pulumi/gcp';
import { EmptyDirRegistryStorage, PvcRegistryStorage } from '../../lib/pulumi/kubernetes';
import { SwiftRegistryStorage } from '../../lib/pulumi/openstack';
import { CapturedResource, capturePulumiProgram } from '../../lib/testing/pulumi';
import { StepError } from '../harness';
import { applyJsonPatches, checkSchemaWithVectors, jsonMergePatch, replay, ReplayResult, ReplaySession, ReplayStep } from '../ssa/replay';
import { selfCheckConversion, SmdSchema } from '../ssa/schema';

const API_VERSION = 'imageregistry.operator.openshift.io/v1';
const OPERATOR = 'cluster-image-registry-operator';
const WAIT_FOR = 'pulumi.com/waitFor';

type Flavour = 'pulumi' | 'cdk8s' | 'argocd';
type Bootstrap = 'aws' | 'aws-single-node' | 'baremetal' | 'openstack-pvc';
/** What the user deploys in one `pulumi up` / sync; `s3-new-bucket` is a spec change of `s3`. */
type Target = 's3' | 's3-new-bucket' | 's3-single-node' | 'pvc-rwo' | 'pvc-rwx' | 'emptydir' | 'swift' | 'gcs' | 'azure';

const STORAGE_TYPE: Record<Target, RegistryStorageType> = {
  's3': 's3', 's3-new-bucket': 's3', 's3-single-node': 's3', 'pvc-rwo': 'pvc', 'pvc-rwx': 'pvc', 'emptydir': 'emptyDir', 'swift': 'swift', 'gcs': 'gcs', 'azure': 'azure',
};

/** Core props of each target (the cdk8s constructs and the Pulumi components take the same). */
const PROPS: Record<Target, Record<string, unknown>> = {
  's3': { bucket: 'acme-registry', region: 'us-east-1' },
  's3-new-bucket': { bucket: 'acme-registry-2', region: 'us-east-1' },
  // single-node OpenShift says replicas: 1 (the library sends 2 otherwise, the HA bootstrap's)
  's3-single-node': { bucket: 'acme-registry', region: 'us-east-1', replicas: 1 },
  'pvc-rwo': { claim: 'image-registry-pvc' },
  'pvc-rwx': { claim: 'image-registry-pvc', accessMode: 'ReadWriteMany', storageClassName: 'ocs-storagecluster-cephfs' },
  'emptydir': { acknowledgeNonProduction: true },
  'swift': { container: 'image-registry', authURL: 'https://keystone.example.com:5000/v3', regionName: 'RegionOne' },
  'gcs': { bucket: 'acme-registry', region: 'us-east1', projectID: 'acme' },
  'azure': { accountName: 'acmeregistry', container: 'image-registry' },
};
/** What only the Pulumi component needs on top. */
const PULUMI_EXTRA: Partial<Record<Target, Record<string, unknown>>> = {
  azure: { resourceGroupName: 'acme-cluster-rg', clusterResourceGroupName: 'acme-cluster-rg' },
};

// ---------------------------------------------------------------------------------------------
// The operator's writes (notes/operator-storage.md §1.2, pkg/operator/bootstrap.go)
// ---------------------------------------------------------------------------------------------

function bootstrapConfig(b: Bootstrap): Record<string, any> {
  const storage: Record<Bootstrap, Record<string, unknown>> = {
    'aws': { s3: {} },
    'aws-single-node': { s3: {} },
    'baremetal': {},
    'openstack-pvc': { pvc: { claim: 'image-registry-storage' } },
  };
  return {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: 'cluster', finalizers: ['imageregistry.operator.openshift.io/finalizer'] },
    spec: {
      managementState: b === 'baremetal' ? 'Removed' : 'Managed',
      replicas: b === 'aws' ? 2 : 1,
      rolloutStrategy: b === 'openstack-pvc' ? 'Recreate' : 'RollingUpdate',
      logLevel: 'Normal',
      operatorLogLevel: 'Normal',
      httpSecret: 'e2e-http-secret-not-a-real-one',
      storage: storage[b],
    },
  };
}

/** What the operator writes back once it has created the default storage (null: nothing). */
function operatorFillIn(b: Bootstrap): Record<string, unknown> | null {
  if (b === 'aws' || b === 'aws-single-node') {
    return { spec: { storage: { managementState: 'Managed', s3: { bucket: 'ci-ln-abc12-xyz9-image-registry-us-east-1', region: 'us-east-1', encrypt: true, virtualHostedStyle: false } } } };
  }
  if (b === 'openstack-pvc') return { spec: { storage: { managementState: 'Managed' } } };
  return null;
}

/** `oc edit`: fields a user sets by hand, which every later write must leave alone. */
const USER_EDIT = { spec: { logLevel: 'Debug', nodeSelector: { 'node-role.kubernetes.io/infra': '' } } };

// ---------------------------------------------------------------------------------------------
// The library's objects, per flavour
// ---------------------------------------------------------------------------------------------

/** One flavour's writes for one deploy. */
interface Deploy {
  readonly storageType: RegistryStorageType;
  readonly config: { readonly manager: string; readonly force: boolean; readonly object: Record<string, any> };
  /** The removal Job's command: one of its words must carry removeOtherStorageJsonPatch(storageType). */
  readonly removalCommand?: readonly string[];
  /** Pulumi only: the wait patch. */
  readonly wait?: { readonly manager: string; readonly force: boolean; readonly object: Record<string, any> };
  /** Pulumi only: identities (component type and resource name) and retention of the patches. */
  readonly pulumi?: { readonly configUrn: string; readonly waitUrn?: string; readonly configRetained: boolean; readonly waitRetained: boolean };
}

const captures = new Map<string, Promise<CapturedResource[]>>();

/** The resources a Pulumi component registers (cached: one capture per target). */
function capture(target: Target): Promise<CapturedResource[]> {
  const cached = captures.get(target);
  if (cached) return cached;
  const args = { ...PROPS[target], ...PULUMI_EXTRA[target] } as any;
  const program = () => {
    const opts: pulumi.ComponentResourceOptions = { providers: { kubernetes: new k8s.Provider('cluster', { kubeconfig: 'unused-under-mocks' }) } };
    switch (target) {
      case 's3': case 's3-new-bucket': case 's3-single-node': return new S3RegistryStorage('registry', args, opts);
      case 'pvc-rwo': case 'pvc-rwx': return new PvcRegistryStorage('registry', args, opts);
      case 'emptydir': return new EmptyDirRegistryStorage('registry', args, opts);
      case 'swift': return new SwiftRegistryStorage('registry', args, opts);
      case 'gcs': return new GcsRegistryStorage('registry', args, opts);
      case 'azure': return new AzureRegistryStorage('registry', args, opts);
    }
  };
  const p = capturePulumiProgram(program, {
    // The payload's `oc`, where the component reads it from the openshift/cli:latest ImageStreamTag.
    state: { 'kubernetes:image.openshift.io/v1:ImageStreamTag': () => ({ image: { dockerImageReference: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${'0'.repeat(64)}` } }) },
  });
  captures.set(target, p);
  return p;
}

/** pulumi-kubernetes' field manager for a Patch: the annotation, else `pulumi-kubernetes-<random>` (stand-in: a hash of the URN). */
function pulumiFieldManager(inputs: Record<string, any>, urn: string): string {
  return inputs.metadata?.annotations?.['pulumi.com/patchFieldManager']
    ?? `pulumi-kubernetes-${createHash('sha256').update(urn).digest('hex').slice(0, 8)}`;
}

async function pulumiDeploy(target: Target): Promise<Deploy> {
  const resources = await capture(target);
  const component = resources.find((r) => r.type.startsWith('openshift-registry-storage:index:') && r.name === 'registry');
  const find = (name: string) => resources.find((r) => r.name === name && /Patch$/.test(r.type));
  const config = find('registry-config');
  if (!component || !config) throw new StepError('pulumi', `no ${component ? 'registry-config patch' : 'component'} among the registered resources: ${resources.map((r) => r.name).join(', ')}`);
  const wait = find('registry-storage-applied');
  const job = resources.find((r) => r.type === 'kubernetes:batch/v1:Job');
  const urn = (r: CapturedResource) => `${component.type}::${r.name}`;
  const patch = (r: CapturedResource) => ({
    manager: pulumiFieldManager(r.inputs, urn(r)),
    force: (r.inputs as any).metadata?.annotations?.['pulumi.com/patchForce'] === 'true',
    object: r.inputs as Record<string, any>,
  });
  return {
    storageType: STORAGE_TYPE[target],
    config: patch(config),
    removalCommand: job ? (job.inputs as any).spec?.template?.spec?.containers?.[0]?.command ?? [] : undefined,
    wait: wait && patch(wait),
    pulumi: {
      configUrn: urn(config), waitUrn: wait && urn(wait), configRetained: config.retainOnDelete, waitRetained: wait?.retainOnDelete ?? false,
    },
  };
}

/** The cdk8s chart's objects: the Config, and the removal Job the construct adds. */
function cdk8sObjects(target: Target): { config: Record<string, any>; job?: Record<string, any> } {
  const app = Testing.app();
  app.node.setContext(cdk8s.PRINT_WARNINGS_CONTEXT, false);
  const chart = new Chart(app, 'registry');
  const props = PROPS[target] as any;
  let storage: cdk8s.RegistryStorage;
  switch (target) {
    case 's3': case 's3-new-bucket': case 's3-single-node': storage = new cdk8s.S3RegistryStorage(chart, 'registry', props); break;
    case 'pvc-rwo': case 'pvc-rwx': storage = new cdk8s.PvcRegistryStorage(chart, 'registry', props); break;
    case 'emptydir': storage = new cdk8s.EmptyDirRegistryStorage(chart, 'registry', props); break;
    case 'swift': storage = new cdk8s.SwiftRegistryStorage(chart, 'registry', props); break;
    case 'gcs': storage = new cdk8s.GcsRegistryStorage(chart, 'registry', props); break;
    case 'azure': storage = new cdk8s.AzureRegistryStorage(chart, 'registry', props); break;
  }
  storage.removeOtherStorageTypes();
  const objects = Testing.synth(chart) as Record<string, any>[];
  const config = objects.find((o) => o.kind === 'Config');
  if (!config) throw new StepError('cdk8s', `the chart has no Config: ${objects.map((o) => o.kind).join(', ')}`);
  return { config, job: objects.find((o) => o.kind === 'Job') };
}

function gitOpsDeploy(target: Target, flavour: 'cdk8s' | 'argocd'): Deploy {
  const { config, job } = cdk8sObjects(target);
  const object = flavour === 'cdk8s' ? config : {
    ...config,
    // Argo CD's annotation tracking (the default since 3.0): <app>:<group>/<kind>:<namespace>/<name>.
    metadata: { ...config.metadata, annotations: { ...config.metadata.annotations, 'argocd.argoproj.io/tracking-id': `registry:${API_VERSION.split('/')[0]}/Config:/cluster` } },
  };
  return {
    storageType: STORAGE_TYPE[target],
    config: { manager: flavour === 'cdk8s' ? FIELD_MANAGER : 'argocd-controller', force: true, object },
    removalCommand: job ? job.spec?.template?.spec?.containers?.[0]?.command ?? [] : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// A history and its checks
// ---------------------------------------------------------------------------------------------

type Role = 'operator' | 'oc-edit' | 'config' | 'removal' | 'wait' | 'relinquish';
interface Planned { readonly role: Role; readonly keep?: RegistryStorageType; readonly deploy?: Deploy }

let schemaCache: { schema: SmdSchema; typeName: string } | undefined;
/** The vendored CRD's schema, checked once per run (conversion rules and the CRD's test vectors). */
function crdSchema(): { schema: SmdSchema; typeName: string } {
  if (!schemaCache) {
    const converted = selfCheckConversion();
    checkSchemaWithVectors(converted);
    schemaCache = converted;
  }
  return schemaCache;
}

function get(o: any, p: readonly string[]): unknown {
  return p.reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), o);
}

function leaves(o: unknown, prefix: string[] = []): { path: string[]; value: unknown }[] {
  if (typeof o !== 'object' || o === null || Array.isArray(o) || Object.keys(o).length === 0) return [{ path: prefix, value: o }];
  return Object.entries(o).flatMap(([k, v]) => leaves(v, [...prefix, k]));
}

function owners(result: ReplayResult | undefined, p: string): string[] {
  return Object.entries(result?.managed ?? {}).filter(([, paths]) => paths.includes(p)).map(([m]) => m);
}

function runHistory(name: string, bootstrap: Bootstrap, flavour: Flavour, deploys: readonly Deploy[], artifacts: string,
  note: (l: string) => void): void {
  const session = new ReplaySession(crdSchema());
  const plan: Planned[] = [];
  const push = (step: ReplayStep, p: Planned) => {
    session.push(step);
    plan.push(p);
  };
  const mergePatch = (stepName: string, manager: string, patch: Record<string, unknown>, p: Planned) => {
    session.pushMergePatch(stepName, manager, patch);
    plan.push(p);
  };

  push({ name: `operator bootstrap (${bootstrap})`, manager: OPERATOR, operation: 'Update', object: bootstrapConfig(bootstrap) }, { role: 'operator' });
  const fill = operatorFillIn(bootstrap);
  if (fill) mergePatch('operator fills in the storage it created', OPERATOR, fill, { role: 'operator' });
  mergePatch('oc edit spec.logLevel and spec.nodeSelector', 'kubectl-edit', USER_EDIT, { role: 'oc-edit' });

  let previous: Deploy | undefined;
  deploys.forEach((d, i) => {
    const up = flavour === 'pulumi' ? `pulumi up #${i + 1}` : flavour === 'cdk8s' ? `oc apply #${i + 1}` : `Argo CD sync #${i + 1}`;
    // pulumi-kubernetes relinquishes a patch's old field manager right after an update that changed
    // it (Update, provider/pkg/provider/provider.go), and, at the end of the update, the fields of a
    // patch that left the program and is not retained (Delete: ssa.Relinquish).
    const relinquish = (what: string, manager: string, object: Record<string, any>) => push({
      name: `${up}: ${what} (relinquish as ${manager})`,
      manager,
      operation: 'Apply',
      force: false,
      object: { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name } },
    }, { role: 'relinquish' });
    const sameUrnNewManager = (prev: Deploy['config'] | undefined, prevUrn: string | undefined, cur: Deploy['config'] | undefined, curUrn: string | undefined) => {
      if (prev && cur && prevUrn === curUrn && prev.manager !== cur.manager) relinquish(`old field manager of ${curUrn!.split('::')[1]}`, prev.manager, prev.object);
    };
    push({ name: `${up}: Config (${d.config.manager}, ${d.config.force ? 'forced' : 'unforced'})`, manager: d.config.manager, operation: 'Apply', force: d.config.force, object: d.config.object },
      { role: 'config', deploy: d });
    sameUrnNewManager(previous?.config, previous?.pulumi?.configUrn, d.config, d.pulumi?.configUrn);
    // The removal Job runs when it is new: on the first deploy and on every change of storage type.
    if (d.removalCommand !== undefined && (!previous || previous.storageType !== d.storageType)) {
      const stepName = `${up}: removal Job, oc patch --type=json (kubectl-patch)`;
      const removal = session.pushJsonPatch(stepName, 'kubectl-patch', removeOtherStorageJsonPatch(d.storageType));
      if (!removal.ok) throw new StepError('ssa', `${name}: ${stepName}: the API server's JSON patch library refused it: ${removal.error}`);
      plan.push({ role: 'removal', keep: d.storageType, deploy: d });
    }
    if (d.wait) {
      push({ name: `${up}: wait patch (${d.wait.manager}, ${d.wait.force ? 'forced' : 'unforced'})`, manager: d.wait.manager, operation: 'Apply', force: d.wait.force, object: d.wait.object },
        { role: 'wait', deploy: d });
      sameUrnNewManager(previous?.wait, previous?.pulumi?.waitUrn, d.wait, d.pulumi?.waitUrn);
    }
    if (previous?.pulumi && d.pulumi) {
      const urns = [d.pulumi.configUrn, d.pulumi.waitUrn];
      const gone = [
        { urn: previous.pulumi.configUrn, retained: previous.pulumi.configRetained, patch: previous.config },
        { urn: previous.pulumi.waitUrn, retained: previous.pulumi.waitRetained, patch: previous.wait },
      ];
      for (const g of gone) {
        if (g.urn && g.patch && !g.retained && !urns.includes(g.urn)) relinquish(`delete ${g.urn.split('::')[1]} of the ${g.urn.split('::')[0].split(':').pop()}`, g.patch.manager, g.patch.object);
      }
    }
    previous = d;
  });

  const results = session.results();
  const input = session.input();
  fs.writeFileSync(path.join(artifacts, 'replay-input.json'), JSON.stringify(input, null, 2) + '\n');
  fs.writeFileSync(path.join(artifacts, 'replay-output.json'), JSON.stringify(results, null, 2) + '\n');

  const failures: string[] = [];
  const table: string[] = [];
  const editAt = plan.findIndex((p) => p.role === 'oc-edit');
  results.forEach((r, i) => {
    const step = input.steps[i];
    const p = plan[i];
    const live = r.object;
    const where = `step ${i + 1} "${r.name}"`;
    const waitFor = live?.metadata?.annotations?.[WAIT_FOR] as string | undefined;
    table.push(`${String(i + 1).padStart(2)}. ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}`
      + `${r.conflicts.length ? ` [${step.force ? 'forced over' : 'conflicts'}: ${r.conflicts.map((c) => `${c.manager} ${c.path}`).join(', ')}]` : ''}`
      + `${r.error ? `\n      ${r.error}` : ''}`
      + `\n      storage: [${configuredStorageTypes(live?.spec?.storage).join(' ')}], replicas: ${live?.spec?.replicas ?? 'MISSING'}`
      + ` (owners: ${owners(r, '.spec.replicas').join(', ') || 'none'})${waitFor ? `, live waitFor: ${waitFor}` : ''}`);
    if (!r.ok) {
      failures.push(`${where} was refused${step.force ? '' : ' (unforced)'}: ${r.error}`);
      return;
    }
    if (!live) return;
    // The stored Config against the CRD and the operator's rules. One storage block is for the
    // removal step to reach: before it, two blocks (or none, on bare metal) are expected.
    const problems = validateRegistryConfig(live).filter((x) => p.role === 'removal' || x.path !== 'spec.storage');
    for (const x of problems) {
      if (x.path === 'spec.replicas' && /Required/.test(x.message)) {
        failures.push(`${where}: spec.replicas is MISSING from the stored Config; the CRD requires it, so the API server would refuse this write `
          + `(422 spec.replicas: Required value). Owners of .spec.replicas before the step: ${owners(results[i - 1], '.spec.replicas').join(', ') || 'none'}`);
      } else {
        failures.push(`${where}: the stored Config fails validateRegistryConfig: ${x.path}: ${x.message}`);
      }
    }
    if (p.role === 'removal') {
      const types = configuredStorageTypes(live.spec?.storage);
      if (types.length !== 1 || types[0] !== p.keep) failures.push(`${where}: after the removal the Config has storage [${types.join(' ')}], not exactly [${p.keep}]`);
      const patch = JSON.stringify(removeOtherStorageJsonPatch(p.keep!));
      if (p.deploy?.removalCommand && !p.deploy.removalCommand.some((word) => word.includes(patch))) {
        failures.push(`${where}: the library's removal Job does not run removeOtherStorageJsonPatch("${p.keep}"): ${JSON.stringify(p.deploy.removalCommand)}`);
      }
    }
    if (editAt >= 0 && i > editAt) {
      for (const leaf of leaves(USER_EDIT)) {
        const got = get(live, leaf.path);
        if (JSON.stringify(got) !== JSON.stringify(leaf.value)) {
          failures.push(`${where}: the user's oc edit of ${leaf.path.join('.')} (${JSON.stringify(leaf.value)}) is lost: stored ${JSON.stringify(got)}`);
        }
      }
    }
    if (p.role === 'config' && p.deploy) {
      for (const leaf of leaves(p.deploy.config.object.spec)) {
        const got = get(live.spec, leaf.path);
        if (JSON.stringify(got) !== JSON.stringify(leaf.value)) failures.push(`${where}: applied spec.${leaf.path.join('.')}=${JSON.stringify(leaf.value)}, stored ${JSON.stringify(got)}`);
      }
      if (flavour === 'pulumi') {
        // pulumi-kubernetes awaits the live object's waitFor unless the inputs say skipAwait
        // (ReadyCondition, provider/pkg/metadata/overrides.go).
        const skip = p.deploy.config.object.metadata?.annotations?.['pulumi.com/skipAwait'] === 'true';
        const next = p.deploy.wait?.object.metadata?.annotations?.[WAIT_FOR] as string | undefined;
        note(`${r.name}: live waitFor ${waitFor ? JSON.stringify(waitFor) : 'none'}; Config patch skipAwait ${skip ? '"true"' : 'absent'}`);
        if (!skip && waitFor !== undefined && waitFor !== next) {
          failures.push(`${where}: the Config patch (no pulumi.com/skipAwait: "true") would await the live object's stale pulumi.com/waitFor ${waitFor}, `
            + 'left by an earlier wait patch: conditions of the storage applied before, which never hold again (the update times out)');
        }
      }
    }
  });
  const last = results[results.length - 1];
  const final = configuredStorageTypes(last?.object?.spec?.storage);
  const want = deploys[deploys.length - 1].storageType;
  if (final.length !== 1 || final[0] !== want) failures.push(`at the end the Config has storage [${final.join(' ')}], not exactly [${want}]`);
  if (bootstrap === 'aws-single-node' && last?.object?.spec?.replicas !== 1) {
    failures.push(`single-node cluster left with replicas ${last?.object?.spec?.replicas}: with exactly 2 the operator adds a required pod anti-affinity on the node name and one pod stays Pending`);
  }
  note(`final: storage [${final.join(' ')}], replicas ${last?.object?.spec?.replicas ?? 'MISSING'} (owners: ${owners(last, '.spec.replicas').join(', ') || 'none'})`);
  fs.writeFileSync(path.join(artifacts, 'ssa.txt'), `${name}\n${table.join('\n')}\n\n${failures.length ? failures.join('\n') : 'all checks passed'}\n`);
  for (const f of failures) note(`x ${f}`);
  if (failures.length > 0) throw new StepError('ssa', `${failures.length} check(s) failed; first: ${failures[0]}`);
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

const HISTORIES: readonly { bootstrap: Bootstrap; targets: readonly Target[] }[] = [
  { bootstrap: 'aws', targets: ['s3'] },
  { bootstrap: 'aws', targets: ['s3', 's3-new-bucket'] },
  { bootstrap: 'aws', targets: ['pvc-rwo', 's3'] },
  { bootstrap: 'baremetal', targets: ['emptydir', 'pvc-rwx'] },
  { bootstrap: 'baremetal', targets: ['pvc-rwo', 'emptydir'] },
  { bootstrap: 'openstack-pvc', targets: ['s3', 'swift'] },
  { bootstrap: 'aws', targets: ['s3', 'gcs'] },
  { bootstrap: 'aws', targets: ['s3', 'azure'] },
  { bootstrap: 'aws-single-node', targets: ['s3-single-node', 'pvc-rwo', 's3-single-node'] },
];

const HOW: Record<Flavour, string> = {
  pulumi: 'Pulumi Config patch, removal Job, wait patch',
  cdk8s: 'oc apply --server-side --force-conflicts of the cdk8s Config, removal Job',
  argocd: 'Argo CD server-side sync (forced) of the cdk8s Config, PostSync removal Job',
};

/** The ssa group: the schema's self-check, the harness's own check, then every history in each flavour. */
export function ssaScenarios(): Scenario[] {
  const scenarios: Scenario[] = [
    {
      name: 'ssa-schema',
      proves: 'the CRD converts to structured-merge-diff\'s schema deterministically, keeping every list and map kind, and types the vendored test vectors',
      run: async (ctx) => {
        const converted = selfCheckConversion();
        const n = checkSchemaWithVectors(converted);
        fs.writeFileSync(path.join(ctx.artifacts, 'schema.json'), JSON.stringify(converted, null, 2) + '\n');
        ctx.note(`${converted.typeName}: ${converted.schema.types.length} types; ${n} objects typed as the API server's field manager types them`);
      },
    },
    {
      name: 'ssa-harness-conflict',
      proves: 'the replay reports an unforced apply of another manager\'s annotation value as the API server does, and a forced one takes the field',
      run: async (ctx) => {
        const object = (value: string) => ({ apiVersion: API_VERSION, kind: 'Config', metadata: { name: 'cluster', annotations: { 'pulumi.com/patchFieldManager': value } } });
        const results = replay(crdSchema(), [
          { name: 'a', manager: 'mgr-a', operation: 'Apply', object: object('a') },
          { name: 'b', manager: 'mgr-b', operation: 'Apply', object: object('b') },
          { name: 'b forced', manager: 'mgr-b', operation: 'Apply', force: true, object: object('b') },
        ]);
        fs.writeFileSync(path.join(ctx.artifacts, 'replay-output.json'), JSON.stringify(results, null, 2) + '\n');
        const want = 'Apply failed with 1 conflict: conflict with "mgr-a": .metadata.annotations.pulumi.com/patchFieldManager';
        if (results[1].ok || results[1].error !== want) throw new StepError('ssa', `expected "${want}", got ${JSON.stringify(results[1])}`);
        if (!results[2].ok || results[2].object?.metadata.annotations['pulumi.com/patchFieldManager'] !== 'b'
          || (results[2].managed['mgr-a'] ?? []).length !== 0) throw new StepError('ssa', `the forced apply did not take the field: ${JSON.stringify(results[2])}`);
        ctx.note(want);
      },
    },
    {
      name: 'ssa-harness-stale-wait',
      proves: 'the stale-waitFor check fires: a Config patch without skipAwait after a wait patch that landed its waitFor (a hand-made pair around the core plan) must fail',
      mustFail: { step: 'ssa', reason: /stale pulumi\.com\/waitFor/ },
      run: async (ctx) => {
        const deploy = (bucket: string): Deploy => {
          const spec = planS3Storage({ bucket, region: 'us-east-1' }).spec;
          const config = registryConfig(spec) as Record<string, any>;
          const annotations = { 'pulumi.com/patchForce': 'true', 'pulumi.com/patchFieldManager': FIELD_MANAGER };
          return {
            storageType: 's3',
            config: { manager: FIELD_MANAGER, force: true, object: { ...config, metadata: { ...config.metadata, annotations } } },
            wait: {
              manager: `${FIELD_MANAGER}-wait`,
              force: true,
              object: {
                apiVersion: config.apiVersion,
                kind: config.kind,
                metadata: { name: 'cluster', annotations: { 'pulumi.com/patchForce': 'true', [WAIT_FOR]: JSON.stringify(storageAppliedConditions(spec)) } },
              },
            },
            pulumi: { configUrn: 'S3::registry-config', waitUrn: 'S3::registry-storage-applied', configRetained: true, waitRetained: true },
          };
        };
        runHistory('ssa-harness-stale-wait', 'aws', 'pulumi', [deploy('acme-registry'), deploy('acme-registry-2')], ctx.artifacts, ctx.note);
      },
    },
  ];
  scenarios.push(...removalJsonPatchScenarios());
  for (const flavour of ['pulumi', 'cdk8s', 'argocd'] as const) {
    for (const h of HISTORIES) {
      const name = `ssa-${flavour}-${h.bootstrap}-to-${h.targets.join('-to-')}`;
      scenarios.push({
        name,
        proves: `${h.bootstrap} bootstrap, oc edit, then ${h.targets.join(' then ')} (${HOW[flavour]}): no unforced conflict, a valid Config after every step, one storage block after removal, the user's edits kept`,
        run: async (ctx) => {
          const deploys: Deploy[] = [];
          for (const t of h.targets) deploys.push(flavour === 'pulumi' ? await pulumiDeploy(t) : gitOpsDeploy(t, flavour));
          runHistory(name, h.bootstrap, flavour, deploys, ctx.artifacts, ctx.note);
        },
      });
    }
  }
  return scenarios;
}

/** A live Config as the API server stores it, with the given storage blocks. */
function liveConfig(storage: Record<string, unknown>): Record<string, any> {
  return {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: 'cluster' },
    spec: { managementState: 'Managed', replicas: 2, logLevel: 'Debug', storage: { managementState: 'Unmanaged', ...storage } },
  };
}

/** A block of each storage type, as the library writes them. */
const BLOCKS: Record<RegistryStorageType, Record<string, unknown>> = {
  s3: { bucket: 'acme-registry', region: 'us-east-1' },
  gcs: { bucket: 'acme-registry', region: 'us-east1', projectID: 'acme' },
  swift: { container: 'image-registry', authURL: 'https://keystone.example.com:5000/v3' },
  azure: { accountName: 'acmeregistry', container: 'image-registry' },
  ibmcos: { bucket: 'acme-registry', serviceInstanceCRN: 'crn:v1:bluemix:public:cloud-object-storage:global:a/0123:4567::' },
  pvc: { claim: 'image-registry-storage' },
  emptyDir: {},
};

/**
 * The removal Job's JSON patch, applied by the API server's own JSON patch library to live
 * Configs: with the kept block it leaves exactly that block; without it (the Config apply failed, a
 * webhook denied it) it fails and the Config stays as it was. The `copy` form an earlier draft
 * used is shown to be unsafe with that library: it leaves no block at all.
 */
function removalJsonPatchScenarios(): Scenario[] {
  const write = (ctx: { artifacts: string }, results: unknown) =>
    fs.writeFileSync(path.join(ctx.artifacts, 'json-patch-results.json'), JSON.stringify(results, null, 2) + '\n');
  return [
    {
      name: 'removal-json-patch-keeps-exactly-the-kept-block',
      proves: 'for every storage type, the removal Job\'s JSON patch (evanphx/json-patch v4, as the API server applies it) leaves exactly the kept block, '
        + 'beside every other block or alone, and a second run changes nothing; logLevel, replicas and managementState stay',
      run: async (ctx) => {
        const jobs = REGISTRY_STORAGE_TYPES.flatMap((keep) => [
          { name: `${keep} beside every other block`, doc: liveConfig(BLOCKS), patch: removeOtherStorageJsonPatch(keep), keep },
          { name: `${keep} beside the operator's emptyDir`, doc: liveConfig({ emptyDir: {}, [keep]: BLOCKS[keep] }), patch: removeOtherStorageJsonPatch(keep), keep },
          { name: `${keep} alone (the Job runs again)`, doc: liveConfig({ [keep]: BLOCKS[keep] }), patch: removeOtherStorageJsonPatch(keep), keep },
        ]);
        const results = applyJsonPatches(jobs);
        write(ctx, results);
        const wrong: string[] = [];
        results.forEach((r, i) => {
          const keep = jobs[i].keep;
          const want = liveConfig({ [keep]: BLOCKS[keep] });
          if (!r.ok) wrong.push(`${r.name}: refused: ${r.error}`);
          else if (JSON.stringify(sortKeys(r.doc)) !== JSON.stringify(sortKeys(want))) wrong.push(`${r.name}: stored ${JSON.stringify(r.doc.spec)}, want ${JSON.stringify(want.spec)}`);
        });
        if (wrong.length > 0) throw new StepError('json-patch', wrong.join('; '));
        ctx.note(`${results.length} live Configs patched by evanphx/json-patch: each keeps exactly its block`);
      },
    },
    {
      name: 'removal-json-patch-refuses-without-the-kept-block',
      proves: 'when the live Config lacks the kept block (its apply failed, a webhook denied it), the removal Job\'s JSON patch fails on the API server\'s library '
        + 'and the Config keeps the block it had: the registry never loses its storage',
      run: async (ctx) => {
        const jobs = REGISTRY_STORAGE_TYPES.flatMap((keep) => REGISTRY_STORAGE_TYPES.filter((t) => t !== keep).map((live) => ({
          name: `keep ${keep}, live ${live}`, doc: liveConfig({ [live]: BLOCKS[live] }), patch: removeOtherStorageJsonPatch(keep), keep,
        })));
        const results = applyJsonPatches(jobs);
        write(ctx, results);
        const wrong = results.filter((r, i) => r.ok || !/Unable to remove nonexistent key/.test(r.error ?? '')
          || JSON.stringify(r.doc) !== JSON.stringify(jobs[i].doc)).map((r) => `${r.name}: ${r.ok ? `applied: ${JSON.stringify(r.doc.spec.storage)}` : r.error}`);
        if (wrong.length > 0) throw new StepError('json-patch', wrong.join('; '));
        ctx.note(`${results.length} Configs without the kept block: every patch refused, e.g. "${results[0].error}"`);
      },
    },
    {
      name: 'removal-json-patch-copy-form-loses-the-storage',
      proves: 'the check above can fail: a patch whose guard is a JSON copy of the kept block onto itself (RFC 6902 says "from" must exist) is let through by '
        + 'evanphx/json-patch v4 on a Config without the block, which then has no block left; a merge patch of nulls does the same',
      mustFail: { step: 'json-patch', reason: /no storage block left/ },
      run: async (ctx) => {
        const copyForm = removeOtherStorageJsonPatch('s3').map((op) => (op.op === 'move' ? { ...op, op: 'copy' } : op));
        const [copied] = applyJsonPatches([{ name: 'copy form, keep s3, live emptyDir', doc: liveConfig({ emptyDir: {} }), patch: copyForm }]);
        const merged = jsonMergePatch(liveConfig({ emptyDir: {} }), removeOtherStorageMergePatch('s3')) as Record<string, any>;
        write(ctx, { copied, merged });
        const left = (storage: Record<string, unknown>) => configuredStorageTypes(storage); // a null member counts as absent: the API server prunes it
        if (copied.ok && left(copied.doc.spec.storage).length === 0 && left(merged.spec.storage).length === 0) {
          throw new StepError('json-patch', `no storage block left: copy form stored ${JSON.stringify(copied.doc.spec.storage)} (null is pruned), merge patch ${JSON.stringify(merged.spec.storage)}`);
        }
      },
    },
  ];
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
}
