import { App, Chart } from 'cdk8s';
import { S3RegistryStorage } from 'openshift-registry-storage/cdk8s';

const app = new App();
const chart = new Chart(app, 'registry');
// Synced by Argo CD: the sync waves order the copy, the read-only window, the checks and the switch.
new S3RegistryStorage(chart, 'storage', {
  bucket: 'acme-image-registry',
  region: 'eu-west-1',
  migrateFrom: { pvc: { claim: 'image-registry-storage' } },
});
app.synth();
