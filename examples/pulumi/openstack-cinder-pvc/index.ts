import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { PvcRegistryStorage } from 'openshift-registry-storage/pulumi/kubernetes';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

const registry = new PvcRegistryStorage('registry', {
  claim: 'csi-pvc-imageregistry',
  cinder: { availabilityZone: config.require('availabilityZone') },
}, { provider: cluster });

export const claim = registry.claim;
export const registrySpec = registry.spec;
