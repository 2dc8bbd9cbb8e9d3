/**
 * The credential modes and the grants the cluster's identity lacks, as pure planning functions
 * (no Pulumi): what each flavour renders.
 */
import {
  planAzureAccess, planGcsAccess, planS3Access, registryRoleArnFromCredentials, registryServiceAccountFromCredentials, s3KmsKeyArnProblem,
} from '../../lib';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/abcd';
const ROLE = 'arn:aws:iam::111122223333:role/acme-openshift-image-registry-installer-cloud-credentials';

describe('planS3Access', () => {
  it('defaults to the cluster\'s identity, with nothing to grant', () => {
    expect(planS3Access({})).toEqual({ mode: 'cluster' });
  });
  it('keyID with the cluster\'s identity: a KMS grant of the registry\'s KMS actions for the principal, and a bucket policy principal', () => {
    expect(planS3Access({ keyID: KEY, registryPrincipalArn: ROLE })).toEqual({
      mode: 'cluster',
      kmsGrant: { keyId: KEY, granteePrincipal: ROLE, operations: ['Decrypt', 'Encrypt', 'GenerateDataKey', 'DescribeKey'] },
      bucketPolicyPrincipal: ROLE,
    });
    expect(planS3Access({ keyID: KEY, grantKeyToRegistry: false })).toEqual({ mode: 'cluster' });
    expect(() => planS3Access({ keyID: KEY })).toThrow(/registryPrincipalArn: is required with keyID/);
  });
  it('static modes need no grant; S3-compatible storage needs keys', () => {
    expect(planS3Access({ credentials: 'iam-user', keyID: KEY, registryPrincipalArn: ROLE })).toEqual({ mode: 'iam-user' });
    expect(planS3Access({ credentials: { accessKey: 'a', secretKey: 's' }, regionEndpoint: 'https://rgw.example.com' })).toEqual({ mode: 'keys' });
    expect(() => planS3Access({ regionEndpoint: 'https://rgw.example.com' })).toThrow(/credentials: S3-compatible storage \(regionEndpoint\) needs keys/);
    // no KMS grant against an S3-compatible store
    expect(planS3Access({ credentials: 'cluster', regionEndpoint: 'https://rgw.example.com', keyID: KEY })).toEqual({ mode: 'cluster' });
  });
  it('one keyID rule for every flavour that names the key in a policy or grant: its ARN', () => {
    expect(s3KmsKeyArnProblem(KEY)).toBeUndefined();
    expect(s3KmsKeyArnProblem('arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/abcd')).toBeUndefined();
    for (const bad of ['alias/registry', '1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:eu-west-1:111122223333:alias/registry']) {
      expect(s3KmsKeyArnProblem(bad)).toMatchObject({ path: 'keyID', message: expect.stringMatching(/^must be the key's ARN/), code: 'ORS-S3-014' });
    }
  });

  it('reads the role from the ini ccoctl writes, and says what to do in mint mode', () => {
    expect(registryRoleArnFromCredentials(`[default]\nrole_arn = ${ROLE}\nweb_identity_token_file = /var/run/secrets/openshift/serviceaccount/token\n`)).toBe(ROLE);
    expect(() => registryRoleArnFromCredentials('[default]\naws_access_key_id = AKIA\naws_secret_access_key = x\n')).toThrow(/not in STS mode.*Give registryPrincipalArn/);
  });
});

describe('planGcsAccess', () => {
  it('binds the registry\'s service account on the bucket only in cluster mode', () => {
    expect(planGcsAccess({})).toEqual({ mode: 'cluster', bucketMembers: [] });
    expect(planGcsAccess({ registryServiceAccount: 'sa@acme.iam.gserviceaccount.com' })).toEqual({ mode: 'cluster', bucketMembers: ['serviceAccount:sa@acme.iam.gserviceaccount.com'] });
    expect(planGcsAccess({ credentials: 'service-account-key', registryServiceAccount: 'sa@acme.iam.gserviceaccount.com' })).toEqual({ mode: 'service-account-key', bucketMembers: [] });
  });
  it('reads the impersonated service account (WIF) or client_email (a minted key)', () => {
    expect(registryServiceAccountFromCredentials(JSON.stringify({
      type: 'external_account',
      service_account_impersonation_url: 'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/acme-openshift-i-x1y2z@acme.iam.gserviceaccount.com:generateAccessToken',
    }))).toBe('acme-openshift-i-x1y2z@acme.iam.gserviceaccount.com');
    expect(registryServiceAccountFromCredentials(JSON.stringify({ type: 'service_account', client_email: 'minted@acme.iam.gserviceaccount.com' }))).toBe('minted@acme.iam.gserviceaccount.com');
    expect(() => registryServiceAccountFromCredentials('not json')).toThrow(/no service_account.json in JSON/);
  });
});

describe('planAzureAccess', () => {
  it('the cluster\'s identity works only in the cluster\'s resource group (names compared without case)', () => {
    expect(planAzureAccess({ resourceGroupName: 'OpenShift-abc', clusterResourceGroupName: 'openshift-ABC' })).toEqual({ mode: 'cluster' });
    expect(() => planAzureAccess({ resourceGroupName: 'other', clusterResourceGroupName: 'openshift-abc' })).toThrow(/resourceGroupName: is "other", not the cluster's resource group/);
    expect(planAzureAccess({ credentials: 'account-key', resourceGroupName: 'other', clusterResourceGroupName: 'openshift-abc' })).toEqual({ mode: 'account-key' });
  });
  it('Workload Identity: no shared-key access on the account, as the operator sets it', () => {
    expect(planAzureAccess({ workloadIdentity: true })).toEqual({ mode: 'cluster', allowSharedKeyAccess: false });
    expect(planAzureAccess({ workloadIdentity: true, credentials: 'account-key' })).toEqual({ mode: 'account-key' });
    expect(() => planAzureAccess({ credentials: 'key' as any })).toThrow(/credentials: must be 'cluster' or 'account-key', or \{ accountKey \}; got "key"/);
  });
});
