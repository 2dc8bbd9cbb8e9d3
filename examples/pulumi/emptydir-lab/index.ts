import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { EmptyDirRegistryStorage } from 'openshift-registry-storage/pulumi/kubernetes';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

// Lab only: every image is lost whenever the registry pod restarts.
const registry = new EmptyDirRegistryStorage('registry', { acknowledgeNonProduction: true }, { provider: cluster });

export const registrySpec = registry.spec;
