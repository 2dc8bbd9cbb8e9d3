/**
 * The hub-template engine of the ACM output: which fields of a cluster's objects are its own values
 * (kept in the hub ConfigMap and read back through `{{hub fromConfigMap ...}}`), and the objects
 * rewritten for ACM (the payload's oc looked up on the managed cluster, claims kept at their live size).
 */
import { FLEET_VALUES_CONFIGMAP } from './values';
import { REGISTRY_CONFIG_KIND, REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME } from '../../core/constants';
import { KubernetesManifest } from '../../core/plan';
import { CLI_IMAGE_STREAM, RESOLVE_NAMES_ANNOTATION } from '../../core/remove-other-storage';
import { FleetClusterPlan } from '../../fleet/inventory';

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
 * @internal
 */
export function forAcm(manifests: KubernetesManifest[]): KubernetesManifest[] {
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

/** @internal */
export function rank(o: KubernetesManifest): number {
  return o.kind === 'Secret' && o.metadata.name === REGISTRY_USER_SECRET_NAME ? 0 : o.kind === REGISTRY_CONFIG_KIND ? 2 : 1;
}

/** @internal */
export interface ClusterValues {
  /** `<path>` -> value as text, for the ConfigMap. */
  readonly values: Record<string, string>;
  /** `<path>` -> the hub template that reads it back with its type. */
  readonly templates: Record<string, string>;
  /** String value -> template, to replace the same value in the other objects. */
  readonly byValue: Map<string, string>;
}

/** The cluster's own values: every leaf of its Config's storage block. * @internal
 */
export function clusterValues(cluster: FleetClusterPlan, manifests: KubernetesManifest[]): ClusterValues {
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
 * @internal
 */
export function templated(m: KubernetesManifest, index: number, own: ClusterValues, cluster: FleetClusterPlan): KubernetesManifest {
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
