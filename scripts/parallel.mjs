#!/usr/bin/env node
/**
 * Runs shell commands at the same time and fails when any of them fails: `npm test`'s static
 * checks (type-check, API.md freshness, lint) are single-threaded, so on 2 cores they run beside
 * each other instead of one after another. Each command's output is printed whole once it ends,
 * under its name, so the logs do not interleave.
 *
 * Usage: node scripts/parallel.mjs 'name=command' ['name=command' ...]
 */
import { spawn } from 'node:child_process';

const jobs = process.argv.slice(2).map((arg) => {
  const at = arg.indexOf('=');
  return at > 0 ? { name: arg.slice(0, at), command: arg.slice(at + 1) } : { name: arg, command: arg };
});
if (jobs.length === 0) {
  process.stderr.write('usage: node scripts/parallel.mjs \'name=command\' ...\n');
  process.exit(2);
}

const results = await Promise.all(jobs.map(({ name, command }) => new Promise((resolve) => {
  const started = Date.now();
  const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const out = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => out.push(d));
  child.on('error', (e) => out.push(Buffer.from(`${e.message}\n`)));
  child.on('close', (code, signal) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const status = code === 0 ? 'ok' : `FAILED (${signal ?? `exit ${code}`})`;
    process.stdout.write(`--- ${name}: ${status} in ${seconds}s\n${Buffer.concat(out).toString('utf8')}`);
    resolve(code === 0);
  });
})));

const failed = jobs.filter((_, i) => !results[i]).map((j) => j.name);
if (failed.length > 0) {
  process.stderr.write(`failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
