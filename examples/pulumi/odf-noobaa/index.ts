import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ObjectBucketClaimRegistryStorage } from 'openshift-registry-storage/pulumi/kubernetes';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

// The claim, then its keys (read from the Secret the provisioner writes, kept secret), then the Config.
const registry = new ObjectBucketClaimRegistryStorage('registry', {
  bucket: config.require('bucket'),
  regionEndpoint: config.require('regionEndpoint'),
  trustedCA: config.require('trustedCA'),
}, { provider: cluster });

export const bucket = registry.bucket;
export const registrySpec = registry.spec;
