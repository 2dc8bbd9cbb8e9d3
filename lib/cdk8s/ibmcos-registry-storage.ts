import { Construct } from 'constructs';
import { RegistryStorage } from './registry-storage';
import { IbmcosStorageProps, planIbmcosStorage } from '../platforms/ibmcos';

/**
 * Image registry storage on IBM Cloud Object Storage (IBM Cloud and Power Virtual Server clusters):
 * the `cluster` Config's `ibmcos` block, and the user Secret with `REGISTRY_STORAGE_IBMCOS_IAMAPIKEY`
 * when `credentials` are given. No controller creates the bucket here: the operator does, when it
 * does not find it (see `IbmcosStorageProps`).
 *
 * @example
 * new IbmcosRegistryStorage(chart, 'registry', {
 *   bucket: 'acme-image-registry',
 *   serviceInstanceCRN: 'crn:v1:bluemix:public:cloud-object-storage:global:a/0123456789abcdef:abcd-1234::',
 * });
 */
export class IbmcosRegistryStorage extends RegistryStorage {
  constructor(scope: Construct, id: string, props: IbmcosStorageProps = {}) {
    super(scope, id, planIbmcosStorage(props));
  }
}
