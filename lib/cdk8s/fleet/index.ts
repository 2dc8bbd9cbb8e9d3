/**
 * cdk8s outputs of a fleet plan (lib/fleet): Red Hat Advanced Cluster Management policies on the
 * hub ({@link AcmRegistryStorageFleet}), or one folder per cluster with an Argo CD ApplicationSet
 * ({@link argoCdFleetFiles}). Each cluster's objects are what its own construct
 * (`S3RegistryStorage`...) synthesizes, checked as that construct checks them; the fleet outputs
 * only place them.
 */
export * from './acm';
export * from './argocd';
export { fleetClusterManifests } from './cluster-manifests';
export { ACM_PAYLOAD_CLI_IMAGE } from './hub-templates';
export { FLEET_VALUES_CONFIGMAP } from './values';
