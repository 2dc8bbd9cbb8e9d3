/**
 * PersistentVolumeClaim storage (bare metal, vSphere, OpenStack Cinder): props, rules and plan.
 * Operator behaviour: pkg/storage/pvc/pvc.go (access modes against replicas) and pkg/operator/bootstrap.go
 * in https://github.com/openshift/cluster-image-registry-operator.
 */
import { REGISTRY_NAMESPACE, REGISTRY_PVC_ANNOTATION } from '../../core/constants';
import {
  checkCommon, checkPropsShape, commonSpec, compact, finishPlan, given, known, KubernetesManifest, kubernetesName, optionalBoolean,
  optionalObject, optionalString, RegistryCommonProps, RegistryStoragePlan, requireString, storageState, COMMON_PROP_NAMES, PropNames,
} from '../../core/plan';
import { DEFERRED, Problems, show } from '../../core/problems';
import { quantityBytes } from '../../core/quantity';

/** A Cinder CSI StorageClass created for the registry (OpenStack without Swift). */
export interface CinderStorageClassProps {
  /** Cinder availability zone the volume is created in (StorageClass parameter `availability`). */
  readonly availabilityZone: string;
  /**
   * Name of the StorageClass.
   * @default 'image-registry-cinder'
   */
  readonly storageClassName?: string;
  /**
   * Cinder volume type (StorageClass parameter `type`).
   * @default unset (Cinder's default type)
   */
  readonly volumeType?: string;
  /**
   * What happens to the volume, and the images, when the claim is deleted.
   * @default 'Retain'
   */
  readonly reclaimPolicy?: 'Retain' | 'Delete';
}

/** Default claim name this library creates (distinct from the operator's own `image-registry-storage`). */
export const DEFAULT_CLAIM_NAME = 'image-registry-pvc';
/** Default Cinder StorageClass name. */
export const DEFAULT_CINDER_STORAGE_CLASS = 'image-registry-cinder';
/** Claim size the OpenShift docs recommend (and the operator's own claim size); smaller ones get a warning. */
export const RECOMMENDED_CLAIM_SIZE = '100Gi';

/**
 * Props of PVC registry storage.
 * @see https://docs.openshift.com/container-platform/latest/registry/configuring_registry_storage/configuring-registry-storage-baremetal.html
 * @see https://docs.openshift.com/container-platform/latest/registry/configuring_registry_storage/configuring-registry-storage-openstack-user-infrastructure.html
 */
export interface PvcStorageProps extends RegistryCommonProps {
  /**
   * Name of the claim in `openshift-image-registry` (`spec.storage.pvc.claim`). The empty string
   * lets the operator create `image-registry-storage` itself (ReadWriteMany, 100Gi, the cluster's
   * default StorageClass); the library then creates no claim.
   * @default 'image-registry-pvc' (created by this library)
   */
  readonly claim?: string;
  /**
   * The claim already exists: reference it, create nothing. `accessMode` still decides the
   * replica and rollout rules, so give the claim's real mode.
   * @default false
   */
  readonly useExistingClaim?: boolean;
  /**
   * Requested size, a Kubernetes quantity. Below 100Gi (the docs' recommendation) gets a warning.
   * @default '100Gi'
   */
  readonly size?: string;
  /**
   * `ReadWriteOnce` (every provisioner; sets 1 replica and the `Recreate` rollout) or
   * `ReadWriteMany` (needs RWX storage such as CephFS; `replicas` is the prop's, 2 by default:
   * set 1 on single-node OpenShift).
   * @default 'ReadWriteOnce'
   */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteMany';
  /**
   * StorageClass of the claim.
   * @default unset (the cluster's default StorageClass), or the Cinder class when `cinder` is set
   */
  readonly storageClassName?: string;
  /**
   * Create a Cinder CSI StorageClass for the claim (OpenStack). Cinder volumes are ReadWriteOnce.
   * @default unset
   */
  readonly cinder?: CinderStorageClassProps;
}

/** @internal Every prop of {@link PvcStorageProps}: any other name is refused, naming the closest. */
export const PVC_PROP_NAMES: PropNames<PvcStorageProps> = {
  ...COMMON_PROP_NAMES,
  claim: true,
  useExistingClaim: true,
  size: true,
  accessMode: true,
  storageClassName: true,
  cinder: { availabilityZone: true, storageClassName: true, volumeType: true, reclaimPolicy: true },
};

