/**
 * Single-node Ceph on 127.0.0.1 with the RADOS Gateway (the S3 server of OpenShift Data
 * Foundation): one mon, one OSD on memstore (no block device), pools of size 1, no cephx, and
 * radosgw's beast frontend. `ms mon client mode = crc` keeps radosgw from looping on auth with
 * cephx off.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { freePort, http, mustRun, run, Supervisor, waitFor } from '../proc';

export interface Ceph {
  readonly endpoint: string; // http://127.0.0.1:<port>
  readonly createUser: (uid: string) => { accessKey: string; secretKey: string };
  /** Objects of a bucket with their size and ETag, through radosgw-admin (not through S3). */
  readonly listBucket: (bucket: string) => Array<{ name: string; size: number; etag: string }>;
}

export async function startCeph(sup: Supervisor, dir: string): Promise<Ceph> {
  for (const d of ['run', 'log', 'mon/a', 'osd/0', 'rgw']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const fsid = randomUUID();
  const monPort = await freePort();
  const rgwPort = await freePort();
  const conf = path.join(dir, 'ceph.conf');
  fs.writeFileSync(conf, `[global]
fsid = ${fsid}
mon host = v2:127.0.0.1:${monPort}
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd crush chooseleaf type = 0
mon max pg per osd = 1000
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd objectstore = memstore
memstore device bytes = 2147483648
mon warn on pool no redundancy = false
run dir = ${dir}/run
admin socket = ${dir}/run/$name.asok
log file = ${dir}/log/$name.log
[mon.a]
mon data = ${dir}/mon/a
[osd.0]
osd data = ${dir}/osd/0
[client.rgw.e2e]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw data = ${dir}/rgw
`);
  const c = ['-c', conf];
  mustRun('monmaptool', ['--create', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, path.join(dir, 'monmap')]);
  mustRun('ceph-mon', [...c, '-i', 'a', '--mkfs', '--monmap', path.join(dir, 'monmap')]);
  sup.start('ceph-mon', 'ceph-mon', [...c, '-i', 'a', '-f']);
  const osdUuid = randomUUID();
  // The OSD's uuid must be the one `osd new` registered, or the mon never marks it up.
  await waitFor('ceph mon', () => {
    sup.assertAlive('ceph-mon');
    return run('ceph', [...c, '--connect-timeout', '5', 'osd', 'new', osdUuid], { timeoutMs: 10_000 }).status === 0 ? true : undefined;
  }, { tries: 30, intervalMs: 500 });
  mustRun('ceph-osd', [...c, '-i', '0', '--mkfs', '--osd-uuid', osdUuid], { timeoutMs: 60_000 });
  sup.start('ceph-osd', 'ceph-osd', [...c, '-i', '0', '-f']);
  await waitFor('ceph osd.0 up', () => {
    sup.assertAlive('ceph-osd');
    return /1 up/.test(run('ceph', [...c, '--connect-timeout', '5', 'osd', 'stat'], { timeoutMs: 10_000 }).stdout) ? true : undefined;
  }, { tries: 60, intervalMs: 500 });
  sup.start('radosgw', 'radosgw', [...c, '-n', 'client.rgw.e2e', '-f']);
  const endpoint = `http://127.0.0.1:${rgwPort}`;
  await waitFor('radosgw on 127.0.0.1', async () => {
    sup.assertAlive('radosgw');
    return (await http(endpoint, { timeoutMs: 3000 })).status === 200 ? true : undefined;
  }, { tries: 90, intervalMs: 500 });
  return {
    endpoint,
    createUser: (uid) => {
      const out = JSON.parse(mustRun('radosgw-admin', [...c, 'user', 'create', `--uid=${uid}`, `--display-name=${uid}`], { timeoutMs: 30_000 }));
      return { accessKey: out.keys[0].access_key, secretKey: out.keys[0].secret_key };
    },
    listBucket: (bucket) => {
      const out = JSON.parse(mustRun('radosgw-admin', [...c, 'bucket', 'list', `--bucket=${bucket}`, '--max-entries=10000'], { timeoutMs: 30_000 }));
      return (out as any[]).filter((o) => o.exists !== false).map((o) => ({ name: o.name, size: o.meta?.size ?? 0, etag: o.meta?.etag ?? '' }));
    },
  };
}
