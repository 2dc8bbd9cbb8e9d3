// Writes CHANGELOG.md from the conventional commits on the current branch (`npx projen changelog`):
// the unreleased changes since the last `v*` tag (all of them while there is none), grouped by type,
// newest first. Nothing is published from this repository; a release tags the commit and the next
// run starts a new section.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const tags = git('tag', '--list', 'v*', '--sort=-v:refname').split('\n').filter(Boolean);
const range = tags[0] ? `${tags[0]}..HEAD` : 'HEAD';
const TYPES = [['feat', 'Features'], ['fix', 'Fixes'], ['perf', 'Performance'], ['refactor', 'Refactoring'], ['docs', 'Documentation'], ['test', 'Tests']];
const log = git('log', range, '--no-merges', '--format=%h%x09%s').split('\n').filter(Boolean);
const groups = new Map(TYPES.map(([t]) => [t, []]));
for (const line of log) {
  const [hash, subject] = line.split('\t');
  const m = /^(\w+)(?:\([^)]*\))?(!)?: (.*)$/.exec(subject);
  if (m && groups.has(m[1])) groups.get(m[1]).push(`- ${m[2] ? '**breaking:** ' : ''}${m[3]} (${hash})`);
}
const out = ['# Changelog', '', 'Written by `npx projen changelog` from the conventional commits (`feat:`, `fix:`, ...); other commits are left out.', '',
  `## ${tags[0] ? `Since ${tags[0]}` : 'Unreleased'}`, ''];
for (const [type, title] of TYPES) {
  if (groups.get(type).length === 0) continue;
  out.push(`### ${title}`, '', ...groups.get(type), '');
}
writeFileSync('CHANGELOG.md', out.join('\n'));
console.log(`CHANGELOG.md: ${[...groups.values()].reduce((n, g) => n + g.length, 0)} entries (${range})`);
