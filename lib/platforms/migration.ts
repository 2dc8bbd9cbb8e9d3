/**
 * Moving a registry's images to new storage: the copy, the checks that prove the copy whole, and
 * the way back. Pure planning: the scripts here are what the copy and verify Jobs run (with rclone),
 * and what the end-to-end suite runs against real storage.
 *
 * The registry keeps one tree on every driver (distribution's `registry/storage/paths.go`):
 * `docker/registry/v2/blobs/sha256/<2 hex>/<64 hex>/data` and `repositories/<name>/...`, each
 * `link` file holding `sha256:<hex>` (71 bytes). Only where that tree starts differs per storage
 * (each kind's `copier`).
 */
import { storageKindOfConfigType } from './kinds';
import { OPERATOR_STORAGE_TYPES } from '../core/constants';
import { RegistryStoragePlan } from '../core/model';
import { Problems, show } from '../core/problems';
import { CopierReach } from '../core/storage-kind';

/** Props of {@link planStorageMigration}. */
export interface StorageMigrationProps {
  /**
   * The storage the registry uses now, exactly as the Config's `spec.storage` holds it, so that it
   * can be copied from `oc get configs.imageregistry.operator.openshift.io cluster -o yaml`:
   * `{ pvc: { claim: 'image-registry-storage' } }`, `{ s3: { bucket, region, regionEndpoint } }`,
   * `{ swift: { container, authURL, ... } }`. `managementState` may stay in it.
   */
  readonly from: Readonly<Record<string, unknown>>;
  /** The plan of the new storage (`planS3Storage(...)`, or a construct's `plan`). */
  readonly to: Pick<RegistryStoragePlan, 'storageType' | 'spec'>;
  /**
   * The old storage is read with keys (the user Secret's key names, such as
   * `REGISTRY_STORAGE_S3_ACCESSKEY`, read from a Secret named by the caller), not with the pod's
   * identity. Needed where the old storage has no identity the copy pod can take (Swift, an
   * S3-compatible endpoint).
   * @default true where the old storage has no such identity
   */
  readonly fromKeys?: boolean;
  /** The new storage is written with keys, as for {@link StorageMigrationProps.fromKeys}. @default as fromKeys */
  readonly toKeys?: boolean;
}

/** One end of the copy, as the copy and verify scripts reach it. */
export interface MigrationEnd {
  /** The Config's storage type (`s3`, `pvc`, ...) and its block. */
  readonly type: string;
  readonly block: Readonly<Record<string, unknown>>;
  /** How a copier reaches it. */
  readonly reach: CopierReach;
  /** The rclone path of the registry's root: `src:<bucket>`, `dst:<container>/files`, or a mount path. */
  readonly path: string;
  /** Environment without secrets: the rclone remote's options. */
  readonly env: Readonly<Record<string, string>>;
  /** Environment from the user Secret's keys (variable → Secret key), when keys are used. */
  readonly secretEnv: Readonly<Record<string, string>>;
}

/** What {@link planStorageMigration} returns. */
export interface StorageMigrationPlan {
  readonly source: MigrationEnd;
  readonly destination: MigrationEnd;
  /** The steps, in order, as a user reads them. */
  readonly steps: readonly string[];
  /**
   * The copy and its checks, as a POSIX shell script for an image with rclone 1.60 or newer, with
   * `SOURCE` and `DESTINATION` (each end's `path`) and each end's environment set:
   * - `sh -c "$SCRIPT" migrate pre` copies while the registry still takes pushes (never deleting at
   *   the destination, skipping uploads in flight), then hashes every blob at the destination;
   * - `... migrate final` runs in the read-only window: it copies what changed and every link whose
   *   content differs (`LINK_COMPARE`), hashes the blobs it brought, checks that every link names a
   *   blob present at the destination and that no fewer blobs or links are there than at the source;
   * - `... migrate verify` checks everything again and copies nothing;
   * - `... migrate copy` copies and checks nothing: a seeding copy days before the move, so that the
   *   move itself copies less (`pre` hashes whatever it finds at the destination).
   *
   * Each mode first lists both ends, so a wrong name or credential fails before anything is copied
   * (exit 3); a failed check exits 1 with each failure on its own line.
   */
  readonly script: string;
  /**
   * How the final pass compares links (all 71 bytes): `--checksum` (MD5) where both stores keep one
   * for every small object, `--ignore-times` (copy every link again) where one may not (Azure).
   * Give it to the script as `LINK_COMPARE`.
   */
  readonly linkCompare: '--checksum' | '--ignore-times';
  /** The way back: the Config's storage as it was, read-only off and the window's owner gone (a merge patch). */
  readonly rollbackPatch: Readonly<Record<string, unknown>>;
  /** The same as an `oc` command, followed by the image pruner's `suspend` as the read-only window found it (a shell script). */
  readonly rollbackCommand: string;
}

