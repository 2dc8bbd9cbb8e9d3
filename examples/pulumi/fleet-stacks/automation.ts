/**
 * The whole fleet with Pulumi's Automation API: one stack per inventory cluster, created or
 * selected, configured and updated in turn. It drives the Pulumi CLI, so it is an example that is
 * type-checked here, not run (`npx ts-node automation.ts` with the CLI installed and each cluster's
 * kubeconfig in KUBECONFIG_<CLUSTER>, upper-cased with _ for -).
 */
import * as fs from 'fs';
import * as path from 'path';
import { LocalWorkspace } from '@pulumi/pulumi/automation';
import { loadFleetInventory } from 'openshift-registry-storage';

export async function upFleet(inventoryPath = path.join(__dirname, '..', '..', 'fleet', 'inventory.yaml')): Promise<void> {
  const fleet = loadFleetInventory(fs.readFileSync(inventoryPath, 'utf8'));
  for (const cluster of fleet.clusters) {
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: cluster.name, workDir: __dirname });
    await stack.setConfig('cluster', { value: cluster.name });
    const kubeconfig = process.env[`KUBECONFIG_${cluster.name.toUpperCase().replace(/-/g, '_')}`];
    if (!kubeconfig) throw new Error(`no KUBECONFIG_${cluster.name.toUpperCase().replace(/-/g, '_')} for cluster ${cluster.name}`);
    await stack.setConfig('kubeconfig', { value: fs.readFileSync(kubeconfig, 'utf8'), secret: true });
    // One cluster at a time: a failure stops the loop before it reaches the next cluster.
    const result = await stack.up({ onOutput: (line) => process.stdout.write(`[${cluster.name}] ${line}`) });
    process.stdout.write(`[${cluster.name}] ${result.summary.result}\n`);
  }
}

if (require.main === module) {
  upFleet().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
