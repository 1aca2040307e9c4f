// Import and export of customer types as JSON or CSV files. Pure functions: no I/O, no vscode.
//
// Import is all-or-nothing: a file with any error yields only errors, never a partial list,
// so the user fixes the file and imports again instead of guessing what got in.

import Papa from 'papaparse';
import { type CachedProject, type CacheSnapshot, findType, type ProjectKey } from './customerTypeCache';
import {
  acceptedValue,
  validateProjectCode,
  validateTypeName,
  validateTypeNo,
  validateVbotId,
  type ValidationResult,
} from './validation';
import { jsonSyntaxErrorOffset, lineAndColumnAt } from './json';

export const IMPORT_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxRows: 50_000,
  /** More errors than this are not useful to show; parsing stops there. */
  maxErrors: 100,
} as const;

export const CSV_HEADER = ['vbot_id', 'project_code', 'type_no', 'type_name'] as const;
const FIELD_ORDER = ['vbotId', 'projectCode', 'typeNo', 'typeName'] as const;

export interface ImportRow {
  readonly vbotId: string;
  readonly projectCode: string;
  readonly typeNo: string;
  readonly typeName: string;
}

export type ImportField = 'vbotId' | 'projectCode' | 'typeNo' | 'typeName';

export type ImportErrorCode =
  | 'emptyFile'
  | 'tooLarge'
  | 'tooManyRows'
  | 'badJson'
  | 'badShape'
  | 'badCsv'
  | 'missingColumn'
  | 'duplicateColumn'
  | 'fieldCount'
  | 'emptyValue'
  | 'notString'
  | 'tooLong'
  | 'controlChar'
  | 'duplicateInFile'
  /** The file is not UTF-8 text; `line` is where its first invalid byte is. Set by the caller that decodes the file. */
  | 'notUtf8';

export interface ImportError {
  /**
   * Where the problem is. CSV: the 1-based line in the file (the header is line 1).
   * JSON: the 1-based number of the entry, in file order. 0: the file as a whole.
   */
  line: number;
  /** Stable code, so the UI can show its own translated text. */
  code: ImportErrorCode;
  /** Short English text, for logs and as a fallback. */
  message: string;
  field?: ImportField;
  /** For 'tooLong': the limit, in characters. */
  max?: number;
  /** For 'duplicateInFile': where the first occurrence is. */
  firstLine?: number;
}

export type ImportParseResult =
  | { ok: true; format: 'json' | 'csv'; rows: ImportRow[] }
  | { ok: false; format?: 'json' | 'csv'; errors: ImportError[] };

export interface ImportChange {
  readonly vbotId: string;
  readonly projectCode: string;
  readonly typeNo: string;
  readonly oldName: string;
  readonly newName: string;
}

export interface ImportPlan {
  /** Types not in the cache yet. */
  readonly add: ReadonlyArray<ImportRow>;
  /** Types in the cache under another name. */
  readonly change: ReadonlyArray<ImportChange>;
  /** How many rows match the cache exactly. */
  readonly unchanged: number;
  /** Projects the cache does not know yet, in first-seen order. */
  readonly newProjects: ReadonlyArray<ProjectKey>;
}

// ---------------------------------------------------------------------------------------------
// Collecting rows: shared by the JSON and the CSV reader

const VALIDATORS: Record<ImportField, (value: unknown) => ValidationResult> = {
  vbotId: validateVbotId,
  projectCode: validateProjectCode,
  typeNo: validateTypeNo,
  typeName: validateTypeName,
};

/** Used for rows that have no vbotId / projectCode of their own (e.g. the project being viewed). */
export interface ImportDefaults {
  vbotId?: string;
  projectCode?: string;
}

class StopParsing extends Error {}

class RowCollector {
  readonly rows: ImportRow[] = [];
  /** The file line of each of `rows`. */
  private readonly rowLines: number[] = [];
  readonly errors: ImportError[] = [];
  private rawRowCount = 0;
  /** Per project (vbotId NUL projectCode), typeNo → index in `rows` of its first occurrence. */
  private readonly firstSeen = new Map<string, Map<string, number>>();
  /** The last row's project and its map: rows come grouped by project as a rule. */
  private last: { vbotId: string; projectCode: string; seen: Map<string, number> } | undefined;