/** ImagePruner annotation holding `spec.suspend` as it was before the window (`true` or `false`). */
export const SUSPEND_BEFORE_MIGRATION_ANNOTATION = 'registry-storage.openshift.io/suspend-before-migration';
/** @internal The cluster's ImagePruner, as `oc` names it. */
export const PRUNER = 'imagepruners.imageregistry.operator.openshift.io/cluster';
/** @internal The JSONPath of {@link SUSPEND_BEFORE_MIGRATION_ANNOTATION}. */
export const SUSPEND_MARK_PATH = `{.metadata.annotations.${SUSPEND_BEFORE_MIGRATION_ANNOTATION.replace(/\./g, '\\.')}}`;
/**
 * @internal The pruner's `suspend` as the read-only window found it (kept in
 * {@link SUSPEND_BEFORE_MIGRATION_ANNOTATION}), and the annotation removed; nothing when there is none.
 */
export const RESTORE_PRUNER_SCRIPT = `if oc get ${PRUNER} > /dev/null 2>&1; then
  was=$(oc get ${PRUNER} -o 'jsonpath=${SUSPEND_MARK_PATH}')
  case "$was" in
    true|false) oc patch ${PRUNER} --type=merge -p "{\\"spec\\":{\\"suspend\\":$was},\\"metadata\\":{\\"annotations\\":{\\"${SUSPEND_BEFORE_MIGRATION_ANNOTATION}\\":null}}}" ;;
  esac
fi
`;

/**
 * Config annotation naming who opened the read-only window (`migration`, `hard-prune`): only its
 * owner closes it (migration-jobs.ts, hard-prune.ts), and the rollback removes it.
 */
export const READ_ONLY_OWNER_ANNOTATION = 'registry-storage.openshift.io/read-only-by';
/** @internal The JSONPath of {@link READ_ONLY_OWNER_ANNOTATION}. */
export const READ_ONLY_OWNER_PATH = `{.metadata.annotations.${READ_ONLY_OWNER_ANNOTATION.replace(/\./g, '\\.')}}`;

/** Where a claim is mounted in the copy pod, per end. */
const MOUNTS = { source: '/migrate/source', destination: '/migrate/destination' } as const;
const REMOTES = { source: 'src', destination: 'dst' } as const;

/**
 * Plans the move of a registry's images from the storage it uses now to the new one: where each
 * end's tree is, the copy and verify scripts, the order of the steps, and the rollback.
 *
 * @throws RegistryStorageValidationError naming `from`, `to`, `fromKeys` or `toKeys` and the fix
 * @see https://github.com/openshift/installer/blob/main/docs/user/openstack/image-registry-storage-swift.md
 */
export function planStorageMigration(props: StorageMigrationProps): StorageMigrationPlan {
  const problems = new Problems();
  const from = storageBlock(props.from, problems);
  const toType = props.to?.storageType === 'emptyDir' ? 'emptyDir' : props.to?.storageType;
  const toBlock = (props.to?.spec?.storage as Record<string, any> | undefined)?.[toType as string];
  if (toType === undefined || toBlock === undefined) problems.add('to', 'must be a storage plan (planS3Storage(...), or a construct\'s plan)', 'ORS-MIGRATE-002');
  if (from && toBlock && from.type === toType && sameStorage(from.type, from.block, toBlock)) {
    problems.add('from', `is the storage the new plan names too (${show(from.block)}): nothing to move`, 'ORS-MIGRATE-003');
  }
  const source = from ? end('source', from.type, from.block, props.fromKeys, problems) : undefined;
  const destination = toBlock ? end('destination', toType!, toBlock, props.toKeys ?? props.fromKeys, problems) : undefined;
  problems.throwIfAny('planStorageMigration');
  const oldStorage = { ...from!.block };
  const rollbackPatch = {
    // the migration's read-only window closed with it
    metadata: { annotations: { [READ_ONLY_OWNER_ANNOTATION]: null } },
    spec: {
      readOnly: false,
      storage: { [toType!]: null, [from!.type]: oldStorage, ...(props.from.managementState ? { managementState: props.from.managementState } : {}) },
    },
  };
  return {
    source: source!,
    destination: destination!,
    steps: [
      `pre-copy: copy the registry's tree from ${from!.type} to ${toType} while the registry still takes pushes (copy only; in-flight uploads skipped)`,
      'read-only: suspend the image pruner, set spec.readOnly: true, and wait for the registry to roll',
      'final copy: copy what changed since, and every link file again (links are all 71 bytes)',
      'verify: every blob hashes to its path, every link names a blob present at the destination, no fewer blobs or links than the source',
      `switch: apply the Config with the new ${toType} block${from!.type === toType ? '' : `, remove the ${from!.type} block`}, wait for the operator`,
      'read-only off, pruner restored; the old storage is left as it was, for rollback',
    ],
    script: SCRIPT,
    linkCompare: [source!, destination!].every((e) => e.reach.claim !== undefined || e.reach.checksums === true) ? '--checksum' : '--ignore-times',
    rollbackPatch,
    rollbackCommand: `oc patch configs.imageregistry.operator.openshift.io cluster --type=merge -p '${JSON.stringify(rollbackPatch).replace(/'/g, '\'\\\'\'')}'\n${RESTORE_PRUNER_SCRIPT}`,
  };
}

