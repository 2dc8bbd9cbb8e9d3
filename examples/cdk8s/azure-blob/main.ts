import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AzureRegistryStorage } from 'openshift-registry-storage/cdk8s';

/** The registry on an existing account and container; the operator uses the cluster's credentials. */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new AzureRegistryStorage(this, 'storage', { accountName: 'acmeregistry', container: 'image-registry' });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
