import * as pulumi from '@pulumi/pulumi';
import { MOCKS, byType, one, secretValues } from './mocks';
import { validateRegistryConfigPatch, registryConfig } from '../../lib';
import { S3RegistryStorage, S3RegistryStorageArgs } from '../../lib/pulumi/aws';
import { capturePulumiProgram, outputValue } from '../../lib/testing/pulumi';

const PATCH = 'kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch';
const ROLE = 'arn:aws:iam::111122223333:role/acme-openshift-image-registry-installer-cloud-credentials';

describe('S3RegistryStorage', () => {
  it('defaults: hardened bucket, the cluster\'s identity (no user, no key, no Secret), patch, removal Job, wait', async () => {
    let storage!: S3RegistryStorage;
    const resources = await capturePulumiProgram(() => {
      storage = new S3RegistryStorage('registry');
    }, MOCKS);

    const component = one(resources, 'openshift-registry-storage:index:S3RegistryStorage');
    expect(component.name).toBe('registry');
    for (const r of resources.filter((x) => x !== component)) expect(r.parent).toBe('registry');

    const bucket = one(resources, 'aws:s3/bucket:Bucket');
    expect(bucket.retainOnDelete).toBe(true);
    expect(bucket.inputs.forceDestroy).toBe(false);
    expect(one(resources, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').inputs).toMatchObject({
      blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    expect(one(resources, 'aws:s3/bucketOwnershipControls:BucketOwnershipControls').inputs.rule).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
    expect(one(resources, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true },
    ]);
    expect(one(resources, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').inputs.rules).toEqual([
      { abortIncompleteMultipartUpload: { daysAfterInitiation: 1 }, filter: { prefix: '' }, id: 'cleanup-incomplete-multipart-registry-uploads', status: 'Enabled' },
    ]);
    const tls = JSON.parse(one(resources, 'aws:s3/bucketPolicy:BucketPolicy').inputs.policy as string);
    expect(tls.Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);

    // No long-lived key: the operator uses installer-cloud-credentials when the user Secret is absent.
    expect(resources.filter((r) => r.type.startsWith('aws:iam/') || r.type.startsWith('aws:kms/'))).toEqual([]);
    expect(byType(resources, 'kubernetes:core/v1:SecretPatch')).toEqual([]);

    const patch = byType(resources, PATCH).find((r) => r.name === 'registry-config')!;
    expect(patch.retainOnDelete).toBe(true);
    // Never awaits: the live Config carries the wait's waitFor for the storage applied last.
    expect(patch.inputs.metadata).toEqual({
      name: 'cluster',
      annotations: { 'pulumi.com/patchFieldManager': 'openshift-registry-storage', 'pulumi.com/patchForce': 'true', 'pulumi.com/skipAwait': 'true' },
    });
    // replicas always sent (the CRD requires it; a field the manager stops sending is removed)
    expect(patch.inputs.spec).toEqual({
      managementState: 'Managed',
      replicas: 2,
      storage: { managementState: 'Unmanaged', s3: { bucket: 'registry-bucket-1a2b3c', region: 'eu-west-1', encrypt: true } },
    });
    expect(validateRegistryConfigPatch(registryConfig(patch.inputs.spec as any))).toEqual([]);
    // the operator never sees a Config whose bucket or credentials do not exist yet
    expect(patch.dependencies).toEqual(expect.arrayContaining(['registry-bucket', 'registry-encryption', 'registry-public-access', 'registry-tls-only']));

    const job = one(resources, 'kubernetes:batch/v1:Job');
    expect(job.dependencies).toContain('registry-config');
    const wait = byType(resources, PATCH).find((r) => r.name === 'registry-storage-applied')!;
    expect(wait.dependencies).toContain(job.name);
    // deleting it relinquishes only its annotations: no waitFor is left behind
    expect(wait.retainOnDelete).toBe(false);
    const annotations = (wait.inputs.metadata as any).annotations;
    // no pulumi.com/ key the Config patch sets to another value (one key, two managers: a conflict)
    expect(annotations['pulumi.com/patchFieldManager']).toBeUndefined();
    expect(annotations['pulumi.com/patchForce']).toBe('true');
    expect(JSON.parse(annotations['pulumi.com/waitFor'])).toEqual([
      'jsonpath={.status.storage.s3.bucket}=registry-bucket-1a2b3c',
      'jsonpath={.status.storage.s3.encrypt}=true',
      'jsonpath={.status.storage.s3.region}=eu-west-1',
      'jsonpath={.status.storage.managementState}=Unmanaged',
      'condition=StorageExists',
      'condition=Progressing=False',
      'condition=Degraded=False',
      'condition=Available',
    ]);
    expect(annotations['openshift-registry-storage/applied-spec-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(annotations['pulumi.com/timeoutSeconds']).toBe('600');

    expect(await outputValue(storage.bucket)).toBe('registry-bucket-1a2b3c');
    expect(await outputValue(storage.secretName)).toBeUndefined();
    expect(storage.storageType).toBe('s3');
    expect((await outputValue(storage.spec)).storage?.s3?.bucket).toBe('registry-bucket-1a2b3c');
  });

  it('the Secret holds exactly the two S3 keys, and its data is a Pulumi secret', async () => {
    let storage!: S3RegistryStorage;
    await capturePulumiProgram(() => {
      storage = new S3RegistryStorage('registry', { bucket: 'acme-registry', credentials: { accessKey: 'AKIAEXAMPLE', secretKey: 'not-a-real-secret' } });
    }, MOCKS);
    const data = storage.secret!.data as pulumi.Output<Record<string, string>>;
    expect(await pulumi.isSecret(data)).toBe(true);
    expect(Object.keys(await secretValues(data)).sort()).toEqual(['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']);
    // the spec never carries a credential, and is not itself secret
    expect(await pulumi.isSecret(storage.spec)).toBe(false);
    expect(JSON.stringify(await outputValue(storage.spec))).not.toMatch(/AKIAEXAMPLE|not-a-real-secret/);
  });

  it('credentials: \'iam-user\': a user limited to this bucket, its access key as a secret, in a Secret patch', async () => {
    let storage!: S3RegistryStorage;
    const resources = await capturePulumiProgram(() => {
      storage = new S3RegistryStorage('registry', { credentials: 'iam-user' });
    }, MOCKS);
    expect(await pulumi.isSecret(storage.secret!.data)).toBe(true);
    const userPolicy = JSON.parse(one(resources, 'aws:iam/userPolicy:UserPolicy').inputs.policy as string);
    expect(userPolicy.Statement.map((s: any) => s.Resource)).toEqual(['arn:aws:s3:::registry-bucket-1a2b3c', 'arn:aws:s3:::registry-bucket-1a2b3c/*']);
    expect(userPolicy.Statement.flatMap((s: any) => s.Action)).not.toContain('s3:DeleteBucket');
    expect(userPolicy.Statement.flatMap((s: any) => s.Action)).not.toContain('s3:*');
    // the operator's tag controller reads and writes bucket tags on every resync
    expect(userPolicy.Statement[0].Action).toEqual(expect.arrayContaining(['s3:GetBucketTagging', 's3:PutBucketTagging']));

    // A patch, not a plain Secret: clusters configured by hand already have one (AlreadyExists
    // with pulumi-kubernetes >= 4.29); the patch creates it or takes over its keys, and is kept.
    const secret = one(resources, 'kubernetes:core/v1:SecretPatch');
    expect(secret.inputs.metadata).toEqual({
      name: 'image-registry-private-configuration-user',
      namespace: 'openshift-image-registry',
      annotations: { 'pulumi.com/patchFieldManager': 'openshift-registry-storage', 'pulumi.com/patchForce': 'true' },
    });
    expect(secret.inputs.data).toBe('[secret]');
    expect(secret.inputs.stringData).toBeUndefined();
    expect(secret.retainOnDelete).toBe(true);
    const patch = byType(resources, PATCH).find((r) => r.name === 'registry-config')!;
    expect(patch.dependencies).toEqual(expect.arrayContaining(['registry-credentials', 'registry-access-key', 'registry-user-policy']));
    expect(await outputValue(storage.secretName)).toBe('image-registry-private-configuration-user');
  });

  it('keyID with the cluster\'s identity: a KMS grant for the registry role on that key, and the bucket policy allows the role', async () => {
    const keyID = 'arn:aws:kms:eu-west-1:111122223333:key/abcd';
    const role = 'arn:aws:iam::111122223333:role/acme-openshift-image-registry-installer-cloud-credentials';
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', { bucket: 'acme-registry', keyID, registryPrincipalArn: role }), MOCKS);
    const grant = one(resources, 'aws:kms/grant:Grant');
    expect(grant.inputs).toEqual({ keyId: keyID, granteePrincipal: role, operations: ['Decrypt', 'Encrypt', 'GenerateDataKey', 'DescribeKey'] });
    const policy = JSON.parse(one(resources, 'aws:s3/bucketPolicy:BucketPolicy').inputs.policy as string);
    expect(policy.Statement.slice(1)).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: role }, Resource: 'arn:aws:s3:::acme-registry' }),
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: role }, Resource: 'arn:aws:s3:::acme-registry/*' }),
    ]);
    expect(policy.Statement[1].Action).toEqual(expect.arrayContaining(['s3:ListBucket', 's3:GetBucketTagging']));
    expect(resources.find((r) => r.name === 'registry-config')!.dependencies).toContain('registry-key-grant');
    expect(byType(resources, 'kubernetes:core/v1:SecretPatch')).toEqual([]);
  });

  it('keyID with the cluster\'s identity and no registry principal is refused at construction, unless grantKeyToRegistry: false', async () => {
    const keyID = 'arn:aws:kms:eu-west-1:111122223333:key/abcd';
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', { bucket: 'acme-registry', keyID, grantKeyToRegistry: false }), MOCKS);
    expect(byType(resources, 'aws:kms/grant:Grant')).toEqual([]);
    await capturePulumiProgram(() => {
      expect(() => new S3RegistryStorage('r1', { bucket: 'acme-registry', keyID })).toThrow(/registryPrincipalArn: is required with keyID: the registry uses the cluster's identity, whose CredentialsRequest has no KMS action/);
      expect(() => new S3RegistryStorage('r2', { bucket: 'acme-registry', registryPrincipalArn: 'acme-registry-role' }))
        .toThrow(/registryPrincipalArn: must be the ARN of an IAM role or user/);
      expect(() => new S3RegistryStorage('r5', { bucket: 'acme-registry', keyID: 'alias/registry', registryPrincipalArn: ROLE }))
        .toThrow(/keyID: must be the key's ARN/);
      expect(() => new S3RegistryStorage('r3', { credentials: 'iam_user' as any })).toThrow(/credentials: must be 'cluster' or 'iam-user', or \{ accessKey, secretKey \}; got "iam_user"/);
      expect(() => new S3RegistryStorage('r4', { bucket: 'registry', region: 'us-east-1', regionEndpoint: 'https://s3.example.com', credentials: 'iam-user' }))
        .toThrow(/'iam-user' creates an AWS IAM user/);
    }, MOCKS);
  });

  it('the registry role is read from the cluster\'s installer-cloud-credentials, in clear', async () => {
    let arn!: pulumi.Output<string>;
    const resources = await capturePulumiProgram(() => {
      arn = S3RegistryStorage.registryRoleArnFromCluster();
      new S3RegistryStorage('registry', { bucket: 'acme-registry', keyID: 'arn:aws:kms:eu-west-1:111122223333:key/abcd', registryPrincipalArn: arn });
    });
    expect(await pulumi.isSecret(arn)).toBe(false);
    expect(await outputValue(arn)).toBe('arn:aws:iam::123456789012:role/mock-openshift-image-registry-installer-cloud-credentials');
    expect(one(resources, 'aws:kms/grant:Grant').inputs.granteePrincipal).toBe(await outputValue(arn));
  });

  it('keyID with credentials: \'iam-user\': SSE-KMS with bucket key, and the user may use that key only', async () => {
    const keyID = 'arn:aws:kms:eu-west-1:111122223333:key/abcd';
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', { bucket: 'acme-registry', keyID, credentials: 'iam-user' }), MOCKS);
    expect(one(resources, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyID }, bucketKeyEnabled: true },
    ]);
    const policy = JSON.parse(one(resources, 'aws:iam/userPolicy:UserPolicy').inputs.policy as string);
    expect(policy.Statement[2]).toEqual({ Sid: 'RegistryKmsKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: keyID });
    const patch = resources.find((r) => r.name === 'registry-config')!;
    expect((patch.inputs.spec as any).storage.s3).toEqual({ bucket: 'acme-registry', region: 'eu-west-1', encrypt: true, keyID });
  });

  it('S3-compatible endpoint: no AWS bucket or IAM user, given credentials as secrets', async () => {
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', {
      bucket: 'registry',
      region: 'us-east-1',
      regionEndpoint: 'https://s3.example.com',
      credentials: { accessKey: 'AKIAEXAMPLE', secretKey: pulumi.secret('not-a-real-secret') },
    }), MOCKS);
    expect(resources.filter((r) => r.type.startsWith('aws:'))).toEqual([]);
    expect(one(resources, 'kubernetes:core/v1:SecretPatch').inputs.data).toBe('[secret]');
    expect(JSON.stringify(resources)).not.toMatch(/not-a-real-secret|AKIAEXAMPLE/);
    expect((resources.find((r) => r.name === 'registry-config')!.inputs.spec as any).storage.s3).toEqual({
      bucket: 'registry', region: 'us-east-1', regionEndpoint: 'https://s3.example.com',
    });
  });

  it('credentials: cluster means no Secret', async () => {
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', { bucket: 'acme-registry', credentials: 'cluster' }), MOCKS);
    expect(byType(resources, 'kubernetes:core/v1:SecretPatch')).toEqual([]);
    expect(byType(resources, 'aws:iam/user:User')).toEqual([]);
  });

  it('retainOnDelete: false is the one opt-out; the Config patch is kept regardless', async () => {
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', { bucket: 'acme-registry', retainOnDelete: false }), MOCKS);
    expect(one(resources, 'aws:s3/bucket:Bucket').retainOnDelete).toBe(false);
    expect(resources.find((r) => r.name === 'registry-config')!.retainOnDelete).toBe(true);
  });

  it('the wait runs again on every change of the applied spec (a new digest makes the patch an update)', async () => {
    // 4.17: chunkSizeMiB is first in its Config CRD
    const digest = async (args: S3RegistryStorageArgs) => {
      const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', { openshiftVersion: '4.17', ...args }), MOCKS);
      return (byType(resources, PATCH).find((r) => r.name === 'registry-storage-applied')!.inputs.metadata as any).annotations['openshift-registry-storage/applied-spec-sha256'];
    };
    const base = await digest({ bucket: 'acme-registry' });
    expect(await digest({ bucket: 'acme-registry' })).toBe(base);
    expect(await digest({ bucket: 'acme-registry', replicas: 3 })).not.toBe(base);
    expect(await digest({ bucket: 'acme-registry', chunkSizeMiB: 16 })).not.toBe(base);
  });

  it('waitForStorage and removeOtherStorageTypes can be turned off', async () => {
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', { bucket: 'acme-registry', waitForStorage: false, removeOtherStorageTypes: false }), MOCKS);
    expect(byType(resources, PATCH).map((r) => r.name)).toEqual(['registry-config']);
    expect(byType(resources, 'kubernetes:batch/v1:Job')).toEqual([]);
  });

  it('bad props throw a ResourceError naming every prop, before any child is registered', async () => {
    let error: unknown;
    const resources = await capturePulumiProgram(() => {
      try {
        new S3RegistryStorage('registry', { regionEndpoint: 'fancy-emc-thing:9021', chunkSizeMiB: 2, keyID: 'alias/registry', openshiftVersion: '4.17' });
      } catch (e) {
        error = e;
      }
    }, MOCKS);
    expect(error).toBeInstanceOf(pulumi.ResourceError);
    const message = (error as Error).message;
    for (const prop of ['regionEndpoint', 'region', 'chunkSizeMiB', 'credentials', 'bucket']) expect(message).toContain(`- ${prop}:`);
    expect(resources.map((r) => r.type)).toEqual(['openshift-registry-storage:index:S3RegistryStorage']);
  });

  it('keyID must be an ARN when the component writes the IAM policy', async () => {
    expect(() => new S3RegistryStorage('registry', { keyID: 'alias/registry', credentials: 'iam-user' })).toThrow(/keyID: must be the key's ARN/);
  });

  it('Output props are validated when they resolve', async () => {
    let storage!: S3RegistryStorage;
    await capturePulumiProgram(() => {
      storage = new S3RegistryStorage('registry', { bucket: 'acme-registry', chunkSizeMiB: pulumi.output(16), openshiftVersion: '4.17' });
    }, MOCKS);
    expect((await outputValue(storage.spec)).storage?.s3?.chunkSizeMiB).toBe(16);
  });
});

