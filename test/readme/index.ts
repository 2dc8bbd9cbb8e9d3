import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import { S3RegistryStorage } from 'openshift-registry-storage/pulumi/aws';

const cluster = new k8s.Provider('cluster', { kubeconfig: process.env.KUBECONFIG_CONTENT });
const registry = new S3RegistryStorage('registry', {
  bucket: 'acme-image-registry',
  tags: { team: 'platform' },
}, { providers: { aws: new aws.Provider('eu', { region: 'eu-west-1' }), kubernetes: cluster } });

export const bucket = registry.bucket;
