import * as os from 'os';
import { App, Chart } from 'cdk8s';
import {
  AzureRegistryStorage, EmptyDirRegistryStorage, GcsRegistryStorage, PvcRegistryStorage, S3RegistryStorage, SwiftRegistryStorage,
} from './registry-storage';

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

/**
 * Synthesizes one registry storage construct in a fresh App and returns the manifests as YAML
 * (what the CLI's `synth` prints). Throws the core's validation error for bad props.
 */
export function synthRegistryStorageYaml(type: CliStorageType, props: Record<string, unknown>): string {
  const app = new App({ outdir: os.tmpdir() });
  new (CONSTRUCTS[type] as any)(new Chart(app, 'registry'), 'storage', props);
  return app.synthYaml();
}
