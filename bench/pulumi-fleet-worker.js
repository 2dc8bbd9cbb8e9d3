// Child process: declare N S3 registry storages under Pulumi mocks, through the library ("library")
// or the same resources written directly with the SDKs ("baseline"). Usage: node pulumi-fleet-worker.js <library|baseline> <N>
'use strict';
const pulumi = require('@pulumi/pulumi');
const aws = require('@pulumi/aws');
const k8s = require('@pulumi/kubernetes');
const [side, nText] = process.argv.slice(2);
const N = Number(nText);

pulumi.runtime.setMocks({
  newResource: (a) => ({
    id: `${a.name}-id`,
    state: { ...a.inputs, name: a.name, bucket: a.inputs.bucket ?? `${a.name}-x`, arn: `arn:aws:s3:::${a.inputs.bucket ?? a.name}`, secret: 's' },
  }),
  call: () => ({ name: 'eu-west-1', region: 'eu-west-1' }),
}, 'bench', 'bench', false);

function library(i) {
  const { S3RegistryStorage } = require('openshift-registry-storage/pulumi/aws');
  new S3RegistryStorage(`registry-${i}`, { bucket: `acme-registry-${i}` });
}

/** The same resources, declared directly (what a team writes without the library). */
function baseline(i) {
  const name = `registry-${i}`;
  const parent = new (class extends pulumi.ComponentResource { constructor() { super('bench:index:Registry', name, {}, {}); } })();
  const o = (extra = {}) => ({ parent, ...extra });
  const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: `acme-registry-${i}`, forceDestroy: false }, o({ retainOnDelete: true }));
  const pab = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, o());
  const own = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, o());
  const enc = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }] }, o());
  const lc = new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: [{ id: 'cleanup-incomplete-multipart-registry-uploads', status: 'Enabled', filter: { prefix: '' }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } }] }, o());
  const pol = new aws.s3.BucketPolicy(`${name}-tls-only`, { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] })) }, o({ dependsOn: [pab] }));
  const user = new aws.iam.User(`${name}-registry`, { forceDestroy: true }, o());
  const up = new aws.iam.UserPolicy(`${name}-registry`, { user: user.name, policy: bucket.arn.apply((arn) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: arn }, { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], Resource: `${arn}/*` }] })) }, o());
  const key = new aws.iam.AccessKey(`${name}-registry`, { user: user.name }, o({ additionalSecretOutputs: ['secret'] }));
  const region = aws.getRegionOutput({}, { parent }).region;
  const deps = [bucket, pab, own, enc, lc, pol, up, key];
  const secret = new k8s.core.v1.Secret(`${name}-credentials`, { metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' }, type: 'Opaque', stringData: pulumi.secret(pulumi.output({ REGISTRY_STORAGE_S3_ACCESSKEY: key.id, REGISTRY_STORAGE_S3_SECRETKEY: key.secret })) }, o({ dependsOn: deps }));
  const config = new k8s.apiextensions.CustomResourcePatch(`${name}-config`, { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster', annotations: { 'pulumi.com/patchForce': 'true', 'pulumi.com/patchFieldManager': 'openshift-registry-storage' } }, spec: pulumi.all([bucket.bucket, region]).apply(([b, r]) => ({ managementState: 'Managed', replicas: 2, storage: { managementState: 'Unmanaged', s3: { bucket: b, region: r, encrypt: true } } })) }, o({ dependsOn: [...deps, secret], retainOnDelete: true }));
  const jobName = 'registry-storage-keep-s3';
  const sa = new k8s.core.v1.ServiceAccount(`${name}-keep-s3-serviceaccount`, { metadata: { name: jobName, namespace: 'openshift-image-registry' } }, o({ dependsOn: [config] }));
  const role = new k8s.rbac.v1.ClusterRole(`${name}-keep-s3-clusterrole`, { metadata: { name: jobName }, rules: [{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: ['cluster'], verbs: ['get', 'patch'] }] }, o({ dependsOn: [config, sa] }));
  const binding = new k8s.rbac.v1.ClusterRoleBinding(`${name}-keep-s3-clusterrolebinding`, { metadata: { name: jobName }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: jobName }, subjects: [{ kind: 'ServiceAccount', name: jobName, namespace: 'openshift-image-registry' }] }, o({ dependsOn: [config, sa, role] }));
  const patch = JSON.stringify({ spec: { storage: { azure: null, emptyDir: null, gcs: null, ibmcos: null, oss: null, pvc: null, swift: null } } });
  const job = new k8s.batch.v1.Job(`${name}-keep-s3-job`, { metadata: { name: jobName, namespace: 'openshift-image-registry', annotations: { 'pulumi.com/waitFor': 'condition=Complete' } }, spec: { backoffLimit: 3, ttlSecondsAfterFinished: 600, template: { spec: { serviceAccountName: jobName, restartPolicy: 'Never', securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'patch', image: 'registry.redhat.io/openshift4/ose-cli:latest', command: ['oc', 'patch', 'configs.imageregistry.operator.openshift.io/cluster', '--type=merge', '-p', patch], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true }, resources: { requests: { cpu: '10m', memory: '64Mi' } } }] } } } }, o({ dependsOn: [config, sa, role, binding], deleteBeforeReplace: true }));
  new k8s.apiextensions.CustomResourcePatch(`${name}-available`, { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster', annotations: { 'pulumi.com/patchFieldManager': 'openshift-registry-storage-await', 'pulumi.com/waitFor': 'condition=Available', 'pulumi.com/timeoutSeconds': '600' } } }, o({ dependsOn: [job], retainOnDelete: true }));
  parent.registerOutputs({});
}

async function main() {
  // Load everything first: the figure is the program's own time, imports are measured separately.
  if (side === 'library') require('openshift-registry-storage/pulumi/aws');
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) (side === 'library' ? library : baseline)(i);
  let seen = -1;
  const monitor = pulumi.runtime.getMonitor();
  while (seen !== monitor.resources.size) {
    seen = monitor.resources.size;
    await pulumi.runtime.waitForRPCs();
    await new Promise((r) => setTimeout(r, 0));
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024, resources: monitor.resources.size }));
}
main().catch((e) => { console.error(e); process.exit(1); });
