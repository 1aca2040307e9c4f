// One line of the change journal: what it may hold, how a line is read back (never trusting it), and
// how a caller's record becomes one (only the documented keys, the message scrubbed of secrets).
// The file format is fixed: key names and order are those of JOURNAL_ENTRY_KEYS.
//
// Pure: no I/O, no `vscode`.
import {
  CHANGE_OPS,
  type ChangeOp,
  type ChangeOutcome,
  type ChangeRecord,
  OPTION_OPS,
  type OptionOp,
  type TypeState,
} from '../change/typeChange';
import { ISO_DATE_TIME, isRecord } from '../json';
import { scrubSecrets } from '../logger';

export type JournalOperation = ChangeOp | OptionOp;
export type JournalOutcome = ChangeOutcome;
export type JournalTypeState = TypeState;

/**
 * What a caller records: everything but the id and the time. `profile` is the sign-in profile's name
 * (never a credential); `outcome` done: the server confirmed it, failed: the server refused it, unknown:
 * the answer was lost; `message` is short English text or the server's message, never a secret.
 */
export type JournalEntryInput = ChangeRecord;

export interface JournalEntry extends ChangeRecord {
  /** Random UUID. */
  readonly id: string;
  /** ISO 8601 time the entry was recorded. */
  readonly at: string;
}

export interface JournalFilter {
  profile?: string;
  vbotId?: string;
  projectCode?: string;
  /** Matches the addressed code, the code before and the code after, within the types or (with `field`) a field's options. */
  typeNo?: string;
  /** With `typeNo`: the customer field whose option codes are meant; without it, a customer type's code. */
  field?: string;
}

/** Longer messages are cut; the journal is a history, not a log. */
export const MAX_MESSAGE_LENGTH = 300;

/** The keys an entry line may have, in the order they are written. */
export const JOURNAL_ENTRY_KEYS = [
  'id',
  'at',
  'profile',
  'vbotId',
  'projectCode',
  'field',
  'operation',
  'typeNo',
  'before',
  'after',
  'outcome',
  'message',
  'undoOf',
] as const;

const OPERATIONS: ReadonlySet<string> = new Set<string>([...CHANGE_OPS, ...OPTION_OPS]);
const OPTION_OPERATIONS: ReadonlySet<string> = new Set<string>(OPTION_OPS);
const OUTCOMES: ReadonlySet<string> = new Set<JournalOutcome>(['done', 'failed', 'unknown']);
/** Generous bounds, so that a future change of the input limits never makes old lines unreadable. */
const MAX_FIELD_LENGTH = 1000;
const MAX_READ_MESSAGE_LENGTH = 4000;

// ---------------------------------------------------------------------------------------------
// Validation

function isText(value: unknown, max = MAX_FIELD_LENGTH): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isCode(value: unknown): value is string {
  return isText(value) && value.length > 0;
}

function readTypeState(value: unknown): JournalTypeState | null {
  if (!isRecord(value)) return null;
  const { typeNo, typeName } = value;
  if (!isCode(typeNo) || !isText(typeName)) return null;
  return Object.freeze({ typeNo, typeName });
}

/**
 * A valid entry built from the documented keys of `value` only, or null. Unknown keys are
 * dropped, so whatever else an object carries never reaches the file or a caller.
 */
export function parseJournalEntry(value: unknown): JournalEntry | null {
  if (!isRecord(value)) return null;
  const { id, at, profile, vbotId, projectCode, field, operation, typeNo, outcome, message, undoOf } = value;
  if (!isCode(id) || typeof at !== 'string' || !ISO_DATE_TIME.test(at) || Number.isNaN(Date.parse(at))) return null;
  if (!isText(profile) || !isCode(vbotId) || !isCode(projectCode) || !isCode(typeNo)) return null;
  if (typeof operation !== 'string' || !OPERATIONS.has(operation)) return null;
  // An option's change names its field; a type's change has none.
  if (OPTION_OPERATIONS.has(operation) ? !isCode(field) : field !== undefined) return null;
  if (typeof outcome !== 'string' || !OUTCOMES.has(outcome)) return null;
  if (message !== undefined && !isText(message, MAX_READ_MESSAGE_LENGTH)) return null;
  if (undoOf !== undefined && !isCode(undoOf)) return null;

  let before: JournalTypeState | null | undefined;
  let after: JournalTypeState | null | undefined;
  if (value.before !== undefined) {
    if (operation === 'create' || operation === 'createOption' || (before = readTypeState(value.before)) === null) return null;
  }
  if (value.after !== undefined) {
    if (operation === 'delete' || operation === 'deleteOption' || (after = readTypeState(value.after)) === null) return null;
  }

  // Written in JOURNAL_ENTRY_KEYS order, optional keys only when present.
  const entry: Record<string, unknown> = { id, at, profile, vbotId, projectCode };
  if (field !== undefined) entry.field = field;
  Object.assign(entry, { operation, typeNo });
  if (before) entry.before = before;
  if (after) entry.after = after;
  entry.outcome = outcome;
  if (message !== undefined) entry.message = message;
  if (undoOf !== undefined) entry.undoOf = undoOf;
  return Object.freeze(entry) as unknown as JournalEntry;
}

/**
 * The entry `input` makes, with the given id and time and its message scrubbed. Throws a TypeError
 * naming the bad field (`which` tells a batch's entries apart) when it is not a valid entry.
 */
export function entryFromInput(
  input: JournalEntryInput,
  stamp: { id: string; at: string },
  secrets: ReadonlyArray<string | undefined> = [],
  which = '',
): JournalEntry {
  if (!isRecord(input)) throw new TypeError(`not a valid journal entry${which}: not an object`);
  const draft = { ...pickInput(input), ...stamp };
  if (typeof draft.message === 'string') draft.message = sanitizeJournalMessage(draft.message, secrets);
  const entry = parseJournalEntry(draft);
  if (!entry) throw new TypeError(`not a valid journal entry${which}: ${describeInvalid(input)}`);
  return entry;
}

