// The cache file's bytes (src/core/cache/cacheText.ts): exactly JSON.stringify's text, made a project at a
// time and reused for projects a save did not change; and the cache's re-read before each write, which skips
// the parse only when the file holds exactly the bytes we know, so another writer's change is never lost.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseCacheText } from '../../src/core/cache/cacheFile';
import { cacheBytes, serializeCache } from '../../src/core/cache/cacheText';
import { CustomerTypeCache } from '../../src/core/cache/customerTypeCache';
import { makeProject, makeType, type CachedProject } from '../../src/core/cache/model';

const stringified = (projects: ReadonlyArray<CachedProject>) => JSON.stringify({ version: 1, projects }, null, 2) + '\n';

const TIME = '2026-01-02T03:04:05.678Z';

describe('cache text', () => {
  test('cache text: exactly JSON.stringify with a 2-space indent and a final newline (no projects, a project without types, several)', () => {
    const cases: CachedProject[][] = [
      [],
      [makeProject({ vbotId: 'v', projectCode: 'p' }, [])],
      [
        makeProject({ vbotId: 'v', projectCode: 'a' }, [makeType('A1', 'Khách hàng "VIP" \\ 😀', TIME), makeType('A2', 'x', TIME)]),
        makeProject({ vbotId: 'v', projectCode: 'b' }, []),
        makeProject({ vbotId: 'w', projectCode: 'c' }, [makeType('C', 'Tên kiểu', TIME)]),
      ],
    ];
    for (const projects of cases) {
      assert.equal(serializeCache(projects), stringified(projects));
      assert.equal(Buffer.concat(cacheBytes(projects)).toString('utf8'), stringified(projects));
    }
  });

  test('cache text: any strings (quotes, controls, lone surrogates, any Unicode) are written as JSON.stringify writes them', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const typeArb = fc.record({ typeNo: text, typeName: text, updatedAt: text });
    const projectArb = fc.record({ vbotId: text, projectCode: text, types: fc.array(typeArb, { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(projectArb, { maxLength: 4 }), fc.boolean(), (plain, frozen) => {
        const projects = frozen
          ? plain.map((p) =>
              makeProject(
                p,
                p.types.map((t) => makeType(t.typeNo, t.typeName, t.updatedAt)),
              ),
            )
          : plain;
        assert.equal(serializeCache(projects), stringified(projects));
      }),
      { numRuns: 300 },
    );
  });

  test("cache text: a frozen project's bytes are made once and reused; an unfrozen one's are made anew each time", () => {
    const frozen = makeProject({ vbotId: 'v', projectCode: 'frozen' }, [makeType('A', 'Ay', TIME)]);
    const plain = { vbotId: 'v', projectCode: 'plain', types: [{ typeNo: 'B', typeName: 'Bee', updatedAt: TIME }] };
    const first = cacheBytes([frozen, plain]);
    plain.types[0].typeName = 'Bee, renamed in place';
    const second = cacheBytes([frozen, plain]);
    assert.equal(second[1], first[1], 'the same Buffer for the unchanged frozen project');
    assert.equal(Buffer.concat(second).toString('utf8'), stringified([frozen, plain]), 'the plain project as it is now');
    // A frozen project whose types are not frozen (not made by makeType) is not remembered either.
    const looseTypes = Object.freeze({
      vbotId: 'v',
      projectCode: 'loose',
      types: Object.freeze([{ typeNo: 'C', typeName: 'C', updatedAt: TIME }]),
    });
    const before = cacheBytes([looseTypes]);
    (looseTypes.types[0] as { typeName: string }).typeName = 'C changed';
    assert.notEqual(cacheBytes([looseTypes])[1], before[1]);
    assert.equal(serializeCache([looseTypes]), stringified([looseTypes]));
  });
});

let directory: string;
let cacheFile: string;

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'vbot-cache-text-test-'));
  cacheFile = path.join(directory, 'customer-types.json');
});

afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

const names = (cache: CustomerTypeCache, projectCode: string) =>
  Object.fromEntries(
    cache
      .snapshot()
      .project('v', projectCode)!
      .types.map((t) => [t.typeNo, t.typeName]),
  );

