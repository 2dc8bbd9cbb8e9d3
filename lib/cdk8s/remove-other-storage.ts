import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterScoped } from './cluster-scoped';
import { checkPropsShape, optionalBoolean, PropNames, RegistryStorageType } from '../core/plan';
import { Problems, RegistryStorageValidationError } from '../core/problems';
import { removeOtherStorageObjects } from '../core/remove-other-storage';

/** Props of {@link RemoveOtherStorageTypes}. */
export interface RemoveOtherStorageTypesProps {
  /** The storage block to keep; every other one is removed. */
  readonly keep: RegistryStorageType;
  /**
   * Image with the `oc` client (the same option as the Pulumi components' `cliImage`).
   * @default unset: the release payload's `cli` image, resolved in the cluster through an
   * ImageStream that copies `openshift/cli:latest` when it is created (by digest, so disconnected
   * clusters' mirror sets cover it; a snapshot, not a tracker: see `removeOtherStorageObjects`).
   * A Job whose pod waits on an unpullable `registry-storage-cli:latest` means the cluster's
   * import of `openshift/cli` failed: `oc describe imagestream cli -n openshift`
   */
  readonly cliImage?: string;
  /**
   * Namespace the Job runs in; it is created with the Job. Not `openshift-image-registry`, which
   * denies all egress by default.
   * @default 'registry-storage-jobs'
   */
  readonly namespace?: string;
  /**
   * Add Argo CD hook annotations so the objects run after each sync (PostSync, once the Config
   * holds the new block), in waves (Namespace, then ImageStream, policy and RBAC, then the Job),
   * and are deleted when the Job succeeds.
   * @default true
   */
  readonly argoCdHook?: boolean;
}

const REMOVE_OTHER_STORAGE_TYPES_PROP_NAMES: PropNames<RemoveOtherStorageTypesProps> = {
  keep: true, cliImage: true, namespace: true, argoCdHook: true,
};

/** Argo CD sync waves within the PostSync phase: what the Job needs exists before it starts. */
const WAVES: Record<string, string> = { Namespace: '-2', Job: '0' };

/**
 * A Job that removes every storage block but `keep` from the `cluster` Config with a JSON patch,
 * for switching storage type in a GitOps flow: server-side apply cannot remove a block another
 * field manager owns, and two blocks stop the operator. The patch fails, changing nothing, when the
 * live Config has no `keep` block (its apply failed, or a webhook denied it): see
 * `removeOtherStorageJsonPatch`. Its ServiceAccount may only `get` and `patch` that one Config. It
 * runs after the Config is applied (with both blocks the operator just waits; with none it would
 * bootstrap its default storage), in a namespace of its own with an egress policy to the API server
 * (see `removeOtherStorageObjects` in the core). `keep` must be the Config's spelling of a storage
 * type (`emptyDir`, not `emptydir`); anything else is refused, since every other block is removed.
 *
 * The one-line alternative, by hand: see `removeOtherStorageCommand`.
 */
export class RemoveOtherStorageTypes extends Construct {
  /** The Job. */
  public readonly job: ApiObject;

  constructor(scope: Construct, id: string, props: RemoveOtherStorageTypesProps) {
    super(scope, id);
    props = checkPropsShape('RemoveOtherStorageTypes', props, REMOVE_OTHER_STORAGE_TYPES_PROP_NAMES);
    const problems = new Problems();
    const hook = optionalBoolean(problems, 'argoCdHook', props.argoCdHook) ?? true;
    problems.throwIfAny('RemoveOtherStorageTypes');
    const manifests = renamed('RemoveOtherStorageTypes', { image: 'cliImage' }, () => removeOtherStorageObjects(props.keep, {
      image: props.cliImage,
      namespace: props.namespace,
      annotations: hook ? { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' } : undefined,
    }));
    const objects = manifests.map((m) => {
      const obj = new ApiObject(this, m.kind, m);
      if (m.metadata.namespace === undefined) clusterScoped(obj);
      if (hook) obj.metadata.addAnnotation('argocd.argoproj.io/sync-wave', WAVES[m.kind] ?? '-1');
      return obj;
    });
    this.job = objects[objects.length - 1];
    for (let i = 1; i < objects.length; i++) objects[i].addDependency(objects[i - 1]);
  }
}

/**
 * @internal Runs a core builder and reports its problems as the construct's, under the construct's
 * prop names (`image` is the construct's `cliImage`).
 */
export function renamed<T>(what: string, names: Readonly<Record<string, string>>, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    throw new RegistryStorageValidationError(what, e.problems.map((p) => ({ ...p, path: Object.hasOwn(names, p.path) ? names[p.path] : p.path })));
  }
}
