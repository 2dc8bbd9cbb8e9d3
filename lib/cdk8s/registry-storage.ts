/**
 * cdk8s flavour: adapts a core plan (lib/platforms) into cdk8s API objects. No platform rule lives
 * here; the plan functions hold them all.
 */
import { ApiObject, App } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ackBucket, AckBucketOptions } from './ack-bucket';
import { clusterScoped } from './cluster-scoped';
import { configConnectorBucket, ConfigConnectorBucketOptions } from './config-connector';
import { crossplaneAccount, CrossplaneAccountOptions } from './crossplane';
import { AckBucket } from './generated/ack-bucket';
import { CrossplaneStorageAccount } from './generated/crossplane-storage-account';
import { CrossplaneStorageContainer } from './generated/crossplane-storage-container';
import { ImageRegistryConfig } from './generated/image-registry-config';
import { KccIamPolicyMember } from './generated/kcc-iam-policy-member';
import { KccStorageBucket } from './generated/kcc-storage-bucket';
import { ObjectBucketClaim } from './generated/object-bucket-claim';
import { RemoveOtherStorageTypes, RemoveOtherStorageTypesProps, renamed } from './remove-other-storage';
import { inspectRegistryObjects } from '../checks/live-objects';
import { KEEP_ON_DELETE_ANNOTATIONS, REGISTRY_CONFIG_KIND, REGISTRY_NAMESPACE } from '../core/constants';
import { checkPropsShape, COMMON_PROP_NAMES, given, KubernetesManifest, RegistryStoragePlan, RegistryStorageType } from '../core/plan';
import { RegistryConfigProblem, RegistryStorageValidationError, show } from '../core/problems';
import { isNamespaced, missingNamespaceProblems } from '../core/scope';
import { AZURE_KIND, AzureAccessPlan, azureAccountIntent, AzureStorageProps, AZURE_PROP_NAMES, DEFAULT_AZURE_CONTAINER, planAzureAccess, planAzureStorage } from '../platforms/azure';
import { EmptyDirStorageProps, planEmptyDirStorage } from '../platforms/emptydir';
import { GCS_KIND, GcsAccessPlan, gcsBucketCreationProblems, gcsBucketIntent, GcsStorageProps, GCS_PROP_NAMES, planGcsAccess, planGcsStorage } from '../platforms/gcs';
import { OBJECT_BUCKET_CLAIM_PROP_NAMES, obcCredentialsObjects, planObjectBucketClaimStorage } from '../platforms/odf';
import { provisionProblems } from '../platforms/provision';
import { planPvcStorage, PvcStorageProps } from '../platforms/pvc';
import { planS3Access, planS3Storage, S3_KIND, S3_CLUSTER_IDENTITY_NO_KMS, s3BucketIntent, s3BucketTags, s3KmsKeyArnProblem, S3StorageProps, S3_PROP_NAMES } from '../platforms/s3';
import { planSwiftStorage, SwiftStorageProps } from '../platforms/swift';

const REGISTRY_STORAGE = Symbol.for('openshift-registry-storage.cdk8s.RegistryStorage');

function isRegistryConfig(o: any): boolean {
  return o?.kind === REGISTRY_CONFIG_KIND && typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('imageregistry.operator.openshift.io/');
}

/**
 * Context key: set it to `false` on the App (`app.node.setContext(...)`) to keep the constructs
 * from printing their plan's warnings at synth (read them from `warnings` instead).
 */
export const PRINT_WARNINGS_CONTEXT = 'openshift-registry-storage:printWarnings';

/**
 * What every registry storage construct emits: the `cluster` Config (typed L1, cluster-scoped), the
 * user Secret when credentials are given, and the storage objects of the plan.
 *
 * - GitOps: the Config and the claims carry {@link KEEP_ON_DELETE_ANNOTATIONS}, so Argo CD neither
 *   prunes them nor deletes them with the Application, and Flux does not garbage-collect them
 *   (deleting `cluster` makes the operator remove Managed storage and bootstrap a default).
 * - Single-node clusters: `replicas` is left out unless given or needed (1 for ReadWriteOnce and
 *   emptyDir), so the live value (1 on single-node OpenShift) stays. Apply with
 *   `oc apply --server-side --force-conflicts`: the operator's field manager owns `storage`,
 *   `replicas` and `managementState`.
 * - Disconnected clusters: see {@link RemoveOtherStorageTypes} (the payload's own `oc`).
 *
 * One App may hold one registry storage: a cluster has one `cluster` Config and one user Secret.
 */
