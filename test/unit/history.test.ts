// Reading the journal for the History view (src/core/journal/history.ts): which entries can still be undone
// and why not, which deleted types can be restored, grouping, and the time in the display language; and the
// words of the view (src/vscode/historyText.ts) in English and Vietnamese, with every outcome and error code
// translated. historyText needs only `l10n.t` and `env.language` of VS Code: fixtures/vscodeL10nStub.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import * as path from 'node:path';
import { type JournalEntry, parseJournalEntry } from '../../src/core/journal/entry';
import { formatEntryTime, JournalHistory, type UndoRefusal } from '../../src/core/journal/history';
import type { VbotErrorKind } from '../../src/core/vbotError';
import type * as HistoryTextModule from '../../src/vscode/historyText';
import type * as StubModule from './fixtures/vscodeL10nStub';

const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = loader._resolveFilename;
const STUB = path.join(__dirname, 'fixtures', 'vscodeL10nStub.ts');
loader._resolveFilename = function (request: string, ...rest: unknown[]) {
  return resolveFilename.call(this, request === 'vscode' ? STUB : request, ...rest);
};
/* eslint-disable @typescript-eslint/no-require-imports */
const text = require('../../src/vscode/historyText') as typeof HistoryTextModule;
const { env } = require(STUB) as typeof StubModule;
/* eslint-enable @typescript-eslint/no-require-imports */
loader._resolveFilename = resolveFilename;

let n = 0;
/** An entry as the journal reads it back; a second later than the one made before it. */
function entry(fields: Partial<JournalEntry> & Pick<JournalEntry, 'operation' | 'typeNo'>): JournalEntry {
  n++;
  const made = parseJournalEntry({
    id: `e${n}`,
    at: new Date(Date.UTC(2026, 10, 29, 6, 29, n % 60)).toISOString(),
    profile: 'default',
    vbotId: 'VB1',
    projectCode: 'P1',
    outcome: 'done',
    ...fields,
  });
  assert.ok(made, 'a valid entry');
  return made;
}
const create = (typeNo: string, typeName: string, more: Partial<JournalEntry> = {}) =>
  entry({ operation: 'create', typeNo, after: { typeNo, typeName }, ...more });
const rename = (typeNo: string, from: string, to: string, more: Partial<JournalEntry> = {}) =>
  entry({ operation: 'rename', typeNo, before: { typeNo, typeName: from }, after: { typeNo, typeName: to }, ...more });
const remove = (typeNo: string, typeName: string, more: Partial<JournalEntry> = {}) =>
  entry({ operation: 'delete', typeNo, before: { typeNo, typeName }, ...more });
/** The journal of these entries, given oldest first (as they happened). */
const journal = (...oldestFirst: JournalEntry[]) => new JournalHistory([...oldestFirst].reverse());
const reason = (h: JournalHistory, e: JournalEntry) => {
  const check = h.undoCheck(e);
  return check.ok ? 'ok' : check.reason;
};