  constructor(private readonly defaults: ImportDefaults) {}

  /** Records an error; throws StopParsing once there are too many to be worth listing. */
  fail(error: ImportError): void {
    this.errors.push(error);
    if (this.errors.length >= IMPORT_LIMITS.maxErrors) throw new StopParsing();
  }

  /** One entry as read from the file, before validation; `undefined` means absent. */
  add(line: number, rawVbotId: unknown, rawProjectCode: unknown, rawTypeNo: unknown, rawTypeName: unknown): void {
    this.rawRowCount++;
    if (this.rawRowCount > IMPORT_LIMITS.maxRows) {
      this.errors.push({
        line,
        code: 'tooManyRows',
        message: `more than ${IMPORT_LIMITS.maxRows} rows`,
        max: IMPORT_LIMITS.maxRows,
      });
      throw new StopParsing();
    }

    const vbotId = this.value(line, 'vbotId', rawVbotId);
    const projectCode = this.value(line, 'projectCode', rawProjectCode);
    const typeNo = this.value(line, 'typeNo', rawTypeNo);
    const typeName = this.value(line, 'typeName', rawTypeName);
    if (vbotId === undefined || projectCode === undefined || typeNo === undefined || typeName === undefined) {
      return;
    }

    const seen = this.seenIn(vbotId, projectCode);
    const first = seen.get(typeNo);
    if (first === undefined) {
      seen.set(typeNo, this.rows.length);
      this.rows.push({ vbotId, projectCode, typeNo, typeName });
      this.rowLines.push(line);
    } else if (this.rows[first].typeName !== typeName) {
      const firstLine = this.rowLines[first];
      this.fail({
        line,
        code: 'duplicateInFile',
        field: 'typeNo',
        firstLine,
        message: `same typeNo with another name (first at ${firstLine})`,
      });
    }
    // An identical duplicate is simply merged into the first one.
  }

  private seenIn(vbotId: string, projectCode: string): Map<string, number> {
    if (this.last?.vbotId === vbotId && this.last.projectCode === projectCode) return this.last.seen;
    // Control characters are rejected, so NUL cannot occur inside a value.
    const key = `${vbotId}\u0000${projectCode}`;
    let seen = this.firstSeen.get(key);
    if (!seen) this.firstSeen.set(key, (seen = new Map()));
    this.last = { vbotId, projectCode, seen };
    return seen;
  }

