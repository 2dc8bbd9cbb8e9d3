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
   * - `... migrate verify` checks everything again and copies nothing.
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
  /** The way back: the Config's storage as it was, read-only off (a merge patch of `spec`). */
  readonly rollbackPatch: Readonly<Record<string, unknown>>;
  /** The same as an `oc` command. */
  readonly rollbackCommand: string;
}

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
    rollbackCommand: `oc patch configs.imageregistry.operator.openshift.io cluster --type=merge -p '${JSON.stringify(rollbackPatch).replace(/'/g, '\'\\\'\'')}'`,
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
 * - `verify`: every blob's hash, the links and the counts, copying nothing.
 *
 * `copy`, never `sync`: nothing at the destination is deleted. `_uploads` holds uploads in flight
 * and their hash states: never copied. Blobs are content-addressed, so a blob of the same name and
 * size is the same blob (`--size-only`: no modification time is read, which on S3 and Swift is a
 * request per object), and a damaged one is caught by its hash. Links are all 71 bytes, so a moved
 * tag's link has the size of the old one: the final pass compares links by MD5 (`LINK_COMPARE=--checksum`)
 * where both stores hold one for every small object, and copies every link again (`--ignore-times`)
 * where not (Azure: a missing MD5 makes rclone fall back to sizes). A blob whose sha256 is not its
 * name is damaged, which no storage checksum shows (S3 multipart ETags are no MD5s); a link naming a
 * missing blob is an image that would not pull.
 */
const SCRIPT = `set -eu
: "\${SOURCE:?the source's rclone path}" "\${DESTINATION:?the destination's rclone path}"
mode="\${1:?pre, final or verify}"
tree=docker/registry/v2
flags="--config /dev/null --retries 5 --low-level-retries 10"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the blobs already hashed at the destination, kept beside the tree (the registry reads only docker/)
hashed="$DESTINATION/.registry-storage-migration/hashed-blobs"
# the blobs of a tree, relative to blobs/, sorted
blobs() { rclone lsf -R --files-only "$1/$tree/blobs" $flags 2>/dev/null | grep '/data$' | sort || true; }
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
# every link names a blob present at the destination; no fewer blobs or links than the source
links() {
  blobs "$DESTINATION" > "$work/have"
  blobs "$SOURCE" | wc -l > "$work/source-blobs"
  rclone copy "$DESTINATION/$tree/repositories" "$work/links" $flags --filter '- **/_uploads/**' --filter '+ **/link' --filter '- **'
  rclone lsf -R --files-only "$SOURCE/$tree/repositories" $flags --filter '- **/_uploads/**' --filter '+ **/link' --filter '- **' \\
    | grep -c '/link$' > "$work/source-links" || true
  find "$work/links" -type f -name link -exec sh -c 'for f; do printf "%s %s\\n" "$(cat "$f")" "$f"; done' sh {} + > "$work/named" || true
  awk -v source_blobs="$(cat "$work/source-blobs")" -v source_links="$(cat "$work/source-links")" -v root="$work/links/" '
    FILENAME == ARGV[1] { n = split($0, p, "/"); have["sha256:" p[n-1]] = 1; blobs++; next }
    {
      links++
      if (!($1 in have)) { print "verify: repositories/" substr($2, length(root) + 1) " names " $1 ", which is not at the destination"; bad++ }
    }
    END {
      if (blobs < source_blobs) { print "verify: " blobs " blobs at the destination, " source_blobs " at the source"; bad++ }
      if (links < source_links) { print "verify: " links " links at the destination, " source_links " at the source"; bad++ }
      if (bad) exit 1
      print "verify: " links " links name blobs present, " blobs " blobs, none fewer than the source"
    }' "$work/have" "$work/named"
}
# blobs first, then what names them
transfer() {
  rclone copy "$SOURCE/$tree/blobs" "$DESTINATION/$tree/blobs" $flags --size-only --stats-one-line --stats 30s
  rclone copy "$SOURCE/$tree/repositories" "$DESTINATION/$tree/repositories" $flags --stats-one-line --stats 30s \\
    --filter '- **/_uploads/**' "$@"
}
# the bucket, container or folder can be listed: a wrong name or credential stops here, before anything else
reachable() {
  case "$2" in /*) top="$2" ;; *) top="\${2%%/*}" ;; esac
  rclone lsf --max-depth 1 "$top" $flags > /dev/null || { echo "$1 $top cannot be listed: check its name and credentials" >&2; exit 3; }
}
reachable source "$SOURCE"
reachable destination "$DESTINATION"
if [ -z "$(rclone lsf --max-depth 1 "$SOURCE/$tree" $flags 2>/dev/null)" ]; then
  echo "$mode: the source holds no registry tree ($SOURCE/$tree): nothing to move"
  exit 0
fi
case "$mode" in
  pre)
    transfer
    blobs "$DESTINATION" > "$work/all"
    hashes "$work/all"
    rclone rcat "$hashed" $flags < "$work/all"
    ;;
  final)
    transfer "\${LINK_COMPARE:---ignore-times}"
    rclone cat "$hashed" $flags > "$work/before" 2>/dev/null || : > "$work/before"
    blobs "$DESTINATION" > "$work/all"
    awk 'FILENAME == ARGV[1] { old[$0] = 1; next } !($0 in old)' "$work/before" "$work/all" > "$work/new"
    hashes "$work/new"
    rclone rcat "$hashed" $flags < "$work/all"
    links
    ;;
  verify)
    blobs "$DESTINATION" > "$work/all"
    hashes "$work/all"
    links
    ;;
  *) echo "mode must be pre, final or verify, got $mode" >&2; exit 2 ;;
esac
echo "$mode: done"
`;
