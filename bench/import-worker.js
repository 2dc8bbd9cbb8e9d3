// Child process: time require() of the given modules, report what got loaded. Usage: node import-worker.js mod [mod...]
'use strict';
const start = process.hrtime.bigint();
for (const m of process.argv.slice(2)) require(m);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const loaded = new Set();
for (const file of Object.keys(require.cache)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.slice(file.lastIndexOf('node_modules/')));
  if (m) loaded.add(m[1]);
}
process.stdout.write(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024, loaded: [...loaded].sort() }));
