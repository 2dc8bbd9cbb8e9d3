/**
 * The hard prune: the registry's own pruner (`dockerregistry -prune`), which deletes every blob no
 * Image in the cluster references (the layers of interrupted pushes, of images deleted without the
 * pruner), run only inside a read-only window. One `oc` Job (or a CronJob) opens the window,
 * checks, deletes, and closes the window whatever happened.
 *
 * @see https://github.com/openshift/openshift-docs/blob/main/modules/pruning-hard-pruning-registry.adoc
 * @see https://github.com/openshift/image-registry/blob/master/pkg/cmd/dockerregistry/prune.go
 */
import { CONFIG, FREEZE_SCRIPT, readOnlyWindowObjects, THAW_SCRIPT } from './migration-jobs';
import { REGISTRY_NAMESPACE } from '../core/constants';
import { isCronSchedule } from '../core/image-pruner';
import { jobNamespaceProblems } from '../core/jobs';
import { HardPruneOptions, KubernetesManifest, RegistryStoragePlan } from '../core/model';
import { Problems, RegistryStorageValidationError, show } from '../core/problems';
import { checkPropsShape, PropNames } from '../core/props';

/** @internal The names of {@link HardPruneOptions}. */
export const HARD_PRUNE_OPTION_NAMES: PropNames<HardPruneOptions> = { schedule: true, cliImage: true, namespace: true, deadlineSeconds: true };

/** The service account the registry runs as, which `dockerregistry -prune` reads the cluster's Images as. */
const REGISTRY_SERVICE_ACCOUNT = 'registry';

/**
 * One run: the window opened (pruner suspended, `spec.readOnly: true`, the registry rolled), then
 * `dockerregistry -prune=check` (what would go: nothing deleted), then `-prune=delete` (what went:
 * "Deleted N blobs", "Freed up ... of disk space"), in a registry pod that runs read-only; the window
 * closed on the way out, failed or not. A registry read-only already (another window, such as a
 * storage migration's) is left alone: no prune then.
 */
const PRUNE_SCRIPT = `if [ "$(oc get ${CONFIG} -o 'jsonpath={.spec.readOnly}')" = true ]; then
  echo "hard prune: the registry is read-only already (another window is open): not now"
  exit 0
fi
thaw() {
  echo "hard prune: closing the read-only window"
${THAW_SCRIPT}}
trap 'set +e; thaw' EXIT
${FREEZE_SCRIPT}pod=$(oc get pods -n ${REGISTRY_NAMESPACE} -l docker-registry=default --field-selector=status.phase=Running -o 'jsonpath={.items[0].metadata.name}')
[ -n "$pod" ] || { echo "hard prune: no running registry pod" >&2; exit 1; }
oc get pod "$pod" -n ${REGISTRY_NAMESPACE} -o 'jsonpath={.spec.containers[0].env[?(@.name=="REGISTRY_STORAGE_MAINTENANCE_READONLY")].value}' | grep -q 'enabled: true' \\
  || { echo "hard prune: pod $pod does not run read-only" >&2; exit 1; }
echo "hard prune: check (nothing is deleted)"
oc exec -n ${REGISTRY_NAMESPACE} "pod/$pod" -- /bin/sh -c '/usr/bin/dockerregistry -prune=check'
echo "hard prune: delete"
oc exec -n ${REGISTRY_NAMESPACE} "pod/$pod" -- /bin/sh -c '/usr/bin/dockerregistry -prune=delete'
`;

/**
 * The objects of a hard prune, in apply order: the window's namespace, `oc`, egress policy,
 * ServiceAccount and roles (with `exec` into the registry's pods), the `system:image-pruner`
 * cluster role for the registry's service account (the pruner lists the cluster's Images as it),
 * and the Job, or a CronJob with `schedule` (never two runs at once).
 *
 * @throws RegistryStorageValidationError naming the option and the fix
 */
export function hardPruneObjects(options: HardPruneOptions = {}): KubernetesManifest[] {
  options = checkPropsShape('hardPruneObjects', options, HARD_PRUNE_OPTION_NAMES);
  const problems = new Problems();
  if (options.schedule !== undefined && (typeof options.schedule !== 'string' || !isCronSchedule(options.schedule))) {
    problems.add('schedule', `must be a cron schedule of five fields or a macro such as @weekly, got ${show(options.schedule)}`, 'ORS-PRUNER-005');
  }
  if (options.cliImage !== undefined && (typeof options.cliImage !== 'string' || options.cliImage === '' || /\s/.test(options.cliImage))) {
    problems.add('cliImage', `must be an image reference (no spaces), got ${show(options.cliImage)}`, 'ORS-PRUNER-006');
  }
  if (options.namespace !== undefined) jobNamespaceProblems(problems, 'namespace', options.namespace, 'registry-storage-prune');
  const deadline = options.deadlineSeconds;
  if (deadline !== undefined && !(Number.isInteger(deadline) && deadline >= 300)) {
    problems.add('deadlineSeconds', `must be a whole number of seconds, at least 300 (the registry rolls twice), got ${show(deadline)}`, 'ORS-PRUNER-007');
  }
  problems.throwIfAny('hardPruneObjects');
  const name = 'registry-storage-hard-prune';
  const window = readOnlyWindowObjects(name, options.namespace ?? 'registry-storage-prune', options.cliImage, [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
  ]);
  const pruner = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { ...window.meta(`${name}-registry`, false) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-pruner' },
    subjects: [{ kind: 'ServiceAccount', name: REGISTRY_SERVICE_ACCOUNT, namespace: REGISTRY_NAMESPACE }],
  } as KubernetesManifest;
  const job = window.job(name, PRUNE_SCRIPT, deadline ?? 3600) as any;
  // One attempt: a retry would open a second window for nothing the first did not say.
  job.spec.backoffLimit = 0;
  if (options.schedule === undefined) return [...window.objects, pruner, job];
  const { apiVersion: _a, kind: _k, metadata, spec } = job;
  return [...window.objects, pruner, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata,
    spec: { schedule: options.schedule, concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, jobTemplate: { spec } },
  } as KubernetesManifest];
}

/**
 * The hard prune a storage plan asks for (`hardPrune`), for a flavour to render; problems are named
 * `hardPrune.<option>`. Undefined when the plan asks for none.
 *
 * @throws RegistryStorageValidationError naming the prop and the fix
 */
export function hardPruneOf(plan: RegistryStoragePlan, what = 'hardPrune'): KubernetesManifest[] | undefined {
  if (!plan.hardPrune) return undefined;
  try {
    return hardPruneObjects(plan.hardPrune);
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    throw new RegistryStorageValidationError(what, e.problems.map((p) => ({ ...p, path: `hardPrune.${p.path}` })));
  }
}
