import { Construct } from 'constructs';
import { KCC_DELETION_POLICY_ANNOTATION, configConnectorBucket, ConfigConnectorBucketOptions } from './config-connector';
import { KccIamPolicyMember } from './generated/kcc-iam-policy-member';
import { KccStorageBucket } from './generated/kcc-storage-bucket';
import { collect, readProvisionedProps, RegistryStorage, withProvisionProblems } from './registry-storage';
import { given } from '../core/plan';
import { RegistryConfigProblem } from '../core/problems';
import { GCS_KIND, GcsAccessPlan, gcsBucketCreationProblems, gcsBucketIntent, GcsStorageProps, GCS_PROP_NAMES, planGcsAccess, planGcsStorage } from '../platforms/gcs';

/**
 * Image registry storage on Google Cloud Storage.
 *
 * @example
 * new GcsRegistryStorage(chart, 'registry', { bucket: 'acme-image-registry', region: 'us-east1', projectID: 'acme-prod' });
 */
export class GcsRegistryStorage extends RegistryStorage {
  /** The Config Connector `StorageBucket`, with `provision: { controller: 'config-connector' }`. */
  public readonly bucket?: KccStorageBucket;
  /** The registry's bucket bindings (`IAMPolicyMember`), with `provision.registryServiceAccount`. */
  public readonly bindings: readonly KccIamPolicyMember[] = [];

  constructor(scope: Construct, id: string, props: GcsRegistryStorageProps = {}) {
    const read = readProvisionedProps<GcsRegistryStorageProps>('GcsRegistryStorage', props, GCS_PROP_NAMES, GCS_PROVISIONED_PROP_NAMES, GCS_KIND.provision!);
    const { lifted, provisionIssues } = read;
    const provision = read.provision as ConfigConnectorBucketOptions | undefined;
    const storage = read.storage as GcsStorageProps;
    let access: GcsAccessPlan | undefined;
    super(scope, id, withProvisionProblems('GcsRegistryStorage', () => planGcsStorage(storage), () => {
      if (provision === undefined) return [];
      const problems: RegistryConfigProblem[] = [...provisionIssues];
      if (provisionIssues.length > 0) return problems;
      if (!given(storage.bucket)) problems.push({ path: 'bucket', message: 'is required with provision: the StorageBucket needs a name', code: 'ORS-CDK8S-007' });
      problems.push(...gcsBucketCreationProblems(storage));
      problems.push(...collect(() => {
        access = planGcsAccess({ registryServiceAccount: provision.registryServiceAccount });
      }).map((p) => ({ ...p, path: `provision.${p.path}` })));
      return problems;
    }, () => (provision && given(storage.keyID) ? [{
      path: 'keyID',
      message: 'CMEK needs the project\'s Cloud Storage service agent (service-<project number>@gs-project-accounts.iam.gserviceaccount.com) to hold '
        + 'roles/cloudkms.cryptoKeyEncrypterDecrypter on this key; no grant is rendered here (the project number is not known at synth)',
      code: 'ORS-CDK8S-W001',
    }] : []), lifted));
    if (provision) {
      const made = configConnectorBucket(this, 'Bucket', gcsBucketIntent({ bucket: storage.bucket, region: storage.region!, keyID: storage.keyID }),
        provision, access!.bucketMembers, storage.projectID);
      this.bucket = made.bucket;
      this.bindings = made.bindings;
      if (this.plan.adoption) {
        // Config Connector acquires the existing bucket of the same name, and abandons it on delete
        // whatever retainOnDelete says (cloud.google.com/config-connector/docs/how-to/managing-deleting-resources).
        this.bucket.metadata.addAnnotation(KCC_DELETION_POLICY_ANNOTATION, 'abandon');
      }
      // The operator must not look for the bucket before it exists and the registry may use it.
      this.config.addDependency(made.bucket, ...made.bindings);
    }
  }
}

/**
 * What describes a bucket a controller creates: at the top of the props, as the Pulumi component
 * takes them. Under `provision` (as earlier releases had them) they are deprecated, and still read.
 */
export type GcsProvisionedProps = Pick<ConfigConnectorBucketOptions, 'registryServiceAccount' | 'labels' | 'retainOnDelete'>;

/** @internal The names of {@link GcsProvisionedProps}. */
const GCS_PROVISIONED_PROP_NAMES: Readonly<Record<keyof GcsProvisionedProps, true>> = {
  registryServiceAccount: true, labels: true, retainOnDelete: true,
};

/** Props of {@link GcsRegistryStorage}: the core's GCS props, and how to create the bucket. */
export interface GcsRegistryStorageProps extends GcsStorageProps, GcsProvisionedProps {
  /**
   * Create the bucket in the cluster, through a controller: `{ controller: 'config-connector' }`
   * emits a Config Connector `StorageBucket` (`storage.cnrm.cloud.google.com/v1beta1`) hardened like
   * the Pulumi flavour's (uniform bucket-level access, public access prevention `enforced`, CMEK
   * with `keyID`, the incomplete-upload lifecycle rule), kept on delete by default, and with
   * `registryServiceAccount` the registry's bindings on it. Needs `bucket` and `region`, and Config
   * Connector installed. The registry uses the cluster's identity (no user Secret). With `keyID`,
   * grant the project's GCS service agent the key yourself (no grant is rendered in cdk8s yet).
   * @default unset: the bucket exists (or the operator creates one when `bucket` is unset)
   */
  readonly provision?: ConfigConnectorBucketOptions;
}
