// What an import file is read into, and the collector both readers (JSON, CSV) feed: it validates
// each value, applies the defaults, merges identical duplicates and refuses conflicting ones.
// Pure: no I/O, no vscode.

import { acceptedValue, validateProjectCode, validateTypeName, validateTypeNo, validateVbotId, type ValidationResult } from '../validation';

export const IMPORT_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxRows: 50_000,
  /** More errors than this are not useful to show; parsing stops there. */
  maxErrors: 100,
} as const;

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
  /** For 'tooLong': the limit, in characters; for 'tooLarge' and 'tooManyRows': in bytes, in rows. */
  max?: number;
  /** For 'duplicateInFile': where the first occurrence is. */
  firstLine?: number;
}

/** Used for rows that have no vbotId / projectCode of their own (e.g. the project being viewed). */
export interface ImportDefaults {
  vbotId?: string;
  projectCode?: string;
}

export const VALIDATORS: Record<ImportField, (value: unknown) => ValidationResult> = {
  vbotId: validateVbotId,
  projectCode: validateProjectCode,
  typeNo: validateTypeNo,
  typeName: validateTypeName,
};

/** Thrown once there are too many errors to be worth listing; the reader stops there. */
export class StopParsing extends Error {}

export class RowCollector {
  readonly rows: ImportRow[] = [];
  /** The file line of each of `rows`. */
  private readonly rowLines: number[] = [];
  readonly errors: ImportError[] = [];
  private rawRowCount = 0;
  /** Per project (vbotId NUL projectCode), typeNo → index in `rows` of its first occurrence. */
  private readonly firstSeen = new Map<string, Map<string, number>>();
  /** The last row's project and its map: rows come grouped by project as a rule. */
  private last: { vbotId: string; projectCode: string; seen: Map<string, number> } | undefined;
  /** The last raw vbotId / projectCode that was accepted, and the value it gave (see add()). */
  private lastRawVbotId: string | undefined;
  private lastVbotId = '';
  private lastRawProjectCode: string | undefined;
  private lastProjectCode = '';

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

    // The project columns repeat from row to row. A raw value equal to the last accepted one gives the same
    // value (the check depends on nothing else), and the very same string: the project comparisons here, in
    // planImport and in the cache merge then hold by identity, where two equal slices of the file text cost a
    // character comparison each time (most of an import's time went into those).
    const vbotId =
      typeof rawVbotId === 'string' && rawVbotId === this.lastRawVbotId ? this.lastVbotId : this.value(line, 'vbotId', rawVbotId);
    const projectCode =
      typeof rawProjectCode === 'string' && rawProjectCode === this.lastRawProjectCode
        ? this.lastProjectCode
        : this.value(line, 'projectCode', rawProjectCode);
    if (vbotId !== undefined && typeof rawVbotId === 'string') {
      this.lastRawVbotId = rawVbotId;
      this.lastVbotId = vbotId;
    }
    if (projectCode !== undefined && typeof rawProjectCode === 'string') {
      this.lastRawProjectCode = rawProjectCode;
      this.lastProjectCode = projectCode;
    }
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
