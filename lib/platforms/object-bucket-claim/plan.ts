/**
 * OpenShift Data Foundation object storage (NooBaa's Multicloud Object Gateway, or Ceph RGW) through
 * an `ObjectBucketClaim`: props, rules, plan, and the in-cluster step that turns the claim's keys
 * into the registry's user Secret, so that no credential is ever written in a manifest.
 *
 * The documented procedure: https://docs.redhat.com/en/documentation/openshift_container_platform/latest/html/registry/setting-up-and-configuring-the-registry
 * ("Configuring the registry to use Red Hat OpenShift Data Foundation"): claim a bucket, copy the
 * claim's `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` into `image-registry-private-configuration-user`
 * as `REGISTRY_STORAGE_S3_ACCESSKEY`/`_SECRETKEY`, and point `spec.storage.s3` at the S3 route with
 * `region: us-east-1`, path-style addressing and the router CA as `trustedCA`.
 */
import {
  FIELD_MANAGER, KEEP_ON_DELETE_ANNOTATIONS, REGISTRY_NAMESPACE, REGISTRY_USER_SECRET_NAME,
} from '../../core/constants';
import { checkPropsShape, COMMON_PROP_NAMES, KubernetesManifest, PropNames, RegistryCommonProps, RegistryStoragePlan } from '../../core/plan';
import { Problems, RegistryStorageValidationError, show } from '../../core/problems';
import { isKubernetesName, jobOptionProblems, jobRuntimeObjects, ocJob } from '../../core/remove-other-storage';
import { planS3Storage, s3BucketNameProblem, S3_SECRET_KEYS } from '../s3';

/** StorageClass of ODF's Multicloud Object Gateway (NooBaa) bucket claims. */
export const ODF_NOOBAA_STORAGE_CLASS = 'openshift-storage.noobaa.io';
/** StorageClass of ODF's Ceph RGW bucket claims. */
export const ODF_CEPH_RGW_STORAGE_CLASS = 'ocs-storagecluster-ceph-rgw';

/**
 * Volume StorageClasses OpenShift clusters ship (ODF's Ceph RBD and CephFS, the clouds' CSI classes):
 * a bucket claim of one of them never binds.
 */
const VOLUME_STORAGE_CLASS = /(^|-)ceph-?rbd|cephfs|^gp[23](-csi)?$|^thin(-csi)?$|^standard(-csi)?$|^managed-csi|^lvms-|-csi$/;

/** The keys the bucket provisioner writes into the Secret named like the claim. */
export const OBC_SECRET_KEYS = { accessKey: 'AWS_ACCESS_KEY_ID', secretKey: 'AWS_SECRET_ACCESS_KEY' } as const;

/**
 * Annotation on a user Secret whose keys are written in the cluster (by the credentials Job, from
 * the named claim): checks of manifests do not expect keys in it.
 */
export const KEYS_FROM_ANNOTATION = 'openshift-registry-storage/keys-from';

/**
 * NooBaa's S3 service inside the cluster (Service `s3`, port 443, in `openshift-storage`, with a
 * service-serving certificate): no route, no proxy. Its CA is the service CA: `oc get configmap
 * openshift-service-ca.crt -n openshift-config -o jsonpath='{.data.service-ca\.crt}' > ca.crt; oc
 * create configmap registry-s3-ca -n openshift-config --from-file=ca-bundle.crt=ca.crt`, then
 * `trustedCA: 'registry-s3-ca'`.
 */
export const ODF_NOOBAA_SERVICE_ENDPOINT = 'https://s3.openshift-storage.svc';

/** Namespace the credentials Job runs in by default. */
export const DEFAULT_OBC_JOB_NAMESPACE = 'registry-storage-credentials';

/** Default name of the claim. */
export const DEFAULT_OBC_NAME = 'image-registry-bucket';

