import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { S3RegistryStorage } from 'openshift-registry-storage/cdk8s';

/**
 * The registry on a Ceph RGW bucket. The gateway user's keys are not in Git: create the
 * image-registry-private-configuration-user Secret with REGISTRY_STORAGE_S3_ACCESSKEY and
 * REGISTRY_STORAGE_S3_SECRETKEY outside (External Secrets, Sealed Secrets).
 */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new S3RegistryStorage(this, 'storage', {
      bucket: 'image-registry',
      region: 'us-east-1',
      regionEndpoint: 'https://s3-openshift-storage.apps.example.com',
      trustedCA: 'rgw-ca-bundle',
      disableRedirect: true,
    });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
