/**
 * The in-cluster side of a storage migration: the Jobs that copy and check the registry's tree, and
 * the Jobs that open and close the read-only window, as plain Kubernetes objects in apply order. The
 * flavours render them (Pulumi resources in a dependency chain, cdk8s objects in Argo CD sync waves)
 * around the switch they already make.
 *
 * - The copy Jobs run in `openshift-image-registry` as service account `registry`, with the bound
 *   token (audience `openshift`) and `installer-cloud-credentials` mounted as the operator mounts
 *   them for the registry, so they reach the storage with the registry's own identity (STS, Workload
 *   Identity Federation, Azure Workload Identity), or with keys from a Secret.
 * - The window Jobs run `oc` in a namespace of their own, with a ServiceAccount that may only patch
 *   the `cluster` Config and ImagePruner and read the registry's Deployment.
 */
import { planStorageMigration, PRUNER, READ_ONLY_OWNER_ANNOTATION, READ_ONLY_OWNER_PATH, RESTORE_PRUNER_SCRIPT, StorageMigrationPlan, SUSPEND_BEFORE_MIGRATION_ANNOTATION, SUSPEND_MARK_PATH } from './migration';
import { CLUSTER_CREDENTIALS_SECRET, REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME } from '../core/constants';
import { CLI_IMAGE_STREAM, isKubernetesName, jobNamespaceProblems, jobRuntimeObjects, ocJob, RESOLVE_NAMES_ANNOTATION } from '../core/jobs';
import { KubernetesManifest, RegistryStoragePlan, StorageMigrationOptions } from '../core/model';
import { Problems, RegistryConfigProblem, RegistryStorageValidationError, show } from '../core/problems';
import { BOUND_TOKEN_PATH, CLOUD_CREDENTIALS_MOUNT_PATH } from '../core/storage-kind';

/**
 * The rclone image the copy Jobs run: rclone 1.69.3, the upstream image, pinned by the digest of its
 * multi-architecture index (alpine, with a POSIX shell and busybox awk, which the script needs).
 * On a disconnected cluster mirror it (`oc image mirror` of this digest, with an
 * ImageDigestMirrorSet) or give `copierImage`: any image with rclone 1.60 or newer, `sh` and `awk`.
 * @see https://hub.docker.com/r/rclone/rclone
 */
export const DEFAULT_COPIER_IMAGE = 'docker.io/rclone/rclone:1.69.3@sha256:1f497a86a6466395e62a5886613a14b7b18809543566ef9fa35fa1371a7ecc0f';

/** Namespace of the window Jobs (`oc`) by default. */
export const DEFAULT_MIGRATION_JOB_NAMESPACE = 'registry-storage-migrate';

/** The Secret in `openshift-image-registry` the destination's keys are read from during the copy, by default. */
export const DEFAULT_DESTINATION_KEYS_SECRET = 'registry-storage-migration-destination';


/** Options of {@link storageMigrationObjects}: the core's {@link StorageMigrationOptions} less the credential choices. */
export type StorageMigrationJobOptions = Omit<StorageMigrationOptions, 'fromKeys' | 'toKeys'>;


/** What {@link storageMigrationObjects} returns: each step's objects, in apply order. */
export interface StorageMigrationObjects {
  /** 1. The copy while the registry takes pushes: the copier's egress policy and Job (in `openshift-image-registry`). */
  readonly copy: readonly KubernetesManifest[];
  /**
   * 2. The read-only window opens: the window Jobs' namespace, egress policy, ServiceAccount and
   * roles, and the Job that suspends the image pruner (keeping its old value in an annotation), sets
   * `spec.readOnly: true` and waits until the registry runs read-only.
   */
  readonly freeze: readonly KubernetesManifest[];
  /** 3 and 4. The final copy and the checks, in the window; a failure stops the switch. */
  readonly final: readonly KubernetesManifest[];
  /** 6. After the switch: `spec.readOnly: false`, the pruner as it was. */
  readonly thaw: readonly KubernetesManifest[];
  /**
   * The Secret the copy Jobs read the new storage's keys from, and the keys they read; undefined when
   * the new storage is written with the pod's identity or is a claim.
   */
  readonly destinationKeys?: { readonly secretName: string; readonly keys: readonly string[] };
}

/** Label of the copy pods (what their egress policy selects). */
const COPIER = 'registry-storage-migrate-copier';
/** Where the cluster's trusted CAs are mounted in the copy pods. */
const CA_DIR = '/etc/pki/registry-storage-migration';
const TOKEN_DIR = BOUND_TOKEN_PATH.slice(0, BOUND_TOKEN_PATH.lastIndexOf('/'));