/** Props of registry storage on an `ObjectBucketClaim`. */
export interface ObjectBucketClaimStorageProps extends RegistryCommonProps {
  /**
   * Bucket name the claim asks for (`spec.bucketName`): the Config names it, so it must be known
   * when the manifests are made. Bucket names share one namespace per object store: make it unique
   * (for example `<cluster>-image-registry`).
   */
  readonly bucket: string;
  /**
   * StorageClass of the claim: {@link ODF_NOOBAA_STORAGE_CLASS} (Multicloud Object Gateway) or
   * {@link ODF_CEPH_RGW_STORAGE_CLASS} (Ceph RGW), or another bucket class. Its `reclaimPolicy`
   * decides whether the bucket, and every image in it, survives the claim's deletion: the ODF classes
   * say `Delete`. The claim is never pruned by Argo CD or Flux, but deleting it by hand deletes the
   * images.
   * @default 'openshift-storage.noobaa.io'
   */
  readonly storageClassName?: string;
  /**
   * The S3 endpoint the registry uses: the object store's route, e.g.
   * `https://s3-openshift-storage.apps.<cluster domain>` (NooBaa) or
   * `https://ocs-storagecluster-cephobjectstore-openshift-storage.apps.<cluster domain>` (RGW), or
   * its in-cluster service ({@link ODF_NOOBAA_SERVICE_ENDPOINT}).
   *
   * On a cluster with a cluster-wide proxy, the operator's S3 client and the registry use the proxy
   * (`pkg/storage/s3/s3.go`, `pkg/resource/podtemplatespec.go` in cluster-image-registry-operator),
   * and a route `*.apps.<domain>` is normally not in `proxy/cluster`'s `noProxy`: add the route's
   * host there, or use the service, which the cluster's `status.noProxy` always covers (`.svc`).
   * The service's certificate is signed by the service CA: give it as `trustedCA`.
   */
  readonly regionEndpoint: string;
  /**
   * ConfigMap in `openshift-config` with the CA of `regionEndpoint` under `ca-bundle.crt`: for a
   * route, the router's CA (`oc get configmap default-ingress-cert -n openshift-config-managed`),
   * unless the ingress certificate is from a public CA.
   * @default unset (system trust)
   */
  readonly trustedCA?: string;
  /**
   * Region the registry signs requests for; the ODF object stores accept `us-east-1`.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Name of the claim in `openshift-image-registry` (and of the Secret and ConfigMap the
   * provisioner writes).
   * @default 'image-registry-bucket'
   */
  readonly claimName?: string;
  /**
   * Size of the multipart upload chunks, in MiB (`storage.s3.chunkSizeMiB`), as for S3.
   * @default unset (the registry's 10 MiB)
   */
  readonly chunkSizeMiB?: number;
}

/** @internal Every prop of {@link ObjectBucketClaimStorageProps}: any other name is refused, naming the closest. */
export const OBJECT_BUCKET_CLAIM_PROP_NAMES: PropNames<ObjectBucketClaimStorageProps> = {
  ...COMMON_PROP_NAMES,
  bucket: true,
  storageClassName: true,
  regionEndpoint: true,
  trustedCA: true,
  region: true,
  claimName: true,
  chunkSizeMiB: true,
};

/**
 * Checks the props and returns the plan: the Config's `s3` block for the claimed bucket (path-style,
 * no server-side encryption request, which the ODF stores do not take), the claim, and no Secret:
 * the keys exist only in the cluster ({@link obcCredentialsObjects} copies them).
 */
