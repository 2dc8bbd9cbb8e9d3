/**
 * The `provision` prop of the cdk8s storage constructs (and of fleet inventories, which render
 * through them), checked as the core checks props: its fields per controller (a misspelt
 * `retainOnDelte` would otherwise be ignored, and the bucket deleted with the object), booleans
 * that are `true` or `false` (never `0`, `''` or `'false'`, which would read as "delete"), and
 * enums. Each kind lists its controllers (`StorageKind.provision`); the option types live with the
 * cdk8s controllers, and `lib/cdk8s/provision-props.ts` checks at compile time that the kinds'
 * lists name every field of them.
 */
import { closest } from '../core/names';
import { optionalBoolean, PropNames } from '../core/plan';
import { clip, Problems, RegistryConfigProblem, show } from '../core/problems';
import { ProvisionController } from '../core/storage-kind';

/**
 * @internal The problems of a `provision` prop (already a plain-data copy, see `checkPropsShape`),
 * each named `provision.<field>`. Nothing is reported for an absent `provision`.
 */
export function provisionProblems(provision: unknown, controllers: Readonly<Record<string, ProvisionController>>): RegistryConfigProblem[] {
  if (provision === undefined || provision === null) return [];
  const problems = new Problems();
  const names = Object.keys(controllers);
  const choices = names.map((c) => `'${c}'`).join(' or ');
  if (typeof provision !== 'object' || Array.isArray(provision)) {
    problems.add('provision', `must be an object such as { controller: ${choices.split(' or ')[0]} }, got ${show(provision)}`, 'ORS-PROVISION-001');
    return [...problems.all];
  }
  const p = provision as Record<string, unknown>;
  const controller = p.controller;
  const own = typeof controller === 'string' && Object.prototype.hasOwnProperty.call(controllers, controller) ? controllers[controller] : undefined;
  if (!own) {
    const near = typeof controller === 'string' ? closest(controller, names) : undefined;
    problems.add('provision.controller', `must be ${choices}, got ${show(controller)}${near ? `: did you mean '${near}'?` : ''}`, 'ORS-PROVISION-002');
    return [...problems.all];
  }
  unknownFields(problems, 'provision', p, own.names, `with controller '${controller}'`);
  for (const k of own.booleans) optionalBoolean(problems, `provision.${k}`, p[k]);
  for (const [k, values] of Object.entries(own.enums ?? {})) {
    const v = p[k];
    if (v !== undefined && !(typeof v === 'string' && values.includes(v))) {
      const near = typeof v === 'string' ? closest(v, values) : undefined;
      problems.add(`provision.${k}`, `must be one of ${values.join(', ')}, got ${show(v)}${near ? `: did you mean "${near}"?` : ''}`, 'ORS-PROVISION-003');
    }
  }
  for (const k of own.maps ?? []) {
    const v = p[k];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string'))) {
      problems.add(`provision.${k}`, `must map names to strings, got ${show(v)}`, 'ORS-PROVISION-004');
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
      problems.add(`${path}.${clip(k, 60)}`, `is not a field of provision ${where}${near ? `: did you mean "${near}"?` : '.'} Known: ${known.join(', ')}`, 'ORS-PROVISION-005');
    } else if (typeof sub === 'object' && typeof v[k] === 'object' && v[k] !== null && !Array.isArray(v[k])) {
      unknownFields(problems, `${path}.${k}`, v[k] as Record<string, unknown>, sub as PropNames<any>, where);
    }
  }
}
