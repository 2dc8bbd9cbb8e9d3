/**
 * The main job, offline: prints every platform's core plan (Config, Secret with values redacted,
 * StorageClass, PVC) as the YAML a cluster would receive. No cloud account, no cluster.
 */
import { stringify } from 'yaml';
import {
  planAzureStorage, planEmptyDirStorage, planGcsStorage, planPvcStorage, planS3Storage, planSwiftStorage,
  registryConfig, RegistryStoragePlan, validateRegistryConfig,
} from '../lib';

const REDACTED = '<redacted>';

const plans: Array<[string, RegistryStoragePlan]> = [
  ['aws-s3', planS3Storage({ bucket: 'acme-image-registry', region: 'eu-west-1' })],
  ['aws-s3-compatible (Ceph RGW)', planS3Storage({
    bucket: 'image-registry',
    region: 'us-east-1',
    regionEndpoint: 'https://s3-openshift-storage.apps.example.com',
    trustedCA: 'rgw-ca',
    disableRedirect: true,
    credentials: { accessKey: REDACTED, secretKey: REDACTED },
  })],
  ['gcp-gcs', planGcsStorage({ bucket: 'acme-image-registry', region: 'us-east1', projectID: 'acme-prod' })],
  ['azure-blob (US Government)', planAzureStorage({
    accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud', credentials: { accountKey: REDACTED },
  })],
  ['openstack-swift', planSwiftStorage({
    container: 'image-registry',
    authURL: 'https://keystone.example.com:5000/v3',
    domain: 'Default',
    tenant: 'registry',
    regionName: 'RegionOne',
    credentials: { username: REDACTED, password: REDACTED },
  })],
  ['openstack-cinder-pvc', planPvcStorage({ claim: 'csi-pvc-imageregistry', cinder: { availabilityZone: 'nova' } })],
  ['baremetal-pvc (ReadWriteMany, 2 replicas)', planPvcStorage({ accessMode: 'ReadWriteMany', replicas: 2, storageClassName: 'ocs-storagecluster-cephfs' })],
  ['emptydir (lab only)', planEmptyDirStorage({ acknowledgeNonProduction: true })],
];

let failed = false;
for (const [name, plan] of plans) {
  const config = registryConfig(plan.spec);
  const problems = validateRegistryConfig(config);
  failed ||= problems.length > 0;
  const docs = [...plan.objects, ...(plan.secret ? [plan.secret] : []), config];
  console.log(`# ---- ${name}: ${plan.storageType}, ${problems.length === 0 ? 'valid against the CRD' : `${problems.length} problems`}`);
  for (const p of problems) console.log(`# ! ${p.path}: ${p.message}`);
  console.log(docs.map((d) => stringify(d, { sortMapEntries: false }).trimEnd()).join('\n---\n'));
  console.log('---');
}
process.exit(failed ? 1 : 0);
