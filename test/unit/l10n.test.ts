// Localization bundles: the English bundle matches the strings in the code (re-extracted with
// @vscode/l10n-dev), the Vietnamese bundle translates every key with the same placeholders and
// codicons, and every %key% of package.json resolves in both package.nls files.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const L10N_CLI = path.join(ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');

type Strings = Record<string, string>;

function readJson(relative: string): Strings {
  const text = readFileSync(path.join(ROOT, relative), 'utf8');
  const parsed: unknown = JSON.parse(text);
  assert.ok(parsed && typeof parsed === 'object' && !Array.isArray(parsed), `${relative} is not a JSON object`);
  const out: Strings = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    // l10n-dev writes a plain string, or { message, comment } when the code passes comments.
    const message = typeof v === 'string' ? v : (v as { message?: unknown } | null)?.message;
    assert.equal(typeof message, 'string', `${relative}: the value of ${JSON.stringify(k)} is not a string`);
    out[k] = message as string;
  }
  return out;
}

const placeholders = (s: string): string[] => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort();
const codicons = (s: string): string[] => (s.match(/\$\([a-z0-9-]+(?:~[a-z]+)?\)/g) ?? []).sort();
const commandLinks = (s: string): string[] => s.match(/\]\(command:[^)]+\)/g) ?? [];
const sorted = (o: object): string[] => Object.keys(o).sort();
/** Letters only Vietnamese uses (with their tone marks), lower and upper case. */
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;