function storageBlock(given: unknown, problems: Problems): { type: string; block: Record<string, unknown> } | undefined {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    problems.add('from', `must be the Config's spec.storage, such as { pvc: { claim: 'image-registry-storage' } }, got ${show(given)}`, 'ORS-MIGRATE-001');
    return undefined;
  }
  const types = Object.keys(given).filter((k) => k !== 'managementState' && (given as any)[k] !== null && (given as any)[k] !== undefined);
  const known = types.filter((t) => (OPERATOR_STORAGE_TYPES as readonly string[]).includes(t));
  if (types.length !== 1 || known.length !== 1) {
    problems.add('from', `must hold exactly one storage block of ${OPERATOR_STORAGE_TYPES.join(', ')}, got ${types.length === 0 ? 'none' : types.join(', ')}`, 'ORS-MIGRATE-001');
    return undefined;
  }
  const block = (given as any)[known[0]];
  if (typeof block !== 'object' || Array.isArray(block)) {
    problems.add(`from.${known[0]}`, `must be the storage block, got ${show(block)}`, 'ORS-MIGRATE-001');
    return undefined;
  }
  return { type: known[0], block: { ...block } };
}

/** Two blocks of one type naming the same place (bucket, container, claim), whatever else they say. */
function sameStorage(type: string, a: Record<string, any>, b: Record<string, any>): boolean {
  const where = (x: Record<string, any>) => JSON.stringify([x.bucket, x.container, x.claim, x.accountName, x.regionEndpoint, x.authURL]);
  return type === 'emptyDir' || where(a) === where(b);
}

function end(role: 'source' | 'destination', type: string, block: Record<string, unknown>, keysGiven: boolean | undefined, problems: Problems): MigrationEnd | undefined {
  const at = role === 'source' ? 'from' : 'to';
  const kind = storageKindOfConfigType(type);
  if (!kind) {
    problems.add(at, `${type} storage has no kind the library knows`, 'ORS-MIGRATE-001');
    return undefined;
  }
  const reach = kind.copier(block);
  if (reach.claim !== undefined) {
    return { type, block, reach, path: MOUNTS[role], env: {}, secretEnv: {} };
  }
  if (reach.options === undefined) {
    problems.add(at, `${type} storage cannot be ${role === 'source' ? 'copied from' : 'copied to'}: ${reach.unreachable}`, 'ORS-MIGRATE-004');
    return undefined;
  }
  const remote = REMOTES[role];
  const variable = (option: string) => `RCLONE_CONFIG_${remote.toUpperCase()}_${option.toUpperCase()}`;
  const useKeys = keysGiven ?? reach.ambient === undefined;
  if (!useKeys && reach.ambient === undefined) {
    problems.add(role === 'source' ? 'fromKeys' : 'toKeys', `is false, but ${type} storage here has no identity the copy pod can take: read it with keys`, 'ORS-MIGRATE-005');
    return undefined;
  }
  const options = { ...reach.options, ...(useKeys ? {} : reach.ambient) };
  return {
    type,
    block,
    reach,
    path: `${remote}:${reach.root}`,
    env: Object.fromEntries(Object.entries(options).map(([k, v]) => [variable(k), v])),
    secretEnv: useKeys ? Object.fromEntries(Object.entries(reach.keys ?? {}).map(([option, key]) => [variable(option), key])) : {},
  };
}

