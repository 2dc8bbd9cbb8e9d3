/**
 * Runs `replay.go` (Kubernetes' own server-side-apply library, structured-merge-diff, from
 * Debian's `golang-k8s-sigs-structured-merge-diff-dev`) on a history of writes to one object.
 * The program is built once into `.tmp/ssa/replay`, again when `replay.go` is newer. Without Go
 * the replay throws: the e2e suite fails, it never skips.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SmdSchema, typecheckCases } from './schema';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE = path.join(__dirname, 'replay.go');
const OUT_DIR = path.join(ROOT, '.tmp', 'ssa');
const BINARY = path.join(OUT_DIR, 'replay');
/** Debian installs structured-merge-diff 4.1.2 here; GOPATH mode, imports without `/v4`. */
const DEBIAN_GOCODE = '/usr/share/gocode';

/** One write to the object. */
export interface ReplayStep {
  readonly name: string;
  /** The field manager (`--field-manager`, or the client's default). */
  readonly manager: string;
  /**
   * `Apply`: server-side apply of an applied configuration (`oc apply --server-side`, Pulumi
   * Patch resources, Argo CD with `ServerSideApply=true`). `Update`: any other write (create, PUT,
   * JSON merge patch, `oc edit`): `object` is the whole new object.
   */
  readonly operation: 'Apply' | 'Update';
  /** `--force-conflicts` (Apply only). */
  readonly force?: boolean;
  /** Without `metadata.managedFields` (the replay tracks ownership); `status` is ignored. */
  readonly object: Record<string, unknown>;
}

/** The API server's answer to one write, and the stored state after it. */
export interface ReplayResult {
  readonly name: string;
  /** False when the write was refused (a conflict, an object the schema does not type). */
  readonly ok: boolean;
  /**
   * An unforced Apply: the conflicts that refused it. A forced Apply: the fields it took from
   * other managers (the conflicts it forced through).
   */
  readonly conflicts: readonly { readonly manager: string; readonly path: string }[];
  /** The API server's message (`Apply failed with 1 conflict: conflict with "x": .spec.y`). */
  readonly error?: string;
  /** The stored object after the write (unchanged when it was refused); null while absent. */
  readonly object: Record<string, any> | null;
  /** Each manager's fields (`.spec.replicas`, `.metadata.annotations.key`). */
  readonly managed: Readonly<Record<string, readonly string[]>>;
}

function goEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    GO111MODULE: 'off',
    GOPATH: `${path.join(ROOT, '.tmp', 'gopath')}:${DEBIAN_GOCODE}`,
    GOCACHE: path.join(ROOT, '.tmp', 'gocache'),
    GOFLAGS: '',
  };
}

/** Builds the replay program unless an up-to-date build exists; returns its path. */
export function buildReplay(): string {
  return buildGo(SOURCE, BINARY);
}

