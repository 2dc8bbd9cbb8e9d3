// Child process: a fleet inventory of N clusters (a mix of AWS S3, GCS, Swift with hub Secrets,
// ObjectBucketClaims and PVCs), validated and synthesized into the ACM hub objects and the Argo CD
// folders. Usage: node fleet-inventory-worker.js <acm|argocd|yaml> <N>. "yaml" is the floor: loading
// the same inventory and writing the same ACM YAML with js-yaml alone.
'use strict';
const jsyaml = require('js-yaml');
const [what, nText] = process.argv.slice(2);
const N = Number(nText);

function inventory(n) {
  const clusters = [];
  for (let i = 0; i < n; i++) {
    const name = `cluster-${String(i).padStart(4, '0')}`;
    const mix = i % 20;
    if (mix < 8) clusters.push({ name, platform: 'aws', region: ['eu-west-1', 'us-east-1', 'ap-southeast-2'][i % 3], storage: { s3: { bucket: `acme-${name}-image-registry`, encrypt: true } } });
    else if (mix < 12) clusters.push({ name, platform: 'gcp', region: 'europe-west4', storage: { gcs: { bucket: `acme-${name}-image-registry`, projectID: 'acme-fleet' } } });
    else if (mix < 14) clusters.push({ name, platform: 'openstack', credentials: 'hub-secret', storage: { swift: { container: `${name}-image-registry`, authURL: `https://keystone.${name}.acme.example.com:5000/v3` } } });
    else if (mix < 17) clusters.push({ name, platform: 'baremetal', storage: { objectBucketClaim: { bucket: `acme-${name}-image-registry`, regionEndpoint: `https://s3-openshift-storage.apps.${name}.acme.example.com`, storageClassName: 'ocs-storagecluster-ceph-rgw' } } });
    else clusters.push({ name, platform: 'vsphere', storage: { pvc: { claim: 'image-registry-storage', size: '100Gi' } } });
  }
  return jsyaml.dump({ defaults: { credentials: 'cluster' }, clusters });
}

const text = inventory(N);
const t0 = process.hrtime.bigint();
let bytes = 0;
let profiles = 0;
if (what === 'yaml') {
  const doc = jsyaml.load(text);
  // The same number of objects, each about as large, written as YAML: what any tool must pay.
  const out = doc.clusters.map((c) => jsyaml.dump({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { storage: c.storage } }));
  bytes = out.join('---\n').length;
} else {
  const { loadFleetInventory } = require('openshift-registry-storage');
  const cdk8s = require('openshift-registry-storage/cdk8s');
  const fleet = loadFleetInventory(text);
  if (what === 'acm') {
    const yaml = cdk8s.synthAcmFleetYaml(fleet, { remediationAction: 'inform' });
    bytes = yaml.length;
    profiles = (yaml.match(/^kind: Policy$/gm) || []).length;
  } else {
    const { files } = cdk8s.argoCdFleetFiles(fleet, { repoURL: 'https://git.example.com/fleet.git' });
    bytes = Object.values(files).reduce((n, f) => n + f.length, 0);
  }
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write(JSON.stringify({ ms, bytes, profiles, rssMiB: process.resourceUsage().maxRSS / 1024 }));
