/**
 * The component layer refuses what the core never sees: args that are not an object, misspelt arg
 * names, and Pulumi options or component args of the wrong type. All in the one validation error.
 */
import * as pulumi from '@pulumi/pulumi';
import { MOCKS } from './mocks';
import { S3RegistryStorage } from '../../lib/pulumi/aws';
import { AzureRegistryStorage } from '../../lib/pulumi/azure';
import { GcsRegistryStorage } from '../../lib/pulumi/gcp';
import { EmptyDirRegistryStorage, ObjectBucketClaimRegistryStorage, PvcRegistryStorage } from '../../lib/pulumi/kubernetes';
import { SwiftRegistryStorage } from '../../lib/pulumi/openstack';
import { capturePulumiProgram } from '../../lib/testing/pulumi';

/** The message the component throws for `make`, or undefined. */
async function thrown(make: () => unknown): Promise<string | undefined> {
  let message: string | undefined;
  await capturePulumiProgram(() => {
    try {
      make();
    } catch (e) {
      message = (e as Error).message;
    }
  }, MOCKS);
  return message;
}

describe('Pulumi options are strict', () => {
  it.each([0, '', 'false', 'no', 1])('retainOnDelete: %p is refused, never read as delete', async (v) => {
    const m = await thrown(() => new S3RegistryStorage('registry', { bucket: 'acme-registry', retainOnDelete: v as any }));
    expect(m).toMatch(/S3RegistryStorage: 1 problem\n {2}- retainOnDelete: must be true or false/);
  });

  it('null is "not given", as in the core and cdk8s: retainOnDelete: null keeps the bucket, waitForStorage: null waits', async () => {
    const resources = await capturePulumiProgram(() => new S3RegistryStorage('registry', {
      bucket: 'acme-registry', retainOnDelete: null as any, waitForStorage: null as any, createBucket: null as any,
    }), MOCKS);
    expect(resources.find((r) => r.name === 'registry-bucket')!.retainOnDelete).toBe(true);
    expect(resources.find((r) => r.name === 'registry-storage-applied')).toBeDefined();
  });

  it('every boolean, number and string option, in one error', async () => {
    const m = await thrown(() => new S3RegistryStorage('registry', {
      bucket: 'acme-registry',
      waitForStorage: 'yes',
      removeOtherStorageTypes: 0,
      createBucket: 'false',
      grantKeyToRegistry: 'no',
      waitTimeoutSeconds: 'soon',
      cliImage: '',
      credentials: 42,
    } as any));
    expect(m).toMatch(/S3RegistryStorage: 8 problems/);
    for (const k of ['waitForStorage', 'removeOtherStorageTypes', 'createBucket', 'grantKeyToRegistry']) expect(m).toMatch(new RegExp(`- ${k}: must be true or false`));
    expect(m).toMatch(/- waitTimeoutSeconds: must be a whole number of seconds, at least 1/);
    expect(m).toMatch(/- cliImage: must be a non-empty string/);
    expect(m).toMatch(/- credentials: must be a mode name \('cluster', 'iam-user'\) or an object of keys \(got a number\)/);
  });

  it.each([-1, 0, 0.5, Number.NaN])('waitTimeoutSeconds: %p is refused', async (v) => {
    expect(await thrown(() => new PvcRegistryStorage('registry', { waitTimeoutSeconds: v }))).toMatch(/- waitTimeoutSeconds: must be a whole number/);
  });

  it('component booleans and enums of Azure, GCS, Swift', async () => {
    const azure = await thrown(() => new AzureRegistryStorage('registry', {
      resourceGroupName: 'openshift', createAccount: 'true', workloadIdentity: 1, skuName: 'Standard_LSR',
    } as any));
    expect(azure).toMatch(/- createAccount: must be true or false/);
    expect(azure).toMatch(/- workloadIdentity: must be true or false/);
    expect(azure).toMatch(/- skuName: must be one of Standard_LRS, .* \(got "Standard_LSR"\): did you mean Standard_LRS\?/);
    const gcs = await thrown(() => new GcsRegistryStorage('registry', { region: 'us-east1', projectID: 'acme', grantKmsToServiceAgent: 'no' } as any));
    expect(gcs).toMatch(/- grantKmsToServiceAgent: must be true or false/);
    const swift = await thrown(() => new SwiftRegistryStorage('registry', {
      authURL: 'https://keystone.example.com:5000/v3', container: 'registry', createContainer: 0,
    } as any));
    expect(swift).toMatch(/- createContainer: must be true or false/);
  });

  it('valid options pass', async () => {
    expect(await thrown(() => new S3RegistryStorage('registry', {
      bucket: 'acme-registry', retainOnDelete: false, waitForStorage: true, waitTimeoutSeconds: 60, jobNamespace: 'registry-storage-ops',
    }))).toBeUndefined();
  });
});

