// Property-based tests of the import reader (parseImportFile) and planner (planImport, importEdits), beyond what
// importExport.test.ts already covers (its examples, and the export → import round trip of one project
// in CSV and JSON, which is not repeated here):
// - any text at all (garbage, mutated valid files, quotes, BOMs, mixed separators and line ends) never
//   throws, and the answer is well-formed: ok with only valid, unique rows, or errors with a line and a code;
// - files written in every accepted CSV dialect (`,` `;` tab, LF / CRLF, header aliases, any column order,
//   extra columns, quoting, blank and ",,," lines, BOM) and as JSON read back exactly the rows written,
//   and each invalid row is reported once, at its own line (CSV) or entry number (JSON);
// - the same code twice with different names is never ok;
// - a cell of quotes then =, +, -, @, tab or CR loses one quote (the inverse of export's formula escape);
// - planImport splits rows exactly into add / change / unchanged and new projects, and its cache edits
//   (importEdits) give every row's name;
// - a file whose rows come in code order is said to (inCodeOrder), never one whose rows do not, and the cache
//   merge trusting it gives what the merge that checks the order gives;
// - the 5 MB limit counts UTF-8 bytes exactly at the boundary.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareCodeUnits, type CachedProject } from '../../src/core/cache/model';
import { CacheSnapshot } from '../../src/core/cache/snapshot';
import { parseImportFile, type ImportParseResult } from '../../src/core/transfer/importFile';
import { withEditsApplied } from '../../src/core/cache/edits';
import { importEdits, planImport } from '../../src/core/transfer/importPlan';
import { IMPORT_LIMITS, type ImportDefaults, type ImportErrorCode, type ImportRow } from '../../src/core/transfer/importRows';

// --- an independent statement of the rules (README "Import and export formats") ----------------------

const LIMITS = { vbotId: 100, projectCode: 100, typeNo: 50, typeName: 255 } as const;
type Field = keyof typeof LIMITS;
const FIELDS: Field[] = ['vbotId', 'projectCode', 'typeNo', 'typeName'];

// eslint-disable-next-line no-control-regex -- the test is about control characters
const FORBIDDEN_CHARS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]/;
function wellFormed(v: string): boolean {
  try {
    encodeURIComponent(v);
    return true;
  } catch {
    return false;
  }
}
/** A value as the importer must hand it on: trimmed, non-empty, no controls or invisible marks, not too long. */
function validValue(v: unknown, max: number): boolean {
  return typeof v === 'string' && v.length > 0 && v === v.trim() && wellFormed(v) && !FORBIDDEN_CHARS.test(v) && [...v].length <= max;
}

const ERROR_CODES: ReadonlySet<ImportErrorCode> = new Set<ImportErrorCode>([
  'emptyFile',
  'tooLarge',
  'tooManyRows',
  'badJson',
  'badShape',
  'badCsv',
  'missingColumn',
  'duplicateColumn',
  'fieldCount',
  'emptyValue',
  'notString',
  'tooLong',
  'controlChar',
  'duplicateInFile',
]);

const keyOf = (r: ImportRow) => JSON.stringify([r.vbotId, r.projectCode, r.typeNo]);

/** What must hold of any answer, whatever the input. */
function assertWellFormed(result: ImportParseResult, context: () => string): void {
  if (result.ok) {
    assert.ok(result.format === 'csv' || result.format === 'json', context());
    const keys = new Set<string>();
    for (const row of result.rows) {
      for (const f of FIELDS)
        assert.ok(validValue(row[f], LIMITS[f]), `row ${JSON.stringify(row)}: ${f} is not a valid value; ${context()}`);
      assert.deepEqual(Object.keys(row).sort(), [...FIELDS].sort(), 'rows carry exactly the four fields');
      const key = keyOf(row);
      assert.ok(!keys.has(key), `the same type twice in ok rows: ${key}; ${context()}`);
      keys.add(key);
    }
    return;
  }
  assert.ok(!('rows' in result), 'no rows next to errors');
  assert.ok(result.errors.length >= 1, `ok:false without errors; ${context()}`);
  assert.ok(result.errors.length <= IMPORT_LIMITS.maxErrors, `${result.errors.length} errors`);
  for (const e of result.errors) {
    assert.ok(Number.isInteger(e.line) && e.line >= 0, `error without a line: ${JSON.stringify(e)}; ${context()}`);
    assert.ok(ERROR_CODES.has(e.code), `undocumented code ${e.code}`);
    assert.ok(typeof e.message === 'string' && e.message.length > 0, `error without a message: ${JSON.stringify(e)}`);
    if (e.field !== undefined) assert.ok(FIELDS.includes(e.field), `unknown field ${e.field}`);
    if (e.code === 'tooLong') assert.ok(e.field && e.max === LIMITS[e.field], `tooLong names its limit: ${JSON.stringify(e)}`);
    if (e.code === 'duplicateInFile')
      assert.ok(e.firstLine !== undefined && e.firstLine < e.line, `duplicate points back: ${JSON.stringify(e)}`);
  }
}

