/**
 * cdk8s outputs of a fleet plan (lib/fleet): Red Hat Advanced Cluster Management policies on the
 * hub ({@link AcmRegistryStorageFleet}), or one folder per cluster with an Argo CD ApplicationSet
 * ({@link argoCdFleetFiles}). Each cluster's objects are what its own construct
 * (`S3RegistryStorage`...) synthesizes, checked as that construct checks them; the fleet outputs
 * only place them.
 */
import { createHash } from 'crypto';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterScoped } from './cluster-scoped';
import { AcmConfigurationPolicy, AcmConfigurationPolicySpec } from './generated/acm-configuration-policy';
import { AcmPlacement } from './generated/acm-placement';
import { AcmPlacementBinding } from './generated/acm-placement-binding';
import { AcmPolicy } from './generated/acm-policy';
import { KIND_CONSTRUCTS } from './kind-constructs';
import { PRINT_WARNINGS_CONTEXT } from './registry-storage';
import { REGISTRY_CONFIG_KIND, REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME } from '../core/constants';
import { KubernetesManifest } from '../core/plan';
import { CLI_IMAGE_STREAM, RESOLVE_NAMES_ANNOTATION } from '../core/remove-other-storage';
import { FleetClusterPlan, FleetPlan, FleetStorageKind } from '../fleet/inventory';
import { storageKind } from '../platforms/kinds';

/**
 * The objects one cluster of the fleet gets: its construct synthesized in an App of its own and
 * checked as `app.synth()` checks it (the construct's rules, the controllers' CRDs). Throws with
 * the cluster's name when a check fails.
 */
export function fleetClusterManifests(cluster: FleetClusterPlan): KubernetesManifest[] {
  const app = new App({ outdir: '/nonexistent-never-written' });
  app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
  const chart = new Chart(app, cluster.name);
  KIND_CONSTRUCTS[cluster.kind](chart, 'storage', cluster.props);
  const errors = app.node.findAll().flatMap((c) => c.node.validate().map((e) => `${c.node.path}: ${e}`));
  if (errors.length > 0) throw new Error(`cluster ${cluster.name}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n  - ${errors.join('\n  - ')}`);
  return chart.toJson();
}


/** Props of {@link AcmRegistryStorageFleet}. */
export interface AcmRegistryStorageFleetProps {
  /** The fleet, from `loadFleetInventory` or `planFleet`. */
  readonly fleet: FleetPlan;
  /**
   * What the policies do on the managed clusters: `enforce` creates and corrects the objects;
   * `inform` only reports clusters whose registry storage differs (fleet-wide drift detection:
   * a Config changed by hand shows as NonCompliant).
   * @see https://open-cluster-management.io/docs/getting-started/integration/policy-controllers/configuration-policy/
   */
  readonly remediationAction: 'inform' | 'enforce';
  /**
   * Hub namespace of the policies, placements, values ConfigMap and the hub Secrets with keys.
   * It is created (a Namespace object) unless `createNamespace` is false.
   * @default 'registry-storage-fleet'
   */
  readonly namespace?: string;
  /** Emit the Namespace object. @default true */
  readonly createNamespace?: boolean;
  /**
   * ManagedClusterSets the placements select from; a ManagedClusterSetBinding to the namespace is
   * emitted for each (a Placement selects nothing without one).
   * @default ['global'] (every managed cluster)
   */
  readonly clusterSets?: readonly string[];
  /** Severity of the ConfigurationPolicies. @default 'high' */
  readonly severity?: 'low' | 'medium' | 'high' | 'critical';
}

/** A storage profile: one Policy, Placement and PlacementBinding for the clusters it selects. */
export interface AcmFleetProfile {
  /** Name of the Policy, Placement and PlacementBinding: `registry-<kind>-<hash of the templates>`. */
  readonly name: string;
  readonly kind: FleetStorageKind;
  /** The clusters it selects, sorted. */
  readonly clusters: readonly string[];
}

/** Name of the hub ConfigMap holding each cluster's own values (`<cluster>.<field>` keys); no credential. */
export const FLEET_VALUES_CONFIGMAP = 'registry-storage-fleet-values';

