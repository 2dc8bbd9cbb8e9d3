import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { EmptyDirRegistryStorage } from 'openshift-registry-storage/cdk8s';

/** Lab only: every image is lost whenever the registry pod restarts. */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new EmptyDirRegistryStorage(this, 'storage', { acknowledgeNonProduction: true });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
