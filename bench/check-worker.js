#!/usr/bin/env node
/**
 * `check` on a large input, in this process: `node check-worker.js <library|baseline> <MiB>`.
 * Writes a Config whose metadata holds <MiB> of annotations (one YAML map, the case that was
 * quadratic), then runs the compiled CLI's `check` on it (library) or only loads the YAML with
 * js-yaml (baseline: what reading the file costs any tool). Prints { ms, rssMiB, exit }.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const [mode, mib] = process.argv.slice(2);
const file = path.join(os.tmpdir(), `bench-check-${mib}MiB.yaml`);
if (!fs.existsSync(file)) {
  const parts = ['apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata:\n  name: cluster\n  annotations:\n'];
  let len = parts[0].length;
  for (let i = 0; len < Number(mib) * 2 ** 20; i++) {
    const line = `    example.com/key-${i}: value-${i}\n`;
    parts.push(line);
    len += line.length;
  }
  parts.push('spec:\n  managementState: Managed\n  replicas: 2\n  storage:\n    s3:\n      bucket: acme-registry\n      region: eu-west-1\n');
  fs.writeFileSync(file, parts.join(''));
}
const start = process.hrtime.bigint();
let exit = 0;
if (mode === 'library') {
  const { runCli } = require('../dist/cli');
  const { nodeIo } = require('../dist/cli/node-io');
  exit = runCli(['check', file], {}, { ...nodeIo(), stdout: () => undefined, stderr: () => undefined });
} else {
  require('js-yaml').loadAll(fs.readFileSync(file, 'utf8'));
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024, exit }));
