import {
  planAzureStorage, planGcsStorage, planPvcStorage, planS3Storage, planStorageMigration, STORAGE_KINDS,
} from '../../lib';
import { failure } from '../helpers';

const RGW = 'https://rgw.example.com';

describe('planStorageMigration', () => {
  it('a claim to S3-compatible storage: the claim mounted, the bucket as an rclone remote from the environment, the keys from the Secret', () => {
    const to = planS3Storage({ bucket: 'registry', region: 'us-east-1', regionEndpoint: RGW, credentials: { accessKey: 'a', secretKey: 's' } });
    const m = planStorageMigration({ from: { managementState: 'Managed', pvc: { claim: 'image-registry-storage' } }, to });
    expect(m.source).toMatchObject({ type: 'pvc', reach: { claim: 'image-registry-storage' }, path: '/migrate/source', env: {}, secretEnv: {} });
    expect(m.destination).toMatchObject({
      type: 's3',
      path: 'dst:registry',
      env: {
        RCLONE_CONFIG_DST_TYPE: 's3',
        RCLONE_CONFIG_DST_PROVIDER: 'Other',
        RCLONE_CONFIG_DST_REGION: 'us-east-1',
        RCLONE_CONFIG_DST_ENDPOINT: RGW,
        RCLONE_CONFIG_DST_FORCE_PATH_STYLE: 'true',
        RCLONE_CONFIG_DST_NO_CHECK_BUCKET: 'true',
      },
      secretEnv: { RCLONE_CONFIG_DST_ACCESS_KEY_ID: 'REGISTRY_STORAGE_S3_ACCESSKEY', RCLONE_CONFIG_DST_SECRET_ACCESS_KEY: 'REGISTRY_STORAGE_S3_SECRETKEY' },
    });
    // no secret value anywhere in the plan
    expect(JSON.stringify(m)).not.toMatch(/"s"|"a"/);
  });

  it('AWS, GCS and Azure by the pod\'s identity (env_auth), Swift with keys under files/', () => {
    const fromS3 = { s3: { bucket: 'old', region: 'eu-west-1', encrypt: true, keyID: 'arn:aws:kms:eu-west-1:111122223333:key/k' } };
    const toGcs = planStorageMigration({ from: fromS3, to: planGcsStorage({ bucket: 'new', region: 'us-east1', projectID: 'acme' }) });
    expect(toGcs.source.env).toEqual({
      RCLONE_CONFIG_SRC_TYPE: 's3',
      RCLONE_CONFIG_SRC_PROVIDER: 'AWS',
      RCLONE_CONFIG_SRC_REGION: 'eu-west-1',
      RCLONE_CONFIG_SRC_ENV_AUTH: 'true',
      RCLONE_CONFIG_SRC_SERVER_SIDE_ENCRYPTION: 'aws:kms',
      RCLONE_CONFIG_SRC_SSE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/k',
      RCLONE_CONFIG_SRC_NO_CHECK_BUCKET: 'true',
    });
    expect(toGcs.destination).toMatchObject({
      path: 'dst:new', env: { RCLONE_CONFIG_DST_TYPE: 'google cloud storage', RCLONE_CONFIG_DST_BUCKET_POLICY_ONLY: 'true', RCLONE_CONFIG_DST_ENV_AUTH: 'true' }, secretEnv: {},
    });
    const toAzure = planStorageMigration({ from: fromS3, to: planAzureStorage({ accountName: 'acme', container: 'images', cloudName: 'AzureUSGovernmentCloud' }) });
    expect(toAzure.destination.env).toMatchObject({ RCLONE_CONFIG_DST_TYPE: 'azureblob', RCLONE_CONFIG_DST_ACCOUNT: 'acme', RCLONE_CONFIG_DST_ENDPOINT: 'https://acme.blob.core.usgovcloudapi.net' });
    const fromSwift = planStorageMigration({
      from: { swift: { container: 'registry', authURL: 'https://keystone.example.com/v3', authVersion: '3', domain: 'Default', tenant: 'registry' } },
      to: planPvcStorage({ claim: 'new', accessMode: 'ReadWriteMany' }),
    });
    expect(fromSwift.source).toMatchObject({
      path: 'src:registry/files',
      env: { RCLONE_CONFIG_SRC_TYPE: 'swift', RCLONE_CONFIG_SRC_AUTH: 'https://keystone.example.com/v3', RCLONE_CONFIG_SRC_AUTH_VERSION: '3', RCLONE_CONFIG_SRC_DOMAIN: 'Default' },
      secretEnv: expect.objectContaining({ RCLONE_CONFIG_SRC_USER: 'REGISTRY_STORAGE_SWIFT_USERNAME', RCLONE_CONFIG_SRC_KEY: 'REGISTRY_STORAGE_SWIFT_PASSWORD' }),
    });
  });

  it('the copy never deletes and skips uploads in flight; blobs by size (their name is their hash), links by content in the final pass', () => {
    const m = planStorageMigration({ from: { pvc: { claim: 'old' } }, to: planPvcStorage({ claim: 'new', accessMode: 'ReadWriteMany' }) });
    expect(m.script).toMatch(/rclone copy /);
    expect(m.script).not.toMatch(/rclone (sync|move|moveto|delete|deletefile|purge|rmdirs?)\b/);
    expect(m.script).toContain('rclone copy "$SOURCE/$tree/blobs" "$DESTINATION/$tree/blobs" $flags --size-only');
    expect(m.script).toContain('rclone copy "$SOURCE/$tree" "$DESTINATION/$tree" $flags --size-only --stats-one-line --stats 30s --filter \'- /repositories/**/_uploads/**\'');
    expect(m.script).toContain('--filter \'- **/_uploads/**\' "${LINK_COMPARE:---ignore-times}"');
    expect(m.script).toContain('rclone hashsum sha256 --download --files-from "$1" "$DESTINATION/$tree/blobs"');
    // claims and S3 keep an MD5 of every link; Azure may not, so every link is copied again there
    expect(m.linkCompare).toBe('--checksum');
    const toAzure = planStorageMigration({ from: { pvc: { claim: 'old' } }, to: planAzureStorage({ accountName: 'acme', container: 'images' }) });
    expect(toAzure.linkCompare).toBe('--ignore-times');
    expect(m.steps.map((s) => s.split(':')[0])).toEqual(['pre-copy', 'read-only', 'final copy', 'verify', 'switch', 'read-only off, pruner restored; the old storage is left as it was, for rollback']);
  });

  it('the rollback: the old block back, the new one removed, read-only off, the pruner as it was; as a merge patch and oc commands', () => {
    const to = planS3Storage({ bucket: 'registry', region: 'us-east-1', regionEndpoint: RGW, credentials: { accessKey: 'a', secretKey: 's' } });
    const m = planStorageMigration({ from: { managementState: 'Unmanaged', pvc: { claim: 'image-registry-storage' } }, to });
    expect(m.rollbackPatch).toEqual({
      metadata: { annotations: { 'registry-storage.openshift.io/read-only-by': null } },
      spec: { readOnly: false, storage: { s3: null, pvc: { claim: 'image-registry-storage' }, managementState: 'Unmanaged' } },
    });
    const [patch, ...pruner] = m.rollbackCommand.split('\n');
    expect(patch).toBe(`oc patch configs.imageregistry.operator.openshift.io cluster --type=merge -p '${JSON.stringify(m.rollbackPatch)}'`);
    // and the image pruner as the read-only window found it
    expect(pruner.join('\n')).toContain('jsonpath={.metadata.annotations.registry-storage\\.openshift\\.io/suspend-before-migration}');
  });

  it('refuses what cannot be moved, naming the prop and why', () => {
    const to = planPvcStorage({ claim: 'new', accessMode: 'ReadWriteMany' });
    const codes = (f: () => unknown) => failure(f).problems.map((p) => `${p.path} ${p.code}`);
    expect(codes(() => planStorageMigration({ from: { emptyDir: {} }, to }))).toEqual(['from ORS-MIGRATE-004']);
    expect(failure(() => planStorageMigration({ from: { emptyDir: {} }, to })).message).toMatch(/emptyDir storage cannot be copied from: emptyDir is a folder inside each registry pod/);
    expect(codes(() => planStorageMigration({ from: { pvc: { claim: 'a' }, s3: { bucket: 'b' } }, to }))).toEqual(['from ORS-MIGRATE-001']);
    expect(codes(() => planStorageMigration({ from: 'pvc' as any, to }))).toEqual(['from ORS-MIGRATE-001']);
    expect(codes(() => planStorageMigration({ from: { pvc: { claim: 'new' } }, to }))).toEqual(['from ORS-MIGRATE-003']);
    const swift = { swift: { container: 'r', authURL: 'https://keystone.example.com/v3' } };
    expect(codes(() => planStorageMigration({ from: swift, to, fromKeys: false }))).toEqual(['fromKeys ORS-MIGRATE-005']);
    expect(codes(() => planStorageMigration({ from: { ibmcos: { bucket: 'b' } }, to }))).toEqual(['from ORS-MIGRATE-004']);
    expect(codes(() => planStorageMigration({ from: { pvc: { claim: 'a' } }, to: {} as any }))).toEqual(['to ORS-MIGRATE-002']);
  });

  it('every kind says how a copier reaches it, or why none can', () => {
    for (const kind of STORAGE_KINDS) {
      const reach = kind.copier({ bucket: 'b', container: 'c', claim: 'x', accountName: 'a', authURL: 'https://k.example.com/v3' });
      expect([kind.name, 'unreachable' in reach || reach.claim !== undefined || reach.options?.type !== undefined]).toEqual([kind.name, true]);
    }
  });
});
