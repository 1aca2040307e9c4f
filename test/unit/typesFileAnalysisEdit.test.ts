// The analysis of vbot-types.json after an edit (src/core/typesAsCode/fileAnalysisEdit.ts) reads only the project
// the edit is in: its result must be the whole file's reading, exactly (problems, their places and order, each
// project's plan), over many random one-character edits, including those that break the JSON or touch what spans
// projects (a project listed twice, the error limit, an unknown key at the top).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCodeUnits, type CachedProject } from '../../src/core/cache/model';
import { CacheSnapshot } from '../../src/core/cache/snapshot';
import { analyzeTypesFile, codeAt, FileReadings, type FileAnalysis } from '../../src/core/typesAsCode/fileAnalysis';
import { analyzeEdit } from '../../src/core/typesAsCode/fileAnalysisEdit';

const VB = 'VB-DEMO-0001';
const OTHER = 'VB-OTHER-0002';

function snapshotOf(projects: Record<string, Array<[string, string]>>): CacheSnapshot {
  const list: CachedProject[] = Object.entries(projects).map(([projectCode, types]) => ({
    vbotId: VB,
    projectCode,
    types: types
      .map(([typeNo, typeName]) => ({ typeNo, typeName, updatedAt: '2026-01-01T00:00:00.000Z' }))
      .sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo)),
  }));
  return new CacheSnapshot(list.sort((a, b) => compareCodeUnits(a.projectCode, b.projectCode)));
}

const cache = snapshotOf({
  SALES: [
    ['VIP', 'Khách VIP'],
    ['OLD', 'Khách cũ'],
    ['GONE', 'Đã bỏ'],
  ],
  SALEX: [['A', 'A']],
  SUPPORT: [['S1', 'Hỗ trợ 1']],
});

/** Projects of every kind: planned in full, with deleteUnlisted, a code change, errors, a copy, another account. */
function generated(): string {
  const projects: unknown[] = [
    {
      vbotId: VB,
      projectCode: 'SALES',
      deleteUnlisted: true,
      types: [
        { typeNo: 'VIP', typeName: 'Khách VIP mới' },
        { typeNo: 'OLD_2', typeName: 'Khách cũ' },
        { typeNo: 'NEW', typeName: 'Mới', previousCodes: ['X1'] },
      ],
    },
    {
      vbotId: VB,
      projectCode: 'SALEX',
      types: [
        { typeNo: 'A', typeName: 'A' },
        { typeNo: 'A', typeName: 'B' },
      ],
    },
    { vbotId: VB, projectCode: 'SALES', types: [] },
    { vbotId: OTHER, projectCode: 'SUPPORT', types: [{ typeNo: 'S1', typeName: 'x' }] },
    {
      vbotId: VB,
      projectCode: 'SUPPORT',
      types: [
        { typeNo: 'S1', typeName: 'Hỗ trợ 1', previousCodes: ['S2'] },
        { typeNo: 'S2', typeName: 'y', previousCodes: ['S1'] },
      ],
    },
    { vbotId: VB, projectCode: 'EMPTY', types: [{ typeNo: 'B', typeName: 'b', odd: 1 }] },
  ];
  return JSON.stringify({ $schema: 'x', version: 1, projects, extra: true }, null, 2);
}

/** What must be the same: everything but the jsonc-parser trees, which are made on demand. */
const seen = (a: FileAnalysis) => ({ problems: a.problems, projects: a.projects, errorCount: a.errorCount });

