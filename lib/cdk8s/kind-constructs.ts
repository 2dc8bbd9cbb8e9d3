/**
 * Which construct renders each kind of storage: the cdk8s flavour's one per-kind table (a platform
 * knows no construct). `synth` and the fleet build through it.
 */
import { Construct } from 'constructs';
import { AzureRegistryStorage } from './azure-registry-storage';
import { EmptyDirRegistryStorage } from './emptydir-registry-storage';
import { GcsRegistryStorage } from './gcs-registry-storage';
import { IbmcosRegistryStorage } from './ibmcos-registry-storage';
import { ObjectBucketClaimRegistryStorage } from './object-bucket-claim-registry-storage';
import { PvcRegistryStorage } from './pvc-registry-storage';
import { RegistryStorage } from './registry-storage';
import { S3RegistryStorage } from './s3-registry-storage';
import { SwiftRegistryStorage } from './swift-registry-storage';

/** Builds a kind's construct from its props (the construct's own props, `provision` included). */
export type KindConstruct = (scope: Construct, id: string, props: any) => RegistryStorage;

/** @internal The construct of each kind, by the kind's name (`StorageKind.name`). */
export const KIND_CONSTRUCTS: Readonly<Record<string, KindConstruct>> = {
  s3: (scope, id, p) => new S3RegistryStorage(scope, id, p),
  gcs: (scope, id, p) => new GcsRegistryStorage(scope, id, p),
  azure: (scope, id, p) => new AzureRegistryStorage(scope, id, p),
  swift: (scope, id, p) => new SwiftRegistryStorage(scope, id, p),
  ibmcos: (scope, id, p) => new IbmcosRegistryStorage(scope, id, p),
  pvc: (scope, id, p) => new PvcRegistryStorage(scope, id, p),
  emptyDir: (scope, id, p) => new EmptyDirRegistryStorage(scope, id, p),
  objectBucketClaim: (scope, id, p) => new ObjectBucketClaimRegistryStorage(scope, id, p),
};
