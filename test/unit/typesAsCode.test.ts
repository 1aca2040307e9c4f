// Customer types as code (src/core/typesAsCode/): reading vbot-types.json, planning it against
// the cache, starting a file from the cache, and the JSON schema in media/ agreeing with the reader.

import { describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { compareCodeUnits, type CachedProject } from '../../src/core/cache/model';
import { CacheSnapshot } from '../../src/core/cache/snapshot';
import type { TypeState } from '../../src/core/change/typeChange';
import {
  DESIRED_STATE_LIMITS,
  DESIRED_STATE_STRING_LIMITS,
  type DesiredState,
  type DesiredStateError,
  type DesiredStateParseResult,
} from '../../src/core/typesAsCode/format';
import { parseDesiredState } from '../../src/core/typesAsCode/parse';
import { computePlan, countPlan, type Plan, type PlanItem } from '../../src/core/typesAsCode/planner';
import { desiredStateFromSnapshot } from '../../src/core/typesAsCode/scaffold';
import { jsonSyntaxErrorOffset } from '../../src/core/json';
import { LIMITS, validateProjectCode, validateTypeName, validateTypeNo, validateVbotId } from '../../src/core/validation';

const UPDATED = '2026-01-01T00:00:00.000Z';
const VB = 'VB-DEMO-0001';

type TypeSpec = [typeNo: string, typeName: string];

function snapshotOf(projects: Array<{ vbotId?: string; projectCode: string; types: TypeSpec[] }>): CacheSnapshot {
  const list: CachedProject[] = projects.map((project) => ({
    vbotId: project.vbotId ?? VB,
    projectCode: project.projectCode,
    types: project.types
      .map(([typeNo, typeName]) => ({ typeNo, typeName, updatedAt: UPDATED }))
      .sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo)),
  }));
  list.sort((a, b) => compareCodeUnits(a.vbotId, b.vbotId) || compareCodeUnits(a.projectCode, b.projectCode));
  return new CacheSnapshot(list);
}

const sales = (...types: TypeSpec[]) => snapshotOf([{ projectCode: 'SALES', types }]);

interface FileType {
  typeNo: unknown;
  typeName?: unknown;
  previousCodes?: unknown;
}

/** A vbot-types.json text with one project, VB/SALES. */
function fileOf(types: FileType[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, projects: [{ vbotId: VB, projectCode: 'SALES', ...extra, types }] }, null, 2);
}

function stateOf(text: string): DesiredState {
  const result = parseDesiredState(text);
  assert.ok(result.ok, `expected ok, got ${JSON.stringify(result)}`);
  return result.state;
}

function errorsOf(result: DesiredStateParseResult): DesiredStateError[] {
  assert.equal(result.ok, false, `expected errors, got ${JSON.stringify(result)}`);
  return (result as Extract<DesiredStateParseResult, { ok: false }>).errors;
}

/** [path, code] pairs: the part of an error the UI relies on. */
const pathsOf = (text: string) => errorsOf(parseDesiredState(text)).map((error) => [error.path, error.code]);

const planOf = (snapshot: CacheSnapshot, types: FileType[], extra: Record<string, unknown> = {}) =>
  computePlan(snapshot, stateOf(fileOf(types, extra)));

/** An item's operation and states, without id and project: `rename VIP "a" → VIP "b"`, `create ∅ → NEW "n"`. */
function line(item: PlanItem): string {
  const state = (s: TypeState | undefined) => (s ? `${s.typeNo} ${JSON.stringify(s.typeName)}` : '∅');
  return `${item.op} ${state(item.before)} → ${state(item.after)}`;
}

/** The plan's items as lines, for compact expectations. */
function short(plan: Plan): string[] {
  return plan.items.map(line);
}

const t = (typeNo: string, typeName: string, previousCodes?: string[]): FileType =>
  previousCodes ? { typeNo, typeName, previousCodes } : { typeNo, typeName };

// ---------------------------------------------------------------------------------------------
// A model of the server: applies plan items in order, checking what the real calls would need.

type Model = Map<string, Map<string, string>>; // project key → code → name

const projectKey = (vbotId: string, projectCode: string) => JSON.stringify([vbotId, projectCode]);

function modelOf(snapshot: CacheSnapshot): Model {
  const model: Model = new Map();
  for (const project of snapshot.projects()) {
    model.set(projectKey(project.vbotId, project.projectCode), new Map(project.types.map((type) => [type.typeNo, type.typeName])));
  }
  return model;
}

function snapshotOfModel(model: Model): CacheSnapshot {
  const projects: CachedProject[] = [...model].map(([key, types]) => {
    const [vbotId, projectCode] = JSON.parse(key) as [string, string];
    const list = [...types].map(([typeNo, typeName]) => ({ typeNo, typeName, updatedAt: UPDATED }));
    return { vbotId, projectCode, types: list.sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo)) };
  });
  projects.sort((a, b) => compareCodeUnits(a.vbotId, b.vbotId) || compareCodeUnits(a.projectCode, b.projectCode));
  return new CacheSnapshot(projects);
}

function apply(model: Model, items: ReadonlyArray<PlanItem>): void {
  const done = new Set<string>();
  for (const item of items) {
    if (item.dependsOn !== undefined) assert.ok(done.has(item.dependsOn), `${item.id} runs before ${item.dependsOn}`);
    const key = projectKey(item.vbotId, item.projectCode);
    if (!model.has(key)) model.set(key, new Map());
    const types = model.get(key)!;
    const { before, after } = item;
    switch (item.op) {
      case 'create':
        assert.equal(before, undefined);
        assert.ok(!types.has(after!.typeNo), `create ${after!.typeNo}: code taken`);
        types.set(after!.typeNo, after!.typeName);
        break;
      case 'rename':
        assert.equal(before!.typeNo, after!.typeNo, `rename ${before!.typeNo}: the code stays`);
        assert.equal(types.get(before!.typeNo), before!.typeName, `rename ${before!.typeNo}: not there with its old name`);
        types.set(after!.typeNo, after!.typeName);
        break;
      case 'changeCode':
        assert.equal(before!.typeName, after!.typeName, `changeCode ${before!.typeNo}: the name stays`);
        assert.equal(types.get(before!.typeNo), before!.typeName, `changeCode ${before!.typeNo}: not there`);
        assert.ok(!types.has(after!.typeNo), `changeCode → ${after!.typeNo}: code taken`);
        types.delete(before!.typeNo);
        types.set(after!.typeNo, after!.typeName);
        break;
      case 'delete':
        assert.equal(after, undefined);
        assert.equal(types.get(before!.typeNo), before!.typeName, `delete ${before!.typeNo}: not there`);
        types.delete(before!.typeNo);
        break;
    }
    done.add(item.id);
  }
}

