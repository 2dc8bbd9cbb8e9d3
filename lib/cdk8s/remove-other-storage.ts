import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE } from '../core/constants';
import { RegistryStorageType, removeOtherStorageMergePatch } from '../core/plan';

/** Props of {@link RemoveOtherStorageTypes}. */
export interface RemoveOtherStorageTypesProps {
  /** The storage block to keep; every other one is removed. */
  readonly keep: RegistryStorageType;
  /**
   * Image with the `oc` client. Pin a digest in production.
   * @default 'registry.redhat.io/openshift4/ose-cli:latest'
   */
  readonly image?: string;
  /**
   * Add Argo CD hook annotations so the Job runs before each sync (PreSync) and is deleted when it
   * succeeds.
   * @default true
   */
  readonly argoCdPreSyncHook?: boolean;
}

/**
 * A Job that removes every storage block but `keep` from the `cluster` Config with a JSON merge
 * patch, for switching storage type in a GitOps flow. Server-side apply cannot remove a block
 * another field manager owns, and two blocks stop the operator. Its ServiceAccount may only `get`
 * and `patch` that one Config.
 *
 * The one-line alternative, by hand: `oc patch configs.imageregistry.operator.openshift.io/cluster
 * --type=merge -p '{"spec":{"storage":{"emptyDir":null,...}}}'` (see `removeOtherStorageCommand`).
 */
export class RemoveOtherStorageTypes extends Construct {
  /** The Job. */
  public readonly job: k8s.KubeJob;

  constructor(scope: Construct, id: string, props: RemoveOtherStorageTypesProps) {
    super(scope, id);
    const name = `registry-storage-keep-${props.keep.toLowerCase()}`;
    const hook = props.argoCdPreSyncHook ?? true;
    const annotations = hook ? { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' } : undefined;
    const sa = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name, namespace: REGISTRY_NAMESPACE, annotations } });
    const role = new k8s.KubeClusterRole(this, 'Role', {
      metadata: { name, annotations },
      rules: [{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: [REGISTRY_CONFIG_NAME], verbs: ['get', 'patch'] }],
    });
    const binding = new k8s.KubeClusterRoleBinding(this, 'RoleBinding', {
      metadata: { name, annotations },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: REGISTRY_NAMESPACE }],
    });
    for (const obj of [role, binding] as ApiObject[]) {
      if (Chart.of(obj).namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    this.job = new k8s.KubeJob(this, 'Job', {
      metadata: { name, namespace: REGISTRY_NAMESPACE, annotations },
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
              image: props.image ?? 'registry.redhat.io/openshift4/ose-cli:latest',
              command: ['oc', 'patch', `configs.imageregistry.operator.openshift.io/${REGISTRY_CONFIG_NAME}`, '--type=merge', '-p',
                JSON.stringify(removeOtherStorageMergePatch(props.keep))],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
              resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') } },
            }],
          },
        },
      },
    });
    this.job.addDependency(sa, role, binding);
  }
}