/**
 * The copy and the checks (rclone 1.60 or newer, a POSIX shell, awk), one script with three modes:
 * - `pre`, while the registry still takes pushes: copy, then hash every blob at the destination;
 * - `final`, in the read-only window: copy what changed, hash only the blobs no earlier pass hashed
 *   (their list is kept at the destination, beside the tree, in `.registry-storage-migration/`),
 *   then the links and counts, so the window grows with what changed, not with what is stored;
 * - `verify`: every blob's hash, the links and the counts, copying nothing;
 * - `copy`: the copy alone, hashing nothing (a seeding copy days before the move, to shrink what the
 *   move itself copies; `pre` then hashes what it finds).
 *
 * `copy`, never `sync`: nothing at the destination is deleted. `_uploads` holds uploads in flight
 * and their hash states: never copied. Blobs are content-addressed, so a blob of the same name and
 * size is the same blob (`--size-only`: no modification time is read, which on S3 and Swift is a
 * request per object), and a damaged one is caught by its hash. Links are all 71 bytes, so a moved
 * tag's link has the size of the old one: the final pass compares links by MD5 (`LINK_COMPARE=--checksum`)
 * where both stores hold one for every small object, and copies every link again (`--ignore-times`)
 * where not (Azure: a missing MD5 makes rclone fall back to sizes). A blob whose sha256 is not its
 * name is damaged, which no storage checksum shows (S3 multipart ETags are no MD5s); a link naming a
 * missing blob is an image that would not pull. Listings are recursive in one request per thousand
 * objects on buckets (`--fast-list`), not one per folder: the tree has two folders per blob.
 */
