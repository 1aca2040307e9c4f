// The plan runner: bounded concurrency, waves per project, dependencies, failures, cancellation.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { executePlan, projectWaves } from '../../src/core/planExecutor';
import type { Plan, PlanItem } from '../../src/core/typesAsCode';

const add = (projectCode: string, typeNo: string, dependsOn?: string): PlanItem =>
  ({ kind: 'add', id: `add:V/${projectCode}/${typeNo}`, vbotId: 'V', projectCode, typeNo, typeName: typeNo, dependsOn });
const code = (projectCode: string, from: string, to: string): PlanItem =>
  ({ kind: 'changeCode', id: `changeCode:V/${projectCode}/${from}>${to}`, vbotId: 'V', projectCode, oldTypeNo: from, newTypeNo: to, typeName: from });
const plan = (items: PlanItem[]): Plan => ({ items, unchanged: 0, unlisted: 0, problems: [] });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('executePlan', () => {
  it('never has more calls in flight than the limit, and reports in plan order', async () => {
    const items = Array.from({ length: 20 }, (_, i) => add(i % 2 ? 'A' : 'B', `T${i}`));
    let inFlight = 0;
    let peak = 0;
    const results = await executePlan(plan(items), async () => {
      peak = Math.max(peak, ++inFlight);
      await tick();
      inFlight--;
      return { ok: true };
    }, { concurrency: 3 });
    assert.equal(peak, 3);
    assert.deepEqual(results.map((r) => r.item.id), items.map((i) => i.id));
    assert.ok(results.every((r) => r.status === 'done'));
  });

  it('a failure does not stop the others; dependents are skipped, transitively', async () => {
    const first = code('P', 'A', 'B');
    const second = add('P', 'A', first.id);
    const third = add('P', 'C', second.id);
    const other = add('Q', 'Z');
    const results = await executePlan(plan([first, second, third, other]), async (item) =>
      (item === first ? { ok: false, message: 'refused' } : { ok: true }), { concurrency: 2 });
    assert.deepEqual(results.map((r) => r.status), ['failed', 'skipped', 'skipped', 'done']);
    assert.equal(results[0].message, 'refused');
  });

  it('a thrown error is a failed item, not a failed run', async () => {
    const results = await executePlan(plan([add('P', 'A'), add('P', 'B')]), async (item) => {
      if (item.kind === 'add' && item.typeNo === 'A') throw new Error('boom');
      return { ok: true };
    }, { concurrency: 2 });
    assert.deepEqual(results.map((r) => r.status), ['failed', 'done']);
  });

  it('cancelling skips what has not started', async () => {
    const controller = new AbortController();
    const items = Array.from({ length: 10 }, (_, i) => add('P', `T${i}`));
    const results = await executePlan(plan(items), async () => {
      controller.abort();
      await tick();
      return { ok: true };
    }, { concurrency: 1, signal: controller.signal });
    assert.equal(results.filter((r) => r.status === 'done').length, 1);
    assert.equal(results.filter((r) => r.status === 'skipped').length, 9);
  });

  it('code changes run one at a time, in plan order', async () => {
    const items = [code('P', 'B', 'C'), code('P', 'A', 'B'), add('P', 'A')];
    assert.deepEqual(projectWaves(items)[0].map((w) => w.length), [1, 1, 1]);
    const order: string[] = [];
    await executePlan(plan(items), async (item) => {
      order.push(item.id);
      await tick();
      return { ok: true };
    }, { concurrency: 4 });
    assert.deepEqual(order, items.map((i) => i.id));
  });

  it('reports progress once per item', async () => {
    const seen: number[] = [];
    await executePlan(plan([add('P', 'A'), add('P', 'B'), add('Q', 'C')]), async () => ({ ok: true }), {
      concurrency: 2, onProgress: (ended, total) => { seen.push(ended); assert.equal(total, 3); },
    });
    assert.deepEqual(seen, [1, 2, 3]);
  });
});