// ---------------------------------------------------------------------------------------------

describe('parseDesiredState: valid files', () => {
  test('reads a file, trims values, fills the defaults', () => {
    const text = JSON.stringify({
      $schema: './vbot-types.schema.json',
      version: 1,
      projects: [
        {
          vbotId: ` ${VB} `,
          projectCode: ' SALES',
          types: [{ typeNo: ' VIP ', typeName: '  Khách hàng VIP ', previousCodes: [' KH_VIP '] }],
        },
        { vbotId: VB, projectCode: 'SUPPORT', deleteUnlisted: true, types: [] },
      ],
    });
    assert.deepEqual(stateOf(text), {
      version: 1,
      projects: [
        {
          vbotId: VB,
          projectCode: 'SALES',
          deleteUnlisted: false,
          types: [{ typeNo: 'VIP', typeName: 'Khách hàng VIP', previousCodes: ['KH_VIP'] }],
        },
        { vbotId: VB, projectCode: 'SUPPORT', deleteUnlisted: true, types: [] },
      ],
    });
  });

  test('a byte order mark and an empty project list are fine', () => {
    assert.deepEqual(stateOf('\uFEFF{ "version": 1, "projects": [] }'), { version: 1, projects: [] });
  });

  test('a previous code may be another type’s code (that is how a chain is written)', () => {
    const state = stateOf(fileOf([t('GOLD', 'Gold', ['VIP']), t('VIP', 'VIP', ['SILVER'])]));
    assert.equal(state.projects[0].types.length, 2);
  });
});

describe('parseDesiredState: errors', () => {
  test('JSON syntax errors give line and column', () => {
    const cases: Array<[string, number, number]> = [
      ['{\n  "version": 1,\n  "projects": [],\n}', 4, 1], // trailing comma
      ['{\n  "version": 1\n  "projects": []\n}', 3, 3], // missing comma
      ['{\n  "version": 1,\n  "projects": [ { "vbotId": tru } ]\n}', 3, 32], // no position in V8's message
      ['{ "version": 1,', 1, 16], // unexpected end
    ];
    for (const [text, line, column] of cases) {
      const [error] = errorsOf(parseDesiredState(text));
      assert.equal(error.code, 'badJson');
      assert.equal(error.path, '');
      assert.deepEqual([error.line, error.column], [line, column], text);
      assert.match(error.message, new RegExp(`^invalid JSON at line ${line}, column ${column}: `));
      assert.doesNotMatch(error.message, /is not valid JSON|position/);
    }
  });

  test('empty, too large, not an object', () => {
    assert.deepEqual(pathsOf('  \n'), [['', 'emptyFile']]);
    assert.deepEqual(pathsOf('[]'), [['', 'wrongType']]);
    assert.deepEqual(pathsOf('"x"'), [['', 'wrongType']]);
    const huge = fileOf([t('A', 'x'.repeat(DESIRED_STATE_LIMITS.maxBytes))]);
    assert.deepEqual(
      errorsOf(parseDesiredState(huge)).map((e) => [e.code, e.max]),
      [['tooLarge', DESIRED_STATE_LIMITS.maxBytes]],
    );
  });

  test('version: missing, another number, not a number', () => {
    assert.deepEqual(pathsOf('{ "projects": [] }'), [['version', 'missing']]);
    // Another version may be another shape: its other errors are not listed.
    assert.deepEqual(pathsOf('{ "version": 2, "projects": 5, "other": true }'), [['version', 'unsupportedVersion']]);
    assert.deepEqual(pathsOf('{ "version": "1", "projects": [] }'), [['version', 'wrongType']]);
  });

  test('shape errors name the JSON path', () => {
    const text = JSON.stringify({
      version: 1,
      $schema: 5,
      extra: 1,
      'odd key': 2,
      projects: [
        { vbotId: VB, projectCode: 'SALES', types: {} },
        'SALES',
        {
          vbotId: 7,
          deleteUnlisted: 'yes',
          typos: [],
          types: [
            { typeNo: 'A', typeName: 'A', previousCodes: 'OLD' },
            { typeNo: 'B', typeName: null, previousCodes: ['X', 3] },
            { typeNo: 'C', name: 'C' },
            [],
          ],
        },
      ],
    });
    assert.deepEqual(pathsOf(text), [
      ['$schema', 'wrongType'],
      ['extra', 'unknownProperty'],
      ['["odd key"]', 'unknownProperty'],
      ['projects[0].types', 'wrongType'],
      ['projects[1]', 'wrongType'],
      ['projects[2].typos', 'unknownProperty'],
      ['projects[2].vbotId', 'wrongType'],
      ['projects[2].projectCode', 'missing'],
      ['projects[2].deleteUnlisted', 'wrongType'],
      ['projects[2].types[0].previousCodes', 'wrongType'],
      ['projects[2].types[1].typeName', 'wrongType'],
      ['projects[2].types[1].previousCodes[1]', 'wrongType'],
      ['projects[2].types[2].name', 'unknownProperty'],
      ['projects[2].types[2].typeName', 'missing'],
      ['projects[2].types[3]', 'wrongType'],
    ]);
    assert.deepEqual(pathsOf('{ "version": 1 }'), [['projects', 'missing']]);
    assert.deepEqual(pathsOf('{ "version": 1, "projects": [{ "vbotId": "v", "projectCode": "p" }] }'), [['projects[0].types', 'missing']]);
  });

  test('values follow validation.ts: empty, too long, control characters', () => {
    const errors = errorsOf(
      parseDesiredState(
        JSON.stringify({
          version: 1,
          projects: [
            {
              vbotId: '   ',
              projectCode: 'P'.repeat(LIMITS.projectCode + 1),
              types: [
                t('A\u0000', 'ok'),
                t('B', 'n'.repeat(LIMITS.typeName + 1)),
                t('C', 'Tên\u200Bẩn', ['OK', '', 'X'.repeat(LIMITS.typeNo + 1)]),
                t('😀'.repeat(LIMITS.typeNo), 'astral characters count once'),
              ],
            },
          ],
        }),
      ),
    );
    assert.deepEqual(
      errors.map((error) => [error.path, error.code, error.max]),
      [
        ['projects[0].vbotId', 'empty', undefined],
        ['projects[0].projectCode', 'tooLong', LIMITS.projectCode],
        ['projects[0].types[0].typeNo', 'controlChar', undefined],
        ['projects[0].types[1].typeName', 'tooLong', LIMITS.typeName],
        ['projects[0].types[2].typeName', 'controlChar', undefined],
        ['projects[0].types[2].previousCodes[1]', 'empty', undefined],
        ['projects[0].types[2].previousCodes[2]', 'tooLong', LIMITS.typeNo],
      ],
    );
    assert.equal(errors[3].message, 'typeName is longer than 255 characters');
  });

  test('duplicates are refused, naming where the first one is', () => {
    const text = JSON.stringify({
      version: 1,
      projects: [
        {
          vbotId: VB,
          projectCode: 'SALES',
          types: [t('A', 'a', ['OLD']), t('A', 'again'), t('B', 'b', ['B']), t('C', 'c', ['OLD', 'X', 'X'])],
        },
        { vbotId: ` ${VB}`, projectCode: 'SALES ', types: [] },
        { vbotId: VB, projectCode: 'OTHER', types: [t('A', 'a', ['OLD'])] }, // other project: no clash
      ],
    });
    const errors = errorsOf(parseDesiredState(text));
    assert.deepEqual(
      errors.map((error) => [error.path, error.code]),
      [
        ['projects[0].types[1].typeNo', 'duplicateTypeNo'],
        ['projects[0].types[2].previousCodes[0]', 'previousCodeIsOwnCode'],
        ['projects[0].types[3].previousCodes[0]', 'duplicatePreviousCode'],
        ['projects[0].types[3].previousCodes[2]', 'duplicatePreviousCode'],
        ['projects[1]', 'duplicateProject'],
      ],
    );
    assert.match(errors[0].message, /already listed at projects\[0\]\.types\[0\]/);
    assert.match(errors[2].message, /already a previous code at projects\[0\]\.types\[0\]\.previousCodes\[0\]/);
    assert.match(errors[4].message, /already listed at projects\[0\]/);
  });

  test('previous codes that go round in a loop (a swap) are refused, once per loop', () => {
    const two = errorsOf(parseDesiredState(fileOf([t('K', 'k', ['OLD']), t('A', 'Beta', ['B']), t('B', 'Alpha', ['A'])])));
    assert.deepEqual(
      two.map((error) => [error.path, error.code]),
      [['projects[0].types[1].previousCodes[0]', 'previousCodeLoop']],
    );
    assert.match(two[0].message, /loop, A → B → A \(a swap\)\..*temporary code/);
    const three = errorsOf(parseDesiredState(fileOf([t('B', 'a', ['X', 'A']), t('C', 'b', ['B']), t('A', 'c', ['C'])])));
    assert.deepEqual(
      three.map((error) => [error.path, error.code]),
      [['projects[0].types[0].previousCodes[1]', 'previousCodeLoop']],
    );
    assert.match(three[0].message, /B → C → A → B/);
    // A chain is not a loop.
    stateOf(fileOf([t('B', 'a', ['A']), t('C', 'b', ['B']), t('D', 'c', ['C'])]));
  });

  test('stops after 100 errors', () => {
    const types = Array.from({ length: 300 }, () => t('', ''));
    assert.equal(errorsOf(parseDesiredState(fileOf(types))).length, DESIRED_STATE_LIMITS.maxErrors);
  });
});

