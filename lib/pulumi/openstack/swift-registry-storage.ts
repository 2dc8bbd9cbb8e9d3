import * as openstack from '@pulumi/openstack';
import * as pulumi from '@pulumi/pulumi';
import { credentialSecretData, RegistryStoragePlan } from '../../core/plan';
import { RegistryConfigProblem } from '../../core/problems';
import {
  planSwiftStorage, SWIFT_SECRET_KEYS, SwiftCredentials, swiftContainerAccessRules, swiftContainerName, SwiftStorageProps, SWIFT_PROP_NAMES,
  SWIFT_ADOPTION, SWIFT_ADOPTED_CLUSTER_ID,
} from '../../platforms/swift';
import { adoptStep, importOptions, pulumiAdoption, PulumiAdoptArgs, PulumiAdoption } from '../adopt';
import {
  argNames,
  child, deferredLeaves, formerly, InputProps, knownView, planOrThrow, PulumiRegistryOptions, RegistryStorageComponent, splitOptions, stackSeed,
  argProblems, knownArgs, BASE_ARG_NAMES, credentialObject, plainArgs,
} from '../common';

/** Args of {@link SwiftRegistryStorage}: the core's Swift props as Pulumi Inputs, plus the Pulumi options. */
export interface SwiftRegistryStorageArgs extends Omit<InputProps<SwiftStorageProps>, 'credentials' | 'adopt'>, PulumiRegistryOptions, PulumiAdoptArgs {
  /**
   * Credentials for the registry.
   * - omitted: a new Keystone application credential, limited by access rules to this container;
   * - an object: a username and password, or an application credential;
   * - `'cluster'`: no Secret; the operator uses the cluster's clouds.yaml.
   *
   * With credentials, `authURL` (and for passwords `domain` and `tenant`) must be set: the operator
   * reads them from the Config, never from the Secret.
   * @default a new application credential scoped to the container
   */
  readonly credentials?: InputProps<SwiftCredentials> | 'cluster';
  /**
   * Create the container. With `false`, name an existing `container`.
   * @default true (named `container`, or `<name>-image-registry-<hash>`, unique per project,
   * stack and name)
   */
  readonly createContainer?: boolean;
  /**
   * Limit a created application credential to this container with access rules (plus `GET /info`
   * and `HEAD /v1/*`, which the registry calls at start). Access rules work only when Swift's
   * keystonemiddleware has `service_type` set; otherwise every request of the credential is
   * refused. Some clouds disable access rules: set `false` there.
   * @default true
   */
  readonly restrictApplicationCredential?: boolean;
}

/** Every arg name of {@link SwiftRegistryStorageArgs}: an arg missing here fails compilation. */
const SWIFT_ARG_NAMES = {
  ...BASE_ARG_NAMES,
  ...argNames(SWIFT_PROP_NAMES),
  createContainer: true,
  restrictApplicationCredential: true,
} as const satisfies Record<keyof SwiftRegistryStorageArgs, true>;

/**
 * The OpenShift image registry on OpenStack Swift, in one deploy graph: the container, an
 * application credential limited to it (or given credentials), the
 * `image-registry-private-configuration-user` Secret with `REGISTRY_STORAGE_SWIFT_*` keys (the
 * operator reads `_USERNAME`, not the `_USER` some docs show), and the server-side-apply patch of
 * `configs.imageregistry.operator.openshift.io/cluster` with `authURL`, `authVersion`,
 * `domain`/`tenant` and `regionName`, and `disableRedirect: true`. The container is kept on
 * `pulumi destroy`.
 *
 * @example
 * new SwiftRegistryStorage('registry', {
 *   container: 'image-registry', authURL: 'https://keystone.example.com:5000/v3', regionName: 'RegionOne',
 * }, { providers: { openstack: openstackProvider, kubernetes: clusterProvider } });
 */
export class SwiftRegistryStorage extends RegistryStorageComponent {
  /** Name of the container. */
  public readonly container: pulumi.Output<string>;
  /** The application credential, when this component created it. */
  public readonly applicationCredential?: openstack.identity.ApplicationCredential;
  /** With `adopt`: what this up imports, and what it leaves as it is. */
  public readonly adoption?: PulumiAdoption;