export abstract class RegistryStorage extends Construct {
  /** True when `x` is a registry storage construct of this library. */
  public static isRegistryStorage(x: unknown): x is RegistryStorage {
    return typeof x === 'object' && x !== null && REGISTRY_STORAGE in x;
  }

  /** The storage block this construct sets. */
  public readonly storageType: RegistryStorageType;
  /** The core plan the construct emitted (Secret values included: do not log it). */
  public readonly plan: RegistryStoragePlan;
  /** The `configs.imageregistry.operator.openshift.io/cluster` object. */
  public readonly config: ImageRegistryConfig;
  /** The `image-registry-private-configuration-user` Secret, when credentials were given. */
  public readonly secret?: k8s.KubeSecret;
  /**
   * The plan's warnings: setups the operator accepts but the library advises against. They are
   * printed (console) when the App synthesizes, unless the App's context
   * {@link PRINT_WARNINGS_CONTEXT} is `false`.
   */
  public readonly warnings: readonly RegistryConfigProblem[];

  protected constructor(scope: Construct, id: string, plan: RegistryStoragePlan) {
    super(scope, id);
    Object.defineProperty(this, REGISTRY_STORAGE, { value: true });
    this.plan = plan;
    this.storageType = plan.storageType;

    if (plan.secret) {
      this.secret = new k8s.KubeSecret(this, 'Secret', {
        metadata: plan.secret.metadata,
        type: plan.secret.type,
        stringData: { ...plan.secret.stringData },
      });
    }
    this.warnings = plan.warnings;
    // GitOps tools must never delete `cluster`: the operator would remove Managed storage and
    // bootstrap a default one (pkg/operator/controller.go).
    this.config = new ImageRegistryConfig(this, 'Config', { metadata: { annotations: { ...KEEP_ON_DELETE_ANNOTATIONS } }, spec: plan.spec });
    // The operator must never see a Config whose credentials do not exist yet.
    if (this.secret) this.config.addDependency(this.secret);

    this.node.addValidation({
      validate: () => {
        if (this.node.tryGetContext(PRINT_WARNINGS_CONTEXT) !== false) {
          for (const w of this.warnings) console.warn(`[openshift-registry-storage] warning: ${this.node.path}: ${w.path}: ${w.message}`);
        }
        return [];
      },
    });
    this.node.addValidation({ validate: () => this.validateApp() });
  }