function run(file: string, args: string[], cwd: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, timeout: timeoutMs }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(args[0] ?? file)} failed: ${error.message}\n${stderr}`));
      else resolve();
    });
  });
}

describe('l10n bundle (English) is up to date with the code', () => {
  let tmp = '';
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'vbot-l10n-'));
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('re-extracting src gives exactly the keys of l10n/bundle.l10n.json', { timeout: 60_000 }, async () => {
    // Same as `npx @vscode/l10n-dev export -o <dir> src`, without going through npx.
    await run(process.execPath, [L10N_CLI, 'export', '-o', tmp, 'src'], ROOT, 55_000);
    const fresh = JSON.parse(readFileSync(path.join(tmp, 'bundle.l10n.json'), 'utf8')) as Strings;
    const committed = readJson('l10n/bundle.l10n.json');
    const missing = Object.keys(fresh).filter((k) => !(k in committed));
    const stale = Object.keys(committed).filter((k) => !(k in fresh));
    assert.deepEqual(
      { missing, stale },
      { missing: [], stale: [] },
      'l10n/bundle.l10n.json is out of date: run `npx @vscode/l10n-dev export -o l10n src`',
    );
  });

  it('every English value is its own key', () => {
    for (const [k, v] of Object.entries(readJson('l10n/bundle.l10n.json'))) assert.equal(v, k);
  });
});

describe('l10n bundle (Vietnamese)', () => {
  const en = readJson('l10n/bundle.l10n.json');
  const vi = readJson('l10n/bundle.l10n.vi.json');

  it('has the same keys as the English bundle: none missing, none stale', () => {
    const missing = Object.keys(en).filter((k) => !(k in vi));
    const stale = Object.keys(vi).filter((k) => !(k in en));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
  });

  it('has a non-empty translation for every key', () => {
    const empty = Object.entries(vi)
      .filter(([, v]) => v.trim() === '')
      .map(([k]) => k);
    assert.deepEqual(empty, []);
  });

  it('keeps exactly the placeholders {n} of each English string', () => {
    for (const key of Object.keys(en)) {
      if (!(key in vi)) continue;
      assert.deepEqual(placeholders(vi[key]), placeholders(key), `placeholders of ${JSON.stringify(key)}`);
    }
  });

  it('keeps the codicons $(name) of each English string', () => {
    for (const key of Object.keys(en)) {
      if (!(key in vi)) continue;
      assert.deepEqual(codicons(vi[key]), codicons(key), `codicons of ${JSON.stringify(key)}`);
    }
  });

  it('keeps product terms, command ids and setting ids that the English text names', () => {
    const terms = /VBotID|VBot|vbotCrm\.[A-Za-z.]+|vbot-types\.json|deleteUnlisted|X-API-Key|HTTP|JSON|CSV|Escape|VS Code/g;
    for (const key of Object.keys(en)) {
      if (!(key in vi)) continue;
      for (const term of new Set(key.match(terms) ?? [])) {
        assert.ok(vi[key].includes(term), `${JSON.stringify(vi[key])} lost "${term}" of ${JSON.stringify(key)}`);
      }
    }
  });

  it('is actually Vietnamese (diacritics) for a sample of strings', () => {
    const sample = [
      'Add Customer Type',
      'Delete',
      'Sign In',
      'Show Log',
      'Open Settings',
      'Export Customer Types',
      'Import Customer Types',
      'The username or password is not correct.',
      '{0} customer types',
      'Project {0} is already in the list.',
      'Your VBot session has expired or the token is not valid. Please sign in again.',
      'Added {0} to the local list (not sent to VBot) from {1}; {2} already in it.',
    ];
    for (const key of sample) {
      assert.ok(key in en, `sample key ${JSON.stringify(key)} is no longer in the English bundle; pick another`);
      assert.match(vi[key], VIETNAMESE, `${JSON.stringify(key)} → ${JSON.stringify(vi[key])}`);
    }
  });

  it('is mostly Vietnamese overall, not English copied over', () => {
    const untranslated = Object.keys(en).filter((k) => vi[k] === k);
    // A few strings can legitimately stay as they are (a product name alone, e.g. "The VBotID" → "VBotID" is fine).
    assert.ok(untranslated.length <= 3, `copied unchanged: ${JSON.stringify(untranslated)}`);
    const withDiacritics = Object.values(vi).filter((v) => VIETNAMESE.test(v)).length;
    assert.ok(
      withDiacritics >= Object.keys(vi).length * 0.9,
      `only ${withDiacritics} of ${Object.keys(vi).length} have Vietnamese letters`,
    );
  });
});

describe('package.json %keys% and package.nls files', () => {
  const manifestText = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const used = [...new Set([...manifestText.matchAll(/"%([^%"\s]+)%"/g)].map((m) => m[1]))].sort();
  const nlsEn = readJson('package.nls.json');
  const nlsVi = readJson('package.nls.vi.json');

  it('package.json uses %keys%', () => {
    assert.ok(used.length > 10, `found only ${used.length} %keys% in package.json`);
  });

  it('every %key% of package.json is in package.nls.json and package.nls.vi.json', () => {
    assert.deepEqual(
      used.filter((k) => !(k in nlsEn)),
      [],
      'missing from package.nls.json',
    );
    assert.deepEqual(
      used.filter((k) => !(k in nlsVi)),
      [],
      'missing from package.nls.vi.json',
    );
  });

  it('both nls files have the same keys', () => {
    assert.deepEqual(sorted(nlsVi), sorted(nlsEn));
  });

  it('no nls key is unused by package.json', () => {
    assert.deepEqual(
      Object.keys(nlsEn).filter((k) => !used.includes(k)),
      [],
    );
  });

  it('Vietnamese nls values are non-empty and keep command links, line breaks and placeholders', () => {
    for (const [key, en] of Object.entries(nlsEn)) {
      const vi = nlsVi[key];
      if (vi === undefined) continue;
      assert.ok(vi.trim() !== '', `${key} is empty`);
      assert.deepEqual(commandLinks(vi), commandLinks(en), `command links of ${key}`);
      assert.equal(vi.split('\n').length, en.split('\n').length, `line count of ${key}`);
      assert.deepEqual(placeholders(vi), placeholders(en), `placeholders of ${key}`);
    }
  });

  it('Vietnamese nls text is actually Vietnamese for a sample of keys', () => {
    for (const key of [
      'view.types.name',
      'command.signIn',
      'command.signOut',
      'command.addType',
      'command.refresh',
      'command.showLog',
      'welcome.signedOut',
      'config.baseUrl',
    ]) {
      assert.ok(key in nlsEn, `sample key ${key} is no longer in package.nls.json; pick another`);
      assert.match(nlsVi[key], VIETNAMESE, `${key} → ${JSON.stringify(nlsVi[key])}`);
    }
  });
});