// --- generators of valid data ----------------------------------------------------------------------

// Characters that stress CSV and JSON, inside otherwise ordinary text.
const tricky = fc.constantFrom(
  ',',
  ';',
  '"',
  "'",
  ' ',
  '\\',
  '=',
  '+',
  '-',
  '@',
  '#',
  'Đ',
  'ệ',
  '😀',
  '\u00A0',
  '{',
  '[',
  '}',
  ':',
  '""',
  'type_no',
);
const piece = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 5 }), tricky);
const validText = (max: number) =>
  fc
    .array(piece, { minLength: 1, maxLength: 6 })
    .map((p) => p.join('').trim())
    .filter((s) => validValue(s, max));
// Small pools for the project fields, so rows share projects (and codes collide across projects).
const vbotIdArb = fc.oneof(
  { arbitrary: fc.constantFrom('VB-1', 'VB-2', 'Đại lý; "Bắc"'), weight: 3 },
  { arbitrary: validText(LIMITS.vbotId), weight: 1 },
);
const projectArb = fc.oneof(
  { arbitrary: fc.constantFrom('SALES', 'CSKH', 'a,b'), weight: 3 },
  { arbitrary: validText(LIMITS.projectCode), weight: 1 },
);
const typeNoArb = fc.oneof(
  { arbitrary: fc.constantFrom('VIP', 'vip', 'KH_MOI', '1'), weight: 1 },
  { arbitrary: validText(LIMITS.typeNo), weight: 3 },
);
// (fc.record builds null-prototype objects; the importer's rows are plain ones.)
const rowArb: fc.Arbitrary<ImportRow> = fc
  .record({ vbotId: vbotIdArb, projectCode: projectArb, typeNo: typeNoArb, typeName: validText(LIMITS.typeName) })
  .map((r) => ({ vbotId: r.vbotId, projectCode: r.projectCode, typeNo: r.typeNo, typeName: r.typeName }));
const uniqueRows = (maxLength: number) => fc.uniqueArray(rowArb, { selector: keyOf, maxLength });

// --- writing files ------------------------------------------------------------------------------------

const HEADER_ALIASES: Record<Field, string[]> = {
  vbotId: ['vbot_id', 'vbotId', 'VBot ID', 'VBOT-ID'],
  projectCode: ['project_code', 'projectCode', 'Project Code', 'PROJECT.CODE'],
  typeNo: ['type_no', 'typeNo', 'ma_kieu', 'Mã kiểu'],
  typeName: ['type_name', 'typeName', 'ten_kieu', 'Tên kiểu'],
};

interface CsvDialect {
  delimiter: ',' | ';' | '\t';
  newline: '\n' | '\r\n' | '\r';
  bom: boolean;
  quoteAll: boolean;
  /** Whether values that would start a spreadsheet formula are written with a leading quote, as our export does. */
  escapeFormulae: boolean;
  trailingNewline: boolean;
  aliases: Record<Field, number>;
  /** A permutation of the four fields, plus 'note' (an ignored column) somewhere or not at all. */
  columns: Array<Field | 'note'>;
}

