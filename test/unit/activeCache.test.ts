// The active profile's cache and profile-bound caches (src/vscode/activeCache.ts): a command takes the
// cache of the profile it started with (forProfile), and what it writes lands in that profile's file
// even when another profile became active meanwhile. ActiveCache needs no VS Code API at run time; the
// only `vscode` import on its path (settings.ts, for the default profile's name) is met by an empty module
// (fixtures/vscodeStub.ts).
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as ActiveCacheModule from '../../src/vscode/activeCache';
import type { CacheSnapshot } from '../../src/core/cache/snapshot';
import { parseCacheText } from '../../src/core/cache/cacheFile';

const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = loader._resolveFilename;
loader._resolveFilename = function (request: string, ...rest: unknown[]) {
  return resolveFilename.call(this, request === 'vscode' ? path.join(__dirname, 'fixtures', 'vscodeStub.ts') : request, ...rest);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ActiveCache, cacheFileName } = require('../../src/vscode/activeCache') as typeof ActiveCacheModule;
loader._resolveFilename = resolveFilename;

let directory: string;
let activeName: string;
let cache: InstanceType<typeof ActiveCache>;
let loadErrors: unknown[];

beforeEach(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'vbot-active-cache-test-'));
  activeName = 'default';
  loadErrors = [];
  cache = new ActiveCache(
    () => directory,
    () => activeName,
    () => undefined,
    (e) => loadErrors.push(e),
  );
  await cache.ready;
});

afterEach(() => {
  cache.dispose();
  assert.deepEqual(loadErrors, []);
  fs.rmSync(directory, { recursive: true, force: true });
});

async function switchTo(name: string): Promise<void> {
  activeName = name;
  await cache.switchTo(name);
}

/** "vbotId/projectCode" → { typeNo: typeName } of a profile's file as it is on disk. */
function fileOf(profile: string): Record<string, Record<string, string>> {
  const file = path.join(directory, cacheFileName(profile));
  if (!fs.existsSync(file)) return {};
  const outcome = parseCacheText(fs.readFileSync(file, 'utf8'));
  assert.ok(outcome.ok);
  return summarize(outcome.projects);
}

function summarize(projects: CacheSnapshot['projects'] extends () => infer P ? P : never): Record<string, Record<string, string>> {
  return Object.fromEntries(
    projects.map((p) => [`${p.vbotId}/${p.projectCode}`, Object.fromEntries(p.types.map((t) => [t.typeNo, t.typeName]))]),
  );
}

const upsert = (typeNo: string, typeName: string) => ({ kind: 'upsert' as const, vbotId: 'v', projectCode: 'p', typeNo, typeName });

describe('forProfile', () => {
  test("the active profile's handle goes through the active cache: the tree hears the change at once", async () => {
    const seen: CacheSnapshot[] = [];
    cache.onDidChange((s) => seen.push(s));
    const handle = cache.forProfile('default');
    assert.equal(handle.filePath, path.join(directory, 'customer-types.json'));
    await handle.applyEdits([upsert('a', 'A')]);
    assert.equal(seen.length, 1);
    assert.equal(cache.snapshot().findType('v', 'p', 'a')?.typeName, 'A');
    assert.equal(handle.snapshot(), cache.snapshot());
  });

  test("a write through a handle after the active profile switched lands in the handle's profile's file", async () => {
    const handle = cache.forProfile('default');
    await handle.applyEdits([upsert('a', 'A')]);
    await switchTo('work');
    const seen: CacheSnapshot[] = [];
    cache.onDidChange((s) => seen.push(s));

    // Until it has read the file itself, the handle shows what it last saw.
    assert.equal(handle.snapshot().findType('v', 'p', 'a')?.typeName, 'A');
    await handle.applyEdits([upsert('b', 'B')]);
    await handle.upsertType('v', 'p', { typeNo: 'c', typeName: 'C' });
    assert.deepEqual(fileOf('default'), { 'v/p': { a: 'A', b: 'B', c: 'C' } });
    assert.deepEqual(fileOf('work'), {});
    assert.equal(cache.snapshot().typeCount(), 0, 'the active (work) cache is untouched');
    assert.equal(seen.length, 0, 'the tree of the work profile hears nothing');
    assert.equal(handle.snapshot().typeCount(), 3);

    await switchTo('default');
    assert.deepEqual(summarize(cache.snapshot().projects()), { 'v/p': { a: 'A', b: 'B', c: 'C' } });
    // Active again: the handle goes through the active cache once more.
    await handle.removeType('v', 'p', 'a');
    assert.equal(cache.snapshot().findType('v', 'p', 'a'), undefined);
  });

  test('a handle of a profile that is not active writes its own file; switching to it shows the change', async () => {
    const handle = cache.forProfile('work');
    await handle.addProject('w', 'q');
    assert.deepEqual(fileOf('work'), { 'w/q': {} });
    assert.deepEqual(fileOf('default'), {});
    assert.equal(cache.snapshot().projects().length, 0);
    await switchTo('work');
    assert.deepEqual(summarize(cache.snapshot().projects()), { 'w/q': {} });
  });

  test("a write started before the switch still lands in its profile's file", async () => {
    const handle = cache.forProfile('default');
    const writing = handle.applyEdits(Array.from({ length: 500 }, (_, i) => upsert(`T${i}`, `N${i}`)));
    const switching = switchTo('work');
    await Promise.all([writing, switching]);
    assert.equal(Object.keys(fileOf('default')['v/p']).length, 500);
    assert.deepEqual(fileOf('work'), {});
  });

  test("a handle's listeners hear the changes of its file, whichever cache made them", async () => {
    const handle = cache.forProfile('default');
    const heard: number[] = [];
    const subscription = handle.onDidChange((s) => heard.push(s.typeCount()));
    await handle.applyEdits([upsert('a', 'A')]); // through the active cache
    await switchTo('work');
    await cache.applyEdits([upsert('w', 'W')]); // the work file: not ours
    await handle.applyEdits([upsert('b', 'B')]); // through the handle's own cache
    subscription.dispose();
    await handle.applyEdits([upsert('c', 'C')]);
    assert.deepEqual(heard, [1, 2]);
  });
});

describe('ActiveCache', () => {
  test("applyEdits goes to the active profile's file, and a listener that throws is reported", async () => {
    const reported: unknown[] = [];
    const reporting = new ActiveCache(
      () => directory,
      () => 'default',
      () => undefined,
      (e) => loadErrors.push(e),
      (e) => reported.push(e),
    );
    try {
      await reporting.ready;
      let reached = false;
      reporting.onDidChange(() => {
        throw new Error('listener bug');
      });
      reporting.onDidChange(() => (reached = true));
      await reporting.applyEdits([upsert('a', 'A')]);
      assert.equal(reached, true);
      assert.deepEqual(
        reported.map((e) => (e as Error).message),
        ['listener bug'],
      );
      assert.deepEqual(fileOf('default'), { 'v/p': { a: 'A' } });
    } finally {
      reporting.dispose();
    }
  });
});
