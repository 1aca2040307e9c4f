import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { buildSync } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  JOURNAL_ENTRY_KEYS,
  parseJournalEntry,
  sanitizeJournalMessage,
  type JournalEntry,
  type JournalEntryInput,
} from '../../src/core/journal/entry';
import { ChangeJournal } from '../../src/core/journal/journal';
import { type TypeChange, undoOfRecord } from '../../src/core/change/typeChange';

const FIXED_NOW = new Date('2026-01-02T03:04:05.678Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let directory: string;
let journalFile: string;

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'vbot-journal-test-'));
  journalFile = path.join(directory, 'journal.jsonl');
});

afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

/** A clock that moves one second per call, so every entry has its own time. */
function steppingClock(start = FIXED_NOW) {
  let tick = 0;
  return () => new Date(start.getTime() + 1000 * tick++);
}

function openJournal(options: { maxEntries?: number; now?: () => Date } = {}) {
  return new ChangeJournal(journalFile, { now: steppingClock(), ...options });
}

const PROJECT = { profile: 'default', vbotId: 'VB-1', projectCode: 'SALES' } as const;

const create = (typeNo: string, typeName: string, extra: Partial<JournalEntryInput> = {}): JournalEntryInput => ({
  ...PROJECT,
  operation: 'create',
  typeNo,
  after: { typeNo, typeName },
  outcome: 'done',
  ...extra,
});
const rename = (typeNo: string, from: string, to: string, extra: Partial<JournalEntryInput> = {}): JournalEntryInput => ({
  ...PROJECT,
  operation: 'rename',
  typeNo,
  before: { typeNo, typeName: from },
  after: { typeNo, typeName: to },
  outcome: 'done',
  ...extra,
});
const changeCode = (from: string, to: string, typeName: string, extra: Partial<JournalEntryInput> = {}): JournalEntryInput => ({
  ...PROJECT,
  operation: 'changeCode',
  typeNo: from,
  before: { typeNo: from, typeName },
  after: { typeNo: to, typeName },
  outcome: 'done',
  ...extra,
});
const remove = (typeNo: string, typeName: string, extra: Partial<JournalEntryInput> = {}): JournalEntryInput => ({
  ...PROJECT,
  operation: 'delete',
  typeNo,
  before: { typeNo, typeName },
  outcome: 'done',
  ...extra,
});