export function planObjectBucketClaimStorage(props: ObjectBucketClaimStorageProps): RegistryStoragePlan {
  const problems = new Problems();
  props = checkPropsShape('ObjectBucketClaimRegistryStorage', props, OBJECT_BUCKET_CLAIM_PROP_NAMES);
  const { bucket, storageClassName, claimName, regionEndpoint, trustedCA, region, ...common } = props;
  if (typeof bucket !== 'string' || bucket === '') {
    problems.add('bucket', 'is required: the claim asks for this bucket name, and the Config names it (make it unique in the object store)', 'ORS-OBC-001');
  } else {
    const p = s3BucketNameProblem(bucket);
    if (p) problems.add('bucket', `${show(bucket)} ${p} (S3 bucket naming rules)`, 'ORS-S3-001');
  }
  const claim = claimName ?? DEFAULT_OBC_NAME;
  if (typeof claim !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(claim) || claim.length > 63) {
    problems.add('claimName', `must be a Kubernetes name (lowercase letters, digits and hyphens, at most 63), got ${show(claim)}`, 'ORS-OBC-003');
  }
  const sc = storageClassName ?? ODF_NOOBAA_STORAGE_CLASS;
  if (typeof sc !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(sc)) {
    problems.add('storageClassName', `must be a StorageClass name, got ${show(sc)}`, 'ORS-OBC-004');
  } else if (VOLUME_STORAGE_CLASS.test(sc)) {
    // The mistake in practice: ODF's block and file classes sit next to its bucket classes.
    problems.add('storageClassName', `${show(sc)} is a volume (block or file) StorageClass, which no bucket provisioner serves: `
      + `the claim would stay Pending. Use ${show(ODF_NOOBAA_STORAGE_CLASS)} (Multicloud Object Gateway) or ${show(ODF_CEPH_RGW_STORAGE_CLASS)} (Ceph RGW)`, 'ORS-OBC-005');
  }
  if (regionEndpoint === undefined) problems.add('regionEndpoint', 'is required: the object store\'s S3 route, e.g. "https://s3-openshift-storage.apps.example.com"', 'ORS-OBC-006');
  let s3: RegistryStoragePlan | undefined;
  try {
    s3 = planS3Storage({
      ...common,
      bucket,
      region: region ?? 'us-east-1',
      regionEndpoint,
      trustedCA,
      virtualHostedStyle: false,
      encrypt: false,
      // Placeholders: they tell the S3 rules that keys come; none is written anywhere.
      credentials: { accessKey: 'placeholder', secretKey: 'placeholder' },
    });
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    for (const p of e.problems) if (!problems.all.some((q) => q.path === p.path)) problems.add(p.path, p.message, p.code);
  }
  problems.throwIfAny('ObjectBucketClaimRegistryStorage');
  return {
    storageType: 's3',
    spec: s3!.spec,
    objects: [{
      apiVersion: 'objectbucket.io/v1alpha1',
      kind: 'ObjectBucketClaim',
      metadata: { name: claim, namespace: REGISTRY_NAMESPACE, annotations: { ...KEEP_ON_DELETE_ANNOTATIONS } },
      spec: { bucketName: bucket, storageClassName: sc },
    } as KubernetesManifest],
    warnings: s3!.warnings,
    ...(s3!.acknowledgedWarnings ? { acknowledgedWarnings: s3!.acknowledgedWarnings } : {}),
    openshiftVersion: s3!.openshiftVersion,
    ...(s3!.migrateFrom ? { migrateFrom: s3!.migrateFrom } : {}),
    ...(s3!.imagePruner ? { imagePruner: s3!.imagePruner } : {}),
    ...(s3!.hardPrune ? { hardPrune: s3!.hardPrune } : {}),
  };
}

/** @internal The names of {@link ObcCredentialsOptions}. */
export const OBC_CREDENTIALS_OPTION_NAMES: PropNames<ObcCredentialsOptions> = {
  claimName: true, image: true, namespace: true, annotations: true, timeoutSeconds: true,
};

/** Options of {@link obcCredentialsObjects}. */
export interface ObcCredentialsOptions {
  /** The claim whose Secret holds the keys. */
  readonly claimName: string;
  /** Image with `oc` (see `RemoveOtherStorageOptions.image`). @default the payload's cli, through an ImageStream */
  readonly image?: string;
  /**
   * Namespace the Job runs in, created with it (not `openshift-image-registry`, which denies egress
   * by default; not the removal Job's, so that both can be applied).
   * @default 'registry-storage-credentials'
   */
  readonly namespace?: string;
  /** Extra annotations on every object (Argo CD sync waves). @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** How long the Job waits for the claim to be bound, in seconds. @default 600 */
  readonly timeoutSeconds?: number;
}

/**
 * The in-cluster step that fills the user Secret from the claim, with no key in any manifest:
 * - the user Secret itself, with no data: its keys belong to the Job (a GitOps tool applying it
 *   server-side owns no data field, so it never reverts them);
 * - a Role in `openshift-image-registry` allowing `get` on the claim's Secret and `get`/`patch` on
 *   the user Secret only, bound to the Job's ServiceAccount;
 * - the Job, in a namespace of its own (`openshift-image-registry` denies egress by default), with
 *   a NetworkPolicy allowing it the API server only and the payload's `oc` through an ImageStream,
 *   as the removal Job has them: it waits until the provisioner has
 *   written the claim's keys, then patches them into the user Secret under the operator's names. It
 *   never prints a key, and running it again writes the same values.
 */