/** Checks PVC props and returns the plan (Config spec, and the StorageClass and PVC to create). */
export function planPvcStorage(props: PvcStorageProps): RegistryStoragePlan {
  const problems = new Problems();
  props = checkPropsShape('PvcRegistryStorage', props, PVC_PROP_NAMES);
  checkCommon(props, problems);
  const claimGiven = optionalString(problems, 'claim', props.claim, true);
  const operatorClaim = claimGiven === '';
  const existing = optionalBoolean(problems, 'useExistingClaim', props.useExistingClaim) === true;
  const claim = operatorClaim ? undefined : claimGiven ?? (existing ? undefined : DEFAULT_CLAIM_NAME);
  if (existing && !given(props.claim)) problems.add('claim', 'is required with useExistingClaim: name the claim in openshift-image-registry', 'ORS-PVC-001');
  kubernetesName(problems, 'claim', claim, 'a PersistentVolumeClaim in openshift-image-registry');
  if (operatorClaim) {
    for (const p of ['size', 'accessMode', 'storageClassName', 'cinder', 'useExistingClaim'] as const) {
      if (props[p] !== undefined && props[p] !== null) {
        problems.add(p, `cannot be set with claim: "" (the operator then creates its own ReadWriteMany 100Gi claim on the default StorageClass): name a claim to choose ${p}`, 'ORS-PVC-002');
      }
    }
  }
  if (existing) {
    for (const p of ['size', 'storageClassName', 'cinder'] as const) {
      if (props[p] !== undefined && props[p] !== null) problems.add(p, 'cannot be set with useExistingClaim: the claim exists already; change it directly', 'ORS-PVC-003');
    }
  }

  const size = optionalString(problems, 'size', props.size) ?? RECOMMENDED_CLAIM_SIZE;
  const bytes = quantityBytes(size);
  if (bytes === undefined) {
    problems.add('size', `must be a Kubernetes quantity such as "100Gi", got ${show(size)}`, 'ORS-PVC-004');
  } else if (bytes < quantityBytes(RECOMMENDED_CLAIM_SIZE)!) {
    // 100Gi is the docs' recommendation and the operator's own claim size, not an operator check
    // (pkg/storage/pvc/pvc.go checkPVC looks at access modes only).
    problems.warn('size', `is ${show(size)}, below the ${RECOMMENDED_CLAIM_SIZE} the OpenShift docs recommend (and the operator's own claim size): images fill small volumes fast`, 'ORS-PVC-W001');
  }

  const cinderGiven = optionalObject(problems, 'cinder', props.cinder);
  // A whole cinder not known yet (a Pulumi Output) still means a StorageClass; its fields are
  // checked when it resolves.
  const cinderDeferred = (cinderGiven as unknown) === DEFERRED;
  const cinder = cinderDeferred ? undefined : cinderGiven;
  const accessMode = known(props.accessMode as any) as string | undefined ?? (operatorClaim ? 'ReadWriteMany' : 'ReadWriteOnce');
  if (!['ReadWriteOnce', 'ReadWriteMany'].includes(accessMode)) {
    problems.add('accessMode', `must be "ReadWriteOnce" or "ReadWriteMany", got ${show(accessMode)}`, 'ORS-PVC-006');
  }
  const replicas = known(props.replicas as any) as number | undefined;
  if (accessMode === 'ReadWriteOnce') {
    if (replicas !== undefined && replicas > 1) {
      problems.add('replicas', `must be 1 with accessMode ReadWriteOnce, got ${replicas}: the operator refuses ("cannot use ReadWriteOnce access mode with more than one replica"). Use accessMode: "ReadWriteMany" on RWX storage for HA`, 'ORS-PVC-007');
    }
    if (props.rolloutStrategy === 'RollingUpdate') {
      problems.add('rolloutStrategy', 'must be "Recreate" with accessMode ReadWriteOnce: the new pod cannot mount the volume while the old one holds it, and the operator refuses RollingUpdate', 'ORS-PVC-008');
    }
  }
  let storageClassName = optionalString(problems, 'storageClassName', props.storageClassName);
  kubernetesName(problems, 'storageClassName', storageClassName, 'a StorageClass');
  if (cinder !== undefined) {
    requireString(problems, 'cinder.availabilityZone', cinder.availabilityZone, 'with cinder: the Cinder availability zone, e.g. "nova"');
    const cinderClass = optionalString(problems, 'cinder.storageClassName', cinder.storageClassName) ?? DEFAULT_CINDER_STORAGE_CLASS;
    kubernetesName(problems, 'cinder.storageClassName', cinderClass, 'a StorageClass');
    optionalString(problems, 'cinder.volumeType', cinder.volumeType);
    if (storageClassName !== undefined && storageClassName !== cinderClass) {
      problems.add('storageClassName', `is ${show(storageClassName)} but cinder creates ${show(cinderClass)}: remove storageClassName or set cinder.storageClassName`, 'ORS-PVC-009');
    }
    storageClassName = cinderClass;
    if (accessMode === 'ReadWriteMany') problems.add('accessMode', 'must be "ReadWriteOnce" with cinder: Cinder volumes attach to one node', 'ORS-PVC-010');
    if (cinder.reclaimPolicy !== undefined && !['Retain', 'Delete'].includes(cinder.reclaimPolicy)) {
      problems.add('cinder.reclaimPolicy', `must be "Retain" or "Delete", got ${show(cinder.reclaimPolicy)}`, 'ORS-PVC-011');
    }
  }

  return finishPlan('PvcRegistryStorage', 'pvc', problems, () => {
    const rwo = accessMode === 'ReadWriteOnce';
    const objects: KubernetesManifest[] = [];
    if (cinder !== undefined || cinderDeferred) {
      objects.push({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: cinderDeferred ? DEFERRED as never : storageClassName! },
        provisioner: 'cinder.csi.openstack.org',
        parameters: cinderDeferred ? DEFERRED : compact({ availability: cinder!.availabilityZone, type: cinder!.volumeType }),
        reclaimPolicy: cinderDeferred ? DEFERRED : cinder!.reclaimPolicy ?? 'Retain',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      });
    }
    if (!operatorClaim && !existing) {
      objects.push({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claim!, namespace: REGISTRY_NAMESPACE, annotations: { [REGISTRY_PVC_ANNOTATION]: 'true' } },
        spec: compact({
          accessModes: [accessMode],
          resources: { requests: { storage: size } },
          storageClassName: cinderDeferred ? DEFERRED : storageClassName,
          volumeMode: 'Filesystem',
        }),
      });
    }
    return {
      storageType: 'pvc',
      spec: {
        ...commonSpec(props, { replicas: rwo ? 1 : undefined, rolloutStrategy: rwo ? 'Recreate' : undefined }),
        storage: compact({ managementState: storageState(props, !operatorClaim), pvc: compact({ claim }) }),
      },
      objects,
    };
  });
}