function fileLines(): string[] {
  return fs
    .readFileSync(journalFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

// ---------------------------------------------------------------------------------------------

describe('append and read', () => {
  test('append returns the entry with a uuid and the time, and writes exactly one line', async () => {
    const journal = new ChangeJournal(journalFile, { now: () => FIXED_NOW });
    const entry = await journal.append(create('VIP', 'Khách hàng VIP', { message: 'Created' }));
    assert.match(entry.id, UUID);
    assert.equal(entry.at, FIXED_NOW.toISOString());
    assert.deepEqual(entry, {
      id: entry.id,
      at: FIXED_NOW.toISOString(),
      ...PROJECT,
      operation: 'create',
      typeNo: 'VIP',
      after: { typeNo: 'VIP', typeName: 'Khách hàng VIP' },
      outcome: 'done',
      message: 'Created',
    });
    assert.equal(fs.readFileSync(journalFile, 'utf8'), `${JSON.stringify(entry)}\n`);
    assert.deepEqual(await journal.entries(), [entry]);
    const second = await journal.append(create('B', 'Bee'));
    assert.notEqual(second.id, entry.id);
  });

  test('a missing file is an empty journal, and reading creates nothing', async () => {
    const journal = new ChangeJournal(path.join(directory, 'sub', 'journal.jsonl'));
    assert.deepEqual(await journal.read(), { entries: [], malformedLines: 0, truncatedTail: false });
    assert.deepEqual(await journal.entries({ vbotId: 'x' }), []);
    assert.equal(await journal.lastUndoable({ ...PROJECT }), undefined);
    assert.equal(fs.existsSync(path.join(directory, 'sub')), false);
  });

  test('append creates the folder', async () => {
    const journal = new ChangeJournal(path.join(directory, 'a', 'b', 'journal.jsonl'));
    await journal.append(create('X', 'x'));
    assert.equal((await journal.entries()).length, 1);
  });

  test('entries are newest first (file order, not clock order) and filters combine', async () => {
    // A clock that goes backwards (another window, a clock change): the file order still wins.
    let tick = 10;
    const journal = new ChangeJournal(journalFile, { now: () => new Date(FIXED_NOW.getTime() - 1000 * tick--) });
    const a = await journal.append(create('A', 'Ay'));
    const b = await journal.append(changeCode('A', 'A2', 'Ay'));
    const c = await journal.append(create('C', 'Cee', { profile: 'work' }));
    const d = await journal.append(create('D', 'Dee', { projectCode: 'OPS' }));
    const e = await journal.append(create('E', 'Eee', { vbotId: 'VB-2' }));
    await new ChangeJournal(journalFile, { now: () => new Date('2020-01-01T00:00:00Z') }).append(create('F', 'Eff'));
    const ids = (entries: JournalEntry[]) => entries.map((entry) => entry.typeNo);

    assert.deepEqual(ids(await journal.entries()), ['F', 'E', 'D', 'C', 'A', 'A']);
    assert.deepEqual((await journal.entries()).slice(4), [b, a]);
    assert.deepEqual(await journal.entries({ profile: 'work' }), [c]);
    assert.deepEqual(await journal.entries({ projectCode: 'OPS' }), [d]);
    assert.deepEqual(await journal.entries({ vbotId: 'VB-2' }), [e]);
    assert.deepEqual(ids(await journal.entries({ vbotId: 'VB-1', projectCode: 'SALES' })), ['F', 'C', 'A', 'A']);
    assert.deepEqual(ids(await journal.entries({ ...PROJECT })), ['F', 'A', 'A']);
    // typeNo matches the addressed code and the codes before and after.
    assert.deepEqual(await journal.entries({ typeNo: 'A2' }), [b]);
    assert.deepEqual(await journal.entries({ typeNo: 'A' }), [b, a]);
    assert.deepEqual(await journal.entries({ typeNo: 'A', profile: 'work' }), []);
  });

  test('malformed lines are skipped and counted, blank lines ignored, and reading never throws', async () => {
    const journal = openJournal();
    const good = await journal.append(create('A', 'Ay'));
    const valid = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
    const bad = [
      'not json at all',
      '{"half": ',
      '[1,2,3]',
      'null',
      '"a string"',
      JSON.stringify({ ...valid, id: 'other', operation: 'upsert' }), // unknown operation
      JSON.stringify({ ...valid, id: 'other', outcome: 'maybe' }),
      JSON.stringify({ ...valid, id: 'other', at: 'yesterday' }),
      JSON.stringify({ ...valid, id: 'other', before: { typeNo: 'A', typeName: 'Ay' } }), // a create has no before
      JSON.stringify({ ...valid, id: 'other', after: { typeNo: 5, typeName: 'x' } }),
      JSON.stringify({ ...valid, id: 'other', typeNo: '' }),
      JSON.stringify({ ...valid, id: 'other', vbotId: undefined }),
      JSON.stringify({ ...valid, id: 'other', message: 42 }),
      JSON.stringify({ ...valid, id: 'other', operation: 'delete' }), // a delete has no after
    ];
    fs.appendFileSync(journalFile, `${bad.join('\n')}\n\n   \r\n`);
    const later = await journal.append(create('B', 'Bee'));
    fs.appendFileSync(journalFile, '\u0000\u0001garbage\n');

    const result = await journal.read();
    assert.deepEqual(result.entries, [later, good]);
    assert.equal(result.malformedLines, bad.length + 1);
    assert.equal(result.truncatedTail, false);
    assert.equal((await journal.lastUndoable({ ...PROJECT }))?.id, later.id);
  });

  test('a truncated last line (a crash mid-append) is ignored, and the next append is not spoiled by it', async () => {
    const journal = openJournal();
    const first = await journal.append(create('A', 'Ay'));
    const torn = JSON.stringify(await new ChangeJournal(path.join(directory, 'other.jsonl')).append(create('T', 'Torn')));
    fs.appendFileSync(journalFile, torn.slice(0, 40)); // no newline

    let result = await journal.read();
    assert.deepEqual(result.entries, [first]);
    assert.equal(result.malformedLines, 0, 'a torn tail is not counted as malformed');
    assert.equal(result.truncatedTail, true);

    const next = await journal.append(create('B', 'Bee'));
    result = await journal.read();
    assert.deepEqual(result.entries, [next, first]);
    assert.equal(result.malformedLines, 1, 'the fragment is now a complete, malformed line of its own');
    assert.equal(result.truncatedTail, false);
  });

  test('unknown keys in the file are dropped on read; CRLF lines are read', async () => {
    const journal = openJournal();
    const entry = await journal.append(create('A', 'Ay'));
    const withExtra = { ...entry, accessToken: 'eyJhbGciOi.secret.x', before: undefined, after: { ...entry.after, extra: 1 } };
    fs.writeFileSync(journalFile, `${JSON.stringify(withExtra)}\r\n`);
    const [read] = await journal.entries();
    assert.deepEqual(read, entry);
    assert.equal('accessToken' in read, false);
  });

  test('an invalid entry is refused with a TypeError and nothing is written', async () => {
    const journal = openJournal();
    const invalid: unknown[] = [
      { ...create('A', 'Ay'), operation: 'upsert' },
      { ...create('A', 'Ay'), outcome: 'ok' },
      { ...create('A', 'Ay'), typeNo: '' },
      { ...create('A', 'Ay'), vbotId: 5 },
      { ...create('A', 'Ay'), before: { typeNo: 'A', typeName: 'Ay' } },
      { ...remove('A', 'Ay'), after: { typeNo: 'A', typeName: 'Ay' } },
      { ...rename('A', 'a', 'b'), before: null },
      { ...create('A', 'Ay'), message: 5 },
      null,
    ];
    for (const input of invalid) {
      await assert.rejects(journal.append(input as JournalEntryInput), TypeError, JSON.stringify(input));
    }
    assert.equal(fs.existsSync(journalFile), false);
    // Valid: a delete whose name was not known, and an empty profile name.
    await journal.append({ ...PROJECT, operation: 'delete', typeNo: 'A', outcome: 'failed' });
    await journal.append({ ...create('B', 'Bee'), profile: '' });
    assert.equal((await journal.entries()).length, 2);
  });

  test('maxEntries must be a positive integer', () => {
    assert.throws(() => new ChangeJournal(journalFile, { maxEntries: 0 }), RangeError);
    assert.throws(() => new ChangeJournal(journalFile, { maxEntries: 1.5 }), RangeError);
    assert.equal(new ChangeJournal(journalFile).maxEntries, 5000);
  });
});

// ---------------------------------------------------------------------------------------------

/** Counts reads of the journal file and appends to it (opens for appending) until stop(). */
function countFileCalls(file = () => journalFile): { stop(): { reads: number; appends: number; renames: number } } {
  type Spied = Pick<typeof fs.promises, 'readFile' | 'open' | 'rename'>;
  const promises = fs.promises as Spied;
  const original = { readFile: promises.readFile, open: promises.open, rename: promises.rename };
  const counts = { reads: 0, appends: 0, renames: 0 };
  promises.readFile = ((path: unknown, ...rest: unknown[]) => {
    if (path === file()) counts.reads++;
    return (original.readFile as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof original.readFile;
  promises.open = (path, flags, mode) => {
    if (path === file() && flags === 'a') counts.appends++;
    return original.open(path, flags, mode);
  };
  promises.rename = (from, to) => {
    if (to === file()) counts.renames++;
    return original.rename(from, to);
  };
  return {
    stop: () => {
      Object.assign(promises, original);
      return counts;
    },
  };
}

describe('appendMany', () => {
  test('a batch is one read and one append: its lines in order, one time, each its own id', async () => {
    const journal = openJournal();
    await journal.append(create('FIRST', 'First'));
    const calls = countFileCalls();
    const batch = [create('A', 'Ay'), rename('A', 'Ay', 'Bee'), changeCode('A', 'A2', 'Bee'), remove('A2', 'Bee')];
    const written = await journal.appendMany(batch);
    assert.deepEqual(calls.stop(), { reads: 1, appends: 1, renames: 0 });
    assert.deepEqual(
      written.map((entry) => [entry.operation, entry.typeNo]),
      [
        ['create', 'A'],
        ['rename', 'A'],
        ['changeCode', 'A'],
        ['delete', 'A2'],
      ],
    );
    assert.equal(new Set(written.map((entry) => entry.at)).size, 1, 'one time for the batch');
    assert.equal(new Set(written.map((entry) => entry.id)).size, 4);
    for (const entry of written) assert.match(entry.id, UUID);
    assert.deepEqual(
      fileLines().slice(1),
      written.map((entry) => JSON.stringify(entry)),
    );
    assert.deepEqual((await journal.entries()).slice(0, 4), written.slice().reverse());
  });

  test('an empty batch writes nothing', async () => {
    assert.deepEqual(await openJournal().appendMany([]), []);
    assert.equal(fs.existsSync(journalFile), false);
  });

  test('one invalid entry refuses the whole batch with a TypeError naming it, and nothing is written', async () => {
    const journal = openJournal();
    const batch = [create('A', 'Ay'), { ...create('B', 'Bee'), typeNo: '' }, create('C', 'Cee')];
    await assert.rejects(
      journal.appendMany(batch),
      (error: unknown) => error instanceof TypeError && /#2/.test(error.message) && /typeNo/.test(error.message),
    );
    assert.equal(fs.existsSync(journalFile), false);
  });

  test('messages are scrubbed of the secrets named for the batch', async () => {
    const journal = openJournal();
    const written = await journal.appendMany(
      [create('A', 'Ay', { message: 'sent opaque-XYZ' }), create('B', 'Bee', { message: 'token=abc123 refused' })],
      { secrets: ['opaque-XYZ'] },
    );
    const text = fs.readFileSync(journalFile, 'utf8');
    assert.ok(!text.includes('opaque-XYZ') && !text.includes('abc123'), text);
    assert.deepEqual(
      written.map((entry) => JSON.stringify(entry)),
      fileLines(),
    );
  });

  test('after a half-written last line, the batch starts on a line of its own', async () => {
    const journal = openJournal();
    const first = await journal.append(create('A', 'Ay'));
    fs.appendFileSync(journalFile, JSON.stringify(first).slice(0, 30)); // no newline
    const written = await journal.appendMany([create('B', 'Bee'), create('C', 'Cee')]);
    const result = await journal.read();
    assert.deepEqual(result.entries, [...written].reverse().concat(first));
    assert.equal(result.malformedLines, 1, 'the fragment, now a line of its own');
    assert.equal(result.truncatedTail, false);
  });

  test('a batch that takes the file past 1.2 × maxEntries compacts it, still with one read', async () => {
    const journal = openJournal({ maxEntries: 5 });
    const before = await journal.appendMany([create('A', 'Ay'), create('B', 'Bee'), create('C', 'Cee')]);
    assert.equal(fileLines().length, 3);
    const calls = countFileCalls();
    const batch = await journal.appendMany([create('D', 'Dee'), create('E', 'Eee'), create('F', 'Eff'), create('G', 'Gee')]);
    assert.deepEqual(calls.stop(), { reads: 1, appends: 1, renames: 1 });
    const all = [...before, ...batch];
    assert.deepEqual(
      fileLines(),
      all.slice(-5).map((entry) => JSON.stringify(entry)),
    );
    // A batch larger than maxEntries keeps its newest maxEntries.
    const big = await journal.appendMany(Array.from({ length: 8 }, (_, i) => create(`T${i}`, `Type ${i}`)));
    assert.deepEqual(
      fileLines(),
      big.slice(-5).map((entry) => JSON.stringify(entry)),
    );
  });

  test('append is appendMany of one: one read, one append', async () => {
    const journal = openJournal();
    await journal.append(create('A', 'Ay'));
    const calls = countFileCalls();
    await journal.append(create('B', 'Bee'));
    assert.deepEqual(calls.stop(), { reads: 1, appends: 1, renames: 0 });
  });
});

describe('compaction', () => {
  test('keeps the newest maxEntries once the file grows past 1.2 × maxEntries', async () => {
    const journal = openJournal({ maxEntries: 10 });
    const written: JournalEntry[] = [];
    for (let i = 0; i < 12; i++) written.push(await journal.append(create(`T${i}`, `Type ${i}`)));
    assert.equal(fileLines().length, 12, 'not past 1.2 × 10 yet');
    written.push(await journal.append(create('T12', 'Type 12')));
    assert.equal(fileLines().length, 10);
    assert.deepEqual(await journal.entries(), written.slice(3).reverse());
    for (let i = 13; i < 40; i++) written.push(await journal.append(create(`T${i}`, `Type ${i}`)));
    const lines = fileLines().length;
    assert.ok(lines >= 10 && lines <= 12, `${lines} lines`);
    assert.deepEqual(await journal.entries(), written.slice(-lines).reverse());
    assert.deepEqual(
      fs.readdirSync(directory).filter((name) => name !== 'journal.jsonl'),
      [],
      'no temp file or lock left behind',
    );
  });

  test('drops lines that are not JSON, keeps JSON lines it does not understand (a newer version)', async () => {
    const journal = openJournal({ maxEntries: 5 });
    const first = await journal.append(create('A', 'Ay'));
    const future = JSON.stringify({ ...first, id: 'future-1', operation: 'merge' });
    fs.appendFileSync(journalFile, `garbage\n${future}\n`);
    const b = await journal.append(create('B', 'Bee'));
    const c = await journal.append(create('C', 'Cee'));
    const d = await journal.append(create('D', 'Dee')); // 6 lines: not past 1.2 × 5
    assert.equal(fileLines().length, 6);
    const e = await journal.append(create('E', 'Eee')); // 7 lines: compact to the newest 5 JSON lines
    assert.deepEqual(fileLines(), [future, ...[b, c, d, e].map((entry) => JSON.stringify(entry))]);
    const result = await journal.read();
    assert.deepEqual(result.entries, [e, d, c, b]);
    assert.equal(result.malformedLines, 1);
  });

  test('the journal file is 0600: created so whatever the umask, and compaction keeps the mode', async () => {
    const modeOf = () => (fs.statSync(journalFile).mode & 0o777).toString(8);
    const journal = openJournal({ maxEntries: 2 });
    const previous = process.umask(0o000);
    try {
      await journal.append(create('A', 'Ay'));
      assert.equal(modeOf(), '600', 'the first append creates the file 0600');
      await journal.append(create('B', 'Bee'));
      await journal.append(create('C', 'Cee')); // 3 lines > 1.2 × 2: compacted through a temp file
      assert.equal(fileLines().length, 2, 'compacted');
      assert.equal(modeOf(), '600', 'compaction keeps 0600');
      fs.chmodSync(journalFile, 0o640);
      await journal.append(create('D', 'Dee'));
      await journal.append(create('E', 'Eee'));
      assert.equal(fileLines().length, 2, 'compacted again');
      assert.equal(modeOf(), '640', 'a mode the user chose is kept');
    } finally {
      process.umask(previous);
    }
  });

  test('leaves a recent temp file alone and removes an old one (a crashed compaction)', async () => {
    const old = `${journalFile}.tmp-1-x-0`;
    const recent = `${journalFile}.tmp-2-y-0`;
    fs.writeFileSync(old, 'half');
    fs.writeFileSync(recent, 'half');
    const longAgo = new Date(Date.now() - 10 * 60_000);
    fs.utimesSync(old, longAgo, longAgo);
    await openJournal().append(create('A', 'Ay'));
    assert.equal(fs.existsSync(old), false);
    assert.equal(fs.existsSync(recent), true);
  });

  test('two journals in one process appending at once lose nothing, with or without compaction', async (t) => {
    for (const maxEntries of [100_000, 20]) {
      fs.rmSync(journalFile, { force: true });
      const one = openJournal({ maxEntries });
      const two = openJournal({ maxEntries });
      const started = performance.now();
      const all = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).append(create(`T${i}`, `Type ${i}`))));
      t.diagnostic(`maxEntries ${maxEntries}: 100 concurrent appends in ${(performance.now() - started).toFixed(0)} ms`);
      const read = await one.entries();
      if (maxEntries > 100) {
        assert.deepEqual(new Set(read.map((entry) => entry.id)), new Set(all.map((entry) => entry.id)));
      } else {
        assert.ok(read.length >= 20 && read.length <= 24, `${read.length}`);
        // Whatever was kept is exactly the newest part of what was written, in order.
        const order = fileLines().map((line) => (JSON.parse(line) as JournalEntry).id);
        const written = (await Promise.all(all)).map((entry) => entry.id);
        const allInFileOrder = written.slice().sort((a, b) => order.indexOf(a) - order.indexOf(b));
        assert.deepEqual(
          order,
          allInFileOrder.filter((id) => order.includes(id)),
        );
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Across processes: two children append 200 entries each, at the same time.

interface Child {
  process: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  closed: Promise<number | null>;
  stderr: () => string;
}

const CHILD_SOURCE = (journalModule: string) => `
import { ChangeJournal } from ${JSON.stringify(journalModule)};
const [file, tag, count, maxEntries] = process.argv.slice(2);
const journal = new ChangeJournal(file, { maxEntries: Number(maxEntries) });
process.stdin.once('data', async () => {
  for (let i = 0; i < Number(count); i++) {
    await journal.append({
      profile: tag, vbotId: 'VB-1', projectCode: 'SALES', operation: 'create',
      typeNo: tag + '-' + i, after: { typeNo: tag + '-' + i, typeName: 'n' }, outcome: 'done', message: String(i),
    });
  }
  process.stdout.write('done\\n');
  process.exit(0);
});
process.stdout.write('ready\\n');
`;

/** Children started and not yet closed; afterEach kills them, so a failed assertion cannot leave node --test waiting. */
const liveChildren = new Set<ChildProcessWithoutNullStreams>();

function startChild(script: string, args: string[]): Child {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  liveChildren.add(child);
  child.on('close', () => liveChildren.delete(child));
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (chunk.includes('ready')) markReady();
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { process: child, ready, closed, stderr: () => stderr };
}

async function appendFromTwoProcesses(maxEntries: number): Promise<{ ms: number }> {
  // Bundled with esbuild (the same compilation tsx does) and run by plain node: starting tsx
  // costs about a second per process, most of this test's time.
  const script = path.join(directory, 'journalAppender.cjs');
  buildSync({
    stdin: { contents: CHILD_SOURCE(path.resolve(__dirname, '../../src/core/journal/journal.ts')), loader: 'ts', resolveDir: __dirname },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: script,
    logLevel: 'silent',
  });
  const children = ['left', 'right'].map((tag) => startChild(script, [journalFile, tag, '200', String(maxEntries)]));
  await Promise.all(children.map((child) => Promise.race([child.ready, child.closed])));
  const started = performance.now();
  for (const child of children) child.process.stdin.end('go\n');
  const codes = await Promise.all(children.map((child) => child.closed));
  assert.deepEqual(codes, [0, 0], children.map((child) => child.stderr()).join('\n'));
  return { ms: performance.now() - started };
}

describe('across processes', () => {
  afterEach(async () => {
    const children = [...liveChildren];
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => child.once('close', resolve)),
      ),
    );
  });

  test('two processes × 200 appends: all 400 entries present, each process in its own order', { timeout: 60_000 }, async (t) => {
    const { ms } = await appendFromTwoProcesses(100_000);
    t.diagnostic(`400 appends from 2 processes in ${ms.toFixed(0)} ms`);
    const result = await new ChangeJournal(journalFile).read();
    assert.equal(result.malformedLines, 0);
    assert.equal(result.truncatedTail, false);
    assert.equal(result.entries.length, 400);
    assert.equal(new Set(result.entries.map((entry) => entry.id)).size, 400);
    const inFileOrder = result.entries.slice().reverse();
    for (const tag of ['left', 'right']) {
      const sequence = inFileOrder.filter((entry) => entry.profile === tag).map((entry) => Number(entry.message));
      assert.deepEqual(
        sequence,
        Array.from({ length: 200 }, (_, i) => i),
        tag,
      );
    }
    // Both really ran at once: their entries interleave.
    const switches = inFileOrder.filter((entry, i) => i > 0 && entry.profile !== inFileOrder[i - 1].profile).length;
    t.diagnostic(`the two processes' entries alternate ${switches} times in the file`);
  });

  test('compaction while the other process appends never loses an append', { timeout: 60_000 }, async (t) => {
    const maxEntries = 150; // compactions at 181 lines, to 150: about 8 of them during the run
    const { ms } = await appendFromTwoProcesses(maxEntries);
    t.diagnostic(`400 appends with compactions from 2 processes in ${ms.toFixed(0)} ms`);
    const result = await new ChangeJournal(journalFile).read();
    assert.equal(result.malformedLines, 0);
    const count = result.entries.length;
    assert.ok(count >= maxEntries && count <= maxEntries * 1.2, `${count} entries`);
    // Each process's surviving entries are an unbroken run ending with its last one: a lost
    // append would show as a gap, a lost compaction as too many lines.
    const inFileOrder = result.entries.slice().reverse();
    let total = 0;
    for (const tag of ['left', 'right']) {
      const sequence = inFileOrder.filter((entry) => entry.profile === tag).map((entry) => Number(entry.message));
      assert.deepEqual(
        sequence,
        Array.from({ length: sequence.length }, (_, i) => 200 - sequence.length + i),
        tag,
      );
      t.diagnostic(`${tag}: its last ${sequence.length} entries kept`);
      total += sequence.length;
    }
    assert.equal(total, count);
  });
});

// ---------------------------------------------------------------------------------------------

describe('lastUndoable', () => {
  test('the newest done change in the profile and project; failed and unknown ones are not candidates', async () => {
    const journal = openJournal();
    assert.equal(await journal.lastUndoable({ ...PROJECT }), undefined);
    const a = await journal.append(create('A', 'Ay'));
    await journal.append(create('B', 'Bee', { outcome: 'failed', message: 'Type already exists' }));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT }), a);
    const c = await journal.append(rename('C', 'Cee', 'See'));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT }), c);
    await journal.append(remove('D', 'Dee', { outcome: 'unknown' }));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT }), c, 'an unknown change of another type does not block');
  });

  test('other profiles, VBotIDs and projects are ignored', async () => {
    const journal = openJournal();
    const mine = await journal.append(create('A', 'Ay'));
    await journal.append(create('B', 'Bee', { profile: 'work' }));
    await journal.append(rename('A', 'Ay', 'Other', { profile: 'work' })); // same type, other profile
    await journal.append(create('C', 'Cee', { vbotId: 'VB-2' }));
    await journal.append(create('D', 'Dee', { projectCode: 'OPS' }));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT }), mine);
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'A' }), mine);
    assert.equal(await journal.lastUndoable({ ...PROJECT, profile: 'nobody' }), undefined);
    assert.equal((await journal.lastUndoable({ ...PROJECT, profile: 'work' }))?.operation, 'rename');
  });

  test('with a typeNo: the newest change touching that code, before or after', async () => {
    const journal = openJournal();
    const a = await journal.append(create('A', 'Ay'));
    const b = await journal.append(create('B', 'Bee'));
    const code = await journal.append(changeCode('C', 'C2', 'Cee'));
    await journal.append(create('Z', 'Zed'));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'A' }), a);
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'B' }), b);
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'C' }), code);
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'C2' }), code);
    assert.equal(await journal.lastUndoable({ ...PROJECT, typeNo: 'NONE' }), undefined);
  });

  test('an undone change is not offered again; a failed undo leaves it undoable', async () => {
    const journal = openJournal();
    const created = await journal.append(create('A', 'Ay'));
    const renamed = await journal.append(rename('A', 'Ay', 'New'));
    // The undo failed: the rename still stands.
    await journal.append(rename('A', 'New', 'Ay', { outcome: 'failed', undoOf: renamed.id }));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'A' }), renamed);
    // The undo worked: the rename is undone, and the undo is now the last change (undoing it redoes).
    const undo = await journal.append(rename('A', 'New', 'Ay', { undoOf: renamed.id }));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'A' }), undo);
    assert.notEqual((await journal.lastUndoable({ ...PROJECT }))?.id, renamed.id);
    // An undo recorded from another profile still marks the entry as undone.
    const b = await journal.append(create('B', 'Bee'));
    await journal.append(remove('B', 'Bee', { profile: 'work', undoOf: b.id }));
    assert.equal(await journal.lastUndoable({ ...PROJECT, typeNo: 'B' }), undefined);
    // Undone entries are skipped: the newest change in the profile that is not undone is the undo of the rename.
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT }), undo);
    assert.notEqual((await journal.lastUndoable({ ...PROJECT, typeNo: 'A' }))?.id, created.id);
  });

  test('a type changed since: the later change is returned instead', async () => {
    const journal = openJournal();
    await journal.append(create('A', 'Ay'));
    const b = await journal.append(create('B', 'Bee'));
    const renamedA = await journal.append(rename('A', 'Ay', 'Ayy'));
    await journal.append(rename('B', 'Bee', 'Bea', { outcome: 'failed' })); // failed: B unchanged
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'A' }), renamedA);
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'B' }), b);

    // A code change moves the type: a change under the new code is the last change on it too.
    await journal.append(changeCode('B', 'B2', 'Bee'));
    const renamedB2 = await journal.append(rename('B2', 'Bee', 'Bee 2'));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'B' }), renamedB2);
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'B2' }), renamedB2);

    // A change whose outcome is unknown may have changed the type: it blocks, and cannot be undone.
    const unknown = await journal.append(remove('A', 'Ayy', { outcome: 'unknown' }));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'A' }), unknown);
    assert.ok('impossible' in undoOfRecord(unknown));
  });

  test('a delete then a re-create of the same code: the re-create is the last change', async () => {
    const journal = openJournal();
    const deleted = await journal.append(remove('A', 'Ay'));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'A' }), deleted);
    const recreated = await journal.append(create('A', 'Another'));
    assert.deepEqual(await journal.lastUndoable({ ...PROJECT, typeNo: 'A' }), recreated);
  });
});

