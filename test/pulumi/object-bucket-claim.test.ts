import * as pulumi from '@pulumi/pulumi';
import { byType, one, secretValues } from './mocks';
import { registryConfig, validateRegistryConfigPatch } from '../../lib';
import { ObjectBucketClaimRegistryStorage } from '../../lib/pulumi/kubernetes';
import { capturePulumiProgram } from '../../lib/testing/pulumi';

const ROUTE = 'https://s3-openshift-storage.apps.acme.example.com';

describe('ObjectBucketClaimRegistryStorage', () => {
  it('the claim (awaited until Bound, kept on destroy), its keys as a Pulumi secret, then the Config, in one graph', async () => {
    let storage!: ObjectBucketClaimRegistryStorage;
    const resources = await capturePulumiProgram(() => {
      storage = new ObjectBucketClaimRegistryStorage('registry', { bucket: 'acme-image-registry', regionEndpoint: ROUTE, trustedCA: 'router-ca' });
    });
    const claim = one(resources, 'kubernetes:objectbucket.io/v1alpha1:ObjectBucketClaim');
    expect(claim.retainOnDelete).toBe(true);
    expect(claim.inputs.spec).toEqual({ bucketName: 'acme-image-registry', storageClassName: 'openshift-storage.noobaa.io' });
    expect((claim.inputs.metadata as any)).toMatchObject({
      name: 'image-registry-bucket', namespace: 'openshift-image-registry', annotations: { 'pulumi.com/waitFor': 'jsonpath={.status.phase}=Bound' },
    });
    const secret = one(resources, 'kubernetes:core/v1:SecretPatch');
    expect(secret.inputs.data).toBe('[secret]');
    expect(secret.dependencies).toContain('registry-claim');
    const data = storage.secret!.data as pulumi.Output<Record<string, string>>;
    expect(await pulumi.isSecret(data)).toBe(true);
    // the provisioner's keys (mocked), under the operator's names
    expect(await secretValues(data)).toEqual({ REGISTRY_STORAGE_S3_ACCESSKEY: 'MOCKOBCACCESSKEY', REGISTRY_STORAGE_S3_SECRETKEY: 'mock-obc-secret-key' });
    const config = byType(resources, 'kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch').find((r) => r.name === 'registry-config')!;
    expect(config.dependencies).toEqual(expect.arrayContaining(['registry-claim', 'registry-credentials']));
    expect((config.inputs.spec as any).storage.s3).toEqual({
      bucket: 'acme-image-registry', region: 'us-east-1', regionEndpoint: ROUTE, trustedCA: { name: 'router-ca' }, virtualHostedStyle: false, encrypt: false,
    });
    expect(validateRegistryConfigPatch(registryConfig(config.inputs.spec as any))).toEqual([]);
    expect(JSON.stringify(resources)).not.toMatch(/MOCKOBCACCESSKEY|mock-obc-secret-key/);
  });

  it('preview on a fresh cluster reads no Secret: the keys are read by the claim\'s ID, unknown until the claim exists', async () => {
    const program = () => new ObjectBucketClaimRegistryStorage('registry', { bucket: 'acme-image-registry', regionEndpoint: ROUTE });
    // `dependsOn` does not defer a read (pulumi/pulumi#16395): a read by a name known up front would
    // run in the preview and fail, "resource openshift-image-registry/image-registry-bucket does not exist".
    const preview = await capturePulumiProgram(program, { preview: true });
    const read = preview.find((r) => r.type === 'kubernetes:core/v1:Secret' && r.readId !== undefined)!;
    expect(read.name).toBe('registry-claim-keys');
    expect(read.readId).toBe('[unknown]');
    // on `pulumi up`, the read follows the claim: its ID is the claim's, where the provisioner writes the keys
    const up = await capturePulumiProgram(program);
    expect(up.find((r) => r.name === 'registry-claim-keys')!.readId).toBe('openshift-image-registry/image-registry-bucket');
  });

  it('invalid props throw before anything is registered', async () => {
    await capturePulumiProgram(() => {
      expect(() => new ObjectBucketClaimRegistryStorage('r', { bucket: 'Bad_Bucket', regionEndpoint: 'not a url' } as any))
        .toThrow(/ObjectBucketClaimRegistryStorage: 2 problems\n {2}- bucket: .*\n {2}- regionEndpoint: /);
    });
  });
});
