/**
 * Which objects the library emits are namespaced. A namespaced object without `metadata.namespace`
 * lands in whatever namespace the tool applying it defaults to (`oc apply`: the context's), Argo CD
 * refuses the whole sync ("Namespace for ... is missing", argo-cd `controller/state.go`), and ACM
 * reports it NonCompliant ("namespaced object ... has no namespace specified",
 * config-policy-controller `configurationpolicy_controller.go`) while enforcing the rest of the
 * policy: the Config without the bucket it names.
 */
import { KubernetesManifest } from './plan';
import { RegistryConfigProblem } from './problems';

/**
 * Cluster-scoped kinds, as `<group>/<kind>` (`''` for the core group): Kubernetes' own, and the
 * `spec.scope` of every CRD the library renders (vendor/openshift-api, vendor/controllers-crds).
 * Everything else is namespaced.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  '/Namespace', '/PersistentVolume', '/Node',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass', 'apiextensions.k8s.io/CustomResourceDefinition',
  'imageregistry.operator.openshift.io/Config', 'imageregistry.operator.openshift.io/ImagePruner',
  'config.openshift.io/Infrastructure', 'config.openshift.io/ClusterVersion', 'config.openshift.io/Proxy',
  // provider-upjet-azure: managed resources are cluster-scoped, and so is the ProviderConfig
  'storage.azure.upbound.io/Account', 'storage.azure.upbound.io/Container', 'azure.upbound.io/ProviderConfig', 'authorization.azure.upbound.io/RoleAssignment',
  'cluster.open-cluster-management.io/ManagedCluster', 'cluster.open-cluster-management.io/ManagedClusterSet',
]);

/** True when objects of this `apiVersion` and `kind` live in a namespace. */
export function isNamespaced(apiVersion: string, kind: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return !CLUSTER_SCOPED_KINDS.has(`${group}/${kind}`);
}

/**
 * A problem for each namespaced object without a namespace, naming the object and the fix.
 * @param where names an object in the problem's path (its construct path, its List item)
 */
export function missingNamespaceProblems(objects: readonly KubernetesManifest[], where: (o: KubernetesManifest, i: number) => string,
  fix = 'give the Chart a namespace, or the construct\'s namespace prop (provision.namespace for controller objects)'): RegistryConfigProblem[] {
  const problems: RegistryConfigProblem[] = [];
  objects.forEach((o, i) => {
    if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string' || !isNamespaced(o.apiVersion, o.kind)) return;
    if (typeof o.metadata?.namespace === 'string' && o.metadata.namespace !== '') return;
    problems.push({
      path: where(o, i),
      message: `${o.kind} ${o.metadata?.name ?? ''} is namespaced and has no namespace: oc apply would put it in the current context's namespace, `
        + `Argo CD refuses the whole sync and ACM enforces the rest without it; ${fix}`,
      code: 'ORS-CORE-002',
    });
  });
  return problems;
}
