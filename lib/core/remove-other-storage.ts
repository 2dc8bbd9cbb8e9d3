import { FIELD_MANAGER, REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME } from './constants';
import { checkKeep, checkPropsShape, KubernetesManifest, optionalBoolean, PropNames, RegistryStorageType, removeOtherStorageJsonPatch } from './plan';
import { Problems, show } from './problems';

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

/** Every namespace the library's Jobs run in starts with this: one of the library's own. */
export const JOB_NAMESPACE_PREFIX = 'registry-storage-';

/**
 * @internal Refuses a namespace for the library's own Jobs that is not a DNS label starting with
 * {@link JOB_NAMESPACE_PREFIX}. The Jobs' Namespace is created and deleted with them (Argo CD
 * deletes a hook's Namespace after the hook, and before the next one; Pulumi with the stack),
 * which would take everything else in it: an allowlist, since no list of the cluster's namespaces
 * (`openshift-*`, `kube-*`, `argocd`, `open-cluster-management`, `cert-manager`...) is complete.
 */
export function jobNamespaceProblems(problems: Problems, path: string, namespace: unknown, example: string = DEFAULT_JOB_NAMESPACE): void {
  if (!isKubernetesName(namespace)) {
    problems.add(path, `must be a namespace name (a DNS label: lowercase letters, digits and hyphens, at most 63), got ${show(namespace)}`);
  } else if (!namespace.startsWith(JOB_NAMESPACE_PREFIX) || namespace.length === JOB_NAMESPACE_PREFIX.length) {
    problems.add(path, `must be a namespace of the Jobs' own, starting with "${JOB_NAMESPACE_PREFIX}", got ${show(namespace)}: it is created and deleted `
      + `with the Jobs, which would take everything else in it. Use e.g. "${example}"`);
  }
}

/** @internal The names of {@link RemoveOtherStorageOptions}. */
export const REMOVE_OTHER_STORAGE_OPTION_NAMES: PropNames<RemoveOtherStorageOptions> = {
  image: true, namespace: true, annotations: true, removeStaleUserSecret: true, name: true,
};

/** @internal A Kubernetes object name that is also a DNS label (what the Jobs' names and a claim's name must be). */
export function isKubernetesName(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v);
}

/**
 * @internal The options every Job of this library takes: `image` a non-empty string without
 * whitespace, `namespace` one of the Jobs' own, `annotations` strings.
 */
export function jobOptionProblems(problems: Problems, options: { image?: unknown; namespace?: unknown; annotations?: unknown },
  defaultNamespace = DEFAULT_JOB_NAMESPACE): void {
  if (options.image !== undefined && (typeof options.image !== 'string' || options.image === '' || /\s/.test(options.image))) {
    problems.add('image', `must be an image reference (no spaces), got ${show(options.image)}`);
  }
  if (options.namespace !== undefined) jobNamespaceProblems(problems, 'namespace', options.namespace, defaultNamespace);
  const a = options.annotations;
  if (a !== undefined && (typeof a !== 'object' || a === null || Array.isArray(a) || Object.values(a).some((x) => typeof x !== 'string'))) {
    problems.add('annotations', `must map names to strings, got ${show(a)}`);
  }
}

/** How long the removal Job may run, all retries included, before it is marked Failed. */
export const REMOVAL_JOB_DEADLINE_SECONDS = 600;

/** Namespace the removal Job runs in by default. */
export const DEFAULT_JOB_NAMESPACE = 'registry-storage-jobs';

/** ImageStream, in the Job's namespace, that tracks the release payload's `openshift/cli:latest`. */
export const CLI_IMAGE_STREAM = 'registry-storage-cli';

/** Pod-template annotation that makes OpenShift resolve `image` through a local ImageStream. */
export const RESOLVE_NAMES_ANNOTATION = 'alpha.image.policy.openshift.io/resolve-names';

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
    problems.add('name', `must be a Kubernetes name (lowercase letters, digits and hyphens, at most 63), got ${show(options.name)}`);
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

/**
 * @internal What a Job of this library needs in its own namespace: the Namespace; unless `image` is
 * given, the ImageStream tracking the payload's `openshift/cli:latest` (by digest, with local
 * lookup); and a NetworkPolicy allowing the Job's pods (label `app.kubernetes.io/name: <name>`)
 * egress on TCP 443 and 6443, the API server's ports (to any destination: no peer is named, see
 * {@link removeOtherStorageObjects}).
 */
export function jobRuntimeObjects(name: string, namespace: string, image: string | undefined,
  meta: (objectName: string, namespaced: boolean) => KubernetesManifest['metadata']): KubernetesManifest[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(namespace, false) },
    ...(image === undefined ? [{
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: meta(CLI_IMAGE_STREAM, true),
      spec: {
        lookupPolicy: { local: true },
        tags: [{
          name: 'latest',
          from: { kind: 'ImageStreamTag', namespace: 'openshift', name: 'cli:latest' },
          referencePolicy: { type: 'Source' },
        }],
      },
    }] : []),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(name, true),
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
        policyTypes: ['Egress'],
        egress: [{ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }],
      },
    },
  ];
}

/**
 * @internal A Job of this library running `oc`: ServiceAccount `name`, pod label
 * `app.kubernetes.io/name: <name>` (what the NetworkPolicy of {@link jobRuntimeObjects} selects),
 * non-root with a read-only root filesystem and an emptyDir `HOME`, retried 4 times. Without
 * `image`, `oc` is the payload's, resolved through the ImageStream of {@link jobRuntimeObjects}.
 *
 * No `ttlSecondsAfterFinished`: a Job that GitOps or ACM keep as an ordinary object and the TTL
 * controller deletes is Missing to them, and re-created on every self-heal (argo-cd#8586, #13851);
 * Pulumi would re-create it on every `pulumi up --refresh`. Argo CD hooks are deleted by their
 * `hook-delete-policy` instead, and Pulumi deletes its Jobs with the stack.
 */
export function ocJob(name: string, metadata: KubernetesManifest['metadata'], container: string, command: readonly string[],
  image: string | undefined, activeDeadlineSeconds: number): KubernetesManifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      backoffLimit: 4,
      // Bounded however its pods fail or hang (an image that never pulls counts too).
      activeDeadlineSeconds,
      template: {
        metadata: {
          labels: { 'app.kubernetes.io/name': name },
          ...(image === undefined ? { annotations: { [RESOLVE_NAMES_ANNOTATION]: '*' } } : {}),
        },
        spec: {
          serviceAccountName: name,
          restartPolicy: 'Never',
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: container,
            image: image ?? `${CLI_IMAGE_STREAM}:latest`,
            command: [...command],
            env: [{ name: 'HOME', value: '/tmp' }],
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
            resources: { requests: { cpu: '10m', memory: '64Mi' } },
          }],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  } as KubernetesManifest;
}
