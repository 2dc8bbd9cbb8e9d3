import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { GcsRegistryStorage } from 'openshift-registry-storage/pulumi/gcp';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

// The project is the provider's (gcp:project); the service account may use this bucket only.
const registry = new GcsRegistryStorage('registry', {
  region: config.require('region'),
  labels: { 'managed-by': 'pulumi' },
}, { providers: { kubernetes: cluster } });

export const bucket = registry.bucket;
export const registrySpec = registry.spec;
