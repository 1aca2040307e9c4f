// The change journal: a local record of every change the extension made (or tried to make) to
// the customer types on VBot, for the History view and for Undo.
//
// One JSON Lines file (`journal.jsonl` in global storage), one entry per line, oldest first.
// Several VS Code windows append to it, so:
//   * every append takes the same cross-process lock (proper-lockfile) and writes one whole line
//     with O_APPEND; the file order is therefore the order in which changes were recorded;
//   * the file is kept short by compaction: once it holds more than ~1.2 × maxEntries lines, the
//     newest maxEntries are written to a temp file that is renamed over the journal, under the
//     same lock, so no append made by another window can be lost in between;
//   * readers take no lock: they see the file before or after an append or a compaction, at
//     worst with the last line half written, and a line without its newline is simply ignored.
// A line that is not a valid entry (hand edits, a crash, a newer version) is skipped and counted;
// reading never throws because of the content of the file.
//
// Never a secret: an entry is rebuilt field by field from the documented keys only (anything
// else the caller passes is dropped), and the free-text `message` is scrubbed of token-shaped
// text and of any secret the caller names.
//
// Pure core: no `vscode` import.

import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { NEW_FILE_MODE, readBytesOrNull, removeOrphanTempFiles, writeFileAtomically, withFileLock } from './atomicFile';
import { scrubSecrets } from './logger';

export type JournalOperation = 'create' | 'rename' | 'changeCode' | 'delete';
export type JournalOutcome = 'done' | 'failed' | 'unknown';

export interface JournalTypeState {
  readonly typeNo: string;
  readonly typeName: string;
}

export interface JournalEntry {
  /** Random UUID. */
  readonly id: string;
  /** ISO 8601 time the entry was recorded. */
  readonly at: string;
  /** The sign-in profile the change was made with (its name, never a credential). */
  readonly profile: string;
  readonly vbotId: string;
  readonly projectCode: string;
  readonly operation: JournalOperation;
  /** The code the operation addressed (the new code for a create, the old code for the rest). */
  readonly typeNo: string;
  /** The type before the change; absent for a create (and when it was not known). */
  readonly before?: JournalTypeState;
  /** The type after the change; absent for a delete. */
  readonly after?: JournalTypeState;
  /** done: the server confirmed it; failed: the server refused it; unknown: the answer was lost. */
  readonly outcome: JournalOutcome;
  /** Short English text or the server's message; never a secret. */
  readonly message?: string;
  /** The id of the entry this change undid. */
  readonly undoOf?: string;
}

/** What a caller passes to `append`: everything but the id and the time. */
export type JournalEntryInput = Omit<JournalEntry, 'id' | 'at'>;

export interface JournalFilter {
  profile?: string;
  vbotId?: string;
  projectCode?: string;
  /** Matches the addressed code, the code before and the code after. */
  typeNo?: string;
}

export interface UndoFilter {
  profile: string;
  vbotId: string;
  projectCode: string;
  typeNo?: string;
}

export interface ChangeJournalOptions {
  now?: () => Date;
  /** How many entries compaction keeps (default 5000). */
  maxEntries?: number;
}

export interface AppendOptions {
  /** Values that must never reach the file (e.g. the current tokens): scrubbed from `message`. */
  secrets?: ReadonlyArray<string | undefined>;
}

export interface JournalReadResult {
  /** Newest first. */
  entries: JournalEntry[];
  /** Complete lines that were not a valid entry, skipped. */
  malformedLines: number;
  /** True if the file ended in a line without its newline (a crash, or an append in progress). */
  truncatedTail: boolean;
}

export const DEFAULT_MAX_ENTRIES = 5000;
/** Compaction starts when the file has more than maxEntries × this many lines. */
export const COMPACTION_FACTOR = 1.2;
/** Longer messages are cut; the journal is a history, not a log. */
export const MAX_MESSAGE_LENGTH = 300;

/** The keys an entry line may have, in the order they are written. */
export const JOURNAL_ENTRY_KEYS = [
  'id', 'at', 'profile', 'vbotId', 'projectCode', 'operation', 'typeNo', 'before', 'after', 'outcome', 'message', 'undoOf',
] as const;

const OPERATIONS: ReadonlySet<string> = new Set<JournalOperation>(['create', 'rename', 'changeCode', 'delete']);
const OUTCOMES: ReadonlySet<string> = new Set<JournalOutcome>(['done', 'failed', 'unknown']);
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
/** Generous bounds, so that a future change of the input limits never makes old lines unreadable. */
const MAX_FIELD_LENGTH = 1000;
const MAX_READ_MESSAGE_LENGTH = 4000;