  /**
   * Checks the whole App once (from its first registry storage): one `cluster` Config and one
   * registry storage per App (a Config added by hand counts too), and the objects as `check` would
   * check them live (endpoint and bucket rules, ReadWriteOnce claims and replicas, Secret keys,
   * `managementState: Removed`), after any JSON patches.
   */
  private validateApp(): string[] {
    const app = App.of(this);
    const storages = app.node.findAll().filter(RegistryStorage.isRegistryStorage);
    if (storages[0] !== this) return [];
    const errors: string[] = [];
    if (storages.length > 1) {
      errors.push(`one App may hold one registry storage (a cluster has one "cluster" Config and one user Secret), found ${storages.length}: `
        + `${storages.map((s) => s.node.path).join(', ')}. Put each cluster in its own App`);
    }
    // Every namespaced object the constructs emit names its namespace (rendered only when its
    // metadata names none). Only theirs: the App may hold cluster-scoped objects of kinds the
    // library does not know (an Image config, an SCC).
    const unnamed = storages.flatMap((s) => s.node.findAll()).filter((c): c is ApiObject => c instanceof ApiObject
      && isNamespaced(c.apiVersion, c.kind) && !c.metadata.namespace);
    const rendered = unnamed.map((o) => o.toJson() as KubernetesManifest);
    for (const p of missingNamespaceProblems(rendered, (_o, i) => unnamed[i].node.path)) errors.push(`${p.path}: ${p.message}`);
    // Only the kinds the checks read are rendered (rendering is most of the cost of this check).
    const apiObjects = app.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && ['Config', 'Secret', 'PersistentVolumeClaim', 'Account', 'ProviderConfig', 'RoleAssignment'].includes(c.kind));
    const objects = apiObjects.map((o) => o.toJson());
    const configs = apiObjects.filter((_o, i) => isRegistryConfig(objects[i]));
    if (configs.length > 1) {
      errors.push(`one App may hold one configs.imageregistry.operator.openshift.io object (the operator reads only "cluster"), found ${configs.length}: `
        + `${configs.map((c) => c.node.path).join(', ')}. Remove the one added by hand, or put each cluster in its own App`);
      return errors;
    }
    // The Config's own CRD problems are reported by the Config itself.
    for (const p of inspectRegistryObjects(objects, { skipCrd: true }).problems) errors.push(`${p.path}: ${p.message}`);
    return errors;
  }

  /**
   * Adds a Job that removes every other storage block from the Config, for switching storage type
   * in a GitOps flow (server-side apply cannot remove blocks another field manager owns). It runs
   * after the Config (an Argo CD PostSync hook by default), in a namespace of its own, with the
   * release payload's `oc` unless `cliImage` is given; see {@link RemoveOtherStorageTypes}.
   */
  public removeOtherStorageTypes(props: Omit<RemoveOtherStorageTypesProps, 'keep'> = {}): RemoveOtherStorageTypes {
    const own = checkPropsShape('removeOtherStorageTypes', props, { cliImage: true, namespace: true, argoCdHook: true });
    const job = new RemoveOtherStorageTypes(this, 'RemoveOtherStorageTypes', { ...own, keep: this.storageType });
    job.node.addDependency(this.config);
    return job;
  }

  /** @internal Emits a core manifest as an L1, keeping cluster-scoped objects free of a namespace. */
  protected emit<T extends ApiObject>(id: string, manifest: KubernetesManifest, make: (scope: Construct, id: string, props: any) => T): T {
    const { apiVersion: _a, kind: _k, ...props } = manifest;
    const obj = make(this, id, props);
    if (manifest.metadata.namespace === undefined) clusterScoped(obj);
    return obj;
  }
}

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
    const { provision: provisionGiven, ...storage } = checkPropsShape('S3RegistryStorage', props, { ...S3_PROP_NAMES, provision: true });
    const provision = provisionGiven ?? undefined; // null: not given, as for every prop
    const provisionIssues = provisionProblems(provision, S3_KIND.provision!);
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
        if (!given(storage.bucket)) problems.push({ path: 'bucket', message: 'is required with provision: the ACK Bucket needs a name' });
        if (given(storage.regionEndpoint)) problems.push({ path: 'provision', message: 'creates an AWS bucket; S3-compatible storage (regionEndpoint) is not AWS: leave provision out' });
        const keyProblem = s3KmsKeyArnProblem(storage.keyID);
        if (keyProblem) problems.push({ path: 'keyID', message: keyProblem });
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
          });
        }
      }
      if (obc && storage.credentials !== undefined) {
        problems.push({ path: 'credentials', message: 'come from the claim with provision: { controller: \'object-bucket-claim\' }: leave them out (no key is written in the manifests)' });
      }
      return problems;
    }, () => (controller === 'ack' && given(storage.keyID) ? [{
      path: 'keyID',
      message: `${S3_CLUSTER_IDENTITY_NO_KMS}. ACK's s3-controller cannot grant it: add the grant or the key policy statement yourself`,
    }] : [])));
    if (controller === 'ack') {
      const ack = provision as AckBucketOptions;
      this.bucket = ackBucket(this, 'Bucket', s3BucketIntent({
        bucket: storage.bucket, keyID: storage.keyID, tags: s3BucketTags(ack.tags, ack.clusterResourceTags),
      }), ack, storage.region);
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

/** Props of {@link S3RegistryStorage}: the core's S3 props, and how to create the bucket. */
export interface S3RegistryStorageProps extends S3StorageProps {
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

/**
 * Runs a plan and adds the construct's own problems, so that every problem is thrown at once.
 * @internal
 */
function withProvisionProblems(what: string, plan: () => RegistryStoragePlan, extra: () => RegistryConfigProblem[],
  warnings: () => RegistryConfigProblem[] = () => []): RegistryStoragePlan {
  // the plan's problems first, then the construct's; the construct's warnings join the plan's
  let result: RegistryStoragePlan | undefined;
  const problems: RegistryConfigProblem[] = [];
  try {
    result = plan();
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    problems.push(...e.problems);
  }
  problems.push(...extra());
  // One rule may be read by two steps (provision's own check and the access plan): say it once.
  const seen = new Set<string>();
  const once = problems.filter((p) => !seen.has(`${p.path}\n${p.message}`) && seen.add(`${p.path}\n${p.message}`));
  if (once.length > 0) throw new RegistryStorageValidationError(what, once);
  const more = warnings();
  return more.length > 0 ? { ...result!, warnings: [...result!.warnings, ...more] } : result!;
}

/** The problems a planning step throws, as a list. */
function collect(step: () => unknown): RegistryConfigProblem[] {
  try {
    step();
    return [];
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    return [...e.problems];
  }
}

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
    const { provision: provisionGiven, ...storage } = checkPropsShape('GcsRegistryStorage', props, { ...GCS_PROP_NAMES, provision: true });
    const provision = provisionGiven ?? undefined; // null: not given, as for every prop
    const provisionIssues = provisionProblems(provision, GCS_KIND.provision!);
    let access: GcsAccessPlan | undefined;
    super(scope, id, withProvisionProblems('GcsRegistryStorage', () => planGcsStorage(storage), () => {
      if (provision === undefined) return [];
      const problems: RegistryConfigProblem[] = [...provisionIssues];
      if (provisionIssues.length > 0) return problems;
      if (!given(storage.bucket)) problems.push({ path: 'bucket', message: 'is required with provision: the StorageBucket needs a name' });
      problems.push(...gcsBucketCreationProblems(storage));
      problems.push(...collect(() => {
        access = planGcsAccess({ registryServiceAccount: provision.registryServiceAccount });
      }).map((p) => ({ ...p, path: `provision.${p.path}` })));
      return problems;
    }, () => (provision && given(storage.keyID) ? [{
      path: 'keyID',
      message: 'CMEK needs the project\'s Cloud Storage service agent (service-<project number>@gs-project-accounts.iam.gserviceaccount.com) to hold '
        + 'roles/cloudkms.cryptoKeyEncrypterDecrypter on this key; no grant is rendered here (the project number is not known at synth)',
    }] : [])));
    if (provision) {
      const made = configConnectorBucket(this, 'Bucket', gcsBucketIntent({ bucket: storage.bucket, region: storage.region!, keyID: storage.keyID }),
        provision, access!.bucketMembers, storage.projectID);
      this.bucket = made.bucket;
      this.bindings = made.bindings;
      // The operator must not look for the bucket before it exists and the registry may use it.
      this.config.addDependency(made.bucket, ...made.bindings);
    }
  }
}

