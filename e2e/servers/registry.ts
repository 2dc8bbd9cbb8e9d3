/**
 * Runs the CNCF distribution registry (Debian's docker-registry 2.8) with the environment the
 * operator would give OpenShift's registry, adapted only where a standalone process on this
 * machine must differ from a pod, each adaptation named:
 * - volumes become folders under the run's directory, and paths in the environment that point
 *   into a volume's mount path are rewritten to that folder;
 * - REGISTRY_HTTP_ADDR `:5000` becomes `127.0.0.1:<free port>`;
 * - REGISTRY_OPENSHIFT_* are dropped: only OpenShift's fork reads them;
 * - `REGISTRY_STORAGE_S3_CREDENTIALSCONFIGPATH` is read only by OpenShift's fork; distribution 2.8
 *   reads the same shared credentials file through the AWS SDK's `AWS_SHARED_CREDENTIALS_FILE`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { containerEnv, RegistryPodConfig } from '../operator-env';
import { cleanEnv, freePort, http, Supervisor, waitFor } from '../proc';

export interface RunningRegistry {
  readonly name: string;
  readonly host: string; // 127.0.0.1:<port>
  /** The environment the process got, with secret values replaced by `<redacted>`. */
  readonly redactedEnv: Record<string, string>;
  /** Host folder of each volume, by volume name. */
  readonly volumeDirs: Readonly<Record<string, string>>;
  readonly log: string;
}

export async function startRegistry(sup: Supervisor, dir: string, name: string, pod: RegistryPodConfig): Promise<RunningRegistry> {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const env = containerEnv(pod);
  const volumeDirs: Record<string, string> = {};
  const mounts: Array<[string, string]> = [];
  for (const v of pod.volumes) {
    const host = path.join(dir, 'volumes', v.name);
    fs.mkdirSync(host, { recursive: true });
    for (const [file, content] of Object.entries(v.files ?? {})) fs.writeFileSync(path.join(host, file), content, { mode: 0o600 });
    volumeDirs[v.name] = host;
    mounts.push([v.mountPath, host]);
  }
  const runEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('REGISTRY_OPENSHIFT_')) continue;
    let value = v;
    for (const [mountPath, host] of mounts) if (value === mountPath || value.startsWith(`${mountPath}/`)) value = host + value.slice(mountPath.length);
    runEnv[k] = value;
  }
  runEnv.REGISTRY_HTTP_ADDR = `127.0.0.1:${port}`;
  if (runEnv.REGISTRY_STORAGE_S3_CREDENTIALSCONFIGPATH) runEnv.AWS_SHARED_CREDENTIALS_FILE = runEnv.REGISTRY_STORAGE_S3_CREDENTIALSCONFIGPATH;
  const config = path.join(dir, 'config.yml');
  // Everything else comes from the environment, as in the operator's pod.
  fs.writeFileSync(config, 'version: 0.1\nlog:\n  formatter: text\n');
  sup.start(name, 'docker-registry', ['serve', config], { env: cleanEnv(runEnv) });
  const host = `127.0.0.1:${port}`;
  await waitFor(`registry ${name} on ${host}`, async () => {
    sup.assertAlive(name);
    return (await http(`http://${host}/v2/`, { timeoutMs: 3000 })).status === 200 ? true : undefined;
  }, { tries: 40, intervalMs: 250 });
  const secretNames = new Set(pod.env.filter((e) => e.secretKey !== undefined).map((e) => e.name));
  const redactedEnv = Object.fromEntries(Object.entries(runEnv).sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => [k, secretNames.has(k) || k === 'REGISTRY_HTTP_SECRET' ? '<redacted>' : v]));
  return { name, host, redactedEnv, volumeDirs, log: path.join(sup.logDir, `${name}.log`) };
}
