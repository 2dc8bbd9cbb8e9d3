/**
 * A fleet inventory: many clusters, each with its platform and one registry storage, plus fleet-wide
 * defaults. {@link planFleet} validates the inventory as a whole (every problem named by cluster and
 * prop) and resolves each cluster's props and core plan; the cdk8s fleet outputs (ACM policies,
 * Argo CD directories) and the CLI's `fleet` commands adapt the result. No credential is ever in
 * an inventory: a cluster uses its own cloud identity (`credentials: cluster`) or keys that a hub
 * Secret holds (`credentials: hub-secret`, read by ACM hub templates).
 */
import { expansionProblem, inputSizeProblem } from '../core/bounded-input';
import { closest } from '../core/names';
import { checkPropsShape, COMMON_PROP_NAMES, RegistryCommonProps, RegistryStoragePlan } from '../core/plan';
import { clip, RegistryConfigProblem, RegistryStorageValidationError, show } from '../core/problems';
import { fleetPropNames, storageKind, STORAGE_KINDS } from '../platforms/kinds';
import { provisionProblems } from '../platforms/provision';

/** The cluster's infrastructure platform (`Infrastructure.status.platformStatus.type`, lower-cased). */
export type FleetPlatform = 'aws' | 'gcp' | 'azure' | 'openstack' | 'ibmcloud' | 'powervs' | 'vsphere' | 'baremetal' | 'none';
/** Every {@link FleetPlatform}. */
export const FLEET_PLATFORMS: readonly FleetPlatform[] = ['aws', 'gcp', 'azure', 'openstack', 'ibmcloud', 'powervs', 'vsphere', 'baremetal', 'none'];

/**
 * Where the registry's storage credentials come from:
 * - `cluster`: the cluster's own cloud identity (the operator's `installer-cloud-credentials`);
 *   no Secret. Only on the storage's own cloud (S3 on AWS, GCS on GCP, Azure on Azure, Swift on
 *   OpenStack), and not for ObjectBucketClaims, whose keys the claim's Job copies in the cluster.
 * - `hub-secret`: the operator's keys (`REGISTRY_STORAGE_S3_ACCESSKEY`...) from a Secret on the ACM
 *   hub, one per cluster, copied by hub templates; no key is in Git. Argo CD output leaves the user
 *   Secret to you (External Secrets, Sealed Secrets) and lists the keys it needs.
 */
export type FleetCredentials = 'cluster' | 'hub-secret';

/** The storage kinds of an inventory; `objectBucketClaim` is S3 through an OpenShift Data Foundation claim. */
export type FleetStorageKind = 's3' | 'gcs' | 'azure' | 'swift' | 'ibmcos' | 'pvc' | 'emptyDir' | 'objectBucketClaim';
/** Every {@link FleetStorageKind}: the kinds the library knows (`STORAGE_KINDS`). */
export const FLEET_STORAGE_KINDS: readonly FleetStorageKind[] = STORAGE_KINDS.map((k) => k.name as FleetStorageKind);

/**
 * Props an inventory may set per storage kind: the platform props without `credentials` and the
 * common props, plus the cdk8s constructs' `provision` where a controller can create the storage.
 * The names are the props of `S3RegistryStorage`, `GcsRegistryStorage`... (see their docs), read
 * from each kind's prop names, so a prop added to a platform is one here too.
 */
export const FLEET_STORAGE_PROPS: Readonly<Record<FleetStorageKind, readonly string[]>> = Object.fromEntries(
  STORAGE_KINDS.map((k) => [k.name, fleetPropNames(k)]),
) as unknown as Record<FleetStorageKind, readonly string[]>;

/** Common props a fleet does not take: each names one cluster's storage or history. */
const PER_CLUSTER_PROPS: readonly string[] = ['migrateFrom', 'migration', 'adopt', 'infrastructureName'];

/**
 * Props every storage kind takes (`RegistryCommonProps`), less the move of the images
 * (`migrateFrom`, `migration`): it is per cluster, and a fleet does not order its steps.
 */
