// Reading and writing the files a user hands us (imports, exports, vbot-types.json) so that no
// file can hurt: its size is known before a byte is read, only regular files are read, text must
// be UTF-8, and a write never follows a symbolic link out of where the user meant to write.
// Pure Node: no vscode. Files VS Code's file system API serves (remote and virtual workspaces) get the same
// decisions from a stat and the bytes (refuseToRead, userFileText, refuseToWrite; src/vscode/workspaceFiles.ts).
import { constants, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { formatError } from './json';

export type ReadUserFileResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'notFound' }
  /** A directory, a FIFO, a device…: nothing we read. */
  | { ok: false; reason: 'notFile' }
  /** `size`: the bytes found, at least (reading stops just past the limit). */
  | { ok: false; reason: 'tooLarge'; size: number; max: number }
  /** `line`: the 1-based line of the first byte that is not UTF-8; `offset`: that byte's offset. */
  | { ok: false; reason: 'notUtf8'; line: number; offset: number }
  | { ok: false; reason: 'unreadable'; message: string; code?: string };

export type WriteUserFileResult =
  | { ok: true; created: boolean }
  /** The path is a symbolic link (dangling or not): it is neither followed nor replaced. */
  | { ok: false; reason: 'symlink' }
  /** The file exists and `replace` was false. */
  | { ok: false; reason: 'exists' }
  /** The path is a directory, a FIFO, a device…. */
  | { ok: false; reason: 'notFile' }
  | { ok: false; reason: 'unwritable'; message: string; code?: string };

// Not defined on Windows, where the lstat check stands alone.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// Opening a FIFO waits for its other end; with this it returns at once (and then fstat refuses it).
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * The text of a user's file, decoded as UTF-8 (a UTF-8 byte order mark is dropped). Refuses,
 * before reading anything, a file larger than `maxBytes` or that is not a regular file; refuses
 * text that is not UTF-8, naming the line of the first bad byte. Never reads more than
 * `maxBytes + 1` bytes, even from a file that grows meanwhile.
 */
export async function readUserFile(filePath: string, maxBytes: number): Promise<ReadUserFileResult> {
  let handle: fs.FileHandle | undefined;
  try {
    const before = await fs.stat(filePath);
    if (!before.isFile()) return { ok: false, reason: 'notFile' };
    if (before.size > maxBytes) return { ok: false, reason: 'tooLarge', size: before.size, max: maxBytes };
    handle = await fs.open(filePath, constants.O_RDONLY | O_NONBLOCK);
    // The path may have been replaced since the stat: check what was opened.
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, reason: 'notFile' };
    if (stat.size > maxBytes) return { ok: false, reason: 'tooLarge', size: stat.size, max: maxBytes };
    let buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) return { ok: false, reason: 'tooLarge', size: length, max: maxBytes };
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return decodeUtf8(buffer.subarray(0, length));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { ok: false, reason: 'notFound' };
    if (errorCode(error) === 'EISDIR') return { ok: false, reason: 'notFile' };
    return { ok: false, reason: 'unreadable', message: formatError(error), code: errorCode(error) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * The values of vscode.FileType (a stable API enum), for the checks below on what VS Code's file system API
 * (workspace.fs: remote and virtual workspaces) says of a file; a bit set, a link to a file is File | SymbolicLink.
 */
export const FILE_TYPE = { unknown: 0, file: 1, directory: 2, symbolicLink: 64 } as const;

/** What a file system says of a file: vscode.FileStat's type and size. */
export interface UserFileStat {
  type: number;
  size: number;
}

/** readUserFile's refusal by kind and size, from a stat taken before a byte is read; undefined: read it. */
export function refuseToRead(stat: UserFileStat, maxBytes: number): Extract<ReadUserFileResult, { ok: false }> | undefined {
  // A link is followed when reading (as readUserFile does): only what it points to must be a regular file.
  if ((stat.type & FILE_TYPE.file) === 0) return { ok: false, reason: 'notFile' };
  if (stat.size > maxBytes) return { ok: false, reason: 'tooLarge', size: stat.size, max: maxBytes };
  return undefined;
}

/** The bytes read after refuseToRead passed: refused if the file grew past the limit since, else strict UTF-8. */
export function userFileText(bytes: Uint8Array, maxBytes: number): ReadUserFileResult {
  if (bytes.length > maxBytes) return { ok: false, reason: 'tooLarge', size: bytes.length, max: maxBytes };
  return decodeUtf8(bytes);
}

/**
 * writeUserFile's refusals from a stat of the path (undefined: nothing there); undefined: write it. The stat is
 * one that does not follow a link, or reports one with the SymbolicLink bit (VS Code's disk provider does, a
 * dangling link included): a link is never written through.
 */
export function refuseToWrite(
  existing: UserFileStat | undefined,
  options: { replace: boolean },
): Extract<WriteUserFileResult, { ok: false }> | undefined {
  if (!existing) return undefined;
  if (existing.type & FILE_TYPE.symbolicLink) return { ok: false, reason: 'symlink' };
  if ((existing.type & FILE_TYPE.file) === 0) return { ok: false, reason: 'notFile' };
  if (!options.replace) return { ok: false, reason: 'exists' };
  return undefined;
}

/** The bytes as UTF-8 text, or where the first byte that is not UTF-8 is. */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: 'notUtf8'; line: number; offset: number } {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    let line = 1;
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
    return { ok: false, reason: 'notUtf8', line, offset };
  }
}

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (the rules of
 * the Encoding Standard, which TextDecoder follows: no overlong forms, no surrogates, nothing
 * above U+10FFFF), `bytes.length` for a sequence cut short at the end, or -1 if all are well-formed.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const end = bytes.length;
  let i = 0;
  while (i < end) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let needed: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) needed = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2;
      if (lead === 0xe0) low = 0xa0; // overlong
      if (lead === 0xed) high = 0x9f; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3;
      if (lead === 0xf0) low = 0x90; // overlong
      if (lead === 0xf4) high = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= needed; k++) {
      if (i + k >= end) return i;
      const byte = bytes[i + k];
      if (byte < low || byte > high) return i;
      low = 0x80;
      high = 0xbf;
    }
    i += needed + 1;
  }
  return -1;
}

