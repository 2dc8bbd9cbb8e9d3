import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { credentialSecretData, RegistryStoragePlan } from '../../core/plan';
import { DEFERRED } from '../../core/problems';
import { ObjectBucketClaimStorageProps, OBC_SECRET_KEYS, planObjectBucketClaimStorage, OBJECT_BUCKET_CLAIM_PROP_NAMES } from '../../platforms/object-bucket-claim';
import { S3_SECRET_KEYS } from '../../platforms/s3';
import {
  argNames,
  child, InputProps, knownView, planOrThrow, PulumiRegistryOptions, RegistryStorageComponent, splitOptions, argProblems, knownArgs, BASE_ARG_NAMES,
  plainArgs,
} from '../common';

/** Args of {@link ObjectBucketClaimRegistryStorage}: the core's props as Pulumi Inputs, plus the Pulumi options. */
export interface ObjectBucketClaimRegistryStorageArgs extends InputProps<ObjectBucketClaimStorageProps>, PulumiRegistryOptions {}

/** Every arg name of {@link ObjectBucketClaimRegistryStorageArgs}: an arg missing here fails compilation. */
const OBC_ARG_NAMES = {
  ...BASE_ARG_NAMES,
  ...argNames(OBJECT_BUCKET_CLAIM_PROP_NAMES),
} as const satisfies Record<keyof ObjectBucketClaimRegistryStorageArgs, true>;

/**
 * The OpenShift image registry on OpenShift Data Foundation object storage (NooBaa's Multicloud
 * Object Gateway, or Ceph RGW), in one deploy graph: an `ObjectBucketClaim` for `bucket` (the
 * component waits until it is Bound), a read of the Secret its provisioner writes, the claim's keys
 * as `REGISTRY_STORAGE_S3_ACCESSKEY`/`_SECRETKEY` in `image-registry-private-configuration-user`
 * (Pulumi secrets end to end), and the server-side-apply patch of the Config with the route as
 * `regionEndpoint`, `region: us-east-1`, path-style addressing and no encryption request. Needs only
 * `@pulumi/kubernetes`. The claim is kept on `pulumi destroy` (the ODF StorageClasses delete the
 * bucket, and the images, with the claim).
 *
 * @example
 * new ObjectBucketClaimRegistryStorage('registry', {
 *   bucket: 'acme-image-registry',
 *   regionEndpoint: 'https://s3-openshift-storage.apps.acme.example.com',
 *   trustedCA: 'router-ca',
 * }, { provider: clusterProvider });
 */
export class ObjectBucketClaimRegistryStorage extends RegistryStorageComponent {
  /** The claim. */
  public readonly claim: k8s.apiextensions.CustomResource;
  /** Name of the bucket. */
  public readonly bucket: pulumi.Output<string>;

  constructor(name: string, args: ObjectBucketClaimRegistryStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ObjectBucketClaimRegistryStorage', 's3', name, opts);
    args = plainArgs(this, 'ObjectBucketClaimRegistryStorage', args);
    const argsProblems = argProblems(args, OBC_ARG_NAMES);
    const { options, rest } = splitOptions(knownArgs(args, OBC_ARG_NAMES));
    const what = 'ObjectBucketClaimRegistryStorage';
    // A bucket given as an Output is checked once it resolves (checkWhenKnown); the claim and the
    // Config are made from the resolved plan, so a valid stand-in is enough for this pass.
    const known = knownView(rest) as ObjectBucketClaimStorageProps;
    const now = known.bucket === (DEFERRED as unknown) ? { ...known, bucket: 'bucket-known-at-apply' } : known;
    planOrThrow(this, what, planObjectBucketClaimStorage, now, argsProblems);
    this.checkWhenKnown(what, planObjectBucketClaimStorage, rest);
    const plan: pulumi.Output<RegistryStoragePlan> = this.planWhenKnown(what, planObjectBucketClaimStorage, rest);
    const manifest = plan.apply((p) => p.objects[0] as any);

    this.claim = new k8s.apiextensions.CustomResource(`${name}-claim`, {
      apiVersion: 'objectbucket.io/v1alpha1',
      kind: 'ObjectBucketClaim',
      metadata: manifest.apply((m) => ({
        ...m.metadata,
        // The provisioner writes the keys once the claim is Bound.
        annotations: { ...m.metadata.annotations, 'pulumi.com/waitFor': 'jsonpath={.status.phase}=Bound' },
      })),
      spec: manifest.apply((m) => m.spec),
    }, child(this, { retainOnDelete: options.retainOnDelete ?? true }));

    // The Secret the provisioner writes while it binds the claim, named like the claim, in its
    // namespace (lib-bucket-provisioner `pkg/provisioner/controller.go`): its ID is the claim's own
    // (`<namespace>/<name>`). Read by the claim's ID, not a name known up front: `dependsOn` does not
    // defer a read (pulumi/pulumi#16395), so on a fresh cluster the preview would read a Secret that
    // does not exist yet and fail. The claim's ID is unknown until the claim is created, and the
    // engine reads nothing while an ID is unknown. Its keys stay Pulumi secrets.
    const keys = k8s.core.v1.Secret.get(`${name}-claim-keys`, this.claim.id, { parent: this });
    const decoded = (key: string) => pulumi.secret(keys.data.apply((d) => Buffer.from(d?.[key] ?? '', 'base64').toString('utf8')));
    const secretData = credentialSecretData(S3_SECRET_KEYS, {
      accessKey: decoded(OBC_SECRET_KEYS.accessKey), secretKey: decoded(OBC_SECRET_KEYS.secretKey),
    });

    this.bucket = plan.apply((p) => p.spec.storage!.s3!.bucket!);
    this.deployKubernetes(name, { plan, secretData, dependsOn: [this.claim], options }, { bucket: this.bucket });
  }
}
