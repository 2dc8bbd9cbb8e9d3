import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { S3RegistryStorage } from 'openshift-registry-storage/pulumi/aws';

const config = new pulumi.Config();
const cluster = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

// pulumi config set aws:region eu-west-1 && pulumi config set bucket acme-image-registry
// No key: the registry uses the cluster's own identity. With a KMS key, the component grants it to the
// registry's role, read from the cluster's installer-cloud-credentials (STS clusters).
const kmsKeyArn = config.get('kmsKeyArn') || undefined;
const registry = new S3RegistryStorage('registry', {
  bucket: config.require('bucket'),
  keyID: kmsKeyArn,
  registryPrincipalArn: kmsKeyArn ? S3RegistryStorage.registryRoleArnFromCluster({ provider: cluster }) : undefined,
  tags: { 'managed-by': 'pulumi', 'purpose': 'openshift-image-registry' },
}, { providers: { kubernetes: cluster } });

export const bucket = registry.bucket;
export const registrySpec = registry.spec;
