/**
 * The Argo CD output of a fleet: one folder per cluster, and an ApplicationSet.
 */
import { fleetClusterManifests } from './cluster-manifests';
import { REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME } from '../../core/constants';
import { FleetPlan } from '../../fleet/inventory';

/** Options of {@link argoCdFleetFiles}. */
export interface ArgoCdFleetOptions {
  /** Git repository Argo CD reads the folders from. */
  readonly repoURL: string;
  /** Branch, tag or commit. @default 'main' */
  readonly targetRevision?: string;
  /** Folder in the repository holding one folder per cluster. @default 'fleet-argocd' */
  readonly path?: string;
  /** Namespace of the ApplicationSet (Argo CD's). @default 'openshift-gitops' */
  readonly applicationSetNamespace?: string;
  /** Argo CD project. @default 'default' */
  readonly project?: string;
}

/** What {@link argoCdFleetFiles} returns. */
export interface ArgoCdFleetOutput {
  /** Path under the output folder -> file content. */
  readonly files: Readonly<Record<string, string>>;
  /** Clusters with `hub-secret` -> the operator's keys their user Secret needs (from your secret store). */
  readonly hubSecretKeys: Readonly<Record<string, readonly string[]>>;
}

/**
 * The Argo CD output of a fleet: `<cluster>/registry-storage.yaml` for each cluster (what its
 * construct synthesizes, without the user Secret: keys never go to Git; `hubSecretKeys` lists what
 * each cluster with `hub-secret` needs from your secret store) and `applicationset.yaml`, an
 * ApplicationSet whose git directory generator points each cluster (an Argo CD cluster of the same
 * name) at its folder. The Config keeps `Prune=false,Delete=false`; the ApplicationSet syncs with
 * server-side apply and never prunes.
 *
 * No ApplicationSet CRD is vendored (400 KB): the few fields emitted are typed here from
 * https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Git/
 */
export function argoCdFleetFiles(fleet: FleetPlan, options: ArgoCdFleetOptions): ArgoCdFleetOutput {
  // Loaded on first use: importing the cdk8s flavour must not pay for a YAML writer.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsyaml: typeof import('js-yaml') = require('js-yaml');
  const root = options.path ?? 'fleet-argocd';
  const files: Record<string, string> = {};
  const hubSecretKeys: Record<string, readonly string[]> = {};
  for (const cluster of fleet.clusters) {
    const objects = fleetClusterManifests(cluster).filter((m) => !(cluster.hubSecret && m.kind === 'Secret' && m.metadata.name === REGISTRY_USER_SECRET_NAME));
    if (cluster.hubSecret) hubSecretKeys[cluster.name] = cluster.hubSecret.keys;
    const header = cluster.hubSecret
      ? `# ${cluster.name}: the Secret ${REGISTRY_NAMESPACE}/${REGISTRY_USER_SECRET_NAME} is not in Git: create it from your secret store with ${cluster.hubSecret.keys.join(', ')}\n`
      : `# ${cluster.name}: ${cluster.kind} registry storage\n`;
    files[`${cluster.name}/registry-storage.yaml`] = header + objects.map((o) => jsyaml.dump(o, { lineWidth: -1, noRefs: true, sortKeys: false })).join('---\n');
  }
  files['applicationset.yaml'] = jsyaml.dump(argoCdApplicationSet(options, root), { lineWidth: -1, noRefs: true });
  return { files, hubSecretKeys };
}

/** The ApplicationSet of {@link argoCdFleetFiles} (argoproj.io/v1alpha1). */
export function argoCdApplicationSet(options: ArgoCdFleetOptions, root = options.path ?? 'fleet-argocd'): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'registry-storage', namespace: options.applicationSetNamespace ?? 'openshift-gitops' },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ git: { repoURL: options.repoURL, revision: options.targetRevision ?? 'main', directories: [{ path: `${root}/*` }] } }],
      template: {
        metadata: { name: 'registry-storage-{{.path.basename}}' },
        spec: {
          project: options.project ?? 'default',
          source: { repoURL: options.repoURL, targetRevision: options.targetRevision ?? 'main', path: '{{.path.path}}' },
          // Every object names its namespace; this one is for any that would not (Argo CD refuses
          // a namespaced object without one: "Namespace for ... is missing").
          destination: { name: '{{.path.basename}}', namespace: REGISTRY_NAMESPACE },
          // An ordinary Job's image is rewritten on admission (OpenShift's ImagePolicy plugin
          // resolves short names); the library's own Jobs are hooks, but one added by hand is not.
          ignoreDifferences: [{ group: 'batch', kind: 'Job', jqPathExpressions: ['.spec.template.spec.containers[].image'] }],
          syncPolicy: {
            // Never prune: the Config and claims carry Prune=false,Delete=false too.
            automated: { prune: false, selfHeal: true },
            syncOptions: ['ServerSideApply=true', 'RespectIgnoreDifferences=true'],
          },
        },
      },
    },
  };
}
