import { CaptureOptions, CapturedResource } from '../../lib/testing/pulumi';

/** Mock results shared by the Pulumi tests. */
export const MOCKS: CaptureOptions = {
  calls: {
    'aws:index/getRegion:getRegion': () => ({ name: 'eu-west-1', region: 'eu-west-1' }),
    'azure-native:storage:listStorageAccountKeys': () => ({ keys: [{ keyName: 'key1', value: 'mock-account-key', permissions: 'FULL' }] }),
    'gcp:storage/getProjectServiceAccount:getProjectServiceAccount': () => ({ emailAddress: 'service-1@gs-project-accounts.iam.gserviceaccount.com' }),
  },
  state: {
    'aws:s3/bucket:Bucket': (name, inputs) => ({ bucket: inputs.bucket ?? `${name}-1a2b3c`, arn: `arn:aws:s3:::${inputs.bucket ?? `${name}-1a2b3c`}` }),
    'aws:iam/accessKey:AccessKey': () => ({ secret: 'mock-secret-access-key' }),
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
