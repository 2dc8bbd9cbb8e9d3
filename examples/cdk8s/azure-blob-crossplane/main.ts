import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AzureRegistryStorage } from 'openshift-registry-storage/cdk8s';

/**
 * The registry on an Azure storage account that Crossplane's Azure provider creates in the cluster's
 * resource group (StorageV2, HTTPS only, TLS 1.2, no public blob access, a private container),
 * orphaned rather than deleted with its objects. The cluster uses Azure Workload Identity: no shared
 * key on the account, no key anywhere.
 */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new AzureRegistryStorage(this, 'storage', {
      accountName: 'acmeregistry',
      provision: {
        controller: 'crossplane',
        resourceGroupName: 'acme-ocp-x1y2z-rg',
        clusterResourceGroupName: 'acme-ocp-x1y2z-rg',
        location: 'westeurope',
        workloadIdentity: true,
      },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
