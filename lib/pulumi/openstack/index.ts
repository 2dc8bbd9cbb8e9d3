/**
 * Pulumi flavour for OpenStack: `SwiftRegistryStorage`. Loads `@pulumi/pulumi`,
 * `@pulumi/kubernetes` and `@pulumi/openstack` only. For Cinder-backed PVC storage see
 * `openshift-registry-storage/pulumi/kubernetes`.
 *
 * @packageDocumentation
 */
export * from './swift-registry-storage';
export type { PulumiRegistryOptions, InputProps } from '../common';
