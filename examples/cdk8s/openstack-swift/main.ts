import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { SwiftRegistryStorage } from 'openshift-registry-storage/cdk8s';

/**
 * The registry on Swift with a user's password kept outside Git: create the
 * image-registry-private-configuration-user Secret with REGISTRY_STORAGE_SWIFT_USERNAME (not _USER)
 * and REGISTRY_STORAGE_SWIFT_PASSWORD. The auth URL, domain and tenant must be in the Config.
 */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new SwiftRegistryStorage(this, 'storage', {
      container: 'image-registry',
      authURL: 'https://keystone.example.com:5000/v3',
      domain: 'Default',
      tenant: 'openshift',
      regionName: 'RegionOne',
    });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'registry');
  app.synth();
}
