/**
 * What the library reads from the cluster's `infrastructures.config.openshift.io/cluster` object
 * (`oc get infrastructure cluster -o yaml`).
 */

/**
 * The cluster's user-defined resource tags on one platform, `status.platformStatus.<platform>.resourceTags`
 * (from the install config's `userTags`), as a map; entries without a string key and value are left out.
 * @see https://github.com/openshift/api/blob/master/config/v1/types_infrastructure.go (`AWSResourceTag`, `AzureResourceTag`)
 */
export function infrastructureResourceTags(infrastructure: unknown, platform: 'aws' | 'azure'): Record<string, string> {
  const tags = (infrastructure as any)?.status?.platformStatus?.[platform]?.resourceTags;
  if (!Array.isArray(tags)) return {};
  return Object.fromEntries(tags.filter((t) => typeof t?.key === 'string' && typeof t?.value === 'string').map((t) => [t.key, t.value]));
}
