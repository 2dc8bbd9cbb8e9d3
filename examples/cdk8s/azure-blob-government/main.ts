import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AzureRegistryStorage } from 'openshift-registry-storage/cdk8s';

/**
 * The registry on Azure Government. The account key goes into the
 * image-registry-private-configuration-user Secret (key REGISTRY_STORAGE_AZURE_ACCOUNTKEY), managed
 * outside Git.
 */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new AzureRegistryStorage(this, 'storage', { accountName: 'acmegovregistry', container: 'image-registry', cloudName: 'AzureUSGovernmentCloud' });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
