/**
 * The hard prune: the registry's own pruner (`dockerregistry -prune`), which deletes every blob no
 * Image in the cluster references (the layers of interrupted pushes, of images deleted without the
 * pruner), run only inside a read-only window of its own. One `oc` Job (or a CronJob) opens the
 * window, checks, deletes, and closes the window when it ends, failed or not.
 *
 * @see https://github.com/openshift/openshift-docs/blob/main/modules/pruning-hard-pruning-registry.adoc
 * @see https://github.com/openshift/image-registry/blob/master/pkg/cmd/dockerregistry/prune.go
 */
import { READ_ONLY_OWNER_PATH } from './migration';
import { CONFIG, freezeScript, readOnlyWindowObjects, thawScript } from './migration-jobs';
import { REGISTRY_NAMESPACE } from '../core/constants';
import { isCronSchedule } from '../core/image-pruner';
import { jobNamespaceProblems } from '../core/jobs';
import { HardPruneOptions, KubernetesManifest, RegistryStoragePlan } from '../core/model';
import { Problems, RegistryStorageValidationError, show } from '../core/problems';
import { checkPropsShape, HARD_PRUNE_OPTION_NAMES } from '../core/props';

/** The service account the registry runs as, which `dockerregistry -prune` reads the cluster's Images as. */
const REGISTRY_SERVICE_ACCOUNT = 'registry';

/**
 * One run, in a read-only window of its own (owner `hard-prune`):
 * - another window open (a migration's, or one set by hand): no prune now; one a killed earlier run
 *   left (owner `hard-prune`): closed, and no prune now;
 * - the window opened (pruner suspended, `spec.readOnly: true`, the registry rolled), then
 *   `dockerregistry -prune=check` (nothing deleted), then `-prune=delete` ("Deleted N blobs",
 *   "Freed up ... of disk space") in a registry pod that runs read-only, each bounded in time so the
 *   script ends before the Job's deadline;
 * - the window closed on the way out, failed or not; when the delete did not finish, the registry
 *   pod it ran in is deleted first, so that no pruner goes on deleting once pushes are taken again.
 */
function pruneScript(deadlineSeconds: number): string {
  // what each of the two passes may take: half the Job's deadline less two rollouts of the window
  // (20 minutes each at most) and a margin, so that the run closes its window before the deadline
  const bound = Math.floor((deadlineSeconds - 2 * 1200 - 120) / 2);
  return `held=$(oc get ${CONFIG} -o 'jsonpath=${READ_ONLY_OWNER_PATH}')
if [ "$held" = hard-prune ]; then
  echo "hard prune: an earlier run left its window open: closing it, no prune now"
${thawScript('hard-prune')}  exit 0
fi
if [ -n "$held" ] || [ "$(oc get ${CONFIG} -o 'jsonpath={.spec.readOnly}')" = true ]; then
  echo "hard prune: the registry is read-only already (\${held:-set by hand}): not now"
  exit 0
fi
pod=
deleting=
thaw() {
  if [ -n "$deleting" ] && [ -n "$pod" ]; then
    echo "hard prune: the delete did not finish: deleting pod $pod, so that its pruner stops"
    oc delete pod "$pod" -n ${REGISTRY_NAMESPACE} --wait=true --timeout=5m
  fi
  echo "hard prune: closing the read-only window"
${thawScript('hard-prune')}}
trap 'set +e; thaw' EXIT
${freezeScript('hard-prune')}pod=$(oc get pods -n ${REGISTRY_NAMESPACE} -l docker-registry=default --field-selector=status.phase=Running -o 'jsonpath={.items[0].metadata.name}')
[ -n "$pod" ] || { echo "hard prune: no running registry pod" >&2; exit 1; }
oc get pod "$pod" -n ${REGISTRY_NAMESPACE} -o 'jsonpath={.spec.containers[0].env[?(@.name=="REGISTRY_STORAGE_MAINTENANCE_READONLY")].value}' | grep -q 'enabled: true' \\
  || { echo "hard prune: pod $pod does not run read-only" >&2; exit 1; }
echo "hard prune: check (nothing is deleted)"
timeout ${bound} oc exec -n ${REGISTRY_NAMESPACE} "pod/$pod" -- /bin/sh -c '/usr/bin/dockerregistry -prune=check'
echo "hard prune: delete"
deleting=1
timeout ${bound} oc exec -n ${REGISTRY_NAMESPACE} "pod/$pod" -- /bin/sh -c '/usr/bin/dockerregistry -prune=delete'
deleting=
`;
}

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
  if (deadline !== undefined && !(Number.isInteger(deadline) && deadline >= 3000)) {
    problems.add('deadlineSeconds', `must be a whole number of seconds, at least 3000 (the registry rolls twice, up to 20 minutes each), got ${show(deadline)}`, 'ORS-PRUNER-007');
  }
  problems.throwIfAny('hardPruneObjects');
  const name = 'registry-storage-hard-prune';
  const window = readOnlyWindowObjects(name, options.namespace ?? 'registry-storage-prune', options.cliImage, [
    // `delete`: a delete cut short by the deadline leaves a pruner running in the pod, stopped with it
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'delete'] },
    { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
  ]);
  const pruner = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { ...window.meta(`${name}-registry`, false) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-pruner' },
    subjects: [{ kind: 'ServiceAccount', name: REGISTRY_SERVICE_ACCOUNT, namespace: REGISTRY_NAMESPACE }],
  } as KubernetesManifest;
  const job = window.job(name, pruneScript(deadline ?? 21600), deadline ?? 21600) as any;
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
