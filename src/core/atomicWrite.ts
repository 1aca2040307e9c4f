// Atomic replacement of a file (temp file, fsync, rename, folder fsync) and the read that goes with it under the
// lock: the writing half of atomicFile.ts's discipline. Apart from it because reading the cache to show it (at
// startup, in the file VS Code loads before activate()) needs none of it: the cache loads it with its first
// write (the lazy group of edits.ts), the journal and the fields store with theirs.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { asLocalSaveError, errorCode, renameWithRetry } from './atomicFile';

/**
 * Makes a finished rename survive a power cut. Not possible (nor needed) on Windows. The folder is opened while
 * the temp file is written (`opening`), so only its fsync is left after the rename.
 */
async function fsyncDirectory(opening: Promise<fs.FileHandle | undefined>): Promise<void> {
  const handle = await opening;
  try {
    await handle?.sync();
  } catch {
    // Best effort only.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The folder's handle for fsyncDirectory, or undefined where a folder cannot be opened (Windows). */
function openDirectory(directory: string): Promise<fs.FileHandle | undefined> {
  return fs.open(directory, 'r').catch(() => undefined);
}

let tempFileCounter = 0;

/** Files we create are for this user only (they list a customer's setup, and the journal its history). */
export const NEW_FILE_MODE = 0o600;

/** The permission bits of the file, or null if it does not exist. */
async function modeOrNull(filePath: string): Promise<number | null> {
  try {
    return (await fs.stat(filePath)).mode & 0o777;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes all of `pieces`, in order, at the handle's position: one writev, which writes them all unless the
 * disk is full or a signal cuts it short (then the rest is written as one buffer). Writing the pieces as they
 * are spares a copy of the whole file (the cache's are kept per project, cacheText.ts).
 */
async function writeAll(handle: fs.FileHandle, pieces: ReadonlyArray<Buffer>): Promise<void> {
  let total = 0;
  for (const piece of pieces) total += piece.length;
  const { bytesWritten } = await handle.writev(pieces as Buffer[]);
  if (bytesWritten < total) await handle.writeFile(Buffer.concat(pieces as Buffer[], total).subarray(bytesWritten));
}

/** A file's bytes and permission bits, as readFileAndMode gives them. */
export interface FileAndMode {
  bytes: Buffer;
  mode: number;
}

/**
 * The file's bytes and permission bits, or null if it does not exist: an open, a stat and (as a rule) one read
 * of the whole file, where readFile reads in 512 KiB steps. A file that grows while it is read is read to its end.
 */
export async function readFileAndMode(filePath: string): Promise<FileAndMode | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(filePath, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
  try {
    const stat = await handle.stat();
    // One byte more than the size: a read that gives it tells that the file grew. Reads go on to the end of the
    // file (a read of nothing), unless the first one gave exactly the size the stat said.
    let buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger);
        buffer = larger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === stat.size) break;
    }
    return { bytes: buffer.subarray(0, length), mode: stat.mode & 0o777 };
  } finally {
    await handle.close();
  }
}

/**
 * Write-temp, fsync, rename: readers see the old file or the new one, never a mix. The new file
 * has the old one's permissions (a user may have chosen them), or 0600 if there was none;
 * `mode`: those permissions when the caller has just read them under the lock (null: there is no file).
 * `bytes` may come in pieces, written in order. File system errors reject with LocalSaveError.
 */
export async function writeFileAtomically(
  filePath: string,
  bytes: Buffer | ReadonlyArray<Buffer>,
  beforeRename: () => void = () => undefined,
  mode?: number | null,
): Promise<void> {
  const tempPath = `${filePath}.tmp-${process.pid}-${Date.now().toString(36)}-${tempFileCounter++}`;
  const directory = openDirectory(path.dirname(filePath));
  let renamed = false;
  let target = tempPath;
  try {
    const newMode = (mode === undefined ? await modeOrNull(filePath) : mode) ?? NEW_FILE_MODE;
    // Created 0600, so no other user can open it before the chmod; the chmod makes the mode
    // independent of the umask. Both go to the same new file: they need not wait for each other.
    const handle = await fs.open(tempPath, 'wx', NEW_FILE_MODE);
    try {
      const done = await Promise.allSettled([handle.chmod(newMode), writeAll(handle, Buffer.isBuffer(bytes) ? [bytes] : bytes)]);
      for (const step of done) if (step.status === 'rejected') throw step.reason;
      await handle.sync();
    } finally {
      await handle.close();
    }
    beforeRename();
    target = filePath;
    await renameWithRetry(tempPath, filePath);
    renamed = true;
  } catch (error) {
    void directory.then((handle) => handle?.close().catch(() => undefined));
    throw asLocalSaveError(error, filePath, target);
  } finally {
    if (!renamed) await fs.unlink(tempPath).catch(() => undefined);
  }
  await fsyncDirectory(directory);
}
