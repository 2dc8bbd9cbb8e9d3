import * as gcp from '@pulumi/gcp';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_CREDENTIALS_SECRET, REGISTRY_NAMESPACE } from '../../core/constants';
import { credentialSecretData, RegistryStoragePlan } from '../../core/plan';
import { DEFERRED, RegistryConfigProblem } from '../../core/problems';
import {
  GCS_CMEK_ROLE, GCS_REGISTRY_BUCKET_ROLES, gcsBucketIntent, GCS_SECRET_KEYS, GcsAccessProps, GcsCredentialMode, GcsCredentials, GcsStorageProps,
  gcpServiceAccountId, planGcsAccess, planGcsStorage, registryServiceAccountFromCredentials, GCS_PROP_NAMES, gcsBucketCreationProblems,
  GCS_ADOPTION,
} from '../../platforms/gcs';
import { adoptStep, importOptions, pulumiAdoption, PulumiAdoptArgs, PulumiAdoption } from '../adopt';
import {
  argNames,
  child, ClusterCredentialsReadOptions, collectProblems, deferredLeaves, formerly, InputProps, knownView, planOrThrow,
  PulumiRegistryOptions, RegistryStorageComponent, splitOptions, stackSeed, argProblems, knownArgs, BASE_ARG_NAMES, credentialObject, plainArgs,
} from '../common';

/** Args of {@link GcsRegistryStorage}: the core's GCS props as Pulumi Inputs, plus the Pulumi options. */
export interface GcsRegistryStorageArgs extends Omit<InputProps<GcsStorageProps>, 'credentials' | 'adopt'>, PulumiRegistryOptions, PulumiAdoptArgs {
  /**
   * How the registry authenticates ({@link GcsCredentialMode}):
   * - `'cluster'` (the default): no Secret and no key; the registry uses the cluster's own service
   *   account, which may use buckets in the cluster's project. For a bucket in another project, give
   *   `registryServiceAccount`: the component binds it on this bucket.
   * - `'service-account-key'`: a service account with {@link GCS_REGISTRY_BUCKET_ROLES} bound on this
   *   bucket only (ID `<name>-registry-<hash>`), and a long-lived key for it in
   *   `REGISTRY_STORAGE_GCS_KEYFILE`. Refused where the organisation policy
   *   `iam.disableServiceAccountKeyCreation` is enforced (the default for organisations created since
   *   2024-05-03); on Workload Identity Federation clusters the Secret replaces the short-lived
   *   credentials.
   * - `{ keyfile }`: this key file.
   * @default 'cluster'
   * @see https://cloud.google.com/resource-manager/docs/secure-by-default-organizations
   */
  readonly credentials?: InputProps<GcsCredentials> | GcsCredentialMode;
  /**
   * Email of the service account the registry uses with the cluster's credentials
   * ({@link GcsRegistryStorage.registryServiceAccountFromCluster} reads it). In `'cluster'` mode the
   * component binds {@link GCS_REGISTRY_BUCKET_ROLES} for it on this bucket: needed when the bucket is
   * in another project than the cluster's (ccoctl grants the cluster's service account at project
   * level only).
   * @default unset: no binding (a bucket in the cluster's project)
   */
  readonly registryServiceAccount?: pulumi.Input<string>;
  /**
   * Create the bucket. With `false`, name an existing `bucket`.
   * @default true
   */
  readonly createBucket?: boolean;
  /**
   * Grant the project's GCS service agent encrypt/decrypt on `keyID`, which CMEK needs.
   * @default true when keyID is set
   */
  readonly grantKmsToServiceAgent?: boolean;
  /**
   * Labels for the bucket.
   * @default none
   */
  readonly labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Every arg name of {@link GcsRegistryStorageArgs}: an arg missing here fails compilation. */
const GCS_ARG_NAMES = {
  ...BASE_ARG_NAMES,
  ...argNames(GCS_PROP_NAMES),
  labels: true,
  registryServiceAccount: true,
  createBucket: true,
  grantKmsToServiceAgent: true,
} as const satisfies Record<keyof GcsRegistryStorageArgs, true>;

/**
 * The OpenShift image registry on Google Cloud Storage, in one deploy graph: a regional bucket with
 * uniform bucket-level access, public access prevention `enforced` and optional CMEK, a service
 * account bound on that bucket only, its key in the `image-registry-private-configuration-user`
 * Secret, and the server-side-apply patch of `configs.imageregistry.operator.openshift.io/cluster`.
 * The bucket is kept on `pulumi destroy`.
 *
 * @example
 * new GcsRegistryStorage('registry', {
 *   region: 'us-east1', projectID: 'acme-prod',
 *   keyID: 'projects/acme-prod/locations/us-east1/keyRings/registry/cryptoKeys/registry',
 * }, { providers: { gcp: gcpProvider, kubernetes: clusterProvider } });
 */
export class GcsRegistryStorage extends RegistryStorageComponent {
  /**
   * The service account the registry uses, read from the cluster's
   * `openshift-image-registry/installer-cloud-credentials` Secret (`service_account.json`: the
   * account `service_account_impersonation_url` names on Workload Identity Federation clusters, or
   * `client_email`). An email is not secret: the Output is not either.
   */
  public static registryServiceAccountFromCluster(options: ClusterCredentialsReadOptions = {}): pulumi.Output<string> {
    const secret = k8s.core.v1.Secret.get(options.name ?? CLUSTER_CREDENTIALS_SECRET, `${REGISTRY_NAMESPACE}/${CLUSTER_CREDENTIALS_SECRET}`,
      { provider: options.provider, parent: options.parent });
    return pulumi.unsecret(secret.data.apply((d) => registryServiceAccountFromCredentials(Buffer.from(d?.['service_account.json'] ?? '', 'base64').toString('utf8'))));
  }

