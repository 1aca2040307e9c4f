// Reading the CSV form of an import file: a header naming the columns (in English or Vietnamese,
// in any order, unknown columns ignored), then one type per record. Pure: no I/O, no vscode.

import Papa from 'papaparse';
import { CSV_HEADER, unescapeFormula } from './csvFormat';
import type { ImportDefaults, ImportField, RowCollector } from './importRows';

const FIELD_ORDER = ['vbotId', 'projectCode', 'typeNo', 'typeName'] as const;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Header spellings, compared after normalizeHeader(). */
const HEADER_ALIASES: Record<string, ImportField> = {
  vbotid: 'vbotId',
  projectcode: 'projectCode',
  typeno: 'typeNo',
  makieu: 'typeNo', // mã kiểu
  typename: 'typeName',
  tenkieu: 'typeName', // tên kiểu
};

/** "Type_No", "type no", "Mã kiểu" → "typeno", "typeno", "makieu". */
function normalizeHeader(header: string): string {
  // Printable ASCII has no marks and no đ: the Unicode steps (an ICU call each) are skipped for it.
  if (PRINTABLE_ASCII.test(header)) return header.toLowerCase().replace(/[\s_\-.]/g, '');
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\s_\-.]/g, '');
}

/**
 * Excel in Vietnamese or European locales saves with ";" and some tools with tabs. We pick the
 * delimiter that makes the header line yield known columns, rather than papaparse's guess over
 * the data, which a name full of ";" could fool.
 */
