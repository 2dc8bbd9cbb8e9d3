import { planS3Storage, registryConfig, validateRegistryConfigPatch } from 'openshift-registry-storage';

const plan = planS3Storage({ bucket: 'acme-image-registry', region: 'eu-west-1' });
plan.spec; // the Config spec: exactly one storage block, managementState, replicas, ...
plan.secret; // image-registry-private-configuration-user, when credentials are given
plan.objects; // StorageClass / PersistentVolumeClaim, for PVC storage
validateRegistryConfigPatch(registryConfig(plan.spec)); // [] : what is applied is valid against the CRD and the operator
