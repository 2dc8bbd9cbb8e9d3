import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PlannedObject } from './planned-object';
import { RegistryStorage } from './registry-storage';
import { KEEP_ON_DELETE_ANNOTATIONS } from '../core/constants';
import { planPvcStorage, PvcStorageProps } from '../platforms/pvc';

/**
 * Image registry storage on a PersistentVolumeClaim (bare metal, vSphere, OpenStack Cinder),
 * with the optional Cinder StorageClass.
 *
 * @example
 * // OpenStack without Swift: the docs' Cinder StorageClass and RWO claim, 1 replica, Recreate.
 * new PvcRegistryStorage(chart, 'registry', { claim: 'csi-pvc-imageregistry', cinder: { availabilityZone: 'nova' } });
 * // Bare metal with CephFS: HA registry.
 * new PvcRegistryStorage(chart, 'registry', { accessMode: 'ReadWriteMany', replicas: 2, storageClassName: 'ocs-storagecluster-cephfs' });
 */
export class PvcRegistryStorage extends RegistryStorage {
  /**
   * Uses a claim that already exists in `openshift-image-registry`; creates no claim. Give its
   * real `accessMode`, which decides the replica and rollout rules.
   */
  public static fromExistingClaim(scope: Construct, id: string, claim: string, props: Omit<PvcStorageProps, 'claim' | 'useExistingClaim'> = {}): PvcRegistryStorage {
    return new PvcRegistryStorage(scope, id, { ...props, claim, useExistingClaim: true });
  }

  /** The Cinder StorageClass, when `cinder` was given. */
  public readonly storageClass?: ApiObject;
  /** The claim, when this construct creates it. */
  public readonly claim?: ApiObject;

  constructor(scope: Construct, id: string, props: PvcStorageProps = {}) {
    super(scope, id, planPvcStorage(props));
    for (const manifest of this.plan.objects) {
      if (manifest.kind === 'StorageClass') {
        this.storageClass = this.emit('StorageClass', manifest, (s, i, p) => new PlannedObject(s, i, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', ...p }));
      } else if (manifest.kind === 'PersistentVolumeClaim') {
        // Pruning the claim would delete the images with most StorageClasses: keep it, as the Config.
        this.claim = this.emit('Claim', manifest, (s, i, p) => new PlannedObject(s, i, {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          ...p,
          metadata: { ...p.metadata, annotations: { ...p.metadata.annotations, ...KEEP_ON_DELETE_ANNOTATIONS } },
        }));
      }
    }
    if (this.claim && this.storageClass) this.claim.addDependency(this.storageClass);
    if (this.claim) this.config.addDependency(this.claim);
  }
}
