import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { AzureRegistryStorage } from 'openshift-registry-storage/pulumi/azure';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

const registry = new AzureRegistryStorage('registry', {
  resourceGroupName: config.require('resourceGroupName'),
  accountName: config.require('accountName'),
  tags: { 'managed-by': 'pulumi' },
}, { providers: { kubernetes: cluster } });

export const accountName = registry.accountName;
export const registrySpec = registry.spec;
