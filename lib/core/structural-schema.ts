/**
 * What the Kubernetes API server does to a custom resource on create, for one structural
 * openAPIV3Schema: drop nulls of non-nullable fields, prune unknown fields, apply defaults, then
 * validate (types, enums, patterns, bounds, required, anyOf/not, formats, CEL). Messages follow the
 * API server's wording so they can be compared with upstream test vectors.
 *
 * @internal
 */
import { closest } from './names';
import { clip, RegistryConfigProblem, show } from './problems';

type Schema = Record<string, any>;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * The CEL rules in the CRD, hand-coded. An unknown rule is itself reported, so a CRD update that
 * adds one cannot be silently ignored.
 */
const CEL_RULES: Record<string, (self: any) => boolean> = {
  "has(self.type) && self.type == 'Internal' ?  true : !has(self.internal)":
    (self) => (self?.type === 'Internal' ? true : !(self && 'internal' in self)),
};

/**
 * Rules of a known shape, by pattern: Crossplane's (upjet) required parameters, "required unless
 * the resource is observe-only":
 * `!('*' in self.managementPolicies || 'Create' in ... || 'Update' in ...) || has(self.forProvider.X) || (has(self.initProvider) && has(self.initProvider.X))`.
 */
function celRuleOfPattern(rule: string): ((self: any) => boolean) | undefined {
  const m = /^!\('\*' in self\.managementPolicies \|\| 'Create' in self\.managementPolicies \|\| 'Update' in self\.managementPolicies\) \|\| has\(self\.forProvider\.(\w+)\) \|\| \(has\(self\.initProvider\) && has\(self\.initProvider\.(\w+)\)\)$/.exec(rule);
  if (!m || m[1] !== m[2]) return undefined;
  const field = m[1];
  return (self) => {
    const policies: unknown[] = Array.isArray(self?.managementPolicies) ? self.managementPolicies : [];
    const writes = policies.includes('*') || policies.includes('Create') || policies.includes('Update');
    return !writes || (isObject(self?.forProvider) && field in self.forProvider) || (isObject(self?.initProvider) && field in self.initProvider);
  };
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Kubernetes `duration` format: Go `time.ParseDuration` syntax, or kube-openapi's `<int> <unit>` list. */
export function isKubernetesDuration(s: string): boolean {
  if (/^[-+]?0$/.test(s)) return true;
  if (/^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.test(s)) return true;
  return /^(?:\s*\d+\s*(?:ns|us|µs|μs|ms|s|secs?|m|mins?|h|hrs?|hours?|d|days?|w|wks?|weeks?)\s*)+$/.test(s) && /\d/.test(s);
}

const FORMATS: Record<string, (s: string) => boolean> = {
  duration: isKubernetesDuration,
};

/**
 * Drops null values of non-nullable fields and unknown fields, in place; returns the value to keep.
 * The paths of dropped unknown fields are added to `pruned`.
 */
function pruneValue(value: any, schema: Schema, path: string, pruned: string[], near: Record<string, string>): any {
  if (schema['x-kubernetes-preserve-unknown-fields']) return value;
  if (Array.isArray(value)) {
    return schema.items ? value.map((v, i) => pruneValue(v, schema.items, `${path}[${i}]`, pruned, near)) : value;
  }
  if (!isObject(value)) return value;
  // A key may be megabytes long: paths show at most 60 characters of it.
  const at = (key: string) => (path ? `${path}.${clip(key, 60)}` : clip(key, 60));
  if (schema.properties) {
    for (const key of Object.keys(value)) {
      // Own properties only: `constructor` or `toString` in a Config is an unknown field, pruned.
      const sub = own(schema.properties, key);
      if (!sub) {
        pruned.push(at(key));
        const guess = closest(key, Object.keys(schema.properties));
        if (guess !== undefined) near[at(key)] = guess;
        delete value[key];
      } else if (value[key] === null && !sub.nullable) {
        delete value[key];
      } else {
        value[key] = pruneValue(value[key], sub, at(key), pruned, near);
      }
    }
  } else if (isObject(schema.additionalProperties)) {
    for (const key of Object.keys(value)) value[key] = pruneValue(value[key], schema.additionalProperties, at(key), pruned, near);
  }
  return value;
}

/** Applies `default`s top-down to present objects, in place. */
function applyDefaults(value: any, schema: Schema): void {
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((v) => applyDefaults(v, schema.items));
    return;
  }
  if (!isObject(value)) return;
  if (schema.properties) {
    const properties: Record<string, Schema> = schema.properties;
    for (const key of Object.keys(properties)) {
      const sub = properties[key];
      if (value[key] === undefined && sub.default !== undefined) {
        // a primitive default is its own copy
        value[key] = typeof sub.default === 'object' && sub.default !== null ? structuredClone(sub.default) : sub.default;
      }
      if (value[key] !== undefined) applyDefaults(value[key], sub);
    }
  } else if (isObject(schema.additionalProperties)) {
    for (const v of Object.values(value)) applyDefaults(v, schema.additionalProperties);
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function shown(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(typeName(v)) : show(v);
}

/** `o[key]` when `key` is `o`'s own, not one of Object.prototype's members. */
function own(o: Record<string, any>, key: string): any {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

function matchesType(v: unknown, type: string | undefined): boolean {
  switch (type) {
    case undefined: return true;
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'object': return isObject(v);
    case 'array': return Array.isArray(v);
    default: return typeof v === type;
  }
}

/** Compiled schema patterns (a CRD has a few dozen; compiled once each). */
const PATTERNS = new Map<string, RegExp>();

function patternOf(pattern: string): RegExp {
  let re = PATTERNS.get(pattern);
  if (re === undefined) {
    re = new RegExp(pattern, 'u');
    PATTERNS.set(pattern, re);
  }
  return re;
}

function validateValue(v: any, schema: Schema, path: string, out: RegistryConfigProblem[]): void {
  const bad = (message: string, code: string) => out.push({ path, message, code });
  if (v === null) {
    if (!schema.nullable) bad(`Invalid value: "null": ${path} in body must be of type ${schema.type ?? 'object'}: "null"`, 'ORS-CRD-001');
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) {
      bad(`Invalid value: ${shown(typeName(v))}: ${path} in body must be of type integer or string: ${shown(typeName(v))}`, 'ORS-CRD-016');
      return;
    }
  } else if (!matchesType(v, schema.type)) {
    bad(`Invalid value: ${shown(typeName(v))}: ${path} in body must be of type ${schema.type}: ${shown(typeName(v))}`, 'ORS-CRD-002');
    return;
  }
  if (schema.enum && !schema.enum.some((e: unknown) => e === v)) {
    bad(`Unsupported value: ${shown(v)}: supported values: ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`, 'ORS-CRD-003');
  }
  if (typeof v === 'string') {
    // lengths in code points; a string's UTF-16 length bounds its code points from above
    if (schema.maxLength !== undefined && v.length > schema.maxLength && [...v].length > schema.maxLength) {
      bad(`Too long: may not be longer than ${schema.maxLength}`, 'ORS-CRD-004');
    }
    if (schema.minLength !== undefined && (v.length < schema.minLength || (v.length < 2 * schema.minLength && [...v].length < schema.minLength))) {
      bad(`Invalid value: ${shown(v)}: ${path} in body should be at least ${schema.minLength} chars long`, 'ORS-CRD-005');
    }
    if (schema.pattern !== undefined && !patternOf(schema.pattern).test(v)) {
      bad(`Invalid value: ${shown(v)}: ${path} in body should match '${schema.pattern}'`, 'ORS-CRD-006');
    }
    const format = schema.format && FORMATS[schema.format];
    if (format && !format(v)) bad(`Invalid value: ${shown(v)}: ${path} in body must be of type ${schema.format}: ${shown(v)}`, 'ORS-CRD-007');
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) {
      bad(`Invalid value: ${v}: ${path} in body should be greater than or equal to ${schema.minimum}`, 'ORS-CRD-008');
    }
    if (schema.maximum !== undefined && v > schema.maximum) {
      bad(`Invalid value: ${v}: ${path} in body should be less than or equal to ${schema.maximum}`, 'ORS-CRD-009');
    }
  }
  if (isObject(v)) {
    for (const key of schema.required ?? []) {
      if (v[key] === undefined) out.push({ path: path ? `${path}.${key}` : key, message: 'Required value', code: 'ORS-CRD-010' });
    }
    for (const key of Object.keys(v)) {
      const child = v[key];
      const sub = (schema.properties ? own(schema.properties, key) : undefined)
        ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (sub) validateValue(child, sub, path ? `${path}.${clip(key, 60)}` : clip(key, 60), out);
    }
  }
  if (Array.isArray(v) && schema.items) {
    v.forEach((item, i) => validateValue(item, schema.items, `${path}[${i}]`, out));
  }
  if (schema.anyOf) {
    const ok = schema.anyOf.some((alt: Schema) => {
      const sub: RegistryConfigProblem[] = [];
      validateValue(v, { ...alt, type: alt.type }, path, sub);
      return sub.length === 0;
    });
    if (!ok) bad(`Invalid value: ${shown(v)}: ${path} in body must validate at least one schema (anyOf)`, 'ORS-CRD-011');
  }
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((alt: Schema) => {
      const sub: RegistryConfigProblem[] = [];
      validateValue(v, { ...alt, type: alt.type }, path, sub);
      return sub.length === 0;
    }).length;
    if (matching !== 1) bad(`Invalid value: ${shown(v)}: ${path} in body must validate one and only one schema (oneOf), validated ${matching}`, 'ORS-CRD-012');
  }
  if (schema.not) {
    const sub: RegistryConfigProblem[] = [];
    validateValue(v, schema.not, path, sub);
    if (sub.length === 0) bad(`Invalid value: ${shown(v)}: ${path} in body must not validate the schema (not)`, 'ORS-CRD-013');
  }
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    // Transition rules (they read `oldSelf`, such as ACK's immutable `self == oldSelf`) apply to
    // updates only; what is checked here is an object as created.
    if (/\boldSelf\b/.test(rule.rule)) continue;
    const fn = CEL_RULES[rule.rule] ?? celRuleOfPattern(rule.rule);
    if (!fn) {
      bad(`CEL rule not supported by this validator: ${rule.rule}`, 'ORS-CRD-014');
    } else if (!fn(v)) {
      bad(`Invalid value: ${shown(v)}: ${rule.message ?? `failed rule: ${rule.rule}`}`, 'ORS-CRD-015');
    }
  }
}

