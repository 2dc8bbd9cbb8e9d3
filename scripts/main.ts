/**
 * The main job, offline (no cloud account, no cluster): synthesizes every cdk8s example into
 * dist/manifests/<example>.yaml, and prints every Pulumi example's deploy graph under mocks
 * (resource type, name, parent, dependencies), with secrets redacted.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fleetFolderExample, listExamples, runPulumiExample, synthCdk8sExample } from './examples';

async function main(): Promise<number> {
  let failures = 0;
  const out = path.resolve(__dirname, '..', 'dist', 'manifests');
  fs.mkdirSync(out, { recursive: true });

  console.log('cdk8s examples -> manifests for `oc apply --server-side --field-manager=openshift-registry-storage -f <file>`\n');
  const folders: string[] = [];
  for (const name of listExamples('cdk8s')) {
    const fleetWriter = fleetFolderExample(name);
    if (fleetWriter) {
      // A fleet for Argo CD: a folder per cluster and an ApplicationSet, not one YAML file.
      const dir = path.join(out, name);
      const files = fleetWriter(dir);
      folders.push(name);
      console.log(`  ok   ${path.relative(process.cwd(), dir)}/  (${files.length} files: ${files.filter((f) => f.includes('/')).length} clusters and ${files.filter((f) => !f.includes('/')).join(', ')})`);
      continue;
    }
    const { yaml, manifests, problems } = synthCdk8sExample(name);
    const file = path.join(out, `${name}.yaml`);
    fs.writeFileSync(file, yaml);
    failures += problems.length;
    const kinds = manifests.map((m: any) => m.kind).join(', ');
    console.log(`  ${problems.length ? 'FAIL' : 'ok  '} ${path.relative(process.cwd(), file)}  (${kinds})`);
    for (const p of problems) console.log(`       ${p}`);
  }

  console.log('\nThe command-line tool on those manifests: openshift-registry-storage check <file> (fleet-acm: fleet check <inventory>)\n');
  const bin = path.resolve(__dirname, '..', 'dist', 'cli', 'bin.js');
  const checked = listExamples('cdk8s').flatMap((name) => (folders.includes(name)
    ? fs.readdirSync(path.join(out, name)).filter((d) => fs.statSync(path.join(out, name, d)).isDirectory()).sort()
      .map((d) => ({ name: `${name}/${d}`, file: path.join(out, name, d, 'registry-storage.yaml') }))
    : [{ name, file: path.join(out, `${name}.yaml`) }]));
  // The ACM output is hub objects (policies), not a cluster's: its inventory is what `fleet check` checks.
  const inventory = path.resolve(__dirname, '..', 'examples', 'fleet', 'inventory.yaml');
  for (const { name, file } of checked) {
    const args = name === 'fleet-acm' ? ['fleet', 'check', inventory] : ['check', file];
    try {
      const said = execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' }).trim().split('\n').pop();
      console.log(`  ${name}: ${said}`);
    } catch (e: any) {
      failures++;
      console.log(`  ${name}: exit ${e.status}: ${String(e.stdout ?? '').trim()} ${String(e.stderr ?? '').trim()}`);
    }
  }

  console.log('\nPulumi examples -> deploy graph under mocks (type name <- parent; depends on ...)\n');
  for (const name of listExamples('pulumi')) {
    const resources = await runPulumiExample(name);
    console.log(`  ${name}: ${resources.length} resources`);
    for (const r of resources) {
      const deps = r.dependencies.length ? `; depends on ${r.dependencies.join(', ')}` : '';
      console.log(`    ${r.type} ${r.name}${r.parent ? ` <- ${r.parent}` : ''}${r.retainOnDelete ? ' [retained on delete]' : ''}${deps}`);
    }
    console.log('');
  }
  console.log(`Manifests written to ${path.relative(process.cwd(), out)}/. Nothing was deployed.`);
  return failures === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
