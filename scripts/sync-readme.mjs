// Copies each test/readme/* file into the block that names it (`<!-- test/readme/x.ts -->` above a
// ts block) in the README and every page of docs/: the files are what the test suite compiles and
// runs. `npx projen readme:sync`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const pages = ['README.md', 'CONTRIBUTING.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
for (const page of pages) {
  const text = readFileSync(page, 'utf8');
  const synced = text.replace(/<!-- (test\/readme\/\S+) -->\n```ts\n[\s\S]*?```/g,
    (_m, file) => `<!-- ${file} -->\n\`\`\`ts\n${readFileSync(file, 'utf8')}\`\`\``);
  if (synced !== text) writeFileSync(page, synced);
  console.log(synced !== text ? `${page}: blocks updated from test/readme/` : `${page}: blocks up to date`);
}
