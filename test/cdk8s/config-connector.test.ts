/**
 * GCS storage provisioned through Config Connector: the core's one bucket intent, rendered as a
 * `StorageBucket` that passes its CRD, field by field the same settings the Pulumi flavour creates,
 * and the registry's bucket bindings as `IAMPolicyMember`s.
 */
import { Chart, Testing } from 'cdk8s';
import { GcsRegistryStorage, KccIamPolicyMember, KccStorageBucket } from '../../lib/cdk8s';
import { GcsRegistryStorage as PulumiGcsRegistryStorage } from '../../lib/pulumi/gcp';
import { capturePulumiProgram } from '../../lib/testing/pulumi';

const KEY = 'projects/acme/locations/us-east1/keyRings/registry/cryptoKeys/registry';
const SA = 'acme-openshift-i-x1y2z@acme.iam.gserviceaccount.com';

function chart(): Chart {
  return new Chart(Testing.app(), 'cluster-a', { namespace: 'team-a' });
}

describe('GcsRegistryStorage with provision: { controller: \'config-connector\' }', () => {
  it('emits a hardened StorageBucket, abandoned on delete, and the registry\'s bindings, before the Config', () => {
    const c = chart();
    new GcsRegistryStorage(c, 'registry', {
      bucket: 'acme-image-registry',
      region: 'us-east1',
      projectID: 'acme',
      provision: { controller: 'config-connector', namespace: 'config-connector', registryServiceAccount: SA, labels: { team: 'platform' } },
    });
    const out = Testing.synth(c);
    expect(out.map((m) => m.kind)).toEqual(['StorageBucket', 'IAMPolicyMember', 'IAMPolicyMember', 'Config']);
    const [bucket, ...rest] = out;
    expect(KccStorageBucket.problems(bucket)).toEqual([]);
    for (const b of rest.slice(0, 2)) expect(KccIamPolicyMember.problems(b)).toEqual([]);
    expect(bucket.metadata).toEqual({
      name: 'acme-image-registry',
      namespace: 'config-connector',
      labels: { team: 'platform' },
      annotations: {
        'cnrm.cloud.google.com/deletion-policy': 'abandon',
        'cnrm.cloud.google.com/project-id': 'acme',
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      },
    });
    expect(bucket.spec).toEqual({
      location: 'us-east1',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      lifecycleRule: [{ action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 1 } }],
    });
    expect(rest.slice(0, 2).map((b) => b.spec)).toEqual([
      { member: `serviceAccount:${SA}`, role: 'roles/storage.objectAdmin', resourceRef: { apiVersion: 'storage.cnrm.cloud.google.com/v1beta1', kind: 'StorageBucket', name: 'acme-image-registry' } },
      { member: `serviceAccount:${SA}`, role: 'roles/storage.legacyBucketReader', resourceRef: { apiVersion: 'storage.cnrm.cloud.google.com/v1beta1', kind: 'StorageBucket', name: 'acme-image-registry' } },
    ]);
    expect(out.find((m) => m.kind === 'Secret')).toBeUndefined();
  });

  it('the same bucket settings as the Pulumi flavour, field by field, from the one core intent', async () => {
    const props = { bucket: 'acme-image-registry', region: 'us-east1', projectID: 'acme', keyID: KEY };
    const c = chart();
    const storage = new GcsRegistryStorage(c, 'registry', { ...props, provision: { controller: 'config-connector' } });
    // CMEK needs the GCS service agent granted on the key, which cannot be rendered without the project number
    expect(storage.warnings).toEqual([expect.objectContaining({ path: 'keyID', message: expect.stringMatching(/roles\/cloudkms\.cryptoKeyEncrypterDecrypter/) })]);
    const kcc = Testing.synth(c).find((m) => m.kind === 'StorageBucket');
    const resources = await capturePulumiProgram(() => new PulumiGcsRegistryStorage('registry', props));
    const pulumiBucket = resources.find((r) => r.type === 'gcp:storage/bucket:Bucket')!.inputs as any;
    expect(kcc.metadata.name).toBe(pulumiBucket.name);
    expect(kcc.spec.location).toBe(pulumiBucket.location);
    expect(kcc.spec.uniformBucketLevelAccess).toBe(pulumiBucket.uniformBucketLevelAccess);
    expect(kcc.spec.publicAccessPrevention).toBe(pulumiBucket.publicAccessPrevention);
    expect(kcc.spec.encryption).toEqual({ kmsKeyRef: { external: pulumiBucket.encryption.defaultKmsKeyName } });
    expect(kcc.spec.lifecycleRule).toEqual(pulumiBucket.lifecycleRules);
  });

  it('refuses, with every problem at once, what cannot work', () => {
    expect(() => new GcsRegistryStorage(chart(), 'r', { provision: { controller: 'config-connector', registryServiceAccount: 'registry' } }))
      .toThrow(/GcsRegistryStorage: 3 problems\n {2}- bucket: is required with provision.*\n {2}- region: is required to create the bucket: it is the bucket.s location.*\n {2}- provision\.registryServiceAccount: must be a service account email/);
    expect(() => new GcsRegistryStorage(chart(), 'r', { bucket: 'acme-image-registry', region: 'us-east1', projectID: 'acme', provision: { controller: 'ack' } as any }))
      .toThrow(/provision\.controller: must be 'config-connector', got "ack"/);
  });
});

describe('one rule, one wording (#21)', () => {
  it('the GCS region rule reads the same in cdk8s and Pulumi', async () => {
    let cdk8sMessage = '';
    try {
      new GcsRegistryStorage(new Chart(Testing.app(), 'c'), 'r', { bucket: 'acme-registry', provision: { controller: 'config-connector' } });
    } catch (e) {
      cdk8sMessage = (e as Error).message;
    }
    let pulumiMessage = '';
    try {
      await capturePulumiProgram(() => new PulumiGcsRegistryStorage('r', { bucket: 'acme-registry' }));
    } catch (e) {
      pulumiMessage = (e as Error).message;
    }
    const rule = '- region: is required to create the bucket: it is the bucket\'s location, e.g. "us-east1"';
    expect(cdk8sMessage).toContain(rule);
    expect(pulumiMessage).toContain(rule);
  });
});
