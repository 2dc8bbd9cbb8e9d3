import { Construct } from 'constructs';
import { RegistryStorage } from './registry-storage';
import { EmptyDirStorageProps, planEmptyDirStorage } from '../platforms/emptydir';

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
