// The file discipline shared by the cache and the journal, both written by several VS Code
// windows at once: a cross-process lock, atomic replacement (temp file, fsync, rename: atomicWrite.ts,
// loaded with the first write), and clean-up of temp files a crashed writer left behind.
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// proper-lockfile is loaded on the first lock, not while the extension starts: most sessions only read.
let lockfileModule: Promise<typeof import('proper-lockfile')> | undefined;
const loadLockfile = () => (lockfileModule ??= import('proper-lockfile'));

const LOCAL_SAVE_ERROR = Symbol.for('vbotCrm.LocalSaveError');

/**
 * A file we keep (the cache, the journal) could not be written: its folder is read-only, the disk
 * is full, and so on. `code` is the file system's error code (EACCES, EROFS, ENOSPC…; ELOCKED if
 * another window held the lock too long), `path` the file or folder the failed call was about, and
 * `folder` the folder the file lives in. The VS Code layer recognises it to say that a change VBot
 * already made could not be recorded locally.
 */
export class LocalSaveError extends Error {
  /** `instanceof` holds across bundled copies of this class (see VbotError). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [LOCAL_SAVE_ERROR]?: unknown })[LOCAL_SAVE_ERROR] === true;
  }

  readonly [LOCAL_SAVE_ERROR] = true;

  constructor(
    readonly code: string,
    readonly path: string,
    readonly folder: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LocalSaveError';
  }

  /** What the user can do about it: make the folder writable, or free some space. */
  get reason(): 'notWritable' | 'diskFull' | 'other' {
    return localSaveReason(this.code);
  }
}

const NOT_WRITABLE: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EROFS']);
const DISK_FULL: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT']);

function localSaveReason(code: string): LocalSaveError['reason'] {
  return NOT_WRITABLE.has(code) ? 'notWritable' : DISK_FULL.has(code) ? 'diskFull' : 'other';
}

/** The error code of a file system error (EACCES, ENOSPC, ELOCKED…), if it is one; not ERR_… codes. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/**
 * A file system error about `target` while saving `filePath` as a LocalSaveError; anything else
 * (a bug, a lost lock) as it is.
 */
export function asLocalSaveError(error: unknown, filePath: string, target: string): unknown {
  if (error instanceof LocalSaveError) return error;
  const code = errorCode(error);
  if (code === undefined) return error;
  const reason = (error as Error).message ?? code;
  const message = `${basename(filePath)} could not be saved (${code}, ${target}): ${reason}`;
  return new LocalSaveError(code, target, dirname(filePath), message, { cause: error });
}

/** proper-lockfile options for a file that may not exist yet. */
const CROSS_PROCESS_LOCK = {
  // A lock older than this is taken to be left over by a crashed window.
  stale: 10_000,
  // The file may not exist yet, and realpath would fail on it.
  realpath: false,
  // One attempt per call: `acquireLock` below retries, and only while the lock is held by another.
  retries: 0,
};

/**
 * Short, capped waits between attempts while another window holds the lock: writes take
 * milliseconds, but a crashed holder blocks us until the lock turns stale, so the waits must cover
 * a little more than `stale` (about 15 s). Any other error (a read-only or full folder) fails at once.
 */
export const LOCK_RETRY = { retries: 150, factor: 1.5, minTimeout: 5, maxTimeout: 100 };

/** The `fs` proper-lockfile uses (callback style), replaceable in tests to simulate a failing disk. */
export type LockFileSystem = typeof import('node:fs');

export interface FileLockOptions {
  /** For tests: the file system the lock is made with (proper-lockfile's `fs` option). */
  lockFileSystem?: LockFileSystem;
}

/** Takes the lock, retrying only while another holder has it (ELOCKED). */
async function acquireLock(
  filePath: string,
  onCompromised: (error: Error) => void,
  options: FileLockOptions,
): Promise<() => Promise<void>> {
  const lockfile = await loadLockfile();
  for (let attempt = 0; ; attempt++) {
    try {
      return await lockfile.lock(filePath, {
        ...CROSS_PROCESS_LOCK,
        ...(options.lockFileSystem ? { fs: options.lockFileSystem } : {}),
        onCompromised,
      });
    } catch (error) {
      if (errorCode(error) !== 'ELOCKED' || attempt >= LOCK_RETRY.retries) {
        throw asLocalSaveError(error, filePath, `${filePath}.lock`);
      }
      const wait = LOCK_RETRY.minTimeout * (1 + Math.random()) * LOCK_RETRY.factor ** attempt;
      await sleep(Math.min(wait, LOCK_RETRY.maxTimeout));
    }
  }
}

/**
 * Runs `work` holding the cross-process lock of `filePath` (creating its folder first).
 * `assertLockHeld` throws if the lock was lost meanwhile, so a write is not published then.
 * A folder that cannot be created or written, and a lock held by another window for longer than
 * it may be, reject with LocalSaveError; only a lock held by another is waited for.
 */
export async function withFileLock(
  filePath: string,
  what: string,
  work: (assertLockHeld: () => void) => Promise<void>,
  options: FileLockOptions = {},
): Promise<void> {
  const directory = dirname(filePath);
  try {
    await fs.mkdir(directory, { recursive: true });
  } catch (error) {
    throw asLocalSaveError(error, filePath, directory);
  }
  let compromised: Error | undefined;
  // The default throws from a timer, which would crash the extension host. Instead, refuse
  // to publish our write: another window may have taken the lock over.
  const release = await acquireLock(
    filePath,
    (error) => {
      compromised = error;
    },
    options,
  );
  const assertLockHeld = () => {
    if (compromised) throw new Error(`${what} lock was lost: ${compromised.message}`);
  };
  try {
    await work(assertLockHeld);
  } finally {
    await release().catch(() => undefined); // already released if compromised
  }
}

/** Temp files older than this can only be left over by a crashed writer. */
const ORPHAN_TEMP_AGE_MS = 60_000;

/** The file's bytes, or null if it does not exist. */
export async function readBytesOrNull(filePath: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Windows refuses a rename while a reader or a virus scanner has the target open: retry a bit. */
export async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const transient = code === 'EPERM' || code === 'EACCES' || code === 'EBUSY';
      if (!transient || attempt >= 20) throw error;
      await sleep(10 + attempt * 10);
    }
  }
}

/** Removes temp files a crashed writer left behind next to `filePath`; the file itself is whole. */
export async function removeOrphanTempFiles(filePath: string): Promise<void> {
  const directory = dirname(filePath);
  const prefix = `${basename(filePath)}.tmp-`;
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch {
    return;
  }
  const cutoff = Date.now() - ORPHAN_TEMP_AGE_MS;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const tempPath = join(directory, name);
    try {
      if ((await fs.stat(tempPath)).mtimeMs < cutoff) await fs.unlink(tempPath);
    } catch {
      // Gone already, or not ours to delete: either way, nothing to do.
    }
  }
}
