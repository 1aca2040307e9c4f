// dist/extension.js, the file VS Code loads before activate(). It runs dist/main.js (src/extension.ts and what the
// view's first paint needs) with V8's code cache: most of loading that file was V8 compiling it (issue 14), and a
// start with the cache skips that. The view's parts (dist/lazy/viewParts.js, which main.js requires as the window
// prepares the activate() call) get a code cache of their own the same way: their compiling was most of the time
// from activate() to the tree's first children. A cache is written beside its file after the first start, named
// after the file's size and modification time (a build or an update of the extension changes them; hashing the
// text cost more than the cache saves) and V8's version; V8 itself refuses a cache made with other flags or for a
// text of another length, and a new one is written then. Only this extension's own folder is used: whoever can
// write there can change its code anyway, which a shared folder such as the temp folder would not guarantee.
// Writing is best effort (an installed extension's folder may be read-only); without a cache a file is compiled as
// usual.
import { readFileSync, renameSync, rm, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

// After the start: a cache then also holds what activate() and the tree's first paint compiled.
const WRITE_CACHE_AFTER_MS = 500;
/** main.js's requires that are loaded through a code cache too (by the path main.js asks for). */
const CACHED_REQUIRES: ReadonlySet<string> = new Set(['./lazy/viewParts.js']);

const MAIN_FILE = join(__dirname, 'main.js');
const mainRequire = Object.assign(
  (id: string) => (CACHED_REQUIRES.has(id) ? requireCached(join(__dirname, id)) : module.require(id)),
  require,
);
const loaded = { exports: {} as MainExports };
// main.js is in this file's folder, so its other requires resolve the same with this file's require, and VS Code
// sees `vscode` asked for by a file of this extension.
runCached(MAIN_FILE, loaded, mainRequire);

// What VS Code calls, and the modules the lazy files (dist/lazy/) take from the main file (esbuild.mjs adds it).
export const { activate, deactivate, __modules } = loaded.exports;

type MainExports = typeof import('./extension') & { __modules: unknown };

/**
 * A CommonJS module of ours through its code cache. It goes into Node's module cache under its own path first, as
 * `require` would put it, so the lazy files that take modules from it (`require('./viewParts.js')`) get this one.
 */
function requireCached(file: string): unknown {
  const known = require.cache[file];
  if (known) return known.exports;
  const made = new Module(file, module);
  made.filename = file;
  require.cache[file] = made;
  try {
    runCached(file, made, createRequire(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  made.loaded = true;
  return made.exports;
}

/** Compiles `file` (with its cache when there is one), runs it as a CommonJS module, and writes a missing cache. */
function runCached(file: string, target: { exports: unknown }, requireFn: NodeJS.Require): void {
  const source = readFileSync(file, 'utf8');
  const cacheFile = `${file.replace(/\.js$/, '')}.${versionKey(file)}.${process.versions.v8}.cache`;
  const cachedData = readIfThere(cacheFile);
  // Node's own module wrapper, on the first line, so line numbers in stack traces and source maps stay right.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  (script.runInThisContext() as (...args: unknown[]) => void).call(target.exports, target.exports, requireFn, target, file, dirname(file));
  if (!cachedData || script.cachedDataRejected) {
    setTimeout(() => writeCache(script.createCachedData(), cacheFile), WRITE_CACHE_AFTER_MS).unref();
  }
}

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