export function obcCredentialsObjects(options: ObcCredentialsOptions): KubernetesManifest[] {
  options = checkPropsShape('obcCredentialsObjects', options, OBC_CREDENTIALS_OPTION_NAMES);
  const name = 'registry-storage-obc-credentials';
  const namespace = options.namespace ?? DEFAULT_OBC_JOB_NAMESPACE;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': FIELD_MANAGER };
  const annotations = options.annotations && Object.keys(options.annotations).length > 0 ? { ...options.annotations } : undefined;
  const meta = (objectName: string, ns: string) => ({ name: objectName, namespace: ns, labels, ...(annotations ? { annotations } : {}) });
  const runtimeMeta = (objectName: string, namespaced: boolean) => ({
    name: objectName, ...(namespaced ? { namespace } : {}), labels, ...(annotations ? { annotations } : {}),
  });
  // Both reach a shell script: refuse anything but a claim name and a whole number of seconds.
  const problems = new Problems();
  const claimName: unknown = options?.claimName;
  if (!isKubernetesName(claimName)) {
    problems.add('claimName', `must be a Kubernetes name (lowercase letters, digits and hyphens, at most 63), got ${show(claimName)}`, 'ORS-OBC-003');
  }
  const timeoutGiven: unknown = options?.timeoutSeconds;
  if (timeoutGiven !== undefined && (typeof timeoutGiven !== 'number' || !Number.isInteger(timeoutGiven) || timeoutGiven < 10 || timeoutGiven > 86400)) {
    problems.add('timeoutSeconds', `must be a whole number of seconds from 10 to 86400, got ${show(timeoutGiven)}`, 'ORS-OBC-008');
  }
  jobOptionProblems(problems, options, DEFAULT_OBC_JOB_NAMESPACE);
  problems.throwIfAny('obcCredentialsObjects');
  const timeout = (timeoutGiven as number | undefined) ?? 600;
  const claimSecret = `secret/${options.claimName} -n ${REGISTRY_NAMESPACE}`;
  const script = `set -e
i=0
until ak=$(oc get ${claimSecret} -o 'jsonpath={.data.${OBC_SECRET_KEYS.accessKey}}' 2>/dev/null) && [ -n "$ak" ]; do
  i=$((i+10))
  if [ "$i" -gt ${timeout} ]; then echo "ObjectBucketClaim ${options.claimName} has no keys after ${timeout}s: is it Bound?" >&2; exit 1; fi
  sleep 10
done
sk=$(oc get ${claimSecret} -o 'jsonpath={.data.${OBC_SECRET_KEYS.secretKey}}')
[ -n "$sk" ] || { echo "the claim's Secret has no ${OBC_SECRET_KEYS.secretKey}" >&2; exit 1; }
# The keys go through a file written by the shell's printf builtin, never on a command line (the
# process table shows every process's arguments), readable by this user alone, in the pod's emptyDir
# HOME, and removed however the script ends. base64 data needs no JSON escaping.
umask 077
keys="$HOME/registry-keys.json"
trap 'rm -f "$keys"' EXIT
printf '{"data":{"${S3_SECRET_KEYS.accessKey}":"%s","${S3_SECRET_KEYS.secretKey}":"%s"}}' "$ak" "$sk" > "$keys"
oc patch secret/${REGISTRY_USER_SECRET_NAME} -n ${REGISTRY_NAMESPACE} --type=merge --patch-file="$keys" >/dev/null
echo "copied the keys of ObjectBucketClaim ${options.claimName} into ${REGISTRY_USER_SECRET_NAME}"`;
  return [
    ...jobRuntimeObjects(name, namespace, options.image, runtimeMeta),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: REGISTRY_USER_SECRET_NAME,
        namespace: REGISTRY_NAMESPACE,
        labels,
        // Kept on delete like the Config and the claim: pruning or deleting the GitOps application
        // must not take the registry's keys (ODF has no installer-cloud-credentials to fall back on).
        annotations: { ...annotations, ...KEEP_ON_DELETE_ANNOTATIONS, [KEYS_FROM_ANNOTATION]: `ObjectBucketClaim/${options.claimName}` },
      },
      type: 'Opaque',
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(name, REGISTRY_NAMESPACE),
      rules: [
        { apiGroups: [''], resources: ['secrets'], resourceNames: [options.claimName], verbs: ['get'] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: [REGISTRY_USER_SECRET_NAME], verbs: ['get', 'patch'] },
      ],
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(name, namespace),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(name, REGISTRY_NAMESPACE),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    // the wait for the claim, and five minutes for the copy and retries
    ocJob(name, meta(name, namespace), 'copy', ['/bin/sh', '-c', script], options.image, timeout + 300),
  ];
}
