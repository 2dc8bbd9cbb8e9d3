/**
 * Pulumi flavour for storage inside the cluster: `PvcRegistryStorage` (bare metal, vSphere,
 * OpenStack Cinder), `ObjectBucketClaimRegistryStorage` (OpenShift Data Foundation object storage)
 * and `EmptyDirRegistryStorage` (labs). Loads `@pulumi/pulumi` and
 * `@pulumi/kubernetes` only.
 *
 * @packageDocumentation
 */
export * from './pvc-registry-storage';
export * from './emptydir-registry-storage';
export * from './object-bucket-claim-registry-storage';
export type { PulumiRegistryOptions, InputProps } from '../common';
