import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { S3RegistryStorage } from 'openshift-registry-storage/cdk8s';

/**
 * The registry on an S3 bucket that the ACK s3-controller creates, hardened (public access blocked,
 * BucketOwnerEnforced, SSE-S3, the incomplete-upload rule, TLS only) and kept when the Bucket object
 * goes. The registry uses the cluster's own AWS identity: no key anywhere. Needs the ACK s3-controller
 * watching the `ack-system` namespace.
 */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new S3RegistryStorage(this, 'storage', {
      bucket: 'acme-image-registry',
      region: 'eu-west-1',
      tags: { team: 'platform' },
      provision: { controller: 'ack', namespace: 'ack-system' },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
