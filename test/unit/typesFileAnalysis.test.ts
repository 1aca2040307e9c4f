// The live problems of vbot-types.json (src/core/typesAsCode/fileAnalysis.ts): each one Plan would refuse the
// file for, at the exact text it is about, and the facts about the plan; the quick fixes' edits (fileEdits.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCodeUnits, type CachedProject } from '../../src/core/cache/model';
import { CacheSnapshot } from '../../src/core/cache/snapshot';
import { analyzeTypesFile, codeAt, findInFile, parsePath, type FileAnalysis } from '../../src/core/typesAsCode/fileAnalysis';
import { addPreviousCodeEdits, addTypesEdits, applyTextEdits, removeEdits } from '../../src/core/typesAsCode/fileEdits';
import { parseDesiredState } from '../../src/core/typesAsCode/parse';

const VB = 'VB-DEMO-0001';

function snapshotOf(projects: Record<string, Array<[string, string]>>, vbotId = VB): CacheSnapshot {
  const list: CachedProject[] = Object.entries(projects).map(([projectCode, types]) => ({
    vbotId,
    projectCode,
    types: types
      .map(([typeNo, typeName]) => ({ typeNo, typeName, updatedAt: '2026-01-01T00:00:00.000Z' }))
      .sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo)),
  }));
  return new CacheSnapshot(list.sort((a, b) => compareCodeUnits(a.projectCode, b.projectCode)));
}

/** A file with one project of `types` (each written on its own line). */
function fileOf(types: unknown[], project: Record<string, unknown> = {}, extra = ''): string {
  const lines = types.map((t) => `        ${JSON.stringify(t)}`).join(',\n');
  const head = JSON.stringify({ vbotId: VB, projectCode: 'SALES', ...project }).slice(1, -1);
  return `{\n  "version": 1,${extra}\n  "projects": [\n    {${head}, "types": [\n${lines}\n      ]\n    }\n  ]\n}\n`;
}

/** The text each problem underlines, with its code and severity. */
function marks(a: FileAnalysis, text: string) {
  return a.problems.map((p) => [p.code, p.severity, text.slice(p.offset, p.offset + p.length)]);
}

const empty = snapshotOf({});

