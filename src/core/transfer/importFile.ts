// Reading an import file of customer types, JSON or CSV. Pure: no I/O, no vscode.
//
// Import is all-or-nothing: a file with any error yields only errors, never a partial list,
// so the user fixes the file and imports again instead of guessing what got in.

import { isRecord, jsonSyntaxErrorOffset, lineAndColumnAt, stripBom } from '../json';
import { readCsv } from './importCsv';
import { IMPORT_LIMITS, RowCollector, StopParsing, VALIDATORS, type ImportDefaults, type ImportError, type ImportRow } from './importRows';

/** `inCodeOrder`: each project's rows come in strictly increasing code order (see planImport). */
export type ImportParseResult =
  | { ok: true; format: 'json' | 'csv'; rows: ImportRow[]; inCodeOrder: boolean }
  | { ok: false; format?: 'json' | 'csv'; errors: ImportError[] };

/**
 * Reads an import file (JSON or CSV, chosen by extension, else by content).
 * Rows without vbotId/projectCode take `defaults`. Any error: `ok: false` and no rows.
 */
export function parseImportFile(fileName: string, content: string, defaults: ImportDefaults = {}): ImportParseResult {
  // Every UTF-16 unit is at least one UTF-8 byte, so the cheap length test catches most huge files.
  // A UTF-16 unit takes at most 3 UTF-8 bytes, so a text of up to a third of the limit needs no count.
  if (
    content.length > IMPORT_LIMITS.maxBytes ||
    (content.length * 3 > IMPORT_LIMITS.maxBytes && Buffer.byteLength(content, 'utf8') > IMPORT_LIMITS.maxBytes)
  ) {
    const message = `file is larger than ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MiB`;
    return { ok: false, errors: [{ line: 0, code: 'tooLarge', message, max: IMPORT_LIMITS.maxBytes }] };
  }
  const text = stripBom(content);
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
  if (rows.errors.length > 0) return { ok: false, format, errors: rows.errors };
  return { ok: true, format, rows: rows.rows, inCodeOrder: rows.inCodeOrder };
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

/**
 * Accepts: an array of `{ vbotId?, projectCode?, typeNo, typeName }`; or the cache file
 * `{ version: 1, projects: [{ vbotId, projectCode, types: [...] }] }`; or that without version.
 */
function readJson(text: string, rows: RowCollector): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse does not always name where; one linear scan does.
    const offset = jsonSyntaxErrorOffset(text);
    rows.fail({ line: offset === -1 ? 0 : lineAndColumnAt(text, offset).line, code: 'badJson', message: 'not valid JSON' });
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

function readJsonEntry(
  item: unknown,
  entryNumber: number,
  projectFields: { vbotId?: unknown; projectCode?: unknown },
  rows: RowCollector,
): void {
  if (!isRecord(item)) {
    rows.fail({ line: entryNumber, code: 'badShape', message: 'entry is not an object' });
    return;
  }
  rows.add(entryNumber, item.vbotId ?? projectFields.vbotId, item.projectCode ?? projectFields.projectCode, item.typeNo, item.typeName);
}