describe('per-entry undo check (JournalHistory.undoCheck)', () => {
  it('an older entry can be undone when later changes touched other types: delete A, rename B → create A again', () => {
    const delA = remove('A', 'Khách A');
    const h = journal(create('A', 'Khách A'), create('B', 'Một'), delA, rename('B', 'Một', 'Hai'));
    const check = h.undoCheck(delA);
    assert.ok(check.ok);
    assert.deepEqual(check.change, { op: 'create', vbotId: 'VB1', projectCode: 'P1', after: { typeNo: 'A', typeName: 'Khách A' } });
    assert.equal(check.undoOf, delA.id);
    assert.ok(h.undoCheck({ ...delA }).ok, 'the same entry read again (another object) is the same entry');
  });

  it('refuses when the type changed since, naming the later change', () => {
    const made = create('A', 'Một');
    const renamed = rename('A', 'Một', 'Hai');
    const h = journal(made, renamed);
    const check = h.undoCheck(made);
    assert.ok(!check.ok);
    assert.equal(check.reason, 'changedSince');
    assert.equal(check.later, renamed);
    assert.equal(reason(h, renamed), 'ok', 'the later change itself can be undone');
  });

  it('a later change of code touches both codes; a failed later change touches nothing; one that may have been made does', () => {
    const made = create('B', 'Một');
    assert.equal(
      reason(
        journal(
          made,
          entry({ operation: 'changeCode', typeNo: 'A', before: { typeNo: 'A', typeName: '' }, after: { typeNo: 'B', typeName: '' } }),
        ),
        made,
      ),
      'changedSince',
    );
    assert.equal(reason(journal(made, rename('B', 'Một', 'Hai', { outcome: 'failed', message: 'signedOut' })), made), 'ok');
    assert.equal(reason(journal(made, rename('B', 'Một', 'Hai', { outcome: 'unknown', message: 'timeout' })), made), 'changedSince');
  });

  it('an undone entry is refused as already undone, and its undo can be undone in turn', () => {
    const renamed = rename('A', 'Một', 'Hai');
    const undo = rename('A', 'Hai', 'Một', { undoOf: renamed.id });
    const h = journal(create('A', 'Một'), renamed, undo);
    const check = h.undoCheck(renamed);
    assert.ok(!check.ok);
    assert.equal(check.reason, 'alreadyUndone');
    assert.equal(check.later, undo);
    assert.equal(reason(h, undo), 'ok');
  });

  it('gives a reason for every entry that cannot be undone by itself', () => {
    const cases: Array<[JournalEntry, UndoRefusal]> = [
      [create('F', 'x', { outcome: 'failed', message: 'forbidden' }), 'failed'],
      [create('U', 'x', { outcome: 'unknown', message: 'timeout' }), 'outcomeUnknown'],
      [entry({ operation: 'delete', typeNo: 'N' }), 'nameUnknown'],
      [entry({ operation: 'rename', typeNo: 'R', after: { typeNo: 'R', typeName: 'b' } }), 'earlierNameUnknown'],
      [rename('S', 'same', 'same'), 'nothingChanged'],
      [entry({ operation: 'changeCode', typeNo: 'C' }), 'codesUnknown'],
      [create('bad code with spaces and far too long for a VBot code, which is refused by validation '.repeat(2), 'x'), 'invalid'],
    ];
    for (const [e, expected] of cases) assert.equal(reason(journal(e), e), expected, e.operation);
  });

  it('changes of another profile or project do not count', () => {
    const made = create('A', 'Một');
    assert.equal(
      reason(journal(made, rename('A', 'Một', 'Hai', { profile: 'staging' }), rename('A', 'Một', 'Ba', { projectCode: 'P2' })), made),
      'ok',
    );
  });

  it('refuses when the local list shows the type otherwise than the entry left it', () => {
    const delA = remove('A', 'Khách A');
    const renamed = rename('B', 'Một', 'Hai');
    const h = journal(delA, renamed);
    assert.equal(h.undoCheck(delA, (code) => (code === 'A' ? { typeName: 'Khách A' } : undefined)).ok, false, 'A is listed again');
    assert.equal(h.undoCheck(delA, () => undefined).ok, true);
    const listed = (name: string) => (code: string) => (code === 'B' ? { typeName: name } : undefined);
    assert.equal(h.undoCheck(renamed, listed('Hai')).ok, true);
    const other = h.undoCheck(renamed, listed('Ba'));
    assert.ok(!other.ok && other.reason === 'listDiffers');
  });
});

describe('deleted types that can be restored (JournalHistory.deletedTypes)', () => {
  it('lists the deletes not followed by a change on their code, newest first, per profile and project', () => {
    const delA = remove('A', 'Khách A');
    const delB = remove('B', 'Khách B');
    const delC = remove('C', 'Khách C', { projectCode: 'P2' });
    const h = journal(
      create('A', 'Khách A'),
      delA,
      remove('B', 'Khách B'),
      create('B', 'Khách B mới'),
      delB,
      delC,
      create('D', 'x'),
      remove('D', 'x', { profile: 'staging' }),
    );
    assert.deepEqual(
      h.deletedTypes({ profile: 'default' }).map((e) => e.id),
      [delC.id, delB.id, delA.id],
    );
    assert.deepEqual(
      h.deletedTypes({ profile: 'default', vbotId: 'VB1', projectCode: 'P1' }).map((e) => e.typeNo),
      ['B', 'A'],
    );
    const recreated = journal(delA, create('A', 'Khách A', { undoOf: delA.id }));
    assert.deepEqual(recreated.deletedTypes({ profile: 'default' }), [], 'restored: no longer listed');
    assert.deepEqual(
      h
        .deletedTypes({ profile: 'default' }, (_v, p) =>
          p === 'P2' ? (code) => (code === 'C' ? { typeName: 'Khách C' } : undefined) : undefined,
        )
        .map((e) => e.typeNo),
      ['B', 'A'],
      'C is in the local list again',
    );
  });
});