/** The result of admitting an object: what the API server would store, and why it would refuse it. */
export interface Admission {
  /** The object after pruning and defaulting. */
  readonly object: Json;
  /** Problems; empty when the API server would accept the object. */
  readonly problems: RegistryConfigProblem[];
  /** Paths of unknown fields the API server would drop (often typos). */
  readonly pruned: string[];
  /** For a pruned path, the closest field the schema has there (`regoin` → `region`). */
  readonly near: Readonly<Record<string, string>>;
}

/** @internal What a pruned field gets as a message, on every path (check, cdk8s, the planners). */
export function prunedFieldMessage(path: string, near: Readonly<Record<string, string>>): string {
  const guess = near[path];
  return `unknown field: the API server would drop it without a word${guess ? `; did you mean "${guess}"?` : '; check the spelling against the CRD'}`;
}

/** Prunes, defaults and validates a copy of `value` against a structural schema. */
export function admit(value: unknown, schema: Schema, rootFields: readonly string[] = []): Admission {
  // Root fields the API server handles itself (apiVersion, kind, metadata) are kept as they are and
  // not copied: metadata can be large (annotations), and only the rest is pruned and defaulted.
  const keep: Record<string, unknown> = {};
  let copy: any;
  if (isObject(value)) {
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (rootFields.includes(k)) keep[k] = v;
      else rest[k] = v;
    }
    copy = structuredClone(rest);
  } else {
    copy = structuredClone(value);
  }
  const pruned: string[] = [];
  const near: Record<string, string> = {};
  if (isObject(copy)) {
    pruneValue(copy, schema, '', pruned, near);
    Object.assign(copy, keep);
  }
  applyDefaults(copy, schema);
  const problems: RegistryConfigProblem[] = [];
  validateValue(copy, schema, '', problems);
  return { object: copy, problems, pruned, near };
}