/**
 * ACM's limit on a policy's namespace plus name: its webhook refuses `len(name) + len(namespace) > 62`
 * (governance-policy-propagator `api/v1/policy_webhook.go`; the replicated policy is `<namespace>.<name>`).
 */
const ACM_NAME_LIMIT = 62;
/** A ConfigMap must fit in etcd's 1 MiB object limit (with room for its metadata). */
const CONFIGMAP_LIMIT = 1_000_000;

/**
 * Red Hat Advanced Cluster Management (Open Cluster Management) governance for a fleet's registry
 * storage, on the hub: clusters whose objects are the same once their own values (bucket, region,
 * container...) are templated form one storage profile; each profile is a `Policy` wrapping a
 * `ConfigurationPolicy` (`musthave`, `pruneObjectBehavior: None`: removing a policy never deletes
 * a registry's Config or storage) over the cluster's objects, with a `Placement` selecting its
 * clusters by name and a `PlacementBinding`.
 *
 * - Per-cluster values come from the hub ConfigMap {@link FLEET_VALUES_CONFIGMAP} through hub
 *   templates: `{{hub fromConfigMap "" "registry-storage-fleet-values" (printf "%s.s3.bucket" .ManagedClusterName) hub}}`.
 * - Keys (`credentials: hub-secret`) come from a Secret on the hub, in the same namespace, one per
 *   cluster (`<cluster>-registry-storage`, holding the operator's keys), through
 *   `{{hub fromSecret ... hub}}`: no key is in Git; ACM encrypts the resolved values on the way.
 * - Objects are listed in apply order: the user Secret before the Config.
 *
 * @see https://docs.redhat.com/en/documentation/red_hat_advanced_cluster_management_for_kubernetes/2.12/html/governance/template-processing (hub templates: `.ManagedClusterName`, objects in the policy's namespace only, `fromSecret` values encrypted in the replicated policy)
 */
export class AcmRegistryStorageFleet extends Construct {
  /** The storage profiles, sorted by name. */
  public readonly profiles: readonly AcmFleetProfile[];
  /** The hub namespace. */
  public readonly namespace: string;
  /** The values ConfigMap (each cluster's own values; no credential). */
  public readonly values: ApiObject;
  /** The hub Secrets the clusters with `hub-secret` need, and the keys each must hold. */
  public readonly hubSecrets: ReadonlyArray<{ readonly cluster: string; readonly name: string; readonly keys: readonly string[] }>;

  public constructor(scope: Construct, id: string, props: AcmRegistryStorageFleetProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'registry-storage-fleet';
    this.namespace = namespace;
    const problems: string[] = [];
    if (!['inform', 'enforce'].includes(props.remediationAction)) problems.push(`remediationAction: must be inform or enforce, got ${JSON.stringify(props.remediationAction)}`);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) problems.push(`namespace: must be a namespace name, got ${JSON.stringify(namespace)}`);
    const clusterSets = props.clusterSets ?? ['global'];
    const values: Record<string, string> = {};
    const groups = new Map<string, { kind: FleetStorageKind; objects: KubernetesManifest[]; clusters: string[] }>();
    const hubSecrets: Array<{ cluster: string; name: string; keys: readonly string[] }> = [];

    for (const cluster of props.fleet.clusters) {
      const manifests = fleetClusterManifests(cluster);
      const own = clusterValues(cluster, manifests);
      if (cluster.hubSecret) hubSecrets.push({ cluster: cluster.name, ...cluster.hubSecret });
      const objects = forAcm(manifests).map((m, i) => templated(m, i, own, cluster));
      for (const [k, v] of Object.entries(own.values)) values[`${cluster.name}.${k}`] = v;
      // The user Secret first: the operator must not see a Config whose keys do not exist yet.
      objects.sort((a, b) => rank(a) - rank(b));
      const key = JSON.stringify({ kind: cluster.kind, objects });
      const group = groups.get(key) ?? { kind: cluster.kind, objects, clusters: [] };
      group.clusters.push(cluster.name);
      groups.set(key, group);
    }
    this.hubSecrets = hubSecrets;

