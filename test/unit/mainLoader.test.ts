// dist/extension.js (src/mainLoader.ts) runs dist/main.js with V8's code cache (issue 14). Built with the project's
// own esbuild.mjs in a folder of its own, then loaded in fresh Node processes, as VS Code's extension host does:
// the extension loads the same with or without a cache, the first start leaves a cache beside the file, a cache
// that V8 refuses (garbage, another build's) is replaced, and a changed main.js gets a cache of its own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/launchConfig';

// Loads dist/extension.js with a stand-in for `vscode` and stays up past the loader's write delay.
const LOAD = `
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? new Proxy({}, { get: () => function () {} }) : load.call(this, request, ...rest);
};
const main = require(process.argv[1]);
// main.js requires the view's parts on its first turn (the window's wait before activate()).
setImmediate(() => {
  const parts = require('node:path').join(require('node:path').dirname(process.argv[1]), 'lazy', 'viewParts.js');
  const cached = require.cache[parts];
  console.log(JSON.stringify({
    activate: typeof main.activate,
    modules: typeof main.__modules,
    // The lazy files take modules from this very instance: Node's require must hand it out, not load a second one.
    viewParts: cached && cached.loaded && require(parts) === cached.exports && typeof cached.exports.__modules,
  }));
});
setTimeout(() => undefined, Number(process.argv[2]));
`;

describe('the main file loader (V8 code cache)', () => {
  let stage = '';
  const dist = () => join(stage, 'dist');
  const caches = () => readdirSync(dist()).filter((f) => f.endsWith('.cache'));
  const lazyCaches = () => readdirSync(join(dist(), 'lazy')).filter((f) => f.endsWith('.cache'));
  const load = (waitMs = 3500) => {
    const run = spawnSync(process.execPath, ['-e', LOAD, join(dist(), 'extension.js'), String(waitMs)], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { activate: 'function', modules: 'object', viewParts: 'object' });
  };

  before(() => {
    stage = mkdtempSync(join(tmpdir(), 'vbot-loader-'));
    for (const name of ['src', 'node_modules', 'tsconfig.json']) symlinkSync(join(REPO_ROOT, name), join(stage, name));
    const built = spawnSync(process.execPath, [join(REPO_ROOT, 'esbuild.mjs'), '--production'], { cwd: stage, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  });
  after(() => rmSync(stage, { recursive: true, force: true }));

  it('loads without a cache and leaves one beside main.js, named after its size and V8', () => {
    load();
    const size = readFileSync(join(dist(), 'main.js')).length;
    assert.deepEqual(
      caches().map((f) => f.replace(/-\d+\./, '-T.')),
      [`main.${size}-T.${process.versions.v8}.cache`],
    );
    const partsSize = readFileSync(join(dist(), 'lazy', 'viewParts.js')).length;
    assert.deepEqual(
      lazyCaches().map((f) => f.replace(/-\d+\./, '-T.')),
      [`viewParts.${partsSize}-T.${process.versions.v8}.cache`],
    );
  });

  it('loads with the cache and leaves it as it is', () => {
    const [file] = caches();
    const [partsFile] = lazyCaches();
    const before = readFileSync(join(dist(), file));
    const partsBefore = readFileSync(join(dist(), 'lazy', partsFile));
    load();
    assert.deepEqual(caches(), [file]);
    assert.deepEqual(lazyCaches(), [partsFile]);
    assert.ok(readFileSync(join(dist(), file)).equals(before), 'an accepted cache is not written again');
    assert.ok(readFileSync(join(dist(), 'lazy', partsFile)).equals(partsBefore), 'an accepted cache is not written again');
  });

  it('replaces a cache V8 refuses, and still loads', () => {
    const [file] = caches();
    writeFileSync(join(dist(), file), Buffer.from('not a code cache'.repeat(64)));
    load();
    const now = readFileSync(join(dist(), file));
    assert.ok(now.length > 1000 && !now.toString('latin1').includes('not a code cache'), 'a new cache was written');
  });

  it('gives a changed main.js a cache of its own', () => {
    const [old] = caches();
    appendFileSync(join(dist(), 'main.js'), '\n// changed\n');
    load();
    assert.equal(caches().length, 2);
    assert.ok(caches().includes(old));
  });

  it('loads when the process ends before the cache is written (no temporary file left)', () => {
    rmSync(join(dist(), caches()[0]));
    rmSync(join(dist(), caches()[0]));
    load(0);
    assert.deepEqual(
      readdirSync(dist()).filter((f) => /\.(cache|tmp)$/.test(f)),
      [],
    );
  });
});
