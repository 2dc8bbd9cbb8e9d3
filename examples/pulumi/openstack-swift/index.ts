import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { SwiftRegistryStorage } from 'openshift-registry-storage/pulumi/openstack';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

const registry = new SwiftRegistryStorage('registry', {
  container: 'image-registry',
  authURL: config.require('authURL'),
  regionName: config.require('regionName'),
}, { providers: { kubernetes: cluster } });

export const container = registry.container;
export const registrySpec = registry.spec;