/** Props of {@link GcsRegistryStorage}: the core's GCS props, and how to create the bucket. */
export interface GcsRegistryStorageProps extends GcsStorageProps {
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

/**
 * Image registry storage on Azure Blob Storage.
 *
 * @example
 * new AzureRegistryStorage(chart, 'registry', {
 *   accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud',
 * });
 */
export class AzureRegistryStorage extends RegistryStorage {
  /** The Crossplane `Account`, with `provision: { controller: 'crossplane' }`. */
  public readonly account?: CrossplaneStorageAccount;
  /** The Crossplane `Container`, with `provision: { controller: 'crossplane' }`. */
  public readonly container?: CrossplaneStorageContainer;
  /** The Crossplane `ProviderConfig` with `storageUseAzureAD: true`, with `provision.azureAD.providerConfig`. */
  public readonly providerConfig?: ApiObject;
  /** The Blob data role of the Crossplane provider's identity on the account, with `provision.azureAD`. */
  public readonly roleAssignment?: ApiObject;

  constructor(scope: Construct, id: string, props: AzureRegistryStorageProps = {}) {
    const { provision: provisionGiven, ...rest } = checkPropsShape('AzureRegistryStorage', props, { ...AZURE_PROP_NAMES, provision: true });
    const provision = provisionGiven ?? undefined; // null: not given, as for every prop
    const provisionIssues = provisionProblems(provision, AZURE_KIND.provision!);
    // With provision, the container the construct creates is named in the Config.
    const storage = provision ? { ...rest, container: rest.container ?? DEFAULT_AZURE_CONTAINER } : rest;
    let access: AzureAccessPlan | undefined;
    super(scope, id, withProvisionProblems('AzureRegistryStorage', () => planAzureStorage(storage), () => {
      if (provision === undefined) return [];
      const problems: RegistryConfigProblem[] = [...provisionIssues];
      if (provisionIssues.some((p) => p.path === 'provision' || p.path === 'provision.controller')) return problems;
      if (!given(storage.accountName)) problems.push({ path: 'accountName', message: 'is required with provision: the Crossplane Account needs a name' });
      for (const k of ['resourceGroupName', 'location'] as const) {
        if (!given(provision[k])) problems.push({ path: `provision.${k}`, message: 'is required: Crossplane creates the account with it' });
      }
      const ad = provision.azureAD as Record<string, any> | undefined;
      if (ad !== undefined) {
        if (provision.workloadIdentity !== true) {
          problems.push({ path: 'provision.azureAD', message: 'is for workloadIdentity: true (an account without shared keys); leave it out otherwise' });
        }
        for (const k of ['principalId', 'subscriptionID']) {
          if (typeof ad[k] !== 'string' || ad[k] === '') problems.push({ path: `provision.azureAD.${k}`, message: `is required, got ${show(ad[k])}` });
        }
        for (const k of ['clientID', 'tenantID']) {
          if (ad.providerConfig !== undefined && (typeof ad.providerConfig?.[k] !== 'string' || ad.providerConfig[k] === '')) {
            problems.push({ path: `provision.azureAD.providerConfig.${k}`, message: `is required to emit the ProviderConfig, got ${show(ad.providerConfig?.[k])}` });
          }
        }
      }
      if (storage.credentials !== undefined) {
        problems.push({ path: 'credentials', message: 'with provision the registry uses the cluster\'s identity: leave credentials out (a key in Git is what this avoids)' });
      }
      problems.push(...collect(() => {
        access = planAzureAccess({
          resourceGroupName: provision.resourceGroupName,
          clusterResourceGroupName: provision.clusterResourceGroupName,
          workloadIdentity: provision.workloadIdentity,
        });
      }).map((p) => ({ ...p, path: `provision.${p.path}` })));
      return problems;
    }));
    if (provision) {
      const intent = azureAccountIntent({
        accountName: storage.accountName, container: storage.container, skuName: provision.skuName, tags: provision.tags, access,
      });
      const made = crossplaneAccount(this, 'Account', intent, provision);
      this.account = made.account;
      this.container = made.container;
      this.providerConfig = made.providerConfig;
      this.roleAssignment = made.roleAssignment;
      // The operator must not look for the account before it exists.
      this.config.addDependency(made.account, made.container);
    }
  }
}

/** Props of {@link AzureRegistryStorage}: the core's Azure props, and how to create the account. */
export interface AzureRegistryStorageProps extends AzureStorageProps {
  /**
   * Create the storage account and container in the cluster, through a controller: `{ controller:
   * 'crossplane', resourceGroupName, location }` emits Crossplane `Account` and `Container`
   * (`storage.azure.upbound.io`, cluster-scoped) hardened like the Pulumi flavour's (StorageV2, HTTPS
   * only, TLS 1.2, no public blob access, a private container; no shared-key access with
   * `workloadIdentity`), orphaned on delete by default. Needs `accountName`, and Crossplane's Azure
   * provider installed. The registry uses the cluster's identity (no user Secret), which reaches
   * only accounts in the cluster's resource group.
   * @default unset: the account exists (or the operator creates one when `accountName` is unset)
   */
  readonly provision?: CrossplaneAccountOptions;
}

/**
 * Image registry storage on OpenStack Swift. `disableRedirect` defaults to true.
 *
 * @example
 * new SwiftRegistryStorage(chart, 'registry', {
 *   container: 'image-registry', authURL: 'https://keystone.example.com:5000/v3',
 *   domain: 'Default', tenant: 'registry', regionName: 'RegionOne',
 * });
 */
export class SwiftRegistryStorage extends RegistryStorage {
  constructor(scope: Construct, id: string, props: SwiftStorageProps = {}) {
    super(scope, id, planSwiftStorage(props));
  }
}

/**
 * Image registry storage on a PersistentVolumeClaim (bare metal, vSphere, OpenStack Cinder),
 * with the optional Cinder StorageClass.
 *
 * @example
 * // OpenStack without Swift: the docs' Cinder StorageClass and RWO claim, 1 replica, Recreate.
 * new PvcRegistryStorage(chart, 'registry', { claim: 'csi-pvc-imageregistry', cinder: { availabilityZone: 'nova' } });
 * // Bare metal with CephFS: HA registry.
 * new PvcRegistryStorage(chart, 'registry', { accessMode: 'ReadWriteMany', replicas: 2, storageClassName: 'ocs-storagecluster-cephfs' });
 */
export class PvcRegistryStorage extends RegistryStorage {
  /**
   * Uses a claim that already exists in `openshift-image-registry`; creates no claim. Give its
   * real `accessMode`, which decides the replica and rollout rules.
   */
  public static fromExistingClaim(scope: Construct, id: string, claim: string, props: Omit<PvcStorageProps, 'claim' | 'useExistingClaim'> = {}): PvcRegistryStorage {
    return new PvcRegistryStorage(scope, id, { ...props, claim, useExistingClaim: true });
  }