  constructor(name: string, args: SwiftRegistryStorageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('SwiftRegistryStorage', 'swift', name, opts);
    args = plainArgs(this, 'SwiftRegistryStorage', args);
    const argsProblems = argProblems(args, SWIFT_ARG_NAMES, { booleans: ['createContainer', 'restrictApplicationCredential'], credentialModes: ['cluster'], credentialField: 'password' });
    const { options, rest } = splitOptions(knownArgs(args, SWIFT_ARG_NAMES));
    const { credentials: given, createContainer, restrictApplicationCredential, adopt: adoptArg, ...others } = rest;
    const { adopt, step } = adoptStep(adoptArg, argsProblems);
    const props = { ...others, ...(adopt === undefined ? {} : { adopt }) };
    const create = createContainer ?? true;
    // adopt: the container is imported by its name, which must be a plain string.
    const importing = step !== undefined && create;
    if (importing && typeof props.container !== 'string') {
      argsProblems.push({ path: 'container', message: 'must be a plain string with adopt: it is the ID the container is imported by', code: 'ORS-PULUMI-021' });
    }
    const creds = credentialObject(given);
    const createCredential = given === undefined;
    const containerInput = props.container ?? swiftContainerName(name, stackSeed(name));
    const appCredShape = { applicationCredentialId: '', applicationCredentialName: '', applicationCredentialSecret: '' };

    const extra: RegistryConfigProblem[] = [...argsProblems];
    if (typeof given === 'string' && given !== 'cluster') extra.push({ path: 'credentials', message: `must be 'cluster' or an object of keys (got ${JSON.stringify(given)})`, code: 'ORS-PULUMI-018' });
    if (!create && props.container === undefined) extra.push({ path: 'container', message: 'is required with createContainer: false: name the existing container', code: 'ORS-PULUMI-019' });
    planOrThrow(this, 'SwiftRegistryStorage', planSwiftStorage, {
      ...(knownView({ ...props, container: containerInput }) as SwiftStorageProps),
      credentials: createCredential ? deferredLeaves(appCredShape) : knownView(creds) as SwiftCredentials | undefined,
    }, extra);
    this.checkWhenKnown('SwiftRegistryStorage', planSwiftStorage, { ...props, container: containerInput },
      createCredential ? deferredLeaves(appCredShape) : creds);

    const dependsOn: pulumi.Resource[] = [];
    let containerName: pulumi.Output<string>;
    if (create) {
      // adopt: the operator's container is imported, not created. At `adopt: 'imported'` the
      // operator's mark gets another value, which teardown does not select
      // (SWIFT_ADOPTED_CLUSTER_ID): the provider never reads a container's metadata into the stack,
      // nor removes a key (terraform-provider-openstack `resource_openstack_objectstorage_container_v1.go`).
      // Its importer reads nothing either, so forceDestroy (the provider's own flag, no request)
      // waits for that up too.
      const imported = importing ? { name: `${name}-container`, id: props.container as string, deferred: ['metadata', 'forceDestroy'] } : undefined;
      const marker = imported && step === 'imported' ? swiftMetadataKey(SWIFT_ADOPTION.ownedMarker(String(props.infrastructureName)).key) : undefined;
      const container = new openstack.objectstorage.Container(`${name}-container`, {
        name: containerInput as pulumi.Input<string>,
        region: props.regionName as pulumi.Input<string> | undefined,
        forceDestroy: false,
        ...(marker !== undefined ? { metadata: { [marker]: SWIFT_ADOPTED_CLUSTER_ID } } : {}),
      }, child(this, { retainOnDelete: options.retainOnDelete ?? true, ...(imported ? importOptions(step!, imported) : {}) }));
      if (imported) {
        this.adoption = pulumiAdoption(step!, SWIFT_ADOPTION, String(props.infrastructureName), [imported], (w) => this.warn(args, w), {
          removed: true,
          how: `, and the metadata Openshiftclusterid set to "${SWIFT_ADOPTED_CLUSTER_ID}", which teardown does not select (it takes the containers whose value is the infrastructure name)`,
        });
      }
      containerName = container.name;
      dependsOn.push(container);
    } else {
      containerName = pulumi.output(containerInput as pulumi.Input<string>);
    }

    let secretData: Record<string, pulumi.Input<string>> | undefined;
    if (createCredential) {
      const credential = new openstack.identity.ApplicationCredential(`${name}-application-credential`, {
        description: `OpenShift image registry (${name})`,
        region: props.regionName as pulumi.Input<string> | undefined,
        accessRules: (restrictApplicationCredential ?? true) ? containerName.apply((c) => swiftContainerAccessRules(c)) : undefined,
      }, child(this, { ...formerly(`${name}-registry`), additionalSecretOutputs: ['secret'] }));
      this.applicationCredential = credential;
      dependsOn.push(credential);
      secretData = credentialSecretData(SWIFT_SECRET_KEYS, {
        applicationCredentialId: credential.id, applicationCredentialName: credential.name, applicationCredentialSecret: credential.secret,
      });
    } else if (creds) {
      secretData = credentialSecretData(SWIFT_SECRET_KEYS, { ...creds } as Record<string, pulumi.Input<string>>);
    }

    const shape = creds ? Object.fromEntries(Object.keys(creds).map((k) => [k, ''])) : appCredShape;
    const plan: pulumi.Output<RegistryStoragePlan> = this.planWhenKnown('SwiftRegistryStorage', planSwiftStorage, {
      ...props, container: containerName, credentials: secretData ? deferredLeaves(shape) : undefined,
    });
    this.container = containerName;
    this.deployKubernetes(name, { plan, secretData, dependsOn, options }, { container: containerName });
  }
}

/** The key of a container's metadata in the provider's `metadata`: the header without `X-Container-Meta-`. */
function swiftMetadataKey(header: string): string {
  return header.replace(/^X-Container-Meta-/i, '');
}
