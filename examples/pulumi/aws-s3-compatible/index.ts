import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { S3RegistryStorage } from 'openshift-registry-storage/pulumi/aws';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

// Nothing is created on AWS: the bucket exists on the gateway. The Config gets the endpoint and a
// region (RGW ignores it, the registry needs one), the Secret the gateway user's keys.
const registry = new S3RegistryStorage('registry', {
  bucket: config.require('bucket'),
  region: 'us-east-1',
  regionEndpoint: config.require('endpoint'),
  trustedCA: 'rgw-ca-bundle', // ConfigMap in openshift-config with key ca-bundle.crt
  disableRedirect: true, // nodes pull through the registry instead of from the gateway
  credentials: { accessKey: config.requireSecret('accessKey'), secretKey: config.requireSecret('secretKey') },
}, { providers: { kubernetes: cluster } });

export const registrySpec = registry.spec;
