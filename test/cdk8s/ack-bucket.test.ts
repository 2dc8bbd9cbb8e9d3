/**
 * S3 storage provisioned through ACK: the core's one bucket intent, rendered as an ACK `Bucket` that
 * passes the s3-controller's CRD, field by field the same settings the Pulumi flavour creates.
 */
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { AckBucket, S3RegistryStorage } from '../../lib/cdk8s';
import { S3RegistryStorage as PulumiS3RegistryStorage } from '../../lib/pulumi/aws';
import { capturePulumiProgram } from '../../lib/testing/pulumi';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/abcd';
const ROLE = 'arn:aws:iam::111122223333:role/acme-openshift-image-registry-installer-cloud-credentials';

function chart(): Chart {
  return new Chart(Testing.app(), 'cluster-a', { namespace: 'team-a' });
}

describe('S3RegistryStorage with provision: { controller: \'ack\' }', () => {
  it('emits a hardened ACK Bucket, valid against its CRD, kept on delete, before the Config', () => {
    const c = chart();
    new S3RegistryStorage(c, 'registry', { bucket: 'acme-image-registry', region: 'eu-west-1', provision: { controller: 'ack', namespace: 'ack-system', tags: { team: 'platform' } } });
    const out = Testing.synth(c);
    expect(out.map((m) => m.kind)).toEqual(['Bucket', 'Config']);
    const bucket = out[0];
    expect(AckBucket.problems(bucket)).toEqual([]);
    expect(bucket.apiVersion).toBe('s3.services.k8s.aws/v1alpha1');
    expect(bucket.metadata).toEqual({
      name: 'acme-image-registry',
      namespace: 'ack-system',
      annotations: {
        'services.k8s.aws/deletion-policy': 'retain',
        'services.k8s.aws/region': 'eu-west-1',
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      },
    });
    expect(bucket.spec).toMatchObject({
      name: 'acme-image-registry',
      publicAccessBlock: { blockPublicACLs: true, blockPublicPolicy: true, ignorePublicACLs: true, restrictPublicBuckets: true },
      ownershipControls: { rules: [{ objectOwnership: 'BucketOwnerEnforced' }] },
      encryption: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }] },
      lifecycle: { rules: [{ id: 'cleanup-incomplete-multipart-registry-uploads', status: 'Enabled', filter: { prefix: '' }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } }] },
      tagging: { tagSet: [{ key: 'team', value: 'platform' }] },
    });
    // The registry uses the cluster's identity: no Secret.
    expect(out.find((m) => m.kind === 'Secret')).toBeUndefined();
  });

  it('the chart\'s namespace by default; retainOnDelete: false leaves the deletion to ACK', () => {
    const c = chart();
    new S3RegistryStorage(c, 'registry', { bucket: 'acme-image-registry', region: 'eu-west-1', provision: { controller: 'ack', retainOnDelete: false } });
    const bucket = Testing.synth(c)[0];
    expect(bucket.metadata).toEqual({ name: 'acme-image-registry', namespace: 'team-a', annotations: { 'services.k8s.aws/region': 'eu-west-1' } });
  });

  it('synthesis fails when neither the chart nor provision.namespace names the Bucket\'s namespace', () => {
    const app = Testing.app();
    new S3RegistryStorage(new Chart(app, 'no-namespace'), 'registry', { bucket: 'acme-image-registry', region: 'eu-west-1', provision: { controller: 'ack' } });
    expect(() => app.synth()).toThrow(/Bucket acme-image-registry is namespaced and has no namespace: .*provision\.namespace/);
    const ok = Testing.app();
    const c = new Chart(ok, 'no-namespace');
    new S3RegistryStorage(c, 'registry', { bucket: 'acme-image-registry', region: 'eu-west-1', provision: { controller: 'ack', namespace: 'ack-system' } });
    const out = Testing.synth(c);
    expect(out.find((o: any) => o.kind === 'Bucket').metadata.namespace).toBe('ack-system');
    // the Config stays cluster-scoped
    expect(out.find((o: any) => o.kind === 'Config').metadata.namespace).toBeUndefined();
    // objects of the user's own, of kinds the library does not know, are not its to judge
    const mine = Testing.app();
    const own = new Chart(mine, 'no-namespace');
    new S3RegistryStorage(own, 'registry', { bucket: 'acme-image-registry', region: 'eu-west-1' });
    new ApiObject(own, 'image-config', { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' } });
    expect(() => mine.synth()).not.toThrow();
  });

  it('keyID: a warning that the cluster\'s identity needs the key granted (the s3-controller cannot grant it)', () => {
    const storage = new S3RegistryStorage(chart(), 'registry', { bucket: 'acme-image-registry', region: 'eu-west-1', keyID: KEY, provision: { controller: 'ack' } });
    expect(storage.warnings).toEqual([expect.objectContaining({ path: 'keyID', message: expect.stringMatching(/kms:Encrypt, kms:Decrypt and kms:GenerateDataKey/) })]);
    expect(new S3RegistryStorage(chart(), 'registry', { bucket: 'acme-image-registry', region: 'eu-west-1', provision: { controller: 'ack' } }).warnings).toEqual([]);
  });

  it('the same bucket settings as the Pulumi flavour, field by field, from the one core intent', async () => {
    const props = { bucket: 'acme-image-registry', region: 'eu-west-1', keyID: KEY };
    const c = chart();
    new S3RegistryStorage(c, 'registry', { ...props, provision: { controller: 'ack', registryPrincipalArn: ROLE } });
    const ack = Testing.synth(c).find((m) => m.kind === 'Bucket').spec;
    const resources = await capturePulumiProgram(() => new PulumiS3RegistryStorage('registry', { ...props, registryPrincipalArn: ROLE }));
    const input = (type: string) => resources.find((r) => r.type === type)!.inputs as any;

    const pab = input('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
    expect(ack.publicAccessBlock).toEqual({
      blockPublicACLs: pab.blockPublicAcls,
      blockPublicPolicy: pab.blockPublicPolicy,
      ignorePublicACLs: pab.ignorePublicAcls,
      restrictPublicBuckets: pab.restrictPublicBuckets,
    });
    expect(ack.ownershipControls.rules).toEqual([input('aws:s3/bucketOwnershipControls:BucketOwnershipControls').rule]);
    const [sse] = input('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').rules;
    expect(ack.encryption.rules).toEqual([{
      applyServerSideEncryptionByDefault: {
        sseAlgorithm: sse.applyServerSideEncryptionByDefault.sseAlgorithm,
        kmsMasterKeyID: sse.applyServerSideEncryptionByDefault.kmsMasterKeyId,
      },
      bucketKeyEnabled: sse.bucketKeyEnabled,
    }]);
    expect(ack.encryption.rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: 'aws:kms', kmsMasterKeyID: KEY });
    expect(ack.lifecycle.rules).toEqual(input('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').rules);
    expect(JSON.parse(ack.policy)).toEqual(JSON.parse(input('aws:s3/bucketPolicy:BucketPolicy').policy));
    expect(JSON.parse(ack.policy).Statement.map((s: any) => s.Sid)).toEqual(['DenyInsecureTransport', 'RegistryBucket', 'RegistryObjects']);
  });

  it('refuses, with every problem at once, what cannot work', () => {
    expect(() => new S3RegistryStorage(chart(), 'r', { region: 'eu-west-1', chunkSizeMiB: 1, provision: { controller: 'ack' }, openshiftVersion: '4.17' }))
      .toThrow(/S3RegistryStorage: 2 problems\n {2}- chunkSizeMiB: .*\n {2}- bucket: is required with provision: the ACK Bucket needs a name/);
    expect(() => new S3RegistryStorage(chart(), 'r', { bucket: 'registry', region: 'r', regionEndpoint: 'https://rgw.example.com', provision: { controller: 'ack' } }))
      .toThrow(/provision: creates an AWS bucket; S3-compatible storage \(regionEndpoint\) is not AWS/);
    expect(() => new S3RegistryStorage(chart(), 'r', { bucket: 'acme-image-registry', provision: { controller: 'crossplane' } as any }))
      .toThrow(/provision\.controller: must be 'ack' or 'object-bucket-claim', got "crossplane"/);
    expect(() => new S3RegistryStorage(chart(), 'r', { bucket: 'Not_A_Bucket', provision: { controller: 'ack' } })).toThrow(/bucket: /);
    expect(() => new S3RegistryStorage(chart(), 'r', { bucket: 'acme-image-registry', keyID: 'alias/registry', provision: { controller: 'ack' } }))
      .toThrow(/keyID: must be the key's ARN/);
  });

  it('the bucket policy\'s principal passes the S3 access plan\'s rule, as in the Pulumi flavour: never "*" or free text', async () => {
    for (const arn of ['not-an-arn', '*', 'arn:aws:iam::*:role/x']) {
      expect(() => new S3RegistryStorage(chart(), 'r', { bucket: 'acme-image-registry', region: 'eu-west-1', provision: { controller: 'ack', registryPrincipalArn: arn } }))
        .toThrow(/provision\.registryPrincipalArn: must be the ARN of an IAM role or user/);
      // the same words on the Pulumi path
      let message = '';
      try {
        await capturePulumiProgram(() => new PulumiS3RegistryStorage('r', { bucket: 'acme-image-registry', region: 'eu-west-1', registryPrincipalArn: arn }));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/registryPrincipalArn: must be the ARN of an IAM role or user/);
    }
    const ok = new S3RegistryStorage(chart(), 'r', {
      bucket: 'acme-image-registry', region: 'eu-west-1', provision: { controller: 'ack', registryPrincipalArn: 'arn:aws:iam::123456789012:role/registry' },
    });
    expect(JSON.parse((ok.bucket!.toJson() as any).spec.policy).Statement.map((st: any) => st.Principal)).toContainEqual({ AWS: 'arn:aws:iam::123456789012:role/registry' });
  });

  it('the L1 checks what the CRD requires and leaves out update-only (oldSelf) rules', () => {
    expect(AckBucket.problems({ apiVersion: 's3.services.k8s.aws/v1alpha1', kind: 'Bucket', metadata: { name: 'b' }, spec: {} })).toEqual([
      expect.stringMatching(/^spec\.name: /),
    ]);
  });

  it('a typo added by a JSON patch fails synth (the API server would drop it)', () => {
    const c = chart();
    const storage = new S3RegistryStorage(c, 'registry', { bucket: 'acme-image-registry', region: 'eu-west-1', provision: { controller: 'ack' } });
    storage.bucket!.addJsonPatch(JsonPatch.add('/spec/publicAccesBlock', { blockPublicACLs: true }));
    expect(() => Testing.synth(c)).toThrow(/spec\.publicAccesBlock: unknown field/);
    const c2 = chart();
    const s2 = new S3RegistryStorage(c2, 'registry', { bucket: 'acme-image-registry', region: 'eu-west-1', provision: { controller: 'ack' } });
    s2.bucket!.addJsonPatch(JsonPatch.replace('/spec/publicAccessBlock/blockPublicACLs', 'yes'));
    expect(() => Testing.synth(c2)).toThrow(/spec\.publicAccessBlock\.blockPublicACLs/);
  });
});

describe('ACK tagging with the cluster\'s resource tags', () => {
  it('are in spec.tagging, so ACK does not remove what the operator\'s tag controller writes', () => {
    const c = new Chart(Testing.app(), 'a', { namespace: 'ack-system' });
    new S3RegistryStorage(c, 'registry', {
      bucket: 'acme-image-registry',
      region: 'eu-west-1',
      provision: { controller: 'ack', tags: { team: 'platform' }, clusterResourceTags: { 'team': 'infra', 'cost-center': 'ops', 'kubernetes.io/cluster/x': 'owned' } },
    });
    const bucket = Testing.synth(c).find((o: any) => o.kind === 'Bucket');
    expect(bucket.spec.tagging).toEqual({ tagSet: [{ key: 'cost-center', value: 'ops' }, { key: 'team', value: 'infra' }] });
  });
});
