/**
 * Pulumi flavour for Azure: `AzureRegistryStorage`. Loads `@pulumi/pulumi`, `@pulumi/kubernetes`
 * and the `storage` module of `@pulumi/azure-native` only.
 *
 * @packageDocumentation
 */
export * from './azure-registry-storage';
export type { PulumiRegistryOptions, InputProps } from '../common';
