import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A stand-in `oc` for the library's window scripts, keeping the `cluster` Config (read-only flag,
 * owner annotation), the ImagePruner (suspend, the annotation keeping its old value), the registry's
 * Deployment and pod in files of a folder, and every call in `calls`. `annotate` refuses an
 * annotation that is there already, as `oc annotate` without --overwrite does.
 */
const FAKE_OC = `#!/bin/sh
state="$OC_STATE"
echo "$*" >> "$state/calls"
case "$1 $2" in
  "get configs.imageregistry.operator.openshift.io/cluster")
    case "$*" in
      *read-only-by*) cat "$state/owner" 2>/dev/null || true ;;
      *resourceVersion*) echo 7 ;;
      *spec.readOnly*) cat "$state/readonly" 2>/dev/null || true ;;
    esac ;;
  "annotate configs.imageregistry.operator.openshift.io/cluster")
    [ -f "$state/owner" ] && { echo "already has a value" >&2; exit 1; }
    echo "\${3#*=}" > "$state/owner" ;;
  "patch configs.imageregistry.operator.openshift.io/cluster")
    case "$*" in *'"readOnly":true'*) echo true > "$state/readonly" ;; *'"readOnly":false'*) echo false > "$state/readonly" ;; esac
    case "$*" in *'read-only-by":null'*) rm -f "$state/owner" ;; esac ;;
  "get imagepruners.imageregistry.operator.openshift.io/cluster")
    [ -f "$state/pruner" ] || exit 1
    case "$*" in *suspend-before-migration*) cat "$state/mark" 2>/dev/null || true ;; *spec.suspend*) cat "$state/suspend" 2>/dev/null || true ;; esac ;;
  "annotate imagepruners.imageregistry.operator.openshift.io/cluster") echo "\${3#*=}" > "$state/mark" ;;
  "patch imagepruners.imageregistry.operator.openshift.io/cluster")
    case "$*" in *'"suspend":true'*) echo true > "$state/suspend" ;; *'"suspend":false'*) echo false > "$state/suspend" ;; esac
    case "$*" in *'suspend-before-migration":null'*) rm -f "$state/mark" ;; esac ;;
  "get deployment/image-registry"|"get pod") [ "$(cat "$state/readonly" 2>/dev/null)" = true ] && echo '{enabled: true}' ;;
  "get pods") echo image-registry-7f9c-abcde ;;
  "delete pod") echo deleted >> "$state/pod-deleted" ;;
  "rollout status") ;;
  "exec -n")
    case "$*" in
      *prune=check*) echo "Would delete 3 blobs"; echo "Would free up 12 MiB of disk space" ;;
      *prune=delete*) [ -f "$state/fail-delete" ] && { echo "failed" >&2; exit 1; }; echo "Deleted 3 blobs"; echo "Freed up 12 MiB of disk space" ;;
    esac ;;
  *) echo "unexpected: $*" >&2; exit 9 ;;
esac
`;

/** A cluster as files: what each key holds (readonly, owner, pruner, suspend, mark, fail-delete). */
export interface FakeCluster {
  readonly dir: string;
  /** Runs a script with the stand-in `oc` first on PATH. */
  run(script: string): { status: number | null; stdout: string; stderr: string };
  /** A state file's content, trimmed; undefined when absent. */
  read(file: string): string | undefined;
  /** The calls made so far, one a line. */
  calls(): string[];
  remove(): void;
}

export function fakeCluster(state: Readonly<Record<string, string>>): FakeCluster {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ors-oc-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'oc'), FAKE_OC, { mode: 0o755 });
  for (const [file, content] of Object.entries(state)) fs.writeFileSync(path.join(dir, file), `${content}\n`);
  const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8').trim() : undefined);
  return {
    dir,
    run: (script) => {
      const res = spawnSync('/bin/sh', ['-ec', script], { env: { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, OC_STATE: dir }, encoding: 'utf8', timeout: 10_000 });
      return { status: res.status, stdout: res.stdout, stderr: res.stderr };
    },
    read,
    calls: () => (read('calls') ?? '').split('\n').filter(Boolean),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
