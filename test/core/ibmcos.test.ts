/**
 * IBM Cloud Object Storage, the kind added through the kinds' registry alone (lib/platforms/ibmcos
 * and one line in lib/platforms/kinds.ts): its rules in the core, and every path that reads the
 * registry (cdk8s, synth, check, the fleet, the removal Job) working with it.
 */
import { Chart, Testing } from 'cdk8s';
import {
  FleetInventoryError, IBMCOS_KIND, inspectRegistryObjects, planFleet, planIbmcosStorage, removeOtherStorageJsonPatch, STORAGE_KINDS,
  validateUserSecret,
} from '../../lib';
import { IbmcosRegistryStorage } from '../../lib/cdk8s';
import { runCli } from '../../lib/cli';
import { expectProblem, expectValidConfig, expectWarning, problemsOf } from '../helpers';

const INSTANCE = 'crn:v1:bluemix:public:cloud-object-storage:global:a/0123456789abcdef:5678-abcd::';
const KEY = 'crn:v1:bluemix:public:cloud-object-storage:global:a/0123456789abcdef:5678-abcd:resource-key:9999';

describe('planIbmcosStorage', () => {
  it('a named bucket in a named instance: the Config\'s ibmcos block, kept Unmanaged, no Secret', () => {
    const plan = planIbmcosStorage({ bucket: 'acme-image-registry', serviceInstanceCRN: INSTANCE, resourceKeyCRN: KEY });
    expect(plan.spec).toEqual({
      managementState: 'Managed',
      replicas: 2,
      storage: { managementState: 'Unmanaged', ibmcos: { bucket: 'acme-image-registry', serviceInstanceCRN: INSTANCE, resourceKeyCRN: KEY } },
    });
    expect(plan.secret).toBeUndefined();
    expect(plan.warnings).toEqual([]);
    expectValidConfig(plan);
  });

  it('no props: the operator\'s own bucket (ibmcos: {}), as its bootstrap does on IBM Cloud', () => {
    const plan = planIbmcosStorage({});
    expect(plan.spec.storage).toEqual({ ibmcos: {} });
    expectValidConfig(plan);
  });

  it('credentials: the IAM API key under the one Secret key the operator reads', () => {
    const plan = planIbmcosStorage({ bucket: 'acme-image-registry', serviceInstanceCRN: INSTANCE, credentials: { iamApiKey: 'k3y' } });
    expect(plan.secret?.stringData).toEqual({ REGISTRY_STORAGE_IBMCOS_IAMAPIKEY: 'k3y' });
    expectProblem(planIbmcosStorage, { credentials: {} as any }, 'credentials.iamApiKey', 'is required with credentials');
  });

  it('the CRD\'s CRN patterns, named with an example', () => {
    expectProblem(planIbmcosStorage, { serviceInstanceCRN: 'my-instance' }, 'serviceInstanceCRN', 'must be a Cloud Object Storage service instance CRN');
    expectProblem(planIbmcosStorage, { serviceInstanceCRN: INSTANCE, resourceKeyCRN: INSTANCE }, 'resourceKeyCRN', 'must be a resource key CRN');
  });

  it('a resource key needs its instance: without one the operator uses an instance of its own', () => {
    expectProblem(planIbmcosStorage, { bucket: 'acme-image-registry', resourceKeyCRN: KEY }, 'resourceKeyCRN', 'needs serviceInstanceCRN');
  });

  it('warns where the operator does otherwise than the props say', () => {
    expectWarning(planIbmcosStorage, { bucket: 'acme-image-registry' }, 'serviceInstanceCRN', 'uses (or creates) its own service instance');
    expectWarning(planIbmcosStorage, { serviceInstanceCRN: INSTANCE, location: 'us-south' }, 'location', 'is written over by the operator');
  });

  it('bucket names follow the object store\'s rules; misspelt props are refused', () => {
    expectProblem(planIbmcosStorage, { bucket: 'Acme_Registry', serviceInstanceCRN: INSTANCE }, 'bucket', 'IBM Cloud Object Storage bucket naming rules');
    expect(problemsOf(planIbmcosStorage, { bukcet: 'acme' } as any)[0].message).toMatch(/did you mean "bucket"\?/);
  });
});

