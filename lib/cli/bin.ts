#!/usr/bin/env node
import { runCli } from './index';
import { nodeIo } from './node-io';

process.exitCode = runCli(process.argv.slice(2), process.env, nodeIo());
