import { FIELD_MANAGER, REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME } from './constants';
import { DEFAULT_JOB_NAMESPACE, isKubernetesName, jobOptionProblems, jobRuntimeObjects, ocJob } from './jobs';
import { checkKeep, checkPropsShape, KubernetesManifest, optionalBoolean, PropNames, RegistryStorageType, removeOtherStorageJsonPatch } from './plan';
import { Problems, show } from './problems';

export {
  CLI_IMAGE_STREAM, DEFAULT_JOB_NAMESPACE, isKubernetesName, JOB_NAMESPACE_PREFIX, jobNamespaceProblems, jobOptionProblems, jobRuntimeObjects, ocJob,
  RESOLVE_NAMES_ANNOTATION,
} from './jobs';

/** Options of {@link removeOtherStorageObjects}. */
export interface RemoveOtherStorageOptions {
  /**
   * Image with the `oc` client. Give a digest your cluster can pull (on disconnected clusters, one
   * your mirror sets cover).
   *
   * @default unset: the release payload's own `cli` image, resolved in the cluster from the
   * `cli:latest` ImageStream tag in namespace `openshift` (a digest, so the mirror sets of a
   * disconnected cluster cover it)
   */
  readonly image?: string;
  /**
   * Namespace the Job runs in, created and deleted with it, so one of its own: its name starts with
   * `registry-storage-`. Not `openshift-image-registry`: that namespace
   * denies all ingress and egress by default (the operator's `08-default-deny-all-networkpolicy.yaml`),
   * so the Job could not reach the API server there.
   * @default 'registry-storage-jobs'
   */
  readonly namespace?: string;
  /** Extra annotations on every object (Argo CD hooks). @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Also delete `image-registry-private-configuration-user` when this library wrote it (its
   * managed fields name the field manager `openshift-registry-storage`) and no longer does: the
   * registry moves to the cluster's identity, and the Secret, kept on delete, would otherwise
   * override it with keys that are about to be deleted. A Secret written by anyone else stays.
   * Adds a Role in `openshift-image-registry` allowing `get` and `delete` on that Secret only.
   * @default false
   */
  readonly removeStaleUserSecret?: boolean;
  /**
   * Name of the ServiceAccount, ClusterRole, ClusterRoleBinding, NetworkPolicy and Job (and the
   * pods' `app.kubernetes.io/name` label). Cluster-scoped names are shared by the whole cluster: two
   * programs, or two components in one Pulumi stack while one replaces the other, need names of
   * their own.
   * @default 'registry-storage-keep-<type>'
   */
  readonly name?: string;
}

/** @internal The names of {@link RemoveOtherStorageOptions}. */
export const REMOVE_OTHER_STORAGE_OPTION_NAMES: PropNames<RemoveOtherStorageOptions> = {
  image: true, namespace: true, annotations: true, removeStaleUserSecret: true, name: true,
};


/** How long the removal Job may run, all retries included, before it is marked Failed. */
export const REMOVAL_JOB_DEADLINE_SECONDS = 600;

