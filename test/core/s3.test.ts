import { clusterResourceTagsFromInfrastructure, s3BucketTags, planS3Storage, RegistryStorageValidationError, s3RegistryIdentityPolicy, S3StorageProps } from '../../lib';
import { expectProblem, expectValidConfig, expectWarning, problemsOf } from '../helpers';

const full: S3StorageProps = {
  bucket: 'acme-registry',
  region: 'eu-west-1',
  keyID: 'arn:aws:kms:eu-west-1:111122223333:key/abcd',
  chunkSizeMiB: 16,
  virtualHostedStyle: true,
  trustedCA: 'registry-ca',
  replicas: 3,
  rolloutStrategy: 'RollingUpdate',
  disableRedirect: true,
  cloudFront: { baseURL: 'https://d111111abcdef8.cloudfront.net', keypairID: 'K2JCJMDEHXQW5F', privateKey: { name: 'cloudfront', key: 'private.pem' }, duration: '30m' },
  credentials: { accessKey: 'AKIAEXAMPLE', secretKey: 'not-a-real-secret' },
  // chunkSizeMiB is first in the 4.17 Config CRD
  openshiftVersion: '4.17',
};

describe('planS3Storage', () => {
  it('the least-privilege policy allows the bucket tagging the operator\'s tag controller does on every resync', () => {
    expect(s3RegistryIdentityPolicy('arn:aws:s3:::b').Statement[0].Action).toEqual(expect.arrayContaining(['s3:GetBucketTagging', 's3:PutBucketTagging']));
  });

  it('defaults: one s3 block, encryption on, operator Managed, replicas 2, no Secret', () => {
    const plan = planS3Storage({});
    expect(plan.spec).toEqual({ managementState: 'Managed', replicas: 2, storage: { s3: { encrypt: true } } });
    expect(plan.warnings).toEqual([]);
    expect(plan.secret).toBeUndefined();
    expect(plan.objects).toEqual([]);
    expectValidConfig(plan);
  });

  it('full props: CRD field names one to one, storage Unmanaged, Secret with exactly the two keys', () => {
    const plan = planS3Storage(full);
    expect(plan.spec).toEqual({
      managementState: 'Managed',
      replicas: 3,
      rolloutStrategy: 'RollingUpdate',
      disableRedirect: true,
      storage: {
        managementState: 'Unmanaged',
        s3: {
          bucket: 'acme-registry',
          region: 'eu-west-1',
          encrypt: true,
          keyID: full.keyID,
          chunkSizeMiB: 16,
          virtualHostedStyle: true,
          trustedCA: { name: 'registry-ca' },
          cloudFront: full.cloudFront,
        },
      },
    });
    expect(plan.secret?.metadata).toEqual({ name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' });
    expect(Object.keys(plan.secret!.stringData)).toEqual(['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']);
    expectValidConfig(plan);
  });

  it('named buckets are Unmanaged so the operator never rewrites or deletes them; the user can choose', () => {
    expect(planS3Storage({ bucket: 'my-bucket' }).spec.storage?.managementState).toBe('Unmanaged');
    expect(planS3Storage({ bucket: 'my-bucket', storageManagementState: 'Managed' }).spec.storage?.managementState).toBe('Managed');
  });

  it('S3-compatible endpoint: no encrypt by default, region kept', () => {
    const plan = planS3Storage({ bucket: 'registry', region: 'us-east-1', regionEndpoint: 'https://s3.example.com:9021' });
    expect(plan.spec.storage?.s3).toEqual({ bucket: 'registry', region: 'us-east-1', regionEndpoint: 'https://s3.example.com:9021' });
    expectValidConfig(plan);
  });

  it('regionEndpoint must have a scheme (host:port is read as a scheme)', () => {
    expectProblem(planS3Storage, { region: 'r', regionEndpoint: 'fancy-emc-thing:9021' }, 'regionEndpoint', 'must be an http:// or https:// URL');
    expectProblem(planS3Storage, { region: 'r', regionEndpoint: 's3.example.com' }, 'regionEndpoint', 'must be a URL with a scheme');
  });

  it('regionEndpoint requires region (MissingRegion)', () => {
    expectProblem(planS3Storage, { regionEndpoint: 'https://s3.example.com' }, 'region', 'MissingRegion');
  });

  it('regionEndpoint must not contain the bucket name in its path; a host label equal to the bucket is only a warning', () => {
    expectProblem(planS3Storage, { bucket: 'images', region: 'r', regionEndpoint: 'https://s3.example.com/images' }, 'regionEndpoint', 'must not contain the bucket name');
    expectWarning(planS3Storage, { bucket: 'images', region: 'r', regionEndpoint: 'https://images.s3.example.com' }, 'regionEndpoint', 'label equal to the bucket name');
    // a real setup: bucket "minio" on https://minio.example.com
    expectWarning(planS3Storage, { bucket: 'minio', region: 'us-east-1', regionEndpoint: 'https://minio.example.com' }, 'regionEndpoint', 'virtual-hosted URL');
  });

  it('a Rados Gateway endpoint with an explicit port is only a warning (external RGW listens on 7480)', () => {
    expectWarning(planS3Storage, { bucket: 'registry', region: 'us-east-1', regionEndpoint: 'http://rgw.example.com:7480' }, 'regionEndpoint', 'Rados Gateway');
    expectWarning(planS3Storage, { region: 'us-east-1', regionEndpoint: 'http://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc:8080' }, 'regionEndpoint', 'Rados Gateway');
    expect(problemsOf(planS3Storage, { region: 'us-east-1', regionEndpoint: 'http://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc' })).toEqual([]);
  });

  it('keyID implies encrypt; an explicit encrypt: false with keyID is a contradiction', () => {
    expect(planS3Storage({ keyID: 'k', regionEndpoint: 'https://s3.example.com', region: 'r' }).spec.storage?.s3?.encrypt).toBe(true);
    expectProblem(planS3Storage, { keyID: 'k', encrypt: false }, 'encrypt', 'keyID means SSE-KMS');
  });

  it.each([4, 5121, 10.5])('chunkSizeMiB %p is outside 5-5120', (chunkSizeMiB) => {
    expectProblem(planS3Storage, { chunkSizeMiB, openshiftVersion: '4.17' }, 'chunkSizeMiB', 'from 5 to 5120');
  });

  it.each([
    ['ab', '3 to 63'], ['Upper-Case', 'lowercase'], ['a..b', 'adjacent dots'], ['192.168.1.1', 'IP address'],
    ['xn--bucket', 'reserves'], ['-leading', 'start and end'],
  ])('bucket %p is refused (%s)', (bucket, text) => {
    expectProblem(planS3Storage, { bucket }, 'bucket', text);
  });

  it('credentials need both keys', () => {
    expectProblem(planS3Storage, { credentials: { accessKey: 'AKIA', secretKey: '' } }, 'credentials.secretKey', 'both keys');
  });

  it('cloudFront: URL, Go duration and required fields', () => {
    const cf = full.cloudFront!;
    expectProblem(planS3Storage, { cloudFront: { ...cf, duration: 'PT20M' } }, 'cloudFront.duration', 'Go duration');
    expectProblem(planS3Storage, { cloudFront: { ...cf, baseURL: 'cdn.example.com' } }, 'cloudFront.baseURL', 'scheme');
    expectProblem(planS3Storage, { cloudFront: { ...cf, keypairID: '' } }, 'cloudFront.keypairID', 'required');
  });

  it('trustedCA must be a ConfigMap name (a DNS subdomain of at most 253 characters)', () => {
    expectProblem(planS3Storage, { trustedCA: 'My_CA' }, 'trustedCA', 'openshift-config');
    expectProblem(planS3Storage, { trustedCA: 'ca\nbundle' }, 'trustedCA', 'control characters');
    expectProblem(planS3Storage, { trustedCA: `${'a'.repeat(250)}.com` }, 'trustedCA', 'openshift-config');
    expect(planS3Storage({ trustedCA: 'registry-ca' }).spec.storage?.s3?.trustedCA).toEqual({ name: 'registry-ca' });
  });

  it('collects every problem and throws once, naming each prop', () => {
    let error: unknown;
    try {
      planS3Storage({ bucket: 'B', regionEndpoint: 'nope', chunkSizeMiB: 1, replicas: 0, openshiftVersion: '4.17' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegistryStorageValidationError);
    const e = error as RegistryStorageValidationError;
    expect(e.problems.map((p) => p.path).sort()).toEqual(['bucket', 'chunkSizeMiB', 'region', 'regionEndpoint', 'replicas']);
    expect(e.message).toMatch(/^S3RegistryStorage: 5 problems\n {2}- /);
  });

  it('refuses managementState Removed with the reason', () => {
    expectProblem(planS3Storage, { managementState: 'Removed' as any }, 'managementState', 'delete the registry');
  });
});

describe('bucket tags agree with the operator\'s tag controller', () => {
  const infrastructure = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Infrastructure',
    metadata: { name: 'cluster' },
    status: { platformStatus: { type: 'AWS', aws: { region: 'eu-west-1', resourceTags: [{ key: 'cost-center', value: 'ops' }, { key: 'team', value: 'infra' }] } } },
  };
  it('the cluster\'s resource tags join the user\'s, and win on the same key, as the operator writes them', () => {
    const cluster = clusterResourceTagsFromInfrastructure(infrastructure);
    expect(cluster).toEqual({ 'cost-center': 'ops', 'team': 'infra' });
    expect(s3BucketTags({ team: 'platform', app: 'registry' }, cluster)).toEqual({ 'team': 'infra', 'app': 'registry', 'cost-center': 'ops' });
  });
  it('keys the operator never writes are left out; no tags at all is undefined', () => {
    expect(s3BucketTags(undefined, { 'Name': 'x', 'kubernetes.io/cluster/abc': 'owned', 'openshift.io/x': 'y', 'k': 'v' })).toEqual({ k: 'v' });
    expect(s3BucketTags(undefined, clusterResourceTagsFromInfrastructure({}))).toBeUndefined();
  });
});
