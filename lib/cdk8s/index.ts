/**
 * cdk8s flavour: constructs that synthesize the image registry's storage configuration as
 * manifests for `oc apply --server-side --field-manager=openshift-registry-storage` or Argo CD.
 *
 * @packageDocumentation
 */
export * from './registry-storage';
export * from './s3-registry-storage';
export * from './object-bucket-claim-registry-storage';
export * from './gcs-registry-storage';
export * from './azure-registry-storage';
export * from './swift-registry-storage';
export * from './pvc-registry-storage';
export * from './emptydir-registry-storage';
export * from './ibmcos-registry-storage';
export * from './remove-other-storage';
export * from './storage-migration';
export * from './generated/image-registry-config';
export * from './ack-bucket';
export * from './config-connector';
export * from './crossplane';
export { ObjectBucketClaim } from './generated/object-bucket-claim';
export { CrossplaneStorageAccount } from './generated/crossplane-storage-account';
export { CrossplaneStorageContainer } from './generated/crossplane-storage-container';
export { KccStorageBucket } from './generated/kcc-storage-bucket';
export { KccIamPolicyMember } from './generated/kcc-iam-policy-member';
export { AckBucket } from './generated/ack-bucket';
export type { AckBucketProps, AckBucketSpec } from './generated/ack-bucket';
export * from './synth';
export * from './fleet';
export { AcmPolicy } from './generated/acm-policy';
export { AcmPlacement } from './generated/acm-placement';
export { AcmPlacementBinding } from './generated/acm-placement-binding';
export { AcmConfigurationPolicy } from './generated/acm-configuration-policy';
