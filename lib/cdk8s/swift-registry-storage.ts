import { Construct } from 'constructs';
import { RegistryStorage } from './registry-storage';
import { planSwiftStorage, SwiftStorageProps } from '../platforms/swift';

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
