// What the Apply confirmation names before anything is sent: each project (VBotID + code), its counts
// per kind of change, and the codes it deletes (the first 10, then how many more).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIRM_MAX_DELETE_CODES, countsToSay, displayCode, planVerdict, summarizeForApply } from '../../src/core/applySummary';
import { compareCodeUnits, type CachedProject } from '../../src/core/cache/model';
import { CacheSnapshot } from '../../src/core/cache/snapshot';
import { parseDesiredState } from '../../src/core/typesAsCode/parse';
import { computePlan } from '../../src/core/typesAsCode/planner';

const UPDATED = '2026-01-01T00:00:00.000Z';

type Project = { vbotId: string; projectCode: string; types: Array<[string, string]> };

function snapshotOf(projects: Project[]): CacheSnapshot {
  const list: CachedProject[] = projects.map((p) => ({
    vbotId: p.vbotId,
    projectCode: p.projectCode,
    types: p.types
      .map(([typeNo, typeName]) => ({ typeNo, typeName, updatedAt: UPDATED }))
      .sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo)),
  }));
  list.sort((a, b) => compareCodeUnits(a.vbotId, b.vbotId) || compareCodeUnits(a.projectCode, b.projectCode));
  return new CacheSnapshot(list);
}

function planOf(cached: Project[], file: unknown) {
  const parsed = parseDesiredState(JSON.stringify(file));
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return computePlan(snapshotOf(cached), parsed.state);
}

const codes = (prefix: string, n: number): Array<[string, string]> =>
  Array.from({ length: n }, (_, i) => [`${prefix}${String(i).padStart(2, '0')}`, `Kiểu ${i}`]);

describe('summarizeForApply', () => {
  test('deleteUnlisted with 12 cached types: the project, its counts, the first 10 codes to delete and "2 more"', () => {
    const plan = planOf([{ vbotId: 'VB-1', projectCode: 'SALES', types: [['KEEP', 'Giữ'], ['VIP', 'VIP cũ'], ...codes('OLD', 12)] }], {
      version: 1,
      projects: [
        {
          vbotId: 'VB-1',
          projectCode: 'SALES',
          deleteUnlisted: true,
          types: [
            { typeNo: 'KEEP', typeName: 'Giữ' },
            { typeNo: 'VIP', typeName: 'VIP mới' },
            { typeNo: 'NEW', typeName: 'Mới' },
          ],
        },
      ],
    });
    const summary = summarizeForApply(plan);
    assert.equal(summary.projects.length, 1);
    const [sales] = summary.projects;
    assert.deepEqual([sales.vbotId, sales.projectCode], ['VB-1', 'SALES']);
    assert.deepEqual(sales.counts, { create: 1, rename: 1, changeCode: 0, delete: 12 });
    assert.equal(CONFIRM_MAX_DELETE_CODES, 10);
    assert.deepEqual(
      sales.deleteCodes,
      codes('OLD', 10).map(([c]) => c),
    );
    assert.equal(sales.moreDeletes, 2);
    assert.deepEqual(summary.totals, { create: 1, rename: 1, changeCode: 0, delete: 12 });
    assert.equal(summary.moreProjects, 0);
  });

  test('every project with changes is named, in plan order, with its own counts; unchanged projects are not', () => {
    const plan = planOf(
      [
        {
          vbotId: 'VB-1',
          projectCode: 'CSKH',
          types: [
            ['A', 'A'],
            ['B', 'B'],
          ],
        },
        { vbotId: 'VB-1', projectCode: 'SALES', types: [['OLD', 'Đại lý']] },
        { vbotId: 'VB-1', projectCode: 'SAME', types: [['S', 'S']] },
      ],
      {
        version: 1,
        projects: [
          { vbotId: 'VB-1', projectCode: 'SALES', types: [{ typeNo: 'NEW', typeName: 'Đại lý', previousCodes: ['OLD'] }] },
          { vbotId: 'VB-1', projectCode: 'CSKH', deleteUnlisted: true, types: [{ typeNo: 'A', typeName: 'A' }] },
          { vbotId: 'VB-1', projectCode: 'SAME', types: [{ typeNo: 'S', typeName: 'S' }] },
        ],
      },
    );
    const summary = summarizeForApply(plan);
    assert.deepEqual(
      summary.projects.map((p) => [p.vbotId, p.projectCode, p.counts, p.deleteCodes, p.moreDeletes]),
      [
        ['VB-1', 'CSKH', { create: 0, rename: 0, changeCode: 0, delete: 1 }, ['B'], 0],
        ['VB-1', 'SALES', { create: 0, rename: 0, changeCode: 1, delete: 0 }, [], 0],
      ],
    );
    assert.deepEqual(summary.totals, { create: 0, rename: 0, changeCode: 1, delete: 1 });
  });

  test('an empty plan names nothing', () => {
    assert.deepEqual(summarizeForApply({ items: [] }), {
      projects: [],
      moreProjects: 0,
      totals: { create: 0, rename: 0, changeCode: 0, delete: 0 },
    });
  });

  test('limits: exactly 10 deletes have no "more"; projects beyond the limit are counted', () => {
    const cached: Project[] = Array.from({ length: 4 }, (_, i) => ({ vbotId: 'VB-1', projectCode: `P${i}`, types: codes('X', 10) }));
    const plan = planOf(cached, {
      version: 1,
      projects: cached.map((p) => ({ vbotId: p.vbotId, projectCode: p.projectCode, deleteUnlisted: true, types: [] })),
    });
    const all = summarizeForApply(plan);
    assert.deepEqual(
      all.projects.map((p) => [p.projectCode, p.deleteCodes.length, p.moreDeletes]),
      [
        ['P0', 10, 0],
        ['P1', 10, 0],
        ['P2', 10, 0],
        ['P3', 10, 0],
      ],
    );
    const few = summarizeForApply(plan, { maxProjects: 2, maxDeleteCodes: 3 });
    assert.deepEqual(
      few.projects.map((p) => [p.projectCode, p.deleteCodes, p.moreDeletes]),
      [
        ['P0', ['X00', 'X01', 'X02'], 7],
        ['P1', ['X00', 'X01', 'X02'], 7],
      ],
    );
    assert.equal(few.moreProjects, 2);
    assert.equal(few.totals.delete, 40, 'totals count every project, named or not');
  });

  test('projects of the same code under two accounts stay apart', () => {
    const plan = planOf(
      [
        { vbotId: 'VB-1', projectCode: 'SALES', types: [['A', 'A']] },
        { vbotId: 'VB-2', projectCode: 'SALES', types: [['A', 'A']] },
      ],
      {
        version: 1,
        projects: [
          { vbotId: 'VB-1', projectCode: 'SALES', deleteUnlisted: true, types: [] },
          { vbotId: 'VB-2', projectCode: 'SALES', types: [{ typeNo: 'B', typeName: 'B' }] },
        ],
      },
    );
    assert.deepEqual(
      summarizeForApply(plan).projects.map((p) => [p.vbotId, p.projectCode, p.counts.delete, p.counts.create]),
      [
        ['VB-1', 'SALES', 1, 0],
        ['VB-2', 'SALES', 0, 1],
      ],
    );
  });
});