/**
 * The objects of a migration planned by `planStorageMigration`, per step. The switch (the new
 * Config, the removal of the old block, the wait) comes between `final` and `thaw`; the flavours
 * make it.
 *
 * @throws RegistryStorageValidationError naming the option and the fix
 * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/resource/podtemplatespec.go (the registry's token, credentials and read-only env)
 * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/manifests/08-default-deny-all-networkpolicy.yaml
 */
export function storageMigrationObjects(migration: StorageMigrationPlan, options: StorageMigrationJobOptions = {}): StorageMigrationObjects {
  const problems = new Problems();
  for (const k of ['copierImage', 'cliImage'] as const) {
    const v = options[k];
    if (v !== undefined && (typeof v !== 'string' || v === '' || /\s/.test(v))) problems.add(k, `must be an image reference (no spaces), got ${show(v)}`, 'ORS-MIGRATE-006');
  }
  for (const k of ['sourceKeysSecret', 'destinationKeysSecret'] as const) {
    if (options[k] !== undefined && !isKubernetesName(options[k])) problems.add(k, `must be a Secret name in ${REGISTRY_NAMESPACE}, got ${show(options[k])}`, 'ORS-MIGRATE-007');
  }
  if (options.destinationKeysSecret === REGISTRY_USER_SECRET_NAME) {
    problems.add('destinationKeysSecret', `must not be ${REGISTRY_USER_SECRET_NAME}: the registry reads the old storage's keys from it until the switch`, 'ORS-MIGRATE-008');
  }
  for (const k of ['copyDeadlineSeconds', 'finalDeadlineSeconds'] as const) {
    const v = options[k];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 60)) problems.add(k, `must be a whole number of seconds, at least 60, got ${show(v)}`, 'ORS-MIGRATE-009');
  }
  if (options.namespace !== undefined) jobNamespaceProblems(problems, 'namespace', options.namespace, DEFAULT_MIGRATION_JOB_NAMESPACE);
  const { source, destination } = migration;
  problems.throwIfAny('storageMigrationObjects');

  const secrets = {
    source: options.sourceKeysSecret ?? REGISTRY_USER_SECRET_NAME,
    destination: options.destinationKeysSecret ?? DEFAULT_DESTINATION_KEYS_SECRET,
  };
  const labels = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'openshift-registry-storage' });
  const copierMeta = (name: string) => ({ name, namespace: REGISTRY_NAMESPACE, labels: labels(name) });

  // -- the copier: its environment, volumes and placement
  const ends = [['source', source], ['destination', destination]] as const;
  const env: Record<string, unknown>[] = [
    { name: 'SOURCE', value: source.path },
    { name: 'DESTINATION', value: destination.path },
    { name: 'LINK_COMPARE', value: migration.linkCompare },
    { name: 'HOME', value: '/tmp' },
  ];
  const identity = ends.some(([, e]) => e.reach.podIdentity !== undefined && Object.keys(e.secretEnv).length === 0 && e.reach.claim === undefined);
  const seen = new Set<string>();
  for (const [role, e] of ends) {
    for (const [k, v] of Object.entries(e.env)) env.push({ name: k, value: v });
    for (const [k, key] of Object.entries(e.secretEnv)) env.push({ name: k, valueFrom: { secretKeyRef: { name: secrets[role], key } } });
    const pod = Object.keys(e.secretEnv).length === 0 ? e.reach.podIdentity : undefined;
    for (const [k, v] of Object.entries(pod?.env ?? {})) if (!seen.has(k) && seen.add(k)) env.push({ name: k, value: v });
    for (const [k, key] of Object.entries(pod?.fromCloudCredentials ?? {})) {
      if (!seen.has(k) && seen.add(k)) env.push({ name: k, valueFrom: { secretKeyRef: { name: CLUSTER_CREDENTIALS_SECRET, key, optional: true } } });
    }
  }
  // The cluster's trusted CAs, as the operator gives them to the registry (ConfigMap trusted-ca, optional).
  env.push({ name: 'CA_BUNDLE', value: `${CA_DIR}/ca-bundle.crt` });
  const volumes: Record<string, unknown>[] = [
    { name: 'tmp', emptyDir: {} },
    { name: 'trusted-ca', configMap: { name: 'trusted-ca', items: [{ key: 'ca-bundle.crt', path: 'ca-bundle.crt' }], optional: true } },
  ];
  const mounts: Record<string, unknown>[] = [{ name: 'tmp', mountPath: '/tmp' }, { name: 'trusted-ca', mountPath: CA_DIR, readOnly: true }];
  if (identity) {
    // As the operator gives them to the registry: the bound token (audience openshift) and the cluster's credentials.
    volumes.push(
      { name: 'bound-sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'openshift', expirationSeconds: 3600, path: 'token' } }] } },
      { name: 'cloud-credentials', secret: { secretName: CLUSTER_CREDENTIALS_SECRET } },
    );
    mounts.push({ name: 'bound-sa-token', mountPath: TOKEN_DIR, readOnly: true }, { name: 'cloud-credentials', mountPath: CLOUD_CREDENTIALS_MOUNT_PATH, readOnly: true });
  }
  let claims = false;
  for (const [role, e] of ends) {
    if (e.reach.claim === undefined) continue;
    claims = true;
    volumes.push({ name: role, persistentVolumeClaim: { claimName: e.reach.claim, ...(role === 'source' ? { readOnly: true } : {}) } });
    mounts.push({ name: role, mountPath: e.path, ...(role === 'source' ? { readOnly: true } : {}) });
  }
  const copierJob = (name: string, mode: 'pre' | 'final', deadline: number): KubernetesManifest => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: copierMeta(name),
    spec: {
      // Retried with the Job controller's backoff (10 s, doubling): a bucket a controller creates in
      // the same sync may take a minute to exist.
      backoffLimit: 6,
      activeDeadlineSeconds: deadline,
      template: {
        metadata: {
          labels: { 'app.kubernetes.io/name': COPIER },
          ...(mode === 'final' && options.cliImage === undefined ? { annotations: { [RESOLVE_NAMES_ANNOTATION]: '*' } } : {}),
        },
        spec: {
          // The registry's identity: the role trust, the WIF pool and the federated credential name this subject.
          serviceAccountName: 'registry',
          restartPolicy: 'Never',
          // Files written to a claim get the registry's group (the namespace's first supplemental
          // group, what the operator gives the registry as fsGroup) and the script's umask keeps
          // them group-writable.
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          // A ReadWriteOnce claim attaches to one node: the copier runs where the registry pod runs.
          ...(claims ? {
            affinity: {
              podAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{
                  labelSelector: { matchLabels: { 'docker-registry': 'default' } },
                  namespaces: [REGISTRY_NAMESPACE],
                  topologyKey: 'kubernetes.io/hostname',
                }],
              },
            },
          } : {}),
          ...(mode === 'final' ? {
            // The final copy only in the read-only window: a retry after the window closed (a
            // SyncFail hook, a rollback) must not copy while the registry takes pushes.
            automountServiceAccountToken: true,
            initContainers: [{
              name: 'read-only',
              image: options.cliImage ?? `${CLI_IMAGE_STREAM}:latest`,
              command: ['/bin/sh', '-ec', READ_ONLY_CHECK],
              env: [{ name: 'HOME', value: '/tmp' }],
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
              resources: { requests: { cpu: '10m', memory: '64Mi' } },
            }],
          } : {}),
          containers: [{
            name: 'rclone',
            image: options.copierImage ?? DEFAULT_COPIER_IMAGE,
            command: ['/bin/sh', '-c', `umask 0002\n${migration.script}`, 'migrate', mode],
            env,
            volumeMounts: mounts,
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
            resources: { requests: { cpu: '100m', memory: '256Mi' } },
          }],
          volumes,
        },
      },
    },
  });

  // -- the copier's egress: the default-deny policy of openshift-image-registry would stop it. Any
  // destination and port: a policy matches the pod's port behind a Service (NooBaa's s3 Service
  // sends 443 to 6443), which no storage block names, and the API server's (the read-only check).
  const copyPolicy: KubernetesManifest = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: copierMeta(COPIER),
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': COPIER } },
      policyTypes: ['Egress'],
      egress: [{}],
    },
  };
  // -- what the final Job's check may read as service account registry: the Config and the
  // registry's Deployment, nothing else, nothing written
  const check = 'registry-storage-migrate-check';
  const checkRoles = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: check, labels: labels(check) },
      rules: [{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: [REGISTRY_CONFIG_NAME], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: check, labels: labels(check) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: check },
      subjects: [{ kind: 'ServiceAccount', name: 'registry', namespace: REGISTRY_NAMESPACE }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: copierMeta(check),
      rules: [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['image-registry'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: copierMeta(check),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: check },
      subjects: [{ kind: 'ServiceAccount', name: 'registry', namespace: REGISTRY_NAMESPACE }],
    },
  ] as KubernetesManifest[];
  // The payload's oc in openshift-image-registry too (an image resolves through an ImageStream of the pod's own namespace).
  const registryCli = options.cliImage === undefined
    ? jobRuntimeObjects(COPIER, REGISTRY_NAMESPACE, undefined, (n) => copierMeta(n)).filter((o) => o.kind === 'ImageStream')
    : [];

  // -- the window: oc Jobs in a namespace of their own
  const window = readOnlyWindowObjects('registry-storage-migrate-window', options.namespace ?? DEFAULT_MIGRATION_JOB_NAMESPACE, options.cliImage);
  return {
    copy: [copyPolicy, ...registryCli, ...checkRoles, copierJob('registry-storage-migrate-copy', 'pre', options.copyDeadlineSeconds ?? 21600)],
    freeze: [...window.objects, window.job('registry-storage-migrate-read-only', freezeScript('migration'))],
    final: [copierJob('registry-storage-migrate-final', 'final', options.finalDeadlineSeconds ?? 3600)],
    thaw: [window.job('registry-storage-migrate-writable', thawScript('migration'))],
    destinationKeys: Object.keys(destination.secretEnv).length > 0
      ? { secretName: secrets.destination, keys: [...new Set(Object.values(destination.secretEnv))] }
      : undefined,
  };
}

