import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { GcsRegistryStorage } from 'openshift-registry-storage/cdk8s';

/**
 * The registry on a GCS bucket that Config Connector creates (uniform bucket-level access, public
 * access prevention, the incomplete-upload rule), abandoned rather than deleted with its object. The
 * bucket is in another project than the cluster's, so the registry's own service account (the one
 * installer-cloud-credentials impersonates) is bound on it: no key anywhere.
 */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new GcsRegistryStorage(this, 'storage', {
      bucket: 'acme-image-registry',
      region: 'us-east1',
      projectID: 'acme-registry',
      provision: {
        controller: 'config-connector',
        namespace: 'config-connector',
        registryServiceAccount: 'acme-openshift-i-x1y2z@acme-prod.iam.gserviceaccount.com',
        labels: { team: 'platform' },
      },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
