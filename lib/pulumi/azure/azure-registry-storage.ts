import * as storage from '@pulumi/azure-native/storage';
import * as pulumi from '@pulumi/pulumi';
import { credentialSecretData, RegistryStoragePlan } from '../../core/plan';
import { DEFERRED, RegistryConfigProblem } from '../../core/problems';
import {
  AZURE_SECRET_KEYS, AzureAccessProps, azureCloudNameForBlobEndpoint, AzureCredentialMode, AzureCredentials, AzureStorageProps,
  azureStorageAccountName, planAzureAccess, planAzureStorage, azureAccountIntent, DEFAULT_AZURE_CONTAINER, AZURE_SKU_NAMES, AZURE_PROP_NAMES,
  AZURE_ADOPTION, azureAccountTags,
} from '../../platforms/azure';
import { adoptStep, importOptions, pulumiAdoption, PulumiAdoptArgs, PulumiAdoption, PulumiImportedResource } from '../adopt';
import {
  argNames,
  child, ClusterCredentialsReadOptions, collectProblems, deferredLeaves, InputProps, knownView, planOrThrow, PulumiRegistryOptions,
  readClusterResourceTags, RegistryStorageComponent, splitOptions, stackSeed, argProblems, knownArgs, BASE_ARG_NAMES, credentialObject, plainArgs,
} from '../common';

export { DEFAULT_AZURE_CONTAINER } from '../../platforms/azure';

/** Args of {@link AzureRegistryStorage}: the core's Azure props as Pulumi Inputs, plus the Pulumi options. */
export interface AzureRegistryStorageArgs extends Omit<InputProps<AzureStorageProps>, 'credentials' | 'adopt'>, PulumiRegistryOptions, PulumiAdoptArgs {
  /**
   * Resource group of the storage account. Required when the component creates the account; with
   * an existing account it lets the component read the account's cloud (see `cloudName`).
   * @default none
   */
  readonly resourceGroupName?: pulumi.Input<string>;
  /**
   * Azure region of the account.
   * @default the resource group's location
   */
  readonly location?: pulumi.Input<string>;
  /**
   * Storage account SKU.
   * @default 'Standard_LRS'
   */
  readonly skuName?: pulumi.Input<string>;
  /**
   * Create the storage account and the container. With `false`, name an existing `accountName` and
   * `container`.
   * @default true
   */
  readonly createAccount?: boolean;
  /**
   * How the registry authenticates ({@link AzureCredentialMode}):
   * - `'cluster'` (the default): no Secret and no key; the operator uses the cluster's own identity,
   *   whose role is assigned at the cluster's resource group: create the account there
   *   (`clusterResourceGroupName` checks it).
   * - `'account-key'`: the new account's first access key (`listStorageAccountKeys`) in
   *   `REGISTRY_STORAGE_AZURE_ACCOUNTKEY`. A long-lived key: the built-in policy "Storage accounts
   *   should prevent shared key access" denies it, and on Workload Identity clusters the Secret
   *   replaces the short-lived credentials.
   * - `{ accountKey }`: this key.
   * @default 'cluster'
   * @see https://github.com/openshift/cluster-image-registry-operator/blob/master/pkg/storage/azure/azure.go
   */
  readonly credentials?: InputProps<AzureCredentials> | AzureCredentialMode;
  /**
   * The cluster's resource group (`oc get infrastructure cluster -o
   * jsonpath='{.status.platformStatus.azure.resourceGroupName}'`). With the cluster's identity the
   * account must be in it: the component refuses another `resourceGroupName`.
   * @default unset: not checked (a warning says so)
   */
  readonly clusterResourceGroupName?: string;
  /**
   * The cluster uses Azure Workload Identity. With the cluster's identity the operator then turns
   * off the account's shared-key access; the component creates the account that way
   * (`allowSharedKeyAccess: false`) so that the next `pulumi up` does not turn it back on.
   * @default false
   */
  readonly workloadIdentity?: boolean;
  /**
   * Tags for the account.
   * @default none
   */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * The cluster's Azure resource tags ({@link AzureRegistryStorage.clusterResourceTagsFromCluster}
   * reads them): the operator puts them on the account it creates, and the account's `tags` are
   * authoritative, so they are added to them (`azureAccountTags`; `tags` win for the same key). An
   * adopted account keeps them at `adopt: 'imported'` only so. Clusters installed without user tags
   * have none.
   * @default none
   */
  readonly clusterResourceTags?: pulumi.Input<Record<string, string>>;
  /**
   * The subscription of the account, with `adopt`: the account and container are imported by their
   * Azure resource IDs (`/subscriptions/<id>/resourceGroups/...`), which name it
   * (`az account show --query id -o tsv`).
   * @default none (required with adopt)
   */
  readonly subscriptionId?: string;
}