/**
 * @internal What the Jobs that open and close a read-only window need, in a namespace of their own:
 * the Namespace, the payload's `oc` (an ImageStream, unless `cliImage`), an egress policy to the API
 * server, a ServiceAccount `name` that may only `get` and `patch` the `cluster` Config and
 * ImagePruner and read the registry's Deployment (and what `registryRules` add in
 * `openshift-image-registry`); and a maker of its `oc` Jobs.
 */
export function readOnlyWindowObjects(name: string, namespace: string, cliImage: string | undefined,
  registryRules: readonly Record<string, unknown>[] = []) {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'openshift-registry-storage' };
  const meta = (objectName: string, namespaced: boolean) => ({ name: objectName, ...(namespaced ? { namespace } : {}), labels });
  const registryRole = { ...meta(name, true), namespace: REGISTRY_NAMESPACE };
  const objects = [
    ...jobRuntimeObjects(name, namespace, cliImage, meta),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name, true) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(name, false),
      rules: [
        { apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs', 'imagepruners'], resourceNames: [REGISTRY_CONFIG_NAME], verbs: ['get', 'patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(name, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: registryRole,
      // `oc rollout status` watches the one Deployment by name
      rules: [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['image-registry'], verbs: ['get', 'list', 'watch'] }, ...registryRules],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: registryRole,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  ] as KubernetesManifest[];
  return {
    objects,
    job: (jobName: string, script: string, deadlineSeconds = 1800) => ocJob(name, meta(jobName, true), 'oc', ['/bin/sh', '-ec', script], cliImage, deadlineSeconds),
    meta,
  };
}

