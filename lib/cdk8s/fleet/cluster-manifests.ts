/**
 * The objects one cluster of a fleet gets: its own construct, synthesized and checked in an App of
 * its own. Both fleet outputs (ACM, Argo CD) place these objects and change nothing in them.
 */
import { App, Chart } from 'cdk8s';
import { KubernetesManifest } from '../../core/plan';
import { FleetClusterPlan } from '../../fleet/inventory';
import { KIND_CONSTRUCTS } from '../kind-constructs';
import { PRINT_WARNINGS_CONTEXT } from '../registry-storage';

/**
 * The objects one cluster of the fleet gets: its construct synthesized in an App of its own and
 * checked as `app.synth()` checks it (the construct's rules, the controllers' CRDs). Throws with
 * the cluster's name when a check fails.
 */
export function fleetClusterManifests(cluster: FleetClusterPlan): KubernetesManifest[] {
  const app = new App({ outdir: '/nonexistent-never-written' });
  app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
  const chart = new Chart(app, cluster.name);
  KIND_CONSTRUCTS[cluster.kind](chart, 'storage', cluster.props);
  const errors = app.node.findAll().flatMap((c) => c.node.validate().map((e) => `${c.node.path}: ${e}`));
  if (errors.length > 0) throw new Error(`cluster ${cluster.name}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n  - ${errors.join('\n  - ')}`);
  return chart.toJson();
}
