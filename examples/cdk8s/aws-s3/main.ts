import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { S3RegistryStorage } from 'openshift-registry-storage/cdk8s';

/** The registry on an existing S3 bucket; the operator uses the cluster's AWS credentials. */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new S3RegistryStorage(this, 'storage', { bucket: 'acme-image-registry', region: 'eu-west-1' });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