// ---------------------------------------------------------------------------------------------
// Validation

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
  const { id, at, profile, vbotId, projectCode, operation, typeNo, outcome, message, undoOf } = value;
  if (!isCode(id) || typeof at !== 'string' || !ISO_DATE_TIME.test(at) || Number.isNaN(Date.parse(at))) return null;
  if (!isText(profile) || !isCode(vbotId) || !isCode(projectCode) || !isCode(typeNo)) return null;
  if (typeof operation !== 'string' || !OPERATIONS.has(operation)) return null;
  if (typeof outcome !== 'string' || !OUTCOMES.has(outcome)) return null;
  if (message !== undefined && !isText(message, MAX_READ_MESSAGE_LENGTH)) return null;
  if (undoOf !== undefined && !isCode(undoOf)) return null;

  let before: JournalTypeState | null | undefined;
  let after: JournalTypeState | null | undefined;
  if (value.before !== undefined) {
    if (operation === 'create' || (before = readTypeState(value.before)) === null) return null;
  }
  if (value.after !== undefined) {
    if (operation === 'delete' || (after = readTypeState(value.after)) === null) return null;
  }

  // Written in JOURNAL_ENTRY_KEYS order, optional keys only when present.
  const entry: Record<string, unknown> = { id, at, profile, vbotId, projectCode, operation, typeNo };
  if (before) entry.before = before;
  if (after) entry.after = after;
  entry.outcome = outcome;
  if (message !== undefined) entry.message = message;
  if (undoOf !== undefined) entry.undoOf = undoOf;
  return Object.freeze(entry) as unknown as JournalEntry;
}

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
    .replace(AUTHORIZATION, (_match, name: string, separator: string, scheme?: string) => `${name}${separator}${scheme ? `${scheme} ` : ''}[redacted]`)
    .replace(SECRET_PAIR, '$1$2[redacted]')
    .replace(UNPRINTABLE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if ([...text].length > MAX_MESSAGE_LENGTH) text = `${[...text].slice(0, MAX_MESSAGE_LENGTH - 1).join('')}…`;
  return text;
}

/** The codes an entry touches: the addressed code and the codes before and after. */
export function touchedCodes(entry: JournalEntry): string[] {
  const codes = [entry.typeNo];
  if (entry.before && !codes.includes(entry.before.typeNo)) codes.push(entry.before.typeNo);
  if (entry.after && !codes.includes(entry.after.typeNo)) codes.push(entry.after.typeNo);
  return codes;
}

function matches(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.profile !== undefined && entry.profile !== filter.profile) return false;
  if (filter.vbotId !== undefined && entry.vbotId !== filter.vbotId) return false;
  if (filter.projectCode !== undefined && entry.projectCode !== filter.projectCode) return false;
  if (filter.typeNo !== undefined && !touchedCodes(entry).includes(filter.typeNo)) return false;
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

// ---------------------------------------------------------------------------------------------
// File system helpers (the same discipline as the customer type cache)

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let index = bytes.indexOf(10); index >= 0; index = bytes.indexOf(10, index + 1)) count++;
  return count;
}

// ---------------------------------------------------------------------------------------------
// The journal

export class ChangeJournal {
  private readonly now: () => Date;
  readonly maxEntries: number;
  /** Serializes this instance's appends, so they never race each other for the lock. */
  private queue: Promise<unknown> = Promise.resolve();
  private orphansRemoved = false;