describe('ibmcos through the kinds\' registry', () => {
  it('is listed once, with its Config type', () => {
    expect(STORAGE_KINDS.filter((k) => k.configType === 'ibmcos')).toEqual([IBMCOS_KIND]);
  });

  it('cdk8s: IbmcosRegistryStorage synthesizes a Config the CRD accepts, and the user Secret', () => {
    const chart = new Chart(Testing.app(), 'c');
    new IbmcosRegistryStorage(chart, 'registry', { bucket: 'acme-image-registry', serviceInstanceCRN: INSTANCE, credentials: { iamApiKey: 'k3y' } });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => o.kind).sort()).toEqual(['Config', 'Secret']);
    expect(objects.find((o) => o.kind === 'Config').spec.storage.ibmcos).toEqual({ bucket: 'acme-image-registry', serviceInstanceCRN: INSTANCE });
  });

  it('CLI: synth ibmcos takes its flags and the key from the environment; check reads its Secret', () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), readFile: () => '', readStdin: () => '' };
    expect(runCli(['synth', 'ibmcos', '--bucket', 'acme-image-registry', '--service-instance-crn', INSTANCE], { REGISTRY_STORAGE_IBMCOS_IAMAPIKEY: 'k3y' }, io)).toBe(0);
    expect(out.join('\n')).toContain('REGISTRY_STORAGE_IBMCOS_IAMAPIKEY');
    const config = {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { managementState: 'Managed', replicas: 2, storage: { managementState: 'Unmanaged', ibmcos: { bucket: 'acme-image-registry', serviceInstanceCRN: INSTANCE } } },
    };
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
      stringData: { REGISTRY_STORAGE_IBMCOS_IAM_API_KEY: 'k3y' },
    };
    expect(validateUserSecret('ibmcos', secret).map((p) => p.message)).toContainEqual(expect.stringContaining('rename it to REGISTRY_STORAGE_IBMCOS_IAMAPIKEY'));
    expect(inspectRegistryObjects([config]).problems).toEqual([]);
  });

  it('fleet: on IBM Cloud and Power VS clusters only, with a hub-secret key or the cluster\'s', () => {
    const fleet = planFleet({
      clusters: [
        { name: 'ibm-1', platform: 'ibmcloud', storage: { ibmcos: { bucket: 'acme-ibm-1-registry', serviceInstanceCRN: INSTANCE } } },
        { name: 'pvs-1', platform: 'powervs', credentials: 'hub-secret', storage: { ibmcos: { bucket: 'acme-pvs-1-registry', serviceInstanceCRN: INSTANCE } } },
      ],
    } as any);
    expect(fleet.clusters.map((c) => `${c.name}:${c.kind}:${c.credentials}`)).toEqual(['ibm-1:ibmcos:cluster', 'pvs-1:ibmcos:hub-secret']);
    expect(fleet.clusters[1].hubSecret?.keys).toEqual(['REGISTRY_STORAGE_IBMCOS_IAMAPIKEY']);
    let error: unknown;
    try {
      planFleet({ clusters: [{ name: 'aws-1', platform: 'aws', storage: { ibmcos: { bucket: 'acme-aws-1-registry' } } }] } as any);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetInventoryError);
    expect((error as FleetInventoryError).problems).toEqual([{ path: 'clusters.aws-1.storage.ibmcos', message: expect.stringMatching(/^works on ibmcloud and powervs clusters only/), code: 'ORS-FLEET-029' }]);
  });

  it('the removal Job keeps an ibmcos block', () => {
    expect(removeOtherStorageJsonPatch('ibmcos')[0]).toEqual({ op: 'move', from: '/spec/storage/ibmcos', path: '/spec/storage/ibmcos' });
  });
});
