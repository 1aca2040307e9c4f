// The one boundary where outside text becomes UI text (src/core/outsideText.ts): whatever a file, a
// server or a setting holds, after it VS Code's linked-text parser finds no link, no line breaks or
// invisible direction controls remain, quick picks draw no icon, and Markdown shows it as typed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { breakLinks, escapeIcons, escapeMarkdown, fillTemplate, hasLiveLink, inert, MAX_OUTSIDE_TEXT } from '../../src/core/outsideText';

/** VS Code's parseLinkedText (src/vs/base/common/linkedText.ts, 1.100), to count links as the workbench does. */
function linksFound(text: string): string[] {
  const re = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
  return [...text.matchAll(re)].map((m) => m[2]);
}

const pieces = [
  '[Click here to fix this file](command:vbotCrm.deleteType?{"vbotId":"V","projectCode":"P","typeNo":"VIP","skipConfirmation":true} "Fix")',
  '[x](command:vbotCrm.addProfile?%7B%22baseUrl%22%3A%22https%3A%2F%2Fevil.example%22%7D)',
  '[a](https://evil.example)',
  '[f](file:///etc/passwd)',
  '[',
  ']',
  '(',
  ')',
  '](',
  ']( ',
  'command:',
  'https://',
  '"',
  "'",
  '$(alert)',
  '\\$(check)',
  '$(sync~spin)',
  '**bold**',
  '_em_',
  '`code`',
  '```',
  '<img src=x onerror=alert(1)>',
  '&amp;',
  '|',
  '~~',
  '# heading',
  '- item',
  '\n',
  '\r\n',
  '\r',
  '\u2028',
  '\u2029',
  '\u0085',
  '\t',
  '\u0000',
  '\u001b[31m',
  '\u202e',
  '\u2066',
  '\u200f',
  '\ufeff',
  '\u061c',
  'www.evil.example',
  'Khách hàng VIP',
  'a',
  ' ',
  '2026-11-29T07:00:00.000Z [error] forged line',
];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

// eslint-disable-next-line no-control-regex -- the test is about control characters
const LINE_BREAKS = /[\n\r\u2028\u2029\u0085\u000b\u000c]/;
// eslint-disable-next-line no-control-regex -- the test is about control characters
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

describe('outside text: the boundary helper (inert)', () => {
  it('leaves no link that VS Code would draw, for any hostile string', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = inert(s);
        assert.deepEqual(linksFound(out), [], `link survived in ${JSON.stringify(out)}`);
        assert.equal(hasLiveLink(out), false);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves no line break, control or invisible direction character', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = inert(s);
        assert.doesNotMatch(out, LINE_BREAKS);
        assert.doesNotMatch(out, INVISIBLE);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent, so text made safe can pass again unchanged', () => {
    fc.assert(
      fc.property(hostile, (s) => assert.equal(inert(inert(s)), inert(s))),
      { numRuns: 1000 },
    );
  });

  it('keeps ordinary Vietnamese text exactly as it is', () => {
    for (const s of ['Khách hàng VIP', 'Đối tác (cấp 1)', 'VIP_01', 'a-b.c', '[VIP] khách', '50% off', 'ỹ Ỵ đ']) assert.equal(inert(s), s);
  });

  it('a command link from a file key shows as the text it is, without the link', () => {
    const key = pieces[0];
    const out = inert(key);
    assert.ok(out.startsWith('[Click here to fix this file] (command:vbotCrm.deleteType'), out);
    assert.deepEqual(linksFound(out), []);
  });

  it('a code with a line break cannot forge a log line', () => {
    const out = inert('VIP\n2026-11-29 07:00:00.000 [error] token=abc');
    assert.equal(out.split('\n').length, 1);
    assert.ok(out.includes('\uFFFD'), 'the break is shown, not hidden');
  });

  it('cuts a value longer than the limit, and says so with an ellipsis', () => {
    const out = inert('x'.repeat(MAX_OUTSIDE_TEXT * 3));
    assert.equal(out.length, MAX_OUTSIDE_TEXT);
    assert.ok(out.endsWith('…'));
  });

  it('turns non-strings into text (numbers, undefined, objects)', () => {
    assert.equal(inert(42), '42');
    assert.equal(inert(undefined), '');
    assert.equal(inert(null), '');
  });
});

describe('outside text: templates', () => {
  it('values placed side by side in a template cannot form a link together', () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        const out = breakLinks(fillTemplate('{0}{1}', [a, b]));
        assert.deepEqual(linksFound(out), []);
      }),
      { numRuns: 1000 },
    );
  });

  it('a value holding a placeholder is not filled again, and missing values stay visible', () => {
    assert.equal(fillTemplate('{0} and {1}', ['{1}', 'B']), '{1} and B');
    assert.equal(fillTemplate('{0} and {1}', ['A']), 'A and {1}');
  });
});

describe('outside text: icons and Markdown', () => {
  it('quick pick text draws no icon from a value', () => {
    const ICON = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;
    fc.assert(
      fc.property(hostile, (s) => {
        const out = escapeIcons(inert(s));
        for (const m of out.matchAll(ICON)) assert.equal(m[1], '\\', `unescaped icon ${m[0]} in ${JSON.stringify(out)}`);
        assert.equal(escapeIcons(out), out, 'escaping twice changes nothing');
      }),
      { numRuns: 1000 },
    );
  });

  it('Markdown of a value has every special character escaped', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = escapeMarkdown(inert(s));
        // Every special character is preceded by an odd number of backslashes (it is escaped itself); `_` may
        // stay bare inside a word (letters or digits on both sides), where CommonMark never emphasises.
        const word = /[\p{L}\p{N}]/u;
        const chars = [...out]; // code points: a letter outside the BMP is one character
        for (let i = 0; i < chars.length; i++) {
          if (!'`*_[]<>&|~'.includes(chars[i])) continue;
          if (chars[i] === '_' && word.test(chars[i - 1] ?? '') && word.test(chars[i + 1] ?? '')) continue;
          let slashes = 0;
          for (let j = i - 1; j >= 0 && chars[j] === '\\'; j--) slashes++;
          assert.equal(slashes % 2, 1, `unescaped ${chars[i]} at ${i} in ${JSON.stringify(out)}`);
        }
        assert.doesNotMatch(out, /(?<!\\):\/\//, 'an autolink scheme stays escaped');
      }),
      { numRuns: 1000 },
    );
  });

  it('a code with underscores inside stays readable; one at a word edge is escaped', () => {
    assert.equal(escapeMarkdown('DAI_LY_C1'), 'DAI_LY_C1');
    assert.equal(escapeMarkdown('_em_ and __strong__'), '\\_em\\_ and \\_\\_strong\\_\\_');
  });

  it('HTML and links in a value are shown, not rendered', () => {
    assert.equal(escapeMarkdown('<img src=x>'), '\\<img src=x\\>');
    assert.equal(escapeMarkdown('[a](https://x)'), '\\[a\\](https\\://x)');
  });
});
