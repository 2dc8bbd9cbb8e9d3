/**
 * IBM Cloud Object Storage: props, rules and plan. Operator behaviour (read at
 * cluster-image-registry-operator 02bb5c2c): `pkg/storage/ibmcos/ibmcos.go`.
 * - The driver works on the IBMCloud and PowerVS platforms only: it reads the bucket's location
 *   and resource group from `infrastructures.config.openshift.io/cluster` and writes them over any
 *   given in the Config (`CreateStorage`).
 * - Credentials: the user Secret's `REGISTRY_STORAGE_IBMCOS_IAMAPIKEY` replaces the cluster's
 *   `ibmcloud_api_key` entirely (`getCredentialsConfigData`); the registry itself gets the HMAC keys
 *   of the resource key (`resourceKeyCRN`, or one the operator creates) as an S3 credentials file.
 * - Without `serviceInstanceCRN` the operator finds or creates the service instance
 *   `<infraID>-image-registry`, creates an HMAC resource key in it, then checks the bucket (and
 *   creates it when missing), whatever `storage.managementState` says; it sets the management state
 *   only when it is empty, to Unmanaged for a bucket that existed.
 * - Removal deletes the bucket (never the instance or the key) only when the storage is Managed.
 */
import {
  checkCommon, checkPropsShape, commonSpec, compact, COMMON_PROP_NAMES, credentialSecretData, finishPlan, given, optionalObject, optionalString,
  PropNames, RegistryCommonProps, RegistryStoragePlan, requireString, storageState, userSecret,
} from '../../core/plan';
import { Problems, show } from '../../core/problems';
import { s3BucketNameProblem } from '../s3';

/** An IBM Cloud API key that the operator uses instead of the cluster's. */
export interface IbmcosCredentials {
  /**
   * An IBM Cloud IAM API key allowed to manage Cloud Object Storage in the account (the roles of
   * the operator's CredentialsRequest `openshift-image-registry-ibmcos`); written to Secret key
   * `REGISTRY_STORAGE_IBMCOS_IAMAPIKEY`.
   */
  readonly iamApiKey: string;
}

/**
 * Props of IBM Cloud Object Storage registry storage; field names are the CRD's
 * (`spec.storage.ibmcos`). Only IBM Cloud and Power Virtual Server clusters can use it.
 * @see https://docs.openshift.com/container-platform/latest/registry/configuring_registry_storage/configuring-registry-storage-ibmcloud.html
 */
export interface IbmcosStorageProps extends RegistryCommonProps {
  /**
   * Bucket name (IBM COS rules: 3-63 lowercase letters, digits, `.` and `-`). Give
   * `serviceInstanceCRN` too when the bucket is in an instance of your own: without it the operator
   * uses its own instance `<infraID>-image-registry` and that instance's keys.
   * @default unset: the operator creates a bucket (and marks it Managed)
   */
  readonly bucket?: string;
  /**
   * IBM Cloud location of the bucket. The operator writes the cluster's location over it on
   * IBM Cloud and Power Virtual Server, so it only documents the bucket's location.
   * @default the cluster's location (operator)
   */
  readonly location?: string;
  /**
   * Resource group of the bucket and its service instance. The operator writes the cluster's (or the
   * service instance's) over it.
   * @default the cluster's resource group (operator)
   */
  readonly resourceGroupName?: string;
  /**
   * CRN of the Cloud Object Storage service instance that holds the bucket
   * (`crn:v1:bluemix:public:cloud-object-storage:global:a/<account>:<instance>::`).
   * @default unset: the operator finds or creates `<infraID>-image-registry`
   */
  readonly serviceInstanceCRN?: string;
  /**
   * CRN of a resource key (service credential) of that instance with HMAC keys and the Writer or
   * Manager role: the registry's S3 keys. Needs `serviceInstanceCRN`.
   * @default unset: the operator creates an HMAC key with the Writer role
   */
  readonly resourceKeyCRN?: string;
  /**
   * An IAM API key for the operator. It goes into `image-registry-private-configuration-user`,
   * which then replaces the cluster's credentials entirely.
   * @default unset: no Secret; the operator uses the cluster's `ibmcloud_api_key`
   */
  readonly credentials?: IbmcosCredentials;
}

/** Secret key the operator reads for IBM COS (`pkg/storage/ibmcos/ibmcos.go`, `getCredentialsConfigData`). */
export const IBMCOS_SECRET_KEYS = { iamApiKey: 'REGISTRY_STORAGE_IBMCOS_IAMAPIKEY' } as const;