describe('displayCode', () => {
  test('plain codes stay bare; spaces, quotes, commas and controls are quoted and visible', () => {
    assert.equal(displayCode('VIP'), 'VIP');
    assert.equal(displayCode('KH_MỚI-1'), 'KH_MỚI-1');
    assert.equal(displayCode('A B'), '"A B"');
    assert.equal(displayCode('A,B'), '"A,B"', 'a comma cannot pass for two codes in a list');
    assert.equal(displayCode('say "hi"'), '"say \\"hi\\""');
    assert.equal(displayCode('X\nY'), '"X\\nY"');
    assert.equal(displayCode('X\u202eY'), '"X\\u202eY"', 'a bidi override is shown, not obeyed');
  });
});

describe('summaries leave out zero counts (issue 16)', () => {
  test('only the counts that are not zero, in the given order', () => {
    const counts = { create: 2, rename: 0, changeCode: 1, delete: 0, unchanged: 3 };
    assert.deepEqual(countsToSay(counts, ['create', 'rename', 'changeCode', 'delete', 'unchanged']), [
      ['create', 2],
      ['changeCode', 1],
      ['unchanged', 3],
    ]);
    assert.deepEqual(countsToSay({ added: 0, renamed: 0 }, ['added', 'renamed']), [], 'all zero: nothing to name');
  });

  test('a plan with nothing to do is up to date, not "run Apply"; one with only problems is blocked', () => {
    const cached: Project[] = [{ vbotId: 'VB-1', projectCode: 'SALES', types: [['VIP', 'Khách VIP']] }];
    const same = planOf(cached, {
      version: 1,
      projects: [{ vbotId: 'VB-1', projectCode: 'SALES', types: [{ typeNo: 'VIP', typeName: 'Khách VIP' }] }],
    });
    assert.equal(same.items.length, 0);
    assert.equal(planVerdict(same), 'upToDate');
    const renamed = planOf(cached, {
      version: 1,
      projects: [{ vbotId: 'VB-1', projectCode: 'SALES', types: [{ typeNo: 'VIP', typeName: 'VIP' }] }],
    });
    assert.equal(planVerdict(renamed), 'changes');
    assert.equal(planVerdict({ items: [], problems: ['a problem'] }), 'blocked');
  });
});