describe('vbot-types.json live problems', () => {
  test('a valid file in line with the cache: no problems, one project with its plan', () => {
    const text = fileOf([{ typeNo: 'VIP', typeName: 'Khách VIP' }]);
    const a = analyzeTypesFile(text, snapshotOf({ SALES: [['VIP', 'Khách VIP']] }), VB);
    assert.deepEqual(a.problems, []);
    assert.equal(a.projects.length, 1);
    assert.equal(a.projects[0].plan?.items.length, 0);
    assert.equal(a.projects[0].plan?.unchanged, 1);
    assert.equal(text.slice(a.projects[0].offset, a.projects[0].offset + 1), '{');
  });

  test('a JSON syntax error is underlined where jsonc-parser finds it; comments and trailing commas are refused as Plan does', () => {
    const text = '{\n  "version": 1,\n  "projects": [ }\n';
    const a = analyzeTypesFile(text, empty, VB);
    assert.ok(a.problems.length >= 1);
    assert.equal(a.problems[0].code, 'badJson');
    assert.equal(text.slice(a.problems[0].offset, a.problems[0].offset + a.problems[0].length), '}');
    assert.equal(parseDesiredState(text).ok, false, 'Plan refuses it too');
    const commented = '{ "version": 1, // why\n "projects": [] }';
    assert.deepEqual(
      analyzeTypesFile(commented, empty, VB).problems.map((p) => [p.code, p.args[0]]),
      [['badJson', 'InvalidCommentToken']],
    );
    assert.equal(analyzeTypesFile('{ "version": 1, "projects": [], }', empty, VB).problems[0].code, 'badJson');
  });

  test('a duplicate code underlines the second code', () => {
    const text = fileOf([
      { typeNo: 'VIP', typeName: 'A' },
      { typeNo: 'VIP', typeName: 'B' },
    ]);
    const a = analyzeTypesFile(text, empty, VB);
    assert.deepEqual(marks(a, text), [['duplicateTypeNo', 'error', '"VIP"']]);
    assert.ok(a.problems[0].offset > text.indexOf('"VIP"'), 'the second one');
    assert.deepEqual(a.problems[0].path, ['projects', 0, 'types', 1, 'typeNo']);
  });

  test("a code listed twice as previous codes, or as the type's own, underlines that previous code", () => {
    const text = fileOf([
      { typeNo: 'A', typeName: 'A', previousCodes: ['OLD'] },
      { typeNo: 'B', typeName: 'B', previousCodes: ['OLD', 'B'] },
    ]);
    const a = analyzeTypesFile(text, empty, VB);
    assert.deepEqual(marks(a, text), [
      ['duplicatePreviousCode', 'error', '"OLD"'],
      ['previousCodeIsOwnCode', 'error', '"B"'],
    ]);
    assert.equal(a.problems[0].offset, text.lastIndexOf('"OLD"'));
    assert.equal(a.problems[1].offset, text.lastIndexOf('"B"'));
  });

  test('a swap of codes in previousCodes underlines one link of the loop', () => {
    const text = fileOf([
      { typeNo: 'A', typeName: 'A', previousCodes: ['B'] },
      { typeNo: 'B', typeName: 'B', previousCodes: ['A'] },
    ]);
    const a = analyzeTypesFile(text, empty, VB);
    assert.deepEqual(marks(a, text), [['previousCodeLoop', 'error', '"B"']]);
    assert.equal(a.problems[0].offset, text.indexOf('["B"]') + 1);
    assert.deepEqual(a.problems[0].args, ['A → B → A']);
  });

  test('invalid characters and lengths use the rules of typed values', () => {
    const long = 'X'.repeat(51);
    const text = fileOf([
      { typeNo: long, typeName: 'A' },
      { typeNo: 'OK', typeName: 'Tab\there' },
      { typeNo: '  ', typeName: 'B' },
    ]);
    const a = analyzeTypesFile(text, empty, VB);
    assert.deepEqual(marks(a, text), [
      ['tooLong', 'error', `"${long}"`],
      ['controlChar', 'error', '"Tab\\there"'],
      ['empty', 'error', '"  "'],
    ]);
    assert.deepEqual(a.problems[0].args, ['typeNo', '50']);
    // 50 characters of Vietnamese with diacritics are fine: characters, not bytes.
    assert.deepEqual(analyzeTypesFile(fileOf([{ typeNo: 'Đ'.repeat(50), typeName: 'Ư' }]), empty, VB).problems, []);
  });

  test('an unknown key underlines the key, at every level; a missing field points at its object', () => {
    const text = fileOf([{ typeNo: 'A', typeName: 'A', typname: 'x' }], { color: 'red' }, ' "odd key": 1,');
    const a = analyzeTypesFile(text, empty, VB);
    assert.deepEqual(marks(a, text), [
      ['unknownProperty', 'error', '"odd key"'],
      ['unknownProperty', 'error', '"color"'],
      ['unknownProperty', 'error', '"typname"'],
    ]);
    assert.deepEqual(a.problems[2].args, ['typname', 'typeNo, typeName, previousCodes']);
    const missing = fileOf([{ typeNo: 'A' }]);
    const m = analyzeTypesFile(missing, empty, VB);
    assert.deepEqual(marks(m, missing), [['missing', 'error', '{']]);
    assert.equal(m.problems[0].offset, missing.indexOf('{"typeNo"'));
  });

  test('a project of another account is information on its vbotId, and is not planned', () => {
    const text = fileOf([{ typeNo: 'A', typeName: 'A' }], { vbotId: 'VB-OTHER' });
    const a = analyzeTypesFile(text, empty, VB);
    assert.deepEqual(marks(a, text), [['otherAccount', 'information', '"VB-OTHER"']]);
    assert.deepEqual(a.problems[0].args, ['VB-OTHER', VB]);
    assert.equal(a.projects[0].plan, undefined);
    assert.equal(a.projects[0].planned, false);
    // A profile without a VBotID plans every project, as Plan does.
    assert.deepEqual(analyzeTypesFile(text, empty, '').problems, []);
  });

  test('"deleteUnlisted": true warns on the key with the number of types it deletes', () => {
    const text = fileOf([{ typeNo: 'A', typeName: 'A' }], { deleteUnlisted: true });
    const cache = snapshotOf({
      SALES: [
        ['A', 'A'],
        ['B', 'Bê'],
        ['C', 'Xê'],
        ['OLD', 'Cũ'],
      ],
    });
    const a = analyzeTypesFile(text, cache, VB);
    assert.deepEqual(marks(a, text), [['deletesUnlisted', 'warning', '"deleteUnlisted"']]);
    assert.deepEqual(a.problems[0].args, ['3', 'B, C, OLD']);
    assert.deepEqual(analyzeTypesFile(text, snapshotOf({ SALES: [['A', 'A']] }), VB).problems, [], 'nothing to delete: no warning');
  });

  test('a new code with the name of a cached type that leaves the list hints at previousCodes', () => {
    const text = fileOf([{ typeNo: 'VIP_MOI', typeName: 'Khách VIP' }]);
    const a = analyzeTypesFile(text, snapshotOf({ SALES: [['VIP', 'khách  VIP']] }), VB);
    assert.deepEqual(marks(a, text), [['looksLikeCodeChange', 'information', '"VIP_MOI"']]);
    assert.equal(a.problems[0].previousCode, 'VIP');
    const fixed = applyTextEdits(text, addPreviousCodeEdits(text, a.problems[0].path, 'VIP'));
    const after = analyzeTypesFile(fixed, snapshotOf({ SALES: [['VIP', 'khách  VIP']] }), VB);
    assert.deepEqual(after.problems, []);
    assert.deepEqual(
      after.projects[0].plan?.items.map((i) => i.op),
      ['changeCode', 'rename'],
      'now a code change (and a rename of the spacing), not delete + add',
    );
  });

  test('a problem of the plan (both a code and its previous code exist) is a warning on the project code', () => {
    const text = fileOf([{ typeNo: 'NEW', typeName: 'N', previousCodes: ['OLD'] }]);
    const a = analyzeTypesFile(
      text,
      snapshotOf({
        SALES: [
          ['NEW', 'N'],
          ['OLD', 'O'],
        ],
      }),
      VB,
    );
    assert.deepEqual(marks(a, text), [['planProblem', 'warning', '"SALES"']]);
  });

  test('the problems are the ones Plan refuses the file for: none more, none fewer', () => {
    const texts = [
      fileOf([
        { typeNo: 'A', typeName: 'A' },
        { typeNo: 'A', typeName: 'B', extra: 1 },
      ]),
      fileOf([{ typeNo: 1, typeName: 'A' }]),
      '{"version": 2, "projects": []}',
      '[]',
      '',
    ];
    for (const text of texts) {
      const parsed = parseDesiredState(text);
      const errors = analyzeTypesFile(text, empty, VB).problems.filter((p) => p.severity === 'error');
      assert.deepEqual(
        errors.map((e) => e.code),
        parsed.ok ? [] : parsed.errors.map((e) => e.code),
        text,
      );
    }
  });
});