/**
 * The objects that remove every storage block but `keep` from the `cluster` Config, in the
 * cluster, in apply order:
 * - a Namespace of their own. The Config is cluster-scoped, so the Job need not run in
 *   `openshift-image-registry`, whose default-deny NetworkPolicy (ingress and egress) would keep
 *   it from the API server;
 * - unless `image` is given, an ImageStream whose `latest` tag copies `openshift/cli:latest` (the
 *   release payload's `oc`, by digest) with local lookup, so that the Job's `image:
 *   registry-storage-cli:latest` resolves to that digest when the Job is admitted (OpenShift's
 *   ImagePolicy plugin rewrites `batch/jobs`). The tag is a snapshot: the API server resolves a
 *   cross-namespace `ImageStreamTag` source once, when the tag is created or changed
 *   (openshift-apiserver `pkg/image/apiserver/registry/imagestream/strategy.go`), so after a cluster
 *   upgrade the Job still runs the `oc` of the release it was created on. On a disconnected cluster
 *   whose mirror drops old releases, give `image` (a digest the mirror has), or delete the
 *   ImageStream so the next apply copies the current tag;
 * - a NetworkPolicy allowing the Job's pods egress on TCP 443 and 6443 (the API server's ports), so
 *   the Job still works where a default-deny policy is added to every namespace. The rule names
 *   ports, not peers: the API server's addresses differ per cluster (HyperShift, OVN-Kubernetes'
 *   host network), so the pods may reach any destination on those two ports;
 * - a ServiceAccount, a ClusterRole allowing only `get` and `patch` on the `cluster` Config, and
 *   its binding;
 * - the Job, running `oc patch --type=json` with {@link removeOtherStorageJsonPatch}: it removes
 *   every other block, or, when the live Config has no `keep` block (its apply failed, or a webhook
 *   denied it), fails and leaves the Config as it found it.
 *
 * Apply them *after* the Config: with two blocks the operator only waits ("exactly one storage
 * type"), while a Config with no block makes it bootstrap its platform default (a new bucket on AWS).
 *
 * @see https://docs.openshift.com/container-platform/latest/openshift_images/using-imagestreams-with-kube-resources.html
 * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/manifests/08-default-deny-all-networkpolicy.yaml
 */
export function removeOtherStorageObjects(keep: RegistryStorageType, options: RemoveOtherStorageOptions = {}): KubernetesManifest[] {
  keep = checkKeep('removeOtherStorageObjects', keep);
  options = checkPropsShape('removeOtherStorageObjects', options, REMOVE_OTHER_STORAGE_OPTION_NAMES);
  const problems = new Problems();
  jobOptionProblems(problems, options);
  optionalBoolean(problems, 'removeStaleUserSecret', options.removeStaleUserSecret);
  if (options.name !== undefined && !isKubernetesName(options.name)) {
    problems.add('name', `must be a Kubernetes name (lowercase letters, digits and hyphens, at most 63), got ${show(options.name)}`, 'ORS-JOB-006');
  }
  problems.throwIfAny('removeOtherStorageObjects');
  const patch = ['oc', 'patch', `configs.imageregistry.operator.openshift.io/${REGISTRY_CONFIG_NAME}`, '--type=json', '-p',
    JSON.stringify(removeOtherStorageJsonPatch(keep))];
  const secret = `secret/${REGISTRY_USER_SECRET_NAME} -n ${REGISTRY_NAMESPACE}`;
  // After the patch; only a Secret this library's field manager wrote: one manager a line (a name
  // with spaces, "x openshift-registry-storage", is not split into a match).
  const command = options.removeStaleUserSecret ? ['/bin/sh', '-ec', `${patch.map(shellQuote).join(' ')}
if oc get ${secret} -o 'jsonpath={range .metadata.managedFields[*]}{.manager}{"\\n"}{end}' 2>/dev/null | grep -qxF ${FIELD_MANAGER}; then
  oc delete ${secret}
fi`] : patch;
  const name = options.name ?? `registry-storage-keep-${keep.toLowerCase()}`;
  const namespace = options.namespace ?? DEFAULT_JOB_NAMESPACE;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'openshift-registry-storage' };
  const annotations = options.annotations && Object.keys(options.annotations).length > 0 ? { ...options.annotations } : undefined;
  const meta = (objectName: string, namespaced: boolean) => ({
    name: objectName, ...(namespaced ? { namespace } : {}), labels, ...(annotations ? { annotations } : {}),
  });
  return [
    ...jobRuntimeObjects(name, namespace, options.image, meta),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name, true) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(name, false),
      rules: [{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: [REGISTRY_CONFIG_NAME], verbs: ['get', 'patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(name, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    ...(options.removeStaleUserSecret ? [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { ...meta(name, true), namespace: REGISTRY_NAMESPACE },
        rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [REGISTRY_USER_SECRET_NAME], verbs: ['get', 'delete'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { ...meta(name, true), namespace: REGISTRY_NAMESPACE },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace }],
      },
    ] : []),
    ocJob(name, meta(name, true), 'patch', command, options.image, REMOVAL_JOB_DEADLINE_SECONDS),
  ];
}

/** Quotes a word for a POSIX shell. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
