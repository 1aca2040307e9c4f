// dist/extension.js, the file VS Code loads before activate(). It runs dist/main.js (src/extension.ts and what the
// view's first paint needs) with V8's code cache: most of loading that file was V8 compiling it (issue 14), and a
// start with the cache skips that. The cache is written beside the file after the first start, named after the
// file's size and modification time (a build or an update of the extension changes them; hashing the text cost
// more than the cache saves) and V8's version; V8 itself refuses a cache made with other flags or for a text of
// another length, and a new one is written then. Only this extension's own folder is used: whoever can write
// there can change its code anyway, which a shared folder such as the temp folder would not guarantee. Writing is
// best effort (an installed extension's folder may be read-only); without a cache the file is compiled as usual.
import { readFileSync, renameSync, rm, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

const MAIN_FILE = join(__dirname, 'main.js');
// After the start: the cache then also holds what activate() and the tree's first paint compiled.
const WRITE_CACHE_AFTER_MS = 500;

const source = readFileSync(MAIN_FILE, 'utf8');
const cacheFile = join(__dirname, `main.${versionKey(MAIN_FILE)}.${process.versions.v8}.cache`);
const cachedData = readIfThere(cacheFile);
// Node's own module wrapper, on the first line, so line numbers in stack traces and source maps stay right.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: MAIN_FILE,
  cachedData,
});
const loaded = { exports: {} as MainExports };
// This file's own require: main.js is in the same folder, so its relative requires resolve the same, and VS Code
// sees `vscode` asked for by a file of this extension.
(script.runInThisContext() as (...args: unknown[]) => void)(loaded.exports, require, loaded, MAIN_FILE, __dirname);
if (!cachedData || script.cachedDataRejected) {
  setTimeout(() => writeCache(script.createCachedData(), cacheFile), WRITE_CACHE_AFTER_MS).unref();
}

// What VS Code calls, and the modules the lazy files (dist/lazy/) take from the main file (esbuild.mjs adds it).
export const { activate, deactivate, __modules } = loaded.exports;

type MainExports = typeof import('./extension') & { __modules: unknown };

function versionKey(file: string): string {
  const { size, mtimeMs } = statSync(file);
  return `${size}-${Math.floor(mtimeMs)}`;
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Through a temporary file and a rename, so a window starting at that moment reads the old cache or the new one. */
function writeCache(data: Buffer, file: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch {
    rm(temporary, { force: true }, () => undefined);
  }
}
