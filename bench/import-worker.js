// Child process: time require() of the given modules, report what got loaded.
// Usage: node import-worker.js [--after sdk1,sdk2] mod [mod...]   (--after: load those first, untimed)
'use strict';
const args = process.argv.slice(2);
if (args[0] === '--after') {
  for (const m of args[1].split(',')) require(m);
  args.splice(0, 2);
}
const start = process.hrtime.bigint();
for (const m of args) require(m);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const loaded = new Set();
for (const file of Object.keys(require.cache)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.slice(file.lastIndexOf('node_modules/')));
  if (m) loaded.add(m[1]);
}
process.stdout.write(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024, loaded: [...loaded].sort() }));
