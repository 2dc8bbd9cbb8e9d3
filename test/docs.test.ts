/**
 * The docs' tables point at tests: each "tested in" cell names a test file and words of a test's
 * title, which must be in that file, so a renamed or deleted test cannot leave a claim behind.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

describe('docs/hostile-input.md', () => {
  const text = fs.readFileSync(path.join(ROOT, 'docs', 'hostile-input.md'), 'utf8');
  const rows = text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| class') && !l.startsWith('| ---'));

  it('has a row for each class', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
  });

  it.each(rows.map((r) => [r.split(' | ')[0].slice(2), r]))('%s: the test it names exists', (_, row) => {
    const cell = row.trim().replace(/\|$/, '').split(' | ').pop()!.trim();
    const m = /^`([^`]+)`: (.+)$/.exec(cell);
    expect(m).not.toBeNull();
    const [, file, words] = m!;
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\\/g, '');
    expect(source).toContain(words);
  });
});
