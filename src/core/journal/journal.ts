// The change journal: a local record of every change the extension made (or tried to make) to
// the customer types on VBot, for the History view and for Undo.
//
// One JSON Lines file (`journal.jsonl` in global storage), one entry per line, oldest first.
// Several VS Code windows append to it, so:
//   * every append takes the same cross-process lock (proper-lockfile) and writes whole lines
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
// text and of any secret the caller names (see ./entry.ts).
//
// Pure core: no `vscode` import.

import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { readBytesOrNull, removeOrphanTempFiles, withFileLock } from '../atomicFile';
import { NEW_FILE_MODE, writeFileAtomically } from '../atomicWrite';
import { isRecord } from '../json';
import {
  entryFromInput,
  type JournalEntry,
  type JournalEntryInput,
  type JournalFilter,
  matchesFilter,
  parseJournalEntry,
  parseJournalText,
  touchedCodes,
} from './entry';

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

/** Stands for the time until the entry is written: the time is taken under the lock. */
const NOT_YET = new Date(0).toISOString();

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let index = bytes.indexOf(10); index >= 0; index = bytes.indexOf(10, index + 1)) count++;
  return count;
}

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

  /** Records one change: `appendMany` of one. */
  async append(input: JournalEntryInput, options: AppendOptions = {}): Promise<JournalEntry> {
    const [entry] = await this.appendMany([input], options);
    return entry;
  }

  /**
   * Records changes, in order, and returns them with their ids and time (one time for the batch).
   * Only the documented keys are written; messages are scrubbed (see `sanitizeJournalMessage`).
   * Rejects with a TypeError, writing nothing, if any entry is not valid, and with the file system's
   * error if they cannot be written. One lock, one read, one write and one sync for the whole batch.
   */
  appendMany(inputs: ReadonlyArray<JournalEntryInput>, options: AppendOptions = {}): Promise<JournalEntry[]> {
    let drafts: JournalEntry[];
    try {
      // Validated before queueing: a bad entry is a bug in the caller, reported at once.
      drafts = inputs.map((input, i) =>
        entryFromInput(input, { id: randomUUID(), at: NOT_YET }, options.secrets, inputs.length > 1 ? ` (#${i + 1})` : ''),
      );
    } catch (error) {
      return Promise.reject(error);
    }
    if (drafts.length === 0) return Promise.resolve([]);

    return this.enqueue(async () => {
      let written!: JournalEntry[];
      await withFileLock(this.filePath, 'journal', async (assertLockHeld) => {
        if (!this.orphansRemoved) {
          this.orphansRemoved = true;
          await removeOrphanTempFiles(this.filePath);
        }
        // The time is taken under the lock, so the file order is also the time order.
        const at = this.now().toISOString();
        written = drafts.map((draft) => parseJournalEntry({ ...draft, at })!);
        await this.appendLines(
          written.map((entry) => JSON.stringify(entry)),
          assertLockHeld,
        );
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
    return (await this.read()).entries.filter((entry) => matchesFilter(entry, filter));
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

    // Undo is of customer types: a change to a field's options (which has no undo) is neither the last one nor a later one.
    const scope = all.filter(
      (entry) =>
        entry.field === undefined &&
        matchesFilter(entry, { profile: filter.profile, vbotId: filter.vbotId, projectCode: filter.projectCode }),
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
   * Appends the lines (O_APPEND, one write, one sync), then compacts if the file grew too long.
   * Called with the lock held. The file is read once: to count its lines and, should compaction be
   * due, as what is compacted (no one else writes while we hold the lock). A crash may have left a
   * last line without its newline: the new lines then start on a line of their own, so the fragment
   * cannot spoil them.
   */
  private async appendLines(lines: ReadonlyArray<string>, assertLockHeld: () => void): Promise<void> {
    const existing = await readBytesOrNull(this.filePath);
    const needsNewline = existing !== null && existing.length > 0 && existing[existing.length - 1] !== 10;
    const addition = Buffer.from(`${needsNewline ? '\n' : ''}${lines.join('\n')}\n`, 'utf8');
    assertLockHeld();
    // Created for this user only (0600, whatever the umask); an existing file keeps its mode.
    const handle = await fs.open(this.filePath, 'a', NEW_FILE_MODE);
    try {
      if (existing === null) await handle.chmod(NEW_FILE_MODE);
      await handle.appendFile(addition);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    const lineCount = (existing ? countNewlines(existing) : 0) + countNewlines(addition);
    if (lineCount <= Math.floor(this.maxEntries * COMPACTION_FACTOR)) return;
    await this.compact(`${existing?.toString('utf8') ?? ''}${addition.toString('utf8')}`, assertLockHeld);
  }

  /** Keeps the newest maxEntries lines of `text` (the whole file). Lines that are not even JSON are
   *  dropped; lines that are JSON but not a valid entry (perhaps from a newer version) are kept as they are. */
  private async compact(text: string, assertLockHeld: () => void): Promise<void> {
    const lines = text.split('\n');
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
    const compacted = kept.length > 0 ? `${kept.join('\n')}\n` : '';
    await writeFileAtomically(this.filePath, Buffer.from(compacted, 'utf8'), assertLockHeld);
  }
}
