import { Construct } from 'constructs';
import { S3RegistryStorage } from './s3-registry-storage';
import { checkPropsShape } from '../core/plan';
import { RegistryStorageValidationError } from '../core/problems';
import { OBJECT_BUCKET_CLAIM_PROP_NAMES, ObjectBucketClaimStorageProps } from '../platforms/object-bucket-claim';

/** Props of {@link ObjectBucketClaimRegistryStorage}: the core's ObjectBucketClaim props, and the keys Job's. */
export interface ObjectBucketClaimRegistryStorageProps extends ObjectBucketClaimStorageProps {
  /** Image with `oc` for the Job that copies the claim's keys. @default the payload's cli image, through an ImageStream */
  readonly cliImage?: string;
  /** Namespace the Job runs in, one of its own (`registry-storage-...`). @default 'registry-storage-credentials' */
  readonly jobNamespace?: string;
}

/**
 * Image registry storage on an OpenShift Data Foundation bucket: an `ObjectBucketClaim`, a Job that
 * copies the claim's keys into the user Secret in the cluster (no key in the manifests), and the
 * Config's `s3` block. The same name and props as the Pulumi flavour's component; it is
 * `S3RegistryStorage` with `provision: { controller: 'object-bucket-claim' }`, which keeps working.
 *
 * @example
 * new ObjectBucketClaimRegistryStorage(chart, 'registry', {
 *   bucket: 'cluster-a-image-registry',
 *   regionEndpoint: 'https://s3.openshift-storage.svc',
 *   trustedCA: 'openshift-service-ca',
 * });
 */
export class ObjectBucketClaimRegistryStorage extends S3RegistryStorage {
  constructor(scope: Construct, id: string, props: ObjectBucketClaimRegistryStorageProps) {
    const { storageClassName, claimName, cliImage, jobNamespace, ...s3 } = checkPropsShape('ObjectBucketClaimRegistryStorage', props,
      { ...OBJECT_BUCKET_CLAIM_PROP_NAMES, cliImage: true, jobNamespace: true });
    try {
      super(scope, id, { ...s3, provision: { controller: 'object-bucket-claim', storageClassName, claimName, cliImage, jobNamespace } });
    } catch (e) {
      // The problems in this construct's words: its name, and its props at the top, where the user gave them.
      if (!(e instanceof RegistryStorageValidationError)) throw e;
      throw new RegistryStorageValidationError('ObjectBucketClaimRegistryStorage', e.problems.map((p) => ({ ...p, path: p.path.replace(/^provision\./, '') })));
    }
  }
}
