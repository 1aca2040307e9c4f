// Group commit: what becomes ready during a write goes into the next one, and a group fails as a whole.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LocalSaveError } from '../../src/core/atomicFile';
import { ChangeRunner } from '../../src/core/change/changeRunner';
import { GroupCommit } from '../../src/core/change/groupCommit';
import { cacheEditOf, createChange, deleteChange } from '../../src/core/change/typeChange';
import { FakeApi, FakeCache, FakeJournal, FakeLog, gate, refusal, settle } from './fixtures/changeFakes';

const where = { vbotId: 'VB1', projectCode: 'P1' };
const creates = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => createChange(where, { typeNo: `T${from + i}`, typeName: `Type ${from + i}` }));

describe('GroupCommit', () => {
  it('items added during a write go together into exactly one next write', async () => {
    const groups: number[][] = [];
    const first = gate();
    const commit = new GroupCommit<number>(async (group) => {
      groups.push([...group]);
      if (groups.length === 1) await first.promise;
    });
    const done = [commit.add(0)];
    await settle();
    for (let i = 1; i <= 5; i++) done.push(commit.add(i));
    assert.deepEqual(groups, [[0]]);
    first.open();
    await Promise.all(done);
    assert.deepEqual(groups, [[0], [1, 2, 3, 4, 5]]);
  });

  it('with a least interval, the first write starts at once and the next one no sooner than the interval after it', async () => {
    const starts: Array<{ at: number; group: number[] }> = [];
    const commit = new GroupCommit<number>(async (group) => {
      starts.push({ at: Date.now(), group: [...group] });
    }, 150);
    const t0 = Date.now();
    await commit.add(0);
    assert.ok(starts[0].at - t0 < 100, 'the first write does not wait');
    const later = [1, 2, 3].map((i) => commit.add(i));
    await Promise.all(later);
    assert.equal(starts.length, 2);
    assert.deepEqual(starts[1].group, [1, 2, 3]);
    assert.ok(starts[1].at - starts[0].at >= 145, `${starts[1].at - starts[0].at} ms between writes`);
  });

  it('items added in the same turn share the first write', async () => {
    const groups: number[][] = [];
    const commit = new GroupCommit<number>(async (group) => {
      groups.push([...group]);
    });
    await Promise.all([commit.add(1), commit.add(2), commit.add(3)]);
    assert.deepEqual(groups, [[1, 2, 3]]);
  });

  it('a failed write rejects every item of its group, and only of its group', async () => {
    const first = gate();
    let calls = 0;
    const commit = new GroupCommit<string>(async () => {
      calls++;
      if (calls === 1) await first.promise;
      if (calls === 2) throw new Error('disk full');
    });
    const a = commit.add('a');
    await settle();
    const b = commit.add('b');
    const c = commit.add('c');
    first.open();
    await a;
    await assert.rejects(b, /disk full/);
    await assert.rejects(c, /disk full/);
    await commit.add('d');
    assert.equal(calls, 3);
  });

  it('a write that throws at once is a failed group, not a thrown add', async () => {
    const commit = new GroupCommit<number>(() => {
      throw new Error('sync');
    });
    await assert.rejects(commit.add(1), /sync/);
  });

  it('flushed settles once everything added so far was written, failed or not', async () => {
    const hold = gate();
    const written: number[] = [];
    const commit = new GroupCommit<number>(async (group) => {
      await hold.promise;
      written.push(...group);
      if (group.includes(2)) throw new Error('fail');
    });
    await commit.flushed(); // nothing to wait for
    void commit.add(1);
    await settle();
    void commit.add(2).catch(() => undefined);
    let flushed = false;
    const flushing = commit.flushed().then(() => {
      flushed = true;
    });
    await settle();
    assert.equal(flushed, false);
    hold.open();
    await flushing;
    assert.deepEqual(written, [1, 2]);
  });
});

