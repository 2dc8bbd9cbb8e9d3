import { App, Chart } from 'cdk8s';
import { S3RegistryStorage } from 'openshift-registry-storage/cdk8s';

const app = new App();
const chart = new Chart(app, 'registry');
new S3RegistryStorage(chart, 'storage', { bucket: 'acme-image-registry', region: 'eu-west-1' });
app.synth();
