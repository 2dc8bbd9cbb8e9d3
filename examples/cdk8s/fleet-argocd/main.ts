import * as fs from 'fs';
import * as path from 'path';
import { loadFleetInventory } from 'openshift-registry-storage';
import { argoCdFleetFiles } from 'openshift-registry-storage/cdk8s';

/**
 * The registry storage of a whole fleet for Argo CD: one folder per cluster (what that cluster's
 * construct synthesizes; no Secret: keys come from your secret store) and an ApplicationSet whose
 * git directory generator points each cluster at its folder. Commit the folder, then apply the
 * ApplicationSet to Argo CD: oc apply -f dist/manifests/fleet-argocd/applicationset.yaml
 */
export function writeFleet(outdir: string): string[] {
  const fleet = loadFleetInventory(fs.readFileSync(path.join(__dirname, '..', '..', 'fleet', 'inventory.yaml'), 'utf8'));
  const { files } = argoCdFleetFiles(fleet, { repoURL: 'https://git.example.com/platform/openshift-fleet.git', path: 'dist/manifests/fleet-argocd' });
  fs.rmSync(outdir, { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(outdir, name)), { recursive: true });
    fs.writeFileSync(path.join(outdir, name), text);
  }
  return Object.keys(files).sort();
}

if (require.main === module) writeFleet(path.join(process.cwd(), 'dist', 'fleet-argocd'));
