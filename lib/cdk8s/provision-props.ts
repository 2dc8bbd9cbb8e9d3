/**
 * Compile-time checks that the platforms' lists of `provision` fields (`S3_PROVISION_FIELDS`...,
 * read through the kinds by the constructs and by fleet inventories) name every field of the controllers' option
 * types, and nothing else: a field added to an option type without its name fails the build.
 */
import type { AckBucketOptions } from './ack-bucket';
import type { ConfigConnectorBucketOptions } from './config-connector';
import type { CrossplaneAccountOptions } from './crossplane';
import type { ObjectBucketClaimOptions } from './s3-registry-storage';
import type { PropNames } from '../core/plan';
import { AZURE_PROVISION_FIELDS } from '../platforms/azure';
import { GCS_PROVISION_FIELDS } from '../platforms/gcs';
import { S3_PROVISION_FIELDS } from '../platforms/s3';

/** @internal */
export const CHECKED_PROVISION_FIELDS: {
  readonly ack: PropNames<AckBucketOptions>;
  readonly objectBucketClaim: PropNames<ObjectBucketClaimOptions>;
  readonly configConnector: PropNames<ConfigConnectorBucketOptions>;
  readonly crossplane: PropNames<CrossplaneAccountOptions>;
} = { ...S3_PROVISION_FIELDS, ...GCS_PROVISION_FIELDS, ...AZURE_PROVISION_FIELDS };
