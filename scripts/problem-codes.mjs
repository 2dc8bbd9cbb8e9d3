/**
 * Lists every problem code the library raises, from the source: each `'ORS-<AREA>-<NNN>'` literal in
 * lib/ (a warning's number starts with W), with the prop or path and the message it goes with. Writes
 * lib/core/problem-codes.ts (the codes and their severity, which `acknowledgeWarnings` is checked
 * against) and docs/problem-codes.md (the table users search). `--check` fails when either is stale
 * or when a code breaks the rules below.
 *
 * Rules: a code passed to `Problems.warn` is a warning code (W), one passed to `Problems.add` is not;
 * every code's area is listed below; every code is raised with a message somewhere. One rule may be
 * applied at several sites (a plan and `check`), under one code.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CODE = /^ORS-([A-Z0-9]+)-(W?)(\d{3})$/;
const CODES_FILE = 'lib/core/problem-codes.ts';
const DOCS_FILE = 'docs/problem-codes.md';

/** The areas, in the order the page lists them, each with what it covers. */
const AREAS = {
  PROPS: 'Props every construct, component and planner checks first (shape, types, common props)',
  CRD: 'The Config as the API server admits it (the CRD\'s OpenAPI schema)',
  CONFIG: 'The Config as the operator reads it',
  S3: 'Amazon S3 and S3-compatible storage',
  GCS: 'Google Cloud Storage',
  AZURE: 'Azure Blob Storage',
  SWIFT: 'OpenStack Swift',
  IBMCOS: 'IBM Cloud Object Storage',
  PVC: 'A PersistentVolumeClaim',
  EMPTYDIR: 'emptyDir (non-production)',
  OBC: 'An ObjectBucketClaim (OpenShift Data Foundation, NooBaa, Rook)',
  PROVISION: 'A cdk8s construct\'s `provision` (the controller that creates the storage)',
  JOB: 'The library\'s Jobs (removal of other storage blocks, claim credentials)',
  CDK8S: 'The cdk8s constructs',
  PULUMI: 'The Pulumi components',
  CHECK: '`check` of live objects (`oc get -o yaml`)',
  FLEET: 'Fleet inventories (`fleet check`, `fleet synth`)',
  MIGRATE: 'Moving the images to new storage (`planStorageMigration`, `migrate`)',
  PRUNER: 'The image pruner (`imagePruner`, and ImagePruner objects in `check`)',
  ADOPT: 'Adopting the storage the operator created (`adopt`, `infrastructureName`)',
  CORE: 'The core, outside any one kind',
};

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

/** Source text of a message or path as a reader sees it: literal parts kept, each computed part as `…`. */
function render(node) {
  if (!node) return '';
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `…${s.literal.text}`).join('');
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return render(node.left) + render(node.right);
  if (ts.isParenthesizedExpression(node)) return render(node.expression);
  return '…';
}

