// The layout rules a newcomer relies on, checked on the source itself: the core is pure (no `vscode`, no
// console), no module imports itself through others (a cycle), and no file grows past one concern's size.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const SRC = resolve(__dirname, '../../src');
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

const files = sourceFiles(SRC);
const text = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));

/** The project files a file imports (static `import … from`, `export … from` and `import('…')`), type imports included. */
function importsOf(file: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+)'/gm;
  for (const match of text.get(file)!.matchAll(pattern)) {
    const target = resolve(dirname(file), match[1]);
    const candidates = [`${target}.ts`, join(target, 'index.ts')];
    const hit = candidates.find((c) => text.has(c));
    if (hit) found.push(hit);
  }
  return found;
}

test('the core never imports vscode and never writes to the console', () => {
  const offenders = files
    .filter((f) => relative(SRC, f).startsWith('core'))
    .filter((f) => /from\s+'vscode'|import\s*\(\s*'vscode'\s*\)|\bconsole\./.test(text.get(f)!))
    .map((f) => relative(SRC, f));
  assert.deepEqual(offenders, []);
});

test('no import cycle in src/', () => {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file)!) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(cycles, []);
});

test(`no file in src/ is longer than ${MAX_LINES} lines`, () => {
  const long = files
    .filter((f) => text.get(f)!.split('\n').length > MAX_LINES)
    .map((f) => `${relative(SRC, f)}: ${text.get(f)!.split('\n').length}`);
  assert.deepEqual(long, []);
});

test('the checks see the source (a broken path would make them pass on nothing)', () => {
  assert.ok(files.length > 40, `${files.length} files`);
  assert.ok(importsOf(join(SRC, 'extension.ts')).length > 5);
});
