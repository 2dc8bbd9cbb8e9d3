import * as fs from 'fs';
import * as path from 'path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { FleetClusterPlan, loadFleetInventory } from 'openshift-registry-storage';

// One stack per cluster is Pulumi's way to a fleet: `pulumi stack init prod-eu-1`, and this program
// reads the stack's cluster from the same inventory the ACM and Argo CD outputs read.
const config = new pulumi.Config();
const fleet = loadFleetInventory(fs.readFileSync(path.resolve(__dirname, config.require('inventory')), 'utf8'));
const name = config.get('cluster') || pulumi.getStack();
const cluster = fleet.clusters.find((c) => c.name === name);
if (!cluster) throw new Error(`stack ${pulumi.getStack()}: no cluster "${name}" in the inventory (clusters: ${fleet.clusters.map((c) => c.name).join(', ')})`);

const kubernetes = new k8s.Provider('cluster', { kubeconfig: config.requireSecret('kubeconfig') });

/**
 * The cluster's component. Each cloud's module is loaded only for the clusters on it, so a stack
 * installs and loads one cloud SDK. `credentials: hub-secret` (keys kept on an ACM hub) becomes the
 * credential the component mints and keeps in the stack's encrypted state.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- one cloud's SDK per stack, loaded on demand */
function registryStorage(c: FleetClusterPlan): { spec: pulumi.Output<unknown> } {
  const { credentials: _placeholders, provision: _cdk8sOnly, ...props } = c.props as Record<string, any>;
  const minted = c.credentials === 'hub-secret';
  switch (c.kind) {
    case 's3': {
      const { S3RegistryStorage } = require('openshift-registry-storage/pulumi/aws') as typeof import('openshift-registry-storage/pulumi/aws');
      return new S3RegistryStorage('registry', { ...props, credentials: minted ? 'iam-user' : 'cluster' }, { providers: { kubernetes } });
    }
    case 'gcs': {
      const { GcsRegistryStorage } = require('openshift-registry-storage/pulumi/gcp') as typeof import('openshift-registry-storage/pulumi/gcp');
      return new GcsRegistryStorage('registry', { ...props, credentials: minted ? 'service-account-key' : 'cluster' }, { providers: { kubernetes } });
    }
    case 'swift': {
      const { SwiftRegistryStorage } = require('openshift-registry-storage/pulumi/openstack') as typeof import('openshift-registry-storage/pulumi/openstack');
      // Without credentials the component creates an application credential limited to the container.
      return new SwiftRegistryStorage('registry', { ...props, credentials: minted ? undefined : 'cluster' }, { providers: { kubernetes } });
    }
    case 'azure': {
      const { AzureRegistryStorage } = require('openshift-registry-storage/pulumi/azure') as typeof import('openshift-registry-storage/pulumi/azure');
      return new AzureRegistryStorage('registry', props, { providers: { kubernetes } });
    }
    case 'objectBucketClaim': {
      const { ObjectBucketClaimRegistryStorage } = require('openshift-registry-storage/pulumi/kubernetes') as typeof import('openshift-registry-storage/pulumi/kubernetes');
      return new ObjectBucketClaimRegistryStorage('registry', props as any, { provider: kubernetes });
    }
    case 'pvc': {
      const { PvcRegistryStorage } = require('openshift-registry-storage/pulumi/kubernetes') as typeof import('openshift-registry-storage/pulumi/kubernetes');
      return new PvcRegistryStorage('registry', props, { provider: kubernetes });
    }
    case 'emptyDir': {
      const { EmptyDirRegistryStorage } = require('openshift-registry-storage/pulumi/kubernetes') as typeof import('openshift-registry-storage/pulumi/kubernetes');
      return new EmptyDirRegistryStorage('registry', props as any, { provider: kubernetes });
    }
    case 'ibmcos':
      // No Pulumi component for IBM Cloud Object Storage yet (the IBM provider is not a dependency):
      // use the cdk8s flavour's IbmcosRegistryStorage, or `synth ibmcos` and `oc apply`.
      throw new Error(`cluster ${c.name}: ibmcos has no Pulumi component; apply the cdk8s or CLI output instead`);
  }
}

/* eslint-enable @typescript-eslint/no-require-imports */

export const clusterName = cluster.name;
export const registrySpec = registryStorage(cluster).spec;
