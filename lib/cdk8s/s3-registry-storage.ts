import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ACK_ADOPTION_FIELDS_ANNOTATION, ACK_ADOPTION_POLICY_ANNOTATION, ACK_DELETION_POLICY_ANNOTATION, ackBucket, AckBucketOptions } from './ack-bucket';
import { clusterScoped } from './cluster-scoped';
import { AckBucket } from './generated/ack-bucket';
import { ObjectBucketClaim } from './generated/object-bucket-claim';
import { collect, readProvisionedProps, RegistryStorage, withProvisionProblems } from './registry-storage';
import { renamed } from './remove-other-storage';
import { REGISTRY_NAMESPACE } from '../core/constants';
import { COMMON_PROP_NAMES, given } from '../core/plan';
import { RegistryConfigProblem } from '../core/problems';
import { OBJECT_BUCKET_CLAIM_PROP_NAMES, obcCredentialsObjects, planObjectBucketClaimStorage } from '../platforms/object-bucket-claim';
import { planS3Access, planS3Storage, S3_KIND, S3_CLUSTER_IDENTITY_NO_KMS, s3BucketIntent, s3BucketTags, s3KmsKeyArnProblem, S3StorageProps, S3_PROP_NAMES } from '../platforms/s3';

/**
 * Image registry storage on Amazon S3 or S3-compatible storage (Ceph RGW, appliances).
 *
 * @example
 * new S3RegistryStorage(chart, 'registry', {
 *   bucket: 'acme-image-registry',
 *   region: 'eu-west-1',
 *   keyID: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
 * });
 */
export class S3RegistryStorage extends RegistryStorage {
  /** The ACK `Bucket`, with `provision: { controller: 'ack' }`. */
  public readonly bucket?: AckBucket;
  /** The claim, with `provision: { controller: 'object-bucket-claim' }`. */
  public readonly claim?: ObjectBucketClaim;
  /** The Job that copies the claim's keys into the user Secret, with `provision: { controller: 'object-bucket-claim' }`. */
  public readonly credentialsJob?: ApiObject;

