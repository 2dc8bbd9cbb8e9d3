/**
 * What the generated controller L1s check at synthesis: an object against its CRD's schema, as the
 * API server would admit it.
 */
import { admit, prunedFieldMessage } from '../core/structural-schema';

/**
 * Problems of `object` against `schema` (a CRD's openAPIV3Schema): what the API server would refuse,
 * and unknown fields it would drop without a word (often typos, or fields added by a JSON patch).
 */
export function crdProblems(object: unknown, schema: Record<string, unknown>): string[] {
  const admission = admit(object, schema, ['apiVersion', 'kind', 'metadata']);
  return [
    ...admission.problems.map((p) => `${p.path}: ${p.message}`),
    ...admission.pruned.map((p) => `${p}: ${prunedFieldMessage(p, admission.near)}`),
  ];
}