function buildGo(source: string, binary: string): string {
  if (fs.existsSync(binary) && fs.statSync(binary).mtimeMs >= fs.statSync(source).mtimeMs) return binary;
  const go = spawnSync('go', ['version'], { encoding: 'utf8', env: goEnv() });
  if (go.error || go.status !== 0) {
    throw new Error('the ssa replay needs Go and structured-merge-diff: apt-get install golang-go golang-k8s-sigs-structured-merge-diff-dev '
      + `(go: ${go.error?.message ?? go.stderr.trim()})`);
  }
  if (!fs.existsSync(path.join(DEBIAN_GOCODE, 'src', 'sigs.k8s.io', 'structured-merge-diff', 'merge', 'update.go'))) {
    throw new Error(`the ssa replay needs structured-merge-diff under ${DEBIAN_GOCODE}: apt-get install golang-k8s-sigs-structured-merge-diff-dev`);
  }
  if (source === JSON_PATCH_SOURCE && !fs.existsSync(path.join(DEBIAN_GOCODE, 'src', 'github.com', 'evanphx', 'json-patch', 'patch.go'))) {
    throw new Error(`the JSON patch replay needs evanphx/json-patch under ${DEBIAN_GOCODE}: apt-get install golang-github-evanphx-json-patch-dev`);
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const build = spawnSync('go', ['build', '-o', binary, source], { encoding: 'utf8', env: goEnv(), cwd: ROOT, timeout: 300_000 });
  if (build.status !== 0) throw new Error(`go build of ${path.relative(ROOT, source)} failed: ${build.stderr.trim() || build.error?.message}`);
  return binary;
}

const JSON_PATCH_SOURCE = path.join(__dirname, 'jsonpatch', 'main.go');
const JSON_PATCH_BINARY = path.join(OUT_DIR, 'jsonpatch');

/** What the API server does with one `oc patch --type=json`. */
export interface JsonPatchResult {
  readonly name: string;
  /** False when the patch failed: the API server answers 422 and stores nothing. */
  readonly ok: boolean;
  /** The library's message (`error in move for path: 's3': Unable to remove nonexistent key: s3: missing value`). */
  readonly error?: string;
  /** The patched object, or the object unchanged when the patch failed. */
  readonly doc: Record<string, any>;
}

/**
 * Applies RFC 6902 JSON patches with the API server's own library, evanphx/json-patch v4
 * (`e2e/ssa/jsonpatch/main.go`, built from Debian's golang-github-evanphx-json-patch-dev).
 */
export function applyJsonPatches(jobs: readonly { name: string; doc: object; patch: readonly object[] }[]): JsonPatchResult[] {
  const binary = buildGo(JSON_PATCH_SOURCE, JSON_PATCH_BINARY);
  const r = spawnSync(binary, [], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 64 * 2 ** 20, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`JSON patch replay failed (exit ${r.status}): ${r.stderr.trim() || r.error?.message}`);
  return JSON.parse(r.stdout) as JsonPatchResult[];
}

function runReplay(input: object): unknown {
  const r = spawnSync(buildReplay(), [], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 2 ** 20, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`ssa replay failed (exit ${r.status}): ${r.stderr.trim() || r.error?.message}`);
  return JSON.parse(r.stdout);
}

/** Replays `steps` from an absent object; one result per step. */
export function replay(schema: { schema: SmdSchema; typeName: string }, steps: readonly ReplayStep[]): ReplayResult[] {
  return runReplay({ schema: schema.schema, typeName: schema.typeName, steps }) as ReplayResult[];
}

/**
 * Types the vendored CRD's test vectors (and the harness's own cases) with the converted schema;
 * throws a message listing every case that came out wrong.
 */
export function checkSchemaWithVectors(schema: { schema: SmdSchema; typeName: string }): number {
  const cases = typecheckCases();
  const typecheck = cases.map(({ name, object }) => ({ name, object }));
  const results = runReplay({ ...schema, typecheck }) as { name: string; ok: boolean; error?: string }[];
  const wrong = cases.filter((c, i) => results[i]?.ok !== c.ok)
    .map((c) => `${c.name}: ${c.ok ? `refused: ${results[cases.indexOf(c)]?.error}` : 'accepted, but must be refused'}`);
  if (wrong.length > 0) throw new Error(`the schema converted from the CRD does not type its test vectors as the API server does:\n  ${wrong.join('\n  ')}`);
  return cases.length;
}

/**
 * RFC 7386 JSON merge patch: what the API server stores for `oc patch --type=merge` (and
 * `oc edit`, which sends one for custom resources). `null` deletes a member, objects merge
 * recursively, anything else (arrays included) replaces.
 */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}

/**
 * A history replayed as it is written: steps that depend on the stored object (merge patches,
 * `oc edit`, the operator's read-modify-write) read it from the replay of the steps before them.
 */
export class ReplaySession {
  private readonly steps: ReplayStep[] = [];
  private cached?: ReplayResult[];

  public constructor(private readonly schema: { schema: SmdSchema; typeName: string }) {}

  /** Adds a write. */
  public push(step: ReplayStep): void {
    this.steps.push(step);
    this.cached = undefined;
  }

  /** The stored object after the steps so far (null while absent). */
  public live(): Record<string, any> | null {
    const results = this.results();
    return results.length === 0 ? null : results[results.length - 1].object;
  }

  /** A write of the stored object with `patch` merged in (RFC 7386), as an Update. */
  public pushMergePatch(name: string, manager: string, patch: Record<string, unknown>): void {
    const live = this.live();
    if (!live) throw new Error(`${name}: a merge patch of an object that does not exist (NotFound)`);
    this.push({ name, manager, operation: 'Update', object: jsonMergePatch(live, patch) as Record<string, unknown> });
  }

  /**
   * `oc patch --type=json`: the stored object with `patch` applied by the API server's JSON patch
   * library, written as an Update. A patch that fails writes nothing; its result is returned.
   */
  public pushJsonPatch(name: string, manager: string, patch: readonly object[]): JsonPatchResult {
    const live = this.live();
    if (!live) throw new Error(`${name}: a JSON patch of an object that does not exist (NotFound)`);
    const [result] = applyJsonPatches([{ name, doc: live, patch }]);
    if (result.ok) this.push({ name, manager, operation: 'Update', object: result.doc });
    return result;
  }

  /** Every step's result (replayed once per change). */
  public results(): ReplayResult[] {
    this.cached ??= this.steps.length === 0 ? [] : replay(this.schema, this.steps);
    return this.cached;
  }

  /** The steps as given (the replay's input). */
  public input(): { schema: SmdSchema; typeName: string; steps: readonly ReplayStep[] } {
    return { ...this.schema, steps: [...this.steps] };
  }
}
