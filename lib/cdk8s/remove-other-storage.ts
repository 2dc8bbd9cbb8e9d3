import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterScoped } from './cluster-scoped';
import { RegistryStorageType } from '../core/plan';
import { removeOtherStorageObjects } from '../core/remove-other-storage';

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
   * Add Argo CD hook annotations so the objects run after each sync (PostSync, once the Config
   * holds the new block) and are deleted when the Job succeeds.
   * @default true
   */
  readonly argoCdHook?: boolean;
}

/**
 * A Job that removes every storage block but `keep` from the `cluster` Config with a JSON merge
 * patch, for switching storage type in a GitOps flow: server-side apply cannot remove a block
 * another field manager owns, and two blocks stop the operator. Its ServiceAccount may only `get`
 * and `patch` that one Config. It runs after the Config is applied (with both blocks the operator
 * just waits; with none it would bootstrap its default storage).
 *
 * The one-line alternative, by hand: see `removeOtherStorageCommand`.
 */
export class RemoveOtherStorageTypes extends Construct {
  /** The Job. */
  public readonly job: ApiObject;

  constructor(scope: Construct, id: string, props: RemoveOtherStorageTypesProps) {
    super(scope, id);
    const hook = props.argoCdHook ?? true;
    const manifests = removeOtherStorageObjects(props.keep, {
      image: props.image,
      annotations: hook ? { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' } : undefined,
    });
    const objects = manifests.map((m) => {
      const obj = new ApiObject(this, m.kind, m);
      if (m.metadata.namespace === undefined) clusterScoped(obj);
      return obj;
    });
    this.job = objects[objects.length - 1];
    this.job.addDependency(...objects.slice(0, -1));
  }
}
