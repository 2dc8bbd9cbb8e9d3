/**
 * A CRD's `openAPIV3Schema` as structured-merge-diff's schema: the types the API server's field
 * manager merges and tracks ownership with. Mirrors what the API server does for CRDs:
 *
 * - apiextensions-apiserver `pkg/apiserver/customresource_handler.go` (`buildOpenAPIModelsForApply`)
 *   builds the served version's OpenAPI v3 model (`pkg/controller/openapi/builder`: value
 *   validations stripped, `apiVersion`/`kind` strings, `metadata` a reference to ObjectMeta) and
 *   hands it to `managedfields.NewTypeConverter`;
 * - kube-openapi `pkg/schemaconv/openapi.go` (`ToSchemaFromOpenAPI`, `parseSchema`, `parseObject`,
 *   `parseList`) and `smd.go` (`convertPrimitive`, `getListElementRelationship`,
 *   `getMapElementRelationship`, `__untyped_atomic_` and `__untyped_deduced_`) make the types.
 *
 * The rules, node by node:
 * - `type: object`: a map. `properties` are its fields (sorted by name, so the output is
 *   deterministic); `additionalProperties: {schema}` is its element type; `additionalProperties:
 *   true`, no properties at all, or `x-kubernetes-preserve-unknown-fields: true` on it or on an
 *   ancestor give the deduced element type (`__untyped_deduced_`); otherwise no element type (an
 *   unknown field is an error). `x-kubernetes-map-type: atomic` makes it atomic, `granular`
 *   separable; unset is granular (separable) too.
 * - `type: array`: a list of `items`. `x-kubernetes-list-type: atomic` atomic, `set` associative,
 *   `map` associative keyed by `x-kubernetes-list-map-keys`; without a list type (or a patch
 *   strategy, which CRDs do not have) atomic.
 * - scalars: `integer` and `number` numeric, `boolean` boolean, `string` string, but a string with a
 *   format other than `byte` (`date-time`, `duration`, ...) is untyped.
 * - no type (`x-kubernetes-int-or-string`, bare `x-kubernetes-preserve-unknown-fields`): untyped
 *   scalar, atomic list of untyped, map of deduced.
 * - `metadata` of the root: ObjectMeta, with `name`, `namespace`, `generateName`, `uid`,
 *   `resourceVersion`, `creationTimestamp` (untyped) scalars, `generation` numeric, `labels` and
 *   `annotations` granular maps of strings, `finalizers` a set (`+listType=set`,
 *   apimachinery `pkg/apis/meta/v1/types.go`), `ownerReferences` a map list keyed by `uid`,
 *   `managedFields` atomic, anything else deduced.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** structured-merge-diff's `schema.Schema`, as its YAML/JSON tags spell it. */
export interface SmdSchema { readonly types: readonly SmdTypeDef[] }
export interface SmdTypeDef extends SmdAtom { readonly name: string }
export interface SmdAtom {
  readonly scalar?: 'numeric' | 'string' | 'boolean' | 'untyped';
  readonly list?: SmdList;
  readonly map?: SmdMap;
}
export interface SmdTypeRef extends SmdAtom {
  readonly namedType?: string;
  readonly elementRelationship?: SmdRelationship;
}
export type SmdRelationship = 'atomic' | 'associative' | 'separable';
export interface SmdList {
  readonly elementType: SmdTypeRef;
  readonly elementRelationship: SmdRelationship;
  readonly keys?: readonly string[];
}
export interface SmdMap {
  readonly fields?: readonly { readonly name: string; readonly type: SmdTypeRef }[];
  readonly elementType?: SmdTypeRef;
  readonly elementRelationship?: SmdRelationship;
}

/** The parts of a CRD the conversion reads. */
export interface Crd {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly {
      readonly name: string;
      readonly served?: boolean;
      readonly storage?: boolean;
      readonly schema?: { readonly openAPIV3Schema?: OpenApiSchema };
    }[];
  };
}

/** A structural OpenAPI v3 schema node (value validations are ignored). */
export interface OpenApiSchema {
  readonly 'type'?: string;
  readonly 'format'?: string;
  readonly 'properties'?: Readonly<Record<string, OpenApiSchema>>;
  readonly 'additionalProperties'?: OpenApiSchema | boolean;
  readonly 'items'?: OpenApiSchema;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: 'atomic' | 'granular';
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
}