export const FLEET_COMMON_PROPS: readonly (keyof RegistryCommonProps)[] = (Object.keys(COMMON_PROP_NAMES) as (keyof RegistryCommonProps)[])
  .filter((k) => !PER_CLUSTER_PROPS.includes(k));

/** One storage block of an inventory: exactly one kind, with its props. */
export type FleetStorage = { readonly [K in FleetStorageKind]?: Readonly<Record<string, unknown>> };

/** One cluster of the fleet. */
export interface FleetCluster {
  /** The cluster's name: its ACM `ManagedCluster` name, its Argo CD cluster name and its folder. */
  readonly name: string;
  /** Its infrastructure platform. */
  readonly platform: FleetPlatform;
  /** Its region: the default of `s3.region` and `gcs.region`. @default unset */
  readonly region?: string;
  /** Where its storage credentials come from. @default the fleet default, else 'cluster' */
  readonly credentials?: FleetCredentials;
  /** With `hub-secret`: the hub Secret holding its keys. @default '<name>-registry-storage' */
  readonly hubSecretName?: string;
  /** With `hub-secret` and Swift: which keys the hub Secret holds. @default 'application-credential' */
  readonly swiftCredentialType?: 'application-credential' | 'password';
  /** Exactly one storage kind with its props; they override `defaults.storage` of that kind. */
  readonly storage: FleetStorage;
  /** Props of every storage kind (replicas, disableRedirect...); they override `defaults.common`. */
  readonly common?: RegistryCommonProps;
  /**
   * Clusters that use the same bucket, container or account on purpose (a warm standby with
   * `managementState`-level care). Two clusters on one storage are an error unless each names
   * the other here: two registries pruning one bucket delete each other's images.
   * @default none
   */
  readonly sharesStorageWith?: readonly string[];
}

/** Fleet-wide defaults. */
export interface FleetDefaults {
  /** @default 'cluster' */
  readonly credentials?: FleetCredentials;
  /** Props of every cluster's storage. @default none */
  readonly common?: RegistryCommonProps;
  /** Props per storage kind, under each cluster's own. @default none */
  readonly storage?: FleetStorage;
}

/** A fleet inventory, as written in YAML. */
export interface FleetInventory {
  readonly defaults?: FleetDefaults;
  readonly clusters: readonly FleetCluster[];
}

/** One cluster, resolved: the props its construct takes, and the core plan (placeholders for hub keys). */
export interface FleetClusterPlan {
  readonly name: string;
  readonly platform: FleetPlatform;
  readonly kind: FleetStorageKind;
  readonly credentials: FleetCredentials;
  /**
   * The props the plan was made with: defaults, common props and the cluster's own, merged; with
   * `hub-secret`, `credentials` of {@link HUB_SECRET_PLACEHOLDER} values (never a real key). For
   * `objectBucketClaim`, the ObjectBucketClaim plan's props (the cdk8s flavour maps them onto
   * `S3RegistryStorage` with `provision`).
   */
  readonly props: Readonly<Record<string, unknown>>;
  /** With `hub-secret`: the hub Secret and the operator's keys it must hold. */
  readonly hubSecret?: { readonly name: string; readonly keys: readonly string[] };
  /** The core plan; its Secret (with `hub-secret`) holds {@link HUB_SECRET_PLACEHOLDER} values. */
  readonly plan: RegistryStoragePlan;
  /** What identifies the storage for the sharing rule (kind, endpoint, name), or undefined when per cluster. */
  readonly storageIdentity?: string;
}

/** The fleet, validated and resolved, clusters sorted by name. */
export interface FleetPlan {
  readonly clusters: readonly FleetClusterPlan[];
  /** Warnings of every cluster's plan, named by cluster. */
  readonly warnings: readonly RegistryConfigProblem[];
}

/** The value of every hub-templated key in a cluster's plan; the outputs replace it. */
export const HUB_SECRET_PLACEHOLDER = 'from-the-hub-secret';

