// The display order of a project's types (src/core/displayOrder.ts): by name as a Vietnamese
// reader sorts, then code; a total order; remembered per list; worked out by CustomerTypeCache.load().

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { compareForDisplay, inDisplayOrder } from '../../src/core/displayOrder';
import { CustomerTypeCache, type CachedType } from '../../src/core/customerTypeCache';

const type = (typeNo: string, typeName: string): CachedType => ({ typeNo, typeName, updatedAt: '2026-01-01T00:00:00.000Z' });

/** How many times Intl.Collator's compare is reached while `run` runs. */
function collatorCalls(run: () => void): number {
  const real = Object.getOwnPropertyDescriptor(Intl.Collator.prototype, 'compare')!;
  let calls = 0;
  Object.defineProperty(Intl.Collator.prototype, 'compare', { configurable: true, get() { calls++; return real.get!.call(this); } });
  try { run(); } finally { Object.defineProperty(Intl.Collator.prototype, 'compare', real); }
  return calls;
}

describe('display order', () => {
  it('sorts Vietnamese names as a reader does, numbers by value, then by code', () => {
    const types = [type('Z1', 'Đại lý'), type('A1', 'Ưu tiên'), type('M1', 'Bán lẻ'), type('C1', 'Cửa hàng'),
      type('K10', 'Khách 10'), type('K2', 'Khách 2'), type('B2', 'bán lẻ'), type('B1', 'Bán lẻ')];
    assert.deepEqual(inDisplayOrder(types).map((t) => t.typeNo), ['B1', 'B2', 'M1', 'C1', 'Z1', 'K2', 'K10', 'A1']);
  });

  it('is a permutation of the list in non-decreasing order, and the same list object gives the same answer', () => {
    const name = fc.stringMatching(/^[A-Za-zĐđăâêôơưàáạảãèéẹẻẽ0-9 ]{0,8}$/);
    fc.assert(fc.property(fc.uniqueArray(fc.record({ typeNo: fc.stringMatching(/^[A-Z0-9]{1,4}$/), typeName: name }), { selector: (t) => t.typeNo, maxLength: 40 }), (raw) => {
      const types = raw.map((t) => type(t.typeNo, t.typeName));
      const ordered = inDisplayOrder(types);
      assert.equal(ordered.length, types.length);
      assert.deepEqual(new Set(ordered), new Set(types));
      for (let i = 1; i < ordered.length; i++) assert.ok(compareForDisplay(ordered[i - 1], ordered[i]) < 0, 'strictly increasing: codes are unique');
      assert.equal(inDisplayOrder(types), ordered);
      assert.deepEqual(types.map((t) => t.typeNo), raw.map((t) => t.typeNo), 'the list itself is left alone');
    }));
  });

  it('is worked out when the cache loads, so the first draw only reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vbot-order-'));
    try {
      const file = join(dir, 'customer-types.json');
      const types = Array.from({ length: 300 }, (_, i) => type(`KH${String(i).padStart(3, '0')}`, `Khách ${(i * 7919) % 300}`));
      writeFileSync(file, JSON.stringify({ version: 1, projects: [{ vbotId: 'VB1', projectCode: 'P', types }] }));
      const snapshot = await new CustomerTypeCache(file).load();
      const project = snapshot.project('VB1', 'P')!;
      // Sorting compares at least n - 1 times; a remembered order compares nothing.
      assert.ok(collatorCalls(() => inDisplayOrder(project.types.slice())) >= 299, 'the counter sees a sort');
      let ordered: ReadonlyArray<CachedType> = [];
      assert.equal(collatorCalls(() => { ordered = inDisplayOrder(project.types); }), 0);
      assert.equal(ordered.length, 300);
      assert.equal(ordered[0].typeName, 'Khách 0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