function fromDisk(): ReadonlyArray<CachedProject> {
  const outcome = parseCacheText(fs.readFileSync(cacheFile, 'utf8'));
  assert.ok(outcome.ok);
  return outcome.projects;
}

/** Another window: a process of its own that makes one change through the cache and exits. */
function otherWindowUpserts(projectCode: string, typeNo: string, typeName: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'fixtures', 'cacheOneWriteChild.ts'), cacheFile, 'v', projectCode, typeNo, typeName],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 && out === 'done\n' ? resolve() : reject(new Error(`child: ${code} ${out}`)))),
  );
}

describe('re-read before a write', () => {
  test('re-read before a write: the file written after saves is the snapshot, byte for byte as JSON.stringify writes it', async () => {
    const cache = new CustomerTypeCache(cacheFile, { now: () => new Date(TIME) });
    for (let p = 0; p < 3; p++)
      for (let t = 0; t < 3; t++) await cache.upsertType('v', `P${p}`, { typeNo: `T${t}`, typeName: `Kiểu ${p}.${t}` });
    await cache.upsertType('v', 'P1', { typeNo: 'T1', typeName: 'đổi tên' });
    await cache.removeType('v', 'P2', 'T0');
    assert.equal(fs.readFileSync(cacheFile, 'utf8'), stringified(cache.snapshot().projects()));
    assert.deepEqual(fromDisk(), cache.snapshot().projects());
  });

  test("re-read before a write: another window's rename to a name of the same length (the file keeps its size) is kept", async () => {
    const cache = new CustomerTypeCache(cacheFile);
    await cache.upsertType('v', 'P', { typeNo: 'A', typeName: 'name 1' });
    await cache.upsertType('v', 'P', { typeNo: 'B', typeName: 'bee' });
    const sizeBefore = fs.statSync(cacheFile).size;
    await otherWindowUpserts('P', 'A', 'name 2'); // same length, same updatedAt length: same file size
    assert.equal(fs.statSync(cacheFile).size, sizeBefore);
    await cache.upsertType('v', 'P', { typeNo: 'B', typeName: 'bef' }); // our next save, from a snapshot without it
    assert.deepEqual(names(cache, 'P'), { A: 'name 2', B: 'bef' });
    assert.equal(fs.readFileSync(cacheFile, 'utf8'), stringified(cache.snapshot().projects()));
  });

  test('re-read before a write: a change written in place by another program, with the same size, inode and times, is kept', async () => {
    const cache = new CustomerTypeCache(cacheFile);
    await cache.upsertType('v', 'P', { typeNo: 'A', typeName: 'name 1' });
    const before = fs.statSync(cacheFile);
    // A second writer (e.g. a sync tool) that rewrites the file in place and puts its times back: nothing a
    // stat can see changes.
    const script = `
      const fs = require('node:fs');
      const [file, atime, mtime] = process.argv.slice(1);
      const fd = fs.openSync(file, 'r+');
      const text = fs.readFileSync(fd, 'utf8').replace('"name 1"', '"name 9"');
      fs.writeSync(fd, text, 0);
      fs.closeSync(fd);
      fs.utimesSync(file, Number(atime) / 1000, Number(mtime) / 1000);`;
    const child = spawn(process.execPath, ['-e', script, cacheFile, String(before.atimeMs), String(before.mtimeMs)], { stdio: 'inherit' });
    assert.equal(await new Promise((resolve) => child.on('close', resolve)), 0);
    const after = fs.statSync(cacheFile);
    // To the millisecond (utimes keeps about a microsecond; FAT keeps 2 s, ext4 a clock tick of some ms).
    const seen = (s: fs.Stats) => [s.ino, s.size, Math.round(s.mtimeMs)];
    assert.deepEqual(seen(after), seen(before), 'a stat sees no change');

    await cache.upsertType('v', 'P', { typeNo: 'B', typeName: 'bee' });
    assert.deepEqual(names(cache, 'P'), { A: 'name 9', B: 'bee' });
    assert.deepEqual(fromDisk(), cache.snapshot().projects());
  });
});