/**
 * Writes `text` (UTF-8) to a user's file without following a symbolic link: a path that is a
 * link, even a dangling one, is refused and its target left alone. A new file is created with
 * O_EXCL (mode 0o644, less the umask); an existing regular file is replaced only if `replace`,
 * opened with O_NOFOLLOW where the system has it, and truncated only once it is known to be a
 * regular file.
 */
export async function writeUserFile(filePath: string, text: string, options: { replace: boolean }): Promise<WriteUserFileResult> {
  let existing: Stats | undefined;
  try {
    existing = await fs.lstat(filePath);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') return { ok: false, reason: 'unwritable', message: formatError(error), code: errorCode(error) };
  }
  if (existing?.isSymbolicLink()) return { ok: false, reason: 'symlink' };
  if (existing && !existing.isFile()) return { ok: false, reason: 'notFile' };
  if (existing && !options.replace) return { ok: false, reason: 'exists' };

  let handle: fs.FileHandle | undefined;
  try {
    if (!existing) {
      // 'wx' is O_CREAT | O_EXCL: it fails on any existing path, a link made since the lstat included.
      handle = await fs.open(filePath, 'wx', 0o644);
    } else {
      handle = await fs.open(filePath, constants.O_WRONLY | O_NOFOLLOW | O_NONBLOCK);
      if (!(await handle.stat()).isFile()) return { ok: false, reason: 'notFile' };
      await handle.truncate(0);
    }
    await handle.writeFile(text, 'utf8');
    return { ok: true, created: !existing };
  } catch (error) {
    const code = errorCode(error);
    // ELOOP (EMLINK on some BSDs): O_NOFOLLOW met a link that replaced the file since the lstat.
    if (code === 'ELOOP' || (code === 'EMLINK' && O_NOFOLLOW !== 0)) return { ok: false, reason: 'symlink' };
    if (code === 'EEXIST') {
      const now = await fs.lstat(filePath).catch(() => undefined);
      return { ok: false, reason: now?.isSymbolicLink() ? 'symlink' : 'exists' };
    }
    if (code === 'EISDIR') return { ok: false, reason: 'notFile' };
    return { ok: false, reason: 'unwritable', message: formatError(error), code };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Whether `filePath` is `folder` or inside it, by path (after resolving `.` and `..`; no case on Windows). */
export function isInsideFolder(filePath: string, folder: string, platform: NodeJS.Platform = process.platform): boolean {
  const api = platform === 'win32' ? path.win32 : path.posix;
  const resolve = (p: string) => (platform === 'win32' ? api.resolve(p).toLowerCase() : api.resolve(p));
  const relative = api.relative(resolve(folder), resolve(filePath));
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${api.sep}`) && !api.isAbsolute(relative));
}
