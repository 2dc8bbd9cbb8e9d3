import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { PvcRegistryStorage } from 'openshift-registry-storage/cdk8s';

/** HA registry on bare metal: a ReadWriteMany CephFS claim and 2 replicas. */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new PvcRegistryStorage(this, 'storage', { accessMode: 'ReadWriteMany', replicas: 2, size: '500Gi', storageClassName: 'ocs-storagecluster-cephfs' });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