    if (props.createNamespace ?? true) {
      const ns = new ApiObject(this, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      clusterScoped(ns);
    }
    for (const set of clusterSets) {
      // No CRD vendored for this small kind: typed from the Open Cluster Management API
      // (cluster.open-cluster-management.io/v1beta2 ManagedClusterSetBinding: spec.clusterSet, name = set).
      new ApiObject(this, `ClusterSetBinding-${set}`, {
        apiVersion: 'cluster.open-cluster-management.io/v1beta2',
        kind: 'ManagedClusterSetBinding',
        metadata: { name: set, namespace },
        spec: { clusterSet: set },
      });
    }
    const data = Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
    this.values = new ApiObject(this, 'Values', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: FLEET_VALUES_CONFIGMAP, namespace }, data });
    const size = Object.entries(data).reduce((n, [k, v]) => n + k.length + v.length + 8, 0);
    if (size > CONFIGMAP_LIMIT) {
      problems.push(`the values ConfigMap would be ${size} bytes, over the 1 MiB an object may be: split the fleet (one namespace, and one AcmRegistryStorageFleet, per region)`);
    }

    const profiles: AcmFleetProfile[] = [];
    for (const [key, group] of groups) {
      const name = `registry-${storageKind(group.kind)!.fleet.abbreviation}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
      if (namespace.length + name.length > ACM_NAME_LIMIT) {
        problems.push(`namespace: "${namespace}" is too long: ACM needs namespace and policy name (${name}) within ${ACM_NAME_LIMIT} characters together`);
      }
      profiles.push({ name, kind: group.kind, clusters: [...group.clusters].sort() });
      const looksUp = group.objects.some((o: any) => o.kind === 'Job' && o.spec.template.spec.containers.some((c: any) => c.image === ACM_PAYLOAD_CLI_IMAGE));
      const spec: AcmConfigurationPolicySpec = {
        'remediationAction': props.remediationAction,
        'severity': props.severity ?? 'high',
        'pruneObjectBehavior': 'None',
        // The payload-cli lookup reads an ImageStreamTag, a kind with no watch verb: in the default
        // watch mode the controller refuses the template ("may require evaluationInterval to be
        // set", config-policy-controller controller.go; kubernetes-dependency-watches
        // ErrResourceUnwatchable), so such profiles are evaluated on an interval instead.
        ...(looksUp ? { evaluationInterval: { compliant: '10m', noncompliant: '1m' } } : {}),
        // A Job's pod template is immutable: when its image (the payload's oc, looked up on the
        // managed cluster) changes with a cluster upgrade, IfRequired deletes and re-creates it
        // instead of failing the update (config-policy-controller `recreateOption`).
        'object-templates': group.objects.map((objectDefinition) => ({
          complianceType: 'musthave', objectDefinition, ...(objectDefinition.kind === 'Job' ? { recreateOption: 'IfRequired' as const } : {}),
        })),
      };
      const configurationPolicy = { ...AcmConfigurationPolicy.GVK, metadata: { name }, spec };
      for (const p of AcmConfigurationPolicy.problems(configurationPolicy)) problems.push(`${name}: ConfigurationPolicy ${p}`);
      new AcmPolicy(this, `Policy-${name}`, {
        metadata: {
          name,
          namespace,
          annotations: {
            'policy.open-cluster-management.io/standards': 'NIST SP 800-53',
            'policy.open-cluster-management.io/categories': 'CM Configuration Management',
            'policy.open-cluster-management.io/controls': 'CM-2 Baseline Configuration',
            'openshift-registry-storage/clusters': String(group.clusters.length),
          },
        },
        spec: { 'remediationAction': props.remediationAction, 'disabled': false, 'policy-templates': [{ objectDefinition: configurationPolicy as any }] },
      });
      new AcmPlacement(this, `Placement-${name}`, {
        metadata: { name, namespace },
        spec: {
          clusterSets: [...clusterSets],
          predicates: [{ requiredClusterSelector: { labelSelector: { matchExpressions: [{ key: 'name', operator: 'In', values: [...group.clusters].sort() }] } } }],
          // A cluster that is briefly unreachable keeps its policy instead of flapping out and in.
          tolerations: [
            { key: 'cluster.open-cluster-management.io/unreachable', operator: 'Exists' },
            { key: 'cluster.open-cluster-management.io/unavailable', operator: 'Exists' },
          ],
        },
      });
      new AcmPlacementBinding(this, `PlacementBinding-${name}`, {
        metadata: { name, namespace },
        placementRef: { apiGroup: 'cluster.open-cluster-management.io', kind: 'Placement', name },
        subjects: [{ apiGroup: 'policy.open-cluster-management.io', kind: 'Policy', name }],
      });
    }
    this.profiles = profiles.sort((a, b) => a.name.localeCompare(b.name));
    if (problems.length > 0) throw new Error(`AcmRegistryStorageFleet: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * The payload's `oc` as the managed cluster's config-policy-controller resolves it when it
 * evaluates the policy (a managed-cluster template, go-template-utils `lookup`): a digest pull
 * spec, so the Job it creates is stored as written and stays compliant. OpenShift's ImagePolicy
 * plugin would rewrite the short name `registry-storage-cli:latest` on admission, and `musthave`
 * would then never match.
 */
export const ACM_PAYLOAD_CLI_IMAGE = '{{ (lookup "image.openshift.io/v1" "ImageStreamTag" "openshift" "cli:latest").image.dockerImageReference }}';

/**
 * A claim's size as ACM writes it: the live claim's when it exists (an online expansion must not be
 * reported NonCompliant, nor shrunk under enforce), the planned size when ACM creates it. So a
 * larger planned size does not grow an existing claim: that is done on the cluster.
 */
function acmClaimSize(namespace: string, name: string, planned: string): string {
  return `{{ (lookup "v1" "PersistentVolumeClaim" "${namespace}" "${name}").spec.resources.requests.storage | default "${planned}" }}`;
}

/**
 * A cluster's objects as ACM's object-templates: Jobs that would run the payload's `oc` through the
 * library's ImageStream read it with {@link ACM_PAYLOAD_CLI_IMAGE} instead (the ImageStream is left
 * out), and claims keep their live size ({@link acmClaimSize}).
 */
function forAcm(manifests: KubernetesManifest[]): KubernetesManifest[] {
  const viaStream = (m: any) => m.kind === 'Job' && m.spec?.template?.spec?.containers?.some((c: any) => c.image === `${CLI_IMAGE_STREAM}:latest`);
  const streamNamespaces = new Set(manifests.filter(viaStream).map((m) => m.metadata.namespace));
  return manifests.filter((m) => !(m.kind === 'ImageStream' && m.metadata.name === CLI_IMAGE_STREAM && streamNamespaces.has(m.metadata.namespace)))
    .map((m: any) => {
      if (viaStream(m)) {
        const { [RESOLVE_NAMES_ANNOTATION]: _r, ...podAnnotations } = m.spec.template.metadata?.annotations ?? {};
        return {
          ...m,
          spec: {
            ...m.spec,
            template: {
              ...m.spec.template,
              metadata: { ...m.spec.template.metadata, annotations: Object.keys(podAnnotations).length > 0 ? podAnnotations : undefined },
              spec: {
                ...m.spec.template.spec,
                containers: m.spec.template.spec.containers.map((c: any) => ({ ...c, image: ACM_PAYLOAD_CLI_IMAGE })),
              },
            },
          },
        };
      }
      if (m.kind === 'PersistentVolumeClaim' && typeof m.spec?.resources?.requests?.storage === 'string') {
        const size = acmClaimSize(m.metadata.namespace, m.metadata.name, m.spec.resources.requests.storage);
        return { ...m, spec: { ...m.spec, resources: { ...m.spec.resources, requests: { ...m.spec.resources.requests, storage: size } } } };
      }
      return m;
    }).map((m) => JSON.parse(JSON.stringify(m)));
}

function rank(o: KubernetesManifest): number {
  return o.kind === 'Secret' && o.metadata.name === REGISTRY_USER_SECRET_NAME ? 0 : o.kind === REGISTRY_CONFIG_KIND ? 2 : 1;
}

interface ClusterValues {
  /** `<path>` -> value as text, for the ConfigMap. */
  readonly values: Record<string, string>;
  /** `<path>` -> the hub template that reads it back with its type. */
  readonly templates: Record<string, string>;
  /** String value -> template, to replace the same value in the other objects. */
  readonly byValue: Map<string, string>;
}

/** The cluster's own values: every leaf of its Config's storage block. */
function clusterValues(cluster: FleetClusterPlan, manifests: KubernetesManifest[]): ClusterValues {
  const config = manifests.find((m) => m.kind === REGISTRY_CONFIG_KIND) as any;
  const type = cluster.plan.storageType;
  const values: Record<string, string> = {};
  const templates: Record<string, string> = {};
  const byValue = new Map<string, string>();
  const walk = (v: unknown, path: string) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
      return;
    }
    if (Array.isArray(v)) return; // lists are part of the profile, not templated
    values[path] = String(v);
    const cast = typeof v === 'number' ? ' | toInt' : typeof v === 'boolean' ? ' | toBool' : '';
    templates[path] = configMapTemplate(path).replace(' hub}}', `${cast} hub}}`);
    if (typeof v === 'string' && v.length >= 3 && !byValue.has(v)) byValue.set(v, templates[path]);
  };
  walk(config?.spec?.storage?.[type] ?? {}, type);
  return { values, templates, byValue };
}

