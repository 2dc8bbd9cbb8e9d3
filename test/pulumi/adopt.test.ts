import * as pulumi from '@pulumi/pulumi';
import { MOCKS } from './mocks';
import { PulumiAdopt } from '../../lib/pulumi/adopt';
import { S3RegistryStorage } from '../../lib/pulumi/aws';
import { AzureRegistryStorage } from '../../lib/pulumi/azure';
import { RegistryStorageComponent } from '../../lib/pulumi/common';
import { GcsRegistryStorage } from '../../lib/pulumi/gcp';
import { SwiftRegistryStorage } from '../../lib/pulumi/openstack';
import { CapturedResource, capturePulumiProgram } from '../../lib/testing/pulumi';

const INFRA = 'acme-x7k2p';
const ACK = ['ORS-PULUMI-W002', 'ORS-ADOPT-W001', 'ORS-PULUMI-W003'];
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
const ACCOUNT_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${INFRA}-rg/providers/Microsoft.Storage/storageAccounts/imageregistryacmex7abcde`;

/**
 * Each kind: the component as a user writes it for both ups, the operator's storage as the
 * provider reads it on import, in the resource's input shape (pkg/storage/<kind> of the operator:
 * what it creates; and, for azure-native, which reads back every property, the ones Azure fills
 * in), and the inputs `adopt: 'imported'` changes. GCS labels and Swift metadata read as none:
 * terraform-provider-google puts an imported bucket's labels in `effectiveLabels` only, and
 * terraform-provider-openstack's importer reads nothing (not even `force_destroy`).
 */
const KINDS: Record<string, {
  program: (adopt: PulumiAdopt, extra?: { retainOnDelete?: boolean }) => RegistryStorageComponent;
  live: Record<string, Record<string, unknown>>;
  changed: string[];
}> = {
  s3: {
    program: (adopt, extra) => new S3RegistryStorage('registry', {
      bucket: `${INFRA}-image-registry-us-east-1`, region: 'us-east-1', adopt, infrastructureName: INFRA, tags: { team: 'platform' }, acknowledgeWarnings: ACK, ...extra,
    }),
    changed: ['registry-bucket.tags'],
    live: {
      'registry-bucket': {
        bucket: `${INFRA}-image-registry-us-east-1`,
        forceDestroy: false,
        tags: { [`kubernetes.io/cluster/${INFRA}`]: 'owned', Name: `${INFRA}-image-registry` },
      },
    },
  },
  gcs: {
    program: (adopt, extra) => new GcsRegistryStorage('registry', {
      bucket: `${INFRA}-image-registry-us-east1-abcdefghij`,
      region: 'us-east1',
      projectID: 'acme',
      keyID: 'projects/acme/locations/us-east1/keyRings/registry/cryptoKeys/registry',
      adopt,
      infrastructureName: INFRA,
      labels: { team: 'platform' },
      acknowledgeWarnings: ACK,
      ...extra,
    }),
    changed: ['registry-bucket.labels', 'registry-bucket.lifecycleRules', 'registry-bucket.publicAccessPrevention', 'registry-bucket.uniformBucketLevelAccess'],
    live: {
      'registry-bucket': {
        name: `${INFRA}-image-registry-us-east1-abcdefghij`,
        location: 'US-EAST1',
        project: 'acme',
        forceDestroy: false,
        uniformBucketLevelAccess: false,
        publicAccessPrevention: 'inherited',
        encryption: { defaultKmsKeyName: 'projects/acme/locations/us-east1/keyRings/registry/cryptoKeys/registry' },
        lifecycleRules: [],
        labels: {},
      },
    },
  },
  azure: {
    program: (adopt, extra) => new AzureRegistryStorage('registry', {
      accountName: 'imageregistryacmex7abcde',
      container: `${INFRA}-image-registry-abcdefghij`,
      resourceGroupName: `${INFRA}-rg`,
      subscriptionId: SUBSCRIPTION,
      adopt,
      infrastructureName: INFRA,
      tags: { team: 'platform' },
      acknowledgeWarnings: ACK,
      ...extra,
    }),
    changed: ['registry-account.tags'],
    live: {
      'registry-account': {
        accountName: 'imageregistryacmex7abcde',
        resourceGroupName: `${INFRA}-rg`,
        kind: 'StorageV2',
        sku: { name: 'Standard_LRS' },
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: 'TLS1_2',
        allowBlobPublicAccess: false,
        tags: { [`kubernetes.io_cluster.${INFRA}`]: 'owned' },
        // what Azure fills in, and azure-native reads back
        location: 'eastus',
        accessTier: 'Hot',
        allowCrossTenantReplication: false,
        encryption: { keySource: 'Microsoft.Storage', services: { blob: { enabled: true, keyType: 'Account' }, file: { enabled: true, keyType: 'Account' } } },
        networkRuleSet: { bypass: 'AzureServices', defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
      },
      'registry-container': {
        accountName: 'imageregistryacmex7abcde',
        resourceGroupName: `${INFRA}-rg`,
        containerName: `${INFRA}-image-registry-abcdefghij`,
        publicAccess: 'None',
        defaultEncryptionScope: '$account-encryption-key',
        denyEncryptionScopeOverride: false,
      },
    },
  },
  swift: {
    program: (adopt, extra) => new SwiftRegistryStorage('registry', {
      container: `${INFRA}-image-registry-abcdefghij`, adopt, infrastructureName: INFRA, credentials: 'cluster', acknowledgeWarnings: ACK, ...extra,
    }),
    live: { 'registry-container': { name: `${INFRA}-image-registry-abcdefghij` } },
    changed: ['registry-container.forceDestroy', 'registry-container.metadata'],
  },
};

/** The inputs of `r` that differ from the storage as it is (a location's case aside, as the providers compare it). */
function differences(r: CapturedResource, live: Record<string, unknown>): string[] {
  const norm = (k: string, v: unknown) => (v === undefined || v === null ? undefined : k === 'location' ? String(v).toLowerCase() : JSON.stringify(v));
  return [...new Set([...Object.keys(r.inputs), ...Object.keys(live)])]
    .filter((k) => !['region'].includes(k) && norm(k, r.inputs[k]) !== norm(k, live[k]))
    .sort();
}

async function run(kind: string, adopt: PulumiAdopt, extra?: { retainOnDelete?: boolean }) {
  let component: RegistryStorageComponent | undefined;
  const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
  try {
    const resources = await capturePulumiProgram(() => {
      component = KINDS[kind].program(adopt, extra);
    }, MOCKS);
    const adoption = (component as any).adoption;
    return { resources, adoption, warnings: warn.mock.calls.map(([m]) => String(m)) };
  } finally {
    warn.mockRestore();
  }
}

describe('Pulumi adopt: an import as the storage is, then the library\'s settings as a diff', () => {
  for (const kind of Object.keys(KINDS)) {
    it(`${kind}: adopt: true imports without a difference; adopt: 'imported' is the same resource, now with a diff`, async () => {
      const first = await run(kind, true);
      const second = await run(kind, 'imported');
      const live = KINDS[kind].live;
      const diff: string[] = [];
      expect(first.resources.filter((r) => r.importId !== undefined).map((r) => r.name).sort()).toEqual(Object.keys(live).sort());
      for (const [name, state] of Object.entries(live)) {
        const imported = first.resources.find((r) => r.name === name)!;
        expect(imported.importId).toEqual(expect.stringContaining(String(state.bucket ?? state.name ?? state.accountName)));
        // The first up: every input that differs from the operator's storage is left as it is
        // (ignoreChanges: the engine copies the value it reads on import), so the import has no
        // difference (an engine before pulumi#19339 fails one that has; a later one updates).
        const ignoredFirst = imported.ignoreChanges ?? [];
        expect(differences(imported, state).filter((k) => !ignoredFirst.includes(k))).toEqual([]);
        // The second: the same resource (type, name and parent make its URN), still imported by the
        // same ID (the engine then treats it like any other), ignoring only what the library never
        // sets: the other differences are the diff the preview shows.
        const same = second.resources.find((r) => r.name === name)!;
        expect([same.type, same.parent, same.importId]).toEqual([imported.type, imported.parent, imported.importId]);
        const ignoredSecond = same.ignoreChanges ?? [];
        expect(ignoredFirst).toEqual(expect.arrayContaining(ignoredSecond));
        diff.push(...differences(same, state).filter((k) => !ignoredSecond.includes(k)).map((k) => `${name}.${k}`));
      }
      // exactly the library's settings and the mark
      expect(diff.sort()).toEqual(KINDS[kind].changed);
      expect(first.adoption.step).toBe('import');
      expect(second.adoption).toEqual({ ...first.adoption, step: 'imported', resources: first.adoption.resources.map((r: any) => ({ ...r, deferred: [] })) });
      expect(first.warnings.filter((w) => w.includes('ORS-PULUMI-W004'))).toEqual([
        expect.stringMatching(/^adopt: .* imported as (it is|they are): this up leaves .* as the storage has them .*Once this up has run, set adopt: 'imported'/),
      ]);
      expect(second.warnings.filter((w) => w.includes('ORS-PULUMI-W004'))).toEqual([]);
      // Unmanaged from the first up: the operator stops writing the storage's settings and mark.
      const config = first.resources.find((r) => r.type === 'kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch')!;
      expect((config.inputs.spec as any).storage.managementState).toBe('Unmanaged');
    });
  }

  it('the mark goes at adopt: \'imported\': the S3 and Azure tags are the program\'s, Swift\'s takes another value; the GCS label stays, and the warning says why', async () => {
    const s3 = (await run('s3', 'imported')).resources.find((r) => r.name === 'registry-bucket')!;
    expect(s3.inputs.tags).toEqual({ team: 'platform' });
    const azureRun = await run('azure', 'imported');
    expect(azureRun.adoption.resources.map((r: any) => r.id)).toEqual([ACCOUNT_ID, `${ACCOUNT_ID}/blobServices/default/containers/${INFRA}-image-registry-abcdefghij`]);
    const azure = azureRun.resources.find((r) => r.name === 'registry-account')!;
    expect(azure.inputs.tags).toEqual({ team: 'platform' });
    const swift = (await run('swift', 'imported')).resources.find((r) => r.name === 'registry-container')!;
    expect(swift.inputs.metadata).toEqual({ Openshiftclusterid: 'adopted' });
    const swiftFirst = (await run('swift', true)).resources.find((r) => r.name === 'registry-container')!;
    expect(swiftFirst.inputs.metadata).toBeUndefined();
    const gcs = await run('gcs', true);
    expect(gcs.adoption.removesOwnedMarker).toBe(false);
    expect(gcs.warnings.find((w) => w.includes('ORS-PULUMI-W004'))).toMatch(/the label stays \(pulumi-gcp's labels manage only the keys in the program.*by its name whatever its labels\)/);
    const bucket = (await run('gcs', 'imported')).resources.find((r) => r.name === 'registry-bucket')!;
    expect([bucket.inputs.uniformBucketLevelAccess, bucket.inputs.publicAccessPrevention]).toEqual([true, 'enforced']);
  });

  it('adopted storage and what keeps it hardened and readable are kept on pulumi destroy, whatever retainOnDelete says', async () => {
    for (const kind of Object.keys(KINDS)) {
      for (const adopt of [true, 'imported'] as const) {
        const { resources } = await run(kind, adopt, { retainOnDelete: false });
        const imported = resources.filter((r) => r.importId !== undefined);
        expect(imported.length).toBeGreaterThan(0);
        for (const r of imported) expect([r.name, r.retainOnDelete]).toEqual([r.name, true]);
        // S3's public access block, encryption, lifecycle, ownership and TLS-only policy; the GCS service agent's use of the key
        const supporting = resources.filter((r) => /^aws:s3\/bucket(?!:)|^gcp:kms\/cryptoKeyIAMMember/.test(r.type));
        if (kind === 's3') expect(supporting.length).toBe(5);
        if (kind === 'gcs') expect(supporting.length).toBe(1);
        for (const r of supporting) expect([r.name, r.retainOnDelete]).toEqual([r.name, true]);
      }
    }
    // not adopting, retainOnDelete: false is honoured
    const created = (await capturePulumiProgram(() => new S3RegistryStorage('registry', { region: 'us-east-1', retainOnDelete: false }), MOCKS))
      .filter((r) => r.type.startsWith('aws:s3/'));
    expect(created.map((r) => r.retainOnDelete)).toEqual(created.map(() => false));
  });

  it('an adopted Azure account keeps what the library does not set, at every up; a GCS bucket and an Azure account never move', async () => {
    for (const adopt of [true, 'imported'] as const) {
      const azure = (await run('azure', adopt)).resources.find((r) => r.name === 'registry-account')!;
      expect(azure.ignoreChanges).toEqual(expect.arrayContaining(['accessTier', 'encryption', 'networkRuleSet', 'location']));
      const gcs = (await run('gcs', adopt)).resources.find((r) => r.name === 'registry-bucket')!;
      expect(gcs.ignoreChanges).toEqual(expect.arrayContaining(['location']));
    }
    const second = (await run('azure', 'imported')).resources.find((r) => r.name === 'registry-account')!;
    expect(second.ignoreChanges).not.toEqual(expect.arrayContaining(['tags']));
    expect(second.ignoreChanges).not.toEqual(expect.arrayContaining(['minimumTlsVersion']));
  });

  it('Azure: the cluster\'s resource tags stay on an adopted account at adopt: \'imported\', the owned tag goes', async () => {
    const resources = await capturePulumiProgram(() => new AzureRegistryStorage('registry', {
      accountName: 'imageregistryacmex7abcde',
      container: `${INFRA}-image-registry-abcdefghij`,
      resourceGroupName: `${INFRA}-rg`,
      subscriptionId: SUBSCRIPTION,
      adopt: 'imported',
      infrastructureName: INFRA,
      tags: { team: 'platform' },
      clusterResourceTags: AzureRegistryStorage.clusterResourceTagsFromCluster(),
      acknowledgeWarnings: ACK,
    }), {
      ...MOCKS,
      state: {
        'kubernetes:config.openshift.io/v1:Infrastructure': () => ({
          status: { platformStatus: { azure: { resourceTags: [{ key: 'cost-center', value: 'ops' }, { key: 'team', value: 'infra' }] } } },
        }),
      },
    });
    expect(resources.find((r) => r.type === 'kubernetes:config.openshift.io/v1:Infrastructure')!.readId).toBe('cluster');
    expect(resources.find((r) => r.name === 'registry-account')!.inputs.tags).toEqual({ 'cost-center': 'ops', 'team': 'platform' });
  });

  it('S3: the hardening the import cannot carry comes as resources of its own in the first up', async () => {
    const { resources } = await run('s3', true);
    expect(resources.map((r) => r.type)).toEqual(expect.arrayContaining([
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'aws:s3/bucketPolicy:BucketPolicy',
    ]));
  });

  it('refuses an adopt that is neither true, \'imported\' nor false, an Output, and an Azure import without the IDs it needs', async () => {
    const failure = async (program: () => unknown) => {
      let message = '';
      const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
      try {
        await capturePulumiProgram(() => {
          try {
            program();
          } catch (e) {
            message = (e as Error).message;
          }
        }, MOCKS);
      } finally {
        warn.mockRestore();
      }
      return message;
    };
    const s3 = (adopt: any) => () => new S3RegistryStorage('registry', { bucket: `${INFRA}-image-registry-us-east-1`, region: 'us-east-1', adopt, infrastructureName: INFRA });
    expect(await failure(s3('yes'))).toMatch(/- adopt: must be true \(the up that imports the storage\), 'imported' \(every later up\) or false, got "yes" \[ORS-PULUMI-022\]/);
    expect(await failure(s3(pulumi.output(true)))).toMatch(/- adopt: must be a plain value, not an Output.*\[ORS-PULUMI-022\]/);
    const azure = await failure(() => new AzureRegistryStorage('registry', {
      accountName: 'imageregistryacmex7abcde', container: `${INFRA}-image-registry-abcdefghij`, resourceGroupName: pulumi.output(`${INFRA}-rg`), adopt: true, infrastructureName: INFRA,
    }));
    expect(azure).toMatch(/- subscriptionId: must be a plain string with adopt: .*\[ORS-PULUMI-023\]/);
    expect(azure).toMatch(/- resourceGroupName: must be a plain string with adopt: .*\[ORS-PULUMI-023\]/);
    const gcs = await failure(() => new GcsRegistryStorage('registry', {
      bucket: pulumi.output(`${INFRA}-image-registry-us-east1-abcdefghij`), region: 'us-east1', projectID: 'acme', adopt: true, infrastructureName: INFRA,
    }));
    expect(gcs).toMatch(/- bucket: must be a plain string with adopt: it is the ID the bucket is imported by \[ORS-PULUMI-021\]/);
    // the core's rules apply whatever the step
    expect(await failure(s3('imported'))).toBe('');
    expect(await failure(() => new S3RegistryStorage('registry', { bucket: 'my-own-bucket', region: 'us-east-1', adopt: 'imported', infrastructureName: INFRA })))
      .toMatch(/- bucket: "my-own-bucket" is not the operator's s3 storage .*\[ORS-ADOPT-005\]/);
  });

  it('createBucket: false keeps the operator\'s storage as it is: nothing is imported', async () => {
    const resources = await capturePulumiProgram(() => new GcsRegistryStorage('registry', {
      bucket: `${INFRA}-image-registry-us-east1-abcdefghij`,
      region: 'us-east1',
      projectID: 'acme',
      adopt: true,
      infrastructureName: INFRA,
      createBucket: false,
      acknowledgeWarnings: ACK,
    }), MOCKS);
    expect(resources.filter((r) => r.importId !== undefined)).toEqual([]);
  });
});
