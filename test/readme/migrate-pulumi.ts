import { S3RegistryStorage } from 'openshift-registry-storage/pulumi/aws';

// The registry is on the claim the operator made; its images move to the new bucket first.
export const registry = new S3RegistryStorage('registry', {
  bucket: 'acme-image-registry',
  region: 'eu-west-1',
  migrateFrom: { pvc: { claim: 'image-registry-storage' } },
});