function scan() {
  const sites = [];
  const problems = [];
  for (const file of walk(path.join(ROOT, 'lib'))) {
    const rel = path.relative(ROOT, file);
    if (rel === CODES_FILE) continue;
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n) => {
      if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && /^ORS-/.test(n.text)) {
        const line = sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
        const m = CODE.exec(n.text);
        if (!m) {
          problems.push(`${rel}:${line}: ${n.text} is not a code: ORS-<AREA>-<NNN>, or ORS-<AREA>-W<NNN> for a warning`);
        } else {
          const p = n.parent;
          let where = '';
          let message = '';
          if (ts.isCallExpression(p) && p.arguments.length >= 2 && p.arguments[p.arguments.length - 1] === n) {
            // add(path, message, code), or a helper's (message, code) whose path is the value's own
            where = p.arguments.length >= 3 ? render(p.arguments[p.arguments.length - 3]) : '';
            message = render(p.arguments[p.arguments.length - 2]);
            const method = ts.isPropertyAccessExpression(p.expression) ? p.expression.name.text : '';
            if (method === 'warn' && !m[2]) problems.push(`${rel}:${line}: ${n.text} is raised as a warning: give it a W number`);
            if (method === 'add' && m[2]) problems.push(`${rel}:${line}: ${n.text} is raised as an error: its number must not start with W`);
          } else if (ts.isVariableDeclaration(p)) {
            // a named code (a constant the message's site reads): its doc comment says what it is
            const doc = /\/\*\*([\s\S]*?)\*\//.exec(p.parent.parent.getFullText(sf))?.[1] ?? '';
            message = doc.replace(/^\s*\*/gm, ' ').replace(/@internal/, '').replace(/\{@link ([^}]+)\}/g, '$1').replace(/\s+/g, ' ').trim();
          } else if (ts.isPropertyAssignment(p) && ts.isObjectLiteralExpression(p.parent)) {
            const prop = (name) => p.parent.properties.find((q) => q.name && q.name.getText(sf) === name);
            const init = (q) => (q && ts.isPropertyAssignment(q) ? q.initializer : undefined);
            where = prop('path') && ts.isShorthandPropertyAssignment(prop('path')) ? '…' : render(init(prop('path')));
            message = prop('message') && ts.isShorthandPropertyAssignment(prop('message')) ? '…' : render(init(prop('message')));
          }
          sites.push({ code: n.text, area: m[1], warning: m[2] === 'W', number: Number(m[3]), file: rel, line, where, message });
          if (!(m[1] in AREAS)) problems.push(`${rel}:${line}: ${n.text}: area ${m[1]} is not one of ${Object.keys(AREAS).join(', ')}`);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { sites, problems };
}

function build() {
  const { sites, problems } = scan();
  const byCode = new Map();
  for (const s of sites) {
    if (!byCode.has(s.code)) byCode.set(s.code, []);
    byCode.get(s.code).push(s);
  }
  const codes = [...byCode.keys()].sort((a, b) => {
    const [x, y] = [CODE.exec(a), CODE.exec(b)];
    const ax = Object.keys(AREAS).indexOf(x[1]);
    const ay = Object.keys(AREAS).indexOf(y[1]);
    return ax - ay || x[2].localeCompare(y[2]) || Number(x[3]) - Number(y[3]);
  });
  for (const code of codes) {
    const own = byCode.get(code).filter((s) => s.message !== '');
    if (own.length === 0) problems.push(`${code}: no site raises it with a message (${byCode.get(code).map((s) => `${s.file}:${s.line}`).join(', ')})`);
  }
  const codesTs = [
    '// Generated by scripts/problem-codes.mjs from the codes the library raises: do not edit.',
    '// `npx projen problem-codes` rewrites it (and docs/problem-codes.md); `npm test` fails when it is stale.',
    '',
    '/**',
    ' * @internal Every problem code the library raises, with its severity. A warning\'s number starts',
    ' * with W; only warnings can be acknowledged.',
    ' */',
    'export const PROBLEM_CODES: Readonly<Record<string, \'error\' | \'warning\'>> = {',
    ...codes.map((c) => `  '${c}': '${CODE.exec(c)[2] ? 'warning' : 'error'}',`),
    '};',
    '',
  ].join('\n');
  const cell = (s) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
  const docs = [
    '# Problem codes',
    '',
    'Every problem the library reports carries a stable code: `ORS-<area>-<number>`, where a warning\'s',
    'number starts with `W`. Errors stop `pulumi up`, cdk8s synthesis and the CLI; warnings are printed',
    'and never stop anything. A code stays the same on every path that applies the rule (the core, both',
    'flavours, `check` and the fleet), and a retired code is never reused.',
    '',
    'The error message (`RegistryStorageValidationError`) ends each line with the code:',
    '',
    '```text',
    'S3RegistryStorage: 1 problem',
    '  - regionEndpoint: must be the bare service URL without a path, got path "/registry" [ORS-S3-003]',
    '```',
    '',
    'A warning you have read and accept can be acknowledged by its code, and is then no longer printed:',
    '`acknowledgeWarnings: [\'ORS-PVC-W001\']` on any construct or component (and in a fleet inventory\'s',
    '`common`), or `--acknowledge ORS-PVC-W001` on the CLI. Acknowledging an error, or a code that does',
    'not exist, is itself an error: errors are fixed, not silenced.',
    '',
    'In the messages below, `…` stands for a value the message names (the prop\'s value, a limit).',
    'This page is generated from the source by `npx projen problem-codes`; a test keeps it current.',
    '',
    ...Object.entries(AREAS).flatMap(([area, title]) => {
      const own = codes.filter((c) => CODE.exec(c)[1] === area);
      if (own.length === 0) return [];
      return [
        `## ${area}: ${title}`,
        '',
        '| Code | Severity | Prop or path | Message |',
        '|---|---|---|---|',
        ...own.map((c) => {
          const site = byCode.get(c).find((s) => s.message !== '') ?? byCode.get(c)[0];
          const where = site.where === '' ? '' : /^…+$/.test(site.where) ? 'any' : `\`${cell(site.where)}\``;
          return `| \`${c}\` | ${CODE.exec(c)[2] ? 'warning' : 'error'} | ${where} | ${cell(site.message)} |`;
        }),
        '',
      ];
    }),
  ].join('\n');
  return { codesTs, docs, problems };
}

const { codesTs, docs, problems } = build();
if (problems.length > 0) {
  console.error(`problem codes: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
if (process.argv.includes('--check')) {
  const stale = [[CODES_FILE, codesTs], [DOCS_FILE, docs]]
    .filter(([f, text]) => !fs.existsSync(path.join(ROOT, f)) || fs.readFileSync(path.join(ROOT, f), 'utf8') !== text)
    .map(([f]) => f);
  if (stale.length > 0) {
    console.error(`${stale.join(' and ')} ${stale.length === 1 ? 'is' : 'are'} stale: run npx projen problem-codes`);
    process.exit(1);
  }
} else {
  fs.writeFileSync(path.join(ROOT, CODES_FILE), codesTs);
  fs.writeFileSync(path.join(ROOT, DOCS_FILE), docs);
}