describe('vbot-types.json quick fixes and lookups', () => {
  test('removing a duplicate type removes its line', () => {
    const text = fileOf([
      { typeNo: 'VIP', typeName: 'A' },
      { typeNo: 'VIP', typeName: 'B' },
    ]);
    const fixed = applyTextEdits(text, removeEdits(text, ['projects', 0, 'types', 1]));
    assert.equal(fixed, fileOf([{ typeNo: 'VIP', typeName: 'A' }]));
  });

  test('a previous code is appended to an existing list', () => {
    const text = fileOf([{ typeNo: 'A', typeName: 'A', previousCodes: ['X'] }]);
    const fixed = applyTextEdits(text, addPreviousCodeEdits(text, ['projects', 0, 'types', 0], 'Y'));
    assert.deepEqual(JSON.parse(fixed).projects[0].types[0].previousCodes, ['X', 'Y']);
  });

  test("the local list's types missing from a project are added, one per line, indented like the others", () => {
    const text = fileOf([{ typeNo: 'A', typeName: 'A' }]);
    const missing = [
      { typeNo: 'B', typeName: 'Bê "2"', updatedAt: '' },
      { typeNo: 'C', typeName: 'Xê', updatedAt: '' },
    ];
    const fixed = applyTextEdits(text, addTypesEdits(text, 0, missing));
    assert.equal(
      fixed,
      fileOf([
        { typeNo: 'A', typeName: 'A' },
        { typeNo: 'B', typeName: 'Bê "2"' },
        { typeNo: 'C', typeName: 'Xê' },
      ]).replace(/\{"typeNo":"(\w)","typeName":("[^\n]*")\}/g, (_m, c, n) => (c === 'A' ? _m : `{ "typeNo": "${c}", "typeName": ${n} }`)),
    );
    const none = '{ "version": 1, "projects": [ { "vbotId": "V", "projectCode": "P", "types": [] } ] }';
    assert.deepEqual(JSON.parse(applyTextEdits(none, addTypesEdits(none, 0, missing))).projects[0].types.length, 2);
  });

  test('codeAt finds the code under the cursor (a type code or a previous code); findInFile finds a type', () => {
    const text = fileOf([
      { typeNo: 'A', typeName: 'Aa', previousCodes: ['OLD'] },
      { typeNo: 'B', typeName: 'Bb' },
    ]);
    const a = analyzeTypesFile(text, empty, VB);
    assert.equal(codeAt(a, text.indexOf('"B"') + 1)?.typeNo, 'B');
    assert.equal(codeAt(a, text.indexOf('"OLD"') + 2)?.typeNo, 'OLD');
    assert.equal(codeAt(a, text.indexOf('"Aa"') + 1), undefined, 'a name is not a code');
    const [offset, length] = findInFile(a, VB, 'SALES', 'B')!;
    assert.equal(text.slice(offset, offset + length), '"B"');
    const [po, pl] = findInFile(a, VB, 'SALES', 'NOT_LISTED')!;
    assert.equal(text.slice(po, po + pl), '"SALES"');
  });

  test('paths of parse.ts become jsonc-parser paths', () => {
    assert.deepEqual(parsePath('projects[0].types[12].typeNo'), ['projects', 0, 'types', 12, 'typeNo']);
    assert.deepEqual(parsePath('["odd key"]'), ['odd key']);
    assert.deepEqual(parsePath('projects[1]["a.b"]'), ['projects', 1, 'a.b']);
    assert.deepEqual(parsePath(''), []);
  });

  test('places stay exact with brackets and escaped quotes in names, a project that is not an object, "projects" written twice', () => {
    const tricky = { vbotId: VB, projectCode: 'A', types: [{ typeNo: 'X', typeName: 'a "{[" b\\' }] };
    const dup = {
      vbotId: VB,
      projectCode: 'B',
      types: [
        { typeNo: 'D', typeName: '1' },
        { typeNo: 'D', typeName: '2' },
      ],
    };
    for (const projects of [
      [tricky, dup],
      [tricky, 42, dup],
    ]) {
      const text = JSON.stringify({ version: 1, projects }, null, 2);
      const a = analyzeTypesFile(text, empty, VB);
      const dupAt = a.problems.find((p) => p.code === 'duplicateTypeNo')!;
      assert.equal(dupAt.offset, text.lastIndexOf('"D"'), JSON.stringify(projects));
      const last = a.projects[a.projects.length - 1];
      assert.equal(last.projectCode, 'B');
      assert.equal(text.slice(last.offset, last.offset + last.length), JSON.stringify(dup, null, 2).replace(/\n/g, '\n    '));
    }
    const twice = `{ "version": 1, "projects": [{ "vbotId": "${VB}", "projectCode": "OLD", "types": [] }], "projects": [${JSON.stringify(dup)}] }`;
    const t = analyzeTypesFile(twice, empty, VB);
    assert.deepEqual(
      t.projects.map((p) => p.projectCode),
      ['B'],
      'the one JSON.parse keeps',
    );
    assert.equal(t.problems.find((p) => p.code === 'duplicateTypeNo')!.offset, twice.lastIndexOf('"D"'));
  });

  test('a byte order mark shifts nothing', () => {
    const text =
      '\uFEFF' +
      fileOf([
        { typeNo: 'VIP', typeName: 'A' },
        { typeNo: 'VIP', typeName: 'B' },
      ]);
    const a = analyzeTypesFile(text, empty, VB);
    assert.deepEqual(marks(a, text), [['duplicateTypeNo', 'error', '"VIP"']]);
  });
});
