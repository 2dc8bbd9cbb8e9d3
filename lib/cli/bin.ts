#!/usr/bin/env node
import * as fs from 'fs';
import { runCli } from './index';

process.exitCode = runCli(process.argv.slice(2), process.env, {
  stdout: (t) => process.stdout.write(`${t}\n`),
  stderr: (t) => process.stderr.write(`${t}\n`),
  readFile: (p) => fs.readFileSync(p, 'utf8'),
  readStdin: () => fs.readFileSync(0, 'utf8'),
});
