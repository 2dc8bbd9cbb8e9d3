/**
 * emptyDir storage: for labs only. Operator behaviour:
 * https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/storage/emptydir/emptydir.go
 */
import {
  checkCommon, checkPropsShape, commonSpec, finishPlan, known, RegistryCommonProps, RegistryStoragePlan, COMMON_PROP_NAMES, PropNames,
} from '../../core/plan';
import { Problems } from '../../core/problems';

/**
 * Props of emptyDir registry storage. Every image is lost whenever a registry pod restarts or
 * moves; never use it in production.
 * @see https://docs.openshift.com/container-platform/latest/registry/configuring_registry_storage/configuring-registry-storage-baremetal.html
 */
export interface EmptyDirStorageProps extends RegistryCommonProps {
  /**
   * Must be `true`: you accept that images are lost on every registry pod restart.
   */
  readonly acknowledgeNonProduction: true;
}

/** @internal Every prop of {@link EmptyDirStorageProps}: any other name is refused, naming the closest. */
export const EMPTY_DIR_PROP_NAMES: PropNames<EmptyDirStorageProps> = {
  ...COMMON_PROP_NAMES,
  acknowledgeNonProduction: true,
};

/** Checks emptyDir props and returns the plan. */
export function planEmptyDirStorage(props: EmptyDirStorageProps): RegistryStoragePlan {
  const problems = new Problems();
  props = checkPropsShape('EmptyDirRegistryStorage', props, EMPTY_DIR_PROP_NAMES);
  checkCommon(props, problems);
  if ((props as { acknowledgeNonProduction?: unknown }).acknowledgeNonProduction !== true) {
    problems.add('acknowledgeNonProduction', 'must be true: emptyDir loses every image whenever a registry pod restarts. Use PVC or object storage for anything that matters', 'ORS-EMPTYDIR-001');
  }
  const replicas = known(props.replicas as any) as number | undefined;
  if (replicas !== undefined && replicas > 1) {
    problems.add('replicas', `must be 1 with emptyDir, got ${replicas}: each pod would have its own empty directory`, 'ORS-EMPTYDIR-002');
  }
  return finishPlan('EmptyDirRegistryStorage', 'emptyDir', problems, () => ({
    storageType: 'emptyDir',
    spec: { ...commonSpec(props, { replicas: 1 }), storage: { emptyDir: {} } },
    objects: [],
  }));
}
