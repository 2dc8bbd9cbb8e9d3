import { parse } from 'yaml';
import { registryConfig, validateRegistryConfigPatch } from '../lib';
import { exampleConfig, listExamples, runPulumiExample, synthCdk8sExample } from '../scripts/examples';

const EXPECTED = [
  'aws-s3', 'aws-s3-compatible', 'azure-blob', 'azure-blob-government', 'baremetal-pvc-rwo', 'baremetal-pvc-rwx', 'emptydir-lab',
  'gcp-gcs', 'odf-noobaa', 'openstack-cinder-pvc', 'openstack-swift',
];
/** cdk8s apps that create the storage through the cluster's controllers (the Pulumi flavour uses the cloud SDKs). */
const CONTROLLERS: Record<string, string[]> = {
  'aws-s3-ack': ['Bucket', 'Config'],
  'gcp-gcs-config-connector': ['StorageBucket', 'IAMPolicyMember', 'IAMPolicyMember', 'Config'],
  'azure-blob-crossplane': ['Account', 'Container', 'Config'],
  'odf-ceph-rgw': ['ObjectBucketClaim', 'Namespace', 'ImageStream', 'NetworkPolicy', 'Secret', 'Role', 'ServiceAccount', 'RoleBinding', 'Job', 'Config'],
};
const CDK8S = [...EXPECTED, ...Object.keys(CONTROLLERS)].sort();

describe('examples', () => {
  it('every platform has a Pulumi project and a cdk8s app; the controllers have cdk8s apps', () => {
    expect(listExamples('cdk8s')).toEqual(CDK8S);
    expect(listExamples('pulumi')).toEqual(EXPECTED);
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
    });
  });

  describe.each(EXPECTED)('pulumi %s', (name) => {
    it('deploys under mocks: one component, a valid Config patch, nothing secret in clear', async () => {
      const resources = await runPulumiExample(name);
      const components = resources.filter((r) => r.type.startsWith('openshift-registry-storage:index:'));
      expect(components).toHaveLength(1);
      const patch = resources.find((r) => r.name === 'registry-config')!;
      expect(validateRegistryConfigPatch(registryConfig(patch.inputs.spec as any))).toEqual([]);
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
