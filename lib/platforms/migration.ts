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
   * The copy, as a POSIX shell script for an image with rclone: `sh -c "$SCRIPT" copy pre` copies
   * while the registry still writes (never deleting at the destination, skipping uploads in
   * flight); `... copy final` runs in the read-only window and copies every `link` again, whatever
   * its size and time say (all are 71 bytes).
   */
  readonly copyScript: string;
  /**
   * The verification: every blob at the destination hashes (sha256) to its path; every `link`
   * under `repositories/` names a blob present at the destination; the destination has at least as
   * many blobs and links as the source. Exits 1 with each failure on its own line.
   */
  readonly verifyScript: string;
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
    copyScript: COPY_SCRIPT,
    verifyScript: VERIFY_SCRIPT,
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
 * The copy (rclone 1.60 or newer). `copy`, never `sync`: nothing at the destination is deleted.
 * `_uploads` holds uploads in flight and their hash states: never copied. In the final pass every
 * `link` is copied again with --ignore-times: links are all 71 bytes, so a changed tag's link has the
 * size of the old one, and the clocks of two stores say nothing.
 */
const COPY_SCRIPT = `set -eu
: "\${SOURCE:?the source's rclone path}" "\${DESTINATION:?the destination's rclone path}"
tree=docker/registry/v2
flags="--config /dev/null --retries 5 --low-level-retries 10 --stats-one-line --stats 30s"
rclone copy "$SOURCE/$tree" "$DESTINATION/$tree" $flags --filter '- /repositories/**/_uploads/**'
if [ "\${1:-pre}" = final ]; then
  rclone copy "$SOURCE/$tree" "$DESTINATION/$tree" $flags --ignore-times \\
    --filter '- /repositories/**/_uploads/**' --filter '+ /repositories/**/link' --filter '- **'
fi
echo "copy \${1:-pre}: done"
`;

/**
 * The verification (rclone 1.60 or newer, a POSIX shell and awk). Blobs are content-addressed: a
 * blob whose sha256 is not its name is damaged, which no storage checksum shows (S3 multipart ETags
 * are no MD5s). A link naming a missing blob is an image that would not pull.
 */
const VERIFY_SCRIPT = `set -eu
: "\${SOURCE:?the source's rclone path}" "\${DESTINATION:?the destination's rclone path}"
tree=docker/registry/v2
flags="--config /dev/null --retries 5 --low-level-retries 10"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rclone hashsum sha256 --download "$DESTINATION/$tree/blobs" $flags > "$work/sums"
rclone copy "$DESTINATION/$tree/repositories" "$work/links" $flags \\
  --filter '- /**/_uploads/**' --filter '+ **/link' --filter '- **'
rclone lsf -R --files-only "$SOURCE/$tree/blobs" $flags | grep -c '/data$' > "$work/source-blobs" || true
rclone lsf -R --files-only "$SOURCE/$tree/repositories" $flags --filter '- /**/_uploads/**' --filter '+ **/link' --filter '- **' \\
  | grep -c '/link$' > "$work/source-links" || true
find "$work/links" -type f -name link -exec sh -c 'for f; do printf "%s %s\\n" "$(cat "$f")" "$f"; done' sh {} + > "$work/named" || true
awk -v source_blobs="$(cat "$work/source-blobs")" -v source_links="$(cat "$work/source-links")" -v root="$work/links/" '
  FILENAME == ARGV[1] {
    n = split($2, p, "/")
    if (p[n] != "data") next
    blobs++
    have["sha256:" p[n-1]] = 1
    if ($1 != p[n-1]) { print "verify: blob " $2 " hashes to " $1 ", not its name"; bad++ }
    next
  }
  {
    links++
    if (!($1 in have)) { print "verify: repositories/" substr($2, length(root) + 1) " names " $1 ", which is not at the destination"; bad++ }
  }
  END {
    if (blobs < source_blobs) { print "verify: " blobs " blobs at the destination, " source_blobs " at the source"; bad++ }
    if (links < source_links) { print "verify: " links " links at the destination, " source_links " at the source"; bad++ }
    if (bad) exit 1
    print "verify: " blobs " blobs hash to their names, " links " links name blobs present, none fewer than the source"
  }' "$work/sums" "$work/named"
`;
