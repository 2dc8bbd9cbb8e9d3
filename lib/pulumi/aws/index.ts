/**
 * Pulumi flavour for AWS: `S3RegistryStorage`. Loads `@pulumi/pulumi`, `@pulumi/kubernetes` and
 * `@pulumi/aws` only.
 *
 * @packageDocumentation
 */
export * from './s3-registry-storage';
export type { PulumiRegistryOptions, InputProps } from '../common';
