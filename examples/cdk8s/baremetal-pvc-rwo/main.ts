import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { PvcRegistryStorage } from 'openshift-registry-storage/cdk8s';

/** Single-replica registry on a ReadWriteOnce volume (LVM Storage, vSphere CSI, ...). */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new PvcRegistryStorage(this, 'storage', { storageClassName: 'lvms-vg1' });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
