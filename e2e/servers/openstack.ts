/**
 * Keystone v3 (sqlite in WAL mode, one single-threaded uwsgi worker) and an all-in-one Swift
 * (one-replica rings on a directory, keystonemiddleware's authtoken with `service_type =
 * object-store` so that application-credential access rules are enforced), all on 127.0.0.1.
 */
import * as fs from 'fs';
import * as path from 'path';
import { freePort, http, mustRun, Supervisor, waitFor } from '../proc';

export interface Keystone {
  readonly url: string; // http://127.0.0.1:<port>/v3
  /** POST/GET/... against Keystone with a token; throws on a status other than 2xx. */
  readonly api: (method: string, p: string, token: string, body?: unknown) => Promise<any>;
  readonly adminToken: () => Promise<string>;
}

export interface PasswordAuth { user: string; password: string; userDomain: string; project?: string; projectDomain?: string }

export async function passwordToken(url: string, auth: PasswordAuth): Promise<{ token: string; body: any }> {
  const scope = auth.project ? { project: { name: auth.project, domain: { name: auth.projectDomain ?? auth.userDomain } } } : undefined;
  const res = await http(`${url}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'connection': 'close' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: auth.user, domain: { name: auth.userDomain }, password: auth.password } } }, scope } }),
  });
  if (res.status !== 201) throw new Error(`keystone password auth for ${auth.user}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
  return { token: res.headers.get('x-subject-token')!, body: JSON.parse(res.text) };
}

export async function applicationCredentialToken(url: string, id: string, secret: string): Promise<string> {
  const res = await http(`${url}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'connection': 'close' },
    body: JSON.stringify({ auth: { identity: { methods: ['application_credential'], application_credential: { id, secret } } } }),
  });
  if (res.status !== 201) throw new Error(`keystone application-credential auth: HTTP ${res.status} ${res.text.slice(0, 200)}`);
  return res.headers.get('x-subject-token')!;
}

export async function startKeystone(sup: Supervisor, dir: string, adminPassword: string): Promise<Keystone> {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/v3`;
  const conf = path.join(dir, 'keystone.conf');
  fs.writeFileSync(conf, `[DEFAULT]
log_file = ${dir}/keystone.log
use_stderr = false
[database]
connection = sqlite:///${dir}/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = ${dir}/fernet
[fernet_receipts]
key_repository = ${dir}/fernet-receipts
[credential]
key_repository = ${dir}/credential
[cache]
enabled = false
`);
  const km = (...args: string[]) => mustRun('keystone-manage', ['--config-file', conf, ...args], { timeoutMs: 120_000 });
  km('db_sync');
  // Without WAL, sqlite answers "database is locked" to the service and endpoint writes.
  mustRun('python3', ['-c', `import sqlite3; sqlite3.connect(${JSON.stringify(`${dir}/keystone.db`)}).execute('PRAGMA journal_mode=WAL')`]);
  for (const d of ['fernet', 'fernet-receipts', 'credential']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  km('fernet_setup', '--keystone-user', 'root', '--keystone-group', 'root');
  km('receipt_setup', '--keystone-user', 'root', '--keystone-group', 'root');
  km('credential_setup', '--keystone-user', 'root', '--keystone-group', 'root');
  km('bootstrap', '--bootstrap-password', adminPassword, '--bootstrap-admin-url', url, '--bootstrap-public-url', url,
    '--bootstrap-internal-url', url, '--bootstrap-region-id', 'RegionOne');
  sup.start('keystone', 'uwsgi', ['--plugin', 'python3', '--http-socket', `127.0.0.1:${port}`, '--wsgi-file', '/usr/bin/keystone-wsgi-public',
    '--processes', '1', '--threads', '1', '--master', '--die-on-term', '--need-app', '--add-header', 'Connection: close'],
  { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: dir, OS_KEYSTONE_CONFIG_FILES: conf } });
  await waitFor('keystone on 127.0.0.1', async () => {
    sup.assertAlive('keystone');
    return (await http(url, { timeoutMs: 3000 })).status === 200 ? true : undefined;
  }, { tries: 60, intervalMs: 500 });
  const adminToken = async () => (await passwordToken(url, { user: 'admin', password: adminPassword, userDomain: 'Default', project: 'admin' })).token;
  const api = async (method: string, p: string, token: string, body?: unknown) => {
    const res = await http(`${url}${p}`, {
      method, headers: { 'x-auth-token': token, 'content-type': 'application/json', 'connection': 'close' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`keystone ${method} ${p}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    return res.text ? JSON.parse(res.text) : {};
  };
  return { url, api, adminToken };
}

export interface Swift {
  /** The proxy's port; storage URLs are http://127.0.0.1:<port>/v1/AUTH_<project id>. */
  readonly port: number;
  readonly devices: string;
}

/** The proxy's plain middlewares (filter name -> Swift egg); cache, keystoneauth and authtoken have settings. */
const SWIFT_FILTERS: Readonly<Record<string, string>> = {
  'catch_errors': 'catch_errors',
  'gatekeeper': 'gatekeeper',
  'healthcheck': 'healthcheck',
  'proxy-logging': 'proxy_logging',
  'bulk': 'bulk',
  'tempurl': 'tempurl',
  'copy': 'copy',
  'slo': 'slo',
  'dlo': 'dlo',
};

/** Starts account, container, object and proxy servers; Keystone must be up. */
export async function startSwift(sup: Supervisor, dir: string, keystone: { url: string; adminPassword: string }): Promise<Swift> {
  const devices = path.join(dir, 'srv');
  fs.mkdirSync(path.join(devices, 'd1'), { recursive: true });
  // Swift logs to syslog: without /dev/log it falls back to UDP from a socket bound on 0.0.0.0.
  // A unix datagram socket of our own takes the lines instead (and they land in the artefacts).
  const logSocket = path.join(dir, 'log.sock');
  sup.start('swift-syslog', 'python3', ['-c', [
    'import socket, sys',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    `s.bind(${JSON.stringify(logSocket)})`,
    'while True:',
    '    sys.stdout.write(s.recv(65536).decode("utf-8", "replace").rstrip("\\x00") + "\\n"); sys.stdout.flush()',
  ].join('\n')]);
  await waitFor('swift log socket', () => {
    sup.assertAlive('swift-syslog');
    return fs.existsSync(logSocket) ? true : undefined;
  }, { tries: 40, intervalMs: 100 });
  const ports: Record<string, number> = { account: await freePort(), container: await freePort(), object: await freePort() };
  for (const t of ['account', 'container', 'object']) {
    const builder = path.join(dir, `${t}.builder`);
    mustRun('swift-ring-builder', [builder, 'create', '6', '1', '1']);
    mustRun('swift-ring-builder', [builder, 'add', `r1z1-127.0.0.1:${ports[t]}/d1`, '100']);
    mustRun('swift-ring-builder', [builder, 'rebalance']);
    fs.writeFileSync(path.join(dir, `${t}-server.conf`), `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${ports[t]}
devices = ${devices}
mount_check = false
swift_dir = ${dir}
user = root
workers = 0
log_name = ${t}
log_address = ${logSocket}
[pipeline:main]
pipeline = ${t}-server
[app:${t}-server]
use = egg:swift#${t}
`);
  }
  const proxyPort = await freePort();
  // The sample pipeline, less what needs memcached or another service (ratelimit, container_sync).
  // bulk sits before authtoken: the registry's bulk deletes are account-path requests.
  fs.writeFileSync(path.join(dir, 'proxy-server.conf'), `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${proxyPort}
swift_dir = ${dir}
user = root
workers = 0
log_name = proxy
log_address = ${logSocket}
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache bulk tempurl authtoken keystoneauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
${Object.entries(SWIFT_FILTERS).map(([filter, egg]) => `[filter:${filter}]\nuse = egg:swift#${egg}\n`).join('')}[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:9
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = ${keystone.url}
auth_url = ${keystone.url}
auth_type = password
project_domain_id = default
user_domain_id = default
project_name = admin
username = admin
password = ${keystone.adminPassword}
delay_auth_decision = true
# Without it keystonemiddleware refuses every request of an application credential with access rules.
service_type = object-store
`);
  for (const t of ['account', 'container', 'object']) sup.start(`swift-${t}`, `swift-${t}-server`, [path.join(dir, `${t}-server.conf`)]);
  sup.start('swift-proxy', 'swift-proxy-server', [path.join(dir, 'proxy-server.conf')]);
  await waitFor('swift proxy on 127.0.0.1', async () => {
    for (const n of ['swift-account', 'swift-container', 'swift-object', 'swift-proxy']) sup.assertAlive(n);
    return (await http(`http://127.0.0.1:${proxyPort}/healthcheck`, { timeoutMs: 3000 })).status === 200 ? true : undefined;
  }, { tries: 60, intervalMs: 500 });
  return { port: proxyPort, devices };
}