describe('grouping and time', () => {
  it("groups a profile's entries per project, the project changed last first, entries newest first", () => {
    const a1 = create('A', 'x');
    const b1 = create('B', 'x', { projectCode: 'P2' });
    const a2 = rename('A', 'x', 'y');
    const h = journal(a1, b1, create('Z', 'x', { profile: 'staging' }), a2);
    assert.deepEqual(
      h.byProject('default').map((g) => [g.projectCode, g.entries.map((e) => e.id)]),
      [
        ['P1', [a2.id, a1.id]],
        ['P2', [b1.id]],
      ],
    );
  });

  it('formats the time in the display language, not always as US English', () => {
    const at = '2026-11-29T06:29:42.000Z';
    assert.equal(formatEntryTime(at, 'en', 'UTC'), 'Nov 29, 2026, 6:29:42 AM');
    const vi = formatEntryTime(at, 'vi', 'UTC');
    assert.match(vi, /06:29:42/);
    assert.match(vi, /29 thg 11, 2026/);
    assert.doesNotMatch(vi, /11\/29\/2026|AM|PM/);
    assert.match(formatEntryTime(at, 'de', 'UTC'), /29\.11\.2026/);
    assert.equal(formatEntryTime(at, 'not a language!', 'UTC'), formatEntryTime(at, Intl.DateTimeFormat().resolvedOptions().locale, 'UTC'));
  });
});

describe('the words of the History view (historyText)', () => {
  const KINDS: VbotErrorKind[] = [
    'invalidInput',
    'invalidParams',
    'unauthorized',
    'authFailed',
    'forbidden',
    'notFound',
    'alreadyExists',
    'serverError',
    'apiError',
    'httpError',
    'badResponse',
    'network',
    'timeout',
    'cancelled',
    'badUrl',
    'signedOut',
    'profileChanged',
  ];
  const REASONS: UndoRefusal[] = [
    'failed',
    'outcomeUnknown',
    'alreadyUndone',
    'changedSince',
    'listDiffers',
    'nameUnknown',
    'earlierNameUnknown',
    'codesUnknown',
    'nothingChanged',
    'invalid',
  ];

  for (const language of ['en', 'vi']) {
    it(`${language}: every error code an entry may hold is said in words, never as the code`, () => {
      env.language = language;
      for (const kind of KINDS) {
        for (const outcome of ['failed', 'unknown'] as const) {
          const said = text.outcomeDetail(remove('A', 'x', { outcome, message: kind }))!;
          // A code such as signedOut never shows; a sentence does (an English word like "timeout" may be in it).
          assert.ok(said && said.length > 20 && (!/[A-Z]/.test(kind) || !said.includes(kind)), `${kind} (${outcome}): ${said}`);
          if (language === 'vi') assert.match(said, /[ạảấầẩậắằẳặẹẻếềểệịọỏốồổộớờởợụủứừửự]/, `${kind} in Vietnamese: ${said}`);
        }
      }
      const outcomes = ['done', 'failed', 'unknown'].map((outcome) =>
        text.outcomeText(create('A', 'x', { outcome } as Partial<JournalEntry>)),
      );
      assert.deepEqual(
        outcomes,
        language === 'en' ? ['done', 'failed', 'may have been applied'] : ['thành công', 'thất bại', 'có thể đã được áp dụng'],
      );
    });
  }

  it('vi: what happened, when, and why an undo is refused, in Vietnamese', () => {
    env.language = 'vi';
    const e = remove('VIP', 'Khách VIP');
    assert.equal(text.describeEntry(e), 'Đã xóa "Khách VIP" (VIP)');
    assert.equal(text.describeEntry(rename('A', 'Một', 'Hai')), 'Đã đổi tên A: "Một" → "Hai"');
    assert.equal(text.entryTime(e), formatEntryTime(e.at, 'vi'));
    env.language = 'en';
    const english = REASONS.map((r) => text.refusalText(r, e));
    env.language = 'vi';
    for (const [i, r] of REASONS.entries()) assert.notEqual(text.refusalText(r, e), english[i], `${r} is translated`);
    assert.match(text.refusalText('changedSince', e), /Đã xóa "Khách VIP" \(VIP\)/);
  });

  it("a server's own message is shown as its words (outside text), a recovered change says so", () => {
    env.language = 'en';
    const said = text.outcomeDetail(remove('A', 'x', { outcome: 'failed', message: 'Không có quyền [x](command:evil)' }))!;
    assert.match(said, /^The server refused this change\. Server message: Không có quyền/);
    assert.doesNotMatch(said, /\]\(command:/, 'a link in outside text is broken');
    assert.equal(
      text.outcomeDetail(create('A', 'x', { message: 'made by an earlier attempt whose answer was lost' })),
      'Made by an earlier attempt whose answer was lost.',
    );
    assert.equal(text.outcomeDetail(create('A', 'x')), undefined);
  });

  it('the tooltip escapes names as Markdown and says what the undo will do', () => {
    env.language = 'en';
    const e = remove('A', '**bold** <b>x</b>');
    const tip = text.entryTooltip(e, {
      ok: true,
      change: { op: 'create', vbotId: 'VB1', projectCode: 'P1', after: { typeNo: 'A', typeName: '**bold** <b>x</b>' } },
    });
    assert.doesNotMatch(tip, /[^\\]\*\*bold/);
    assert.doesNotMatch(tip, /<b>/);
    assert.match(tip, /Undo: create A/);
  });
});
