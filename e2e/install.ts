/**
 * The e2e suite's servers come from Debian's packages. Missing ones are installed with apt-get
 * (root is there in CI); without root, or without apt-get, the suite fails: it never skips.
 */
import { run } from './proc';

/**
 * What the ssa group needs (Go 1.19, structured-merge-diff 4.1.2 and evanphx/json-patch 5.2.0, whose
 * root package is the v4 line the API server applies JSON patches with; sources under
 * /usr/share/gocode); no server.
 */
export const SSA_PACKAGES: readonly string[] = ['golang-go', 'golang-k8s-sigs-structured-merge-diff-dev', 'golang-github-evanphx-json-patch-dev'];

/** The Debian packages the suite runs (bookworm: keystone 22, swift 2.30, ceph 16.2, docker-registry 2.8.2, skopeo 1.9, rclone 1.60). */
export const PACKAGES: readonly string[] = [
  'keystone', 'uwsgi-core', 'uwsgi-plugin-python3', 'python3-keystonemiddleware',
  'swift', 'swift-proxy', 'swift-account', 'swift-container', 'swift-object',
  'ceph-mon', 'ceph-osd', 'radosgw', 'docker-registry', 'skopeo', 'rclone',
  ...SSA_PACKAGES,
];

function installed(pkg: string): boolean {
  const r = run('dpkg-query', ['-W', '-f=${Status}', pkg]);
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Installs what is missing of `packages`; returns the packages installed. Throws when it cannot. */
export function ensurePackages(log: (line: string) => void, packages: readonly string[] = PACKAGES): string[] {
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) throw new Error(`e2e needs Debian packages ${missing.join(', ')} and root to install them (run as root, or apt-get install them first)`);
  if (run('sh', ['-c', 'command -v apt-get']).status !== 0) throw new Error(`e2e needs Debian packages ${missing.join(', ')} and this machine has no apt-get`);
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive', HOME: process.env.HOME ?? '/root' };
  const update = run('apt-get', ['update', '-q'], { env, timeoutMs: 180_000 });
  if (update.status !== 0) throw new Error(`apt-get update failed: ${update.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const install = run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env, timeoutMs: 600_000 });
  if (install.status !== 0) throw new Error(`apt-get install failed: ${install.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const still = packages.filter((p) => !installed(p));
  if (still.length > 0) throw new Error(`after apt-get install, still missing: ${still.join(', ')}`);
  return missing;
}