  constructor(scope: Construct, id: string, props: S3RegistryStorageProps = {}) {
    // A plain-data copy, checked before anything reads it: props that are not an object, misspelt
    // names, unreadable values (see checkPropsShape).
    const read = readProvisionedProps<S3RegistryStorageProps>('S3RegistryStorage', props, S3_PROP_NAMES, S3_PROVISIONED_PROP_NAMES, S3_KIND.provision!);
    const { lifted, provision, provisionIssues } = read;
    const storage = read.storage as S3StorageProps;
    // A known controller's rules run even when provision has other problems: all are reported at once.
    const controller = provisionIssues.some((p) => p.path === 'provision' || p.path === 'provision.controller')
      ? undefined : (provision as { controller?: unknown } | undefined)?.controller;
    const obc = controller === 'object-bucket-claim' ? provision as ObjectBucketClaimOptions : undefined;
    // With a claim, the S3 props the claim's storage takes go to its planner; the others are its to set.
    const claimStorage = obc ? Object.fromEntries(Object.entries(storage).filter(([k]) => Object.hasOwn(OBJECT_BUCKET_CLAIM_PROP_NAMES, k))) : {};
    super(scope, id, withProvisionProblems('S3RegistryStorage', () => (obc ? planObjectBucketClaimStorage({
      ...claimStorage,
      bucket: storage.bucket!,
      regionEndpoint: storage.regionEndpoint!,
      storageClassName: obc.storageClassName,
      claimName: obc.claimName,
    }) : planS3Storage(storage)), () => {
      if (provision === undefined) return [];
      const problems: RegistryConfigProblem[] = [...provisionIssues];
      if (controller === 'ack') {
        // The S3 access plan's rules for the bucket policy's principal, as the Pulumi flavour runs
        // them: an ARN of an IAM role or user, never "*" or free text (the ACK Bucket renders it into
        // the policy). KMS is the warning below: ACK cannot grant the key.
        problems.push(...collect(() => planS3Access({
          credentials: storage.credentials,
          regionEndpoint: storage.regionEndpoint,
          keyID: storage.keyID,
          registryPrincipalArn: (provision as AckBucketOptions).registryPrincipalArn,
          grantKeyToRegistry: false,
        })).filter((p) => p.path === 'registryPrincipalArn').map((p) => ({ ...p, path: `provision.${p.path}` })));
        if (!given(storage.bucket)) problems.push({ path: 'bucket', message: 'is required with provision: the ACK Bucket needs a name', code: 'ORS-CDK8S-009' });
        if (given(storage.regionEndpoint)) problems.push({ path: 'provision', message: 'creates an AWS bucket; S3-compatible storage (regionEndpoint) is not AWS: leave provision out', code: 'ORS-CDK8S-010' });
        const keyProblem = s3KmsKeyArnProblem(storage.keyID);
        if (keyProblem) problems.push(keyProblem);
      }
      if (obc) {
        // the claim-keys Job's own rules (its image and namespace), with every other problem
        const names: Record<string, string> = { image: 'provision.cliImage', namespace: 'provision.jobNamespace' };
        problems.push(...collect(() => obcCredentialsObjects({ claimName: 'image-registry-bucket', image: obc.cliImage, namespace: obc.jobNamespace }))
          .filter((p) => Object.hasOwn(names, p.path)).map((p) => ({ ...p, path: names[p.path] })));
      }
      if (obc) {
        // What the claim's storage sets itself: path-style, no encryption request (the ODF procedure).
        const forced: Record<string, unknown> = { virtualHostedStyle: false, encrypt: false };
        for (const k of Object.keys(storage)) {
          if (k === 'credentials' || Object.hasOwn(OBJECT_BUCKET_CLAIM_PROP_NAMES, k) || (storage as any)[k] === undefined) continue;
          if (Object.hasOwn(forced, k) && (storage as any)[k] === forced[k]) continue;
          problems.push({
            path: k,
            message: 'is not used with provision: { controller: \'object-bucket-claim\' }: the claim\'s storage is path-style with no encryption request'
              + ` and takes ${Object.keys(OBJECT_BUCKET_CLAIM_PROP_NAMES).filter((n) => !Object.hasOwn(COMMON_PROP_NAMES, n) && !Object.hasOwn(obc, n)
                && n !== 'storageClassName' && n !== 'claimName').join(', ')} (the claim's own settings go under provision): remove it`,
            code: 'ORS-CDK8S-012',
          });
        }
      }
      if (obc && storage.credentials !== undefined) {
        problems.push({ path: 'credentials', message: 'come from the claim with provision: { controller: \'object-bucket-claim\' }: leave them out (no key is written in the manifests)', code: 'ORS-CDK8S-013' });
      }
      return problems;
    }, () => (controller === 'ack' && given(storage.keyID) ? [{
      path: 'keyID',
      message: `${S3_CLUSTER_IDENTITY_NO_KMS}. ACK's s3-controller cannot grant it: add the grant or the key policy statement yourself`,
      code: 'ORS-CDK8S-W002',
    }] : []), lifted));
    if (controller === 'ack') {
      const ack = provision as AckBucketOptions;
      this.bucket = ackBucket(this, 'Bucket', s3BucketIntent({
        bucket: storage.bucket, keyID: storage.keyID, tags: s3BucketTags(ack.tags, ack.clusterResourceTags),
      }), ack, storage.region);
      if (this.plan.adoption) {
        // ACK adopts the bucket by name, and fails (AdoptedResourceNotFound) when it does not exist;
        // it is kept on delete (deletion-policy retain) whatever retainOnDelete says
        // (aws-controllers-k8s/runtime pkg/runtime/reconciler.go, apis/core/v1alpha1/annotations.go).
        this.bucket.metadata.addAnnotation(ACK_ADOPTION_POLICY_ANNOTATION, 'adopt');
        this.bucket.metadata.addAnnotation(ACK_ADOPTION_FIELDS_ANNOTATION, JSON.stringify({ name: storage.bucket }));
        this.bucket.metadata.addAnnotation(ACK_DELETION_POLICY_ANNOTATION, 'retain');
      }
      // The operator must not look for the bucket before it exists.
      this.config.addDependency(this.bucket);
    }
    if (obc) {
      // Argo CD sync waves: the claim, then the Job's namespace, RBAC and the keyless user Secret,
      // then the Job (Argo CD waits for it to complete), then the Config. With `oc apply` the
      // operator reports the missing keys until the Job has copied them, then recovers.
      const [claimManifest] = this.plan.objects;
      const { apiVersion: _a, kind: _k, ...claimProps } = claimManifest as any;
      this.claim = new ObjectBucketClaim(this, 'Claim', claimProps);
      this.claim.metadata.addAnnotation(SYNC_WAVE, '-3');
      const manifests = renamed('S3RegistryStorage', { image: 'provision.cliImage', namespace: 'provision.jobNamespace', claimName: 'provision.claimName' },
        () => obcCredentialsObjects({ claimName: claimProps.metadata.name, image: obc.cliImage, namespace: obc.jobNamespace }));
      const objects = manifests.map((m) => {
        const obj = new ApiObject(this, `Credentials${m.kind}${m.metadata.namespace === REGISTRY_NAMESPACE ? 'Registry' : ''}`, m);
        if (m.metadata.namespace === undefined) clusterScoped(obj);
        obj.metadata.addAnnotation(SYNC_WAVE, m.kind === 'Job' ? '-1' : '-2');
        // The Job is an Argo CD Sync hook, not an ordinary object: OpenShift's ImagePolicy plugin
        // rewrites its image to the ImageStream's digest when it is admitted, so a Job kept as an
        // ordinary object would be OutOfSync for ever and its re-apply refused (the pod template is
        // immutable). A hook is run again at every sync (it writes the same keys) and is not
        // compared; BeforeHookCreation deletes the previous run first.
        if (m.kind === 'Job') {
          obj.metadata.addAnnotation(ARGO_HOOK, 'Sync');
          obj.metadata.addAnnotation(ARGO_HOOK_DELETE_POLICY, 'BeforeHookCreation');
        }
        return obj;
      });
      for (let i = 1; i < objects.length; i++) objects[i].addDependency(objects[i - 1]);
      objects[0].addDependency(this.claim);
      this.credentialsJob = objects[objects.length - 1];
      this.config.addDependency(this.credentialsJob);
    }
  }
}

