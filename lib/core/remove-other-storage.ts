import { REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE } from './constants';
import { KubernetesManifest, RegistryStorageType, removeOtherStorageMergePatch } from './plan';

/** Options of {@link removeOtherStorageObjects}. */
export interface RemoveOtherStorageOptions {
  /**
   * Image with the `oc` client. Pin a digest in production.
   * @default 'registry.redhat.io/openshift4/ose-cli:latest'
   */
  readonly image?: string;
  /** Extra annotations on every object (Argo CD hooks, Pulumi await settings). @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Default image of the Job that removes other storage types. */
export const DEFAULT_CLI_IMAGE = 'registry.redhat.io/openshift4/ose-cli:latest';

/**
 * The objects that remove every storage block but `keep` from the `cluster` Config, in the
 * cluster: a ServiceAccount, a ClusterRole allowing only `get` and `patch` on that one Config, its
 * binding, and a Job running `oc patch --type=merge` with {@link removeOtherStorageMergePatch}.
 *
 * Apply them *after* the Config: with two blocks the operator only waits ("exactly one storage
 * type"), while a Config with no block makes it bootstrap its platform default (a new bucket on AWS).
 */
export function removeOtherStorageObjects(keep: RegistryStorageType, options: RemoveOtherStorageOptions = {}): KubernetesManifest[] {
  const name = `registry-storage-keep-${keep.toLowerCase()}`;
  const annotations = options.annotations && Object.keys(options.annotations).length > 0 ? { ...options.annotations } : undefined;
  const meta = (namespaced: boolean) => ({ name, ...(namespaced ? { namespace: REGISTRY_NAMESPACE } : {}), ...(annotations ? { annotations } : {}) });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(true) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(false),
      rules: [{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: [REGISTRY_CONFIG_NAME], verbs: ['get', 'patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: REGISTRY_NAMESPACE }],
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta(true),
      spec: {
        backoffLimit: 3,
        ttlSecondsAfterFinished: 600,
        template: {
          spec: {
            serviceAccountName: name,
            restartPolicy: 'Never',
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'patch',
              image: options.image ?? DEFAULT_CLI_IMAGE,
              command: ['oc', 'patch', `configs.imageregistry.operator.openshift.io/${REGISTRY_CONFIG_NAME}`, '--type=merge', '-p',
                JSON.stringify(removeOtherStorageMergePatch(keep))],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
              resources: { requests: { cpu: '10m', memory: '64Mi' } },
            }],
          },
        },
      },
    },
  ];
}
