import { CONFIG_CRD } from '../generated/config-crd';

/** Namespace of the image registry operator, the registry, and the user credentials Secret. */
export const REGISTRY_NAMESPACE = 'openshift-image-registry';

/** The only `configs.imageregistry.operator.openshift.io` object the operator reconciles. */
export const REGISTRY_CONFIG_NAME = 'cluster';

/** `apiVersion` of the registry operator Config. */
export const REGISTRY_CONFIG_API_VERSION = CONFIG_CRD.apiVersion;

/** `kind` of the registry operator Config. */
export const REGISTRY_CONFIG_KIND = CONFIG_CRD.kind;

/**
 * The Secret whose keys the operator reads *instead of* the cluster's own cloud credentials.
 * When it exists it is used exclusively: there is no per-key fallback to `installer-cloud-credentials`.
 * @see https://github.com/openshift/cluster-image-registry-operator (pkg/defaults/defaults.go)
 */
export const REGISTRY_USER_SECRET_NAME = 'image-registry-private-configuration-user';

/**
 * The Secret in `openshift-image-registry` with the cluster's own cloud credentials for the
 * registry, from its CredentialsRequest (minted by the Cloud Credential Operator, or written by
 * ccoctl with short-lived credentials). Used when {@link REGISTRY_USER_SECRET_NAME} is absent.
 * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/manifests/01-registry-credentials-request.yaml
 */
export const CLUSTER_CREDENTIALS_SECRET = 'installer-cloud-credentials';

/** Annotation key the operator checks on the default PVC (it writes the value `"true"`). */
export const REGISTRY_PVC_ANNOTATION = 'imageregistry.openshift.io';

/** Claim name the operator creates and uses when `spec.storage.pvc.claim` is empty. */
export const OPERATOR_DEFAULT_CLAIM_NAME = 'image-registry-storage';

/** Field manager this library uses for server-side apply. */
export const FIELD_MANAGER = 'openshift-registry-storage';

/**
 * The storage types the current operator drives (`pkg/storage/storage.go` `NewDriver`).
 * `oss` still exists in the API but has had no driver since 2024.
 */
export const OPERATOR_STORAGE_TYPES = ['emptyDir', 's3', 'swift', 'gcs', 'ibmcos', 'pvc', 'azure'] as const;

/** A storage block name in `spec.storage`. */
export type OperatorStorageType = typeof OPERATOR_STORAGE_TYPES[number];

/** Every storage block the API knows, including the unsupported `oss`. */
export const ALL_STORAGE_TYPES: readonly string[] = [...OPERATOR_STORAGE_TYPES, 'oss'];

/**
 * Annotations that keep an object when a GitOps tool would delete it: Argo CD neither prunes it
 * when it leaves Git (`Prune=false`) nor deletes it with the Application (`Delete=false`), and Flux's
 * kustomize-controller does not garbage-collect it (`prune: disabled`). The cdk8s flavour puts them
 * on the `cluster` Config (deleting it makes the operator remove Managed storage and bootstrap a
 * default) and on the claims it creates (deleting one deletes the images with most StorageClasses).
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#garbage-collection
 */
export const KEEP_ON_DELETE_ANNOTATIONS: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};
