/**
 * Command-line options of `synth`, per storage type: kebab-case flags mirroring the props, read
 * from each kind's descriptor (`StorageKind.cli`), with the common props' flags beside.
 */
import { COMMON_FLAGS, FlagSpec } from '../core/storage-kind';
import { STORAGE_KINDS } from '../platforms/kinds';

export type { FlagSpec } from '../core/storage-kind';

/** The kinds `synth` offers, by the CLI's name for them. */
const CLI_KINDS = STORAGE_KINDS.filter((k) => k.cli !== undefined);

/** Flags per storage type (the CLI's name for it). */
export const SYNTH_FLAGS: Readonly<Record<string, Readonly<Record<string, FlagSpec>>>> = Object.fromEntries(
  CLI_KINDS.map((k) => [k.cli!.name, { ...k.cli!.flags, ...COMMON_FLAGS }]),
);

/**
 * Credentials come from environment variables (or a file) named like the Secret keys the operator
 * reads, never from flags: flags end up in shell history.
 */
export const CREDENTIAL_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  CLI_KINDS.filter((k) => k.secretKeys).map((k) => [k.cli!.name, { ...k.secretKeys! }]),
);

/** Props a values file may set per storage type: every prop of the kind but its credentials. */
export const VALUE_PROPS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  CLI_KINDS.map((k) => [k.cli!.name, Object.keys(k.propNames).filter((p) => p !== 'credentials')]),
);

/**
 * The CLI's name of a storage type given as the CLI spells it (`emptydir`) or as the Config does
 * (`emptyDir`, accepted as an alias), or undefined.
 */
export function cliType(type: string): string | undefined {
  return CLI_KINDS.find((k) => k.cli!.name === type || k.name === type)?.cli!.name;
}