const UNTYPED = '__untyped_atomic_';
const DEDUCED = '__untyped_deduced_';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** kube-openapi `smd.go` `untypedDef` and `deducedDef`. */
const COMMON_TYPES: SmdTypeDef[] = [
  {
    name: UNTYPED,
    scalar: 'untyped',
    list: { elementType: { namedType: UNTYPED }, elementRelationship: 'atomic' },
    map: { elementType: { namedType: UNTYPED }, elementRelationship: 'atomic' },
  },
  {
    name: DEDUCED,
    scalar: 'untyped',
    list: { elementType: { namedType: UNTYPED }, elementRelationship: 'atomic' },
    map: { elementType: { namedType: DEDUCED }, elementRelationship: 'separable' },
  },
];

/** ObjectMeta as the API server's static OpenAPI spec types it for server-side apply. */
function objectMetaType(): SmdTypeDef {
  const str: SmdTypeRef = { scalar: 'string' };
  const stringMap: SmdTypeRef = { map: { elementType: { scalar: 'string' } } };
  const fields: Record<string, SmdTypeRef> = {
    annotations: stringMap,
    creationTimestamp: { scalar: 'untyped' },
    deletionGracePeriodSeconds: { scalar: 'numeric' },
    deletionTimestamp: { scalar: 'untyped' },
    finalizers: { list: { elementType: str, elementRelationship: 'associative' } },
    generateName: str,
    generation: { scalar: 'numeric' },
    labels: stringMap,
    managedFields: { list: { elementType: { namedType: DEDUCED }, elementRelationship: 'atomic' } },
    name: str,
    namespace: str,
    ownerReferences: { list: { elementType: { namedType: DEDUCED }, elementRelationship: 'associative', keys: ['uid'] } },
    resourceVersion: str,
    uid: str,
  };
  return { name: OBJECT_META, map: { fields: Object.entries(fields).map(([name, type]) => ({ name, type })), elementType: { namedType: DEDUCED } } };
}

/** The OpenAPI definition name the API server gives a CRD's kind: reversed group, version, kind. */
export function definitionName(group: string, version: string, kind: string): string {
  return [...group.split('.').reverse(), version, kind].join('.');
}

/**
 * Converts the served (storage, when several are served) version of a CRD. Deterministic: the
 * same CRD always gives the same JSON.
 */
export function crdToSmdSchema(crd: Crd): { schema: SmdSchema; typeName: string } {
  const versions = crd.spec.versions.filter((v) => v.served !== false);
  const version = versions.find((v) => v.storage) ?? versions[0];
  const root = version?.schema?.openAPIV3Schema;
  if (!version || !root) throw new Error('the CRD has no served version with an openAPIV3Schema');
  const typeName = definitionName(crd.spec.group, version.name, crd.spec.names.kind);
  // The builder's root: apiVersion and kind strings, metadata a reference to ObjectMeta.
  const rootAtom = atom({ ...root, type: 'object', properties: { ...root.properties, apiVersion: { type: 'string' }, kind: { type: 'string' } } }, false);
  const fields = rootAtom.map!.fields!.map((f) => (f.name === 'metadata' ? { name: 'metadata', type: { namedType: OBJECT_META } } : f));
  if (!fields.some((f) => f.name === 'metadata')) fields.push({ name: 'metadata', type: { namedType: OBJECT_META } });
  fields.sort((a, b) => a.name.localeCompare(b.name));
  return {
    schema: { types: [{ name: typeName, map: { ...rootAtom.map, fields } }, objectMetaType(), ...COMMON_TYPES] },
    typeName,
  };
}

/** `parseSchema`: one node, with the preserve-unknown-fields flag its ancestors passed down. */
function atom(s: OpenApiSchema, preserveUnknown: boolean): SmdAtom {
  const preserve = preserveUnknown || s['x-kubernetes-preserve-unknown-fields'] === true;
  // An int-or-string node has no type in the structural schema (its anyOf is a value validation).
  const type = s['x-kubernetes-int-or-string'] ? '' : s.type ?? '';
  switch (type) {
    case '': return { scalar: 'untyped', list: list(s, preserve), map: object(s, preserve) };
    case 'object': return { map: object(s, preserve) };
    case 'array': return { list: list(s, preserve) };
    case 'integer':
    case 'number': return { scalar: 'numeric' };
    case 'boolean': return { scalar: 'boolean' };
    case 'string': return { scalar: !s.format || s.format === 'byte' ? 'string' : 'untyped' };
    default: throw new Error(`unrecognized type: '${type}'`);
  }
}

