/** Name of the hub ConfigMap holding each cluster's own values (`<cluster>.<field>` keys); no credential. */
export const FLEET_VALUES_CONFIGMAP = 'registry-storage-fleet-values';
