// Child process: synthesize N clusters' registry manifests (one App each, as a fleet repo does),
// through PvcRegistryStorage ("library") or hand-built ApiObjects ("baseline"). Usage: node cdk8s-fleet-worker.js <library|baseline> <N>
'use strict';
const os = require('os');
const { ApiObject, App, Chart } = require('cdk8s');
const [side, nText] = process.argv.slice(2);
const N = Number(nText);
const { PvcRegistryStorage } = side === 'library' ? require('openshift-registry-storage/cdk8s') : {};

const KEEP = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };

function baseline(chart) {
  const claim = new ApiObject(chart, 'claim', {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name: 'image-registry-pvc', namespace: 'openshift-image-registry', annotations: { 'imageregistry.openshift.io': 'true', ...KEEP } },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, volumeMode: 'Filesystem' },
  });
  const config = new ApiObject(chart, 'config', {
    apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster', annotations: KEEP },
    spec: { managementState: 'Managed', replicas: 1, rolloutStrategy: 'Recreate', storage: { managementState: 'Unmanaged', pvc: { claim: 'image-registry-pvc' } } },
  });
  config.addDependency(claim);
}

function synthOne(i) {
  const app = new App({ outdir: os.tmpdir() });
  const chart = new Chart(app, `cluster-${i}`);
  if (side === 'library') new PvcRegistryStorage(chart, 'registry', {});
  else baseline(chart);
  return app.synthYaml().length;
}

// One warm-up App on each side before timing: one-off loads (the library's CRD schema on its first
// validation, about 30 ms once per process; cdk8s' own lazy modules) stay out of the per-cluster figure.
synthOne(-1);
const start = process.hrtime.bigint();
let bytes = 0;
for (let i = 0; i < N; i++) bytes += synthOne(i);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024, bytes }));