const dialectArb = (newlines: Array<CsvDialect['newline']>): fc.Arbitrary<CsvDialect> =>
  fc.record({
    delimiter: fc.constantFrom(',', ';', '\t'),
    newline: fc.constantFrom(...newlines),
    bom: fc.boolean(),
    quoteAll: fc.boolean(),
    escapeFormulae: fc.boolean(),
    trailingNewline: fc.boolean(),
    aliases: fc.record({ vbotId: fc.nat(3), projectCode: fc.nat(3), typeNo: fc.nat(3), typeName: fc.nat(3) }),
    columns: fc
      .tuple(fc.shuffledSubarray<Field | 'note'>([...FIELDS], { minLength: 4, maxLength: 4 }), fc.option(fc.nat(4), { nil: undefined }))
      .map(([cols, noteAt]) => (noteAt === undefined ? cols : [...cols.slice(0, noteAt), 'note' as const, ...cols.slice(noteAt)])),
  });

function csvCell(value: string, d: CsvDialect): string {
  // A cell of quotes then =, +, -, @, tab or CR loses one quote on import (the inverse of export's
  // formula escape): such a value must carry one more; a formula-like value may or may not have one.
  if (/^'+[=+\-@\t\r]/.test(value) || (d.escapeFormulae && /^[=+\-@\t\r]/.test(value))) value = `'${value}`;
  const needsQuotes = d.quoteAll || value.includes(d.delimiter) || value.includes('"') || /[\r\n]/.test(value);
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One line of the file: a record (cells in column order), a blank line, or Excel's ",,,". */
type CsvLine = { record: Record<string, string> } | { blank: number };

/** Writes the file and returns, for each record, the 1-based line it starts on. */
function writeCsv(lines: CsvLine[], d: CsvDialect): { text: string; recordLines: number[] } {
  const header = d.columns.map((c) => csvCell(c === 'note' ? 'note' : HEADER_ALIASES[c][d.aliases[c]], d)).join(d.delimiter);
  let text = header;
  let line = 1;
  const recordLines: number[] = [];
  for (const l of lines) {
    text += d.newline;
    line++;
    if ('blank' in l) {
      text += d.delimiter.repeat(l.blank);
      continue;
    }
    recordLines.push(line);
    const out = d.columns.map((c) => csvCell(l.record[c] ?? '', d)).join(d.delimiter);
    text += out;
    line += (out.match(/\r\n|\r|\n/g) ?? []).length; // a quoted line break inside a value
  }
  if (d.trailingNewline) text += d.newline;
  return { text: (d.bom ? '\uFEFF' : '') + text, recordLines };
}

// --- invalid values, and the error each must give -------------------------------------------------------

type Breakage = { value: unknown; code: ImportErrorCode; csv: boolean };
const breakage = (max: number): fc.Arbitrary<Breakage> =>
  fc.oneof(
    fc.constantFrom('', '   ', '\u00A0').map((value) => ({ value, code: 'emptyValue' as const, csv: true })),
    fc.constantFrom('Đ', 'x', '😀', ',').map((c) => ({ value: c.repeat(max + 1), code: 'tooLong' as const, csv: true })),
    fc
      .tuple(
        fc.constantFrom('\n', '\u0007', '\u0000', '\u007F', '\u0085', '\u2028', '\u202E', '\u2066', '\u200B', '\uFEFF', '\t', '\uD800'),
        fc.boolean(),
      )
      .map(([c, atEnd]) => ({ value: atEnd ? `A${c}B` : `${c}x${c}y`, code: 'controlChar' as const, csv: true })),
    fc.constantFrom(5, true, { a: 1 }, [1]).map((value) => ({ value, code: 'notString' as const, csv: false })),
    fc.constant({ value: null, code: 'emptyValue' as const, csv: false }),
  );

interface Broken {
  index: number;
  field: Field;
  breakage: Breakage;
}

/** Valid rows, some with one field broken (where the format can carry the value). */
const fileArb = (format: 'csv' | 'json') =>
  fc.tuple(uniqueRows(25), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...FIELDS)), { maxLength: 4 })).chain(([rows, picks]) => {
    const byIndex = new Map<number, Field>();
    for (const [n, f] of picks) if (rows.length > 0) byIndex.set(n % rows.length, f);
    const broken = [...byIndex].map(([index, field]) =>
      breakage(LIMITS[field])
        .filter((b) => format === 'json' || b.csv)
        .map((b): Broken => ({ index, field, breakage: b })),
    );
    return fc.tuple(fc.constant(rows), broken.length ? fc.tuple(...broken) : fc.constant([] as Broken[]));
  });

function applyBroken(rows: ImportRow[], broken: Broken[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = rows.map((r) => ({ ...r }));
  for (const b of broken) out[b.index][b.field] = b.breakage.value;
  return out;
}

const rowsOf = (r: ImportParseResult) => {
  assert.ok(r.ok, `expected ok: ${JSON.stringify(r).slice(0, 800)}`);
  return r.rows;
};
const errorsOf = (r: ImportParseResult) => {
  assert.ok(!r.ok, `expected errors, got ${r.ok ? r.rows.length : 0} rows`);
  return r.errors;
};

// --- the properties ----------------------------------------------------------------------------------

describe('parseImportFile never throws, and answers in shape (property)', () => {
  const FILE_NAMES = ['types.csv', 'types.json', 'types.txt', 'TYPES.CSV', 'noext', 'x.JSON'];
  const defaultsArb: fc.Arbitrary<ImportDefaults> = fc.record(
    {
      vbotId: fc.option(fc.oneof(fc.constantFrom('VB-1', ' VB-1 ', '', '\u0007', 'x'.repeat(101)), fc.string()), { nil: undefined }),
      projectCode: fc.option(fc.oneof(fc.constantFrom('SALES', '  ', 'a\u202Eb'), fc.string()), { nil: undefined }),
    },
    { requiredKeys: [] },
  );

  // Tokens of both formats, so random concatenations often look like real files and break in deep places.
  const token = fc.constantFrom(
    ',',
    ';',
    '\t',
    '"',
    '""',
    '\n',
    '\r',
    '\r\n',
    ' ',
    'a',
    'VIP',
    'Đ',
    '😀',
    '\uFEFF',
    '\u0000',
    '\u202E',
    '\uD800',
    '\\',
    'vbot_id',
    'project_code',
    'type_no',
    'type_name',
    'ma_kieu',
    'Tên kiểu',
    'vbot_id,project_code,type_no,type_name\n',
    '{',
    '}',
    '[',
    ']',
    ':',
    '"typeNo"',
    '"typeName"',
    '"vbotId"',
    '"projectCode"',
    '"projects"',
    '"types"',
    '"version"',
    'null',
    '1',
    '2',
    'true',
  );
  const garbage = fc.oneof(
    fc.array(token, { maxLength: 120 }).map((t) => t.join('')),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  );

  /** A valid file (CSV in any dialect, or JSON) with random edits: deletions, insertions, replacements. */
  const mutated = fc
    .tuple(
      fc.oneof(
        fc.tuple(uniqueRows(8), dialectArb(['\n', '\r\n', '\r'])).map(
          ([rows, d]) =>
            writeCsv(
              rows.map((record) => ({ record: record as unknown as Record<string, string> })),
              d,
            ).text,
        ),
        fc.tuple(uniqueRows(8), fc.constantFrom(0, 2)).map(([rows, indent]) => JSON.stringify(rows, null, indent)),
        uniqueRows(8).map((rows) =>
          JSON.stringify({
            version: 1,
            projects: [{ vbotId: 'VB-1', projectCode: 'P', types: rows.map(({ typeNo, typeName }) => ({ typeNo, typeName })) }],
          }),
        ),
      ),
      fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.oneof(token, fc.constant(''))), { minLength: 1, maxLength: 6 }),
    )
    .map(([text, edits]) => {
      let t = text;
      for (const [at, del, insert] of edits) {
        const i = t.length ? at % t.length : 0;
        t = t.slice(0, i) + insert + t.slice(i + del);
      }
      return t;
    });

  it('garbage and mutated files: no throw; ok with valid unique rows, or errors with a line and a documented code', () => {
    fc.assert(
      fc.property(fc.oneof(garbage, mutated), fc.constantFrom(...FILE_NAMES), defaultsArb, (text, fileName, defaults) => {
        const context = () => `${fileName} ${JSON.stringify(defaults)} ${JSON.stringify(text).slice(0, 400)}`;
        let result: ImportParseResult;
        try {
          result = parseImportFile(fileName, text, defaults);
        } catch (e) {
          assert.fail(`parseImportFile threw ${String(e)} for ${context()}`);
        }
        assertWellFormed(result, context);
        // The same answer every time, and a leading BOM changes nothing.
        assert.deepEqual(parseImportFile(fileName, text, defaults), result);
        if (!text.startsWith('\uFEFF')) assert.deepEqual(parseImportFile(fileName, `\uFEFF${text}`, defaults), result, 'a BOM is ignored');
      }),
      { numRuns: 600 },
    );
  });
});

describe('files in every accepted dialect read back exactly; each bad row is named at its line (property)', () => {
  function checkCsv(rows: ImportRow[], broken: Broken[], d: CsvDialect, blanks: number[], dupes: number[], notes: string[]): void {
    const records = applyBroken(rows, broken).map((r, i) => ({ ...r, note: notes[i % Math.max(1, notes.length)] ?? '' }));
    // Identical repeats (padded with spaces: the importer trims) are merged into the first.
    const lines: CsvLine[] = records.map((record) => ({ record: record as Record<string, string> }));
    for (const [k, i] of dupes.entries()) {
      if (!rows.length) break;
      const src = i % rows.length;
      if (broken.some((b) => b.index === src)) continue;
      const r = rows[src];
      lines.push({
        record: {
          vbotId: ` ${r.vbotId}`,
          projectCode: r.projectCode,
          typeNo: `${r.typeNo} `,
          typeName: k % 2 ? ` ${r.typeName} ` : r.typeName,
          note: 'repeat',
        },
      });
    }
    for (const [k, at] of blanks.entries()) lines.splice(at % (lines.length + 1), 0, { blank: k % 2 ? 0 : 3 });
    const { text, recordLines } = writeCsv(lines, d);
    const context = () => `${JSON.stringify(d)}\n${JSON.stringify(text).slice(0, 1500)}`;
    const result = parseImportFile('types.csv', text);
    assertWellFormed(result, context);
    if (broken.length === 0) {
      assert.deepEqual(rowsOf(result), rows, context());
      return;
    }
    const want = broken
      .map((b) => {
        const recordIndex = lines.findIndex((l) => 'record' in l && l.record === (records[b.index] as unknown));
        return [recordLines[lines.slice(0, recordIndex).filter((l) => 'record' in l).length], b.breakage.code, b.field];
      })
      .sort((a, b) => (a[0] as number) - (b[0] as number));
    assert.deepEqual(
      errorsOf(result).map((e) => [e.line, e.code, e.field]),
      want,
      context(),
    );
  }

  const csvCase = (newlines: Array<CsvDialect['newline']>) =>
    fc.tuple(
      fileArb('csv'),
      dialectArb(newlines),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.array(fc.nat(), { maxLength: 3 }),
      fc.array(
        fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\r')),
        { maxLength: 3 },
      ),
    );

  it('CSV (, ; tab × LF / CRLF × aliases × column order × quoting × blank lines × BOM)', () => {
    fc.assert(
      fc.property(csvCase(['\n', '\r\n']), ([[rows, broken], d, blanks, dupes, notes]) => checkCsv(rows, broken, d, blanks, dupes, notes)),
      { numRuns: 300 },
    );
  });

  // Regression (was a bug): the importer counts lines by '\n' only. In a file with classic-Mac CR line ends (which
  // papaparse reads fine), every error is reported at line 1.
  it('CSV with CR-only line ends names the right lines too', () => {
    const noQuotedLineBreak = (broken: Broken[]) =>
      broken.every((b) => typeof b.breakage.value !== 'string' || !/[\r\n]/.test(b.breakage.value));
    fc.assert(
      fc.property(
        csvCase(['\r']).filter(([[, broken]]) => noQuotedLineBreak(broken)),
        ([[rows, broken], d, blanks, dupes, notes]) => checkCsv(rows, broken, d, blanks, dupes, notes),
      ),
      { numRuns: 100 },
    );
  });

  // Regression (was a bug): papaparse takes the line end of the header for the whole file, so a header
  // ending in CRLF followed by LF rows (rows appended by another tool) reads as one record:
  // "fieldCount: expected 4 fields, found 7" at line 2. Refused as a whole (safe), but the message
  // misleads.
  it('CSV with a CRLF header and LF rows reads like a uniform file', () => {
    fc.assert(
      fc.property(
        uniqueRows(10).filter((r) => r.length > 0),
        (rows) => {
          const d: CsvDialect = {
            delimiter: ',',
            newline: '\n',
            bom: false,
            quoteAll: false,
            escapeFormulae: false,
            trailingNewline: true,
            aliases: { vbotId: 0, projectCode: 0, typeNo: 0, typeName: 0 },
            columns: [...FIELDS],
          };
          const { text } = writeCsv(
            rows.map((r) => ({ record: r as unknown as Record<string, string> })),
            d,
          );
          const mixed = text.replace('\n', '\r\n');
          assert.deepEqual(rowsOf(parseImportFile('t.csv', mixed)), rows);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('JSON (an array of rows, or the cache file shape) with errors at their entry numbers', () => {
    fc.assert(
      fc.property(fileArb('json'), fc.boolean(), fc.constantFrom(0, 2, '\t'), ([rows, broken], asCacheFile, indent) => {
        const entries = applyBroken(rows, broken);
        let text: string;
        if (asCacheFile) {
          // Group consecutive entries of one project, as the cache file does; the entry numbers run on across projects.
          const projects: Array<{ vbotId: unknown; projectCode: unknown; types: unknown[] }> = [];
          for (const e of entries) {
            const last = projects.at(-1);
            const { vbotId, projectCode, ...type } = e;
            if (last && last.vbotId === vbotId && last.projectCode === projectCode) last.types.push(type);
            else projects.push({ vbotId, projectCode, types: [type] });
          }
          text = JSON.stringify({ version: 1, projects }, null, indent);
        } else {
          text = JSON.stringify(entries, null, indent);
        }
        const result = parseImportFile('types.json', text);
        assertWellFormed(result, () => text.slice(0, 1000));
        if (broken.length === 0) {
          assert.deepEqual(rowsOf(result), rows);
          return;
        }
        // Entry numbers run on across the projects of a cache file.
        const want = broken.map((b) => [b.index + 1, b.breakage.code, b.field]).sort((a, b) => (a[0] as number) - (b[0] as number));
        assert.deepEqual(
          errorsOf(result).map((e) => [e.line, e.code, e.field]),
          want,
          text.slice(0, 1000),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('the same code twice with different names is never ok (property)', () => {
  const caseArb = uniqueRows(15)
    .filter((r) => r.length > 0)
    .chain((rows) =>
      fc.tuple(
        fc.constant(rows),
        fc.nat(rows.length - 1), // which row gets a conflicting twin
        fc.nat(rows.length), // where the twin goes
        validText(LIMITS.typeName),
        fc.constantFrom('csv', 'json'),
        dialectArb(['\n', '\r\n']),
      ),
    )
    .filter(([rows, i, , name]) => name !== rows[i].typeName);

  it('CSV and JSON: one duplicateInFile error, at the later line, pointing at the first; no rows', () => {
    fc.assert(
      fc.property(caseArb, ([rows, i, at, name, format, d]) => {
        const twin: ImportRow = { ...rows[i], typeName: name };
        const all = [...rows.slice(0, at), twin, ...rows.slice(at)];
        const original = at <= i ? i + 1 : i; // where rows[i] ended up
        const [first, second] = at <= i ? [at, original] : [original, at];
        const result =
          format === 'json'
            ? parseImportFile('t.json', JSON.stringify(all))
            : parseImportFile(
                't.csv',
                writeCsv(
                  all.map((r) => ({ record: r as unknown as Record<string, string> })),
                  d,
                ).text,
              );
        assertWellFormed(result, () => JSON.stringify(all));
        const errors = errorsOf(result);
        const base = format === 'json' ? 1 : 2; // entry numbers start at 1; CSV data at line 2
        // CSV rows here hold no line breaks, so row k is on line k + 2.
        assert.deepEqual(
          errors.map((e) => [e.code, e.line, e.firstLine]),
          [['duplicateInFile', second + base, first + base]],
        );
      }),
      { numRuns: 300 },
    );
  });
});

const UPDATED = '2026-01-01T00:00:00.000Z';

/** A cache snapshot holding the given rows, with the rows. */
const snapshotOfRows = (rowsArb: fc.Arbitrary<ImportRow[]>) =>
  rowsArb.map((rows) => {
    const projects = new Map<string, CachedProject>();
    for (const r of rows) {
      const id = JSON.stringify([r.vbotId, r.projectCode]);
      const p = projects.get(id) ?? { vbotId: r.vbotId, projectCode: r.projectCode, types: [] };
      projects.set(id, { ...p, types: [...p.types, { typeNo: r.typeNo, typeName: r.typeName, updatedAt: UPDATED }] });
    }
    const list = [...projects.values()]
      .map((p) => ({ ...p, types: [...p.types].sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo)) }))
      .sort((a, b) => compareCodeUnits(a.vbotId, b.vbotId) || compareCodeUnits(a.projectCode, b.projectCode));
    return { snapshot: new CacheSnapshot(list), rows };
  });

describe('planImport (property)', () => {
  const snapshotArb = snapshotOfRows(uniqueRows(20));

  it('add / change / unchanged partition the rows in order; new projects are the unknown ones, first seen first', () => {
    const arb = snapshotArb.chain(({ snapshot, rows: cached }) =>
      fc.tuple(
        fc.constant(snapshot),
        fc.constant(cached),
        // Import rows: some equal to cached ones, some renamed, some new.
        fc
          .tuple(
            fc.subarray(cached),
            fc.subarray(cached).chain((s) => fc.tuple(...s.map((r) => validText(LIMITS.typeName).map((typeName) => ({ ...r, typeName }))))),
            uniqueRows(10),
          )
          .chain(([same, renamed, fresh]) => fc.shuffledSubarray([...same, ...renamed, ...fresh], { minLength: 0 }))
          .map((rows) => {
            const seen = new Set<string>();
            return rows.filter((r) => !seen.has(keyOf(r)) && seen.add(keyOf(r)));
          }),
      ),
    );
    fc.assert(
      fc.property(arb, ([snapshot, cached, rows]) => {
        const plan = planImport(snapshot, rows);
        const inCache = new Map(cached.map((r) => [keyOf(r), r.typeName]));
        const cachedProjects = new Set(cached.map((r) => JSON.stringify([r.vbotId, r.projectCode])));
        const add = rows.filter((r) => !inCache.has(keyOf(r)));
        const change = rows
          .filter((r) => inCache.has(keyOf(r)) && inCache.get(keyOf(r)) !== r.typeName)
          .map((r) => ({
            vbotId: r.vbotId,
            projectCode: r.projectCode,
            typeNo: r.typeNo,
            oldName: inCache.get(keyOf(r))!,
            newName: r.typeName,
          }));
        const unchanged = rows.filter((r) => inCache.get(keyOf(r)) === r.typeName).length;
        const newProjects: Array<{ vbotId: string; projectCode: string }> = [];
        for (const r of rows) {
          const id = JSON.stringify([r.vbotId, r.projectCode]);
          if (!cachedProjects.has(id) && !newProjects.some((p) => JSON.stringify([p.vbotId, p.projectCode]) === id))
            newProjects.push({ vbotId: r.vbotId, projectCode: r.projectCode });
        }
        assert.deepEqual(plan, { add, change, unchanged, newProjects, inCodeOrder: false });
        assert.equal(plan.add.length + plan.change.length + plan.unchanged, rows.length);

        // The edits, applied to the cached list, give every row's name and keep what no row mentions.
        const edits = importEdits(plan);
        assert.deepEqual(
          edits.filter((e) => e.kind === 'addProject').map(({ vbotId, projectCode }) => ({ vbotId, projectCode })),
          newProjects,
        );
        const after = new Map(inCache);
        for (const edit of edits) {
          assert.ok(edit.kind === 'addProject' || edit.kind === 'upsert', edit.kind);
          if (edit.kind === 'upsert') after.set(keyOf(edit), edit.typeName);
        }
        for (const r of rows) assert.equal(after.get(keyOf(r)), r.typeName);
        assert.equal(after.size, new Set([...inCache.keys(), ...rows.map(keyOf)]).size);
        assert.equal(edits.length, newProjects.length + add.length + change.length, 'unchanged rows edit nothing');
      }),
      { numRuns: 300 },
    );
  });
});

describe('rows in code order (property)', () => {
  const byProjectThenCode = (a: ImportRow, b: ImportRow) =>
    compareCodeUnits(a.vbotId, b.vbotId) || compareCodeUnits(a.projectCode, b.projectCode) || compareCodeUnits(a.typeNo, b.typeNo);
  const projectOf = (r: ImportRow) => JSON.stringify([r.vbotId, r.projectCode]);

  it("inCodeOrder holds only when each project's codes rise, and always for an exported order; the merge is the same either way", () => {
    const arb = fc.tuple(
      uniqueRows(12),
      fc.boolean(),
      fc.nat(),
      snapshotOfRows(uniqueRows(12)).map(({ snapshot }) => snapshot),
    );
    fc.assert(
      fc.property(arb, ([unique, sorted, pick, snapshot]) => {
        const written = sorted ? [...unique].sort(byProjectThenCode) : [...unique];
        if (written.length > 0) written.splice(pick % (written.length + 1), 0, written[pick % written.length]); // an identical duplicate
        const parsed = parseImportFile('types.json', JSON.stringify(written));
        assert.ok(parsed.ok);
        if (parsed.inCodeOrder) {
          const last = new Map<string, string>();
          for (const r of parsed.rows) {
            const before = last.get(projectOf(r));
            assert.ok(before === undefined || before < r.typeNo, `${before} then ${r.typeNo}`);
            last.set(projectOf(r), r.typeNo);
          }
        }
        const exported = parseImportFile('types.json', JSON.stringify([...unique].sort(byProjectThenCode)));
        assert.ok(exported.ok && exported.inCodeOrder, 'rows in the order an export writes them');

        const trusted = withEditsApplied(snapshot.projects(), importEdits(planImport(snapshot, parsed.rows, parsed.inCodeOrder)), UPDATED);
        const checked = withEditsApplied(snapshot.projects(), importEdits(planImport(snapshot, parsed.rows)), UPDATED);
        assert.deepEqual(trusted, checked);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the size limit at its boundary (property, few runs: 5 MB strings)', () => {
  it('a file of exactly maxBytes UTF-8 bytes is read, one byte more is tooLarge, whatever its characters', () => {
    const header = 'vbot_id,project_code,type_no,type_name,note\n';
    fc.assert(
      fc.property(fc.integer({ min: -3, max: 3 }), fc.constantFrom('x', 'ệ', '😀', 'Đ'), fc.boolean(), (delta, filler, bom) => {
        const row = 'VB-1,SALES,VIP,Khách VIP,';
        const fixed = (bom ? '\uFEFF' : '') + header + row;
        const fixedBytes = Buffer.byteLength(fixed, 'utf8');
        const target = IMPORT_LIMITS.maxBytes + delta;
        const fillerBytes = Buffer.byteLength(filler, 'utf8');
        const count = Math.floor((target - fixedBytes) / fillerBytes);
        const text = fixed + filler.repeat(count) + 'a'.repeat(target - fixedBytes - count * fillerBytes);
        const bytes = Buffer.byteLength(text, 'utf8');
        assert.equal(bytes, target);
        const result = parseImportFile('big.csv', text);
        if (bytes > IMPORT_LIMITS.maxBytes) assert.deepEqual(!result.ok && result.errors.map((e) => [e.line, e.code]), [[0, 'tooLarge']]);
        else assert.deepEqual(rowsOf(result), [{ vbotId: 'VB-1', projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách VIP' }]);
      }),
      { numRuns: 8 },
    );
  });
});
