/** ACM and Argo CD outputs of a fleet (lib/cdk8s/fleet.ts). */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as jsyaml from 'js-yaml';
import { HUB_SECRET_PLACEHOLDER, loadFleetInventory, planFleet } from '../../lib';
import { ACM_PAYLOAD_CLI_IMAGE, AcmRegistryStorageFleet, argoCdFleetFiles, FLEET_VALUES_CONFIGMAP, fleetClusterManifests } from '../../lib/cdk8s';
import { AcmPlacement } from '../../lib/cdk8s/generated/acm-placement';
import { AcmPlacementBinding } from '../../lib/cdk8s/generated/acm-placement-binding';
import { AcmPolicy } from '../../lib/cdk8s/generated/acm-policy';

const inventory = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'fleet', 'inventory.yaml'), 'utf8');

function acm(remediationAction: 'inform' | 'enforce' = 'enforce', extra = {}) {
  const chart = Testing.chart();
  const fleet = new AcmRegistryStorageFleet(chart, 'fleet', { fleet: loadFleetInventory(inventory), remediationAction, ...extra });
  return { fleet, objects: Testing.synth(chart) as any[] };
}

/** What the ACM hub does with the two template forms the output uses, for one managed cluster. */
const PAYLOAD_CLI = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:' + 'c'.repeat(64);

/**
 * What differs, by design, between a cluster's construct output and ACM's: ACM's Jobs read the
 * payload's oc on the managed cluster, by digest, so they need no ImageStream and no resolve-names.
 */
function asAcmWrites(objects: any[]): any[] {
  return objects.filter((o) => !(o.kind === 'ImageStream' && o.metadata.name === 'registry-storage-cli')).map((o) => {
    if (o.kind !== 'Job') return o;
    const copy = JSON.parse(JSON.stringify(o));
    delete copy.spec.template.metadata.annotations;
    for (const c of copy.spec.template.spec.containers) c.image = PAYLOAD_CLI;
    return copy;
  });
}

