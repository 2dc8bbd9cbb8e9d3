/**
 * The patches that remove every storage block but one from the `cluster` Config, and the rule that
 * refuses a `keep` that is not a storage type.
 */
import { ALL_STORAGE_TYPES, REGISTRY_CONFIG_NAME } from './constants';
import { RegistryStorageType, REGISTRY_STORAGE_TYPES } from './model';
import { closest } from './names';
import { RegistryStorageValidationError, show } from './problems';

/**
 * @internal Refuses a `keep` that is not one of {@link REGISTRY_STORAGE_TYPES}: every removal
 * operation nulls the blocks it does not keep, so `'emptydir'`, `'S3'`, `''` or `undefined` would
 * remove the live block too and leave the operator to bootstrap storage of its own.
 */
export function checkKeep(what: string, keep: unknown): RegistryStorageType {
  if (typeof keep === 'string' && (REGISTRY_STORAGE_TYPES as readonly string[]).includes(keep)) return keep as RegistryStorageType;
  const near = typeof keep === 'string' ? REGISTRY_STORAGE_TYPES.find((t) => t.toLowerCase() === keep.toLowerCase())
    ?? closest(keep, REGISTRY_STORAGE_TYPES) : undefined;
  throw new RegistryStorageValidationError(what, [{
    path: 'keep',
    message: `must be one of ${REGISTRY_STORAGE_TYPES.map((t) => `"${t}"`).join(', ')} (the Config's spelling), got ${show(keep)}`
      + `${near ? `: did you mean "${near}"?` : '.'} Every other block is removed, so a wrong name would remove the live one too`,
    code: 'ORS-JOB-005',
  }]);
}

/**
 * The JSON merge patch (RFC 7386) that removes every storage block except `keep` from
 * `spec.storage`. Server-side apply cannot remove a field another manager owns (the operator, the
 * installer, `oc edit`), and two storage blocks make the operator refuse to run. `null` deletes a
 * field whether or not it is there.
 *
 * A merge patch cannot require the kept block to be there: applied to a Config whose `keep` block
 * is missing (the apply of the new block failed, or a webhook denied it), it leaves no block at
 * all, and the operator bootstraps storage of its own. The Job and {@link removeOtherStorageCommand}
 * use {@link removeOtherStorageJsonPatch}, which fails instead.
 *
 * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/storage/storage.go
 */
export function removeOtherStorageMergePatch(keep: RegistryStorageType): { spec: { storage: Record<string, null> } } {
  const kept = checkKeep('removeOtherStorageMergePatch', keep);
  return { spec: { storage: Object.fromEntries(ALL_STORAGE_TYPES.filter((t) => t !== kept).sort().map((t) => [t, null])) } };
}

/** One operation of a JSON patch (RFC 6902). */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'move';
  readonly path: string;
  readonly from?: string;
  readonly value?: null;
}

/**
 * The JSON patch (RFC 6902) that removes every storage block except `keep` from `spec.storage`,
 * and fails, changing nothing, when the live Config has no `keep` block. A JSON patch is applied
 * whole or not at all:
 * - first `move` from `/spec/storage/<keep>` to itself: it removes the block and adds it back, a
 *   no-op that fails when the block is absent ("Unable to remove nonexistent key");
 * - then, for each other block, `add` it as `null` (which works whether or not it is there) and
 *   `remove` it (which alone would fail on an absent block).
 *
 * Not `copy` or `test`, though RFC 6902 says a `copy`'s "from" must exist: the API server applies
 * JSON patches with evanphx/json-patch v4 (k8s.io/apiserver `pkg/endpoints/handlers/patch.go`
 * imports gopkg.in/evanphx/json-patch.v4 v4.12.0), whose `copy` of an absent key adds `null` there
 * instead of failing (`partialDoc.get` returns no error), and whose `test` of `null` passes on an
 * absent key. Only `remove`, and so `move`, refuses an absent key. The end-to-end suite applies the
 * patch with that library to live Configs with and without the kept block.
 *
 * @see https://github.com/evanphx/json-patch/blob/v4.12.0/patch.go
 * @see https://www.rfc-editor.org/rfc/rfc6902#section-4.4
 */
export function removeOtherStorageJsonPatch(keep: RegistryStorageType): JsonPatchOperation[] {
  const kept = checkKeep('removeOtherStorageJsonPatch', keep);
  return [
    { op: 'move', from: `/spec/storage/${kept}`, path: `/spec/storage/${kept}` },
    ...ALL_STORAGE_TYPES.filter((t) => t !== kept).sort().flatMap((t): JsonPatchOperation[] => [
      { op: 'add', path: `/spec/storage/${t}`, value: null },
      { op: 'remove', path: `/spec/storage/${t}` },
    ]),
  ];
}

/**
 * The `oc patch` command that applies {@link removeOtherStorageJsonPatch}: it removes every other
 * block, or fails (`error in move for path: '<keep>': Unable to remove nonexistent key`) and
 * changes nothing when the Config has no `keep` block.
 */
export function removeOtherStorageCommand(keep: RegistryStorageType): string {
  const patch = removeOtherStorageJsonPatch(checkKeep('removeOtherStorageCommand', keep));
  return `oc patch configs.imageregistry.operator.openshift.io/${REGISTRY_CONFIG_NAME} --type=json -p '${JSON.stringify(patch)}'`;
}