function ref(s: OpenApiSchema, preserveUnknown: boolean): SmdTypeRef {
  return atom(s, preserveUnknown);
}

/** `parseObject`. */
function object(s: OpenApiSchema, preserve: boolean): SmdMap {
  const props = Object.entries(s.properties ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const fields = props.map(([name, member]) => ({ name, type: ref(member, preserve) }));
  let elementType: SmdTypeRef | undefined;
  if (s.additionalProperties === undefined) {
    if (preserve || props.length === 0) elementType = { namedType: DEDUCED };
  } else if (typeof s.additionalProperties === 'object') {
    elementType = ref(s.additionalProperties, preserve);
  } else if (s.additionalProperties === true) {
    elementType = { namedType: DEDUCED };
  }
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') throw new Error(`unknown map type ${mapType}`);
  return {
    ...(fields.length > 0 ? { fields } : {}),
    ...(elementType ? { elementType } : {}),
    ...(mapType ? { elementRelationship: mapType === 'atomic' ? 'atomic' : 'separable' } : {}),
  };
}

/** `parseList` with `getListElementRelationship`. */
function list(s: OpenApiSchema, preserve: boolean): SmdList {
  const listType = s['x-kubernetes-list-type'];
  const elementType: SmdTypeRef = s.items ? ref(s.items, preserve) : { namedType: UNTYPED };
  switch (listType) {
    case undefined:
    case 'atomic': return { elementType, elementRelationship: 'atomic' };
    case 'set': return { elementType, elementRelationship: 'associative' };
    case 'map': {
      const keys = s['x-kubernetes-list-map-keys'];
      if (!keys || keys.length === 0) throw new Error('x-kubernetes-list-type: map without x-kubernetes-list-map-keys');
      return { elementType, elementRelationship: 'associative', keys };
    }
    default: throw new Error(`unknown list type ${listType}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The vendored CRD and its self-check
// ---------------------------------------------------------------------------------------------

const VENDOR = path.resolve(__dirname, '..', '..', 'vendor', 'openshift-api');

/** The vendored `configs.imageregistry.operator.openshift.io` CRD. */
export function registryConfigCrd(): Crd {
  return yaml.load(fs.readFileSync(path.join(VENDOR, 'configs.imageregistry.operator.openshift.io.crd.yaml'), 'utf8')) as Crd;
}

/** An object the converted schema must type (`ok: true`) or refuse (`ok: false`). */
export interface TypecheckCase { readonly name: string; readonly object: Record<string, unknown>; readonly ok: boolean }

/**
 * The vendored CRD's test vectors (openshift/api `tests/`): every object of every test must be
 * typed, except those whose expected error is a type error the field manager sees too (a string
 * for a number, ...), which must be refused. Two more of this harness's own: an unknown field is
 * refused (the schema is typed, not deduced), and a preserve-unknown-fields subtree takes anything.
 */
export function typecheckCases(): TypecheckCase[] {
  const cases: TypecheckCase[] = [];
  const dir = path.join(VENDOR, 'tests');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const suite = yaml.load(fs.readFileSync(path.join(dir, file), 'utf8')) as { tests?: Record<string, { name: string; expectedError?: string; [k: string]: unknown }[]> };
    for (const [phase, tests] of Object.entries(suite.tests ?? {})) {
      for (const t of tests) {
        for (const key of ['initial', 'updated', 'expected']) {
          if (typeof t[key] !== 'string') continue;
          const typeError = key !== 'expected' && smdTypeError(t.expectedError);
          cases.push({ name: `${file} ${phase} "${t.name}" ${key}`, object: yaml.load(t[key] as string) as Record<string, unknown>, ok: !typeError });
        }
      }
    }
  }
  const base = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster', annotations: { a: 'b' }, finalizers: ['f'] } };
  cases.push(
    { name: 'harness: unknown field spec.storage.s3.bukcet is refused', object: { ...base, spec: { replicas: 1, storage: { s3: { bukcet: 'x' } } } }, ok: false },
    { name: 'harness: replicas as a string is refused', object: { ...base, spec: { replicas: 'two' } }, ok: false },
    { name: 'harness: spec.unsupportedConfigOverrides takes anything', object: { ...base, spec: { replicas: 1, unsupportedConfigOverrides: { any: { nested: [1, 'x'] } } } }, ok: true },
  );
  return cases;
}

/**
 * Whether the API server's type error (`must be of type integer: "string"`) is one the field
 * manager's typing sees too: structured-merge-diff has one `numeric` scalar for integer and number,
 * so `19.5` for an integer field is typed (the OpenAPI validator refuses it, later).
 */
function smdTypeError(expectedError: string | undefined): boolean {
  const m = /must be of type (\w+): "(\w+)"/.exec(expectedError ?? '');
  if (!m) return false;
  const numeric = (t: string) => t === 'integer' || t === 'number';
  return !(numeric(m[1]) && numeric(m[2]));
}

/** Counts of list and map kinds, to compare a CRD with its conversion. */
export interface ShapeCounts { atomicLists: number; setLists: number; mapLists: number; atomicMaps: number }

/** What the CRD declares, under its served version's root (metadata excluded). */
export function crdShapeCounts(crd: Crd): ShapeCounts {
  const counts: ShapeCounts = { atomicLists: 0, setLists: 0, mapLists: 0, atomicMaps: 0 };
  const walk = (s: OpenApiSchema): void => {
    if (s.type === 'array') {
      const t = s['x-kubernetes-list-type'];
      if (t === 'set') counts.setLists++;
      else if (t === 'map') counts.mapLists++;
      else counts.atomicLists++;
    }
    if (s['x-kubernetes-map-type'] === 'atomic') counts.atomicMaps++;
    for (const p of Object.values(s.properties ?? {})) walk(p);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties);
    if (s.items) walk(s.items);
  };
  const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
  const { metadata: _m, ...rest } = version.schema!.openAPIV3Schema!.properties ?? {};
  for (const p of Object.values(rest)) walk(p);
  return counts;
}

/** The same counts in the converted root type. */
export function smdShapeCounts(converted: { schema: SmdSchema; typeName: string }): ShapeCounts {
  const counts: ShapeCounts = { atomicLists: 0, setLists: 0, mapLists: 0, atomicMaps: 0 };
  const walk = (a: SmdAtom): void => {
    if (a.list && !a.map) {
      if (a.list.elementRelationship === 'atomic') counts.atomicLists++;
      else if (a.list.keys) counts.mapLists++;
      else counts.setLists++;
      walk(a.list.elementType);
    }
    if (a.map && !a.list) {
      if (a.map.elementRelationship === 'atomic') counts.atomicMaps++;
      for (const f of a.map.fields ?? []) walk(f.type);
      if (a.map.elementType && !a.map.elementType.namedType) walk(a.map.elementType);
    }
  };
  const root = converted.schema.types.find((t) => t.name === converted.typeName)!;
  for (const f of root.map!.fields!) if (f.name !== 'metadata') walk(f.type);
  return counts;
}

/**
 * Checks the conversion of the vendored CRD before any replay: it is deterministic, it keeps
 * every list and map kind the CRD declares, and the CRD has the fields the scenarios touch.
 * Throws a message naming what is wrong. The test vectors are typed by the replay program
 * (see `replay.ts`, `checkSchemaWithVectors`).
 */
export function selfCheckConversion(crd: Crd = registryConfigCrd()): { schema: SmdSchema; typeName: string } {
  const converted = crdToSmdSchema(crd);
  if (JSON.stringify(crdToSmdSchema(crd)) !== JSON.stringify(converted)) throw new Error('schema conversion is not deterministic');
  const want = crdShapeCounts(crd);
  const got = smdShapeCounts(converted);
  if (JSON.stringify(want) !== JSON.stringify(got)) {
    throw new Error(`schema conversion lost list or map kinds: the CRD declares ${JSON.stringify(want)}, the converted schema has ${JSON.stringify(got)}`);
  }
  const root = converted.schema.types.find((t) => t.name === converted.typeName)!;
  const spec = root.map!.fields!.find((f) => f.name === 'spec')?.type.map;
  const storage = spec?.fields?.find((f) => f.name === 'storage')?.type.map;
  for (const t of ['s3', 'gcs', 'azure', 'swift', 'pvc', 'emptyDir']) {
    if (!storage?.fields?.some((f) => f.name === t)) throw new Error(`converted schema has no spec.storage.${t}`);
  }
  if (!spec?.fields?.some((f) => f.name === 'replicas' && f.type.scalar === 'numeric')) throw new Error('converted schema has no numeric spec.replicas');
  return converted;
}