function detectDelimiter(text: string): string {
  const firstLine = firstLineOf(text);
  let best = ',';
  let bestScore = 0;
  for (const delimiter of [',', ';', '\t']) {
    // A line without it reads as one cell, as it does for ',' when there is no ',' either: never a better score.
    if (delimiter !== ',' && !firstLine.includes(delimiter)) continue;
    let score = 0;
    for (const cell of firstLine.split(delimiter)) {
      if (normalizeHeader(cell.includes('"') ? cell.replace(/"/g, '') : cell) in HEADER_ALIASES) score++;
    }
    if (score > bestScore) [best, bestScore] = [delimiter, score];
  }
  return best;
}

/**
 * The text up to its first line end (LF or CRLF; a lone CR ends no line here), as `text.search(/\r?\n|$/)`
 * finds it: one native search for the LF instead of a regex run over the text (this runs once an import and
 * stays unoptimized, where each regex call counts).
 */
function firstLineOf(text: string): string {
  const lineFeed = text.indexOf('\n');
  if (lineFeed === -1) return text;
  return text.slice(0, lineFeed > 0 && text.charCodeAt(lineFeed - 1) === 0x0d ? lineFeed - 1 : lineFeed);
}

/** Column index of each known field; unknown columns are ignored. */
function mapHeader(header: string[], rows: RowCollector, defaults: ImportDefaults): Map<ImportField, number> | undefined {
  const columns = new Map<ImportField, number>();
  header.forEach((cell, index) => {
    const field = HEADER_ALIASES[normalizeHeader(cell)];
    if (!field) return;
    if (columns.has(field)) {
      rows.fail({ line: 1, field, code: 'duplicateColumn', message: `two columns for ${field}` });
    }
    columns.set(field, index);
  });
  for (const field of FIELD_ORDER) {
    const hasDefault = field === 'vbotId' || field === 'projectCode' ? defaults[field] !== undefined : false;
    if (!columns.has(field) && !hasDefault) {
      const example = CSV_HEADER[FIELD_ORDER.indexOf(field)];
      rows.fail({ line: 1, field, code: 'missingColumn', message: `no ${field} column (e.g. ${example})` });
    }
  }
  return rows.errors.length > 0 ? undefined : columns;
}

/**
 * How the text ends its lines (all LF, all CRLF, or mixed: old Mac CRs too) and how many LFs it holds. Two
 * native indexOf scans; a regex with a lookbehind over the whole text cost a tenth of a clean import.
 */
function lineEnds(text: string): { kind: 'lf' | 'crlf' | 'mixed'; lineFeeds: number } {
  let lineFeeds = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineFeeds++;
  let returns = 0;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== 0x0a) return { kind: 'mixed', lineFeeds }; // a CR that starts no CRLF
    returns++;
  }
  if (returns === 0) return { kind: 'lf', lineFeeds };
  return { kind: returns === lineFeeds ? 'crlf' : 'mixed', lineFeeds }; // else an LF that ends no CRLF
}

/** Feeds `rows` with the records of a CSV text, the header first. */
export function readCsv(raw: string, rows: RowCollector, defaults: ImportDefaults): void {
  // One line-end convention for the whole file: papaparse guesses it from the first line, and a
  // CRLF header over LF rows (files stitched together by hand) would otherwise read as one record.
  // No valid value holds a CR or LF, so nothing that matters is changed. A file that already uses
  // one convention (all LF, or all CRLF as Excel writes) is read as it is: rewriting it cost a copy
  // of the whole text, which was most of the time of a clean import.
  const ends = lineEnds(raw);
  const text = ends.kind === 'mixed' ? raw.replace(/\r\n?/g, '\n') : raw;
  // One pass of papaparse over the whole text (at most 5 MB), then the records in order: a callback
  // per record cost papaparse as much again as the parse itself. The line end is known by now, so
  // papaparse need not guess it (its guess splits the first megabyte: a tenth of an import's time).
  const parsed = Papa.parse<string[]>(text, {
    delimiter: detectDelimiter(text),
    newline: ends.kind === 'crlf' ? '\r\n' : '\n',
    skipEmptyLines: false, // we skip blank records ourselves, to keep the line count exact
  });
  // papaparse numbers each error by the record it belongs to; the first one is reported.
  const firstError = new Map<number, Papa.ParseError>();
  for (const error of parsed.errors) if (error.row !== undefined && !firstError.has(error.row)) firstError.set(error.row, error);
  // Line numbers: a record ends with one line break, and holds the ones inside its (quoted) cells. When the
  // text has no more line breaks than records, no cell holds one, and the cells need not be searched.
  const lineFeeds = ends.kind === 'mixed' ? lineEnds(text).lineFeeds : ends.lineFeeds;
  const breaksInCells = lineFeeds > parsed.data.length - 1;
  let line = 1;
  let columns: ColumnIndexes | undefined;
  let headerLength = 0;
  for (let record = 0; record < parsed.data.length; record++) {
    const cells = parsed.data[record];
    const recordLine = line;
    line += breaksInCells ? 1 + lineBreaksIn(cells) : 1;
    if (!columns) {
      headerLength = cells.length;
      const byField = mapHeader(cells, rows, defaults);
      if (!byField) return;
      const at = (field: ImportField) => byField.get(field) ?? -1;
      columns = { vbotId: at('vbotId'), projectCode: at('projectCode'), typeNo: at('typeNo'), typeName: at('typeName') };
      continue;
    }
    readCsvRecord(cells, firstError.size === 0 ? undefined : firstError.get(record), recordLine, columns, headerLength, rows);
  }
}

function lineBreaksIn(cells: string[]): number {
  let count = 0;
  for (const cell of cells) for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) count++;
  return count;
}

/** Column index of each field; -1 for a column the file does not have (its value comes from the defaults). */
interface ColumnIndexes {
  vbotId: number;
  projectCode: number;
  typeNo: number;
  typeName: number;
}

function readCsvRecord(
  cells: string[],
  error: Papa.ParseError | undefined,
  line: number,
  columns: ColumnIndexes,
  headerLength: number,
  rows: RowCollector,
): void {
  if (isBlankRecord(cells)) return; // blank line, or Excel's ",,,"
  if (error) {
    rows.fail({ line, code: 'badCsv', message: error.message });
    return;
  }
  if (cells.length !== headerLength) {
    rows.fail({ line, code: 'fieldCount', message: `expected ${headerLength} fields, found ${cells.length}` });
    return;
  }
  const { vbotId, projectCode, typeNo, typeName } = columns;
  rows.add(
    line,
    unescapeFormula(cells[vbotId]),
    unescapeFormula(cells[projectCode]),
    unescapeFormula(cells[typeNo]),
    unescapeFormula(cells[typeName]),
  );
}

function isBlankRecord(cells: string[]): boolean {
  // Nearly every record starts with a visible ASCII character: no trim needed to see it is not blank.
  const first = cells.length > 0 ? cells[0].charCodeAt(0) : NaN; // NaN for an empty cell too
  if (first > 0x20 && first < 0x7f) return false;
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}
