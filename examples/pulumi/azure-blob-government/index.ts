import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { AzureRegistryStorage } from 'openshift-registry-storage/pulumi/azure';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

// With a named account the operator would otherwise talk to the public cloud (core.windows.net).
const registry = new AzureRegistryStorage('registry', {
  resourceGroupName: config.require('resourceGroupName'),
  accountName: config.require('accountName'),
  cloudName: 'AzureUSGovernmentCloud',
}, { providers: { kubernetes: cluster } });

export const registrySpec = registry.spec;