/** The inventory is wrong; every problem names the cluster (`clusters.<name>`) and the prop. */
export class FleetInventoryError extends RegistryStorageValidationError {
  public constructor(problems: readonly RegistryConfigProblem[]) {
    super('fleet inventory', problems);
    this.name = 'FleetInventoryError';
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CLUSTER_KEYS = ['name', 'platform', 'region', 'credentials', 'hubSecretName', 'swiftCredentialType', 'storage', 'common', 'sharesStorageWith'];


/** Reads a YAML (or JSON) inventory and returns {@link planFleet} of it. */
export function loadFleetInventory(text: string): FleetPlan {
  // Loaded on first use: importing the package (or its cdk8s flavour) must not pay for a YAML parser.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsyaml: typeof import('js-yaml') = require('js-yaml');
  const tooLarge = typeof text === 'string' ? inputSizeProblem(text, 'the inventory') : 'the inventory must be YAML text';
  if (tooLarge) throw new FleetInventoryError([{ path: '(yaml)', message: tooLarge, code: 'ORS-FLEET-001' }]);
  let doc: unknown;
  try {
    doc = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
  } catch (e) {
    throw new FleetInventoryError([{ path: '(yaml)', message: clip(String((e as Error).message).split('\n')[0]), code: 'ORS-FLEET-002' }]);
  }
  const bomb = expansionProblem(doc, 'the inventory');
  if (bomb) throw new FleetInventoryError([{ path: '(yaml)', message: bomb, code: 'ORS-FLEET-003' }]);
  return planFleet(doc as FleetInventory);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates an inventory as a whole and resolves every cluster. Throws one
 * {@link FleetInventoryError} with every problem: unknown or misspelt keys, names, platforms,
 * storage kinds (exactly one per cluster), credentials the platform cannot give, clusters sharing
 * one storage without saying so, and each cluster's own storage rules (the platforms' plans).
 */
export function planFleet(inventory: FleetInventory): FleetPlan {
  const problems: RegistryConfigProblem[] = [];
  // Every path and message bounded: a name or key can be megabytes long.
  const add = (path: string, message: string, code: string) => problems.push({ path: clip(path, 300), message: clip(message, 1000), code });
  if (!isMap(inventory)) throw new FleetInventoryError([{ path: '(inventory)', message: `must be a map with clusters (and defaults), got ${show(inventory)}`, code: 'ORS-FLEET-004' }]);
  // A plain-data copy, read once: a Proxy, a throwing getter, deep nesting or a shared object
  // reached millions of times give one problem (1,000,000 values: a fleet of thousands of clusters).
  try {
    inventory = checkPropsShape('fleet inventory', inventory, undefined, { maxValues: 1_000_000 });
  } catch (e) {
    if (e instanceof RegistryStorageValidationError) throw new FleetInventoryError(e.problems.map((p) => ({ ...p, path: p.path === '(props)' ? '(inventory)' : p.path })));
    throw e;
  }
  for (const k of Object.keys(inventory)) if (!['defaults', 'clusters'].includes(k)) add(clip(k, 60), 'is not an inventory key: use defaults and clusters', 'ORS-FLEET-005');
  const defaults = (inventory.defaults ?? {}) as FleetDefaults;
  if (!isMap(defaults)) {add('defaults', `must be a map, got ${show(defaults)}`, 'ORS-FLEET-006');} else {
    for (const k of Object.keys(defaults)) if (!['credentials', 'common', 'storage'].includes(k)) add(`defaults.${clip(k, 60)}`, 'is not a defaults key: use credentials, common and storage', 'ORS-FLEET-007');
    if (defaults.credentials !== undefined && !(['cluster', 'hub-secret'] as unknown[]).includes(defaults.credentials)) add('defaults.credentials', `must be cluster or hub-secret, got ${show(defaults.credentials)}`, 'ORS-FLEET-008');
    checkCommon(defaults.common, 'defaults.common', add);
    if (defaults.storage !== undefined) {
      if (!isMap(defaults.storage)) add('defaults.storage', `must be a map of storage kinds, got ${show(defaults.storage)}`, 'ORS-FLEET-009');
      else for (const [kind, props] of Object.entries(defaults.storage)) checkStorageProps(kind, props, `defaults.storage.${clip(kind, 60)}`, add);
    }
  }
  const clusters = inventory.clusters;
  if (!Array.isArray(clusters) || clusters.length === 0) {
    add('clusters', 'must be a non-empty list of clusters', 'ORS-FLEET-010');
    throw new FleetInventoryError(problems);
  }

  const seen = new Map<string, number>();
  const resolved: FleetClusterPlan[] = [];
  const warnings: RegistryConfigProblem[] = [];
  clusters.forEach((raw, i) => {
    const c = raw as any;
    // By name where the name reads as one (even a wrong one, Prod_1); by index otherwise (a
    // megabyte of text, dots or newlines in a name would make an unreadable path).
    const where = typeof c?.name === 'string' && /^[A-Za-z0-9_-]{1,63}$/.test(c.name) ? `clusters.${c.name}` : `clusters[${i}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      add(where, `must be a map with name, platform and storage, got ${show(c)}`, 'ORS-FLEET-011');
      return;
    }
    for (const k of Object.keys(c)) {
      if (!CLUSTER_KEYS.includes(k)) {
        const near = closest(k, CLUSTER_KEYS);
        add(`${where}.${clip(k, 60)}`, `is not a cluster key${near ? `; did you mean ${near}?` : ''} (keys: ${CLUSTER_KEYS.join(', ')})`, 'ORS-FLEET-012');
      }
    }
    if (typeof c.name !== 'string' || !NAME.test(c.name) || c.name.length > 63) {
      add(`${where}.name`, `must be the ManagedCluster name (lowercase letters, digits and hyphens, at most 63), got ${show(c.name)}`, 'ORS-FLEET-013');
    } else if (seen.has(c.name)) {
      add(`${where}.name`, `is also the name of clusters[${seen.get(c.name)}]: each cluster once`, 'ORS-FLEET-014');
    } else {
      seen.set(c.name, i);
    }
    if (!FLEET_PLATFORMS.includes(c.platform)) add(`${where}.platform`, `must be one of ${FLEET_PLATFORMS.join(', ')}, got ${show(c.platform)}`, 'ORS-FLEET-015');
    if (c.region !== undefined && (typeof c.region !== 'string' || c.region === '')) add(`${where}.region`, `must be a region name, got ${show(c.region)}`, 'ORS-FLEET-016');
    const credentials = c.credentials ?? defaults.credentials ?? 'cluster';
    if (!['cluster', 'hub-secret'].includes(credentials)) add(`${where}.credentials`, `must be cluster or hub-secret, got ${show(credentials)}`, 'ORS-FLEET-017');
    if (c.hubSecretName !== undefined && (typeof c.hubSecretName !== 'string' || !NAME.test(c.hubSecretName))) {
      add(`${where}.hubSecretName`, `must be a Secret name, got ${show(c.hubSecretName)}`, 'ORS-FLEET-018');
    }
    if (c.swiftCredentialType !== undefined && !['application-credential', 'password'].includes(c.swiftCredentialType)) {
      add(`${where}.swiftCredentialType`, `must be application-credential or password, got ${show(c.swiftCredentialType)}`, 'ORS-FLEET-019');
    }
    checkCommon(c.common, `${where}.common`, add);
    if (c.sharesStorageWith !== undefined && (!Array.isArray(c.sharesStorageWith) || c.sharesStorageWith.some((n: unknown) => typeof n !== 'string'))) {
      add(`${where}.sharesStorageWith`, 'must be a list of cluster names', 'ORS-FLEET-020');
    }
    const kinds = isMap(c.storage) ? Object.keys(c.storage) : [];
    if (!isMap(c.storage) || kinds.length !== 1) {
      add(`${where}.storage`, `must hold exactly one of ${FLEET_STORAGE_KINDS.join(', ')}, got ${isMap(c.storage) ? (kinds.join(', ') || 'none') : show(c.storage)}`, 'ORS-FLEET-021');
      return;
    }
    const kind = kinds[0] as FleetStorageKind;
    if (!checkStorageProps(kind, c.storage[kind], `${where}.storage.${kind}`, add)) return;
    const plan = resolveCluster(c as FleetCluster, kind, credentials as FleetCredentials, defaults, where, add);
    if (plan) {
      resolved.push(plan);
      for (const w of plan.plan.warnings) warnings.push({ path: `${where}.storage.${kind}.${w.path}`, message: w.message, code: w.code });
    }
  });

  // Two clusters on one bucket, container or account: an error unless each names the other.
  const byStorage = new Map<string, FleetClusterPlan[]>();
  for (const r of resolved) if (r.storageIdentity) byStorage.set(r.storageIdentity, [...(byStorage.get(r.storageIdentity) ?? []), r]);
  for (const [identity, sharing] of byStorage) {
    if (sharing.length < 2) continue;
    for (const r of sharing) {
      const declared = new Set((clusters.find((c) => c.name === r.name)?.sharesStorageWith ?? []) as string[]);
      const undeclared = sharing.filter((o) => o !== r && !declared.has(o.name)).map((o) => o.name);
      if (undeclared.length > 0) {
        add(`clusters.${r.name}.storage.${r.kind}`, `uses the same storage as ${undeclared.join(', ')} (${identity}): two registries on one storage prune each other's `
          + 'images. Give each cluster its own, or list them in sharesStorageWith on every cluster that shares it', 'ORS-FLEET-022');
      }
    }
  }
  if (problems.length > 0) throw new FleetInventoryError(problems);
  return { clusters: resolved.sort((a, b) => a.name.localeCompare(b.name)), warnings };
}