/** A small, seeded generator: the failing edit can be run again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = ['"', '{', '}', '[', ']', ',', ':', '\\', ' ', '\n', 'S', 'X', 'A', '1', 'Đ', 'e', 't'];

/** One character deleted, inserted or replaced: half of the time where a letter or digit is, as typing a value does. */
function edited(text: string, next: () => number): string {
  let at = Math.floor(next() * text.length);
  if (next() < 0.5) while (at < text.length - 1 && !/[\p{L}\d]/u.test(text[at])) at++;
  const c = ALPHABET[Math.floor(next() * ALPHABET.length)];
  const kind = Math.floor(next() * 3);
  if (kind === 0) return text.slice(0, at) + text.slice(at + 1);
  if (kind === 1) return text.slice(0, at) + c + text.slice(at);
  return text.slice(0, at) + c + text.slice(at + 1);
}

describe('vbot-types.json analysis after an edit', () => {
  test('over 1,000 random one-character edits it is the whole file reading, exactly, and most are read one project at a time', () => {
    const next = random(13);
    const start = generated();
    let text = start;
    let lastGood = start;
    let previous = analyzeTypesFile(text, cache, VB);
    let incremental = 0;
    let broken = 0;
    for (let step = 0; step < 1000; step++) {
      const before = text;
      text = edited(text, next);
      const full = analyzeTypesFile(text, cache, VB);
      const alone = analyzeEdit(previous, text, cache, VB);
      const chained = analyzeTypesFile(text, cache, VB, previous);
      const where = `step ${step}: ${JSON.stringify(before)} → ${JSON.stringify(text)}`;
      assert.deepEqual(seen(chained), seen(full), where);
      if (alone) {
        incremental++;
        assert.deepEqual(seen(alone), seen(full), where);
        // Places found later (hover, reveal) come from the new text's trees.
        for (let k = 0; k < 3; k++) {
          const offset = Math.floor(next() * text.length);
          const hit = (a: FileAnalysis) => {
            const h = codeAt(a, offset);
            return h && [h.project.index, h.typeNo, h.typeIndex];
          };
          assert.deepEqual(hit(alone), hit(full), `${where} at ${offset}`);
        }
      }
      if (full.problems.some((p) => p.code === 'badJson')) broken++;
      else lastGood = text;
      previous = chained;
      // Back to the last valid text now and then (mostly from a broken one), so that edits keep landing in a file that can be read.
      if (next() < (text === lastGood ? 0.05 : 0.5)) {
        text = next() < 0.5 ? lastGood : start;
        previous = analyzeTypesFile(text, cache, VB, previous);
        assert.deepEqual(seen(previous), seen(analyzeTypesFile(text, cache, VB)), 'back to a known text');
      }
    }
    assert.ok(incremental > 400, `read one project at a time: ${incremental} of 1000`);
    assert.ok(broken > 200, `edits that break the JSON: ${broken}`);
  });

  test('a project that becomes, or stops being, a copy of another is planned again, with or without its error', () => {
    const project = (code: string) => ({ vbotId: VB, projectCode: code, types: [{ typeNo: 'A', typeName: 'A' }] });
    const text = JSON.stringify(
      { version: 1, projects: [project('SALEX'), project('SALES'), project('SALES'), project('SALEX')] },
      null,
      2,
    );
    const steps = [
      text.replace('"SALEX"', '"SALES"'), // the first becomes a copy of nothing earlier: the later SALES are copies of it
      text.replace('"SALES"', '"SALEZ"'), // the first SALES is no longer one: the third project is the SALES read
      text.replace(/"SALEX"(?![\s\S]*"SALEX")/, '"SALEY"'), // the last copy stops being one
    ];
    for (const after of steps) {
      const previous = analyzeTypesFile(text, cache, VB);
      const alone = analyzeEdit(previous, after, cache, VB);
      assert.ok(alone, 'read one project at a time');
      assert.deepEqual(seen(alone), seen(analyzeTypesFile(after, cache, VB)), after);
      assert.deepEqual(seen(analyzeEdit(alone, text, cache, VB)!), seen(previous), 'and back');
    }
  });

  test('the error limit, another snapshot or account, an edit across projects or outside them: the whole file is read', () => {
    const many = Array.from({ length: 99 }, (_, i) => ({ typeNo: `T${i}`, typeName: '' }));
    const text = JSON.stringify({
      version: 1,
      projects: [
        { vbotId: VB, projectCode: 'A', types: many },
        { vbotId: VB, projectCode: 'B', types: [] },
      ],
    });
    const previous = analyzeTypesFile(text, cache, VB);
    assert.equal(previous.errorCount, 99);
    const hundredth = text.replace('"projectCode":"B"', '"projectCode":""');
    assert.equal(analyzeEdit(previous, hundredth, cache, VB), undefined, 'the 100th error stops the reader');
    assert.equal(analyzeTypesFile(hundredth, cache, VB, previous).projects[0].project, undefined, 'nothing read, as Plan');
    const fine = text.replace('"projectCode":"B"', '"projectCode":"C"');
    assert.ok(analyzeEdit(previous, fine, cache, VB));
    assert.equal(analyzeEdit(previous, fine, snapshotOf({}), VB), undefined);
    assert.equal(analyzeEdit(previous, fine, cache, ''), undefined);
    assert.equal(analyzeEdit(previous, text.replace('"version":1', '"version":1 '), cache, VB), undefined);
    assert.equal(analyzeEdit(previous, text.replace('},{', '},{"x":1},{'), cache, VB), undefined);
    assert.equal(analyzeEdit(previous, text, cache, VB), previous, 'the same text: the same analysis');
    assert.equal(analyzeEdit(previous, '\uFEFF' + text, cache, VB), undefined, 'a byte order mark added');
    const marked = analyzeTypesFile('\uFEFF' + text, cache, VB);
    const markedFine = analyzeEdit(marked, '\uFEFF' + fine, cache, VB);
    assert.ok(markedFine);
    assert.deepEqual(seen(markedFine), seen(analyzeTypesFile('\uFEFF' + fine, cache, VB)), 'after a byte order mark');
  });

  test('a project is planned from its own entry: a refused first copy does not take the plan of a later valid one', () => {
    const valid = { vbotId: VB, projectCode: 'SALES', types: [{ typeNo: 'VIP', typeName: 'Khách VIP' }] };
    const text = JSON.stringify({ version: 1, projects: [{ ...valid, types: 'none' }, valid] }, null, 2);
    const a = analyzeTypesFile(text, cache, VB);
    assert.deepEqual(
      a.projects.map((p) => [p.index, p.project !== undefined, p.plan !== undefined]),
      [
        [0, false, false],
        [1, true, true],
      ],
    );
  });

  test('the readings of open files go from version to version, from the last that could be read', () => {
    const readings = new FileReadings<string>();
    const text = generated();
    let reads = 0;
    const read = (version: number, t: string) => readings.read('file', version, () => (reads++, t), cache, VB);
    const first = read(1, text);
    assert.equal(read(1, text), first);
    const after = text.replace('Khách VIP mới', 'Khách VIP mớ');
    const second = read(2, after);
    assert.deepEqual(seen(second), seen(analyzeTypesFile(after, cache, VB)));
    assert.equal(reads, 2);
    // A quote typed in the last project breaks the JSON; the next one mends it: read from version 2, one project.
    const last = after.lastIndexOf('"b"');
    const broken = read(3, after.slice(0, last) + '"b""' + after.slice(last + 3));
    assert.equal(broken.problems[0].code, 'badJson');
    const mended = after.slice(0, last) + '"b""x"' + after.slice(last + 3);
    const fourth = read(4, mended.replace('"b""x"', '"b" '));
    assert.deepEqual(seen(fourth), seen(analyzeTypesFile(mended.replace('"b""x"', '"b" '), cache, VB)));
    assert.equal(fourth.projects[0], second.projects[0], "the first project's reading kept, not made again");
    assert.notEqual(analyzeTypesFile(mended.replace('"b""x"', '"b" '), cache, VB).projects[0], second.projects[0]);
  });
});
