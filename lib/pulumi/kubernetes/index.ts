/**
 * Pulumi flavour for storage inside the cluster: `PvcRegistryStorage` (bare metal, vSphere,
 * OpenStack Cinder) and `EmptyDirRegistryStorage` (labs). Loads `@pulumi/pulumi` and
 * `@pulumi/kubernetes` only.
 *
 * @packageDocumentation
 */
export * from './pvc-registry-storage';
export type { PulumiRegistryOptions, InputProps } from '../common';
