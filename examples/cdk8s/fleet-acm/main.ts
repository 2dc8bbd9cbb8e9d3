import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { loadFleetInventory } from 'openshift-registry-storage';
import { AcmRegistryStorageFleet } from 'openshift-registry-storage/cdk8s';

/**
 * The registry storage of a whole fleet, on the Advanced Cluster Management hub: one Policy per
 * storage profile (clusters whose objects differ only in their own values share one), placed by
 * cluster name. `inform` reports every cluster whose registry storage differs from the inventory
 * (a Config changed by hand shows as NonCompliant); switch to `enforce` to create and correct.
 * Apply to the hub: oc apply -f dist/manifests/fleet-acm.yaml
 */
export class RegistryChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const fleet = loadFleetInventory(fs.readFileSync(path.join(__dirname, '..', '..', 'fleet', 'inventory.yaml'), 'utf8'));
    new AcmRegistryStorageFleet(this, 'fleet', { fleet, remediationAction: 'inform' });
  }
}

if (require.main === module) {
  const app = new App();
  new RegistryChart(app, 'fleet-acm');
  app.synth();
}