describe('arg names are strict', () => {
  it('a misspelt arg is refused with the nearest name, instead of creating another bucket', async () => {
    const m = await thrown(() => new S3RegistryStorage('registry', { bukcet: 'acme-registry' } as any));
    expect(m).toMatch(/- bukcet: is not a prop: did you mean "bucket"\? Known: /);
  });

  it.each([
    ['Azure', () => new AzureRegistryStorage('registry', { resourceGroupName: 'openshift', acountName: 'x' } as any), /acountName: .*did you mean "accountName"\?/],
    ['GCS', () => new GcsRegistryStorage('registry', { region: 'us-east1', projectID: 'acme', lables: {} } as any), /lables: .*did you mean "labels"\?/],
    ['PVC', () => new PvcRegistryStorage('registry', { sizee: '100Gi' } as any), /sizee: .*did you mean "size"\?/],
    ['OBC', () => new ObjectBucketClaimRegistryStorage('registry', { storageClassName: 'x', retainOnDelet: true } as any), /retainOnDelet: .*did you mean "retainOnDelete"\?/],
    ['emptyDir', () => new EmptyDirRegistryStorage('registry', { acknowledgeNonProduction: true, jobNamespce: 'x' } as any), /jobNamespce: .*did you mean "jobNamespace"\?/],
  ])('%s', async (_, make, expected) => {
    expect(await thrown(make)).toMatch(expected);
  });

  it.each([['42', 42], ['[]', []], ['a string', 'bucket'], ['an Output', pulumi.output({})]])('args %s: one validation error', async (_, v) => {
    const m = await thrown(() => new PvcRegistryStorage('registry', v as any));
    expect(m).toMatch(/PvcRegistryStorage: 1 problem\n {2}- \(props\): must be an object of props/);
  });

  it('null args are refused, as 42 and [] are (undefined is no args)', async () => {
    for (const args of [null, 42, [], 'bucket']) {
      expect(await thrown(() => new PvcRegistryStorage('registry', args as any))).toMatch(/PvcRegistryStorage: 1 problem\n {2}- \(props\): must be an object of props/);
    }
    expect(await thrown(() => new PvcRegistryStorage('registry', undefined))).toBeUndefined();
  });
});

describe('jobNamespace', () => {
  it('a cliImage the Job could not use is refused at construction, before any child, named cliImage', async () => {
    let m: string | undefined;
    const resources = await capturePulumiProgram(() => {
      try {
        new PvcRegistryStorage('registry', { cliImage: 'quay.io/x cli', jobNamespace: 'argocd' });
      } catch (e) {
        m = (e as Error).message;
      }
    }, MOCKS);
    // the component itself, and no child (a Config patch without its removal Job would leave two blocks)
    expect(resources.map((r) => r.type)).toEqual(['openshift-registry-storage:index:PvcRegistryStorage']);
    expect(m).toMatch(/PvcRegistryStorage: 2 problems\n {2}- cliImage: must be an image reference \(no spaces\)/);
    expect(m).toMatch(/- jobNamespace: must be a namespace of the Jobs' own, starting with "registry-storage-", got "argocd"/);
  });

  it('an Output or a Promise for jobNamespace or cliImage is refused, naming the arg', async () => {
    for (const k of ['jobNamespace', 'cliImage']) {
      for (const v of [pulumi.output('registry-jobs'), Promise.resolve('registry-jobs')]) {
        expect(await thrown(() => new PvcRegistryStorage('registry', { [k]: v } as any)))
          .toMatch(new RegExp(`- ${k}: must be a plain string, not an Output or a Promise`));
      }
    }
  });

  it.each(['openshift-image-registry', 'openshift-config', 'openshift', 'kube-system', 'default'])('%s is refused', async (ns) => {
    expect(await thrown(() => new PvcRegistryStorage('registry', { jobNamespace: ns }))).toMatch(/- jobNamespace: must be a namespace of the Jobs' own, starting with "registry-storage-", got .*: it is created and deleted with the Jobs/);
  });

  it.each(['Registry', 'a'.repeat(64), 'jobs_ns', '-jobs'])('%s is not a namespace name', async (ns) => {
    expect(await thrown(() => new PvcRegistryStorage('registry', { jobNamespace: ns }))).toMatch(/- jobNamespace: must be a namespace name/);
  });

  it('the namespace is a plain Namespace (creating an existing one fails), not a Patch that would adopt it', async () => {
    const resources = await capturePulumiProgram(() => new PvcRegistryStorage('registry', { jobNamespace: 'registry-storage-ops', cliImage: 'quay.io/x/cli@sha256:0' }), MOCKS);
    const ns = resources.filter((r) => r.type.startsWith('kubernetes:core/v1:Namespace'));
    expect(ns.map((r) => r.type)).toEqual(['kubernetes:core/v1:Namespace']);
  });
});

describe('one Output for credentials', () => {
  it('is refused with the way to pass it', async () => {
    const m = await thrown(() => new S3RegistryStorage('registry', {
      bucket: 'acme-registry', credentials: pulumi.secret({ accessKey: 'AKIAEXAMPLE', secretKey: 'hunter2-hunter2' }) as any,
    }));
    expect(m).toMatch(/- credentials: must not be one Output: pass its fields as separate Outputs/);
    expect(m).not.toMatch(/hunter2/);
  });
});

describe('an Output bucket of ObjectBucketClaimRegistryStorage', () => {
  it('names the claim\'s bucket once known', async () => {
    const resources = await capturePulumiProgram(() => new ObjectBucketClaimRegistryStorage('registry', {
      storageClassName: 'openshift-storage.noobaa.io', bucket: pulumi.output('acme-registry'), regionEndpoint: 'https://s3.example.com', cliImage: 'quay.io/x/cli@sha256:0',
    }), MOCKS);
    const config = resources.find((r) => r.name === 'registry-config')!;
    expect((config.inputs.spec as any).storage.s3.bucket).toBe('acme-registry');
  });
});

describe('the gate of the children is explicit', () => {
  it('a child made before the component checked its props is refused, not made ungated', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { child } = require('../../lib/pulumi/common') as typeof import('../../lib/pulumi/common');
    let message = '';
    await capturePulumiProgram(() => {
      const fake = { componentType: 'X', componentName: 'x' } as any;
      try {
        child(fake);
      } catch (e) {
        message = (e as Error).message;
      }
    }, MOCKS);
    expect(message).toBe('X x: a child was made before checkWhenKnown gated the children');
  });
});