const SCRIPT = `set -eu
: "\${SOURCE:?the source's rclone path}" "\${DESTINATION:?the destination's rclone path}"
mode="\${1:?copy, pre, final or verify}"
tree=docker/registry/v2
flags="--config /dev/null --retries 5 --low-level-retries 10 --fast-list"
# a CA bundle the storage endpoints' certificates chain to (the cluster's trusted CAs), when mounted
if [ -s "\${CA_BUNDLE:-}" ]; then flags="$flags --ca-cert $CA_BUNDLE"; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# kept beside the tree, where the registry never reads (it reads only docker/): the blobs already
# hashed at the destination, and the mark of a final pass that passed
state="$DESTINATION/.registry-storage-migration"
fail() { echo "$1" >&2; exit "\${2:-3}"; }
# the blobs of a tree, relative to blobs/, sorted, into the file $2
blobs() {
  rclone lsf -R --files-only "$1/$tree/blobs" $flags > "$work/lsf" 2>"$work/error" || fail "listing $1/$tree/blobs failed: $(tail -n 1 "$work/error")"
  grep '/data$' "$work/lsf" | sort > "$2" || true
}
# every blob listed in the file $1 is at the destination and hashes to its name
hashes() {
  [ -s "$1" ] || return 0
  rclone hashsum sha256 --download --files-from "$1" "$DESTINATION/$tree/blobs" $flags > "$work/sums"
  awk -v listed="$(wc -l < "$1")" '
    { n = split($2, p, "/"); hashed++; if ($1 != p[n-1]) { print "verify: blob " $2 " hashes to " $1 ", not its name: delete it at the destination and run again"; bad++ } }
    END {
      if (hashed < listed) { print "verify: " listed - hashed " of " listed " blobs could not be read at the destination"; bad++ }
      if (bad) exit 1
      print "verify: " hashed " blobs hash to their names"
    }' "$work/sums"
}
# the link files of a tree's repositories (uploads in flight left out), into the file $2
linkfiles() {
  rclone lsf -R --files-only "$1/$tree/repositories" $flags --filter '- **/_uploads/**' --filter '+ **/link' --filter '- **' \\
    > "$2" 2>"$work/error" || fail "listing $1/$tree/repositories failed: $(tail -n 1 "$work/error")"
}
# every link names a blob present at the destination (the blobs listed in $work/all); no fewer
# blobs or links than the source. A
# link under .../sha256/<hex>/link names the blob in its path (layers, revisions, tag indexes: listed,
# not read); a tag's current/link is read.
links() {
  blobs "$SOURCE" "$work/source-blobs"
  linkfiles "$DESTINATION" "$work/listed"
  linkfiles "$SOURCE" "$work/source-links"
  rclone copy "$DESTINATION/$tree/repositories" "$work/current" $flags --filter '- **/_uploads/**' --filter '+ **/current/link' --filter '- **'
  find "$work/current" -type f -name link -exec sh -c 'for f; do printf "%s %s\\n" "$(cat "$f")" "$f"; done' sh {} + > "$work/named" || true
  awk -v source_blobs="$(wc -l < "$work/source-blobs")" -v source_links="$(wc -l < "$work/source-links")" -v root="$work/current/" '
    function named(path, digest) {
      if (!(digest in have)) { print "verify: repositories/" path " names " digest ", which is not at the destination"; bad++ }
    }
    FILENAME == ARGV[1] { n = split($0, p, "/"); have["sha256:" p[n-1]] = 1; blobs++; next }
    FILENAME == ARGV[2] {
      links++
      n = split($0, p, "/")
      if (p[n-2] == "sha256" && length(p[n-1]) == 64) named($0, "sha256:" p[n-1])
      next
    }
    { named(substr($2, length(root) + 1), $1) }
    END {
      if (blobs < source_blobs) { print "verify: " blobs " blobs at the destination, " source_blobs " at the source"; bad++ }
      if (links < source_links) { print "verify: " links " links at the destination, " source_links " at the source"; bad++ }
      if (bad) exit 1
      print "verify: " links " links name blobs present, " blobs " blobs, none fewer than the source"
    }' "$work/all" "$work/listed" "$work/named"
}
# hashes the blobs at the destination no earlier pass hashed, then adds them to the list
unhashed() {
  rclone cat "$state/hashed-blobs" $flags > "$work/before" 2>/dev/null || : > "$work/before"
  blobs "$DESTINATION" "$work/all"
  awk 'FILENAME == ARGV[1] { old[$0] = 1; next } !($0 in old)' "$work/before" "$work/all" > "$work/new"
  hashes "$work/new"
  rclone rcat "$state/hashed-blobs" $flags < "$work/all"
}
# the tree, uploads in flight left out: while the registry takes pushes, in one pass by name and
# size (a moved tag's link is brought by the final pass); in the window, blobs first, then what
# names them, links compared by content ($LINK_COMPARE)
transfer() {
  if [ "$mode" != final ]; then
    rclone copy "$SOURCE/$tree" "$DESTINATION/$tree" $flags --size-only --stats-one-line --stats 30s --filter '- /repositories/**/_uploads/**'
    return
  fi
  rclone copy "$SOURCE/$tree/blobs" "$DESTINATION/$tree/blobs" $flags --size-only --stats-one-line --stats 30s
  rclone copy "$SOURCE/$tree/repositories" "$DESTINATION/$tree/repositories" $flags --stats-one-line --stats 30s \\
    --filter '- **/_uploads/**' "\${LINK_COMPARE:---ignore-times}"
}
# the bucket, container or folder can be listed: a wrong name or credential stops here, before anything else
reachable() {
  case "$2" in /*) top="$2" ;; *) top="\${2%%/*}" ;; esac
  rclone lsf --max-depth 1 "$top" $flags > /dev/null 2>"$work/error" || fail "$1 $top cannot be listed: check its name and credentials ($(tail -n 1 "$work/error"))"
}
reachable destination "$DESTINATION"
# no tree at the source is no registry: the wrong storage named, not an empty one to move
if ! rclone lsf --max-depth 1 "$SOURCE/$tree" $flags > "$work/top" 2>"$work/error"; then
  grep -q 'directory not found' "$work/error" || fail "source $SOURCE/$tree cannot be listed: check its name and credentials ($(tail -n 1 "$work/error"))"
fi
grep -q '^blobs/$' "$work/top" || fail "the source holds no registry tree ($SOURCE/$tree/blobs): is migrateFrom the storage the registry uses now? A registry that never stored an image needs no migrateFrom"
# after a final pass the registry may write to the destination: copying again would put old tags back
if [ "$mode" != verify ] && rclone lsf "$state" $flags 2>/dev/null | grep -qx final-passed; then
  fail "a final pass already passed here ($state/final-passed): the registry may have written to this storage since, and a copy now would put old tags back. Delete that file only if the registry never ran on it"
fi
case "$mode" in
  copy)
    transfer
    ;;
  pre)
    transfer
    unhashed
    ;;
  final)
    transfer
    unhashed
    links
    date -u +%Y-%m-%dT%H:%M:%SZ | rclone rcat "$state/final-passed" $flags
    ;;
  verify)
    blobs "$DESTINATION" "$work/all"
    hashes "$work/all"
    links
    ;;
  *) fail "mode must be copy, pre, final or verify, got $mode" 2 ;;
esac
echo "$mode: done"
`;
