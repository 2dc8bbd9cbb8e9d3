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
    state: {
      ...a.inputs, name: a.name, bucket: a.inputs.bucket ?? `${a.name}-x`, arn: `arn:aws:s3:::${a.inputs.bucket ?? a.name}`, secret: 's',
      // what the component reads from the cluster: the payload's oc (ImageStreamTag openshift/cli:latest)
      ...(a.type === 'kubernetes:image.openshift.io/v1:ImageStreamTag' ? { image: { dockerImageReference: 'quay.io/openshift/cli@sha256:' + 'c'.repeat(64) } } : {}),
    },
  }),
  call: () => ({ name: 'eu-west-1', region: 'eu-west-1' }),
}, 'bench', 'bench', false);

// Each registry is on a cluster of its own (the library refuses two on one cluster), on both sides.
const cluster = (i) => new k8s.Provider(`cluster-${i}`, { kubeconfig: 'bench' });

function library(i) {
  const { S3RegistryStorage } = require('openshift-registry-storage/pulumi/aws');
  new S3RegistryStorage(`registry-${i}`, { bucket: `acme-registry-${i}` }, { providers: { kubernetes: cluster(i) } });
}

/** The same resources, declared directly (what a team writes without the library). */
function baseline(i) {
  const name = `registry-${i}`;
  const kubernetes = cluster(i);
  const parent = new (class extends pulumi.ComponentResource { constructor() { super('bench:index:Registry', name, {}, { providers: { kubernetes } }); } })();
  const o = (extra = {}) => ({ parent, ...extra });
  const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: `acme-registry-${i}`, forceDestroy: false }, o({ retainOnDelete: true }));
  const pab = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, o());
  const own = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, o());
  const enc = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }] }, o());
  const lc = new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: [{ id: 'cleanup-incomplete-multipart-registry-uploads', status: 'Enabled', filter: { prefix: '' }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } }] }, o());
  const pol = new aws.s3.BucketPolicy(`${name}-tls-only`, { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] })) }, o({ dependsOn: [pab] }));
  // The cluster's own identity (the library's default): no IAM user, no key, no user Secret.
  const region = aws.getRegionOutput({}, { parent }).region;
  const deps = [bucket, pab, own, enc, lc, pol];
  const spec = pulumi.all([bucket.bucket, region]).apply(([b, r]) => ({ managementState: 'Managed', storage: { managementState: 'Unmanaged', s3: { bucket: b, region: r, encrypt: true } } }));
  const config = new k8s.apiextensions.CustomResourcePatch(`${name}-config`, { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster', annotations: { 'pulumi.com/patchForce': 'true', 'pulumi.com/patchFieldManager': 'openshift-registry-storage' } }, spec }, o({ dependsOn: deps, retainOnDelete: true }));
  const jobName = 'registry-storage-keep-s3';
  const ns = 'registry-storage-jobs';
  const labels = { 'app.kubernetes.io/name': jobName, 'app.kubernetes.io/managed-by': 'openshift-registry-storage' };
  const created = [];
  const next = (r) => { created.push(r); return r; };
  next(new k8s.core.v1.Namespace(`${name}-keep-s3-namespace`, { metadata: { name: ns, labels } }, o({ dependsOn: [config] })));
  // What the component reads from the cluster: the payload's oc, and the topology (replicas).
  const cli = new k8s.apiextensions.CustomResource(`${name}-payload-cli`, { apiVersion: 'image.openshift.io/v1', kind: 'ImageStreamTag', image: undefined }, o({ id: 'openshift/cli:latest' }));
  new k8s.apiextensions.CustomResource(`${name}-infrastructure`, { apiVersion: 'config.openshift.io/v1', kind: 'Infrastructure', status: undefined }, o({ id: 'cluster' }));
  next(new k8s.networking.v1.NetworkPolicy(`${name}-keep-s3-networkpolicy`, { metadata: { name: jobName, namespace: ns, labels }, spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': jobName } }, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }] } }, o({ dependsOn: [config, ...created] })));
  next(new k8s.core.v1.ServiceAccount(`${name}-keep-s3-serviceaccount`, { metadata: { name: jobName, namespace: ns, labels } }, o({ dependsOn: [config, ...created] })));
  next(new k8s.rbac.v1.ClusterRole(`${name}-keep-s3-clusterrole`, { metadata: { name: jobName, labels }, rules: [{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: ['cluster'], verbs: ['get', 'patch'] }] }, o({ dependsOn: [config, ...created] })));
  next(new k8s.rbac.v1.ClusterRoleBinding(`${name}-keep-s3-clusterrolebinding`, { metadata: { name: jobName, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: jobName }, subjects: [{ kind: 'ServiceAccount', name: jobName, namespace: ns }] }, o({ dependsOn: [config, ...created] })));
  // A user Secret this tool wrote earlier (keys, before the cluster's identity) goes: the operator would prefer it.
  next(new k8s.rbac.v1.Role(`${name}-keep-s3-role`, { metadata: { name: jobName, namespace: 'openshift-image-registry', labels }, rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['image-registry-private-configuration-user'], verbs: ['get', 'delete'] }] }, o({ dependsOn: [config, ...created] })));
  next(new k8s.rbac.v1.RoleBinding(`${name}-keep-s3-rolebinding`, { metadata: { name: jobName, namespace: 'openshift-image-registry', labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: jobName }, subjects: [{ kind: 'ServiceAccount', name: jobName, namespace: ns }] }, o({ dependsOn: [config, ...created] })));
  const patch = JSON.stringify({ spec: { storage: { azure: null, emptyDir: null, gcs: null, ibmcos: null, oss: null, pvc: null, swift: null } } });
  const script = `oc patch configs.imageregistry.operator.openshift.io/cluster --type=merge -p '${patch}'\nif oc get secret/image-registry-private-configuration-user -n openshift-image-registry -o 'jsonpath={.metadata.managedFields[*].manager}' 2>/dev/null | tr ' ' '\\n' | grep -qx openshift-registry-storage; then\n  oc delete secret/image-registry-private-configuration-user -n openshift-image-registry\nfi`;
  const job = new k8s.batch.v1.Job(`${name}-keep-s3-job`, { metadata: { name: jobName, namespace: ns, labels, annotations: { 'pulumi.com/waitFor': 'condition=Complete' } }, spec: { backoffLimit: 4, ttlSecondsAfterFinished: 600, template: { metadata: { labels: { 'app.kubernetes.io/name': jobName }, annotations: { 'alpha.image.policy.openshift.io/resolve-names': '*' } }, spec: { serviceAccountName: jobName, restartPolicy: 'Never', securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'patch', image: cli.image.apply((i) => i.dockerImageReference), command: ['/bin/sh', '-ec', script], env: [{ name: 'HOME', value: '/tmp' }], volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true }, resources: { requests: { cpu: '10m', memory: '64Mi' } } }], volumes: [{ name: 'tmp', emptyDir: {} }] } } } }, o({ dependsOn: [config, ...created], deleteBeforeReplace: true }));
  const conditions = spec.apply((sp) => JSON.stringify([`jsonpath={.status.storage.s3.bucket}=${sp.storage.s3.bucket}`, 'jsonpath={.status.storage.s3.encrypt}=true', `jsonpath={.status.storage.s3.region}=${sp.storage.s3.region}`, 'jsonpath={.status.storage.managementState}=Unmanaged', 'condition=StorageExists', 'condition=Progressing=False', 'condition=Degraded=False', 'condition=Available']));
  const digest = spec.apply((sp) => require('crypto').createHash('sha256').update(JSON.stringify(sp)).digest('hex'));
  new k8s.apiextensions.CustomResourcePatch(`${name}-storage-applied`, { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster', annotations: pulumi.all([conditions, digest]).apply(([c, d]) => ({ 'pulumi.com/patchFieldManager': 'openshift-registry-storage-await', 'openshift-registry-storage/applied-spec-sha256': d, 'pulumi.com/waitFor': c, 'pulumi.com/timeoutSeconds': '600' })) } }, o({ dependsOn: [job], retainOnDelete: true }));
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
