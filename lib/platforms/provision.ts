/**
 * The `provision` prop of the cdk8s storage constructs (and of fleet inventories, which render
 * through them), checked as the core checks props: its fields per controller (a misspelt
 * `retainOnDelte` would otherwise be ignored, and the bucket deleted with the object), booleans
 * that are `true` or `false` (never `0`, `''` or `'false'`, which would read as "delete"), and
 * enums. The option types live with the cdk8s controllers; `lib/cdk8s/provision-props.ts` checks at
 * compile time that these lists name every field of them.
 */
import { AZURE_SKU_NAMES } from './azure';
import { closest } from '../core/names';
import { optionalBoolean, PropNames } from '../core/plan';
import { clip, Problems, RegistryConfigProblem, show } from '../core/problems';

/** What the construct checks of one controller's `provision`. */
interface ControllerProps {
  readonly names: PropNames<any>;
  readonly booleans: readonly string[];
  readonly enums?: Readonly<Record<string, readonly string[]>>;
  /** Fields that map names to strings (tags, labels). */
  readonly maps?: readonly string[];
}

/** @internal The fields of each controller's `provision`. */
export const PROVISION_FIELDS = {
  ack: {
    controller: true, namespace: true, retainOnDelete: true, registryPrincipalArn: true, tags: true, clusterResourceTags: true,
  },
  objectBucketClaim: {
    controller: true, storageClassName: true, claimName: true, cliImage: true, jobNamespace: true,
  },
  configConnector: {
    controller: true, namespace: true, retainOnDelete: true, registryServiceAccount: true, labels: true,
  },
  crossplane: {
    controller: true,
    resourceGroupName: true,
    location: true,
    skuName: true,
    retainOnDelete: true,
    workloadIdentity: true,
    clusterResourceGroupName: true,
    providerConfigName: true,
    tags: true,
    azureAD: { principalId: true, subscriptionID: true, providerConfig: { clientID: true, tenantID: true, source: true } },
  },
} as const;

/** @internal The controllers each construct takes, and their props. */
export const PROVISION_CONTROLLERS = {
  s3: {
    'ack': { names: PROVISION_FIELDS.ack, booleans: ['retainOnDelete'], maps: ['tags', 'clusterResourceTags'] },
    'object-bucket-claim': { names: PROVISION_FIELDS.objectBucketClaim, booleans: [] },
  },
  gcs: { 'config-connector': { names: PROVISION_FIELDS.configConnector, booleans: ['retainOnDelete'], maps: ['labels'] } },
  azure: {
    crossplane: {
      names: PROVISION_FIELDS.crossplane, booleans: ['retainOnDelete', 'workloadIdentity'], enums: { skuName: AZURE_SKU_NAMES }, maps: ['tags'],
    },
  },
} as const satisfies Record<string, Record<string, ControllerProps>>;

/**
 * @internal The problems of a `provision` prop (already a plain-data copy, see `checkPropsShape`),
 * each named `provision.<field>`. Nothing is reported for an absent `provision`.
 */
export function provisionProblems(provision: unknown, controllers: Readonly<Record<string, ControllerProps>>): RegistryConfigProblem[] {
  if (provision === undefined || provision === null) return [];
  const problems = new Problems();
  const names = Object.keys(controllers);
  const choices = names.map((c) => `'${c}'`).join(' or ');
  if (typeof provision !== 'object' || Array.isArray(provision)) {
    problems.add('provision', `must be an object such as { controller: ${choices.split(' or ')[0]} }, got ${show(provision)}`);
    return [...problems.all];
  }
  const p = provision as Record<string, unknown>;
  const controller = p.controller;
  const own = typeof controller === 'string' && Object.prototype.hasOwnProperty.call(controllers, controller) ? controllers[controller] : undefined;
  if (!own) {
    const near = typeof controller === 'string' ? closest(controller, names) : undefined;
    problems.add('provision.controller', `must be ${choices}, got ${show(controller)}${near ? `: did you mean '${near}'?` : ''}`);
    return [...problems.all];
  }
  unknownFields(problems, 'provision', p, own.names, `with controller '${controller}'`);
  for (const k of own.booleans) optionalBoolean(problems, `provision.${k}`, p[k]);
  for (const [k, values] of Object.entries(own.enums ?? {})) {
    const v = p[k];
    if (v !== undefined && !(typeof v === 'string' && values.includes(v))) {
      const near = typeof v === 'string' ? closest(v, values) : undefined;
      problems.add(`provision.${k}`, `must be one of ${values.join(', ')}, got ${show(v)}${near ? `: did you mean "${near}"?` : ''}`);
    }
  }
  for (const k of own.maps ?? []) {
    const v = p[k];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string'))) {
      problems.add(`provision.${k}`, `must map names to strings, got ${show(v)}`);
    }
  }
  return [...problems.all];
}

function unknownFields(problems: Problems, path: string, v: Record<string, unknown>, names: PropNames<any>, where: string): void {
  const known = Object.keys(names);
  for (const k of Object.keys(v)) {
    const sub = Object.prototype.hasOwnProperty.call(names, k) ? (names as Record<string, unknown>)[k] : undefined;
    if (sub === undefined) {
      const near = closest(k, known);
      problems.add(`${path}.${clip(k, 60)}`, `is not a field of provision ${where}${near ? `: did you mean "${near}"?` : '.'} Known: ${known.join(', ')}`);
    } else if (typeof sub === 'object' && typeof v[k] === 'object' && v[k] !== null && !Array.isArray(v[k])) {
      unknownFields(problems, `${path}.${k}`, v[k] as Record<string, unknown>, sub as PropNames<any>, where);
    }
  }
}