describe("the runner's group commit", () => {
  it('many changes answered during one write go into one journal append and one cache write', async () => {
    const api = new FakeApi();
    const journal = new FakeJournal();
    const cache = new FakeCache();
    const firstWrite = gate();
    cache.onWrite = () => (cache.writes.length === 1 ? firstWrite.promise : undefined);
    const runner = new ChangeRunner({ profile: 'work', api, journal, cache, log: new FakeLog() });

    const first = runner.run(creates(1)[0]);
    await settle();
    assert.equal(cache.writes.length, 1, 'the first change is being written');
    const answered: string[] = [];
    const later = creates(10, 1).map((change) => runner.run(change, { onAnswered: () => answered.push(change.after!.typeNo) }));
    await settle();
    assert.equal(answered.length, 10, 'all answered while the first write is held');
    assert.equal(cache.writes.length, 1);

    firstWrite.open();
    const results = await Promise.all([first, ...later]);
    assert.ok(results.every((r) => r.status === 'done'));
    assert.equal(journal.appendCalls, 2);
    assert.equal(cache.writes.length, 2);
    assert.deepEqual(cache.writes[1], creates(10, 1).map(cacheEditOf));
    assert.equal(journal.records.length, 11);
  });

  it('journal first, then cache, for each group', async () => {
    const order: string[] = [];
    const journal = new FakeJournal();
    const append = journal.appendMany.bind(journal);
    journal.appendMany = async (records) => {
      order.push('journal');
      await append(records);
    };
    const cache = new FakeCache();
    cache.onWrite = () => {
      order.push('cache');
    };
    const runner = new ChangeRunner({ profile: 'work', api: new FakeApi(), journal, cache, log: new FakeLog() });
    await runner.run(creates(1)[0]);
    assert.deepEqual(order, ['journal', 'cache']);
  });

  it('a failed cache write reports nothing of its group as done; refusals in it keep their own error', async () => {
    const api = new FakeApi();
    api.answer = (request) => (request.typeNo === 'GONE' ? refusal('forbidden') : { ok: true });
    const journal = new FakeJournal();
    const cache = new FakeCache();
    const firstWrite = gate();
    cache.onWrite = () => {
      if (cache.writes.length === 1) return firstWrite.promise;
      if (cache.writes.length === 2) throw Object.assign(new Error('no space'), { code: 'ENOSPC', path: '/data/cache.json' });
      return undefined;
    };
    const runner = new ChangeRunner({ profile: 'work', api, journal, cache, log: new FakeLog() });

    const first = runner.run(creates(1)[0]);
    await settle();
    const group = [...creates(4, 1), deleteChange(where, 'GONE', '')].map((change) => runner.run(change));
    await settle();
    firstWrite.open();
    const results = await Promise.all(group);
    assert.equal((await first).status, 'done');
    for (const result of results.slice(0, 4)) {
      assert.equal(result.status, 'failed');
      const error = (result as { error: unknown }).error;
      assert.ok(error instanceof LocalSaveError);
      assert.equal(error.reason, 'diskFull');
    }
    assert.equal((results[4] as { error: { kind: string } }).error.kind, 'forbidden');
    // The journal says what the server did: four made, one refused.
    assert.deepEqual(journal.outcomes().slice(1), ['create:done', 'create:done', 'create:done', 'create:done', 'delete:failed']);

    // The next group is written again.
    assert.equal((await runner.run(creates(1, 9)[0])).status, 'done');
    assert.equal(cache.writes.length, 3);
  });

  it('a lost answer still waiting for its write is seen by the retry that proves it', async () => {
    const api = new FakeApi();
    const journal = new FakeJournal();
    const cache = new FakeCache();
    const firstWrite = gate();
    cache.onWrite = () => (cache.writes.length === 1 ? firstWrite.promise : undefined);
    const runner = new ChangeRunner({ profile: 'work', api, journal, cache, log: new FakeLog() });
    const removeX = deleteChange(where, 'X', '');
    api.then({ ok: true }, refusal('network', { outcomeUnknown: true }), refusal('notFound'));

    const first = runner.run(creates(1)[0]);
    await settle();
    const lost = runner.run(removeX);
    await settle();
    assert.deepEqual(journal.outcomes(), ['create:done'], 'the lost answer is queued behind the held write');
    const retry = runner.run(removeX);
    await settle();
    firstWrite.open();
    assert.equal((await lost).status, 'failed');
    assert.deepEqual(await retry, { status: 'recovered', change: removeX });
    assert.equal((await first).status, 'done');
    assert.deepEqual(journal.outcomes(), ['create:done', 'delete:unknown', 'delete:done']);
  });

  it('one record the journal refuses as invalid does not take the rest of its group with it', async () => {
    const journal = new FakeJournal();
    const append = journal.appendMany.bind(journal);
    journal.appendMany = async (records) => {
      if (records.some((r) => r.typeNo === 'BAD')) throw new TypeError('not a valid journal entry');
      await append(records);
    };
    const log = new FakeLog();
    const runner = new ChangeRunner({ profile: 'work', api: new FakeApi(), journal, cache: new FakeCache(), log });
    const changes = [...creates(2), createChange(where, { typeNo: 'BAD', typeName: 'x' }), ...creates(2, 2)];
    const results = await Promise.all(changes.map((change) => runner.run(change)));
    assert.ok(results.every((r) => r.status === 'done'));
    assert.deepEqual(
      journal.records.map((r) => r.typeNo),
      ['T0', 'T1', 'T2', 'T3'],
    );
    assert.equal(log.warnings().length, 1);
  });

  it('a group of refusals only writes the journal', async () => {
    const api = new FakeApi();
    api.answer = () => refusal('forbidden');
    const journal = new FakeJournal();
    const cache = new FakeCache();
    const runner = new ChangeRunner({ profile: 'work', api, journal, cache, log: new FakeLog() });
    await Promise.all(creates(3).map((change) => runner.run(change)));
    assert.equal(journal.appendCalls, 1);
    assert.deepEqual(cache.writes, []);
  });
});
