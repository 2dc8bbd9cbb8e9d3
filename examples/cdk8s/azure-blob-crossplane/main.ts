import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AzureRegistryStorage } from 'openshift-registry-storage/cdk8s';

/**
 * The registry on an Azure storage account that Crossplane's Azure provider creates in the cluster's
 * resource group (StorageV2, HTTPS only, TLS 1.2, no public blob access, a private container),
 * orphaned rather than deleted with its objects. The cluster uses Azure Workload Identity: no shared
 * key on the account, no key anywhere. So Crossplane must reach the Blob data plane through Azure
 * AD: a ProviderConfig with `storageUseAzureAD: true`, and the Blob data role for the provider's
 * identity on the account, both emitted here (`azureAD`).
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
        azureAD: {
          principalId: '00000000-0000-0000-0000-00000000c0de', // the Crossplane provider's identity (object ID)
          subscriptionID: '00000000-0000-0000-0000-000000000001',
          providerConfig: { clientID: '00000000-0000-0000-0000-00000000c11e', tenantID: '00000000-0000-0000-0000-0000000000aa' },
        },
      },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
