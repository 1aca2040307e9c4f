// Local cache of the customer types that exist on VBot, per (vbotId, projectCode).
//
// The VBot API cannot list customer types, so this file is the only picture the extension has
// of what exists. Two rules follow from that:
//   * it must never lose data: a file we cannot read is moved aside to a backup, never
//     overwritten, and every change is a read-modify-write of the *current* file under a
//     cross-process lock, so a change made by another VS Code window is never clobbered;
//   * it must never show a half-written state: we write a temp file, fsync it and rename it
//     over the cache, so a reader sees either the old or the new file, even after a crash.
// The same rules make two instances on one file (two windows, or two profiles' handles in one) safe.
//
// Pure core: no `vscode` import. The VS Code layer wires `reload()` to a file watcher.

import { promises as fs } from 'node:fs';
import { readBytesOrNull, removeOrphanTempFiles, renameWithRetry, withFileLock } from '../atomicFile';
import type { FileAndMode } from '../atomicWrite';
import type { CacheEdit } from '../change/typeChange';
import { type Disposable, Emitter } from '../emitter';
import { type CacheFileProblem, parseCacheText } from './cacheFile';
import { type ProjectList, sameProjects } from './model';
import { CacheSnapshot } from './snapshot';

export type CacheProblem = {
  kind: CacheFileProblem;
  /** Where the unreadable file was moved; it is never overwritten or deleted. */
  backupPath: string;
  /** Short English explanation, for the log. */
  detail: string;
};

export interface CustomerTypeCacheOptions {
  onProblem?: (problem: CacheProblem) => void;
  /** Hears what a change listener threw (the write itself has succeeded). */
  onListenerError?: (error: unknown) => void;
  now?: () => Date;
}

// The edits are loaded with the first write: reading the cache to show it (at startup) does not need them, so
// they are a lazy group of their own (esbuild.mjs), out of the file VS Code loads before activate().
let editsModule: Promise<typeof import('./edits')> | undefined;
const loadEdits = () => (editsModule ??= import('./edits'));

async function exists(filePath: string): Promise<boolean> {
  try {
    await fs.lstat(filePath);
    return true;
  } catch {
    return false;
  }
}

/** A file's bytes: as read (one piece), or as written (cacheText.ts's pieces). */
type FileBytes = ReadonlyArray<Buffer>;

/**
 * A project list and the file bytes it came from (null: there is no file), with the file's permission bits
 * (null: no file; undefined: not read).
 */
interface FileState {
  projects: ProjectList;
  bytes: FileBytes | null;
  mode: number | null | undefined;
}

/** The file's bytes, its mode unknown: for moving a bad file aside, with no write to follow. */
async function readWithoutMode(filePath: string): Promise<(Omit<FileAndMode, 'mode'> & { mode?: number }) | null> {
  const bytes = await readBytesOrNull(filePath);
  return bytes && { bytes };
}

/** True if `bytes` is exactly the file `pieces` make. */
function sameBytes(bytes: Buffer, pieces: FileBytes): boolean {
  let total = 0;
  for (const piece of pieces) total += piece.length;
  if (bytes.length !== total) return false;
  let offset = 0;
  for (const piece of pieces) {
    if (bytes.compare(piece, 0, piece.length, offset, offset + piece.length) !== 0) return false;
    offset += piece.length;
  }
  return true;
}

export class CustomerTypeCache {
  private current: CacheSnapshot = CacheSnapshot.empty;
  /**
   * The exact file bytes behind `current` (null: no file), to skip re-parsing unchanged files. The file is read
   * and compared in full every time: its size, times and inode cannot tell that it is the same (see mutate()).
   */
  private knownFileBytes: FileBytes | null | undefined = undefined;
  private readonly changed: Emitter<CacheSnapshot>;
  /** Serializes this instance's operations, so they never race each other for the lock. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly onProblem: (problem: CacheProblem) => void;
  private readonly now: () => Date;

  constructor(
    readonly filePath: string,
    options: CustomerTypeCacheOptions = {},
  ) {
    this.onProblem = options.onProblem ?? (() => undefined);
    this.now = options.now ?? (() => new Date());
    this.changed = new Emitter(options.onListenerError);
  }

  /**
   * Reads the file. A missing file is an empty cache; an unreadable one is backed up first. A project's
   * display order is worked out when the tree first shows it (displayOrder.ts), not here: sorting every
   * project by the Vietnamese collator cost more than reading the file, and most projects are never opened.
   */
  load(): Promise<CacheSnapshot> {
    // Both at once: the orphans are other files (old temp files), and the tree's first paint waits for the read.
    return this.enqueue(async () => (await Promise.all([this.readFromDisk(), removeOrphanTempFiles(this.filePath)]))[0]);
  }

  /** Re-reads the file, e.g. when a watcher saw another window write it. */
  reload(): Promise<CacheSnapshot> {
    return this.enqueue(() => this.readFromDisk());
  }

  /** The last loaded or written state. */
  snapshot(): CacheSnapshot {
    return this.current;
  }

  /** Called after a write or a reload changed the snapshot. Not called for no-op changes. */
  onDidChange(listener: (snapshot: CacheSnapshot) => void): Disposable {
    return this.changed.event(listener);
  }

  dispose(): void {
    this.changed.dispose();
  }

  /**
   * Applies the edits in order to the file's current content, in one atomic write: all of them
   * land, or none. Nothing is written when they change nothing. Edits never conflict.
   */
  async applyEdits(edits: ReadonlyArray<CacheEdit>): Promise<CacheSnapshot> {
    const { withEditsApplied } = await loadEdits();
    return this.mutate((projects, now) => withEditsApplied(projects, edits, now));
  }

  addProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> {
    return this.applyEdits([{ kind: 'addProject', vbotId, projectCode }]);
  }

  /** Forgets the project and all its types (locally only). */
  async removeProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> {
    const { withProjectRemoved } = await loadEdits();
    return this.mutate((projects) => withProjectRemoved(projects, { vbotId, projectCode }));
  }

  /** Adds or renames a type, creating the project if needed. Same name again: no write. */
  upsertType(vbotId: string, projectCode: string, type: { typeNo: string; typeName: string }): Promise<CacheSnapshot> {
    return this.applyEdits([{ kind: 'upsert', vbotId, projectCode, typeNo: type.typeNo, typeName: type.typeName }]);
  }

  removeType(vbotId: string, projectCode: string, typeNo: string): Promise<CacheSnapshot> {
    return this.applyEdits([{ kind: 'remove', vbotId, projectCode, typeNo }]);
  }

  /** Moves a type to a new code, keeping its cached name (`typeName`: the name if `oldNo` is not cached). */
  changeTypeCode(vbotId: string, projectCode: string, oldNo: string, newNo: string, typeName = ''): Promise<CacheSnapshot> {
    return this.applyEdits([{ kind: 'changeCode', vbotId, projectCode, oldNo, newNo, typeName }]);
  }

  // -------------------------------------------------------------------------------------------

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async readFromDisk(): Promise<CacheSnapshot> {
    const bytes = await readBytesOrNull(this.filePath);
    if (this.isKnown(bytes)) return this.current; // our own write, or nothing new

    const outcome = bytes === null ? ({ ok: true, projects: [] } as const) : parseCacheText(bytes.toString('utf8'));
    if (outcome.ok) {
      this.adopt(outcome.projects, bytes && [bytes]);
      return this.current;
    }
    // Moving a bad file aside needs the lock: another window may be replacing it right now.
    let fresh!: FileState;
    await withFileLock(this.filePath, 'cache', async () => {
      fresh = await this.readCurrentFileUnderLock();
    });
    this.adopt(fresh.projects, fresh.bytes);
    return this.current;
  }

  /**
   * One atomic read-modify-write. `change` gets the file's current content (not our possibly
   * stale snapshot), so changes other windows made in the meantime are kept.
   */
  private mutate(change: (projects: ProjectList, now: string) => ProjectList): Promise<CacheSnapshot> {
    return this.enqueue(async () => {
      // The writing half is loaded with the edits (every caller has loaded them already).
      const { cacheBytes, readFileAndMode, writeFileAtomically } = await loadEdits();
      let state: FileState | undefined;
      try {
        await withFileLock(this.filePath, 'cache', async (assertLockHeld) => {
          const base = await this.readCurrentFileUnderLock(readFileAndMode);
          state = base; // if the write fails, we still show what the file holds now
          const next = change(base.projects, this.now().toISOString());
          if (next === base.projects) return; // nothing to write
          const bytes = cacheBytes(next);
          await writeFileAtomically(this.filePath, bytes, assertLockHeld, base.mode);
          state = { projects: next, bytes, mode: base.mode };
        });
      } finally {
        // Listeners run after the lock is released, so a slow listener cannot block other windows.
        if (state) this.adopt(state.projects, state.bytes);
      }
      return this.current;
    });
  }

  /**
   * Reads the file while holding the lock; a bad file is moved to a backup and reported. `read`: the writing
   * half's read, which also gives the mode a write keeps (not needed to move a bad file aside).
   */
  private async readCurrentFileUnderLock(read = readWithoutMode): Promise<FileState> {
    const file = await read(this.filePath);
    if (file === null) return { projects: [], bytes: null, mode: null };
    const { bytes, mode } = file;
    if (this.isKnown(bytes)) return { projects: this.current.projects(), bytes: this.knownFileBytes!, mode };

    const outcome = parseCacheText(bytes.toString('utf8'));
    if (outcome.ok) return { projects: outcome.projects, bytes: [bytes], mode };

    const backupPath = await this.moveToBackup();
    this.onProblem({ kind: outcome.kind, backupPath, detail: outcome.detail });
    return { projects: [], bytes: null, mode: null };
  }

  /** True if the file holds exactly what `current` was built from. */
  private isKnown(bytes: Buffer | null): boolean {
    const known = this.knownFileBytes;
    if (known === undefined) return false;
    if (bytes === null || known === null) return bytes === known;
    return sameBytes(bytes, known);
  }

  /** Renames the cache file to `<file>.bad-<time>`, adding `-2`, `-3`... rather than overwrite. */
  private async moveToBackup(): Promise<string> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    let backupPath = `${this.filePath}.bad-${stamp}`;
    for (let suffix = 2; await exists(backupPath); suffix++) {
      backupPath = `${this.filePath}.bad-${stamp}-${suffix}`;
    }
    // Safe from races: only holders of the lock create backups.
    await renameWithRetry(this.filePath, backupPath);
    return backupPath;
  }

  /** Takes the new state and tells listeners, if it differs from what they saw. */
  private adopt(projects: ProjectList, bytes: FileBytes | null): void {
    this.knownFileBytes = bytes;
    if (sameProjects(projects, this.current.projects())) return;
    this.current = new CacheSnapshot(projects);
    this.changed.fire(this.current);
  }
}
