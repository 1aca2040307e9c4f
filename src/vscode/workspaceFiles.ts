// The files a user hands us (vbot-types.json, imports, exports) as URIs, so that they may live in a remote
// window's workspace (vscode-remote:) or a virtual one (any scheme a file system provider serves) as well as
// on this machine. The guarantees of src/core/userFiles.ts hold for every scheme: the size is known before a
// byte is read, only regular files are read, text must be UTF-8, a link is never written through.
// - file: URIs are files where this extension host runs: read and written with node:fs by userFiles.ts, whose
//   O_EXCL / O_NOFOLLOW / FIFO guards close the races a stat-then-write leaves open.
// - Every other scheme goes through vscode.workspace.fs: stat first (kind, size, the SymbolicLink bit), then
//   readFile / writeFile, with the same decisions (refuseToRead, refuseToWrite, userFileText in the core).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatError } from '../core/json';
import {
  isInsideFolder,
  readUserFile,
  type ReadUserFileResult,
  refuseToRead,
  refuseToWrite,
  userFileText,
  writeUserFile,
  type WriteUserFileResult,
} from '../core/userFiles';

/** A scheme has two letters at least, so "C:\x.csv" stays a Windows path. */
const HAS_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/**
 * The file a command was given: a Uri (the editor title and the Explorer pass the file's), or `filePath`, which is a
 * path on this machine (the contract since the first version) or a URI with its scheme ("vscode-remote://…", "vbotmem:/…").
 */
export function commandFile(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const given = arg && typeof arg === 'object' ? (arg as { filePath?: unknown }).filePath : undefined;
  if (given instanceof vscode.Uri) return given;
  return typeof given === 'string' && given !== '' ? toUri(given) : undefined;
}

export function toUri(file: string): vscode.Uri {
  if (!HAS_SCHEME.test(file)) return vscode.Uri.file(path.resolve(file));
  const uri = vscode.Uri.parse(file, true);
  // "..", resolved as a path would be: the outside-workspace check must see where the file really is.
  return uri.path.startsWith('/') ? uri.with({ path: path.posix.normalize(uri.path) }) : uri;
}

/** The `filePath` that names `uri` again (Retry): a plain path for this machine's files. */
export function fileArg(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** The file's name, as messages show it. */
export function baseName(uri: vscode.Uri): string {
  return path.posix.basename(uri.path);
}

/** The text of a user's file, refused by kind and size before a byte is read, and unless it is UTF-8. */
export async function readWorkspaceFile(uri: vscode.Uri, maxBytes: number): Promise<ReadUserFileResult> {
  if (uri.scheme === 'file') return readUserFile(uri.fsPath, maxBytes);
  try {
    const refused = refuseToRead(await vscode.workspace.fs.stat(uri), maxBytes);
    return refused ?? userFileText(await vscode.workspace.fs.readFile(uri), maxBytes);
  } catch (error) {
    if (fsErrorCode(error) === 'FileNotFound') return { ok: false, reason: 'notFound' };
    if (fsErrorCode(error) === 'FileIsADirectory') return { ok: false, reason: 'notFile' };
    return { ok: false, reason: 'unreadable', message: formatError(error), code: fsErrorCode(error) };
  }
}

/** Writes `text` (UTF-8), never through a link; an existing file is replaced only if `replace`. */
export async function writeWorkspaceFile(uri: vscode.Uri, text: string, options: { replace: boolean }): Promise<WriteUserFileResult> {
  if (uri.scheme === 'file') return writeUserFile(uri.fsPath, text, options);
  try {
    const existing = await statOrNothing(uri);
    const refused = refuseToWrite(existing, options);
    if (refused) return refused;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return { ok: true, created: !existing };
  } catch (error) {
    if (fsErrorCode(error) === 'FileIsADirectory') return { ok: false, reason: 'notFile' };
    return { ok: false, reason: 'unwritable', message: formatError(error), code: fsErrorCode(error) };
  }
}

/** Whether anything is at `uri` (a link, even a dangling one, counts). */
export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  if (uri.scheme === 'file')
    return fs.lstat(uri.fsPath).then(
      () => true,
      () => false,
    );
  return (await statOrNothing(uri).catch(() => undefined)) !== undefined;
}

/** Whether `uri` is in one of the workspace folders (same scheme and authority, and inside by path, ".." resolved). */
export function isInWorkspace(uri: vscode.Uri): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some(({ uri: folder }) => {
    if (folder.scheme !== uri.scheme || folder.authority.toLowerCase() !== uri.authority.toLowerCase()) return false;
    return uri.scheme === 'file' ? isInsideFolder(uri.fsPath, folder.fsPath) : isInsideFolder(uri.path, folder.path, 'linux');
  });
}

async function statOrNothing(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch (error) {
    if (fsErrorCode(error) === 'FileNotFound') return undefined;
    throw error;
  }
}

/** FileSystemError's code ("FileNotFound", "FileIsADirectory", …); workspace.fs turns a provider's errors into these. */
function fsErrorCode(error: unknown): string | undefined {
  return error instanceof vscode.FileSystemError ? error.code : undefined;
}
