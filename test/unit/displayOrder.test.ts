// The display order of a project's types (src/core/cache/displayOrder.ts): by name as a Vietnamese
// reader sorts, then code; a total order; remembered per list; worked out by CustomerTypeCache.load().

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { compareForDisplay, inDisplayOrder, MAX_PLACED_CHANGES, placeChanges } from '../../src/core/cache/displayOrder';
import { CustomerTypeCache } from '../../src/core/cache/customerTypeCache';
import type { CachedType } from '../../src/core/cache/model';

const type = (typeNo: string, typeName: string): CachedType => ({ typeNo, typeName, updatedAt: '2026-01-01T00:00:00.000Z' });

/** How many times Intl.Collator's compare is reached while `run` runs. */
function collatorCalls(run: () => void): number {
  const real = Object.getOwnPropertyDescriptor(Intl.Collator.prototype, 'compare')!;
  let calls = 0;
  Object.defineProperty(Intl.Collator.prototype, 'compare', {
    configurable: true,
    get() {
      calls++;
      return real.get!.call(this);
    },
  });
  try {
    run();
  } finally {
    Object.defineProperty(Intl.Collator.prototype, 'compare', real);
  }
  return calls;
}

describe('display order', () => {
  it('sorts Vietnamese names as a reader does, numbers by value, then by code', () => {
    const types = [
      type('Z1', 'Đại lý'),
      type('A1', 'Ưu tiên'),
      type('M1', 'Bán lẻ'),
      type('C1', 'Cửa hàng'),
      type('K10', 'Khách 10'),
      type('K2', 'Khách 2'),
      type('B2', 'bán lẻ'),
      type('B1', 'Bán lẻ'),
    ];
    assert.deepEqual(
      inDisplayOrder(types).map((t) => t.typeNo),
      ['B1', 'B2', 'M1', 'C1', 'Z1', 'K2', 'K10', 'A1'],
    );
  });

  it('is a permutation of the list in non-decreasing order, and the same list object gives the same answer', () => {
    const name = fc.stringMatching(/^[A-Za-zĐđăâêôơưàáạảãèéẹẻẽ0-9 ]{0,8}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ typeNo: fc.stringMatching(/^[A-Z0-9]{1,4}$/), typeName: name }), {
          selector: (t) => t.typeNo,
          maxLength: 40,
        }),
        (raw) => {
          const types = raw.map((t) => type(t.typeNo, t.typeName));
          const ordered = inDisplayOrder(types);
          assert.equal(ordered.length, types.length);
          assert.deepEqual(new Set(ordered), new Set(types));
          for (let i = 1; i < ordered.length; i++)
            assert.ok(compareForDisplay(ordered[i - 1], ordered[i]) < 0, 'strictly increasing: codes are unique');
          assert.equal(inDisplayOrder(types), ordered);
          assert.deepEqual(
            types.map((t) => t.typeNo),
            raw.map((t) => t.typeNo),
            'the list itself is left alone',
          );
        },
      ),
    );
  });

  it('is not worked out while the cache loads, but on the first draw of a project, and then remembered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vbot-order-'));
    try {
      const file = join(dir, 'customer-types.json');
      const types = Array.from({ length: 300 }, (_, i) => type(`KH${String(i).padStart(3, '0')}`, `Khách ${(i * 7919) % 300}`));
      writeFileSync(file, JSON.stringify({ version: 1, projects: [{ vbotId: 'VB1', projectCode: 'P', types }] }));
      const snapshot = await new CustomerTypeCache(file).load();
      const project = snapshot.project('VB1', 'P')!;
      // Sorting compares at least n - 1 times; a remembered order compares nothing. The load sorted nothing
      // (startup pays no collator), so the first draw sorts, and the next one reads what it remembered.
      let ordered: ReadonlyArray<CachedType> = [];
      assert.ok(
        collatorCalls(() => {
          ordered = inDisplayOrder(project.types);
        }) >= 299,
        'the first draw sorts',
      );
      assert.equal(
        collatorCalls(() => assert.equal(inDisplayOrder(project.types), ordered)),
        0,
      );
      assert.equal(ordered.length, 300);
      assert.equal(ordered[0].typeName, 'Khách 0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// placeChanges: how the tree keeps a drawn project in display order after a change (src/vscode/typeTreeProvider.ts
// calls it for every refresh of a drawn project). A type appended at the end instead of placed is the bug it guards.
describe('display order after a change (placeChanges)', () => {
  /** An item as the tree draws it: code and shown name, plus the type it was made from. */
  interface Item {
    typeNo: string;
    currentName: string;
    from: CachedType;
  }
  const make = (t: CachedType): Item => ({ typeNo: t.typeNo, currentName: t.typeName, from: t });
  /** Cache lists are in code order (code units), as CustomerTypeCache keeps them. */
  const inCodeOrder = (types: CachedType[]) => types.slice().sort((a, b) => (a.typeNo < b.typeNo ? -1 : a.typeNo > b.typeNo ? 1 : 0));
  const drawn = (types: ReadonlyArray<CachedType>) => inDisplayOrder(types).map(make);
  const codes = (items: ReadonlyArray<{ typeNo: string }>) => items.map((i) => i.typeNo);

  it('puts an added, renamed or re-coded type where a full sort puts it, not at the end', () => {
    const before = inCodeOrder([type('A', 'An'), type('C', 'Cường'), type('E', 'Em'), type('G', 'Giang')]);
    const items = drawn(before);
    const cases: Array<[string, CachedType[]]> = [
      ['added', inCodeOrder([...before, type('B', 'Bình')])],
      ['renamed', inCodeOrder([...before.filter((t) => t.typeNo !== 'G'), type('G', 'Ánh')])],
      ['code changed', inCodeOrder([...before.filter((t) => t.typeNo !== 'E'), type('D', 'Em')])],
    ];
    for (const [what, next] of cases) {
      const placed = placeChanges(before, items, next, make);
      assert.ok(placed, what);
      assert.deepEqual(codes(placed), codes(inDisplayOrder(next)), what);
    }
    assert.deepEqual(codes(placeChanges(before, items, cases[0][1], make)!), ['A', 'B', 'C', 'E', 'G']);
    assert.deepEqual(codes(placeChanges(before, items, cases[1][1], make)!), ['A', 'G', 'C', 'E'], '"Ánh" right after "An"');
  });

  it('keeps the items of unchanged types (same objects) and leaves the drawn list alone', () => {
    const before = inCodeOrder([type('A', 'An'), type('B', 'Bình'), type('C', 'Cường')]);
    const items = drawn(before);
    const copy = items.slice();
    const next = [before[0], type('B', 'Bảo'), before[2]];
    const placed = placeChanges(before, items, next, make)!;
    assert.equal(placed[0], items[0]);
    assert.equal(placed[2], items[2]);
    assert.notEqual(placed[1], items[1], 'the renamed type gets a new item');
    assert.equal(placed[1].currentName, 'Bảo');
    assert.deepEqual(items, copy, 'the previous list is not changed in place');
  });

  it('gives up (undefined) above the limit or when a list is not in code order, so the caller sorts', () => {
    const before = inCodeOrder(Array.from({ length: 10 }, (_, i) => type(`T${i}`, `Tên ${i}`)));
    const many = inCodeOrder([
      ...before,
      ...Array.from({ length: MAX_PLACED_CHANGES + 1 }, (_, i) => type(`N${String(i).padStart(3, '0')}`, `Mới ${i}`)),
    ]);
    assert.equal(placeChanges(before, drawn(before), many, make), undefined);
    assert.ok(placeChanges(before, drawn(before), many, make, MAX_PLACED_CHANGES + 1));
    const unsorted = [before[1], before[0], ...before.slice(2)];
    assert.equal(placeChanges(before, drawn(before), unsorted, make), undefined);
  });

  it('any mix of adds, removals, renames and code changes gives exactly the full sort', () => {
    const code = fc.stringMatching(/^[A-Z0-9_]{1,4}$/);
    const name = fc.stringMatching(/^[A-Za-zĐđăâêôơưàáạảãèéẹẻẽ0-9 ]{0,8}$/);
    const list = fc.uniqueArray(fc.record({ typeNo: code, typeName: name }), { selector: (t) => t.typeNo, maxLength: 40 });
    const edit = fc.oneof(
      fc.record({ op: fc.constant('add' as const), typeNo: code, typeName: name }),
      fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('rename' as const), at: fc.nat(), typeName: name }),
      fc.record({ op: fc.constant('recode' as const), at: fc.nat(), typeNo: code }),
      fc.record({ op: fc.constant('touch' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(list, fc.array(edit, { maxLength: 12 }), (raw, edits) => {
        const before = inCodeOrder(raw.map((t) => type(t.typeNo, t.typeName)));
        const next = before.slice();
        for (const e of edits) {
          if (e.op === 'add') {
            if (!next.some((t) => t.typeNo === e.typeNo)) next.push(type(e.typeNo, e.typeName));
            continue;
          }
          if (next.length === 0) continue;
          const at = e.at % next.length;
          if (e.op === 'remove') next.splice(at, 1);
          else if (e.op === 'rename') next[at] = type(next[at].typeNo, e.typeName);
          else if (e.op === 'recode' && !next.some((t) => t.typeNo === e.typeNo)) next[at] = type(e.typeNo, next[at].typeName);
          else if (e.op === 'touch') next[at] = { ...next[at], updatedAt: '2026-02-02T00:00:00.000Z' };
        }
        const after = inCodeOrder(next);
        const placed = placeChanges(before, drawn(before), after, make);
        assert.ok(placed, 'at most 24 changes, under the limit');
        assert.deepEqual(codes(placed), codes(inDisplayOrder(after)));
        assert.deepEqual(
          placed.map((i) => i.currentName),
          inDisplayOrder(after).map((t) => t.typeName),
        );
      }),
      { numRuns: 300 },
    );
  });
});
