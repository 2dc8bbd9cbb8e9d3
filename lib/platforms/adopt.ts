/**
 * Adopting the storage the operator created on an installer-provisioned cluster (`adopt: true`):
 * the rules every adoptable kind shares, reading the facts each kind's descriptor holds (how the
 * operator names its storage, which tag marks it the cluster's, what cluster teardown does to it).
 *
 * @see https://github.com/openshift/cluster-image-registry-operator/tree/master/pkg/storage (the names and tags per platform)
 */
import { RegistryCommonProps } from '../core/model';
import { Problems, show } from '../core/problems';
import { known } from '../core/props';

/** What a kind's descriptor says of the storage the operator creates for it. */
export interface AdoptionFacts {
  /** The kind's name, in messages. */
  readonly kind: string;
  /** Props that name the operator's storage, each with the prefix of the names the operator generates for an infrastructure name. */
  readonly names: Readonly<Record<string, (infrastructureName: string) => string>>;
  /** The mark the operator puts on it that makes `openshift-install destroy cluster` take it: a tag, a label or metadata. */
  readonly ownedMarker: (infrastructureName: string) => { readonly kind: 'tag' | 'label' | 'metadata'; readonly key: string; readonly value: string };
  /** Who removes that mark, on each path (the controller, the Pulumi component), or how to remove it by hand. */
  readonly markerRemoval: string;
  /** What cluster teardown does to adopted storage, once the mark is gone (or whatever the mark says). */
  readonly teardown: string;
}

/** What an adoption adds to a plan, for the flavours to render. */
export interface PlanAdoption {
  readonly infrastructureName: string;
  /** The operator's names, by prop. */
  readonly names: Readonly<Record<string, string>>;
  /** The mark to remove. */
  readonly ownedMarker: { readonly kind: 'tag' | 'label' | 'metadata'; readonly key: string; readonly value: string };
  readonly teardown: string;
}

/** The infrastructure name: `oc get infrastructure cluster -o jsonpath='{.status.infrastructureName}'`. */
const INFRASTRUCTURE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * @internal Checks `adopt` and `infrastructureName` for a kind whose storage the operator creates,
 * and returns what the plan adopts, or undefined (not asked, or refused: the problems say why).
 */
export function adoptionOf(facts: AdoptionFacts, props: RegistryCommonProps & Readonly<Record<string, unknown>>,
  problems: Problems): PlanAdoption | undefined {
  problems.adoptionHandled = true;
  const adopt = known(props.adopt as any) as unknown;
  const infra = known(props.infrastructureName as any) as unknown;
  if (adopt === undefined || adopt === false) {
    if (infra !== undefined && adopt === undefined) problems.add('infrastructureName', 'is read only with adopt: true: add adopt, or remove it', 'ORS-ADOPT-001');
    return undefined;
  }
  if (adopt !== true) {
    problems.add('adopt', `must be true or false, got ${show(adopt)}`, 'ORS-ADOPT-002');
    return undefined;
  }
  const before = problems.all.length;
  if (infra === undefined) {
    problems.add('adopt', 'needs infrastructureName: the cluster\'s infrastructure name (oc get infrastructure cluster -o jsonpath=\'{.status.infrastructureName}\')',
      'ORS-ADOPT-003');
    return undefined;
  }
  if (typeof infra !== 'string' || !INFRASTRUCTURE_NAME.test(infra)) {
    problems.add('infrastructureName', `must be the cluster's infrastructure name (lowercase letters, digits and hyphens), got ${show(infra)}`, 'ORS-ADOPT-008');
    return undefined;
  }
  const names: Record<string, string> = {};
  for (const [prop, prefixOf] of Object.entries(facts.names)) {
    const value = known(props[prop] as any) as unknown;
    const prefix = prefixOf(infra);
    if (typeof value !== 'string' || value === '') {
      problems.add(prop, `is required with adopt: the name of the ${facts.kind} storage the operator created, as the live Config holds it (it starts with "${prefix}")`, 'ORS-ADOPT-004');
    } else if (!value.startsWith(prefix)) {
      problems.add(prop, `${show(value)} is not the operator's ${facts.kind} storage for infrastructure ${show(infra)}: its names start with "${prefix}". `
        + 'Adopt only the storage the operator created; for storage of your own, drop adopt', 'ORS-ADOPT-005');
    } else {
      names[prop] = value;
    }
  }
  const state = known(props.storageManagementState as any) as unknown;
  if (state === 'Managed') {
    problems.add('storageManagementState', 'is Managed with adopt: adopted storage is Unmanaged, so that the operator no longer rewrites or deletes it; remove storageManagementState', 'ORS-ADOPT-006');
  }
  if (problems.all.length > before) return undefined;
  const ownedMarker = facts.ownedMarker(infra);
  problems.warn('adopt', `storage.managementState becomes Unmanaged: the operator no longer applies its settings to this ${facts.kind} storage, `
    + `nor deletes it (with the registry Removed or the Config deleted). Its ${ownedMarker.kind} ${ownedMarker.key}: ${ownedMarker.value} marks it the cluster's: `
    + `${facts.markerRemoval} (see docs/adopting.md); ${facts.teardown}`, 'ORS-ADOPT-W001');
  return { infrastructureName: infra, names, ownedMarker, teardown: facts.teardown };
}