  constructor(
    readonly filePath: string,
    options: ChangeJournalOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, not ${maxEntries}`);
    this.maxEntries = maxEntries;
  }

  /**
   * Records one change and returns it with its id and time. Only the documented keys are
   * written; the message is scrubbed (see `sanitizeJournalMessage`). Rejects with a TypeError
   * if the entry is not valid, and with the file system's error if it cannot be written.
   */
  append(input: JournalEntryInput, options: AppendOptions = {}): Promise<JournalEntry> {
    // Validate before queueing: a bad entry is a bug in the caller, reported at once.
    if (!isRecord(input)) return Promise.reject(new TypeError('not a valid journal entry: not an object'));
    const draft = { ...pickInput(input), id: randomUUID(), at: new Date(0).toISOString() };
    if (typeof draft.message === 'string') draft.message = sanitizeJournalMessage(draft.message, options.secrets);
    if (!parseJournalEntry(draft)) {
      return Promise.reject(new TypeError(`not a valid journal entry: ${describeInvalid(input)}`));
    }

    return this.enqueue(async () => {
      let written!: JournalEntry;
      await withFileLock(this.filePath, 'journal', async (assertLockHeld) => {
        if (!this.orphansRemoved) {
          this.orphansRemoved = true;
          await removeOrphanTempFiles(this.filePath);
        }
        // The time is taken under the lock, so the file order is also the time order.
        written = parseJournalEntry({ ...draft, at: this.now().toISOString() })!;
        const lineCount = await this.appendLine(JSON.stringify(written), assertLockHeld);
        if (lineCount > Math.floor(this.maxEntries * COMPACTION_FACTOR)) await this.compact(assertLockHeld);
      });
      return written;
    });
  }

  /** The whole journal, newest first, with the count of lines that had to be skipped. */
  async read(): Promise<JournalReadResult> {
    const bytes = await readBytesOrNull(this.filePath);
    if (bytes === null) return { entries: [], malformedLines: 0, truncatedTail: false };
    const parsed = parseJournalText(bytes.toString('utf8'));
    return { ...parsed, entries: parsed.entries.reverse() };
  }

  /** The entries that match every given field, newest first. */
  async entries(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    return (await this.read()).entries.filter((entry) => matches(entry, filter));
  }

  /**
   * The entry an Undo should revert, or undefined if there is none.
   *
   * Within the profile and project: the newest 'done' entry that has not been undone yet (no
   * 'done' entry has `undoOf` = its id), touching `typeNo` if given. If a later entry changed
   * the same type (a 'done' one, or an 'unknown' one that may have) that later entry is the last
   * change on the type and is returned instead; repeated until no later entry touches it. So the
   * result may be an undo itself (undoing it redoes the change) or an 'unknown' entry, which
   * `inverseOf` reports as impossible to undo.
   */
  async lastUndoable(filter: UndoFilter): Promise<JournalEntry | undefined> {
    const all = (await this.read()).entries.reverse(); // oldest first
    const undone = new Set<string>();
    for (const entry of all) if (entry.outcome === 'done' && entry.undoOf !== undefined) undone.add(entry.undoOf);

    const scope = all.filter((entry) =>
      matches(entry, { profile: filter.profile, vbotId: filter.vbotId, projectCode: filter.projectCode }),
    );
    let index = -1;
    for (let i = scope.length - 1; i >= 0; i--) {
      const entry = scope[i];
      if (entry.outcome !== 'done' || undone.has(entry.id)) continue;
      if (filter.typeNo !== undefined && !touchedCodes(entry).includes(filter.typeNo)) continue;
      index = i;
      break;
    }
    if (index < 0) return undefined;

    // Has the type changed since? Then the later change is the last one on it.
    for (;;) {
      const codes = touchedCodes(scope[index]);
      let later = -1;
      for (let j = scope.length - 1; j > index; j--) {
        const entry = scope[j];
        if (entry.outcome === 'failed') continue;
        if (touchedCodes(entry).some((code) => codes.includes(code))) {
          later = j;
          break;
        }
      }
      if (later < 0) return scope[index];
      index = later;
    }
  }

  // -------------------------------------------------------------------------------------------

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Appends one line (O_APPEND, one write) and returns the number of lines the file now has.
   * Called with the lock held. A crash may have left a last line without its newline: the new
   * line then starts on a line of its own, so the fragment cannot spoil it.
   */
  private async appendLine(line: string, assertLockHeld: () => void): Promise<number> {
    const existing = await readBytesOrNull(this.filePath);
    const needsNewline = existing !== null && existing.length > 0 && existing[existing.length - 1] !== 10;
    const bytes = Buffer.from(`${needsNewline ? '\n' : ''}${line}\n`, 'utf8');
    assertLockHeld();
    // Created for this user only (0600, whatever the umask); an existing file keeps its mode.
    const handle = await fs.open(this.filePath, 'a', NEW_FILE_MODE);
    try {
      if (existing === null) await handle.chmod(NEW_FILE_MODE);
      await handle.appendFile(bytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return (existing ? countNewlines(existing) : 0) + countNewlines(bytes);
  }

  /** Keeps the newest maxEntries lines. Lines that are not even JSON are dropped; lines that are
   *  JSON but not a valid entry (perhaps from a newer version) are kept as they are. */
  private async compact(assertLockHeld: () => void): Promise<void> {
    const bytes = await readBytesOrNull(this.filePath);
    if (bytes === null) return;
    const lines = bytes.toString('utf8').split('\n');
    lines.pop(); // after our append, the file ends with a newline
    const kept: string[] = [];
    for (let i = lines.length - 1; i >= 0 && kept.length < this.maxEntries; i--) {
      const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
      if (line.trim() === '') continue;
      try {
        if (!isRecord(JSON.parse(line))) continue;
      } catch {
        continue;
      }
      kept.push(line);
    }
    kept.reverse();
    const text = kept.length > 0 ? `${kept.join('\n')}\n` : '';
    await writeFileAtomically(this.filePath, Buffer.from(text, 'utf8'), assertLockHeld);
  }
}

/** The documented input keys only; anything else on the object (a token, say) is left behind. */
function pickInput(input: JournalEntryInput): Record<string, unknown> & { message?: unknown } {
  const picked: Record<string, unknown> = {
    profile: input.profile,
    vbotId: input.vbotId,
    projectCode: input.projectCode,
    operation: input.operation,
    typeNo: input.typeNo,
  };
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
  if (typeof value.outcome !== 'string' || !OUTCOMES.has(value.outcome)) return 'bad "outcome"';
  if (value.operation === 'create' && value.before !== undefined) return 'a create has no "before"';
  if (value.operation === 'delete' && value.after !== undefined) return 'a delete has no "after"';
  if (value.undoOf !== undefined && !isCode(value.undoOf)) return 'bad "undoOf"';
  if (value.message !== undefined && typeof value.message !== 'string') return 'bad "message"';
  return 'bad "before" or "after"';
}