// ---------------------------------------------------------------------------------------------

describe('computePlan: each kind of difference', () => {
  test('create, rename, unchanged; unlisted types are left alone by default', () => {
    const plan = planOf(sales(['VIP', 'Old VIP'], ['LE', 'Khách lẻ'], ['GONE', 'Not in the file']), [
      t('VIP', 'Khách hàng VIP'),
      t('LE', 'Khách lẻ'),
      t('NEW', 'Mới'),
    ]);
    assert.deepEqual(short(plan), ['create ∅ → NEW "Mới"', 'rename VIP "Old VIP" → VIP "Khách hàng VIP"']);
    assert.deepEqual([plan.unchanged, plan.unlisted, plan.problems], [1, 1, []]);
  });

  test('deleteUnlisted deletes what the file does not list', () => {
    const snapshot = sales(['VIP', 'VIP'], ['B', 'Bee'], ['A', 'Ay']);
    const plan = planOf(snapshot, [t('VIP', 'VIP')], { deleteUnlisted: true });
    assert.deepEqual(short(plan), ['delete A "Ay" → ∅', 'delete B "Bee" → ∅']);
    assert.deepEqual([plan.unchanged, plan.unlisted], [1, 0]);
    assert.deepEqual(short(planOf(snapshot, [], { deleteUnlisted: true })), [
      'delete A "Ay" → ∅',
      'delete B "Bee" → ∅',
      'delete VIP "VIP" → ∅',
    ]);
    assert.deepEqual(short(planOf(snapshot, [], { deleteUnlisted: false })), []);
  });

  test('a project the cache does not know: everything is created', () => {
    const plan = computePlan(
      sales(['X', 'x']),
      stateOf(
        JSON.stringify({
          version: 1,
          projects: [{ vbotId: VB, projectCode: 'NEW', deleteUnlisted: true, types: [t('B', 'b', ['X']), t('A', 'a')] }],
        }),
      ),
    );
    assert.deepEqual(short(plan), ['create ∅ → A "a"', 'create ∅ → B "b"']);
    assert.equal(plan.items[0].projectCode, 'NEW');
  });

  test('projects not in the file are untouched; projects are sorted; kinds are ordered', () => {
    const snapshot = snapshotOf([
      {
        vbotId: 'B-ACC',
        projectCode: 'P',
        types: [
          ['OLD', 'o'],
          ['K', 'k'],
          ['DEL', 'd'],
        ],
      },
      { vbotId: 'A-ACC', projectCode: 'Z', types: [['R', 'r']] },
      { vbotId: 'A-ACC', projectCode: 'UNTOUCHED', types: [['U', 'u']] },
    ]);
    const state = stateOf(
      JSON.stringify({
        version: 1,
        projects: [
          { vbotId: 'B-ACC', projectCode: 'P', deleteUnlisted: true, types: [t('K', 'k2'), t('NEW', 'n'), t('CUR', 'o', ['OLD'])] },
          { vbotId: 'A-ACC', projectCode: 'Z', types: [t('R', 'r2'), t('A', 'a')] },
        ],
      }),
    );
    const plan = computePlan(snapshot, state);
    assert.deepEqual(
      plan.items.map((item) => `${item.vbotId}/${item.projectCode} ${line(item)}`),
      [
        'A-ACC/Z create ∅ → A "a"',
        'A-ACC/Z rename R "r" → R "r2"',
        'B-ACC/P changeCode OLD "o" → CUR "o"',
        'B-ACC/P delete DEL "d" → ∅',
        'B-ACC/P create ∅ → NEW "n"',
        'B-ACC/P rename K "k" → K "k2"',
      ],
    );
  });

  test('ids are stable, unique, and do not collide across odd project names', () => {
    const snapshot = snapshotOf([
      { vbotId: 'a/b', projectCode: 'c', types: [] },
      { vbotId: 'a', projectCode: 'b/c', types: [] },
    ]);
    const state = stateOf(
      JSON.stringify({
        version: 1,
        projects: [
          { vbotId: 'a/b', projectCode: 'c', types: [t('X>Y', 'n')] },
          { vbotId: 'a', projectCode: 'b/c', types: [t('X>Y', 'n')] },
        ],
      }),
    );
    const plan = computePlan(snapshot, state);
    assert.deepEqual(
      plan.items.map((item) => item.id),
      ['create:a/b%2Fc/X%3EY', 'create:a%2Fb/c/X%3EY'],
    );
    assert.deepEqual(computePlan(snapshot, state), plan);
    assert.deepEqual(
      planOf(sales(['V', 'v']), [t('VIP', 'x', ['V'])]).items.map((item) => item.id),
      ['changeCode:VB-DEMO-0001/SALES/V>VIP', 'rename:VB-DEMO-0001/SALES/VIP'],
    );
  });
});

