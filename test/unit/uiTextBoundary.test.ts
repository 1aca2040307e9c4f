// The safe path is the only easy one: the source itself is checked so that no outside value can reach
// UI text without passing say() (src/vscode/say.ts), whatever a later change forgets.
//  - vscode.l10n.t gets the message alone: values are filled in by say(), which makes them inert;
//  - notifications and dialogs are shown by the Notifier only, which accepts nothing but Safe text;
//  - none of our own messages contains a link, so the final check for links can never spoil one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

function calls(file: string, match: (call: ts.CallExpression, sf: ts.SourceFile) => boolean): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && match(node, sf)) {
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      found.push(`${path.relative(ROOT, file)}:${line + 1}: ${node.getText(sf).slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const SRC = sourceFiles(path.join(ROOT, 'src'));

describe('UI text boundary (checked in the source)', () => {
  it('every vscode.l10n.t call passes the message alone (values go through say)', () => {
    const offenders = SRC.flatMap((f) => calls(f, (c, sf) => c.expression.getText(sf).endsWith('l10n.t') && c.arguments.length !== 1));
    assert.deepEqual(offenders, [], 'pass values to say(vscode.l10n.t(message), ...values), not to vscode.l10n.t');
  });

  it('only the Notifier shows notifications and dialogs', () => {
    const shows = /^(vscode\.)?window\.show(Information|Warning|Error)Message$/;
    const offenders = SRC.filter((f) => !f.endsWith(path.join('src', 'vscode', 'notifier.ts'))).flatMap((f) =>
      calls(f, (c, sf) => shows.test(c.expression.getText(sf))),
    );
    assert.deepEqual(offenders, [], 'use Notifier.info/warn/error/confirm with say() text');
  });

  it('Markdown we build is never trusted and never runs HTML', () => {
    const offenders = SRC.filter((f) => /\.isTrusted\s*=|isTrusted:|supportHtml|enableCommandUris/.test(readFileSync(f, 'utf8'))).map((f) =>
      path.relative(ROOT, f),
    );
    assert.deepEqual(offenders, []);
  });

  it('none of our own messages holds a link (in either language)', () => {
    for (const bundle of ['l10n/bundle.l10n.json', 'l10n/bundle.l10n.vi.json']) {
      const strings = Object.entries(JSON.parse(readFileSync(path.join(ROOT, bundle), 'utf8')) as Record<string, unknown>).flatMap(
        ([k, v]) => [k, typeof v === 'string' ? v : ((v as { message?: string }).message ?? '')],
      );
      assert.deepEqual(
        strings.filter((s) => s.includes('](')),
        [],
        bundle,
      );
    }
  });
});