function resolveHubTemplates(value: unknown, cluster: string, configMap: Record<string, string>, hubSecret: Record<string, string>): unknown {
  if (typeof value === 'string') {
    const cm = /^\{\{hub fromConfigMap "" "[^"]+" \(printf "%s\.([^"]+)" \.ManagedClusterName\)( \| (toInt|toBool))? hub\}\}$/.exec(value);
    if (cm) {
      const v = configMap[`${cluster}.${cm[1]}`];
      if (v === undefined) throw new Error(`no ${cluster}.${cm[1]} in the values ConfigMap`);
      // the hub resolves first; what it leaves is resolved on the managed cluster
      return cm[3] === 'toInt' ? Number(v) : cm[3] === 'toBool' ? v === 'true' : v.includes('{{ ') ? resolveHubTemplates(v, cluster, configMap, hubSecret) : v;
    }
    const sec = /^\{\{hub fromSecret "" \(printf "%s-registry-storage" \.ManagedClusterName\) "([^"]+)" hub\}\}$/.exec(value);
    if (sec) return Buffer.from(hubSecret[sec[1]]).toString('base64');
    // managed-cluster templates, as the cluster's config-policy-controller resolves them
    if (value === ACM_PAYLOAD_CLI_IMAGE) return PAYLOAD_CLI;
    const claim = /^\{\{ \(lookup "v1" "PersistentVolumeClaim" "[^"]+" "[^"]+"\)\.spec\.resources\.requests\.storage \| default "([^"]+)" \}\}$/.exec(value);
    if (claim) return claim[1]; // a claim ACM creates: the planned size
    if (value.includes('{{')) throw new Error(`unresolved template ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveHubTemplates(v, cluster, configMap, hubSecret));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveHubTemplates(v, cluster, configMap, hubSecret)]));
  return value;
}

describe('AcmRegistryStorageFleet', () => {
  test('clusters whose objects differ only in their own values share one profile', () => {
    const { fleet } = acm();
    expect(fleet.profiles.map((p) => `${p.kind}:${p.clusters.join(',')}`)).toEqual([
      'gcs:analytics-gcp', 'objectBucketClaim:factory-1', 'pvc:lab-vsphere', 's3:prod-eu-1,prod-eu-2', 's3:prod-us-1', 'swift:edge-openstack',
    ]);
    for (const p of fleet.profiles) expect(p.name).toMatch(new RegExp('^registry-(s3|gcs|swift|pvc|obc)-[0-9a-f]{8}$'));
  });

  test('each profile is a Policy over a ConfigurationPolicy, a Placement by cluster name and a PlacementBinding, valid against their CRDs', () => {
    const { fleet, objects } = acm();
    for (const p of fleet.profiles) {
      const policy = objects.find((o) => o.kind === 'Policy' && o.metadata.name === p.name);
      const placement = objects.find((o) => o.kind === 'Placement' && o.metadata.name === p.name);
      const binding = objects.find((o) => o.kind === 'PlacementBinding' && o.metadata.name === p.name);
      expect(AcmPolicy.problems(policy)).toEqual([]);
      expect(AcmPlacement.problems(placement)).toEqual([]);
      expect(AcmPlacementBinding.problems(binding)).toEqual([]);
      expect(placement.spec.predicates[0].requiredClusterSelector.labelSelector.matchExpressions).toEqual([{ key: 'name', operator: 'In', values: p.clusters }]);
      expect(binding.subjects).toEqual([{ apiGroup: 'policy.open-cluster-management.io', kind: 'Policy', name: p.name }]);
      const cp = policy.spec['policy-templates'][0].objectDefinition;
      expect(cp.spec).toMatchObject({ remediationAction: 'enforce', pruneObjectBehavior: 'None' });
      expect(cp.spec['object-templates'].every((t: any) => t.complianceType === 'musthave')).toBe(true);
    }
    expect(objects.find((o) => o.kind === 'ManagedClusterSetBinding')).toEqual({
      apiVersion: 'cluster.open-cluster-management.io/v1beta2',
      kind: 'ManagedClusterSetBinding',
      metadata: { name: 'global', namespace: 'registry-storage-fleet' },
      spec: { clusterSet: 'global' },
    });
  });

  test('on the hub, the templates resolve for each cluster to exactly what its own construct emits', () => {
    const { fleet, objects } = acm();
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === FLEET_VALUES_CONFIGMAP).data;
    const plan = loadFleetInventory(inventory);
    for (const cluster of plan.clusters) {
      const profile = fleet.profiles.find((p) => p.clusters.includes(cluster.name))!;
      const policy = objects.find((o) => o.kind === 'Policy' && o.metadata.name === profile.name);
      const templates = policy.spec['policy-templates'][0].objectDefinition.spec['object-templates'].map((t: any) => t.objectDefinition);
      const hubSecret = Object.fromEntries((cluster.hubSecret?.keys ?? []).map((k) => [k, `hub value of ${k}`]));
      const resolved = templates.map((t: any) => resolveHubTemplates(t, cluster.name, configMap, hubSecret));
      const own = asAcmWrites(fleetClusterManifests(cluster)).map((m: any) => (m.kind === 'Secret' && cluster.hubSecret
        ? { apiVersion: m.apiVersion, kind: m.kind, metadata: m.metadata, type: m.type, data: Object.fromEntries(Object.keys(m.stringData).map((k) => [k, Buffer.from(`hub value of ${k}`).toString('base64')])) }
        : m));
      const byKey = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      expect(Object.fromEntries(resolved.map((o: any) => [byKey(o), o]))).toEqual(Object.fromEntries(own.map((o: any) => [byKey(o), o])));
    }
  });

  test('no credential and no placeholder reaches the output; keys come from the hub Secret through fromSecret', () => {
    const { fleet, objects } = acm();
    const text = JSON.stringify(objects);
    expect(text).not.toContain(HUB_SECRET_PLACEHOLDER);
    expect(text).not.toContain('stringData');
    expect(fleet.hubSecrets).toEqual([{
      cluster: 'edge-openstack',
      name: 'edge-openstack-registry-storage',
      keys: ['REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET'],
    }]);
    const swift = objects.find((o) => o.kind === 'Policy' && o.metadata.name.startsWith('registry-swift-'));
    const templates = swift.spec['policy-templates'][0].objectDefinition.spec['object-templates'].map((t: any) => t.objectDefinition);
    // The user Secret comes first: the operator must not see a Config whose keys do not exist yet.
    expect(templates.map((t: any) => t.kind)).toEqual(['Secret', 'Config']);
    expect(templates[0].data.REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET)
      .toBe('{{hub fromSecret "" (printf "%s-registry-storage" .ManagedClusterName) "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET" hub}}');
  });

  test('typed fields keep their type through toInt and toBool', () => {
    const chart = Testing.chart();
    const fleet = planFleet({ clusters: [{ name: 'a', platform: 'aws', region: 'eu-west-1', storage: { s3: { bucket: 'acme-a-registry', chunkSizeMiB: 10, encrypt: true } }, common: { openshiftVersion: '4.17' } }] });
    new AcmRegistryStorageFleet(chart, 'fleet', { fleet, remediationAction: 'inform' });
    const policy = Testing.synth(chart).find((o: any) => o.kind === 'Policy');
    expect(policy.spec.remediationAction).toBe('inform');
    const config = policy.spec['policy-templates'][0].objectDefinition.spec['object-templates'].find((t: any) => t.objectDefinition.kind === 'Config').objectDefinition;
    expect(config.spec.storage.s3.chunkSizeMiB).toBe('{{hub fromConfigMap "" "registry-storage-fleet-values" (printf "%s.s3.chunkSizeMiB" .ManagedClusterName) | toInt hub}}');
    expect(config.spec.storage.s3.encrypt).toMatch(/\| toBool hub\}\}$/);
  });

  test('storage made by the cluster\'s controllers (ACK here) is templated like the Config: two clusters, one profile', () => {
    const chart = Testing.chart();
    const cluster = (name: string) => ({
      name, platform: 'aws' as const, region: 'eu-west-1', storage: { s3: { bucket: `acme-${name}-registry`, provision: { controller: 'ack', namespace: 'ack-system' } } },
    });
    const fleet = new AcmRegistryStorageFleet(chart, 'fleet', { fleet: planFleet({ clusters: [cluster('a'), cluster('b')] }), remediationAction: 'enforce' });
    expect(fleet.profiles.map((p) => p.clusters)).toEqual([['a', 'b']]);
    const policy = Testing.synth(chart).find((o: any) => o.kind === 'Policy');
    const templates = policy.spec['policy-templates'][0].objectDefinition.spec['object-templates'].map((t: any) => t.objectDefinition);
    expect(templates.map((t: any) => t.kind)).toEqual(['Bucket', 'Config']);
    expect(templates[0].spec.name).toBe('{{hub fromConfigMap "" "registry-storage-fleet-values" (printf "%s.s3.bucket" .ManagedClusterName) hub}}');
    expect(JSON.stringify(templates[0])).not.toContain('acme-a-registry');
  });

  test('a namespaced controller object without a namespace is refused, naming the cluster and the prop', () => {
    const fleet = planFleet({ clusters: [{ name: 'a', platform: 'aws', region: 'eu-west-1', storage: { s3: { bucket: 'acme-a-registry', provision: { controller: 'ack' } } } }] });
    expect(() => new AcmRegistryStorageFleet(Testing.chart(), 'fleet', { fleet, remediationAction: 'enforce' }))
      .toThrow(/cluster a: 1 problem\n {2}- .*Bucket acme-a-registry is namespaced and has no namespace: .*provision\.namespace/);
    expect(() => argoCdFleetFiles(fleet, { repoURL: 'https://git.example.com/f.git' })).toThrow(/Bucket acme-a-registry is namespaced and has no namespace/);
  });

  test('Jobs: the payload\'s oc looked up on the managed cluster by digest, re-created when an upgrade changes it; claims keep their live size', () => {
    const { objects } = acm();
    const policy = objects.find((o) => o.kind === 'Policy' && o.metadata.name.startsWith('registry-obc-'));
    const cp = policy.spec['policy-templates'][0].objectDefinition;
    const jobTemplate = cp.spec['object-templates'].find((t: any) => t.objectDefinition.kind === 'Job');
    // immutable pod template: IfRequired deletes and re-creates instead of failing the update
    expect(jobTemplate.recreateOption).toBe('IfRequired');
    expect(jobTemplate.objectDefinition.spec.template.spec.containers[0].image).toBe(ACM_PAYLOAD_CLI_IMAGE);
    expect(jobTemplate.objectDefinition.spec.template.metadata.annotations).toBeUndefined();
    expect(jobTemplate.objectDefinition.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(cp.spec['object-templates'].map((t: any) => t.objectDefinition.kind)).not.toContain('ImageStream');
    // ImageStreamTag has no watch verb: the lookup needs an evaluation interval
    expect(cp.spec.evaluationInterval).toEqual({ compliant: '10m', noncompliant: '1m' });
    const pvc = objects.find((o) => o.kind === 'Policy' && o.metadata.name.startsWith('registry-pvc-'));
    const claim = pvc.spec['policy-templates'][0].objectDefinition.spec['object-templates'].find((t: any) => t.objectDefinition.kind === 'PersistentVolumeClaim');
    expect(claim.objectDefinition.spec.resources.requests.storage)
      .toMatch(/^\{\{ \(lookup "v1" "PersistentVolumeClaim" "openshift-image-registry" "[^"]+"\)\.spec\.resources\.requests\.storage \| default "\d+Gi" \}\}$/);
    // a profile with no lookup keeps watch mode
    const s3 = objects.find((o) => o.kind === 'Policy' && o.metadata.name.startsWith('registry-s3-'));
    expect(s3.spec['policy-templates'][0].objectDefinition.spec.evaluationInterval).toBeUndefined();
  });

  test('ACM\'s length rule is namespace + name within 62 characters, as its webhook counts', () => {
    // 'registry-s3-<8 hex>' is 20 characters: a 42-character namespace fits, 43 does not
    const fleet = planFleet({ clusters: [{ name: 'a', platform: 'aws', region: 'eu-west-1', storage: { s3: { bucket: 'acme-a-registry' } } }] });
    const make = (namespace: string) => new AcmRegistryStorageFleet(Testing.chart(), 'fleet', { fleet, remediationAction: 'enforce', namespace });
    expect(() => make('n'.repeat(42))).not.toThrow();
    expect(() => make('n'.repeat(43))).toThrow(/is too long: ACM needs namespace and policy name/);
  });

  test('names that ACM cannot take are refused, naming the prop', () => {
    expect(() => acm('enforce', { namespace: 'a-namespace-name-that-is-far-too-long-for-acm-policies' }))
      .toThrow(/namespace: "a-namespace-name-that-is-far-too-long-for-acm-policies" is too long: ACM needs namespace and policy name/);
    expect(() => acm('audit' as any)).toThrow(/remediationAction: must be inform or enforce/);
  });

  test('the namespace is cluster-scoped and the hub objects live in it', () => {
    const app = new App({ outdir: fs.mkdtempSync('/tmp/fleet-') });
    const chart = new Chart(app, 'hub', { namespace: 'ignored-by-cluster-scoped' });
    new AcmRegistryStorageFleet(chart, 'fleet', { fleet: loadFleetInventory(inventory), remediationAction: 'inform' });
    const objects = chart.toJson();
    expect(objects.find((o: any) => o.kind === 'Namespace').metadata).toEqual({ name: 'registry-storage-fleet' });
  });
});

describe('argoCdFleetFiles', () => {
  const { files, hubSecretKeys } = argoCdFleetFiles(loadFleetInventory(inventory), { repoURL: 'https://git.example.com/platform/fleet.git' });

  test('one folder per cluster and an ApplicationSet over them', () => {
    expect(Object.keys(files).sort()).toEqual([
      'analytics-gcp/registry-storage.yaml', 'applicationset.yaml', 'edge-openstack/registry-storage.yaml', 'factory-1/registry-storage.yaml',
      'lab-vsphere/registry-storage.yaml', 'prod-eu-1/registry-storage.yaml', 'prod-eu-2/registry-storage.yaml', 'prod-us-1/registry-storage.yaml',
    ]);
    const set = jsyaml.load(files['applicationset.yaml']) as any;
    expect(set.spec.generators).toEqual([{ git: { repoURL: 'https://git.example.com/platform/fleet.git', revision: 'main', directories: [{ path: 'fleet-argocd/*' }] } }]);
    // a destination namespace: Argo CD refuses a namespaced object that has none
    expect(set.spec.template.spec.destination).toEqual({ name: '{{.path.basename}}', namespace: 'openshift-image-registry' });
    expect(set.spec.template.spec.ignoreDifferences).toEqual([{ group: 'batch', kind: 'Job', jqPathExpressions: ['.spec.template.spec.containers[].image'] }]);
    expect(set.spec.template.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    // every namespaced object in the folders names its namespace
    for (const [file, text] of Object.entries(files)) {
      if (file === 'applicationset.yaml') continue;
      for (const o of jsyaml.loadAll(text) as any[]) {
        if (!['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'Config', 'StorageClass', 'Account', 'Container'].includes(o.kind)) expect([file, o.kind, o.metadata.namespace]).toEqual([file, o.kind, expect.any(String)]);
      }
    }
    expect(set.spec.template.spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: true });
  });

  test('no Secret goes to Git; the keys a cluster needs are listed; the Config keeps Delete=false', () => {
    const edge = jsyaml.loadAll(files['edge-openstack/registry-storage.yaml']) as any[];
    expect(edge.map((o) => o.kind)).toEqual(['Config']);
    expect(files['edge-openstack/registry-storage.yaml']).toMatch(/^# edge-openstack: the Secret openshift-image-registry\/image-registry-private-configuration-user is not in Git/);
    expect(hubSecretKeys).toEqual({ 'edge-openstack': expect.arrayContaining(['REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET']) });
    expect(edge[0].metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    expect(Object.values(files).join('\n')).not.toContain(HUB_SECRET_PLACEHOLDER);
  });
});