/** @internal Every prop of {@link IbmcosStorageProps}: any other name is refused, naming the closest. */
export const IBMCOS_PROP_NAMES: PropNames<IbmcosStorageProps> = {
  ...COMMON_PROP_NAMES,
  bucket: true,
  location: true,
  resourceGroupName: true,
  serviceInstanceCRN: true,
  resourceKeyCRN: true,
  credentials: { iamApiKey: true },
};

/** The CRD's patterns of the two CRNs. */
const SERVICE_INSTANCE_CRN = /^crn:.+:.+:.+:cloud-object-storage:.+:.+:.+::$/;
const RESOURCE_KEY_CRN = /^crn:.+:.+:.+:cloud-object-storage:.+:.+:.+:resource-key:.+$/;

/** Checks IBM COS props and returns the plan. Throws {@link RegistryStorageValidationError} listing every problem. */
export function planIbmcosStorage(props: IbmcosStorageProps): RegistryStoragePlan {
  const problems = new Problems();
  props = checkPropsShape('IbmcosRegistryStorage', props, IBMCOS_PROP_NAMES);
  checkCommon(props, problems);
  const bucket = optionalString(problems, 'bucket', props.bucket);
  if (bucket !== undefined) {
    const p = s3BucketNameProblem(bucket);
    if (p) problems.add('bucket', `${show(bucket)} ${p} (IBM Cloud Object Storage bucket naming rules)`, 'ORS-IBMCOS-001');
  }
  const location = optionalString(problems, 'location', props.location);
  const resourceGroupName = optionalString(problems, 'resourceGroupName', props.resourceGroupName);
  for (const [k, v] of [['location', location], ['resourceGroupName', resourceGroupName]] as const) {
    if (v !== undefined) {
      problems.warn(k, 'is written over by the operator from the cluster\'s Infrastructure (or the service instance) on IBM Cloud and Power Virtual Server: '
        + 'it records the bucket\'s setting, it does not choose it', 'ORS-IBMCOS-W001');
    }
  }
  const serviceInstanceCRN = optionalString(problems, 'serviceInstanceCRN', props.serviceInstanceCRN);
  if (serviceInstanceCRN !== undefined && !SERVICE_INSTANCE_CRN.test(serviceInstanceCRN)) {
    problems.add('serviceInstanceCRN', `must be a Cloud Object Storage service instance CRN, crn:v1:bluemix:public:cloud-object-storage:global:a/<account>:<instance>::, got ${show(serviceInstanceCRN)}`, 'ORS-IBMCOS-003');
  }
  const resourceKeyCRN = optionalString(problems, 'resourceKeyCRN', props.resourceKeyCRN);
  if (resourceKeyCRN !== undefined && !RESOURCE_KEY_CRN.test(resourceKeyCRN)) {
    problems.add('resourceKeyCRN', `must be a resource key CRN, crn:v1:bluemix:public:cloud-object-storage:global:a/<account>:<instance>:resource-key:<key>, got ${show(resourceKeyCRN)}`, 'ORS-IBMCOS-004');
  }
  if (resourceKeyCRN !== undefined && !given(props.serviceInstanceCRN)) {
    problems.add('resourceKeyCRN', 'needs serviceInstanceCRN: the key must belong to the instance, and without one the operator uses an instance of its own '
      + '("specified resource key is not valid for service instance")', 'ORS-IBMCOS-005');
  }
  if (bucket !== undefined && !given(props.serviceInstanceCRN)) {
    problems.warn('serviceInstanceCRN', 'is unset with a named bucket: the operator then uses (or creates) its own service instance <infraID>-image-registry '
      + 'and that instance\'s keys, and creates the bucket there if it does not find it. Give the CRN of the instance that holds the bucket', 'ORS-IBMCOS-W002');
  }
  const creds = optionalObject(problems, 'credentials', props.credentials);
  if (creds !== undefined) requireString(problems, 'credentials.iamApiKey', creds.iamApiKey, 'with credentials: an IBM Cloud IAM API key');
  return finishPlan('IbmcosRegistryStorage', 'ibmcos', problems, () => ({
    storageType: 'ibmcos',
    spec: {
      ...commonSpec(props, {}),
      storage: compact({
        managementState: storageState(props, given(props.bucket)),
        ibmcos: compact({ bucket, location, resourceGroupName, serviceInstanceCRN, resourceKeyCRN }),
      }),
    },
    secret: creds && userSecret(credentialSecretData(IBMCOS_SECRET_KEYS, { ...creds })),
    objects: [],
  }));
}
