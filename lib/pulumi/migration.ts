/**
 * Pulumi flavour of a storage migration (`migrateFrom`): the core's objects
 * (`storageMigrationObjects`) as resources in one dependency chain around the switch:
 * copy → read-only → final copy and checks → [the user Secret, the Config, the removal, the wait] →
 * writable again. A failed Job stops `pulumi up` there: before the switch, the Config is unchanged.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { REGISTRY_NAMESPACE } from '../core/constants';
import { KubernetesManifest, RegistryStoragePlan } from '../core/model';
import { DEFAULT_DESTINATION_KEYS_SECRET, PlannedStorageMigration, storageMigrationOf } from '../platforms/migration-jobs';

/** The migration's Jobs, as the component exposes them. */
export interface MigrationResources {
  /** The copy while the registry takes pushes. */
  readonly copyJob: k8s.batch.v1.Job;
  /** Opens the read-only window (pruner suspended, `spec.readOnly: true`, registry rolled). */
  readonly readOnlyJob: k8s.batch.v1.Job;
  /** The final copy and the checks, in the window: the switch waits for it. */
  readonly finalJob: k8s.batch.v1.Job;
  /** After the switch: writable again, the pruner as it was. */
  readonly writableJob: k8s.batch.v1.Job;
}

/** Inputs of {@link deployMigration}. */
export interface MigrationArgs {
  readonly plan: pulumi.Output<RegistryStoragePlan>;
  /** The new storage's keys, by the operator's key names, when it is written with keys. */
  readonly secretData?: Record<string, pulumi.Input<string>>;
  /** What the destination needs before anything is copied to it (the bucket, its grants). */
  readonly dependsOn: pulumi.Resource[];
  /** The resolved `oc` image of the window Jobs (the payload's, or `cliImage`). */
  readonly cliImage: pulumi.Input<string>;
}

/** Top-level fields each kind the migration makes carries besides apiVersion, kind and metadata. */
const FIELDS: Record<string, readonly string[]> = {
  Namespace: [],
  ServiceAccount: [],
  NetworkPolicy: ['spec'],
  Job: ['spec'],
  ClusterRole: ['rules'],
  Role: ['rules'],
  ClusterRoleBinding: ['roleRef', 'subjects'],
  RoleBinding: ['roleRef', 'subjects'],
};

/**
 * The migration's resources, before the switch; call `afterSwitch` with what the switch ends with
 * to make the Job that closes the read-only window.
 *
 * The Jobs ignore later changes of their spec (`ignoreChanges`): a migration runs once. The
 * payload's `oc` image changes with every cluster upgrade, and a replaced read-only Job would close
 * the registry to pushes again on a later `pulumi up` with nothing to open it. Remove `migrateFrom`
 * once the switch is done; its objects are then deleted (the old storage is not touched).
 */
