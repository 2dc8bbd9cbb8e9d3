/**
 * Process supervision for the e2e suite: every server is started through {@link Supervisor.start},
 * logs to a file under the run's folder, and is stopped by {@link Supervisor.stopAll} (SIGTERM, then
 * SIGKILL after a grace period), which the runner calls on success, failure, SIGINT and SIGTERM.
 * Every wait is bounded in tries and in time.
 */
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A clean environment: an inherited proxy or CA bundle variable breaks skopeo and the registry. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8', ...extra };
}

export interface RunResult { readonly status: number; readonly stdout: string; readonly stderr: string }

/** Runs a command to completion with a time limit; never throws for a non-zero exit. */
export interface RunOptions { env?: Record<string, string>; cwd?: string; timeoutMs?: number; input?: string }

export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): RunResult {
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args as string[], {
    env: opts.env ?? cleanEnv(), cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, encoding: 'utf8', input: opts.input, maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) return { status: -1, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error.message}` };
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * {@link run} without blocking the event loop: needed while an in-process server (the recording
 * proxy) must answer the command's requests.
 */
export function runAsync(cmd: string, args: readonly string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    // its own process group: a timeout kills what it started too (a shell script's rclone), not only the shell
    const child = spawn(cmd, args as string[], { env: opts.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      stderr += `\n${cmd} timed out after ${(opts.timeoutMs ?? 60_000) / 1000}s`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (e) => { stderr += e.message; });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

/** Like {@link run}, but throws with the command's stderr when it fails. */
export function mustRun(cmd: string, args: readonly string[], opts: Parameters<typeof run>[2] = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
  return r.stdout;
}

/** Polls `check` until it returns a value other than undefined; at most `tries` times, `intervalMs` apart. */
export async function waitFor<T>(
  what: string, check: () => Promise<T | undefined> | T | undefined, opts: { tries?: number; intervalMs?: number } = {},
): Promise<T> {
  const tries = opts.tries ?? 60;
  const interval = opts.intervalMs ?? 500;
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      if (e instanceof ProcessExited) throw e;
      last = e;
    }
    await sleep(interval);
  }
  throw new Error(`timed out after ${tries} tries (${(tries * interval) / 1000}s) waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A server exited while something waited for it: waiting longer cannot help. */
export class ProcessExited extends Error {}

interface Started { readonly name: string; readonly child: ChildProcess; readonly log: string }

/** Starts and stops the suite's servers; each runs in its own process group so that children die with it. */
export class Supervisor {
  private readonly procs: Started[] = [];

  public constructor(public readonly logDir: string) {
    fs.mkdirSync(logDir, { recursive: true });
  }

  /** Starts a long-running server; its output goes to `<logDir>/<name>.log`. */
  public start(name: string, cmd: string, args: readonly string[], opts: { env?: Record<string, string>; cwd?: string } = {}): ChildProcess {
    const log = path.join(this.logDir, `${name}.log`);
    const fd = fs.openSync(log, 'a');
    const child = spawn(cmd, args as string[], { env: opts.env ?? cleanEnv(), cwd: opts.cwd, stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    child.on('error', (e) => fs.appendFileSync(log, `\nspawn error: ${e.message}\n`));
    this.procs.push({ name, child, log });
    return child;
  }

  /** Whether a started server is still running (a server that died early fails its wait at once). */
  public assertAlive(name: string): void {
    const p = this.procs.find((q) => q.name === name);
    if (p && p.child.exitCode !== null) {
      const lines = fs.readFileSync(p.log, 'utf8').trim().split('\n');
      // A Go panic or fatal line says why; the stack after it does not.
      const why = lines.filter((l) => /^panic:|level=fatal|level=error|ERROR|Error:/.test(l)).slice(0, 3);
      const tail = (why.length > 0 ? why : lines.slice(-8)).join('\n');
      throw new ProcessExited(`${name} exited with ${p.child.exitCode}; from ${p.log}:\n${tail}`);
    }
  }

  /**
   * TCP sockets that a started server (or any process of its group) listens on outside 127.0.0.1,
   * as `ss` lists them: the suite fails when there is one. (UDP client sockets, such as a DNS
   * lookup's, are bound to 0.0.0.0 by the kernel for a moment and serve nothing: not counted.)
   */
  public listenersOutsideLoopback(): string[] {
    const groups = new Set(this.procs.map((p) => p.child.pid).filter((p): p is number => p !== undefined));
    const out: string[] = [];
    for (const proto of ['-ltnpH']) {
      for (const line of run('ss', [proto]).stdout.split('\n').filter(Boolean)) {
        const local = line.trim().split(/\s+/)[3] ?? '';
        if (/^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):/.test(local)) continue;
        for (const m of line.matchAll(/pid=(\d+)/g)) {
          const stat = fs.existsSync(`/proc/${m[1]}/stat`) ? fs.readFileSync(`/proc/${m[1]}/stat`, 'utf8') : '';
          const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
          const name = this.procs.find((p) => p.child.pid === pgid)?.name;
          if (groups.has(pgid)) out.push(`${name} listens on ${local}`);
        }
      }
    }
    return [...new Set(out)];
  }

  /** Stops one server (SIGTERM to its group, SIGKILL after `graceMs`). */
  public async stop(name: string, graceMs = 3000): Promise<void> {
    const i = this.procs.findIndex((q) => q.name === name);
    if (i < 0) return;
    const [p] = this.procs.splice(i, 1);
    await stopOne(p, graceMs);
  }

  /** Stops every server still running, newest first. */
  public async stopAll(graceMs = 3000): Promise<void> {
    const all = this.procs.splice(0).reverse();
    await Promise.all(all.map((p) => stopOne(p, graceMs)));
  }

  /** Synchronous last resort for process exit: SIGKILL to every group still running. */
  public killAllNow(): void {
    for (const p of this.procs.splice(0)) signal(p, 'SIGKILL');
  }
}

function signal(p: Started, sig: NodeJS.Signals): void {
  if (p.child.exitCode !== null || p.child.signalCode !== null || p.child.pid === undefined) return;
  try {
    process.kill(-p.child.pid, sig);
  } catch {
    // already gone
  }
}

async function stopOne(p: Started, graceMs: number): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
  signal(p, 'SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs));
  if (await Promise.race([exited.then(() => 'exited' as const), timer]) === 'timeout') {
    signal(p, 'SIGKILL');
    await Promise.race([exited, sleep(1000)]);
  }
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const net = await import('net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** An HTTP request with a time limit (Node's fetch), returning status, headers and body text. */
export async function http(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number; redirect?: 'manual' | 'follow' } = {}) {
  const res = await fetch(url, {
    method: init.method ?? 'GET', headers: init.headers, body: init.body, redirect: init.redirect ?? 'manual', signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}