/** @internal */
export const CONFIG = `configs.imageregistry.operator.openshift.io/${REGISTRY_CONFIG_NAME}`;


/**
 * @internal Opens the read-only window for `owner`: takes the Config's owner annotation first, on the
 * resourceVersion it read (two windows cannot both take it; a rerun by the same owner goes on), then
 * suspends the pruner (keeping its old value once), sets `spec.readOnly: true`, and waits until the
 * registry's Deployment renders it (`REGISTRY_STORAGE_MAINTENANCE_READONLY`) and has rolled.
 */
export function freezeScript(owner: string): string {
  return `held=$(oc get ${CONFIG} -o 'jsonpath=${READ_ONLY_OWNER_PATH}')
if [ -z "$held" ]; then
  rv=$(oc get ${CONFIG} -o 'jsonpath={.metadata.resourceVersion}')
  oc annotate ${CONFIG} "${READ_ONLY_OWNER_ANNOTATION}=${owner}" --resource-version="$rv"
elif [ "$held" != ${owner} ]; then
  echo "read-only: another window is open (${READ_ONLY_OWNER_ANNOTATION}: $held): not now" >&2
  exit 5
fi
if oc get ${PRUNER} > /dev/null 2>&1; then
  if [ -z "$(oc get ${PRUNER} -o 'jsonpath=${SUSPEND_MARK_PATH}')" ]; then
    was=$(oc get ${PRUNER} -o 'jsonpath={.spec.suspend}')
    oc annotate ${PRUNER} "${SUSPEND_BEFORE_MIGRATION_ANNOTATION}=\${was:-false}"
  fi
  oc patch ${PRUNER} --type=merge -p '{"spec":{"suspend":true}}'
fi
oc patch ${CONFIG} --type=merge -p '{"spec":{"readOnly":true}}'
until oc get deployment/image-registry -n ${REGISTRY_NAMESPACE} \\
    -o 'jsonpath={.spec.template.spec.containers[0].env[?(@.name=="REGISTRY_STORAGE_MAINTENANCE_READONLY")].value}' | grep -q 'enabled: true'; do
  sleep 5
done
oc rollout status deployment/image-registry -n ${REGISTRY_NAMESPACE} --timeout=20m
echo "read-only: the registry refuses pushes"
`;
}

