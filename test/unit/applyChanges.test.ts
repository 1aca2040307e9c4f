// Apply's scheduler: a sliding window of API calls over the real ChangeRunner and in-memory fakes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ApplyItem, type ItemResult, applyChanges } from '../../src/core/change/applyChanges';
import { ChangeRunner } from '../../src/core/change/changeRunner';
import { cacheEditOf, changeCodeChange, createChange } from '../../src/core/change/typeChange';
import { FakeApi, FakeCache, FakeJournal, FakeLog, gate, refusal, settle, until } from './fixtures/changeFakes';

const where = { vbotId: 'VB1', projectCode: 'P1' };

function add(typeNo: string, dependsOn?: string): ApplyItem {
  return { ...createChange(where, { typeNo, typeName: `Type ${typeNo}` }), id: `add:${typeNo}`, ...(dependsOn ? { dependsOn } : {}) };
}

function adds(n: number): ApplyItem[] {
  return Array.from({ length: n }, (_, i) => add(`T${i}`));
}

function setup() {
  const api = new FakeApi();
  const journal = new FakeJournal();
  const cache = new FakeCache();
  const runner = new ChangeRunner({ profile: 'work', api, journal, cache, log: new FakeLog() });
  return { api, journal, cache, runner };
}

const statuses = (results: ReadonlyArray<ItemResult>) => results.map((r) => (r.status === 'skipped' ? `skipped:${r.skipped}` : r.status));

