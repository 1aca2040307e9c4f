// Reading the journal for the History view, per-entry Undo and Restore Deleted Type: whether an entry can
// still be undone (the same checks as Undo Last Change: a confirmed change, not undone yet, and the type
// still as the entry left it), which deleted types can be re-created, entries grouped by project, and a
// time in the user's language.
//
// Pure core: no `vscode` import.
import { type TypeChange, undoOfRecord } from '../change/typeChange';
import { type JournalEntry, touchedCodes } from './entry';

/** Why an entry cannot be undone; the UI words each one. */
export type UndoRefusal =
  | 'failed' // the server refused the change: nothing to undo
  | 'outcomeUnknown' // the answer was lost: it may or may not have been made
  | 'alreadyUndone' // a later undo reversed it
  | 'changedSince' // a later change (that was made, or may have been) touched the same code
  | 'listDiffers' // the local list shows the type otherwise than the entry left it
  | 'nameUnknown' // a delete whose name was not recorded: it cannot be re-created
  | 'earlierNameUnknown' // a rename whose old name was not recorded
  | 'codesUnknown' // a change of code without both codes
  | 'nothingChanged' // the name or code did not change
  | 'invalid' // values that typed input would refuse (a hand-edited journal)
  | 'optionChange'; // a change to an option of a customer field: the journal keeps too little of it to undo

export type UndoCheck =
  | { readonly ok: true; readonly change: TypeChange; readonly undoOf: string }
  | { readonly ok: false; readonly reason: UndoRefusal; readonly later?: JournalEntry };

/** What the local list says of a type: its name, or undefined when the code is not listed. */
export type ListedType = (typeNo: string) => { typeName: string } | undefined;

export interface ProjectHistory {
  readonly vbotId: string;
  readonly projectCode: string;
  /** Newest first. */
  readonly entries: ReadonlyArray<JournalEntry>;
}

const scopeKey = (e: { profile: string; vbotId: string; projectCode: string }) => JSON.stringify([e.profile, e.vbotId, e.projectCode]);
/** A code within its list: the project's types, or (`field`) one field's options. */
const codeKey = (e: JournalEntry, code: string) => JSON.stringify([e.profile, e.vbotId, e.projectCode, e.field ?? null, code]);

/** The journal (newest first, as ChangeJournal.read gives it) indexed once for many questions. */
export class JournalHistory {
  private readonly ids = new Map<string, JournalEntry>();
  /** Entry id → the newest confirmed undo of it. */
  private readonly undoneBy = new Map<string, JournalEntry>();
  /** Profile, project and code → the newest entry on it that was made or may have been (failed ones changed nothing). */
  private readonly lastTouch = new Map<string, JournalEntry>();

  constructor(readonly newestFirst: ReadonlyArray<JournalEntry>) {
    for (const e of newestFirst) {
      this.ids.set(e.id, e);
      if (e.outcome === 'done' && e.undoOf !== undefined && !this.undoneBy.has(e.undoOf)) this.undoneBy.set(e.undoOf, e);
      if (e.outcome === 'failed') continue;
      for (const code of touchedCodes(e)) if (!this.lastTouch.has(codeKey(e, code))) this.lastTouch.set(codeKey(e, code), e);
    }
  }

  byId(id: string): JournalEntry | undefined {
    return this.ids.get(id);
  }

  /**
   * Whether `entry` can be undone now, and the change that undoes it. `listed`, when the project is in the
   * local list, lets the check also refuse when the list shows the type otherwise than the entry left it.
   */
  undoCheck(entry: JournalEntry, listed?: ListedType): UndoCheck {
    if (entry.field !== undefined) return { ok: false, reason: 'optionChange' };
    if (entry.outcome === 'failed') return { ok: false, reason: 'failed' };
    if (entry.outcome === 'unknown') return { ok: false, reason: 'outcomeUnknown' };
    const undo = this.undoneBy.get(entry.id);
    if (undo) return { ok: false, reason: 'alreadyUndone', later: undo };
    for (const code of touchedCodes(entry)) {
      const later = this.lastTouch.get(codeKey(entry, code));
      if (later && later.id !== entry.id) return { ok: false, reason: 'changedSince', later };
    }
    const known = knownValues(entry);
    if (known) return { ok: false, reason: known };
    const inverse = undoOfRecord(entry);
    if (!('change' in inverse)) return { ok: false, reason: 'invalid' };
    if (listed && listDiffers(entry, listed)) return { ok: false, reason: 'listDiffers' };
    return { ok: true, change: inverse.change, undoOf: entry.id };
  }

  /**
   * The types deleted in the journal that can be re-created (the delete can still be undone: nothing was
   * made on that code since), newest first, within the profile and, when given, the project.
   */
  deletedTypes(
    filter: { profile: string; vbotId?: string; projectCode?: string },
    listed?: (vbotId: string, projectCode: string) => ListedType | undefined,
  ): JournalEntry[] {
    return this.newestFirst.filter(
      (e) =>
        e.operation === 'delete' &&
        e.profile === filter.profile &&
        (filter.vbotId === undefined || e.vbotId === filter.vbotId) &&
        (filter.projectCode === undefined || e.projectCode === filter.projectCode) &&
        this.undoCheck(e, listed?.(e.vbotId, e.projectCode)).ok,
    );
  }

  /** A profile's entries per project, the project changed last first. */
  byProject(profile: string): ProjectHistory[] {
    const groups = new Map<string, { vbotId: string; projectCode: string; entries: JournalEntry[] }>();
    for (const e of this.newestFirst) {
      if (e.profile !== profile) continue;
      const key = scopeKey(e);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { vbotId: e.vbotId, projectCode: e.projectCode, entries: [] }));
      group.entries.push(e);
    }
    return [...groups.values()];
  }
}

/** A value the entry needs for its undo but did not record. */
function knownValues(entry: JournalEntry): UndoRefusal | undefined {
  switch (entry.operation) {
    case 'delete':
      return entry.before?.typeName ? undefined : 'nameUnknown';
    case 'rename':
      if (!entry.before?.typeName) return 'earlierNameUnknown';
      return entry.after && entry.after.typeName === entry.before.typeName ? 'nothingChanged' : undefined;
    case 'changeCode':
      if (!entry.before || !entry.after) return 'codesUnknown';
      return entry.before.typeNo === entry.after.typeNo ? 'nothingChanged' : undefined;
    default:
      return undefined;
  }
}

/** Whether the local list shows the type otherwise than the entry left it (it exists, with the name it got). */
export function listDiffers(entry: JournalEntry, listed: ListedType): boolean {
  if (entry.operation === 'delete') return listed(entry.typeNo) !== undefined;
  if (entry.operation === 'changeCode' && entry.before && listed(entry.before.typeNo)) return true;
  const now = entry.after ? listed(entry.after.typeNo) : undefined;
  if (!now) return true;
  return entry.operation !== 'changeCode' && entry.after !== undefined && now.typeName !== entry.after.typeName;
}

/**
 * The time of an entry in the given language (VS Code's display language, e.g. `vi`, `en`, `zh-cn`):
 * a medium date and the time to the second. A language Intl does not know falls back to its default.
 */
export function formatEntryTime(at: string, language: string, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(language, options);
  } catch {
    format = new Intl.DateTimeFormat(undefined, options);
  }
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at : format.format(date);
}
