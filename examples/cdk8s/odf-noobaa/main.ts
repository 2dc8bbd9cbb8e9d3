import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { S3RegistryStorage } from 'openshift-registry-storage/cdk8s';

/**
 * The registry on OpenShift Data Foundation's Multicloud Object Gateway (NooBaa): an
 * ObjectBucketClaim, and a Job that copies the claim's keys into the registry's Secret in the
 * cluster, so the manifests hold no key. `router-ca` is a ConfigMap in openshift-config with the
 * router's CA under ca-bundle.crt.
 */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new S3RegistryStorage(this, 'storage', {
      bucket: 'acme-ocp-image-registry',
      regionEndpoint: 'https://s3-openshift-storage.apps.acme.example.com',
      trustedCA: 'router-ca',
      provision: { controller: 'object-bucket-claim' },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
