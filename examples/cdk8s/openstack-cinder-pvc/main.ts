import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { PvcRegistryStorage } from 'openshift-registry-storage/cdk8s';

/** The OpenShift docs' Cinder example: StorageClass, csi-pvc-imageregistry (RWO, 100Gi), 1 replica, Recreate. */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new PvcRegistryStorage(this, 'storage', { claim: 'csi-pvc-imageregistry', cinder: { availabilityZone: 'nova' } });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