// ---------------------------------------------------------------------------------------------

describe('undoOfRecord', () => {
  const entry = (input: JournalEntryInput, id = 'e-1'): JournalEntry => {
    const parsed = parseJournalEntry({ ...input, id, at: FIXED_NOW.toISOString() });
    assert.ok(parsed);
    return parsed;
  };
  const undo = (input: JournalEntryInput): TypeChange => {
    const result = undoOfRecord(entry(input));
    assert.ok('change' in result, JSON.stringify(result));
    assert.equal(result.undoOf, 'e-1');
    return result.change;
  };
  const where = { vbotId: 'VB-1', projectCode: 'SALES' };

  test('create → delete the created code', () => {
    assert.deepEqual(undo(create('VIP', 'Khách hàng VIP')), {
      ...where,
      op: 'delete',
      before: { typeNo: 'VIP', typeName: 'Khách hàng VIP' },
    });
  });

  test('delete → re-create with the same code and name', () => {
    assert.deepEqual(undo(remove('VIP', 'Khách hàng VIP')), {
      ...where,
      op: 'create',
      after: { typeNo: 'VIP', typeName: 'Khách hàng VIP' },
    });
  });

  test('rename → restore the name', () => {
    assert.deepEqual(undo(rename('VIP', 'Khách hàng VIP', 'Khách VIP')), {
      ...where,
      op: 'rename',
      before: { typeNo: 'VIP', typeName: 'Khách VIP' },
      after: { typeNo: 'VIP', typeName: 'Khách hàng VIP' },
    });
  });

  test('changeCode → change the new code back to the old one', () => {
    assert.deepEqual(undo(changeCode('VIP', 'VIP2', 'Khách hàng VIP')), {
      ...where,
      op: 'changeCode',
      before: { typeNo: 'VIP2', typeName: 'Khách hàng VIP' },
      after: { typeNo: 'VIP', typeName: 'Khách hàng VIP' },
    });
  });

  test('an undo of an undo is the original change again (redo)', () => {
    const undoOfDelete = undo(remove('VIP', 'Khách hàng VIP'));
    assert.equal(undoOfDelete.op, 'create');
    const redo = undoOfRecord(entry({ ...create(undoOfDelete.after!.typeNo, undoOfDelete.after!.typeName), undoOf: 'e-0' }));
    assert.ok('change' in redo);
    assert.equal(redo.change.op, 'delete');
  });

  test('impossible: failed or unknown outcome, missing or invalid data, no change', () => {
    const impossible = (input: JournalEntryInput) => {
      const result = undoOfRecord(entry(input));
      assert.ok('impossible' in result, JSON.stringify(result));
      assert.match(result.impossible, /^[A-Z].*\.$/);
      return result.impossible;
    };
    assert.match(impossible(create('A', 'Ay', { outcome: 'failed' })), /failed/);
    assert.match(impossible(rename('A', 'a', 'b', { outcome: 'unknown' })), /not known whether/);
    assert.match(impossible({ ...PROJECT, operation: 'delete', typeNo: 'A', outcome: 'done' }), /name is not known/);
    assert.match(impossible(remove('A', '')), /name is not known/);
    assert.match(impossible({ ...rename('A', 'a', 'b'), before: undefined }), /earlier name/);
    assert.match(impossible(rename('A', 'same', 'same')), /nothing to undo/);
    assert.match(impossible({ ...changeCode('A', 'B', 'n'), after: undefined }), /not both known/);
    assert.match(impossible(changeCode('A', 'A', 'n')), /nothing to undo/);
    assert.match(impossible(changeCode('A', 'B\u202Eevil', 'n')), /not valid/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('no secret in the journal', () => {
  test('a line has only the documented keys, even when the input object carries more', async () => {
    const journal = openJournal();
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJl';
    // What a careless caller might pass: the request body plus the token and the response.
    const input = {
      ...rename('VIP', 'Khách hàng VIP', 'Khách VIP'),
      accessToken: token,
      refreshToken: token,
      headers: { Authorization: `Bearer ${token}` },
      before: { typeNo: 'VIP', typeName: 'Khách hàng VIP', token },
      after: { typeNo: 'VIP', typeName: 'Khách VIP', accessToken: token },
      message: 'Renamed',
    } as JournalEntryInput;
    const entry = await journal.append(input);
    const line = fs.readFileSync(journalFile, 'utf8').trimEnd();
    const parsed = JSON.parse(line) as Record<string, unknown>;
    for (const key of Object.keys(parsed)) assert.ok((JOURNAL_ENTRY_KEYS as readonly string[]).includes(key), key);
    assert.deepEqual(Object.keys(parsed), [
      'id',
      'at',
      'profile',
      'vbotId',
      'projectCode',
      'operation',
      'typeNo',
      'before',
      'after',
      'outcome',
      'message',
    ]);
    assert.deepEqual(Object.keys(parsed.before as object), ['typeNo', 'typeName']);
    assert.deepEqual(Object.keys(parsed.after as object), ['typeNo', 'typeName']);
    assert.ok(!line.includes(token));
    assert.ok(!line.includes('eyJ'));
    assert.deepEqual(Object.keys(entry), Object.keys(parsed));
    // The append takes no token at all: entry and options only.
    assert.equal(journal.append.length, 1);
  });

  test('token-shaped text and named secrets are scrubbed from the message; it stays one short line', async () => {
    const journal = openJournal();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJl';
    const entry = await journal.append(
      create('A', 'Ay', {
        message: `Unauthorized: Bearer abc.def-123 token=${jwt} {"access_token":"s3cr3t-value","password": "hunter22"} opaque-XYZ\nline two`,
      }),
      { secrets: ['opaque-XYZ', undefined] },
    );
    const line = fs.readFileSync(journalFile, 'utf8');
    for (const secret of ['abc.def-123', jwt, 's3cr3t-value', 'hunter22', 'opaque-XYZ']) {
      assert.ok(!line.includes(secret), secret);
    }
    assert.equal(line.split('\n').length, 2);
    assert.equal(
      entry.message,
      'Unauthorized: Bearer [redacted] token=[redacted] {"access_token":"[redacted]","password": "[redacted]"} [redacted] line two',
    );
    assert.equal(sanitizeJournalMessage('x'.repeat(1000)).length, 300);
    assert.equal(sanitizeJournalMessage('Type "VIP" already exists'), 'Type "VIP" already exists');
    assert.equal(sanitizeJournalMessage('Invalid token'), 'Invalid token');
  });

  test('secret scrubbing catches X-API-Key, token-open-api (= and :) and Authorization: Basic, and still Bearer', async () => {
    const cases: Array<[string, string, string]> = [
      ['X-API-Key: k3y-v4lue-123', 'k3y-v4lue-123', 'X-API-Key: [redacted]'],
      ['request failed {"X-API-Key":"k3y-v4lue-123"}', 'k3y-v4lue-123', 'request failed {"X-API-Key":"[redacted]"}'],
      ['x-api-key=k3y-v4lue-123&x=1', 'k3y-v4lue-123', 'x-api-key=[redacted]&x=1'],
      ['token-open-api=0pen-4pi-t0ken', '0pen-4pi-t0ken', 'token-open-api=[redacted]'],
      ['header token-open-api: 0pen-4pi-t0ken rejected', '0pen-4pi-t0ken', 'header token-open-api: [redacted] rejected'],
      ['Authorization: Basic dXNlcjpodW50ZXIy', 'dXNlcjpodW50ZXIy', 'Authorization: Basic [redacted]'],
      ['{"authorization": "Basic dXNlcjpodW50ZXIy"}', 'dXNlcjpodW50ZXIy', '{"authorization": "Basic [redacted]"}'],
      ['Authorization: Bearer abc.def-123', 'abc.def-123', 'Authorization: Bearer [redacted]'],
      ['Unauthorized: Bearer abc.def-123', 'abc.def-123', 'Unauthorized: Bearer [redacted]'],
    ];
    for (const [message, secret, expected] of cases) {
      const scrubbed = sanitizeJournalMessage(message);
      assert.ok(!scrubbed.includes(secret), `${message} → ${scrubbed}`);
      assert.equal(scrubbed, expected);
    }
    // And through append, as it reaches the file.
    const journal = openJournal();
    await journal.append(
      create('A', 'Ay', { message: 'X-API-Key: k3y-v4lue-123; token-open-api=0pen-4pi-t0ken; Authorization: Basic dXNlcjpodW50ZXIy' }),
    );
    const line = fs.readFileSync(journalFile, 'utf8');
    for (const secret of ['k3y-v4lue-123', '0pen-4pi-t0ken', 'dXNlcjpodW50ZXIy']) assert.ok(!line.includes(secret), secret);
    assert.equal(sanitizeJournalMessage('The API key is not valid'), 'The API key is not valid');
  });
});
