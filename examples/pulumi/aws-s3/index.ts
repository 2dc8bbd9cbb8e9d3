import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { S3RegistryStorage } from 'openshift-registry-storage/pulumi/aws';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

// pulumi config set aws:region eu-west-1 && pulumi config set bucket acme-image-registry
const registry = new S3RegistryStorage('registry', {
  bucket: config.require('bucket'),
  keyID: config.get('kmsKeyArn') || undefined,
  tags: { 'managed-by': 'pulumi', 'purpose': 'openshift-image-registry' },
}, { providers: { kubernetes: cluster } });

export const bucket = registry.bucket;
export const registrySpec = registry.spec;
