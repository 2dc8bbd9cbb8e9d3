// Copies each test/readme/* file into the README block that names it (`<!-- test/readme/x.ts -->`
// above a ts block): the files are what the test suite compiles and runs. `npx projen readme:sync`.
import { readFileSync, writeFileSync } from 'node:fs';

const readme = readFileSync('README.md', 'utf8');
const synced = readme.replace(/<!-- (test\/readme\/\S+) -->\n```ts\n[\s\S]*?```/g,
  (_m, file) => `<!-- ${file} -->\n\`\`\`ts\n${readFileSync(file, 'utf8')}\`\`\``);
if (synced !== readme) writeFileSync('README.md', synced);
console.log(synced !== readme ? 'README.md: blocks updated from test/readme/' : 'README.md: blocks up to date');