  /** The Cinder StorageClass, when `cinder` was given. */
  public readonly storageClass?: k8s.KubeStorageClass;
  /** The claim, when this construct creates it. */
  public readonly claim?: k8s.KubePersistentVolumeClaim;

  constructor(scope: Construct, id: string, props: PvcStorageProps = {}) {
    super(scope, id, planPvcStorage(props));
    for (const manifest of this.plan.objects) {
      if (manifest.kind === 'StorageClass') {
        this.storageClass = this.emit('StorageClass', manifest, (s, i, p) => new k8s.KubeStorageClass(s, i, p));
      } else if (manifest.kind === 'PersistentVolumeClaim') {
        // The L1 types quantities as k8s.Quantity; the plan holds them as strings.
        // Pruning the claim would delete the images with most StorageClasses: keep it, as the Config.
        this.claim = this.emit('Claim', manifest, (s, i, p) => new k8s.KubePersistentVolumeClaim(s, i, {
          ...p,
          metadata: { ...p.metadata, annotations: { ...p.metadata.annotations, ...KEEP_ON_DELETE_ANNOTATIONS } },
          spec: { ...p.spec, resources: { requests: { storage: k8s.Quantity.fromString(p.spec.resources.requests.storage) } } },
        }));
      }
    }
    if (this.claim && this.storageClass) this.claim.addDependency(this.storageClass);
    if (this.claim) this.config.addDependency(this.claim);
  }
}

/**
 * emptyDir registry storage, for labs only: every image is lost when a registry pod restarts.
 *
 * @example
 * new EmptyDirRegistryStorage(chart, 'registry', { acknowledgeNonProduction: true });
 */
export class EmptyDirRegistryStorage extends RegistryStorage {
  constructor(scope: Construct, id: string, props: EmptyDirStorageProps) {
    super(scope, id, planEmptyDirStorage(props));
  }
}
