import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { S3RegistryStorage } from 'openshift-registry-storage/cdk8s';

/**
 * The registry on OpenShift Data Foundation's Ceph RGW: an ObjectBucketClaim of the RGW bucket class,
 * and a Job that copies the claim's keys into the registry's Secret in the cluster, so the manifests
 * hold no key.
 */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new S3RegistryStorage(this, 'storage', {
      bucket: 'acme-ocp-image-registry',
      regionEndpoint: 'https://ocs-storagecluster-cephobjectstore-openshift-storage.apps.acme.example.com',
      trustedCA: 'router-ca',
      provision: { controller: 'object-bucket-claim', storageClassName: 'ocs-storagecluster-ceph-rgw' },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