describe('providers', () => {
  it('children use the providers given to the component; the component creates none', async () => {
    const aws = await import('@pulumi/aws');
    const k8s = await import('@pulumi/kubernetes');
    const resources = await capturePulumiProgram(() => {
      const awsEu = new aws.Provider('aws-eu', { region: 'eu-central-1' });
      const cluster = new k8s.Provider('cluster', { kubeconfig: 'mock' });
      new S3RegistryStorage('registry', { bucket: 'acme-registry' }, { providers: { aws: awsEu, kubernetes: cluster } });
    }, MOCKS);
    const children = resources.filter((r) => r.parent === 'registry');
    expect(children.filter((r) => r.type.startsWith('aws:')).map((r) => r.provider)).toEqual(expect.arrayContaining(['aws-eu']));
    for (const r of children) {
      expect({ name: r.name, provider: r.provider }).toEqual({ name: r.name, provider: r.type.startsWith('aws:') ? 'aws-eu' : 'cluster' });
    }
    expect(resources.filter((r) => r.type.startsWith('pulumi:providers:')).map((r) => r.name).sort()).toEqual(['aws-eu', 'cluster']);
  });
});

describe('bucket tags with the cluster\'s resource tags', () => {
  it('clusterResourceTagsFromCluster reads the Infrastructure; the bucket\'s tags hold them, so the operator\'s tag controller and the stack agree', async () => {
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', {
      bucket: 'acme-registry', tags: { team: 'platform' }, clusterResourceTags: S3RegistryStorage.clusterResourceTagsFromCluster(),
    }), {
      ...MOCKS,
      state: {
        'kubernetes:config.openshift.io/v1:Infrastructure': () => ({
          status: { platformStatus: { aws: { resourceTags: [{ key: 'cost-center', value: 'ops' }, { key: 'team', value: 'infra' }] } } },
        }),
      },
    });
    expect(resources.find((r) => r.type === 'kubernetes:config.openshift.io/v1:Infrastructure')!.readId).toBe('cluster');
    expect(one(resources, 'aws:s3/bucket:Bucket').inputs.tags).toEqual({ 'team': 'infra', 'cost-center': 'ops' });
  });
});
