import { App, Chart } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { planAzureStorage, planGcsStorage, planPvcStorage, planS3Storage, planSwiftStorage, STORAGE_KINDS } from '../../lib';
import { AckBucket, AzureRegistryStorage as AzureConstruct, GcsRegistryStorage as GcsConstruct, PRINT_WARNINGS_CONTEXT, S3RegistryStorage as S3Construct } from '../../lib/cdk8s';
import { failure } from '../helpers';

const INFRA = 'acme-x7k2p';
const BUCKET = `${INFRA}-image-registry-us-east-1`;
const codes = (f: () => unknown) => failure(f).problems.map((p) => `${p.path} ${p.code}`);

describe('adopt: the storage the operator created', () => {
  it('S3: Unmanaged, the owned tag to remove, and what teardown does, said as a warning', () => {
    const plan = planS3Storage({ bucket: BUCKET, region: 'us-east-1', adopt: true, infrastructureName: INFRA });
    expect(plan.adoption).toEqual({
      infrastructureName: INFRA,
      names: { bucket: BUCKET },
      ownedMarker: { kind: 'tag', key: `kubernetes.io/cluster/${INFRA}`, value: 'owned' },
      teardown: expect.stringContaining('outlive the cluster'),
    });
    expect((plan.spec.storage as any).managementState).toBe('Unmanaged');
    expect(plan.warnings.map((w) => `${w.path} ${w.code}`)).toEqual(['adopt ORS-ADOPT-W001']);
    expect(plan.warnings[0].message).toMatch(/storage.managementState becomes Unmanaged: .* Its tag kubernetes.io\/cluster\/acme-x7k2p: owned marks it the cluster's/);
  });

  it('each kind knows the operator\'s names and mark, and what teardown does to it', () => {
    const gcs = planGcsStorage({ bucket: `${INFRA}-image-registry-us-east1-abcdefg`, region: 'us-east1', projectID: 'p', adopt: true, infrastructureName: INFRA });
    expect(gcs.adoption!.ownedMarker).toEqual({ kind: 'label', key: `kubernetes-io-cluster-${INFRA}`, value: 'owned' });
    expect(gcs.warnings[0].message).toMatch(/deletes every bucket whose name starts with the infrastructure name, whatever its labels/);
    const azure = planAzureStorage({ accountName: 'imageregistryacmex7q4z8x', container: `${INFRA}-image-registry-abc`, adopt: true, infrastructureName: INFRA });
    expect(azure.adoption!.names).toEqual({ accountName: 'imageregistryacmex7q4z8x', container: `${INFRA}-image-registry-abc` });
    expect(azure.warnings[0].message).toMatch(/deletes the cluster's resource group and the account in it/);
    const swift = planSwiftStorage({ container: `${INFRA}-image-registry-abc`, adopt: true, infrastructureName: INFRA });
    expect(swift.adoption!.ownedMarker).toEqual({ kind: 'metadata', key: 'X-Container-Meta-Openshiftclusterid', value: INFRA });
    expect(STORAGE_KINDS.filter((k) => k.adoption).map((k) => k.name).sort()).toEqual(['azure', 'gcs', 's3', 'swift']);
  });

  it('refuses storage that is not the operator\'s, a missing infrastructure name, Managed, and kinds with nothing to adopt', () => {
    expect(codes(() => planS3Storage({ bucket: 'my-own-bucket', region: 'us-east-1', adopt: true, infrastructureName: INFRA }))).toEqual(['bucket ORS-ADOPT-005']);
    expect(failure(() => planS3Storage({ bucket: 'my-own-bucket', region: 'us-east-1', adopt: true, infrastructureName: INFRA })).message)
      .toMatch(/"my-own-bucket" is not the operator's s3 storage for infrastructure "acme-x7k2p": its names start with "acme-x7k2p-image-registry-"/);
    expect(codes(() => planS3Storage({ bucket: BUCKET, region: 'us-east-1', adopt: true }))).toEqual(['adopt ORS-ADOPT-003']);
    expect(codes(() => planS3Storage({ bucket: BUCKET, region: 'us-east-1', adopt: true, infrastructureName: 'Not_A_Name' }))).toEqual(['infrastructureName ORS-ADOPT-008']);
    expect(codes(() => planS3Storage({ region: 'us-east-1', adopt: true, infrastructureName: INFRA }))).toEqual(['bucket ORS-ADOPT-004']);
    expect(codes(() => planS3Storage({ bucket: BUCKET, region: 'us-east-1', adopt: true, infrastructureName: INFRA, storageManagementState: 'Managed' })))
      .toEqual(['storageManagementState ORS-ADOPT-006']);
    expect(codes(() => planS3Storage({ bucket: BUCKET, region: 'us-east-1', infrastructureName: INFRA }))).toEqual(['infrastructureName ORS-ADOPT-001']);
    expect(codes(() => planPvcStorage({ claim: 'c', accessMode: 'ReadWriteMany', replicas: 2, adopt: true, infrastructureName: INFRA }))).toEqual(['adopt ORS-ADOPT-007']);
  });

  it('cdk8s: ACK adopts the bucket by name and keeps it; Config Connector keeps the bucket it acquires; Crossplane observes the account by its name', () => {
    const app = new App();
    app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
    const chart = new Chart(app, 'c', { namespace: 'ack-system' });
    new S3Construct(chart, 'registry', {
      bucket: BUCKET,
      region: 'us-east-1',
      adopt: true,
      infrastructureName: INFRA,
      retainOnDelete: false,
      tags: { team: 'platform' },
      provision: { controller: 'ack' },
    });
    const objects = loadAll(app.synthYaml()) as any[];
    const bucket = objects.find((o) => o.kind === 'Bucket');
    expect(bucket.metadata.annotations).toMatchObject({
      'services.k8s.aws/adoption-policy': 'adopt',
      'services.k8s.aws/adoption-fields': JSON.stringify({ name: BUCKET }),
      'services.k8s.aws/deletion-policy': 'retain',
    });
    // the bucket's tags as the props give them: not the operator's owned tag
    expect(JSON.stringify(bucket.spec.tagging)).not.toContain(`kubernetes.io/cluster/${INFRA}`);
    expect(AckBucket.problems(bucket)).toEqual([]);
    expect(objects.find((o) => o.kind === 'Config').spec.storage.managementState).toBe('Unmanaged');

    const gcsApp = new App();
    gcsApp.node.setContext(PRINT_WARNINGS_CONTEXT, false);
    new GcsConstruct(new Chart(gcsApp, 'c', { namespace: 'cnrm' }), 'registry', {
      bucket: `${INFRA}-image-registry-us-east1-abcdefg`,
      region: 'us-east1',
      projectID: 'p',
      adopt: true,
      infrastructureName: INFRA,
      retainOnDelete: false,
      provision: { controller: 'config-connector' },
    });
    const kcc = (loadAll(gcsApp.synthYaml()) as any[]).find((o) => o.kind === 'StorageBucket');
    expect(kcc.metadata.annotations['cnrm.cloud.google.com/deletion-policy']).toBe('abandon');

    const azureApp = new App();
    azureApp.node.setContext(PRINT_WARNINGS_CONTEXT, false);
    new AzureConstruct(new Chart(azureApp, 'c'), 'registry', {
      accountName: 'imageregistryacmex7q4z8x',
      container: `${INFRA}-image-registry-abc`,
      adopt: true,
      infrastructureName: INFRA,
      resourceGroupName: `${INFRA}-rg`,
      location: 'eastus',
      provision: { controller: 'crossplane' },
    });
    const azureObjects = loadAll(azureApp.synthYaml()) as any[];
    const account = azureObjects.find((o) => o.kind === 'Account');
    expect(account.metadata.annotations['crossplane.io/external-name']).toBe('imageregistryacmex7q4z8x');

    // adopted storage is kept on delete, whatever retainOnDelete says
    const dropping = new App();
    dropping.node.setContext(PRINT_WARNINGS_CONTEXT, false);
    new AzureConstruct(new Chart(dropping, 'c'), 'registry', {
      accountName: 'imageregistryacmex7q4z8x',
      container: `${INFRA}-image-registry-abc`,
      adopt: true,
      infrastructureName: INFRA,
      retainOnDelete: false,
      resourceGroupName: `${INFRA}-rg`,
      location: 'eastus',
      provision: { controller: 'crossplane' },
    });
    for (const o of (loadAll(dropping.synthYaml()) as any[]).filter((x) => x.kind === 'Account' || x.kind === 'Container')) {
      expect([o.kind, o.spec.deletionPolicy, o.metadata.annotations['argocd.argoproj.io/sync-options']]).toEqual([o.kind, 'Orphan', 'Prune=false,Delete=false']);
    }
  });
});
