/**
 * Red Hat Advanced Cluster Management policies for a fleet, on the hub (`AcmRegistryStorageFleet`).
 */
import { createHash } from 'crypto';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { fleetClusterManifests } from './cluster-manifests';
import { KubernetesManifest } from '../../core/plan';
import { FleetPlan, FleetStorageKind } from '../../fleet/inventory';
import { storageKind } from '../../platforms/kinds';
import { clusterScoped } from '../cluster-scoped';
import { ACM_PAYLOAD_CLI_IMAGE, clusterValues, forAcm, rank, templated } from './hub-templates';
import { FLEET_VALUES_CONFIGMAP } from './values';
import { AcmConfigurationPolicy, AcmConfigurationPolicySpec } from '../generated/acm-configuration-policy';
import { AcmPlacement } from '../generated/acm-placement';
import { AcmPlacementBinding } from '../generated/acm-placement-binding';
import { AcmPolicy } from '../generated/acm-policy';

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

/** The ACM output of a fleet as multi-document YAML (what `openshift-registry-storage fleet synth --output acm` prints). */
export function synthAcmFleetYaml(fleet: FleetPlan, props: Omit<AcmRegistryStorageFleetProps, 'fleet'>): string {
  const app = new App({ outdir: '/nonexistent-never-written' });
  new AcmRegistryStorageFleet(new Chart(app, 'fleet'), 'fleet', { ...props, fleet });
  return app.synthYaml();
}
