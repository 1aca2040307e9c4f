// The file discipline shared by the cache and the journal, both written by several VS Code
// windows at once: a cross-process lock, atomic replacement (temp file, fsync, rename), and
// clean-up of temp files a crashed writer left behind.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

// proper-lockfile is loaded on the first lock, not while the extension starts: most sessions only read.
let lockfileModule: Promise<typeof import('proper-lockfile')> | undefined;
const loadLockfile = () => (lockfileModule ??= import('proper-lockfile'));

/** proper-lockfile options for a file that may not exist yet. */
const CROSS_PROCESS_LOCK = {
  // A lock older than this is taken to be left over by a crashed window.
  stale: 10_000,
  // Short, capped retries: writes take milliseconds, but a crashed holder blocks us until the
  // lock turns stale, so the retries must cover a little more than `stale` (about 15 s).
  retries: { retries: 150, factor: 1.5, minTimeout: 5, maxTimeout: 100, randomize: true },
  // The file may not exist yet, and realpath would fail on it.
  realpath: false,
};

/**
 * Runs `work` holding the cross-process lock of `filePath` (creating its folder first).
 * `assertLockHeld` throws if the lock was lost meanwhile, so a write is not published then.
 */
export async function withFileLock(filePath: string, what: string, work: (assertLockHeld: () => void) => Promise<void>): Promise<void> {
  await fs.mkdir(path.dirname(filePath), { recursive: true });
  let compromised: Error | undefined;
  const lockfile = await loadLockfile();
  const release = await lockfile.lock(filePath, {
    ...CROSS_PROCESS_LOCK,
    // The default throws from a timer, which would crash the extension host. Instead, refuse
    // to publish our write: another window may have taken the lock over.
    onCompromised: (error) => {
      compromised = error;
    },
  });
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

/** Makes a finished rename survive a power cut. Not possible (nor needed) on Windows. */
async function fsyncDirectory(directory: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch {
    // Best effort only.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

let tempFileCounter = 0;

/** Write-temp, fsync, rename: readers see the old file or the new one, never a mix. */
export async function writeFileAtomically(filePath: string, bytes: Buffer, beforeRename: () => void = () => undefined): Promise<void> {
  const tempPath = `${filePath}.tmp-${process.pid}-${Date.now().toString(36)}-${tempFileCounter++}`;
  let renamed = false;
  try {
    const handle = await fs.open(tempPath, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    beforeRename();
    await renameWithRetry(tempPath, filePath);
    renamed = true;
  } finally {
    if (!renamed) await fs.unlink(tempPath).catch(() => undefined);
  }
  await fsyncDirectory(path.dirname(filePath));
}

/** Removes temp files a crashed writer left behind next to `filePath`; the file itself is whole. */
export async function removeOrphanTempFiles(filePath: string): Promise<void> {
  const directory = path.dirname(filePath);
  const prefix = `${path.basename(filePath)}.tmp-`;
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch {
    return;
  }
  const cutoff = Date.now() - ORPHAN_TEMP_AGE_MS;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const tempPath = path.join(directory, name);
    try {
      if ((await fs.stat(tempPath)).mtimeMs < cutoff) await fs.unlink(tempPath);
    } catch {
      // Gone already, or not ours to delete: either way, nothing to do.
    }
  }
}