function configMapTemplate(key: string): string {
  return `{{hub fromConfigMap "" "${FLEET_VALUES_CONFIGMAP}" (printf "%s.${key}" .ManagedClusterName) hub}}`;
}

/**
 * One object of a cluster with its own values replaced by hub templates: a field equal to one of
 * the cluster's values reads that value; a field that contains one (a bucket ARN in a bucket
 * policy's JSON) is kept whole in the values ConfigMap under `o<object>.<path>` and read back whole,
 * so no template sits inside a string.
 */
function templated(m: KubernetesManifest, index: number, own: ClusterValues, cluster: FleetClusterPlan): KubernetesManifest {
  const type = cluster.plan.storageType;
  if (m.kind === REGISTRY_CONFIG_KIND) {
    const copy = JSON.parse(JSON.stringify(m));
    const block = copy.spec?.storage?.[type];
    const walk = (o: Record<string, unknown>, path: string) => {
      for (const [k, v] of Object.entries(o)) {
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, `${path}.${k}`);
        else if (!Array.isArray(v)) o[k] = own.templates[`${path}.${k}`];
      }
    };
    if (block) walk(block, type);
    return copy;
  }
  if (m.kind === 'Secret' && m.metadata.name === REGISTRY_USER_SECRET_NAME && cluster.hubSecret && m.metadata.namespace === REGISTRY_NAMESPACE) {
    const secretName = cluster.hubSecret.name === `${cluster.name}-registry-storage`
      ? '(printf "%s-registry-storage" .ManagedClusterName)' : JSON.stringify(cluster.hubSecret.name);
    const { stringData: _s, data: _d, ...rest } = m as any;
    // fromSecret returns the value base64-encoded, as `data` wants it.
    return { ...rest, data: Object.fromEntries(cluster.hubSecret.keys.map((k) => [k, `{{hub fromSecret "" ${secretName} "${k}" hub}}`])) };
  }
  const ownStrings = [...own.byValue.keys()];
  const replace = (v: unknown, path: string, key?: string): unknown => {
    if (typeof v === 'string') {
      // A managed-cluster template (the payload-cli or claim-size lookup) stays as it is: the hub
      // would hand its text to the managed cluster from the ConfigMap unevaluated.
      if (key === 'apiVersion' || key === 'kind' || key === 'namespace' || v.startsWith('{{ ')) return v;
      const whole = own.byValue.get(v);
      if (whole) return whole;
      if (!ownStrings.some((s) => v.includes(s))) return v;
      const valueKey = `o${index}${path}`.replace(/[^-._a-zA-Z0-9]/g, '_');
      own.values[valueKey] = v;
      return configMapTemplate(valueKey);
    }
    if (Array.isArray(v)) return v.map((x, i) => replace(x, `${path}.${i}`));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x, `${path}.${k}`, k)]));
    return v;
  };
  return replace(m, '') as KubernetesManifest;
}

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

/** The ACM output of a fleet as multi-document YAML (what `openshift-registry-storage fleet synth --output acm` prints). */
export function synthAcmFleetYaml(fleet: FleetPlan, props: Omit<AcmRegistryStorageFleetProps, 'fleet'>): string {
  const app = new App({ outdir: '/nonexistent-never-written' });
  new AcmRegistryStorageFleet(new Chart(app, 'fleet'), 'fleet', { ...props, fleet });
  return app.synthYaml();
}
