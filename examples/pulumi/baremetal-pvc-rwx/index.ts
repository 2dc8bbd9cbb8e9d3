import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { PvcRegistryStorage } from 'openshift-registry-storage/pulumi/kubernetes';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

// Bare-metal clusters start with the registry Removed; this turns it on (managementState: Managed).
const registry = new PvcRegistryStorage('registry', {
  accessMode: 'ReadWriteMany',
  replicas: 2,
  size: '500Gi',
  storageClassName: config.require('storageClassName'),
}, { provider: cluster });

export const claim = registry.claim;
export const registrySpec = registry.spec;
