import * as pulumi from '@pulumi/pulumi';
import { CaptureOptions, CapturedResource, outputValue } from '../../lib/testing/pulumi';

/** Mock results shared by the Pulumi tests. */
export const MOCKS: CaptureOptions = {
  calls: {
    'aws:index/getRegion:getRegion': () => ({ name: 'eu-west-1', region: 'eu-west-1' }),
    'azure-native:storage:listStorageAccountKeys': () => ({ keys: [{ keyName: 'key1', value: 'mock-account-key', permissions: 'FULL' }] }),
    'gcp:organizations/getClientConfig:getClientConfig': () => ({ project: 'acme-from-provider' }),
    'gcp:storage/getProjectServiceAccount:getProjectServiceAccount': () => ({ emailAddress: 'service-1@gs-project-accounts.iam.gserviceaccount.com' }),
  },
  state: {
    'aws:s3/bucket:Bucket': (name, inputs) => ({ bucket: inputs.bucket ?? `${name}-1a2b3c`, arn: `arn:aws:s3:::${inputs.bucket ?? `${name}-1a2b3c`}` }),
    'aws:iam/accessKey:AccessKey': () => ({ secret: 'mock-secret-access-key' }),
    'gcp:serviceaccount/key:Key': () => ({ privateKey: Buffer.from('{"type":"service_account","private_key":"mock-private-key"}').toString('base64') }),
    'gcp:serviceaccount/account:Account': (_name, inputs) => ({ email: `${inputs.accountId}@acme.iam.gserviceaccount.com`, name: `projects/acme/serviceAccounts/${inputs.accountId}` }),
    'openstack:identity/applicationCredential:ApplicationCredential': (name, inputs) => ({ secret: 'mock-application-credential-secret', name: inputs.name ?? name }),
    // azure-native returns the account and container names as `name`
    'azure-native:storage:StorageAccount': (name, inputs) => ({
      name: inputs.accountName ?? `${name.replace(/[^a-z0-9]/g, '')}1a2b3c`,
      primaryEndpoints: { blob: `https://${inputs.accountName}.blob.core.windows.net/` },
    }),
    'azure-native:storage:BlobContainer': (name, inputs) => ({ name: inputs.containerName ?? name }),
  },
};

export function byType(resources: CapturedResource[], type: string): CapturedResource[] {
  return resources.filter((r) => r.type === type);
}

export function one(resources: CapturedResource[], type: string): CapturedResource {
  const found = byType(resources, type);
  expect(found.map((r) => r.name)).toHaveLength(1);
  return found[0];
}

/** The user Secret patch's `data`, base64-decoded (the values as the operator reads them). */
export async function secretValues(data: unknown): Promise<Record<string, string>> {
  const encoded = await outputValue(data as pulumi.Output<Record<string, string>>);
  return Object.fromEntries(Object.entries(encoded).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}
