import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { PvcRegistryStorage } from 'openshift-registry-storage/pulumi/kubernetes';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

// ReadWriteOnce (the default) gives 1 replica and the Recreate rollout the operator requires.
const registry = new PvcRegistryStorage('registry', {
  storageClassName: config.require('storageClassName'),
}, { provider: cluster });

export const claim = registry.claim;
export const registrySpec = registry.spec;
