/**
 * The OpenShift releases the library validates against, and each one's Config CRD. The API server of
 * a release drops (prunes) every field its CRD does not list, without a word: a Config written for a
 * newer release silently loses fields on an older one. So each Config is checked against the CRD of
 * the release it is for (`openshiftVersion`), by default the oldest supported one.
 *
 * The schemas are generated from each `release-4.N` branch of openshift/api
 * (`imageregistry/v1/...configs...crd.yaml`; commits in vendor/openshift-api-releases/SOURCE.md):
 * the newest whole, each older one as the changes from the next (lib/generated/config-schema-releases.ts).
 */
import { clip, show } from './problems';
import { OPENSHIFT_RELEASES as GENERATED_RELEASES } from '../generated/openshift-releases';

/** The OpenShift releases whose Config CRD the library knows, oldest first (the schemas load on first use). */
export const OPENSHIFT_RELEASES: readonly string[] = GENERATED_RELEASES;

/** The release an unset `openshiftVersion` means: the oldest supported, so that an unset value is safe everywhere. */
export const OLDEST_OPENSHIFT_RELEASE = OPENSHIFT_RELEASES[0];

/** The newest release the library knows. */
export const NEWEST_OPENSHIFT_RELEASE = OPENSHIFT_RELEASES[OPENSHIFT_RELEASES.length - 1];

const schemas = new Map<string, any>();

/** @internal The Config CRD's runtime schema (no descriptions, no status) of a supported release. */
export function configSchemaOf(release: string): any {
  const cached = schemas.get(release);
  if (cached) return cached;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const newest = require('../generated/config-schema').CONFIG_OPENAPI_V3_SCHEMA;
  const { CONFIG_SCHEMA_CHANGES } = require('../generated/config-schema-releases');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // newest first: each release's schema is the next newer one's with its changes
  let schema = newest;
  for (let i = OPENSHIFT_RELEASES.length - 1; i >= 0; i--) {
    const r = OPENSHIFT_RELEASES[i];
    if (!schemas.has(r)) schemas.set(r, applyChanges(schema, CONFIG_SCHEMA_CHANGES[r]));
    schema = schemas.get(r);
    if (r === release) return schema;
  }
  throw new Error(`no Config CRD for OpenShift ${release}`);
}

function applyChanges(schema: any, changes: ReadonlyArray<readonly [readonly string[], unknown]>): any {
  if (changes.length === 0) return schema;
  const out = structuredClone(schema);
  for (const [path, value] of changes) {
    let node = out;
    for (const k of path.slice(0, -1)) node = node[k] ??= {};
    const last = path[path.length - 1];
    if (value === undefined) delete node[last];
    else node[last] = structuredClone(value);
  }
  return out;
}

/**
 * @internal The release an `openshiftVersion` names (`'4.14'`, or a cluster's full version such as
 * `'4.14.38'`), or why it names none. Numbers are refused: `4.1` and `4.10` are the same number.
 */
export function openshiftRelease(value: unknown): { release: string; problem?: undefined } | { release?: undefined; problem: string } {
  if (value === undefined) return { release: OLDEST_OPENSHIFT_RELEASE };
  const m = typeof value === 'string' ? /^v?(4)\.(\d{1,3})(?:\.\d+(?:[-+][0-9A-Za-z.+-]*)?)?$/.exec(value.trim()) : null;
  const supported = `one of ${OPENSHIFT_RELEASES[0]} to ${NEWEST_OPENSHIFT_RELEASE}`;
  if (!m) {
    return { problem: `must be an OpenShift release such as "4.16" (or a cluster's version, "4.16.21"), ${supported}, got ${show(value)}${typeof value === 'number' ? ': quote it (4.1 and 4.10 are the same number)' : ''}` };
  }
  const release = `${m[1]}.${Number(m[2])}`;
  if (OPENSHIFT_RELEASES.includes(release)) return { release };
  const minor = Number(m[2]);
  if (minor < Number(OLDEST_OPENSHIFT_RELEASE.split('.')[1])) {
    return { problem: `is ${clip(release)}, older than the oldest release the library supports (${OLDEST_OPENSHIFT_RELEASE}): releases past the end of their support are not validated; use a library release that supported it, or upgrade the cluster` };
  }
  return { problem: `is ${clip(release)}, newer than the newest release this version of the library knows (${NEWEST_OPENSHIFT_RELEASE}): upgrade the library, or give ${NEWEST_OPENSHIFT_RELEASE} to validate against its CRD` };
}

/**
 * @internal Whether a release's Config schema has a field, by the path problems use
 * (`spec.storage.s3.chunkSizeMiB`, `spec.resources.claims[0].request`).
 */
export function schemaHasPath(schema: any, path: string): boolean {
  let node = schema;
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || !node) return false;
    node = node.properties?.[m[1]] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    for (let i = 0; i < m[2].split('[').length - 1; i++) node = node?.items;
  }
  return node !== undefined;
}

/** @internal The first supported release whose Config CRD has the field at `path`, or undefined when none has it. */
export function firstReleaseWith(path: string): string | undefined {
  return OPENSHIFT_RELEASES.find((r) => schemaHasPath(configSchemaOf(r), path));
}
