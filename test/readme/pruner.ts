import { S3RegistryStorage } from 'openshift-registry-storage/pulumi/aws';

// Weekly at 03:30 on Sunday, five revisions per tag; everything else as the operator sets it.
export const registry = new S3RegistryStorage('registry', {
  bucket: 'acme-image-registry',
  region: 'eu-west-1',
  imagePruner: { schedule: '30 3 * * 0', keepTagRevisions: 5, keepYoungerThanDuration: '2h' },
});
