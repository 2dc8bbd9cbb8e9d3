import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { RegistryStoragePlan } from '../../core/plan';
import { DEFERRED, RegistryConfigProblem } from '../../core/problems';
import { planPvcStorage, PvcStorageProps, PVC_PROP_NAMES } from '../../platforms/pvc';
import {
  argNames,
  child, createManifest, InputProps, knownView, planOrThrow, PulumiRegistryOptions, RegistryStorageComponent, splitOptions,
  argProblems, knownArgs, BASE_ARG_NAMES, plainArgs,
} from '../common';

/** Args of {@link PvcRegistryStorage}: the core's PVC props as Pulumi Inputs, plus the Pulumi options. */
export interface PvcRegistryStorageArgs extends InputProps<PvcStorageProps>, PulumiRegistryOptions {}

/** Every arg name of {@link PvcRegistryStorageArgs}: an arg missing here fails compilation. */
const PVC_ARG_NAMES = {
  ...BASE_ARG_NAMES,
  ...argNames(PVC_PROP_NAMES),
} as const satisfies Record<keyof PvcRegistryStorageArgs, true>;


/**
 * The OpenShift image registry on a PersistentVolumeClaim (bare metal, vSphere, OpenStack Cinder):
 * the optional Cinder StorageClass (`cinder.csi.openstack.org`, `WaitForFirstConsumer`, volume
 * expansion, `Retain`), the claim in `openshift-image-registry` with the operator's annotation
 * (100Gi by default), and the server-side-apply patch of `configs.imageregistry.operator.openshift.io/cluster`
 * with `managementState: Managed` (bare metal and vSphere start `Removed`). ReadWriteOnce gives 1
 * replica and `Recreate`; ReadWriteMany allows HA. The claim is kept on `pulumi destroy`.
 *
 * Plan-shaping props (`claim`, `accessMode`, `cinder`, `useExistingClaim`, `replicas`) must be
 * plain values: they decide which resources exist.
 *
 * @example
 * new PvcRegistryStorage('registry', {
 *   claim: 'csi-pvc-imageregistry', cinder: { availabilityZone: 'nova' },
 * }, { provider: clusterProvider });
 */
export class PvcRegistryStorage extends RegistryStorageComponent {
  /** Name of the claim the registry uses (empty when the operator creates its own). */
  public readonly claim: pulumi.Output<string>;
  /** The claim, when this component created it. */
  public readonly claimResource?: k8s.core.v1.PersistentVolumeClaim;
  /** The Cinder StorageClass, when `cinder` was given. */
  public readonly storageClass?: k8s.storage.v1.StorageClass;

  constructor(name: string, args: PvcRegistryStorageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('PvcRegistryStorage', 'pvc', name, opts);
    args = plainArgs(this, 'PvcRegistryStorage', args);
    const argsProblems = argProblems(args, PVC_ARG_NAMES);
    const { options, rest } = splitOptions(knownArgs(args, PVC_ARG_NAMES));
    const known = knownView(rest) as PvcStorageProps;
    const shaping = ['claim', 'accessMode', 'useExistingClaim', 'replicas'] as const;
    // The validation pass also gives the objects' shape; values still unknown are filled in below.
    const shape = planOrThrow(this, 'PvcRegistryStorage', planPvcStorage, known, shaping
      .filter((k) => known[k] === (DEFERRED as unknown))
      .map((k): RegistryConfigProblem => ({ path: k, message: 'must be a plain value, not an Output: it decides which resources exist', code: 'ORS-PULUMI-017' }))
      .concat(argsProblems));

    this.checkWhenKnown('PvcRegistryStorage', planPvcStorage, rest);
    const plan: pulumi.Output<RegistryStoragePlan> = this.planWhenKnown('PvcRegistryStorage', planPvcStorage, rest);
    const dependsOn: pulumi.Resource[] = [];
    let claimResource: k8s.core.v1.PersistentVolumeClaim | undefined;
    let storageClass: k8s.storage.v1.StorageClass | undefined;
    shape.objects.forEach((m, i) => {
      const { apiVersion: _a, kind: _k, ...fields } = m;
      const inputs = Object.fromEntries(Object.keys(fields).map((f) => [f, plan.apply((p) => (p.objects[i] as any)[f])]));
      const pvc = m.kind === 'PersistentVolumeClaim';
      const r = createManifest(`${name}-${pvc ? 'claim' : 'storage-class'}`, { apiVersion: m.apiVersion, kind: m.kind, ...inputs } as any,
        child(this, { retainOnDelete: pvc ? options.retainOnDelete ?? true : false, dependsOn: [...dependsOn] }));
      if (pvc) claimResource = r as k8s.core.v1.PersistentVolumeClaim;
      else storageClass = r as k8s.storage.v1.StorageClass;
      dependsOn.push(r);
    });
    this.claimResource = claimResource;
    this.storageClass = storageClass;

    this.claim = plan.apply((p) => p.spec.storage?.pvc?.claim ?? '');
    this.deployKubernetes(name, { plan, dependsOn, options }, { claim: this.claim });
  }
}
