/**
 * Pulumi flavour for Google Cloud: `GcsRegistryStorage`. Loads `@pulumi/pulumi`,
 * `@pulumi/kubernetes` and `@pulumi/gcp` only.
 *
 * @packageDocumentation
 */
export * from './gcs-registry-storage';
export type { PulumiRegistryOptions, InputProps } from '../common';
