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

/**
 * What the collector knows of one project's codes. While they come in increasing order (an exported file's
 * do, in the cache's order) only the last one is kept: a code above it is new, without a lookup, and the map
 * (a hash and an entry per row) is not built unless a code comes out of order.
 */
interface ProjectCodes {
  readonly vbotId: string;
  readonly projectCode: string;
  /** typeNo → index in `rows` of its first occurrence; undefined while the codes are in order. */
  seen: Map<string, number> | undefined;
  /** While in order: the last code, the greatest so far, and its index in `rows`. */
  lastNo: string | undefined;
  lastIndex: number;
}

/**
 * `raw === last`, for strings. A cell of 13 characters or more is a slice of the file's text, and V8's `===` on two
 * equal slices is a call into the runtime; indexOf compares them in place, some twice as fast (the vbotId comparison
 * was some 7% of an import's time, profiled). At equal lengths, `last` starts with `raw` only if they are equal.
 */
function isSameText(raw: unknown, last: string | undefined): boolean {
  if (typeof raw !== 'string' || last === undefined || raw.length !== last.length) return false;
  return raw.length < 13 ? raw === last : last.indexOf(raw) === 0; // a shorter cell is a copy, which === compares in place
}

/** Thrown once there are too many errors to be worth listing; the reader stops there. */
export class StopParsing extends Error {}

export class RowCollector {
  readonly rows: ImportRow[] = [];
  /** The file line of each of `rows`. */
  private readonly rowLines: number[] = [];
  readonly errors: ImportError[] = [];
  private rawRowCount = 0;
  /** Per project (vbotId NUL projectCode), what is known of its codes so far. */
  private readonly projects = new Map<string, ProjectCodes>();
  /** The last row's project: rows come grouped by project as a rule. */
  private last: ProjectCodes | undefined;
  /** Set once some project's codes came out of order: from then on every project keeps a map (see useMaps). */
  private mapped = false;
  /** The last raw vbotId / projectCode that was accepted, and the value it gave (see add()). */
  private lastRawVbotId: string | undefined;
  private lastVbotId = '';
  private lastRawProjectCode: string | undefined;
  private lastProjectCode = '';

  constructor(private readonly defaults: ImportDefaults) {}

  /**
   * True when each project's rows came in strictly increasing code order (a file exported from here has them
   * so): what the cache's merge is then told, so that it need not compare the codes with each other again.
   */
  get inCodeOrder(): boolean {
    return !this.mapped;
  }

  /** Records an error; throws StopParsing once there are too many to be worth listing. */
  fail(error: ImportError): void {
    this.errors.push(error);
    if (this.errors.length >= IMPORT_LIMITS.maxErrors) throw new StopParsing();
  }

  /** One entry as read from the file, before validation; `undefined` means absent. */
  add(line: number, rawVbotId: unknown, rawProjectCode: unknown, rawTypeNo: unknown, rawTypeName: unknown): void {
    if (++this.rawRowCount > IMPORT_LIMITS.maxRows) this.stopTooMany(line);

    // The project columns repeat from row to row. A raw value equal to the last accepted one gives the same
    // value (the check depends on nothing else), and the very same string: the project comparisons here, in
    // planImport and in the cache merge then hold by identity, where two equal slices of the file text cost a
    // character comparison each time (a fifth of an import's time went into those, measured paired).
    const vbotId = isSameText(rawVbotId, this.lastRawVbotId) ? this.lastVbotId : this.value(line, 'vbotId', rawVbotId);
    const projectCode = isSameText(rawProjectCode, this.lastRawProjectCode)
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

    const project = this.projectOf(vbotId, projectCode);
    const first = this.firstIndexOf(project, typeNo);
    if (first === -1) {
      if (project.seen === undefined) {
        project.lastNo = typeNo;
        project.lastIndex = this.rows.length;
      } else project.seen.set(typeNo, this.rows.length);
      this.rows.push({ vbotId, projectCode, typeNo, typeName });
      this.rowLines.push(line);
    } else if (this.rows[first].typeName !== typeName) {
      this.failDuplicate(line, this.rowLines[first]);
    }
    // An identical duplicate is simply merged into the first one.
  }

  private failDuplicate(line: number, firstLine: number): void {
    this.fail({
      line,
      code: 'duplicateInFile',
      field: 'typeNo',
      firstLine,
      message: `same typeNo with another name (first at ${firstLine})`,
    });
  }

  private stopTooMany(line: number): never {
    const max = IMPORT_LIMITS.maxRows;
    this.errors.push({ line, code: 'tooManyRows', message: `more than ${max} rows`, max });
    throw new StopParsing();
  }

  private projectOf(vbotId: string, projectCode: string): ProjectCodes {
    if (this.last?.vbotId === vbotId && this.last.projectCode === projectCode) return this.last;
    // Control characters are rejected, so NUL cannot occur inside a value.
    const key = `${vbotId}\u0000${projectCode}`;
    let project = this.projects.get(key);
    if (!project) {
      project = { vbotId, projectCode, seen: this.mapped ? new Map() : undefined, lastNo: undefined, lastIndex: -1 };
      this.projects.set(key, project);
    }
    return (this.last = project);
  }

  /** The index in `rows` of the first row of `typeNo` in this project, or -1 if there is none yet. */
  private firstIndexOf(project: ProjectCodes, typeNo: string): number {
    if (project.seen === undefined) {
      // In order so far: a code above the last one is new, without a lookup.
      if (project.lastNo === undefined || typeNo > project.lastNo) return -1;
      if (typeNo === project.lastNo) return project.lastIndex;
      this.useMaps();
    }
    return project.seen!.get(typeNo) ?? -1;
  }

  /**
   * A code came out of order: every project gets the map of its codes, in one pass over the rows so far
   * (one pass for all of them, not one per project, which could be rows × projects).
   */
  private useMaps(): void {
    this.mapped = true;
    for (const project of this.projects.values()) project.seen = new Map();
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i];
      this.projectOf(row.vbotId, row.projectCode).seen!.set(row.typeNo, i);
    }
  }

  /** The trimmed, valid value, or undefined after recording why it is not. */
  private value(line: number, field: ImportField, raw: unknown): string | undefined {
    const accepted = acceptedValue(field, raw);
    // Never blank: a blank value does not pass. The rest is apart, so that this stays small enough to inline.
    return accepted !== undefined ? accepted : this.refusedOrDefault(line, field, raw);
  }

  /** A value acceptedValue refused, or a blank one: a blank vbotId / projectCode takes the default; else say why. */
  private refusedOrDefault(line: number, field: ImportField, raw: unknown): string | undefined {
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