/** Every arg name of {@link AzureRegistryStorageArgs}: an arg missing here fails compilation. */
const AZURE_ARG_NAMES = {
  ...BASE_ARG_NAMES,
  ...argNames(AZURE_PROP_NAMES),
  tags: true,
  clusterResourceTags: true,
  resourceGroupName: true,
  clusterResourceGroupName: true,
  workloadIdentity: true,
  location: true,
  skuName: true,
  createAccount: true,
  subscriptionId: true,
} as const satisfies Record<keyof AzureRegistryStorageArgs, true>;

/** The account's inputs the library sets, which an adopted account takes at `adopt: 'imported'`. */
const AZURE_ACCOUNT_MANAGED: readonly string[] = ['sku', 'enableHttpsTrafficOnly', 'minimumTlsVersion', 'allowBlobPublicAccess', 'allowSharedKeyAccess'];

/**
 * Every input of azure-native's `storage.StorageAccount` (v3 `StorageAccountArgs`) but the names
 * and `kind`: an adopted account keeps those the library does not set as they are, at every up.
 * azure-native reads all of them back on import and reports one the program leaves out as a
 * difference (pulumi-azure-native#794, #2246). `location` is among them: an account never moves.
 */
const AZURE_ACCOUNT_INPUTS: readonly string[] = [
  'accessTier', 'allowBlobPublicAccess', 'allowCrossTenantReplication', 'allowSharedKeyAccess', 'allowedCopyScope',
  'azureFilesIdentityBasedAuthentication', 'customDomain', 'defaultToOAuthAuthentication', 'dnsEndpointType', 'enableExtendedGroups',
  'enableHttpsTrafficOnly', 'encryption', 'extendedLocation', 'identity', 'immutableStorageWithVersioning', 'isHnsEnabled',
  'isLocalUserEnabled', 'isSftpEnabled', 'keyPolicy', 'largeFileSharesState', 'location', 'minimumTlsVersion', 'networkRuleSet',
  'publicNetworkAccess', 'routingPreference', 'sasPolicy', 'sku', 'tags',
];

/** The container's inputs the library does not set (azure-native `storage.BlobContainer`). */
const AZURE_CONTAINER_UNMANAGED: readonly string[] = ['defaultEncryptionScope', 'denyEncryptionScopeOverride', 'immutableStorageWithVersioning', 'metadata'];

/**
 * The OpenShift image registry on Azure Blob Storage, in one deploy graph: a StorageV2 account
 * (Standard_LRS by default, HTTPS only, TLS 1.2 minimum, no public blob access; named
 * `accountName`, or `<name><hex>` unique per project, stack, name and resource group, as Azure
 * allows only lowercase letters and digits), a private container, the account key in the
 * `image-registry-private-configuration-user` Secret, and the server-side-apply patch of
 * `configs.imageregistry.operator.openshift.io/cluster`. Without a `cloudName` prop, `cloudName`
 * comes from the account's blob endpoint, so it follows the provider's environment (`usgovernment`,
 * `china`) on sovereign clouds. The account and container are kept on `pulumi destroy`.
 *
 * @example
 * new AzureRegistryStorage('registry', {
 *   resourceGroupName: 'openshift-prod',
 *   accountName: 'acmeregistry',
 *   cloudName: 'AzureUSGovernmentCloud',
 * }, { providers: { 'azure-native': azureProvider, kubernetes: clusterProvider } });
 */
export class AzureRegistryStorage extends RegistryStorageComponent {
  /**
   * The cluster's Azure resource tags, read from `infrastructures.config.openshift.io/cluster`
   * (`status.platformStatus.azure.resourceTags`), for {@link AzureRegistryStorageArgs.clusterResourceTags}.
   */
  public static clusterResourceTagsFromCluster(options: ClusterCredentialsReadOptions = {}): pulumi.Output<Record<string, string>> {
    return readClusterResourceTags('azure', options);
  }

  /** Name of the storage account. */
  public readonly accountName: pulumi.Output<string>;
  /** Name of the container. */
  public readonly container: pulumi.Output<string>;
  /** The storage account, when this component created it. */
  public readonly account?: storage.StorageAccount;
  /** With `adopt`: what this up imports, and what it leaves as it is. */
  public readonly adoption?: PulumiAdoption;

