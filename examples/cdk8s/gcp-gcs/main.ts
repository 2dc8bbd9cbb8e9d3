import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { GcsRegistryStorage } from 'openshift-registry-storage/cdk8s';

/** The registry on an existing GCS bucket; the operator uses the cluster's credentials. */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new GcsRegistryStorage(this, 'storage', { bucket: 'acme-image-registry', region: 'us-east1', projectID: 'acme-prod' });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
