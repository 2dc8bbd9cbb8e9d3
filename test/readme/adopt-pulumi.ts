import { S3RegistryStorage } from 'openshift-registry-storage/pulumi/aws';

// From `openshift-registry-storage adopt live.yaml`. The first `pulumi up` imports the bucket as it
// is (adopt: true); once it has run, adopt: 'imported' applies the library's tags, the operator's
// owned tag dropped, as a diff the preview shows.
export const registry = new S3RegistryStorage('registry', {
  bucket: 'acme-x7k2p-image-registry-us-east-1',
  region: 'us-east-1',
  adopt: 'imported',
  infrastructureName: 'acme-x7k2p',
  clusterResourceTags: S3RegistryStorage.clusterResourceTagsFromCluster(),
});
