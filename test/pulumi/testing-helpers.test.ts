import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { registryConfig, validateRegistryConfigPatch } from '../../lib';
import { S3RegistryStorage } from '../../lib/pulumi/aws';
import { AzureRegistryStorage } from '../../lib/pulumi/azure';
import { GcsRegistryStorage } from '../../lib/pulumi/gcp';
import { EmptyDirRegistryStorage, PvcRegistryStorage } from '../../lib/pulumi/kubernetes';
import { SwiftRegistryStorage } from '../../lib/pulumi/openstack';
import { CapturedResource, capturePulumiProgram } from '../../lib/testing/pulumi';

/** What users' CI does: capture a component with no mocks of its own. */
describe('capturePulumiProgram works for every component with no mocks from the user', () => {
  const programs: Array<[string, () => unknown]> = [
    ['S3RegistryStorage', () => new S3RegistryStorage('registry')],
    ['GcsRegistryStorage', () => new GcsRegistryStorage('registry', { region: 'us-east1' })],
    ['AzureRegistryStorage (account key listed)', () => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift' })],
    ['SwiftRegistryStorage', () => new SwiftRegistryStorage('registry', { authURL: 'https://keystone.example.com:5000/v3' })],
    ['PvcRegistryStorage', () => new PvcRegistryStorage('registry')],
    ['EmptyDirRegistryStorage', () => new EmptyDirRegistryStorage('registry', { acknowledgeNonProduction: true })],
  ];
  it.each(programs)('%s', async (_name, program) => {
    const resources = await capturePulumiProgram(program);
    const patch = resources.find((r) => r.name === 'registry-config')!;
    expect(validateRegistryConfigPatch(registryConfig(patch.inputs.spec as any))).toEqual([]);
    // every output the component reads resolved: the wait (last in the graph) was registered
    expect(resources.map((r) => r.name)).toContain('registry-storage-applied');
    expect(JSON.stringify(resources)).not.toMatch(/mock-secret-access-key|mock-account-key|mock-application-credential-secret|mock-private-key/);
  });

  it('the defaults look like the real providers\' answers', async () => {
    const resources = await capturePulumiProgram(() => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift' }));
    const spec = resources.find((r) => r.name === 'registry-config')!.inputs.spec as any;
    expect(spec.storage.azure.cloudName).toBe('AzurePublicCloud');
    expect(spec.storage.azure.accountName).toMatch(/^[a-z0-9]{3,24}$/);
  });

  it('a program that throws is reported as such', async () => {
    await expect(capturePulumiProgram(() => {
      throw new Error('boom');
    })).rejects.toThrow('the program threw under Pulumi mocks: boom');
  });
});

describe('capturePulumiProgram: secrets, the provider\'s region, given IDs', () => {
  const spec = (resources: CapturedResource[]) => (resources.find((r) => r.name === 'registry-config')!.inputs.spec as any).storage.s3;

  it('computes mock state from the value of a secret input, not from its wrapper', async () => {
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', {
      bucket: pulumi.secret('acme-registry'), cliImage: 'quay.io/x/cli@sha256:0',
    }));
    const policy = resources.find((r) => r.type === 'aws:s3/bucketPolicy:BucketPolicy')!;
    expect(JSON.stringify(policy.inputs)).not.toMatch(/object Object/);
    expect(JSON.stringify(policy.inputs)).toMatch(/arn:aws:s3:::acme-registry/);
  });

  it('answers getRegion with the region of the aws provider the program passed', async () => {
    const resources = await capturePulumiProgram(() => {
      const provider = new aws.Provider('aws', { region: 'eu-west-1' });
      return new S3RegistryStorage('registry', { bucket: 'acme-registry', cliImage: 'quay.io/x/cli@sha256:0' }, { providers: { aws: provider } });
    });
    expect(spec(resources).region).toBe('eu-west-1');
  });

  it('gives a resource the ID a test sets', async () => {
    const arn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const resources = await capturePulumiProgram(() => {
      const key = new aws.kms.Key('key', {});
      return new S3RegistryStorage('registry', { bucket: 'acme-registry', keyID: key.id, cliImage: 'quay.io/x/cli@sha256:0', grantKeyToRegistry: false });
    }, { ids: { key: arn } });
    expect(spec(resources).keyID).toBe(arn);
  });
});