function checkCommon(common: unknown, where: string, add: (p: string, m: string, code: string) => void): void {
  if (common === undefined) return;
  if (!isMap(common)) {
    add(where, `must be a map of ${FLEET_COMMON_PROPS.join(', ')}, got ${show(common)}`, 'ORS-FLEET-023');
    return;
  }
  for (const k of Object.keys(common)) {
    if ((FLEET_COMMON_PROPS as readonly string[]).includes(k)) continue;
    add(`${where}.${clip(k, 60)}`, PER_CLUSTER_PROPS.includes(k)
      ? 'is per cluster: move or adopt a cluster\'s storage with its own component or construct (docs/migration.md, docs/adopting.md)'
      : `is not a common prop (props: ${FLEET_COMMON_PROPS.join(', ')})`, 'ORS-FLEET-024');
  }
}

function checkStorageProps(kind: string, props: unknown, where: string, add: (p: string, m: string, code: string) => void): boolean {
  if (!(FLEET_STORAGE_KINDS as readonly string[]).includes(kind)) {
    add(where, `is not a storage kind: use one of ${FLEET_STORAGE_KINDS.join(', ')}`, 'ORS-FLEET-025');
    return false;
  }
  if (props === null || props === undefined) return true;
  if (!isMap(props)) {
    add(where, `must be a map of ${kind} props, got ${show(props)}`, 'ORS-FLEET-026');
    return false;
  }
  const allowed: readonly string[] = FLEET_STORAGE_PROPS[kind as FleetStorageKind];
  let ok = true;
  for (const k of Object.keys(props)) {
    if (k === 'credentials') {
      add(`${where}.credentials`, 'never in an inventory: use credentials: cluster, or hub-secret with the keys in a Secret on the hub', 'ORS-FLEET-027');
      ok = false;
    } else if (!allowed.includes(k) && !(FLEET_COMMON_PROPS as readonly string[]).includes(k)) {
      const near = closest(k, allowed);
      add(`${where}.${k}`, `is not a ${kind} prop${near ? `; did you mean ${near}?` : ''} (props: ${allowed.join(', ')}; common props go under common)`, 'ORS-FLEET-028');
      ok = false;
    }
  }
  return ok;
}

