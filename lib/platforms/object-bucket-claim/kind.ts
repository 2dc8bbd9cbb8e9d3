/**
 * The descriptor of an OpenShift Data Foundation ObjectBucketClaim storage: what the checks, the fleet, the CLI and both flavours read
 * about it (see `StorageKind`). The rules and the plan are in `./plan`.
 */
import { OBJECT_BUCKET_CLAIM_PROP_NAMES, ObjectBucketClaimStorageProps, planObjectBucketClaimStorage } from './plan';
import { StorageKind } from '../../core/storage-kind';
import { S3_KIND } from '../s3/kind';

/**
 * S3 through an OpenShift Data Foundation ObjectBucketClaim, as every part of the library reads it:
 * the Config's `s3` block, with keys a Job copies from the claim in the cluster.
 */
export const OBJECT_BUCKET_CLAIM_KIND: StorageKind<ObjectBucketClaimStorageProps> = {
  name: 'objectBucketClaim',
  configType: 's3',
  plan: planObjectBucketClaimStorage,
  propNames: OBJECT_BUCKET_CLAIM_PROP_NAMES,
  // The Config's block is an s3 one: the copier reaches it as S3 storage.
  copier: (b) => S3_KIND.copier(b),
  fleet: {
    regionFromCluster: true,
    abbreviation: 'obc',
    identity: (p) => (p.bucket ? `s3 bucket ${p.bucket}${p.regionEndpoint ? ` at ${p.regionEndpoint}` : ''}` : undefined),
    noKeys: 'objectBucketClaim storage reads no keys (the claim\'s Job copies its keys in the cluster)',
  },
};
