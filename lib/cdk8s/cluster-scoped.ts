import { ApiObject, Chart, JsonPatch } from 'cdk8s';

/** @internal Removes the namespace cdk8s stamps from the chart on a cluster-scoped object. */
export function clusterScoped(obj: ApiObject): void {
  if (Chart.of(obj).namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}
