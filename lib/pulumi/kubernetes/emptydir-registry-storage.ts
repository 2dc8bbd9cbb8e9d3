import * as pulumi from '@pulumi/pulumi';
import { EMPTY_DIR_PROP_NAMES, EmptyDirStorageProps, planEmptyDirStorage } from '../../platforms/emptydir';
import {
  argNames, argProblems, BASE_ARG_NAMES, InputProps, knownArgs, knownView, plainArgs, planOrThrow, PulumiRegistryOptions, RegistryStorageComponent,
  splitOptions,
} from '../common';

/** Args of {@link EmptyDirRegistryStorage}. */
export interface EmptyDirRegistryStorageArgs extends InputProps<EmptyDirStorageProps>, PulumiRegistryOptions {}

/** Every arg name of {@link EmptyDirRegistryStorageArgs}. */
const EMPTY_DIR_ARG_NAMES = {
  ...BASE_ARG_NAMES,
  ...argNames(EMPTY_DIR_PROP_NAMES),
} as const satisfies Record<keyof EmptyDirRegistryStorageArgs, true>;

/**
 * emptyDir registry storage, for labs only: every image is lost when a registry pod restarts.
 * Needs `acknowledgeNonProduction: true`.
 *
 * @example
 * new EmptyDirRegistryStorage('registry', { acknowledgeNonProduction: true }, { provider: labCluster });
 */
export class EmptyDirRegistryStorage extends RegistryStorageComponent {
  constructor(name: string, args: EmptyDirRegistryStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super('EmptyDirRegistryStorage', 'emptyDir', name, opts);
    args = plainArgs(this, 'EmptyDirRegistryStorage', args);
    const argsProblems = argProblems(args, EMPTY_DIR_ARG_NAMES);
    const { options, rest } = splitOptions(knownArgs(args, EMPTY_DIR_ARG_NAMES));
    planOrThrow(this, 'EmptyDirRegistryStorage', planEmptyDirStorage, knownView(rest) as EmptyDirStorageProps, argsProblems);
    this.checkWhenKnown('EmptyDirRegistryStorage', planEmptyDirStorage, rest);
    const plan = this.planWhenKnown('EmptyDirRegistryStorage', planEmptyDirStorage, rest);
    this.deployKubernetes(name, { plan, dependsOn: [], options });
  }
}
