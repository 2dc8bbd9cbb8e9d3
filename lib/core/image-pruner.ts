/**
 * The operator's image pruner (`imagepruners.imageregistry.operator.openshift.io/cluster`), managed
 * beside the storage: the fields the props give, applied server-side over the operator's object, and
 * checked against the ImagePruner CRD of openshift/api as the API server would admit them.
 *
 * @see https://github.com/openshift/api/blob/master/imageregistry/v1/types_imagepruner.go
 * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/operator/controllerimagepruner.go
 */
import { KubernetesManifest } from './model';
import { Problems, show } from './problems';
import { admit, prunedFieldMessage } from './structural-schema';
import type { ImagePrunerSpec } from '../generated/image-pruner';

/**
 * The pruner's spec as the props give it: any field of the CRD's spec but the deprecated
 * `keepYoungerThan` (nanoseconds; `keepYoungerThanDuration` replaces it). Fields left out keep what
 * the cluster has, by default the operator's: daily at midnight (`0 0 * * *`), 3 revisions per tag
 * kept, images younger than 60m kept, invalid references ignored, not suspended.
 */
export type ImagePrunerProps = Omit<ImagePrunerSpec, 'keepYoungerThan'>;

/** The only ImagePruner the operator reads. */
export const IMAGE_PRUNER_NAME = 'cluster';

/** The operator's defaults, where a field is left out (`pkg/operator/controllerimagepruner.go`). */
export const OPERATOR_PRUNER_DEFAULTS = {
  schedule: '0 0 * * *',
  suspend: false,
  keepTagRevisions: 3,
  keepYoungerThanDuration: '60m',
  ignoreInvalidImageReferences: true,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
} as const;

/**
 * @internal Checks `imagePruner` (the common prop) and returns the ImagePruner object to apply, or
 * undefined when it was not given or is wrong (its problems are in `problems`).
 */
export function imagePrunerObject(problems: Problems, given: unknown, path = 'imagePruner'): KubernetesManifest | undefined {
  if (given === undefined || given === null) return undefined;
  if (typeof given !== 'object' || Array.isArray(given)) {
    problems.add(path, `must be the ImagePruner's spec fields, such as { schedule: '0 3 * * *', keepTagRevisions: 5 }, got ${show(given)}`, 'ORS-PRUNER-001');
    return undefined;
  }
  const spec = given as Record<string, unknown>;
  const before = problems.all.length;
  if (spec.keepYoungerThan !== undefined) {
    problems.add(`${path}.keepYoungerThan`, 'is deprecated (nanoseconds): give keepYoungerThanDuration, such as "60m"', 'ORS-PRUNER-002');
  }
  if (typeof spec.schedule === 'string' && !isCronSchedule(spec.schedule)) {
    problems.add(`${path}.schedule`, `must be a cron schedule of five fields (minute hour day-of-month month day-of-week) or a macro such as @daily, got ${show(spec.schedule)}: `
      + 'the operator copies it into its CronJob, which the API server would refuse, and the operator would report Degraded', 'ORS-PRUNER-003');
  }
  const object = { apiVersion: IMAGE_PRUNER_API_VERSION, kind: 'ImagePruner', metadata: { name: IMAGE_PRUNER_NAME }, spec };
  // loaded on first use: importing the library stays cheap
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { IMAGE_PRUNER_OPENAPI_V3_SCHEMA } = require('../generated/image-pruner');
  const admission = admit(object, IMAGE_PRUNER_OPENAPI_V3_SCHEMA, ['apiVersion', 'kind', 'metadata']);
  const at = (p: string) => (p.startsWith('spec.') ? `${path}.${p.slice('spec.'.length)}` : p === 'spec' ? path : p);
  for (const p of admission.problems) problems.add(at(p.path), p.message, p.code);
  for (const p of admission.pruned) problems.add(at(p), prunedFieldMessage(p, admission.near), 'ORS-PRUNER-004');
  if (spec.suspend === true) {
    problems.warn(`${path}.suspend`, 'is true: nothing prunes the images etcd no longer references, and the storage grows until someone does', 'ORS-PRUNER-W001');
  }
  if (problems.all.length > before) return undefined;
  return object as KubernetesManifest;
}

/** `apiVersion` of the ImagePruner (the Config's group and version). */
export const IMAGE_PRUNER_API_VERSION = 'imageregistry.operator.openshift.io/v1';

/**
 * A cron schedule the CronJob API takes: five fields, or a macro (`@daily`). Each field is `*`, a
 * number, a range, a list, a step, or a name (`mon`, `jan`); an optional `CRON_TZ=`/`TZ=` prefix.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
 */
export function isCronSchedule(s: string): boolean {
  const body = s.trim().replace(/^(CRON_TZ|TZ)=\S+\s+/, '');
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(body)) return true;
  const fields = body.split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/.test(f));
}