  constructor(name: string, args: AzureRegistryStorageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('AzureRegistryStorage', 'azure', name, opts);
    args = plainArgs(this, 'AzureRegistryStorage', args);
    const argsProblems = argProblems(args, AZURE_ARG_NAMES, {
      booleans: ['createAccount', 'workloadIdentity'], enums: { skuName: AZURE_SKU_NAMES }, credentialModes: ['cluster', 'account-key'], credentialField: 'accountKey',
    });
    const { options, rest } = splitOptions(knownArgs(args, AZURE_ARG_NAMES));
    const {
      resourceGroupName, location, skuName, createAccount, credentials: given, tags, clusterResourceTags, clusterResourceGroupName, workloadIdentity,
      subscriptionId,
      adopt: adoptArg, ...others
    } = rest;
    const { adopt, step } = adoptStep(adoptArg, argsProblems);
    const props = { ...others, ...(adopt === undefined ? {} : { adopt }) };
    const create = createAccount ?? true;
    // adopt: the account and container are imported by their resource IDs, which must be plain strings.
    const importing = step !== undefined && create;
    if (importing) {
      for (const [path, value] of [['subscriptionId', subscriptionId], ['resourceGroupName', resourceGroupName], ['accountName', props.accountName], ['container', props.container]] as const) {
        if (typeof value !== 'string' || value === '') {
          argsProblems.push({ path, message: 'must be a plain string with adopt: the account and container are imported by resource IDs that name it', code: 'ORS-PULUMI-023' });
        }
      }
    }
    const creds = credentialObject(given);
    const credentials = typeof given === 'string' ? given : creds;

    const extra: RegistryConfigProblem[] = [...argsProblems];
    const access = collectProblems(planAzureAccess, knownView({
      credentials: creds ? deferredLeaves(creds) : credentials, resourceGroupName, clusterResourceGroupName, workloadIdentity,
    }) as AzureAccessProps, extra);
    const useAccountKey = access?.mode === 'account-key';
    if (useAccountKey && !create) extra.push({ path: 'credentials', message: '\'account-key\' reads the key of the account this component creates: with createAccount: false give { accountKey }, or use the cluster\'s identity', code: 'ORS-PULUMI-003' });
    if (access?.mode === 'cluster' && clusterResourceGroupName === undefined) {
      this.warn(props, {
        path: 'clusterResourceGroupName',
        message: 'is unset: the registry uses the cluster\'s identity, which reaches only accounts in the cluster\'s resource group: '
          + 'make sure resourceGroupName is that group, and set clusterResourceGroupName to have it checked',
        code: 'ORS-PULUMI-W003',
      });
    }
    if (create && resourceGroupName === undefined) extra.push({ path: 'resourceGroupName', message: 'is required to create the storage account', code: 'ORS-PULUMI-004' });
    if (!create && (props.accountName === undefined || props.container === undefined)) {
      extra.push({ path: 'accountName', message: 'and container are required with createAccount: false: name the existing account and container', code: 'ORS-PULUMI-005' });
    }
    const known = knownView({
      ...props, container: props.container ?? DEFAULT_AZURE_CONTAINER, accountName: props.accountName ?? (create ? DEFERRED : undefined),
    });
    planOrThrow(this, 'AzureRegistryStorage', planAzureStorage, {
      ...(known as AzureStorageProps),
      credentials: useAccountKey ? deferredLeaves({ accountKey: '' }) : knownView(creds) as AzureCredentials | undefined,
    }, extra);
    this.checkWhenKnown('AzureRegistryStorage', planAzureStorage, {
      ...props, container: props.container ?? DEFAULT_AZURE_CONTAINER, accountName: props.accountName ?? (create ? DEFERRED : undefined),
    }, useAccountKey ? deferredLeaves({ accountKey: '' }) : creds);

    const dependsOn: pulumi.Resource[] = [];
    let accountName: pulumi.Output<string>;
    let containerName: pulumi.Output<string>;
    let secretData: Record<string, pulumi.Input<string>> | undefined;
    let blobEndpoint: pulumi.Output<string | undefined> | undefined;
    if (create) {
      const retain = options.retainOnDelete ?? true;
      // The core's hardened account and container, rendered with @pulumi/azure-native (the cdk8s
      // flavour renders them as Crossplane objects). Pulumi's auto-name (`<name>-<hex>`) has a
      // hyphen, which Azure refuses: make a valid one.
      const intent = azureAccountIntent<pulumi.Input<string>>({
        accountName: (props.accountName as pulumi.Input<string> | undefined)
          ?? pulumi.output(resourceGroupName!).apply((rg) => azureStorageAccountName(name, stackSeed(name, rg))),
        container: props.container as pulumi.Input<string> | undefined,
        skuName,
        access,
      });
      // adopt: the operator's account and container are imported, not created. The first up leaves
      // what the library sets as the storage has it; `adopt: 'imported'` applies it.
      let imports: { account: PulumiImportedResource; container: PulumiImportedResource } | undefined;
      if (importing) {
        const accountId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Storage/storageAccounts/${props.accountName}`;
        const managed = intent.allowSharedKeyAccess === false ? AZURE_ACCOUNT_MANAGED : AZURE_ACCOUNT_MANAGED.filter((p) => p !== 'allowSharedKeyAccess');
        imports = {
          account: {
            name: `${name}-account`,
            id: accountId,
            deferred: ['tags', ...managed],
            unmanaged: AZURE_ACCOUNT_INPUTS.filter((p) => !managed.includes(p) && p !== 'tags'),
          },
          container: {
            name: `${name}-container`,
            id: `${accountId}/blobServices/default/containers/${props.container}`,
            deferred: ['publicAccess'],
            unmanaged: AZURE_CONTAINER_UNMANAGED,
          },
        };
        this.adoption = pulumiAdoption(step!, AZURE_ADOPTION, String(props.infrastructureName), [imports.account, imports.container],
          (w) => this.warn(args, w));
      }
      const accountTags = clusterResourceTags === undefined ? tags
        : pulumi.all([pulumi.output(tags), pulumi.output(clusterResourceTags)]).apply(([t, c]) => azureAccountTags(t, c));
      const account = new storage.StorageAccount(`${name}-account`, {
        accountName: intent.name,
        resourceGroupName: resourceGroupName!,
        location,
        kind: intent.kind,
        sku: { name: intent.skuName },
        enableHttpsTrafficOnly: intent.httpsTrafficOnly,
        minimumTlsVersion: intent.minimumTlsVersion,
        allowBlobPublicAccess: intent.allowBlobPublicAccess,
        ...(intent.allowSharedKeyAccess === false ? { allowSharedKeyAccess: false } : {}),
        // at adopt: 'imported', the whole set, so that the PUT drops the operator's tag
        tags: imports && step === 'imported' ? pulumi.output(accountTags).apply((t) => t ?? {}) : accountTags,
      }, child(this, { retainOnDelete: retain, ...(imports ? importOptions(step!, imports.account) : {}) }));
      this.account = account;
      const container = new storage.BlobContainer(`${name}-container`, {
        accountName: account.name,
        resourceGroupName: resourceGroupName!,
        containerName: intent.container.name,
        publicAccess: intent.container.publicAccess,
      }, child(this, { retainOnDelete: retain, ...(imports ? importOptions(step!, imports.container) : {}) }));
      accountName = account.name;
      containerName = container.name;
      dependsOn.push(account, container);
      if (useAccountKey) {
        const keys = storage.listStorageAccountKeysOutput({ resourceGroupName: resourceGroupName!, accountName: account.name }, { parent: this });
        secretData = credentialSecretData(AZURE_SECRET_KEYS, { accountKey: pulumi.secret(keys.keys.apply((k) => k[0].value)) });
      }
      blobEndpoint = account.primaryEndpoints.apply((e) => e?.blob);
    } else {
      accountName = pulumi.output(props.accountName as pulumi.Input<string>);
      containerName = pulumi.output(props.container as pulumi.Input<string>);
      if (resourceGroupName !== undefined && props.cloudName === undefined) {
        blobEndpoint = storage.getStorageAccountOutput({ accountName, resourceGroupName }, { parent: this }).primaryEndpoints.apply((e) => e?.blob);
      }
    }
    if (creds) secretData = credentialSecretData(AZURE_SECRET_KEYS, { ...creds });

    // The operator talks to the public cloud unless told otherwise when accountName is set: take
    // cloudName from the account's blob endpoint, which follows the provider's environment.
    const cloudName = props.cloudName ?? blobEndpoint?.apply(azureCloudNameForBlobEndpoint);
    const plan: pulumi.Output<RegistryStoragePlan> = this.planWhenKnown('AzureRegistryStorage', planAzureStorage, {
      ...props, accountName, container: containerName, cloudName, credentials: secretData ? deferredLeaves({ accountKey: '' }) : undefined,
    });
    this.accountName = accountName;
    this.container = containerName;
    this.deployKubernetes(name, { plan, secretData, dependsOn, options }, { accountName, container: containerName });
  }
}
