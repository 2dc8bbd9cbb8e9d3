/**
 * `adopt` in the Pulumi components of the storage the operator creates (S3, GCS, Azure, Swift): the
 * storage is imported with the `import` resource option, then given the library's settings.
 *
 * An engine before pulumi/pulumi#19339 refuses an import whose inputs differ from the storage as it
 * is ("inputs to import do not match the existing resource"); a later one imports, then applies the
 * differences as an update in the same up. Both treat a resource already in the stack under the same
 * ID like any other. So that the library's changes are a diff the user reviews on any engine,
 * adopting takes two `pulumi up`s:
 * - `adopt: true` imports the storage as it is: every input the library would change is left as the
 *   storage has it (`ignoreChanges`), the operator's owned mark among them. The Config becomes
 *   Unmanaged in the same up, so the operator stops writing the storage's settings and its mark.
 * - `adopt: 'imported'` (after that up) keeps the import, without the first up's `ignoreChanges`:
 *   the preview shows the library's settings as a diff, and the mark removed.
 * What the library never sets on the storage (an Azure account's network rules, say) and where it
 * is (a bucket's location) are left as they are at every up. The imported storage, and the
 * resources that keep it hardened and readable, are kept on `pulumi destroy`.
 *
 * @see https://github.com/pulumi/pulumi/blob/master/developer-docs/architecture/import.md (the three cases of the `import` option, and `ignoreChanges` on import)
 * @see https://github.com/pulumi/pulumi/pull/19339 (import, then update)
 */
import * as pulumi from '@pulumi/pulumi';
import { RegistryConfigProblem, show } from '../core/problems';
import { AdoptionFacts } from '../platforms/adopt';

/**
 * `adopt` of a Pulumi component: `true` for the `pulumi up` that imports the operator's storage as
 * it is, then `'imported'` for every later one, which applies the library's settings and removes the
 * operator's owned mark as a diff (an import must not differ from the storage, or the engine fails
 * it). `false` or unset: nothing is adopted.
 * @see docs/adopting.md
 */
export type PulumiAdopt = boolean | 'imported';

/** The args that take {@link PulumiAdopt}, in place of the core's boolean. */
export interface PulumiAdoptArgs {
  /**
   * Adopt the storage the operator created on an installer-provisioned cluster, named in the props
   * as the live Config holds it (`openshift-registry-storage adopt` prints them), with
   * `infrastructureName`. It takes two `pulumi up`s, because an import must not differ from the
   * storage as it is:
   * - `true`: the storage is imported (no new one is created), and kept on `pulumi destroy`. The
   *   settings the library would change, the operator's owned mark among them, are left as they are
   *   for this up ({@link PulumiAdoption.deferred}). The Config becomes Unmanaged.
   * - `'imported'`, once that up has run: the library's settings, and the mark's removal, show in the
   *   preview as a diff and are applied. On a stack that never imported the storage, an engine before
   *   pulumi/pulumi#19339 fails the import on that diff; a later one imports and applies it. Nothing
   *   is created either way.
   *
   * Storage the operator did not create is refused.
   * @see docs/adopting.md
   * @default false
   */
  readonly adopt?: PulumiAdopt;
}

/** One resource an adopting component imports. */
export interface PulumiImportedResource {
  /** The resource's name in the stack. */
  readonly name: string;
  /** The ID it is imported by. */
  readonly id: string;
  /** Inputs this up leaves as the storage has them (`ignoreChanges`), to be applied at `adopt: 'imported'`: none then. */
  readonly deferred: readonly string[];
  /**
   * Inputs the library never sets, left as the storage has them at every up (`ignoreChanges`), so
   * that neither the import nor a later update differs on them (azure-native reads back every
   * property of an account, and reports one the program leaves out as a difference).
   */
  readonly unmanaged?: readonly string[];
}

/** What an adopting component does in this `pulumi up` (its `adoption` output). */
export interface PulumiAdoption {
  /** `'import'` (`adopt: true`) or `'imported'`: the library's settings are applied. */
  readonly step: 'import' | 'imported';
  /** The resources imported, with what this up leaves as it is. */
  readonly resources: readonly PulumiImportedResource[];
  /** The mark the operator put on the storage, which `openshift-install destroy cluster` may go by. */
  readonly ownedMarker: { readonly kind: 'tag' | 'label' | 'metadata'; readonly key: string; readonly value: string };
  /**
   * Whether `adopt: 'imported'` removes {@link ownedMarker}: the S3 and Azure tags go; the Swift
   * metadata takes another value, which teardown does not select; the GCS label stays (pulumi-gcp's
   * labels manage only the keys in the program; GCP teardown goes by the bucket's name).
   */
  readonly removesOwnedMarker: boolean;
}

/**
 * @internal Splits the component's `adopt` into the core's boolean and the step: `adopt` decides
 * resource options, so it must be a plain value.
 */
export function adoptStep(adopt: unknown, problems: RegistryConfigProblem[]): { adopt: boolean | undefined; step: 'import' | 'imported' | undefined } {
  if (adopt === undefined || adopt === false) return { adopt: adopt as false | undefined, step: undefined };
  if (adopt === true) return { adopt: true, step: 'import' };
  if (adopt === 'imported') return { adopt: true, step: 'imported' };
  if (pulumi.Output.isInstance(adopt) || adopt instanceof Promise) {
    problems.push({ path: 'adopt', message: 'must be a plain value, not an Output: it decides whether the storage is imported', code: 'ORS-PULUMI-022' });
  } else {
    problems.push({ path: 'adopt', message: `must be true (the up that imports the storage), 'imported' (every later up) or false, got ${show(adopt)}`, code: 'ORS-PULUMI-022' });
  }
  return { adopt: true, step: undefined };
}

/**
 * @internal The resource options of one imported resource: the import, kept on delete, and at
 * `adopt: true` the inputs it leaves as they are.
 */
export function importOptions(step: 'import' | 'imported', resource: PulumiImportedResource): pulumi.CustomResourceOptions {
  const ignored = [...(step === 'import' ? resource.deferred : []), ...(resource.unmanaged ?? [])];
  return { import: resource.id, retainOnDelete: true, ...(ignored.length > 0 ? { ignoreChanges: ignored } : {}) };
}

/** @internal The component's `adoption` output, and at `adopt: true` the warning that a second up follows. */
export function pulumiAdoption(step: 'import' | 'imported', facts: AdoptionFacts, infrastructureName: string,
  resources: readonly PulumiImportedResource[], warn: (w: RegistryConfigProblem) => void,
  marker: { readonly removed: boolean; readonly how?: string } = { removed: true }): PulumiAdoption {
  const ownedMarker = facts.ownedMarker(infrastructureName);
  const shown = step === 'import' ? resources : resources.map((r) => ({ ...r, deferred: [] }));
  if (step === 'import') {
    const left = [...new Set(resources.flatMap((r) => r.deferred))].join(', ');
    const many = resources.length > 1;
    warn({
      path: 'adopt',
      message: `${resources.map((r) => r.id).join(' and ')} ${many ? 'are' : 'is'} imported as ${many ? 'they are' : 'it is'}: `
        + `this up leaves ${left} as the storage has them (an import fails on any difference), the operator's ${ownedMarker.kind} `
        + `${ownedMarker.key}: ${ownedMarker.value} among them. Once this up has run, set adopt: 'imported': the next preview shows the library's settings as a diff`
        + (marker.how !== undefined ? marker.how : `, and the ${ownedMarker.kind} removed`),
      code: 'ORS-PULUMI-W004',
    });
  }
  return { step, resources: shown, ownedMarker, removesOwnedMarker: marker.removed };
}