  /** Name of the bucket the registry uses. */
  public readonly bucket: pulumi.Output<string>;
  /** The bucket, when this component created it. */
  public readonly bucketResource?: gcp.storage.Bucket;
  /** The service account, when this component created it. */
  public readonly serviceAccount?: gcp.serviceaccount.Account;
  /** With `adopt`: what this up imports, and what it leaves as it is. */
  public readonly adoption?: PulumiAdoption;

  constructor(name: string, args: GcsRegistryStorageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('GcsRegistryStorage', 'gcs', name, opts);
    args = plainArgs(this, 'GcsRegistryStorage', args);
    const argsProblems = argProblems(args, GCS_ARG_NAMES, {
      booleans: ['createBucket', 'grantKmsToServiceAgent'], credentialModes: ['cluster', 'service-account-key'], credentialField: 'keyfile',
    });
    const { options, rest } = splitOptions(knownArgs(args, GCS_ARG_NAMES));
    const { credentials: given, createBucket, grantKmsToServiceAgent, labels, registryServiceAccount, adopt: adoptArg, ...others } = rest;
    const { adopt, step } = adoptStep(adoptArg, argsProblems);
    const storage = { ...others, ...(adopt === undefined ? {} : { adopt }) };
    const creds = credentialObject(given);
    const credentials = typeof given === 'string' ? given : creds;
    const create = createBucket ?? true;
    // adopt: the bucket is imported by its name, which must be a plain string.
    const importing = step !== undefined && create;
    if (importing && typeof storage.bucket !== 'string') {
      argsProblems.push({ path: 'bucket', message: 'must be a plain string with adopt: it is the ID the bucket is imported by', code: 'ORS-PULUMI-021' });
    }

    const extra: RegistryConfigProblem[] = [...argsProblems];
    const accessProps = knownView({ credentials: creds ? deferredLeaves(creds) : credentials, registryServiceAccount }) as GcsAccessProps;
    const access = collectProblems(planGcsAccess, accessProps, extra);
    const createAccount = access?.mode === 'service-account-key';
    if (createAccount && !create) {
      extra.push({
        path: 'credentials',
        message: '\'service-account-key\' binds the account on the bucket this component creates: with createBucket: false give { keyfile }, '
          + 'or use the cluster\'s identity',
        code: 'ORS-PULUMI-015',
      });
    }
    if (create) extra.push(...gcsBucketCreationProblems(storage));
    if (!create && storage.bucket === undefined) extra.push({ path: 'bucket', message: 'is required with createBucket: false: name the existing bucket', code: 'ORS-PULUMI-016' });
    planOrThrow(this, 'GcsRegistryStorage', planGcsStorage, knownView({
      ...storage, projectID: storage.projectID ?? DEFERRED, credentials: createAccount ? undefined : creds,
    }) as GcsStorageProps, extra);
    // The project defaults to the provider's: the operator fills it only when region is empty too.
    const projectID = storage.projectID ?? gcp.organizations.getClientConfigOutput({ parent: this }).project;
    this.checkWhenKnown('GcsRegistryStorage', planGcsStorage, { ...storage, projectID }, createAccount ? undefined : creds);

    const dependsOn: pulumi.Resource[] = [];
    // Kept with the bucket: after `pulumi destroy` the registry goes on using it, so the service
    // agent's use of its key (without which Cloud Storage can neither write nor read the CMEK bucket)
    // and the cluster's service account's bindings must not go. Bindings of a service account this
    // component created go with the account. Adopted, they are kept whatever retainOnDelete says:
    // the key's use predates this stack, and the imported bucket is kept.
    const retain = (options.retainOnDelete ?? true) || importing;
    let bucketName: pulumi.Output<string>;
    if (create) {
      const kmsGrant = storage.keyID !== undefined && (grantKmsToServiceAgent ?? true)
        ? new gcp.kms.CryptoKeyIAMMember(`${name}-cmek`, {
          cryptoKeyId: storage.keyID as pulumi.Input<string>,
          role: GCS_CMEK_ROLE,
          member: pulumi.interpolate`serviceAccount:${gcp.storage.getProjectServiceAccountOutput({ project: projectID }, { parent: this }).emailAddress}`,
        }, child(this, { retainOnDelete: retain }))
        : undefined;
      // The core's hardened bucket, rendered with @pulumi/gcp (the cdk8s flavour renders it as a Config Connector StorageBucket).
      const intent = gcsBucketIntent<pulumi.Input<string>>({
        bucket: storage.bucket as pulumi.Input<string> | undefined,
        region: storage.region as pulumi.Input<string>,
        keyID: storage.keyID as pulumi.Input<string> | undefined,
      });
      // adopt: the operator's bucket is imported, not created. The first up leaves what the library
      // sets as the bucket has it; `adopt: 'imported'` applies it. The operator's label stays:
      // pulumi-gcp's labels manage only the keys in the program, and an imported bucket's labels are
      // none of them (terraform-provider-google `tpgresource/labels.go`); GCP teardown goes by the
      // bucket's name anyway.
      const imported = importing ? {
        name: `${name}-bucket`,
        id: storage.bucket as string,
        deferred: ['uniformBucketLevelAccess', 'publicAccessPrevention', 'encryption', 'lifecycleRules', 'labels'],
        // a bucket never moves: a location that differs (ForceNew) must not replace the registry's bucket
        unmanaged: ['location'],
      } : undefined;
      const bucket = new gcp.storage.Bucket(`${name}-bucket`, {
        name: intent.name,
        location: intent.location,
        project: projectID,
        uniformBucketLevelAccess: intent.uniformBucketLevelAccess,
        publicAccessPrevention: intent.publicAccessPrevention,
        encryption: intent.defaultKmsKeyName !== undefined ? { defaultKmsKeyName: intent.defaultKmsKeyName } : undefined,
        lifecycleRules: [{ action: { type: intent.lifecycleRule.action }, condition: { age: intent.lifecycleRule.ageDays } }],
        labels,
        forceDestroy: false,
      }, child(this, {
        retainOnDelete: retain, dependsOn: kmsGrant ? [kmsGrant] : [], ...(imported ? importOptions(step!, imported) : {}),
      }));
      if (imported) {
        this.adoption = pulumiAdoption(step!, GCS_ADOPTION, String(storage.infrastructureName), [imported], (w) => this.warn(args, w), {
          removed: false,
          how: '; the label stays (pulumi-gcp\'s labels manage only the keys in the program, never a label an imported bucket had; '
            + 'on GCP, teardown deletes the bucket by its name whatever its labels)',
        });
      }
      this.bucketResource = bucket;
      bucketName = bucket.name;
      dependsOn.push(bucket);
    } else {
      bucketName = pulumi.output(storage.bucket as pulumi.Input<string>);
    }

    let secretData: Record<string, pulumi.Input<string>> | undefined;
    if (createAccount) {
      const account = new gcp.serviceaccount.Account(`${name}-service-account`, {
        accountId: gcpServiceAccountId(name, stackSeed(name)),
        displayName: `OpenShift image registry (${name})`,
        project: projectID,
      }, child(this, formerly(`${name}-registry`)));
      this.serviceAccount = account;
      for (const role of GCS_REGISTRY_BUCKET_ROLES) {
        dependsOn.push(new gcp.storage.BucketIAMMember(`${name}-${role.split('/')[1].toLowerCase()}`, {
          bucket: bucketName, role, member: pulumi.interpolate`serviceAccount:${account.email}`,
        }, child(this)));
      }
      const key = new gcp.serviceaccount.Key(`${name}-key`, { serviceAccountId: account.name }, child(this, { ...formerly(`${name}-registry`), additionalSecretOutputs: ['privateKey'] }));
      dependsOn.push(key);
      secretData = credentialSecretData(GCS_SECRET_KEYS, { keyfile: pulumi.secret(key.privateKey.apply((k) => Buffer.from(k, 'base64').toString('utf8'))) });
    }
    if (creds) secretData = credentialSecretData(GCS_SECRET_KEYS, { ...creds });
    if (access && access.bucketMembers.length > 0) {
      // The cluster's service account, on this bucket (one in another project than the cluster's).
      for (const role of GCS_REGISTRY_BUCKET_ROLES) {
        dependsOn.push(new gcp.storage.BucketIAMMember(`${name}-cluster-${role.split('/')[1].toLowerCase()}`, {
          bucket: bucketName, role, member: pulumi.interpolate`serviceAccount:${registryServiceAccount}`,
        }, child(this, { retainOnDelete: retain })));
      }
    }

    const plan: pulumi.Output<RegistryStoragePlan> = this.planWhenKnown('GcsRegistryStorage', planGcsStorage, {
      ...storage, projectID, bucket: bucketName, credentials: secretData ? deferredLeaves({ keyfile: '' }) : undefined,
    });
    this.bucket = bucketName;
    this.deployKubernetes(name, { plan, secretData, dependsOn, options }, { bucket: this.bucket });
  }
}