describe('computePlan: previousCodes', () => {
  test('a code change instead of delete + create; the name change follows on the new code', () => {
    const plan = planOf(sales(['KH_VIP', 'VIP cũ']), [t('VIP', 'Khách hàng VIP', ['KH_VIP'])], { deleteUnlisted: true });
    assert.deepEqual(short(plan), ['changeCode KH_VIP "VIP cũ" → VIP "VIP cũ"', 'rename VIP "VIP cũ" → VIP "Khách hàng VIP"']);
    const [change, rename] = plan.items;
    assert.equal(change.dependsOn, undefined);
    assert.equal(rename.dependsOn, change.id);
    assert.deepEqual(countPlan(plan), { create: 0, rename: 1, changeCode: 1, delete: 0, unchanged: 0, unlisted: 0, problems: 0 });
  });

  test('the same name: only the code change', () => {
    assert.deepEqual(short(planOf(sales(['OLD', 'Same']), [t('NEW', 'Same', ['OLD'])])), ['changeCode OLD "Same" → NEW "Same"']);
  });

  test('no previous code in the cache: a create', () => {
    assert.deepEqual(short(planOf(sales(), [t('NEW', 'n', ['OLD', 'OLDER'])])), ['create ∅ → NEW "n"']);
  });

  test('the first previous code found in the cache is used; the other is reported and kept', () => {
    const plan = planOf(sales(['P1', 'one'], ['P2', 'two']), [t('NEW', 'one', ['P0', 'P2', 'P1'])], { deleteUnlisted: true });
    assert.deepEqual(short(plan), ['changeCode P2 "two" → NEW "two"', 'rename NEW "two" → NEW "one"']);
    assert.equal(plan.problems.length, 1);
    assert.match(
      plan.problems[0],
      /^VB-DEMO-0001\/SALES: "P1" is also a previous code of "NEW"; only "P2" changes code, "P1" is left as it is \(and not deleted\)\.$/,
    );
  });

  test('both the code and a previous code exist: nothing moves, the old one is kept even with deleteUnlisted', () => {
    const plan = planOf(sales(['VIP', 'v'], ['OLD', 'o']), [t('VIP', 'v', ['OLD'])], { deleteUnlisted: true });
    assert.deepEqual(short(plan), []);
    assert.equal(plan.unchanged, 1);
    assert.deepEqual(plan.problems, [
      'VB-DEMO-0001/SALES: "OLD" is a previous code of "VIP", but both codes exist, so "OLD" is left as it is (and not deleted).',
    ]);
  });

  test('a chain: VIP → GOLD goes before SILVER → VIP, and depends on it', () => {
    const snapshot = sales(['VIP', 'Gold customers'], ['SILVER', 'Silver']);
    // The file lists the chain in the "wrong" order on purpose.
    const plan = planOf(snapshot, [t('VIP', 'Khách hàng VIP', ['SILVER']), t('GOLD', 'Gold customers', ['VIP'])], { deleteUnlisted: true });
    assert.deepEqual(short(plan), [
      'changeCode VIP "Gold customers" → GOLD "Gold customers"',
      'changeCode SILVER "Silver" → VIP "Silver"',
      'rename VIP "Silver" → VIP "Khách hàng VIP"',
    ]);
    const [first, second, rename] = plan.items;
    assert.equal(first.dependsOn, undefined);
    assert.equal(second.dependsOn, first.id);
    assert.equal(rename.dependsOn, second.id);
    assert.deepEqual(plan.problems, []);
  });

  test('a chain that ends in a create: the create waits for the code to be freed', () => {
    const plan = planOf(sales(['VIP', 'Gold']), [t('GOLD', 'Gold', ['VIP']), t('VIP', 'New VIP')]);
    assert.deepEqual(short(plan), ['changeCode VIP "Gold" → GOLD "Gold"', 'create ∅ → VIP "New VIP"']);
    assert.equal(plan.items[1].dependsOn, plan.items[0].id);
  });

  test('a long chain is ordered from its free end, whatever the file order', () => {
    // E ← D ← C ← B ← A: E is free, so D → E first, then C → D, B → C, A → B.
    const snapshot = sales(['A', 'a'], ['B', 'b'], ['C', 'c'], ['D', 'd']);
    const types = [t('B', 'a', ['A']), t('D', 'c', ['C']), t('E', 'd', ['D']), t('C', 'b', ['B'])];
    const plan = planOf(snapshot, types, { deleteUnlisted: true });
    assert.deepEqual(short(plan), [
      'changeCode D "d" → E "d"',
      'changeCode C "c" → D "c"',
      'changeCode B "b" → C "b"',
      'changeCode A "a" → B "a"',
    ]);
    const model = modelOf(snapshot);
    apply(model, plan.items);
    assert.deepEqual([...model.get(projectKey(VB, 'SALES'))!].sort(), [
      ['B', 'a'],
      ['C', 'b'],
      ['D', 'c'],
      ['E', 'd'],
    ]);
    assert.deepEqual(computePlan(snapshotOfModel(model), stateOf(fileOf(types, { deleteUnlisted: true }))).items, []);
  });

  /** A state as the reader would build it, but without its checks (which refuse loops). */
  const handBuilt = (types: FileType[]): DesiredState => ({
    version: 1,
    projects: [
      {
        vbotId: VB,
        projectCode: 'SALES',
        deleteUnlisted: true,
        types: types.map((type) => ({
          typeNo: type.typeNo as string,
          typeName: type.typeName as string,
          previousCodes: (type.previousCodes as string[] | undefined) ?? [],
        })),
      },
    ],
  });

  test('a cycle (a swap) in a state built by hand: refused with a problem, the rest of the plan goes on', () => {
    const snapshot = sales(['A', 'Alpha'], ['B', 'Beta'], ['K', 'k'], ['OLD', 'o']);
    const plan = computePlan(snapshot, handBuilt([t('A', 'Beta', ['B']), t('B', 'Alpha', ['A']), t('K', 'k2'), t('NEW', 'o', ['OLD'])]));
    assert.deepEqual(short(plan), ['changeCode OLD "o" → NEW "o"', 'rename K "k" → K "k2"']);
    assert.equal(plan.problems.length, 1);
    assert.match(plan.problems[0], /^VB-DEMO-0001\/SALES: the codes A → B → A name each other as previous codes \(a swap\)\./);
    assert.match(plan.problems[0], /temporary code/);
    assert.equal(plan.unchanged, 0);
  });

  test('a three-way cycle in a state built by hand is one problem', () => {
    const snapshot = sales(['A', 'a'], ['B', 'b'], ['C', 'c']);
    const plan = computePlan(snapshot, handBuilt([t('B', 'a', ['A']), t('C', 'b', ['B']), t('A', 'c', ['C'])]));
    assert.deepEqual(short(plan), []);
    assert.equal(plan.problems.length, 1);
    assert.match(plan.problems[0], /the codes A → B → C → A name each other/);
  });

  test('a chain already applied: both codes exist and are listed, no problem', () => {
    const plan = planOf(sales(['GOLD', 'Gold'], ['VIP', 'Vip']), [t('GOLD', 'Gold', ['VIP']), t('VIP', 'Vip', ['SILVER'])], {
      deleteUnlisted: true,
    });
    assert.deepEqual([plan.items, plan.problems, plan.unchanged], [[], [], 2]);
  });

  test('after a code change was applied, the same file plans nothing (the old code is gone)', () => {
    const types = [t('VIP', 'Khách hàng VIP', ['KH_VIP'])];
    const plan = planOf(sales(['VIP', 'Khách hàng VIP']), types, { deleteUnlisted: true });
    assert.deepEqual([plan.items, plan.problems, plan.unchanged], [[], [], 1]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: random caches and files. Codes come from a small alphabet so that chains, cycles,
// stale previous codes and collisions are common.

const CODES = ['A', 'B', 'C', 'D', 'E', 'F'];
const NAMES = ['n1', 'n2', 'n3'];

const cachedProjectArb = fc.record({
  projectCode: fc.constantFrom('P', 'Q'),
  types: fc.uniqueArray(fc.tuple(fc.constantFrom(...CODES), fc.constantFrom(...NAMES)), { selector: ([code]) => code, maxLength: 6 }),
});

const desiredProjectArb = fc
  .record({
    projectCode: fc.constantFrom('P', 'Q', 'R'),
    deleteUnlisted: fc.boolean(),
    types: fc.uniqueArray(fc.tuple(fc.constantFrom(...CODES), fc.constantFrom(...NAMES)), { selector: ([code]) => code, maxLength: 6 }),
    // For each code: which listed type (by index) claims it as a previous code, if any.
    claims: fc.array(fc.option(fc.nat(5), { nil: undefined }), { minLength: CODES.length, maxLength: CODES.length }),
  })
  .map(({ projectCode, deleteUnlisted, types, claims }) => {
    const previous = types.map(() => [] as string[]);
    const indexOf = new Map(types.map(([typeNo], index) => [typeNo, index]));
    const claimerOf = new Map<number, number>(); // type index → index of the type listing its code
    CODES.forEach((code, index) => {
      const claimer = claims[index];
      if (claimer === undefined || types.length === 0) return;
      const owner = claimer % types.length;
      if (types[owner][0] === code) return;
      const coded = indexOf.get(code);
      if (coded !== undefined) {
        // Skip a claim that would close a loop (the reader refuses those; tested above).
        let walk: number | undefined = owner;
        while (walk !== undefined && walk !== coded) walk = claimerOf.get(walk);
        if (walk === coded) return;
        claimerOf.set(coded, owner);
      }
      previous[owner].push(code);
    });
    return {
      vbotId: VB,
      projectCode,
      deleteUnlisted,
      types: types.map(([typeNo, typeName], index) => ({ typeNo, typeName, previousCodes: previous[index] })),
    };
  });

const scenarioArb = fc.record({
  cache: fc.uniqueArray(cachedProjectArb, { selector: (project) => project.projectCode }),
  file: fc.uniqueArray(desiredProjectArb, { selector: (project) => project.projectCode }),
});

describe('computePlan: properties', () => {
  test('every plan can be carried out in order, reaches the file when there are no problems, and converges', () => {
    fc.assert(
      fc.property(scenarioArb, ({ cache, file }) => {
        const snapshot = snapshotOf(cache);
        const parsed = parseDesiredState(JSON.stringify({ version: 1, projects: file }));
        if (!parsed.ok) {
          assert.deepEqual(new Set(parsed.errors.map((error) => error.code)), new Set(['previousCodeLoop']));
          fc.pre(false);
          return;
        }
        const state = parsed.state;
        const plan = computePlan(snapshot, state);

        const ids = plan.items.map((item) => item.id);
        assert.equal(new Set(ids).size, ids.length, 'ids are unique');
        const model = modelOf(snapshot);
        apply(model, plan.items); // every call's precondition holds, dependencies come first

        for (const project of state.projects) {
          const before = snapshot.project(project.vbotId, project.projectCode)?.types ?? [];
          const after = model.get(projectKey(project.vbotId, project.projectCode)) ?? new Map<string, string>();
          if (plan.problems.some((problem) => problem.startsWith(`${project.vbotId}/${project.projectCode}:`))) continue;
          for (const type of project.types) assert.equal(after.get(type.typeNo), type.typeName, `${type.typeNo} as in the file`);
          const listed = new Set(project.types.map((type) => type.typeNo));
          const extra = [...after.keys()].filter((code) => !listed.has(code));
          if (project.deleteUnlisted) assert.deepEqual(extra, [], 'unlisted types deleted');
          // Without deleteUnlisted nothing that was there and unlisted disappears.
          if (!project.deleteUnlisted) {
            for (const type of before) {
              const claimed = project.types.some((desired) => desired.previousCodes.includes(type.typeNo));
              if (!listed.has(type.typeNo) && !claimed) assert.equal(after.get(type.typeNo), type.typeName);
            }
          }
        }

        // Untouched projects stay as they were.
        for (const project of snapshot.projects()) {
          if (state.projects.some((p) => p.vbotId === project.vbotId && p.projectCode === project.projectCode)) continue;
          assert.deepEqual(
            [...model.get(projectKey(project.vbotId, project.projectCode))!],
            project.types.map((type) => [type.typeNo, type.typeName]),
          );
        }

        // Planning the same file after applying it: nothing left to do, the same problems.
        const again = computePlan(snapshotOfModel(model), state);
        assert.deepEqual(again.items, [], 'converges');
        assert.equal(again.problems.length <= plan.problems.length, true);
      }),
      { numRuns: 1500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Starting a file from the cache

const validValue = (validate: (value: unknown) => { ok: boolean }, maxLength: number) =>
  fc
    .string({
      unit: fc.constantFrom('a', 'Z', '0', ' ', '-', '_', '/', '>', '"', '\\', '`', '*', 'ệ', 'Đ', '😀', '中'),
      minLength: 1,
      maxLength,
    })
    .map((value) => value.trim())
    .filter((value) => validate(value).ok);

const randomSnapshotArb = fc
  .uniqueArray(
    fc.record({
      vbotId: validValue(validateVbotId, 8),
      projectCode: validValue(validateProjectCode, 8),
      types: fc.uniqueArray(fc.tuple(validValue(validateTypeNo, 6), validValue(validateTypeName, 12)), {
        selector: ([code]) => code,
        maxLength: 8,
      }),
    }),
    { selector: (project) => JSON.stringify([project.vbotId, project.projectCode]), maxLength: 4 },
  )
  .map((projects) => snapshotOf(projects));

describe('desiredStateFromSnapshot', () => {
  test('writes one type per line, no $schema, a trailing newline', () => {
    const snapshot = snapshotOf([
      {
        projectCode: 'SALES',
        types: [
          ['VIP', 'Khách hàng "VIP"'],
          ['LE', 'Khách lẻ'],
        ],
      },
      { projectCode: 'EMPTY', types: [] },
    ]);
    assert.equal(
      desiredStateFromSnapshot(snapshot),
      [
        '{',
        '  "version": 1,',
        '  "projects": [',
        '    {',
        '      "vbotId": "VB-DEMO-0001",',
        '      "projectCode": "EMPTY",',
        '      "types": []',
        '    },',
        '    {',
        '      "vbotId": "VB-DEMO-0001",',
        '      "projectCode": "SALES",',
        '      "types": [',
        '        { "typeNo": "LE", "typeName": "Khách lẻ" },',
        '        { "typeNo": "VIP", "typeName": "Khách hàng \\"VIP\\"" }',
        '      ]',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    assert.equal(desiredStateFromSnapshot(CacheSnapshot.empty), '{\n  "version": 1,\n  "projects": []\n}\n');
  });

  test('filters by account and project', () => {
    const snapshot = snapshotOf([
      { vbotId: 'V1', projectCode: 'P', types: [['A', 'a']] },
      { vbotId: 'V1', projectCode: 'Q', types: [] },
      { vbotId: 'V2', projectCode: 'P', types: [] },
    ]);
    const keys = (text: string) => stateOf(text).projects.map((project) => `${project.vbotId}/${project.projectCode}`);
    assert.deepEqual(keys(desiredStateFromSnapshot(snapshot, { vbotId: 'V1' })), ['V1/P', 'V1/Q']);
    assert.deepEqual(keys(desiredStateFromSnapshot(snapshot, { projectCode: 'P' })), ['V1/P', 'V2/P']);
    assert.deepEqual(keys(desiredStateFromSnapshot(snapshot, { vbotId: 'V1', projectCode: 'Q' })), ['V1/Q']);
    assert.deepEqual(keys(desiredStateFromSnapshot(snapshot, { vbotId: 'nope' })), []);
  });

  test('round trip: export → parse → plan against the same cache has no items', () => {
    fc.assert(
      fc.property(randomSnapshotArb, (snapshot) => {
        const text = desiredStateFromSnapshot(snapshot);
        JSON.parse(text);
        const plan = computePlan(snapshot, stateOf(text));
        assert.deepEqual(plan.items, []);
        assert.deepEqual(plan.problems, []);
        assert.equal(plan.unchanged, snapshot.typeCount());
        assert.equal(plan.unlisted, 0);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// What the plan holds: items as TypeChanges, counts, problems

describe('plan items and counts', () => {
  const snapshot = sales(['KH_VIP', 'VIP cũ'], ['LE', 'Khách lẻ'], ['LE_OLD', 'Lẻ cũ'], ['OLD', 'Cũ'], ['SAME', 's'], ['KEEP', 'k']);
  const plan = planOf(
    snapshot,
    [
      t('VIP', 'Khách hàng VIP', ['KH_VIP']),
      t('LE', 'Khách lẻ *mới*', ['LE_OLD']),
      t('NEW', 'Mới'),
      t('SAME', 's'),
      t('with space', 'x "q"'),
    ],
    { deleteUnlisted: true },
  );

  test('every kind in one project: items in order, counts, the problem left out', () => {
    assert.deepEqual(short(plan), [
      'changeCode KH_VIP "VIP cũ" → VIP "VIP cũ"',
      'delete KEEP "k" → ∅',
      'delete OLD "Cũ" → ∅',
      'create ∅ → NEW "Mới"',
      'create ∅ → with space "x \\"q\\""',
      'rename LE "Khách lẻ" → LE "Khách lẻ *mới*"',
      'rename VIP "VIP cũ" → VIP "Khách hàng VIP"',
    ]);
    assert.deepEqual(countPlan(plan), { create: 2, rename: 2, changeCode: 1, delete: 2, unchanged: 1, unlisted: 0, problems: 1 });
    assert.deepEqual(plan.problems, [
      'VB-DEMO-0001/SALES: "LE_OLD" is a previous code of "LE", but both codes exist, so "LE_OLD" is left as it is (and not deleted).',
    ]);
  });

  test('an item is a TypeChange with an id and its dependency, nothing else', () => {
    const where = { vbotId: VB, projectCode: 'SALES' };
    assert.deepEqual(plan.items[0], {
      id: 'changeCode:VB-DEMO-0001/SALES/KH_VIP>VIP',
      op: 'changeCode',
      ...where,
      before: { typeNo: 'KH_VIP', typeName: 'VIP cũ' },
      after: { typeNo: 'VIP', typeName: 'VIP cũ' },
    });
    assert.deepEqual(plan.items[1], {
      id: 'delete:VB-DEMO-0001/SALES/KEEP',
      op: 'delete',
      ...where,
      before: { typeNo: 'KEEP', typeName: 'k' },
    });
    assert.deepEqual(plan.items[4], {
      id: 'create:VB-DEMO-0001/SALES/with%20space',
      op: 'create',
      ...where,
      after: { typeNo: 'with space', typeName: 'x "q"' },
    });
    assert.deepEqual(plan.items[6], {
      id: 'rename:VB-DEMO-0001/SALES/VIP',
      dependsOn: plan.items[0].id,
      op: 'rename',
      ...where,
      before: { typeNo: 'VIP', typeName: 'VIP cũ' },
      after: { typeNo: 'VIP', typeName: 'Khách hàng VIP' },
    });
  });

  test('counts: nothing to change; two code changes', () => {
    assert.deepEqual(countPlan({ items: [], unchanged: 10, unlisted: 0, problems: [] }), {
      create: 0,
      rename: 0,
      changeCode: 0,
      delete: 0,
      unchanged: 10,
      unlisted: 0,
      problems: 0,
    });
    const three = planOf(sales(['A', 'a'], ['B', 'b'], ['C', 'c']), [t('A2', 'a', ['A']), t('B2', 'b', ['B']), t('C', 'c')]);
    assert.deepEqual(countPlan(three), { create: 0, rename: 0, changeCode: 2, delete: 0, unchanged: 1, unlisted: 0, problems: 0 });
  });

  test('unlisted types are counted, not planned', () => {
    const unlisted = planOf(sales(['A', 'a'], ['B', 'b']), [t('A', 'a')]);
    assert.deepEqual([unlisted.items, unlisted.problems], [[], []]);
    assert.deepEqual(countPlan(unlisted), { create: 0, rename: 0, changeCode: 0, delete: 0, unchanged: 1, unlisted: 1, problems: 0 });
  });

  test('a chain with a create and a rename: each item depends on the one that frees its code', () => {
    const chain = planOf(sales(['VIP', 'Gold'], ['SILVER', 'Silver'], ['X', 'x']), [
      t('GOLD', 'Gold', ['VIP']),
      t('VIP', 'VIP mới', ['SILVER']),
      t('N', 'n'),
    ]);
    assert.deepEqual(short(chain), [
      'changeCode VIP "Gold" → GOLD "Gold"',
      'changeCode SILVER "Silver" → VIP "Silver"',
      'create ∅ → N "n"',
      'rename VIP "Silver" → VIP "VIP mới"',
    ]);
    const [first, second, create, rename] = chain.items;
    assert.deepEqual([first.dependsOn, second.dependsOn, create.dependsOn, rename.dependsOn], [undefined, first.id, undefined, second.id]);
    assert.equal(chain.unlisted, 1);
  });
});

// ---------------------------------------------------------------------------------------------
// The JSON schema (media/vbot-types.schema.json) and the reader agree

const schemaPath = path.join(__dirname, '../../media/vbot-types.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

/** ajv comes with the dev tools (not a dependency of ours); without it the checks are structural only. */
async function loadValidator(): Promise<Validate | undefined> {
  const name = 'ajv';
  try {
    const module = await import(name);
    const Ajv = module.default?.default ?? module.default;
    const ajv = new Ajv({ allErrors: true, strict: true });
    for (const keyword of ['markdownDescription', 'patternErrorMessage', 'defaultSnippets']) ajv.addKeyword(keyword);
    return ajv.compile(schema);
  } catch {
    return undefined;
  }
}

const badFiles: Array<[string, unknown]> = [
  ['no version', { projects: [] }],
  ['version 2', { version: 2, projects: [] }],
  ['unknown top-level property', { version: 1, projects: [], extra: true }],
  ['project without types', { version: 1, projects: [{ vbotId: 'v', projectCode: 'p' }] }],
  ['unknown project property', { version: 1, projects: [{ vbotId: 'v', projectCode: 'p', types: [], delete: true }] }],
  ['deleteUnlisted not boolean', { version: 1, projects: [{ vbotId: 'v', projectCode: 'p', deleteUnlisted: 'yes', types: [] }] }],
  ['type without name', { version: 1, projects: [{ vbotId: 'v', projectCode: 'p', types: [{ typeNo: 'A' }] }] }],
  ['blank code', { version: 1, projects: [{ vbotId: 'v', projectCode: 'p', types: [{ typeNo: '  ', typeName: 'a' }] }] }],
  ['control character', { version: 1, projects: [{ vbotId: 'v', projectCode: 'p', types: [{ typeNo: 'A\u0007', typeName: 'a' }] }] }],
  ['zero-width space', { version: 1, projects: [{ vbotId: 'v', projectCode: 'p', types: [{ typeNo: 'A', typeName: 'a\u200Bb' }] }] }],
  ['code too long', { version: 1, projects: [{ vbotId: 'v', projectCode: 'p', types: [{ typeNo: 'X'.repeat(51), typeName: 'a' }] }] }],
  ['name too long', { version: 1, projects: [{ vbotId: 'v', projectCode: 'p', types: [{ typeNo: 'A', typeName: 'n'.repeat(256) }] }] }],
  ['vbotId too long', { version: 1, projects: [{ vbotId: 'v'.repeat(101), projectCode: 'p', types: [] }] }],
  [
    'previous code twice',
    { version: 1, projects: [{ vbotId: 'v', projectCode: 'p', types: [{ typeNo: 'A', typeName: 'a', previousCodes: ['X', 'X'] }] }] },
  ],
  [
    'previousCodes not an array',
    { version: 1, projects: [{ vbotId: 'v', projectCode: 'p', types: [{ typeNo: 'A', typeName: 'a', previousCodes: 'X' }] }] },
  ],
];

describe('media/vbot-types.schema.json', () => {
  test('structure: draft-07, closed objects, descriptions everywhere, limits from validation.ts', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const objects = [schema, schema.definitions.project, schema.definitions.type];
    for (const object of objects) {
      assert.equal(object.additionalProperties, false);
      assert.ok(Array.isArray(object.required) && object.required.length > 0);
      for (const [name, property] of Object.entries<Record<string, unknown>>(object.properties)) {
        assert.equal(typeof property.description, 'string', `${name} has a description`);
      }
    }
    assert.deepEqual(schema.required, ['version', 'projects']);
    assert.deepEqual(schema.definitions.project.required, ['vbotId', 'projectCode', 'types']);
    assert.deepEqual(schema.definitions.type.required, ['typeNo', 'typeName']);
    const project = schema.definitions.project.properties;
    const type = schema.definitions.type.properties;
    assert.deepEqual(
      {
        vbotId: project.vbotId.maxLength,
        projectCode: project.projectCode.maxLength,
        typeNo: type.typeNo.maxLength,
        typeName: type.typeName.maxLength,
        previousCode: type.previousCodes.items.maxLength,
      },
      DESIRED_STATE_STRING_LIMITS,
    );
    assert.equal(type.previousCodes.uniqueItems, true);
    assert.equal(project.deleteUnlisted.default, false);
    assert.ok(schema.examples.length > 0);
  });

  test('the examples are files the reader accepts', () => {
    for (const example of schema.examples) stateOf(JSON.stringify(example));
  });

  test('the schema’s string pattern forbids what validation.ts forbids', () => {
    const pattern = new RegExp(schema.definitions.text.pattern, 'u');
    const samples = [
      'VIP',
      'Khách hàng VIP',
      ' a ',
      '😀',
      ' ',
      '',
      'a\u0000',
      'a\u0085',
      'a\u2028b',
      'a\u202Eb',
      'a\u2066',
      'a\u061C',
      'a\uFEFFb',
      'a\u200Db',
      'a\u2063',
      '\u00A0',
    ];
    for (const sample of samples) {
      assert.equal(pattern.test(sample), validateTypeName(sample).ok, JSON.stringify(sample));
    }
  });

  test('a JSON Schema validator accepts the examples, exported files and random valid files, and rejects bad ones', async (context) => {
    const validate = await loadValidator();
    if (!validate) {
      context.skip('ajv is not installed');
      return;
    }
    for (const example of schema.examples) assert.ok(validate(example), JSON.stringify(validate.errors));
    fc.assert(
      fc.property(randomSnapshotArb, (snapshot) => {
        const file = JSON.parse(desiredStateFromSnapshot(snapshot));
        assert.ok(validate(file), JSON.stringify(validate.errors));
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(scenarioArb, ({ file }) => {
        const json = { $schema: './vbot-types.schema.json', version: 1, projects: file };
        assert.ok(validate(json), JSON.stringify(validate.errors));
      }),
      { numRuns: 200 },
    );
    for (const [label, file] of badFiles) {
      assert.equal(validate(file), false, `schema accepts: ${label}`);
      assert.equal(parseDesiredState(JSON.stringify(file)).ok, false, `reader accepts: ${label}`);
    }
  });
});

describe('bounded JSON error locator', () => {
  /** A vbot-types.json of about `bytes` bytes, one type per line, with `bad` in place of line `badLine`'s name. */
  function bigFile(bytes: number, badLine: (lineCount: number) => number, bad: string): { text: string; line: number; column: number } {
    const lines = [
      '{',
      '  "version": 1,',
      '  "projects": [',
      '    {',
      `      "vbotId": "${VB}", "projectCode": "SALES",`,
      '      "types": [',
    ];
    for (let i = 0, size = 0; size < bytes; i++) {
      const line = `        { "typeNo": "T${i}", "typeName": "Khách hàng số ${i}" },`;
      lines.push(line);
      size += line.length + 1;
    }
    lines.push('        { "typeNo": "LAST", "typeName": "x" }', '      ]', '    }', '  ]', '}');
    const line = badLine(lines.length);
    const at = lines[line - 1].indexOf('"Khách');
    lines[line - 1] = lines[line - 1].slice(0, at) + bad + lines[line - 1].slice(at);
    return { text: lines.join('\n'), line, column: at + 1 };
  }

  test('bounded JSON error locator: a 4.8 MB malformed vbot-types.json is located at the right line and column, parsing it once', () => {
    // V8 names no position for "Unexpected token 'x', …": the old locator parsed ever longer prefixes
    // (about 22 parses of up to 4.8 MB, 2 s). One parse, then one linear scan, now.
    const { text, line, column } = bigFile(4.8e6, (count) => count - 20, 'x');
    assert.ok(text.length >= 4.8e6 && Buffer.byteLength(text) < DESIRED_STATE_LIMITS.maxBytes);
    const parse = mock.method(JSON, 'parse');
    let result: DesiredStateParseResult;
    try {
      result = parseDesiredState(text);
    } finally {
      parse.mock.restore();
    }
    const [error] = errorsOf(result);
    assert.equal(error.code, 'badJson');
    assert.deepEqual([error.line, error.column], [line, column]);
    assert.equal(parse.mock.callCount(), 1, 'the file is parsed once, not once per guess');
  });

  test('bounded JSON error locator: the linear scan finds the position JSON.parse reports, and accepts exactly what it accepts (property)', () => {
    const json = fc
      .tuple(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(0, 2))
      .map(([value, indent]) => JSON.stringify(value, null, indent));
    const piece = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      'x',
      't',
      'n',
      '-',
      '0',
      '1',
      '.',
      'e',
      '+',
      ' ',
      '\n',
      '\u0001',
      'tru',
      'nul',
      '"\\u12',
    );
    const mutated = fc.tuple(json, fc.array(fc.tuple(fc.nat(), fc.nat(3), piece), { maxLength: 3 })).map(([text, edits]) => {
      for (const [at, remove, insert] of edits) {
        const i = text.length === 0 ? 0 : at % (text.length + 1);
        text = text.slice(0, i) + insert + text.slice(i + remove);
      }
      return text;
    });
    fc.assert(
      fc.property(fc.oneof(json, mutated), (text) => {
        const offset = jsonSyntaxErrorOffset(text);
        let message = '';
        try {
          JSON.parse(text);
        } catch (error) {
          message = (error as Error).message;
        }
        assert.equal(offset === -1, message === '', `${JSON.stringify(text)}: ${message} / ${offset}`);
        const position = /at position (\d+)/.exec(message);
        if (position) assert.equal(offset, Number(position[1]), `${JSON.stringify(text)}: ${message}`);
        if (/Unexpected end of JSON input/.test(message)) assert.equal(offset, text.length, JSON.stringify(text));
        const token = /^Unexpected token '(.)'/su.exec(message);
        if (token) assert.equal(String.fromCodePoint(text.codePointAt(offset) ?? 0), token[1], `${JSON.stringify(text)}: ${message}`);
      }),
      { numRuns: 3000 },
    );
  });
});