/** Argo CD's sync-wave annotation. */
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/** Argo CD's hook annotations. */
const ARGO_HOOK = 'argocd.argoproj.io/hook';
const ARGO_HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';

/**
 * How {@link S3RegistryStorage} gets its bucket from OpenShift Data Foundation: an
 * `ObjectBucketClaim` (NooBaa's Multicloud Object Gateway, or Ceph RGW) and a Job that copies the
 * claim's keys into the user Secret in the cluster: the manifests hold no credential.
 */
export interface ObjectBucketClaimOptions {
  /** Claim the bucket with an `ObjectBucketClaim`. */
  readonly controller: 'object-bucket-claim';
  /**
   * StorageClass of the claim. Its `reclaimPolicy` decides whether the bucket (and the images)
   * outlive the claim: the ODF classes say `Delete`.
   * @default 'openshift-storage.noobaa.io' (`'ocs-storagecluster-ceph-rgw'` for Ceph RGW)
   */
  readonly storageClassName?: string;
  /**
   * Name of the claim in `openshift-image-registry`.
   * @default 'image-registry-bucket'
   */
  readonly claimName?: string;
  /** Image with `oc` for the Job. @default the payload's cli image, through an ImageStream */
  readonly cliImage?: string;
  /** Namespace the Job runs in. @default 'registry-storage-credentials' */
  readonly jobNamespace?: string;
}

/**
 * What describes a bucket a controller creates: at the top of the props, as the Pulumi component
 * takes them. Under `provision` (as earlier releases had them) they are deprecated, and still read.
 */
export type S3ProvisionedProps = Pick<AckBucketOptions, 'registryPrincipalArn' | 'tags' | 'clusterResourceTags' | 'retainOnDelete'>;

/** @internal The names of {@link S3ProvisionedProps}. */
const S3_PROVISIONED_PROP_NAMES: Readonly<Record<keyof S3ProvisionedProps, true>> = {
  registryPrincipalArn: true, tags: true, clusterResourceTags: true, retainOnDelete: true,
};

/** Props of {@link S3RegistryStorage}: the core's S3 props, and how to create the bucket. */
export interface S3RegistryStorageProps extends S3StorageProps, S3ProvisionedProps {
  /**
   * Create the bucket in the cluster, through a controller.
   *
   * `{ controller: 'object-bucket-claim' }` (OpenShift Data Foundation) claims `bucket` with an
   * `ObjectBucketClaim` and adds a Job that copies the claim's keys into the user Secret in the
   * cluster, so no key is in the manifests; `regionEndpoint` is the object store's S3 route, and
   * `trustedCA` its CA (the router's). Path-style addressing, `region: us-east-1` and no encryption
   * request, as the ODF procedure says.
   *
   * `{ controller: 'ack' }` emits an ACK
   * `Bucket` (`s3.services.k8s.aws/v1alpha1`) hardened like the Pulumi flavour's (public access
   * blocked, `BucketOwnerEnforced`, SSE-S3 or SSE-KMS with a bucket key, the incomplete-upload
   * lifecycle rule, a TLS-only policy), kept on delete by default. Needs `bucket`, and the ACK
   * s3-controller installed. The registry uses the cluster's identity (no user Secret): with `keyID`,
   * grant that identity the key yourself (the library renders no KMS grant in cdk8s).
   * @default unset: the bucket exists (or the operator creates one when `bucket` is unset)
   */
  readonly provision?: AckBucketOptions | ObjectBucketClaimOptions;
}
