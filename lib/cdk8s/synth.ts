import * as os from 'os';
import { App, Chart } from 'cdk8s';
import { KIND_CONSTRUCTS } from './kind-constructs';
import { PRINT_WARNINGS_CONTEXT } from './registry-storage';
import { RegistryConfigProblem } from '../core/problems';
import { STORAGE_KINDS } from '../platforms/kinds';

/** Storage type names as the CLI spells them (`StorageKind.cli.name`). */
export type CliStorageType = 's3' | 'gcs' | 'azure' | 'swift' | 'ibmcos' | 'pvc' | 'emptydir';

/** What {@link synthRegistryStorage} returns. */
export interface SynthesizedRegistryStorage {
  /** The manifests, as multi-document YAML. */
  readonly yaml: string;
  /** The plan's warnings (setups the operator accepts but the library advises against). */
  readonly warnings: readonly RegistryConfigProblem[];
}

/**
 * Synthesizes one registry storage construct in a fresh App and returns the manifests as YAML with
 * the plan's warnings (what the CLI's `synth` prints). Throws the core's validation error for bad props.
 */
export function synthRegistryStorage(type: CliStorageType, props: Record<string, unknown>): SynthesizedRegistryStorage {
  const app = new App({ outdir: os.tmpdir() });
  // The caller prints the warnings (the CLI, to stderr); the construct must not print them too.
  app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
  const kind = STORAGE_KINDS.find((k) => k.cli?.name === type);
  if (!kind) throw new Error(`synthRegistryStorage: unknown storage type ${JSON.stringify(String(type))}: use one of ${STORAGE_KINDS.flatMap((k) => k.cli?.name ?? []).join(', ')}`);
  const storage = KIND_CONSTRUCTS[kind.name](new Chart(app, 'registry'), 'storage', props);
  return { yaml: app.synthYaml(), warnings: storage.plan.warnings };
}

/** {@link synthRegistryStorage}'s YAML alone. */
export function synthRegistryStorageYaml(type: CliStorageType, props: Record<string, unknown>): string {
  return synthRegistryStorage(type, props).yaml;
}
