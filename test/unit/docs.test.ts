// The documentation a user reads (issue 12): README.md is the Extensions page, short and for users; the whole
// command contract is in docs/commands.md. Checked here: every public command of package.json is documented
// there with the title VS Code shows; the README names the main ones by title; links between the pages point at
// files and headings that exist (GitHub's heading anchors); the README keeps the two set-up commands.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { routedCommands } from '../../src/core/commandArgs';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const manifest = JSON.parse(read('package.json'));
const nls = JSON.parse(read('package.nls.json')) as Record<string, string>;
const title = (value: string) => value.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? `<missing ${key}>`);

/** The commands of the contract: all contributed ones but the internal routes (view title buttons, tree keys). */
const routed = new Set(routedCommands(manifest).map((r) => r.id));
const publicCommands = (manifest.contributes.commands as Array<{ command: string; title: string }>).filter((c) => !routed.has(c.command));

/** Markdown outside fenced code blocks (a `#` comment in a sh block is no heading). */
const prose = (md: string) => md.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchor of a heading: lower case, punctuation dropped (letters of any script kept), spaces → "-". */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
const anchorsOf = (md: string) => new Set([...prose(md).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchor(m[1])));

const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  'docs/commands.md',
  'docs/user-guide.md',
  'docs/reliability.md',
  'docs/api-assumptions.md',
  'bench/README.md',
];

describe('the documentation', () => {
  it('docs/commands.md lists every public command of package.json with its English title, and no command that does not exist', () => {
    const doc = read('docs/commands.md');
    const rows = new Map([...doc.matchAll(/^\| `(vbotCrm\.[\w.]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2].trim()]));
    assert.ok(publicCommands.length >= 20, `${publicCommands.length} public commands`);
    for (const c of publicCommands) {
      assert.ok(rows.has(c.command), `${c.command} is not in docs/commands.md`);
      assert.equal(rows.get(c.command), title(c.title), `the title of ${c.command} in docs/commands.md`);
    }
    const known = new Set(publicCommands.map((c) => c.command));
    for (const id of rows.keys()) assert.ok(known.has(id), `docs/commands.md lists ${id}, which package.json does not contribute`);
  });

  it('the README names the main commands by their titles and links the full list', () => {
    const readme = read('README.md');
    for (const id of ['signIn', 'addProject', 'addType', 'deleteType', 'importTypes', 'exportTypes', 'plan', 'apply', 'switchProfile']) {
      const c = publicCommands.find((x) => x.command === `vbotCrm.${id}`);
      assert.ok(c, `vbotCrm.${id} is contributed`);
      assert.ok(readme.includes(`**${title(c.title)}**`), `the README names "${title(c.title)}"`);
    }
    assert.match(readme, /\]\(docs\/commands\.md\)/);
  });

  it('relative links between the pages point at files and headings that exist', () => {
    const problems: string[] = [];
    for (const page of PAGES) {
      const md = read(page);
      for (const [, target] of prose(md).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z][\w+.-]*:/i.test(target)) continue; // https:, mailto:, data:
        const [file, hash] = target.split('#');
        const path = file ? join(ROOT, dirname(page), file) : join(ROOT, page);
        if (!existsSync(path)) {
          problems.push(`${page}: ${target} (no such file)`);
          continue;
        }
        if (hash && !anchorsOf(readFileSync(path, 'utf8')).has(hash))
          problems.push(`${page}: ${target} (no heading #${hash} in ${relative(ROOT, path)})`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('the README is a page users read: about 200 lines, the two set-up commands, its screenshots from media/', () => {
    const readme = read('README.md');
    const lines = readme.split('\n').length;
    assert.ok(lines <= 230, `README.md has ${lines} lines`);
    assert.match(readme, /^npm ci && npm start\b/m);
    assert.match(readme, /^npm ci && npm test\b/m);
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(images, [
      'media/screenshot.png',
      'media/screenshot-plan.png',
      'media/screenshot-editor.png',
      'media/screenshot-history.png',
    ]);
  });
});