  /** The trimmed, valid value, or undefined after recording why it is not. */
  private value(line: number, field: ImportField, raw: unknown): string | undefined {
    const accepted = acceptedValue(field, raw);
    if (accepted !== undefined) return accepted; // never blank: a blank value does not pass
    // Refused, or blank: a blank vbotId / projectCode takes the default; otherwise say why it was refused.
    const isBlank = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    const fallback = field === 'vbotId' || field === 'projectCode' ? this.defaults[field] : undefined;
    const result = VALIDATORS[field](isBlank && fallback !== undefined ? fallback : raw);
    if (result.ok) return result.value;

    switch (result.code) {
      case 'empty':
        this.fail({ line, field, code: 'emptyValue', message: `${field} is empty` });
        break;
      case 'notString':
        if (isBlank) this.fail({ line, field, code: 'emptyValue', message: `${field} is missing` });
        else this.fail({ line, field, code: 'notString', message: `${field} is not text` });
        break;
      case 'tooLong':
        this.fail({ line, field, code: 'tooLong', max: result.max, message: `${field} is longer than ${result.max} characters` });
        break;
      case 'controlChar':
        this.fail({ line, field, code: 'controlChar', message: `${field} contains a control character` });
        break;
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Entry point

/**
 * Reads an import file (JSON or CSV, chosen by extension, else by content).
 * Rows without vbotId/projectCode take `defaults`. Any error: `ok: false` and no rows.
 */
export function parseImportFile(fileName: string, content: string, defaults: ImportDefaults = {}): ImportParseResult {
  // Every UTF-16 unit is at least one UTF-8 byte, so the cheap length test catches most huge files.
  // A UTF-16 unit takes at most 3 UTF-8 bytes, so a text of up to a third of the limit needs no count.
  if (content.length > IMPORT_LIMITS.maxBytes
    || (content.length * 3 > IMPORT_LIMITS.maxBytes && Buffer.byteLength(content, 'utf8') > IMPORT_LIMITS.maxBytes)) {
    const message = `file is larger than ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MiB`;
    return { ok: false, errors: [{ line: 0, code: 'tooLarge', message, max: IMPORT_LIMITS.maxBytes }] };
  }
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const format = detectFormat(fileName, text);
  if (text.trim() === '') {
    return { ok: false, format, errors: [{ line: 0, code: 'emptyFile', message: 'file is empty' }] };
  }

  const defaultsError = checkDefaults(defaults);
  if (defaultsError) return { ok: false, format, errors: [defaultsError] };

  const cleanDefaults = {
    vbotId: defaults.vbotId?.trim() || undefined,
    projectCode: defaults.projectCode?.trim() || undefined,
  };
  const rows = new RowCollector(cleanDefaults);
  try {
    if (format === 'json') readJson(text, rows);
    else readCsv(text, rows, cleanDefaults);
  } catch (error) {
    if (!(error instanceof StopParsing)) throw error;
  }
  return rows.errors.length > 0 ? { ok: false, format, errors: rows.errors } : { ok: true, format, rows: rows.rows };
}

function detectFormat(fileName: string, text: string): 'json' | 'csv' {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  const firstChar = text.trimStart()[0];
  return firstChar === '[' || firstChar === '{' ? 'json' : 'csv';
}

/** Defaults come from the UI; a bad one is reported once instead of on every row. */
function checkDefaults(defaults: ImportDefaults): ImportError | undefined {
  for (const field of ['vbotId', 'projectCode'] as const) {
    const value = defaults[field];
    if (value === undefined || value.trim() === '') continue;
    const result = VALIDATORS[field](value);
    if (!result.ok) {
      const code = result.code === 'empty' ? 'emptyValue' : result.code;
      return { line: 0, field, code, max: result.max, message: `default ${field} is invalid` };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// JSON

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse reports a character offset (or line) in its message, or none: then one linear scan finds it. */
function lineOfJsonError(text: string, message: string): number {
  const positionMatch = /at position (\d+)/.exec(message);
  if (positionMatch) return lineAndColumnAt(text, Number(positionMatch[1])).line;
  const lineMatch = /\(line (\d+) column \d+\)/.exec(message);
  if (lineMatch) return Number(lineMatch[1]);
  const offset = jsonSyntaxErrorOffset(text);
  return offset === -1 ? 0 : lineAndColumnAt(text, offset).line;
}

/**
 * Accepts: an array of `{ vbotId?, projectCode?, typeNo, typeName }`; or the cache file
 * `{ version: 1, projects: [{ vbotId, projectCode, types: [...] }] }`; or that without version.
 */
function readJson(text: string, rows: RowCollector): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    rows.fail({ line: lineOfJsonError(text, message), code: 'badJson', message: 'not valid JSON' });
    return;
  }

  if (Array.isArray(json)) {
    json.forEach((item, index) => readJsonEntry(item, index + 1, {}, rows));
    return;
  }
  if (!isRecord(json) || !Array.isArray(json.projects)) {
    rows.fail({ line: 0, code: 'badShape', message: 'expected an array of types or an object with "projects"' });
    return;
  }
  if (json.version !== undefined && json.version !== 1) {
    rows.fail({ line: 0, code: 'badShape', message: `unsupported version ${String(json.version)}` });
    return;
  }

  let entryNumber = 0;
  for (const project of json.projects) {
    if (!isRecord(project) || !Array.isArray(project.types)) {
      rows.fail({ line: entryNumber + 1, code: 'badShape', message: 'a project needs a "types" array' });
      continue;
    }
    const projectFields = { vbotId: project.vbotId, projectCode: project.projectCode };
    for (const type of project.types) readJsonEntry(type, ++entryNumber, projectFields, rows);
  }
}

function readJsonEntry(item: unknown, entryNumber: number, projectFields: { vbotId?: unknown; projectCode?: unknown }, rows: RowCollector): void {
  if (!isRecord(item)) {
    rows.fail({ line: entryNumber, code: 'badShape', message: 'entry is not an object' });
    return;
  }
  rows.add(entryNumber, item.vbotId ?? projectFields.vbotId, item.projectCode ?? projectFields.projectCode, item.typeNo, item.typeName);
}

// ---------------------------------------------------------------------------------------------
// CSV

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
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  let best = ',';
  let bestScore = 0;
  for (const delimiter of [',', ';', '\t']) {
    const cells = firstLine.split(delimiter).map((cell) => normalizeHeader(cell.replace(/"/g, '')));
    const score = cells.filter((cell) => cell in HEADER_ALIASES).length;
    if (score > bestScore) [best, bestScore] = [delimiter, score];
  }
  return best;
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

/** Whether the line ends are not all LF and not all CRLF (mixed, or old Mac CRs). */
function hasMixedLineEnds(text: string): boolean {
  if (text.indexOf('\r') === -1) return false; // LF only
  return /\r(?!\n)|(?<!\r)\n/.test(text); // a CR that starts no CRLF, or an LF that ends none
}

function readCsv(raw: string, rows: RowCollector, defaults: ImportDefaults): void {
  // One line-end convention for the whole file: papaparse guesses it from the first line, and a
  // CRLF header over LF rows (files stitched together by hand) would otherwise read as one record.
  // No valid value holds a CR or LF, so nothing that matters is changed. A file that already uses
  // one convention (all LF, or all CRLF as Excel writes) is read as it is: rewriting it cost a copy
  // of the whole text, which was most of the time of a clean import.
  const text = hasMixedLineEnds(raw) ? raw.replace(/\r\n?/g, '\n') : raw;
  // One pass of papaparse over the whole text (at most 5 MB), then the records in order: a callback
  // per record cost papaparse as much again as the parse itself. The line end is known by now, so
  // papaparse need not guess it (its guess splits the first megabyte: a tenth of an import's time).
  const parsed = Papa.parse<string[]>(text, {
    delimiter: detectDelimiter(text),
    newline: text.indexOf('\r\n') !== -1 ? '\r\n' : text.indexOf('\r') !== -1 ? '\r' : '\n',
    skipEmptyLines: false, // we skip blank records ourselves, to keep the line count exact
  });
  // papaparse numbers each error by the record it belongs to; the first one is reported.
  const firstError = new Map<number, Papa.ParseError>();
  for (const error of parsed.errors) if (error.row !== undefined && !firstError.has(error.row)) firstError.set(error.row, error);
  // Line numbers: a record ends with one line break, and holds the ones inside its (quoted) cells.
  let line = 1;
  let columns: ColumnIndexes | undefined;
  let headerLength = 0;
  for (let record = 0; record < parsed.data.length; record++) {
    const cells = parsed.data[record];
    const recordLine = line;
    line += 1 + lineBreaksIn(cells);
    if (!columns) {
      headerLength = cells.length;
      const byField = mapHeader(cells, rows, defaults);
      if (!byField) return;
      const at = (field: ImportField) => byField.get(field) ?? -1;
      columns = { vbotId: at('vbotId'), projectCode: at('projectCode'), typeNo: at('typeNo'), typeName: at('typeName') };
      continue;
    }
    readCsvRecord(cells, firstError.get(record), recordLine, columns, headerLength, rows);
  }
}

function lineBreaksIn(cells: string[]): number {
  let count = 0;
  for (const cell of cells) for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) count++;
  return count;
}

/** Column index of each field; -1 for a column the file does not have (its value comes from the defaults). */
interface ColumnIndexes { vbotId: number; projectCode: number; typeNo: number; typeName: number }

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
  rows.add(line, unescapeFormula(cells[vbotId]), unescapeFormula(cells[projectCode]), unescapeFormula(cells[typeNo]), unescapeFormula(cells[typeName]));
}

/**
 * Cells a spreadsheet would run as a formula start with one of these (papaparse's escapeFormulae
 * list). Export puts a single quote before such a value, and before a value that already starts
 * with quotes followed by one of them (`'=x` is written `''=x`), so that import can take exactly
 * one quote off any cell that starts with quotes and then one of these: the round trip is exact.
 */
const FORMULA_TO_ESCAPE = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;

/** The inverse of export's formula escape (see FORMULA_TO_ESCAPE). */
function unescapeFormula(cell: string | undefined): string | undefined {
  return cell !== undefined && cell.charCodeAt(0) === 0x27 && ESCAPED_FORMULA.test(cell) ? cell.slice(1) : cell;
}

function isBlankRecord(cells: string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Planning an import against the cache

/** Splits rows into new, renamed and unchanged types, for the preview before writing. */
export function planImport(snapshot: CacheSnapshot, rows: ReadonlyArray<ImportRow>): ImportPlan {
  const add: ImportRow[] = [];
  const change: ImportChange[] = [];
  const newProjects: ProjectKey[] = [];
  const newProjectIds = new Set<string>();
  let unchanged = 0;

  // Rows come grouped by project as a rule: the last row's project is reused without a lookup.
  let lastKey: ProjectKey | undefined;
  let lastProject: CachedProject | undefined;
  for (const row of rows) {
    const { vbotId, projectCode, typeNo, typeName } = row;
    if (lastKey?.vbotId !== vbotId || lastKey.projectCode !== projectCode) {
      lastKey = row;
      lastProject = snapshot.project(vbotId, projectCode);
      const id = `${vbotId}\u0000${projectCode}`;
      if (!lastProject && !newProjectIds.has(id)) {
        newProjectIds.add(id);
        newProjects.push({ vbotId, projectCode });
      }
    }
    const existing = lastProject && findType(lastProject, typeNo);
    if (!existing) add.push(row);
    else if (existing.typeName === typeName) unchanged++;
    else change.push({ vbotId, projectCode, typeNo, oldName: existing.typeName, newName: typeName });
  }
  return { add, change, unchanged, newProjects };
}

// ---------------------------------------------------------------------------------------------
// Export

function exportRows(snapshot: CacheSnapshot, vbotId: string, projectCode: string): ImportRow[] {
  const project = snapshot.project(vbotId, projectCode);
  return (project?.types ?? []).map((type) => ({ vbotId, projectCode, typeNo: type.typeNo, typeName: type.typeName }));
}

/** The array shape parseImportFile reads; an unknown project gives `[]`. */
export function exportJson(snapshot: CacheSnapshot, vbotId: string, projectCode: string): string {
  return JSON.stringify(exportRows(snapshot, vbotId, projectCode), null, 2) + '\n';
}

/**
 * RFC 4180 CSV with the CSV_HEADER columns and CRLF line ends. Starts with a UTF-8 BOM unless
 * `bom: false`, because Excel otherwise reads Vietnamese text as ANSI and garbles it. A value that
 * would start a formula is written with a leading single quote, which import takes off again.
 */
export function exportCsv(
  snapshot: CacheSnapshot,
  vbotId: string,
  projectCode: string,
  options: { bom?: boolean } = {},
): string {
  const data = exportRows(snapshot, vbotId, projectCode).map((row) => [
    row.vbotId,
    row.projectCode,
    row.typeNo,
    row.typeName,
  ]);
  // Values a spreadsheet would run as a formula (=HYPERLINK(…), +, -, @) get a leading quote.
  const csv = Papa.unparse({ fields: [...CSV_HEADER], data }, { newline: '\r\n', escapeFormulae: FORMULA_TO_ESCAPE });
  // papaparse ends a header-only file with a line break but not a file with rows.
  const lastLineEnded = csv.endsWith('\r\n') ? csv : csv + '\r\n';
  return (options.bom === false ? '' : '\uFEFF') + lastLineEnded;
}
