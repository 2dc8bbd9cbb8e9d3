/**
 * openshift-registry-storage core: the OpenShift image registry's Config API and the operator's
 * rules, with no Pulumi or cdk8s dependency. The Pulumi (`openshift-registry-storage/pulumi/*`) and
 * cdk8s (`openshift-registry-storage/cdk8s`) flavours adapt the plans made here.
 *
 * @packageDocumentation
 */
export * from './core/constants';
export * from './core/problems';
export {
  admitRegistryConfig, admitRegistryConfigPatch, validateRegistryConfig, validateRegistryConfigPatch, configuredStorageTypes,
} from './core/validate-config';
export type { RegistryConfigAdmission, ConfigSpecPatch, ConfigPatch, ValidateConfigOptions } from './core/validate-config';
export { OPENSHIFT_RELEASES, OLDEST_OPENSHIFT_RELEASE, NEWEST_OPENSHIFT_RELEASE } from './core/releases';
export { IMAGE_PRUNER_NAME, IMAGE_PRUNER_API_VERSION, OPERATOR_PRUNER_DEFAULTS, isCronSchedule } from './core/image-pruner';
export type { ImagePrunerProps } from './core/image-pruner';
export type { ImagePrunerSpec } from './generated/image-pruner';
export {
  registryConfig, removeOtherStorageMergePatch, removeOtherStorageJsonPatch, REGISTRY_STORAGE_TYPES, removeOtherStorageCommand,
  credentialSecretData, credentialsFromSecretData,
  DEFAULT_REPLICAS, INFRASTRUCTURE_TOPOLOGIES,
} from './core/plan';
export type {
  RegistryCommonProps, RegistryStoragePlan, RegistryStorageType, KubernetesManifest, UserSecretManifest, InfrastructureTopology,
  StorageMigrationOptions, HardPruneOptions,
  JsonPatchOperation,
} from './core/plan';
export * from './platforms';
export {
  checkRegistryObjects, inspectRegistryObjects, validateUserSecret, validateClaimForConfig, secretData, OPERATOR_SECRET_KEY_SETS,
} from './platforms/inspect';
export type { RegistryFindings, InspectOptions } from './platforms/inspect';
export {
  removeOtherStorageObjects, DEFAULT_JOB_NAMESPACE, CLI_IMAGE_STREAM, RESOLVE_NAMES_ANNOTATION,
} from './core/remove-other-storage';
export { storageAppliedConditions, specDigest, APPLIED_SPEC_DIGEST_ANNOTATION, operatorIgnoresConfig } from './core/rollout';
export type { RemoveOtherStorageOptions } from './core/remove-other-storage';
export * from './fleet/inventory';
export type * from './generated/config-types';