describe('applyChanges', () => {
  it('never has more calls in flight than the limit, and keeps the window full', async () => {
    const { api, runner } = setup();
    api.delay = 3;
    const items = adds(30);
    const results = await applyChanges(items, runner, { concurrency: 4 });
    assert.equal(api.peak, 4);
    assert.equal(api.requests.length, 30);
    assert.ok(results.every((r) => r.status === 'done'));
  });

  it('returns results in plan order, whatever order they ended in', async () => {
    const { api, runner } = setup();
    const items = adds(6);
    // Later items answer sooner.
    api.answer = (request) => {
      void request;
      return { ok: true };
    };
    const slow = new Map(items.map((item, i) => [item.after!.typeNo, (items.length - i) * 3]));
    const send = api.send.bind(api);
    api.send = async (request, signal) => {
      await new Promise((resolve) => setTimeout(resolve, slow.get(request.typeNo)));
      return send(request, signal);
    };
    const ended: string[] = [];
    const results = await applyChanges(items, runner, { concurrency: 6, onResult: (r) => ended.push(r.item.id) });
    assert.notDeepEqual(
      ended,
      items.map((i) => i.id),
    );
    assert.deepEqual(
      results.map((r) => r.item),
      items,
    );
  });

  it('a slot frees when its call is answered, not when the change is saved', async () => {
    const { api, cache, runner } = setup();
    const write = gate();
    cache.onWrite = () => write.promise;
    api.delay = 1;
    const items = adds(8);
    const ended: ItemResult[] = [];
    const applying = applyChanges(items, runner, { concurrency: 2, onResult: (r) => ended.push(r) });
    // Every call is made while the first save is still held.
    await until(() => api.requests.length === 8 && api.inFlight === 0);
    assert.equal(api.peak, 2);
    assert.deepEqual(ended, [], 'nothing counts as done before it is saved');
    write.open();
    const results = await applying;
    assert.ok(results.every((r) => r.status === 'done'));
    assert.equal(cache.writes.length, 2, 'the changes answered during the first write were saved together');
  });

  it('reports each item once as it ends, a success only once saved', async () => {
    const { api, cache, runner } = setup();
    api.answer = (request) => (request.typeNo === 'T1' ? refusal('forbidden') : { ok: true });
    const items = [...adds(3), add('X', 'add:T1')];
    const seen: string[] = [];
    await applyChanges(items, runner, {
      concurrency: 2,
      onResult: (result, ended, total) => {
        assert.equal(total, 4);
        seen.push(`${ended}:${result.item.id}:${result.status}`);
        if (result.status === 'done')
          assert.ok(cache.saved.some((edit) => edit.kind === 'upsert' && edit.typeNo === result.item.after!.typeNo));
      },
    });
    assert.equal(seen.length, 4);
    assert.deepEqual(
      seen.map((s) => Number(s.split(':')[0])),
      [1, 2, 3, 4],
    );
    assert.ok(seen.some((s) => s.endsWith('add:X:skipped')));
  });

  it('a dependent starts once its dependency is answered ok, even before that one is saved', async () => {
    const { api, cache, runner } = setup();
    const write = gate();
    cache.onWrite = () => write.promise;
    const from = changeCodeChange(where, 'A', 'B', 'n');
    const items: ApplyItem[] = [{ ...from, id: 'code:A>B' }, add('A', 'code:A>B')];
    const applying = applyChanges(items, runner, { concurrency: 4 });
    await settle();
    await settle();
    assert.deepEqual(
      api.requests.map((r) => r.operation),
      ['changeTypeCode', 'createType'],
    );
    write.open();
    assert.deepEqual(statuses(await applying), ['done', 'done']);
  });

  it('a dependent waits for its dependency, even with free slots', async () => {
    const { api, runner } = setup();
    const hold = gate();
    const send = api.send.bind(api);
    api.send = async (request, signal) => {
      if (request.typeNo === 'A') await hold.promise;
      return send(request, signal);
    };
    const applying = applyChanges([add('A'), add('B', 'add:A'), add('C')], runner, { concurrency: 4 });
    await settle();
    // A is held before it reaches the fake: only C has been sent, B waits for A.
    assert.deepEqual(
      api.requests.map((r) => r.typeNo),
      ['C'],
    );
    hold.open();
    await applying;
    assert.deepEqual(
      api.requests.map((r) => r.typeNo),
      ['C', 'A', 'B'],
    );
  });

  it('skips the dependents of a failed item, transitively, and nothing else', async () => {
    const { api, runner } = setup();
    api.answer = (request) => (request.typeNo === 'A' ? refusal('serverError') : { ok: true });
    const items = [add('A'), add('B', 'add:A'), add('C', 'add:B'), add('D')];
    assert.deepEqual(statuses(await applyChanges(items, runner, { concurrency: 2 })), [
      'failed',
      'skipped:dependency',
      'skipped:dependency',
      'done',
    ]);
    assert.deepEqual(
      api.requests.map((r) => r.typeNo),
      ['A', 'D'],
    );
  });

  it('skips an item whose dependency is not in the plan, or that waits on itself or in a cycle', async () => {
    const { api, runner } = setup();
    const items = [add('A', 'add:nowhere'), add('B', 'add:B'), add('C', 'add:D'), add('D', 'add:C'), add('E')];
    assert.deepEqual(statuses(await applyChanges(items, runner, { concurrency: 2 })), [
      'skipped:dependency',
      'skipped:dependency',
      'skipped:dependency',
      'skipped:dependency',
      'done',
    ]);
    assert.deepEqual(
      api.requests.map((r) => r.typeNo),
      ['E'],
    );
  });

  it('a dependency later in the plan is waited for', async () => {
    const { api, runner } = setup();
    const results = await applyChanges([add('B', 'add:A'), add('A')], runner, { concurrency: 2 });
    assert.deepEqual(statuses(results), ['done', 'done']);
    assert.deepEqual(
      api.requests.map((r) => r.typeNo),
      ['A', 'B'],
    );
  });

  it('cancelling skips what has not started; the call in flight ends as cancelled', async () => {
    const { api, journal, runner } = setup();
    const controller = new AbortController();
    const hold = gate();
    api.hold = hold;
    const applying = applyChanges(adds(10), runner, { concurrency: 2, signal: controller.signal });
    await settle();
    controller.abort();
    hold.open();
    const results = await applying;
    assert.deepEqual(statuses(results), ['failed', 'failed', ...Array(8).fill('skipped:cancelled')]);
    assert.equal(api.requests.length, 2);
    assert.deepEqual(journal.outcomes(), ['create:failed', 'create:failed']);
  });

  it('a signal already aborted starts nothing', async () => {
    const { api, runner } = setup();
    const controller = new AbortController();
    controller.abort();
    const results = await applyChanges(adds(3), runner, { concurrency: 2, signal: controller.signal });
    assert.deepEqual(statuses(results), Array(3).fill('skipped:cancelled'));
    assert.equal(api.requests.length, 0);
  });

  it('stopOn: a refusal to stop on starts nothing more, as soon as it is answered; calls in flight end', async () => {
    const { api, runner } = setup();
    const send = api.send.bind(api);
    api.send = async (request, signal) => {
      // T1 is slow: T0's refusal comes first.
      if (request.typeNo === 'T1') await new Promise((resolve) => setTimeout(resolve, 20));
      return send(request, signal);
    };
    api.answer = (request) => (request.typeNo === 'T0' ? refusal('unauthorized') : { ok: true });
    const asked: string[] = [];
    const results = await applyChanges(adds(10), runner, {
      concurrency: 2,
      stopOn: (result) => {
        asked.push(result.item.id);
        return result.status === 'failed' && 'kind' in result.error && result.error.kind === 'unauthorized';
      },
    });
    assert.deepEqual(
      api.requests.map((r) => r.typeNo),
      ['T0', 'T1'],
    );
    assert.deepEqual(statuses(results), ['failed', 'done', ...Array(8).fill('skipped:stopped')]);
    // Asked at T0's answer, then of each final result.
    assert.deepEqual(asked, ['add:T0', 'add:T0', 'add:T1']);
  });

  it('stopOn is asked of final results too (a local save that failed)', async () => {
    const { api, cache, runner } = setup();
    cache.onWrite = () => {
      throw Object.assign(new Error('read-only'), { code: 'EROFS' });
    };
    const send = api.send.bind(api);
    api.send = async (request, signal) => {
      // The calls after T0 are slow: T0's final result comes before they are answered.
      if (request.typeNo !== 'T0') await new Promise((resolve) => setTimeout(resolve, 20));
      return send(request, signal);
    };
    const results = await applyChanges(adds(5), runner, { concurrency: 1, stopOn: (result) => result.status === 'failed' });
    // T1 started when T0 was answered; it runs to its end (and fails to save as well).
    assert.deepEqual(statuses(results), ['failed', 'failed', ...Array(3).fill('skipped:stopped')]);
  });

  it('a runner that throws fails its item, not the run', async () => {
    const results = await applyChanges(
      adds(2),
      {
        run: async () => {
          throw new Error('bug');
        },
      },
      { concurrency: 2 },
    );
    assert.deepEqual(statuses(results), ['failed', 'failed']);
  });

  it('an onResult that throws rejects the run with its error', async () => {
    const { runner } = setup();
    await assert.rejects(
      applyChanges(adds(3), runner, {
        concurrency: 1,
        onResult: () => {
          throw new Error('caller bug');
        },
      }),
      /caller bug/,
    );
  });

  it('an empty plan ends at once; a limit below 1 means 1', async () => {
    const { api, runner } = setup();
    assert.deepEqual(await applyChanges([], runner, { concurrency: 4 }), []);
    api.delay = 2;
    const results = await applyChanges(adds(4), runner, { concurrency: 0 });
    assert.equal(api.peak, 1);
    assert.deepEqual(statuses(results), Array(4).fill('done'));
  });

  it('the journal and the cache hold every change made', async () => {
    const { journal, cache, runner } = setup();
    const items = adds(12);
    await applyChanges(items, runner, { concurrency: 3 });
    assert.equal(journal.records.length, 12);
    assert.deepEqual(new Set(cache.saved.map((e) => JSON.stringify(e))), new Set(items.map((i) => JSON.stringify(cacheEditOf(i)))));
  });
});
