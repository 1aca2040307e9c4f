// The local store of what was read of the v3 customer fields (src/core/fields/fieldStore.ts): what a second
// instance (the next session, another window) reads back, options of fields that are gone forgotten, a
// damaged file moved aside, writes of two windows kept, no temp file left, a read-only folder still read.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FieldStore, type FieldStoreProblem } from '../../src/core/fields/fieldStore';
import type { ChoiceField, FieldOption } from '../../src/core/fields/model';

const V = 'VB-S-1';
const NOW = new Date('2026-06-30T08:15:00.000Z');

const field = (code: string, type: ChoiceField['type'] = 'SELECT'): ChoiceField => ({
  code,
  name: `Trường ${code}`,
  type,
  number: 1,
  color: null,
  textColor: null,
  description: null,
  isRequired: false,
  isDefault: false,
});
const option = (code: string, groupCode: string | null = null): FieldOption => ({
  code,
  name: `Lựa chọn ${code}`,
  type: 'OPTION',
  groupCode,
  number: 1,
  color: '#00AA00',
  textColor: '#FFFFFF',
});
const list = <T>(items: T[], readAt = NOW.toISOString(), complete = true) => ({ items, readAt, complete });

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vbot-fields-'));
  file = path.join(dir, 'customer-fields.json');
});
afterEach(() => {
  fs.chmodSync(dir, 0o700);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('field store', () => {
  it('no file: nothing stored; what one instance saves, the next reads back, per project, with the read time', async () => {
    const first = new FieldStore(file);
    await first.load();
    assert.equal(first.project(V, 'SALES'), undefined);
    await first.saveFields(V, 'SALES', list([field('level'), field('src', 'RADIO')]));
    await first.saveOptions(V, 'SALES', 'level', list([option('GOLD'), option('G1')], '2026-06-30T08:16:00.000Z', false));
    await first.saveFields(V, 'CSKH', list([field('other')]));
    const second = new FieldStore(file);
    await second.load();
    const sales = second.project(V, 'SALES')!;
    assert.deepEqual(
      sales.fields!.items.map((f) => f.code),
      ['level', 'src'],
    );
    assert.equal(sales.fields!.readAt, NOW.toISOString());
    assert.deepEqual(sales.options.level, list([option('GOLD'), option('G1')], '2026-06-30T08:16:00.000Z', false));
    assert.deepEqual(
      second.project(V, 'CSKH')!.fields!.items.map((f) => f.code),
      ['other'],
    );
    assert.equal(second.project('VB-OTHER', 'SALES'), undefined);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f !== 'customer-fields.json'),
      [],
      'no temp or lock file left',
    );
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('a fresh read of the fields forgets the options of fields that are gone, and keeps the others', async () => {
    const store = new FieldStore(file);
    await store.saveFields(V, 'SALES', list([field('a'), field('b')]));
    await store.saveOptions(V, 'SALES', 'a', list([option('A1')]));
    await store.saveOptions(V, 'SALES', 'b', list([option('B1')]));
    await store.saveFields(V, 'SALES', list([field('b')]));
    assert.deepEqual(Object.keys(store.project(V, 'SALES')!.options), ['b']);
  });

  it('two instances on one file (two windows) keep each other’s writes', async () => {
    const a = new FieldStore(file);
    const b = new FieldStore(file);
    await a.saveFields(V, 'SALES', list([field('x'), field('y')]));
    await Promise.all([
      a.saveOptions(V, 'SALES', 'x', list([option('X1')])),
      b.saveOptions(V, 'SALES', 'y', list([option('Y1')])),
      b.saveFields(V, 'CSKH', list([field('z')])),
    ]);
    const c = new FieldStore(file);
    await c.load();
    assert.deepEqual(Object.keys(c.project(V, 'SALES')!.options).sort(), ['x', 'y']);
    assert.ok(c.project(V, 'CSKH'));
  });

  for (const [what, text] of [
    ['not JSON', '{"version":1,"projects":['],
    ['another version', '{"version":2,"projects":[]}'],
    ['a wrong shape', '{"version":1,"projects":[{"vbotId":"V"}]}'],
    [
      'a bad time',
      '{"version":1,"projects":[{"vbotId":"V","projectCode":"P","options":{"f":{"items":[],"readAt":"yesterday","complete":true}}}]}',
    ],
  ]) {
    it(`a file with ${what} is moved aside (never overwritten), reported, and an empty store starts`, async () => {
      fs.writeFileSync(file, text);
      const problems: FieldStoreProblem[] = [];
      const store = new FieldStore(file, { onProblem: (p) => problems.push(p), now: () => NOW });
      await store.load();
      assert.equal(problems.length, 1);
      assert.equal(problems[0].backupPath, `${file}.bad-2026-06-30T08-15-00-000Z`);
      assert.equal(fs.readFileSync(problems[0].backupPath, 'utf8'), text);
      assert.equal(fs.existsSync(file), false);
      assert.equal(store.project('V', 'P'), undefined);
      // A second bad file the same millisecond gets a backup of its own.
      fs.writeFileSync(file, text);
      await new FieldStore(file, { onProblem: (p) => problems.push(p), now: () => NOW }).saveFields(V, 'SALES', list([field('a')]));
      assert.equal(problems[1].backupPath, `${file}.bad-2026-06-30T08-15-00-000Z-2`);
      assert.equal(fs.readFileSync(problems[1].backupPath, 'utf8'), text);
    });
  }

  it(
    'a read-only folder: what is stored still reads; a save fails with the file system’s reason',
    { skip: process.getuid?.() === 0 },
    async () => {
      await new FieldStore(file).saveFields(V, 'SALES', list([field('a')]));
      fs.chmodSync(dir, 0o500);
      const store = new FieldStore(file);
      await store.load();
      assert.equal(store.project(V, 'SALES')!.fields!.items[0].code, 'a');
      await assert.rejects(store.saveFields(V, 'SALES', list([])), (e: Error) => e.name === 'LocalSaveError');
      assert.equal(store.project(V, 'SALES')!.fields!.items.length, 1, 'the failed save changed nothing');
    },
  );
});
