import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { checkRegistryObjects, registryConfig, validateRegistryConfigPatch } from '../lib';
import { AcmPlacement, AcmPlacementBinding, AcmPolicy } from '../lib/cdk8s';
import { OPENSHIFT_RELEASES } from '../lib/core/releases';
import { exampleConfig, fleetFolderExample, listExamples, runPulumiExample, synthCdk8sExample } from '../scripts/examples';

const EXPECTED = [
  'aws-s3', 'aws-s3-compatible', 'azure-blob', 'azure-blob-government', 'baremetal-pvc-rwo', 'baremetal-pvc-rwx', 'emptydir-lab',
  'gcp-gcs', 'odf-noobaa', 'openstack-cinder-pvc', 'openstack-swift',
];
/** cdk8s apps that create the storage through the cluster's controllers (the Pulumi flavour uses the cloud SDKs). */
const CONTROLLERS: Record<string, string[]> = {
  'aws-s3-ack': ['Bucket', 'Config'],
  'gcp-gcs-config-connector': ['StorageBucket', 'IAMPolicyMember', 'IAMPolicyMember', 'Config'],
  'azure-blob-crossplane': ['ProviderConfig', 'Account', 'RoleAssignment', 'Container', 'Config'],
  'odf-ceph-rgw': ['ObjectBucketClaim', 'Namespace', 'ImageStream', 'NetworkPolicy', 'Secret', 'Role', 'ServiceAccount', 'RoleBinding', 'Job', 'Config'],
};
/** Fleets: ACM policies for the hub, and Argo CD folders (examples/fleet/inventory.yaml). */
const FLEET = ['fleet-acm', 'fleet-argocd'];
const CDK8S = [...EXPECTED, ...Object.keys(CONTROLLERS)].sort();

describe('examples', () => {
  it('every platform has a Pulumi project and a cdk8s app; the controllers have cdk8s apps', () => {
    expect(listExamples('cdk8s')).toEqual([...CDK8S, ...FLEET].sort());
    expect(listExamples('pulumi')).toEqual([...EXPECTED, 'fleet-stacks'].sort());
  });

  describe.each(Object.entries(CONTROLLERS))('cdk8s %s: the storage through the cluster\'s controller', (name, kinds) => {
    it('synthesizes the controller\'s objects (valid against their CRDs at synth) before the Config, and no key', () => {
      const { manifests, problems } = synthCdk8sExample(name);
      expect(problems).toEqual([]);
      expect(manifests.map((m: any) => m.kind)).toEqual(kinds);
      for (const secret of manifests.filter((m: any) => m.kind === 'Secret')) expect([secret.data, secret.stringData]).toEqual([undefined, undefined]);
    });
  });

  describe.each(CDK8S)('cdk8s %s', (name) => {
    it('synthesizes a valid, cluster-scoped Config', () => {
      const { yaml, manifests, problems } = synthCdk8sExample(name);
      expect(problems).toEqual([]);
      const config = manifests.find((m: any) => m.kind === 'Config');
      // cluster-scoped, and kept by Argo CD and Flux when pruned or when the Application goes
      expect(config.metadata).toEqual({
        name: 'cluster',
        annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
      });
      expect(parse(yaml.split('---').pop()!)).toBeDefined();
      // valid on the CRD of every supported release (the examples say no openshiftVersion: the oldest)
      for (const r of OPENSHIFT_RELEASES) {
        expect({ r, problems: validateRegistryConfigPatch(config, { openshiftVersion: r }) }).toEqual({ r, problems: [] });
      }
    });
  });

  it('cdk8s fleet-acm: hub objects valid against the ACM CRDs, one profile per storage shape, no credential', () => {
    const { manifests } = synthCdk8sExample('fleet-acm');
    const policies = manifests.filter((m: any) => m.kind === 'Policy');
    expect(policies).toHaveLength(6);
    for (const m of manifests) {
      const kinds: Record<string, { problems: (o: unknown) => string[] }> = {
        Policy: AcmPolicy, Placement: AcmPlacement, PlacementBinding: AcmPlacementBinding,
      };
      const l1 = kinds[m.kind];
      if (l1) expect(l1.problems(m)).toEqual([]);
    }
    expect(policies.every((p: any) => p.spec.remediationAction === 'inform')).toBe(true);
    expect(JSON.stringify(manifests)).not.toMatch(/stringData|from-the-hub-secret/);
  });

  it('cdk8s fleet-argocd: a folder per cluster, each passing check, and the ApplicationSet', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-argocd-'));
    const files = fleetFolderExample('fleet-argocd')!(dir);
    expect(files).toHaveLength(8);
    for (const f of files.filter((x) => x.includes('/'))) {
      const objects = parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS());
      expect(checkRegistryObjects(objects)).toEqual([]);
      expect(objects.some((o: any) => o.kind === 'Secret' && o.metadata.name === 'image-registry-private-configuration-user' && (o.data || o.stringData))).toBe(false);
    }
  });

  it('pulumi fleet-stacks: the stack\'s cluster from the inventory, through its component', async () => {
    const resources = await runPulumiExample('fleet-stacks');
    const components = resources.filter((r) => r.type.startsWith('openshift-registry-storage:index:'));
    // The first stack file, Pulumi.analytics-gcp.yaml: a GCS cluster, and no other cloud's SDK loaded.
    expect(components.map((c) => c.type)).toEqual(['openshift-registry-storage:index:GcsRegistryStorage']);
    expect(resources.find((r) => r.type === 'gcp:storage/bucket:Bucket')!.inputs.name).toBe('acme-analytics-image-registry');
  });

  describe.each(EXPECTED)('pulumi %s', (name) => {
    it('deploys under mocks: one component, a valid Config patch, nothing secret in clear', async () => {
      const resources = await runPulumiExample(name);
      const components = resources.filter((r) => r.type.startsWith('openshift-registry-storage:index:'));
      expect(components).toHaveLength(1);
      const patch = resources.find((r) => r.name === 'registry-config')!;
      for (const r of OPENSHIFT_RELEASES) {
        const problems = validateRegistryConfigPatch(registryConfig(patch.inputs.spec as any), { openshiftVersion: r });
        expect({ r, problems }).toEqual({ r, problems: [] });
      }
      const secrets = Object.entries(exampleConfig(name).config).filter(([k]) => ['kubeconfig', 'accessKey', 'secretKey'].includes(k)).map(([, v]) => v);
      for (const s of secrets) expect(JSON.stringify(resources)).not.toContain(s);
    });
  });

  it('the docs\' examples come out as the docs show them', () => {
    const cinder = synthCdk8sExample('openstack-cinder-pvc').manifests;
    expect(cinder.map((m: any) => m.kind)).toEqual(['StorageClass', 'PersistentVolumeClaim', 'Config']);
    const rwx = synthCdk8sExample('baremetal-pvc-rwx').manifests.find((m: any) => m.kind === 'Config');
    expect(rwx.spec.replicas).toBe(2);
    const rwo = synthCdk8sExample('baremetal-pvc-rwo').manifests.find((m: any) => m.kind === 'Config');
    expect([rwo.spec.replicas, rwo.spec.rolloutStrategy]).toEqual([1, 'Recreate']);
    const gov = synthCdk8sExample('azure-blob-government').manifests.find((m: any) => m.kind === 'Config');
    expect(gov.spec.storage.azure.cloudName).toBe('AzureUSGovernmentCloud');
  });
});
