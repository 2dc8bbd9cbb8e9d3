import * as os from 'os';
import { App, Chart } from 'cdk8s';
import {
  AzureRegistryStorage, EmptyDirRegistryStorage, GcsRegistryStorage, PRINT_WARNINGS_CONTEXT, PvcRegistryStorage, RegistryStorage, S3RegistryStorage,
  SwiftRegistryStorage,
} from './registry-storage';
import { RegistryConfigProblem } from '../core/problems';

const CONSTRUCTS = {
  s3: S3RegistryStorage,
  gcs: GcsRegistryStorage,
  azure: AzureRegistryStorage,
  swift: SwiftRegistryStorage,
  pvc: PvcRegistryStorage,
  emptydir: EmptyDirRegistryStorage,
} as const;

/** Storage type names as the CLI spells them. */
export type CliStorageType = keyof typeof CONSTRUCTS;

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
  const storage: RegistryStorage = new (CONSTRUCTS[type] as any)(new Chart(app, 'registry'), 'storage', props);
  return { yaml: app.synthYaml(), warnings: storage.plan.warnings };
}

/** {@link synthRegistryStorage}'s YAML alone. */
export function synthRegistryStorageYaml(type: CliStorageType, props: Record<string, unknown>): string {
  return synthRegistryStorage(type, props).yaml;
}