function resolveCluster(
  c: FleetCluster, kind: FleetStorageKind, credentials: FleetCredentials, defaults: FleetDefaults, where: string,
  add: (p: string, m: string, code: string) => void,
): FleetClusterPlan | undefined {
  const own = (c.storage[kind] ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...defaults.common, ...(defaults.storage?.[kind] ?? {}), ...c.common, ...own };
  // Unknown names are reported where they were written (checkCommon, checkStorageProps), once.
  const known: readonly string[] = [...FLEET_STORAGE_PROPS[kind], ...FLEET_COMMON_PROPS, 'provision'];
  const props: Record<string, unknown> = Object.fromEntries(Object.entries(merged).filter(([k]) => known.includes(k)));
  const descriptor = storageKind(kind)!;
  if (descriptor.fleet.regionFromCluster && props.region === undefined && c.region !== undefined) props.region = c.region;

  const home = descriptor.fleet.homePlatforms;
  const only = descriptor.fleet.platforms;
  if (only && FLEET_PLATFORMS.includes(c.platform) && !only.includes(c.platform)) {
    add(`${where}.storage.${kind}`, `works on ${only.join(' and ')} clusters only (the operator's driver reads the storage's location from the cluster), `
      + `not on a ${c.platform} cluster: choose another storage`, 'ORS-FLEET-029');
  } else if (credentials === 'cluster') {
    const refusal = descriptor.fleet.noClusterIdentity?.(props);
    if (refusal) {
      add(`${where}.credentials`, `is cluster, but ${refusal}`, 'ORS-FLEET-030');
    } else if (home && !home.includes(c.platform)) {
      if (FLEET_PLATFORMS.includes(c.platform)) add(`${where}.credentials`, `is cluster, but a ${c.platform} cluster has no ${kind} identity (only ${home.join(' and ')} clusters do): use hub-secret`, 'ORS-FLEET-031');
    }
  } else if (!descriptor.fleet.placeholderCredentials) {
    add(`${where}.credentials`, `is hub-secret, but ${descriptor.fleet.noKeys ?? `${kind} storage reads no keys`}: remove it`, 'ORS-FLEET-032');
  }
  const creds = credentials === 'hub-secret'
    ? descriptor.fleet.placeholderCredentials?.(HUB_SECRET_PLACEHOLDER, { swiftCredentialType: c.swiftCredentialType ?? 'application-credential' }) : undefined;
  const { provision, ...planProps } = props;
  // The cdk8s construct's own provision rules, named by cluster (fleet synth renders through it).
  if (provision !== undefined && provision !== null && !descriptor.provision) {
    add(`${where}.storage.${kind}.provision`, `is for storage a controller creates (${STORAGE_KINDS.filter((k) => k.provision).map((k) => k.name).join(', ')}); ${kind} has none: remove it`, 'ORS-FLEET-033');
  } else if (descriptor.provision) {
    for (const p of provisionProblems(provision, descriptor.provision)) add(`${where}.storage.${kind}.${p.path}`, p.message, p.code);
  }
  let plan: RegistryStoragePlan | undefined;
  const withCreds = creds && Object.keys(creds.value).length > 0 ? { ...planProps, credentials: creds.value } : planProps;
  try {
    plan = descriptor.plan(withCreds);
  } catch (e) {
    if (!(e instanceof RegistryStorageValidationError)) throw e;
    for (const p of e.problems) add(`${where}.storage.${kind}.${p.path}`, p.message, p.code);
  }
  if (!plan) return undefined;
  return {
    name: c.name,
    platform: c.platform,
    kind,
    credentials,
    props: provision === undefined ? withCreds : { ...withCreds, provision },
    hubSecret: creds ? { name: c.hubSecretName ?? `${c.name}-registry-storage`, keys: creds.keys } : undefined,
    plan,
    storageIdentity: descriptor.fleet.identity(props),
  };
}