/** The documented input keys only; anything else on the object (a token, say) is left behind. */
function pickInput(input: JournalEntryInput): Record<string, unknown> & { message?: unknown } {
  const picked: Record<string, unknown> = {
    profile: input.profile,
    vbotId: input.vbotId,
    projectCode: input.projectCode,
  };
  if (input.field !== undefined) picked.field = input.field;
  picked.operation = input.operation;
  picked.typeNo = input.typeNo;
  // Not an object: passed on as it is, so that validation refuses it.
  const state = (value: unknown) => (isRecord(value) ? { typeNo: value.typeNo, typeName: value.typeName } : value);
  if (input.before !== undefined) picked.before = state(input.before);
  if (input.after !== undefined) picked.after = state(input.after);
  picked.outcome = input.outcome;
  if (input.message !== undefined) picked.message = input.message;
  if (input.undoOf !== undefined) picked.undoOf = input.undoOf;
  return picked;
}

/** Which field is wrong, for the TypeError; names only, never values (they could be anything). */
function describeInvalid(input: JournalEntryInput): string {
  const value = input as unknown as Record<string, unknown>;
  for (const key of ['profile', 'vbotId', 'projectCode', 'typeNo'] as const) {
    if (key === 'profile' ? !isText(value[key]) : !isCode(value[key])) return `bad "${key}"`;
  }
  if (typeof value.operation !== 'string' || !OPERATIONS.has(value.operation)) return 'bad "operation"';
  if (OPTION_OPERATIONS.has(value.operation) ? !isCode(value.field) : value.field !== undefined) return 'bad "field"';
  if (typeof value.outcome !== 'string' || !OUTCOMES.has(value.outcome)) return 'bad "outcome"';
  if (value.operation === 'create' && value.before !== undefined) return 'a create has no "before"';
  if (value.operation === 'delete' && value.after !== undefined) return 'a delete has no "after"';
  if (value.undoOf !== undefined && !isCode(value.undoOf)) return 'bad "undoOf"';
  if (value.message !== undefined && typeof value.message !== 'string') return 'bad "message"';
  return 'bad "before" or "after"';
}

// ---------------------------------------------------------------------------------------------
// Secrets

// Token-shaped text: JWTs, "Bearer …", "Authorization: <scheme> …" headers, and "token=…",
// "password: …", "X-API-Key: …", "token-open-api=…" pairs (also in JSON).
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
// The credential after the scheme ("Basic dXNlcjpwYXNz"), not only the word after the colon.
const AUTHORIZATION = /\b((?:proxy-)?authorization)("?\s*[:=]\s*"?)(?:([A-Za-z][A-Za-z0-9-]*) +(?=[^\s"',;&}]))?[^\s"',;&}]+/gi;
const SECRET_PAIR =
  /\b(token[-_]open[-_]api|(?:access|refresh|id)?_?token|password|passwd|pwd|secret|(?:x-)?api[-_]?key)("?\s*[:=]\s*"?)[^\s"',;&}]+/gi;
// Line breaks and other invisible or direction-changing characters: one line, shown as written.
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]+/gu;

/** The message as it is stored: secrets and token-shaped text removed, one line, at most 300 characters. */
export function sanitizeJournalMessage(message: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let text = scrubSecrets(message, secrets)
    .replace(JWT, '[redacted]')
    .replace(BEARER, '$1 [redacted]')
    .replace(
      AUTHORIZATION,
      (_match, name: string, separator: string, scheme?: string) => `${name}${separator}${scheme ? `${scheme} ` : ''}[redacted]`,
    )
    .replace(SECRET_PAIR, '$1$2[redacted]')
    .replace(UNPRINTABLE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if ([...text].length > MAX_MESSAGE_LENGTH) text = `${[...text].slice(0, MAX_MESSAGE_LENGTH - 1).join('')}…`;
  return text;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The codes an entry touches: the addressed code and the codes before and after. */
export function touchedCodes(entry: JournalEntry): string[] {
  const codes = [entry.typeNo];
  if (entry.before && !codes.includes(entry.before.typeNo)) codes.push(entry.before.typeNo);
  if (entry.after && !codes.includes(entry.after.typeNo)) codes.push(entry.after.typeNo);
  return codes;
}

export function matchesFilter(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.profile !== undefined && entry.profile !== filter.profile) return false;
  if (filter.vbotId !== undefined && entry.vbotId !== filter.vbotId) return false;
  if (filter.projectCode !== undefined && entry.projectCode !== filter.projectCode) return false;
  // A code is one of the types' or one of a field's options: the same text in the other list is another thing.
  if (filter.typeNo !== undefined && (entry.field !== filter.field || !touchedCodes(entry).includes(filter.typeNo))) return false;
  return true;
}

/** Parses the file's text; never throws. Entries in file order (oldest first). */
export function parseJournalText(text: string): { entries: JournalEntry[]; malformedLines: number; truncatedTail: boolean } {
  const lines = text.split('\n');
  // The part after the last newline is a line still being written, or cut short by a crash.
  const tail = lines.pop() ?? '';
  const entries: JournalEntry[] = [];
  let malformedLines = 0;
  for (const rawLine of lines) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      malformedLines++;
      continue;
    }
    const entry = parseJournalEntry(parsed);
    if (entry) entries.push(entry);
    else malformedLines++;
  }
  return { entries, malformedLines, truncatedTail: tail.trim() !== '' };
}