export function deployMigration(parent: pulumi.Resource, name: string, args: MigrationArgs): {
  readonly before: Omit<MigrationResources, 'writableJob'>;
  afterSwitch(dependsOn: pulumi.Resource[]): k8s.batch.v1.Job;
} {
  // The objects of the resolved plan: a problem in them rejects every resource below, naming the prop.
  const planned: pulumi.Output<PlannedStorageMigration> = args.plan.apply((p) => {
    const m = storageMigrationOf(p, parent.constructor.name);
    if (!m) throw new pulumi.ResourceError('migrateFrom: the plan holds no migration', parent);
    return m;
  });
  const opts = (dependsOn: pulumi.Input<pulumi.Resource>[], extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
    parent, dependsOn, ...extra,
  });
  // The new storage's keys, in a Secret of their own: the registry keeps reading the old keys from
  // the user Secret until the switch.
  const destinationKeys = args.secretData && new k8s.core.v1.Secret(`${name}-migrate-destination-keys`, {
    metadata: {
      name: args.plan.apply((p) => (p.migrateFrom?.options.destinationKeysSecret as string | undefined) ?? DEFAULT_DESTINATION_KEYS_SECRET),
      namespace: REGISTRY_NAMESPACE,
      labels: { 'app.kubernetes.io/managed-by': 'openshift-registry-storage' },
    },
    type: 'Opaque',
    data: pulumi.secret(pulumi.output(args.secretData).apply((d) => Object.fromEntries(Object.entries(d)
      .map(([k, v]) => [k, Buffer.from(String(v ?? ''), 'utf8').toString('base64')])))),
  }, opts(args.dependsOn));

  const step = (which: 'copy' | 'freeze' | 'final' | 'thaw', kinds: readonly string[], after: pulumi.Input<pulumi.Resource>[]): pulumi.CustomResource[] => {
    const made: pulumi.CustomResource[] = [];
    kinds.forEach((kind, i) => {
      const m = planned.apply((x) => {
        const o = x.objects[which].filter((y) => y.kind !== 'ImageStream')[i];
        if (o?.kind !== kind) throw new pulumi.ResourceError(`migrateFrom: expected a ${kind} as object ${i} of ${which}, got ${o?.kind}`, parent);
        return kind === 'Job' && which !== 'copy' ? withImage(o, args.cliImage) : pulumi.output(o);
      });
      made.push(resource(`${name}-migrate-${which}-${kind.toLowerCase()}`, kind, m, opts([...after, ...made])));
    });
    return made;
  };
  const copy = step('copy', ['NetworkPolicy', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Job'],
    [...args.dependsOn, ...(destinationKeys ? [destinationKeys] : [])]);
  // The cli image is resolved here, not by an ImageStream (as for the removal Job).
  const freeze = step('freeze', ['Namespace', 'NetworkPolicy', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Job'],
    [copy[copy.length - 1]]);
  const final = step('final', ['Job'], [freeze[freeze.length - 1]]);
  return {
    before: {
      copyJob: copy[copy.length - 1] as k8s.batch.v1.Job,
      readOnlyJob: freeze[freeze.length - 1] as k8s.batch.v1.Job,
      finalJob: final[0] as k8s.batch.v1.Job,
    },
    afterSwitch: (dependsOn) => step('thaw', ['Job'], [...dependsOn, ...freeze])[0] as k8s.batch.v1.Job,
  };
}

/**
 * The `oc` of a window Job (its container), or of the final Job's read-only check (its init
 * container), set to the image resolved here; the core's ImageStream annotation goes with the
 * ImageStream Pulumi does not make.
 */
function withImage(job: KubernetesManifest, image: pulumi.Input<string>): pulumi.Output<KubernetesManifest> {
  return pulumi.output(image).apply((i) => {
    const spec = (job as any).spec;
    const pod = spec.template.spec;
    const { annotations: _a, ...templateMeta } = spec.template.metadata;
    const podSpec = pod.initContainers
      ? { ...pod, initContainers: pod.initContainers.map((c: any) => ({ ...c, image: i })) }
      : { ...pod, containers: pod.containers.map((c: any) => ({ ...c, image: i })) };
    return { ...job, spec: { ...spec, template: { ...spec.template, metadata: templateMeta, spec: podSpec } } } as KubernetesManifest;
  });
}

/** One object of the migration as its typed resource, its fields Outputs of the resolved plan. */
function resource(name: string, kind: string, m: pulumi.Output<KubernetesManifest>, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const field = (f: string) => m.apply((o) => (o as any)[f]);
  const args: Record<string, any> = { metadata: field('metadata') };
  for (const f of FIELDS[kind]) args[f] = field(f);
  switch (kind) {
    case 'Namespace': return new k8s.core.v1.Namespace(name, args, opts);
    case 'ServiceAccount': return new k8s.core.v1.ServiceAccount(name, args, opts);
    case 'NetworkPolicy': return new k8s.networking.v1.NetworkPolicy(name, args, opts);
    case 'ClusterRole': return new k8s.rbac.v1.ClusterRole(name, args, opts);
    case 'ClusterRoleBinding': return new k8s.rbac.v1.ClusterRoleBinding(name, args as k8s.rbac.v1.ClusterRoleBindingArgs, opts);
    case 'Role': return new k8s.rbac.v1.Role(name, args, opts);
    case 'RoleBinding': return new k8s.rbac.v1.RoleBinding(name, args as k8s.rbac.v1.RoleBindingArgs, opts);
    case 'Job': {
      // Awaited until Complete; a copy may take hours: the await lasts as long as the Job may run.
      const metadata = m.apply((o) => ({
        ...o.metadata,
        annotations: {
          ...o.metadata.annotations,
          'pulumi.com/waitFor': 'condition=Complete',
          'pulumi.com/timeoutSeconds': String(Number((o as any).spec.activeDeadlineSeconds) + 300),
        },
      }));
      return new k8s.batch.v1.Job(name, { ...args, metadata } as k8s.batch.v1.JobArgs, { ...opts, deleteBeforeReplace: true, ignoreChanges: ['spec'] });
    }
    default: throw new Error(`no Pulumi resource for kind ${kind}`);
  }
}
