import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterScoped } from './cluster-scoped';
import { REGISTRY_NAMESPACE } from '../core/constants';
import { KubernetesManifest, RegistryStoragePlan } from '../core/model';
import { PlannedStorageMigration } from '../platforms/migration-jobs';

/**
 * Argo CD sync waves of a migration: the storage the construct creates first, then each step, the
 * switch (the user Secret, the Config: wave 0) and, after it, the Job that makes the registry
 * writable again. Argo CD applies a wave only once every resource of the waves before is healthy,
 * and a Job is healthy once Complete; a Failed Job fails the sync there
 * (gitops-engine `pkg/sync/sync_context.go`, `pkg/health/health_job.go`).
 */
export const MIGRATION_WAVES = {
  storage: -50, copySetup: -40, copy: -39, windowSetup: -30, window: -29, readOnly: -28, final: -20, writable: 10,
} as const;

/** Props of {@link StorageMigration}. */
export interface StorageMigrationProps {
  /** The migration planned from the storage plan (`storageMigrationOf`). */
  readonly migration: PlannedStorageMigration;
  /** The storage plan: its user Secret's values are the new storage's keys the copy reads. */
  readonly plan: RegistryStoragePlan;
}

/**
 * The objects that move the registry's images before the switch, as ordinary Argo CD resources in
 * sync waves (each step runs once: a Job that completed is not run again by a later sync), and a
 * `SyncFail` hook that makes the registry writable again when a sync stops after the read-only
 * window opened (a failed final check), so the registry goes on serving, and taking pushes, on the
 * old storage. Every step is safe to run again.
 *
 * Without Argo CD, apply the steps in order (`openshift-registry-storage migrate --objects`):
 * applying the whole output at once would switch before the copy.
 */
export class StorageMigration extends Construct {
  /** The copy while the registry takes pushes. */
  public readonly copyJob: ApiObject;
  /** Opens the read-only window. */
  public readonly readOnlyJob: ApiObject;
  /** The final copy and checks; the switch waits for it. */
  public readonly finalJob: ApiObject;
  /** After the switch: writable again, the pruner as it was. */
  public readonly writableJob: ApiObject;
  /** The same, as a `SyncFail` hook. */
  public readonly writableOnFailureJob: ApiObject;
  /** The new storage's keys for the copy, when the construct was given them. */
  public readonly destinationKeys?: ApiObject;
  /** The first object of the chain: what must exist before the copy depends on it. */
  public readonly first: ApiObject;

  constructor(scope: Construct, id: string, props: StorageMigrationProps) {
    super(scope, id);
    const { objects } = props.migration;
    const emit = (manifest: KubernetesManifest, wave: number, objectId?: string, extra: Record<string, string> = {}): ApiObject => {
      const obj = new ApiObject(this, objectId ?? `${manifest.kind}-${manifest.metadata.name}${manifest.metadata.namespace === REGISTRY_NAMESPACE ? '-registry' : ''}`, {
        ...manifest,
        metadata: { ...manifest.metadata, annotations: { ...manifest.metadata.annotations, 'argocd.argoproj.io/sync-wave': String(wave), ...extra } },
      });
      if (manifest.metadata.namespace === undefined) clusterScoped(obj);
      return obj;
    };
    const keys = objects.destinationKeys;
    if (keys && props.plan.secret && keys.secretName !== props.plan.secret.metadata.name) {
      this.destinationKeys = emit({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: keys.secretName, namespace: REGISTRY_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'openshift-registry-storage' } },
        type: 'Opaque',
        stringData: { ...props.plan.secret.stringData },
      } as KubernetesManifest, MIGRATION_WAVES.copySetup, 'DestinationKeys');
    }
    const chain: ApiObject[] = this.destinationKeys ? [this.destinationKeys] : [];
    const add = (o: ApiObject) => {
      for (const before of chain) o.addDependency(before);
      chain.push(o);
      return o;
    };
    for (const m of objects.copy.slice(0, -1)) add(emit(m, MIGRATION_WAVES.copySetup));
    this.copyJob = add(emit(objects.copy[objects.copy.length - 1], MIGRATION_WAVES.copy, 'CopyJob'));
    for (const m of objects.freeze.slice(0, -1)) add(emit(m, m.kind === 'Namespace' ? MIGRATION_WAVES.windowSetup : MIGRATION_WAVES.window));
    this.readOnlyJob = add(emit(objects.freeze[objects.freeze.length - 1], MIGRATION_WAVES.readOnly, 'ReadOnlyJob'));
    this.finalJob = add(emit(objects.final[0], MIGRATION_WAVES.final, 'FinalJob'));
    this.first = chain[0];
    const [thaw] = objects.thaw;
    this.writableJob = emit(thaw, MIGRATION_WAVES.writable, 'WritableJob');
    this.writableJob.addDependency(this.finalJob);
    this.writableOnFailureJob = emit({ ...thaw, metadata: { ...thaw.metadata, name: `${thaw.metadata.name}-on-failure` } }, MIGRATION_WAVES.writable, 'WritableOnFailureJob', {
      'argocd.argoproj.io/hook': 'SyncFail',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    });
    this.writableOnFailureJob.addDependency(this.finalJob);
  }
}