/**
 * @internal Closes the window `owner` opened, and only that one: \`spec.readOnly: false\`, the owner
 * annotation removed, the pruner's \`suspend\` as the window found it. Another owner's window, or none,
 * is left alone. Safe to run again.
 */
export function thawScript(owner: string): string {
  return `if [ "$(oc get ${CONFIG} -o 'jsonpath=${READ_ONLY_OWNER_PATH}')" = ${owner} ]; then
  oc patch ${CONFIG} --type=merge -p '{"spec":{"readOnly":false},"metadata":{"annotations":{"${READ_ONLY_OWNER_ANNOTATION}":null}}}'
${RESTORE_PRUNER_SCRIPT}  echo "writable: pushes are taken again"
else
  echo "writable: no read-only window of ${owner} is open: nothing to close"
fi
`;
}

/**
 * Runs before the final copy, as service account `registry`: the Config says read-only, the
 * registry's Deployment renders it, and its rollout is complete. Otherwise the copy does not start.
 */
const READ_ONLY_CHECK = `[ "$(oc get ${CONFIG} -o 'jsonpath={.spec.readOnly}')" = true ] \\
  && [ "$(oc get ${CONFIG} -o 'jsonpath=${READ_ONLY_OWNER_PATH}')" = migration ] || {
  echo "the registry is not read-only in the migration's window: the final copy runs only there. Run the read-only Job again first" >&2
  exit 4
}
oc get deployment/image-registry -n ${REGISTRY_NAMESPACE} \\
  -o 'jsonpath={.spec.template.spec.containers[0].env[?(@.name=="REGISTRY_STORAGE_MAINTENANCE_READONLY")].value}' | grep -q 'enabled: true' || {
  echo "the registry's Deployment does not run read-only yet" >&2
  exit 4
}
oc rollout status deployment/image-registry -n ${REGISTRY_NAMESPACE} --timeout=20m
`;

/** Closes the window: `spec.readOnly: false`, and the pruner's `suspend` as the annotation kept it. Safe to run again. */


/** A migration a plan asked for ({@link RegistryStoragePlan.migrateFrom}), planned: the scripts and the objects. */
export interface PlannedStorageMigration {
  readonly plan: StorageMigrationPlan;
  readonly objects: StorageMigrationObjects;
}

/**
 * Plans the move a storage plan asks for (`migrateFrom`, `migration`), for a flavour to render: the
 * problems are named by those props (`migrateFrom`, `migration.copierImage`). Undefined when the
 * plan asks for none.
 *
 * @throws RegistryStorageValidationError naming the prop and the fix
 */
export function storageMigrationOf(plan: RegistryStoragePlan, what = 'migrateFrom'): PlannedStorageMigration | undefined {
  if (!plan.migrateFrom) return undefined;
  const { storage, options } = plan.migrateFrom;
  const { fromKeys, toKeys, ...jobOptions } = options;
  const problems: RegistryConfigProblem[] = [];
  const at = (p: RegistryConfigProblem): RegistryConfigProblem => ({
    ...p,
    path: p.path === 'from' || p.path.startsWith('from.') ? `migrateFrom${p.path.slice(4)}` : p.path === 'to' ? p.path : `migration.${p.path}`,
  });
  let migration: StorageMigrationPlan | undefined;
  let objects: StorageMigrationObjects | undefined;
  try {
    migration = planStorageMigration({ from: storage, to: plan, fromKeys, toKeys: toKeys ?? (plan.secret ? true : undefined) });
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    problems.push(...e.problems.map(at));
  }
  if (migration) {
    try {
      objects = storageMigrationObjects(migration, jobOptions);
    } catch (e) {
      if (!(e instanceof RegistryStorageValidationError)) throw e;
      problems.push(...e.problems.map(at));
    }
  }
  if (objects?.destinationKeys && !plan.secret && jobOptions.destinationKeysSecret === undefined) {
    problems.push({
      path: 'migration.toKeys',
      message: `the new ${plan.storageType} storage is written with keys, but none are given: give the storage's credentials, or name a Secret holding `
        + `${objects.destinationKeys.keys.join(' and ')} with migration.destinationKeysSecret`,
      code: 'ORS-MIGRATE-010',
    });
  }
  if (problems.length > 0) throw new RegistryStorageValidationError(what, problems);
  return { plan: migration!, objects: objects! };
}
