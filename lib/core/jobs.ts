/**
 * The library's in-cluster Jobs, whatever they do: their namespace (one of their own), the payload's
 * `oc` through an ImageStream, the egress policy to the API server, and the hardened Job running `oc`.
 */
import { KubernetesManifest } from './model';
import { Problems, show } from './problems';

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
    problems.add(path, `must be a namespace name (a DNS label: lowercase letters, digits and hyphens, at most 63), got ${show(namespace)}`, 'ORS-JOB-001');
  } else if (!namespace.startsWith(JOB_NAMESPACE_PREFIX) || namespace.length === JOB_NAMESPACE_PREFIX.length) {
    problems.add(path, `must be a namespace of the Jobs' own, starting with "${JOB_NAMESPACE_PREFIX}", got ${show(namespace)}: it is created and deleted `
      + `with the Jobs, which would take everything else in it. Use e.g. "${example}"`, 'ORS-JOB-002');
  }
}

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
    problems.add('image', `must be an image reference (no spaces), got ${show(options.image)}`, 'ORS-JOB-003');
  }
  if (options.namespace !== undefined) jobNamespaceProblems(problems, 'namespace', options.namespace, defaultNamespace);
  const a = options.annotations;
  if (a !== undefined && (typeof a !== 'object' || a === null || Array.isArray(a) || Object.values(a).some((x) => typeof x !== 'string'))) {
    problems.add('annotations', `must map names to strings, got ${show(a)}`, 'ORS-JOB-004');
  }
}

/** Namespace the removal Job runs in by default. */
export const DEFAULT_JOB_NAMESPACE = 'registry-storage-jobs';

/** ImageStream, in the Job's namespace, that tracks the release payload's `openshift/cli:latest`. */
export const CLI_IMAGE_STREAM = 'registry-storage-cli';

/** Pod-template annotation that makes OpenShift resolve `image` through a local ImageStream. */
export const RESOLVE_NAMES_ANNOTATION = 'alpha.image.policy.openshift.io/resolve-names';

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
