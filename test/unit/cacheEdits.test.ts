// The cache's edits as pure functions (src/core/cache/edits.ts): what each kind of CacheEdit does to a
// project list, that none of them ever conflicts, that nothing changed means the very same list, and
// that merging runs of upserts gives exactly what applying them one by one gives.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CacheEdit } from '../../src/core/change/typeChange';
import { withEditsApplied, withProjectRemoved } from '../../src/core/cache/edits';
import { makeProject, makeType, type ProjectList } from '../../src/core/cache/model';

const THEN = '2025-01-01T00:00:00.000Z';
const NOW = '2026-01-02T03:04:05.678Z';

/** A project list from "vbotId/projectCode" → { typeNo: typeName }, all types of time THEN. */
function listOf(summary: Record<string, Record<string, string>>): ProjectList {
  return Object.entries(summary)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, types]) => {
      const [vbotId, projectCode] = key.split('/');
      const sorted = Object.entries(types).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return makeProject(
        { vbotId, projectCode },
        sorted.map(([typeNo, typeName]) => makeType(typeNo, typeName, THEN)),
      );
    });
}

function summarize(projects: ProjectList): Record<string, Record<string, string>> {
  return Object.fromEntries(
    projects.map((p) => [`${p.vbotId}/${p.projectCode}`, Object.fromEntries(p.types.map((t) => [t.typeNo, t.typeName]))]),
  );
}

const where = { vbotId: 'v', projectCode: 'p' };
const upsert = (typeNo: string, typeName: string, at = where): CacheEdit => ({ kind: 'upsert', ...at, typeNo, typeName });
const remove = (typeNo: string, at = where): CacheEdit => ({ kind: 'remove', ...at, typeNo });
const changeCode = (oldNo: string, newNo: string, typeName = '', at = where): CacheEdit => ({
  kind: 'changeCode',
  ...at,
  oldNo,
  newNo,
  typeName,
});
const addProject = (at = where): CacheEdit => ({ kind: 'addProject', ...at });
/** Upserts of these (code, name) pairs, given in code order as the edit requires. */
const upsertSorted = (types: Array<[string, string]>, at = where): CacheEdit => ({
  kind: 'upsertSorted',
  vbotId: at.vbotId,
  projectCode: at.projectCode,
  types: types.map(([typeNo, typeName]) => ({ typeNo, typeName })).sort((x, y) => (x.typeNo < y.typeNo ? -1 : x.typeNo > y.typeNo ? 1 : 0)),
});

const apply = (list: ProjectList, ...edits: CacheEdit[]) => withEditsApplied(list, edits, NOW);

describe('withEditsApplied: each kind of edit', () => {
  test('upsert adds a type (and its project), renames one with a new time, and leaves the same name alone', () => {
    const list = listOf({ 'v/p': { a: 'A' } });
    assert.deepEqual(summarize(apply(list, upsert('b', 'B'), upsert('x', 'X', { vbotId: 'w', projectCode: 'q' }))), {
      'v/p': { a: 'A', b: 'B' },
      'w/q': { x: 'X' },
    });
    const renamed = apply(list, upsert('a', 'Ay'));
    assert.deepEqual(renamed[0].types[0], { typeNo: 'a', typeName: 'Ay', updatedAt: NOW });
    assert.equal(apply(list, upsert('a', 'A')), list, 'same name: the very same list');
  });

  test('remove takes a type out; a code or project that is not there is nothing to do', () => {
    const list = listOf({ 'v/p': { a: 'A', b: 'B' } });
    assert.deepEqual(summarize(apply(list, remove('a'))), { 'v/p': { b: 'B' } });
    assert.equal(apply(list, remove('zz')), list);
    assert.equal(apply(list, remove('a', { vbotId: 'v', projectCode: 'nope' })), list);
  });

  test('addProject lists a project with no types; one already listed is nothing to do', () => {
    const list = listOf({ 'v/p': { a: 'A' } });
    assert.deepEqual(summarize(apply(list, addProject({ vbotId: 'a', projectCode: 'b' }))), { 'a/b': {}, 'v/p': { a: 'A' } });
    assert.equal(apply(list, addProject()), list);
  });

  test('changeCode moves a cached type to its new code, with its name and a new time', () => {
    const list = listOf({ 'v/p': { a: 'Ay', m: 'Em' } });
    const next = apply(list, changeCode('a', 'z', 'ignored: the cached name wins'));
    assert.deepEqual(summarize(next), { 'v/p': { m: 'Em', z: 'Ay' } });
    assert.equal(next[0].types[1].updatedAt, NOW);
    assert.equal(next[0].types[0], list[0].types[1], 'the other type is the same object');
  });

  test('changeCode of a code that is not cached: the new code with the given name, or left out when it is not known', () => {
    const list = listOf({ 'v/p': { a: 'A' } });
    assert.equal(apply(list, changeCode('x', 'y')), list, 'no name: nothing to list, nothing changes');
    assert.equal(apply(list, changeCode('x', 'y', '', { vbotId: 'v', projectCode: 'nope' })), list, 'nor is the project added');
    assert.deepEqual(summarize(apply(list, changeCode('x', 'y', 'Why'))), { 'v/p': { a: 'A', y: 'Why' } });
    assert.deepEqual(summarize(apply(list, changeCode('x', 'y', 'Why', { vbotId: 'v', projectCode: 'new' }))), {
      'v/new': { y: 'Why' },
      'v/p': { a: 'A' },
    });
  });

  test('changeCode to a code already cached: the old code goes, the new one takes its name, or stays as it is', () => {
    const list = listOf({ 'v/p': { a: 'A', b: 'B' } });
    assert.deepEqual(summarize(apply(list, changeCode('a', 'b'))), { 'v/p': { b: 'A' } });
    assert.equal(apply(list, changeCode('x', 'b')), list, 'old not cached: the new code is kept as it is');
    assert.equal(apply(list, changeCode('x', 'b', 'Other')), list, 'even when a name is given');
    assert.equal(apply(list, changeCode('a', 'a')), list, 'to the same code: nothing changes');
  });

  test('nothing throws, whatever the list holds', () => {
    const edits = fc.array(
      fc.oneof(
        fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('A', 'B')).map(([no, name]) => upsert(no, name)),
        fc.constantFrom('a', 'b', 'c').map((no) => remove(no)),
        fc
          .tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('a', 'b', 'c'), fc.constantFrom('', 'N'))
          .map(([o, n, name]) => changeCode(o, n, name)),
        fc.constant(addProject()),
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(edits, (batch) => {
        apply(listOf({}), ...batch);
      }),
    );
  });
});

describe('withEditsApplied: batches', () => {
  test('a batch gives what its edits give one by one (runs of upserts are merged per project)', () => {
    const project = fc.constantFrom(
      { vbotId: 'v', projectCode: 'p' },
      { vbotId: 'v', projectCode: 'q' },
      { vbotId: 'w', projectCode: 'p' },
    );
    const code = fc.constantFrom('a', 'b', 'c', 'd', 'B', '10', '9');
    const name = fc.constantFrom('', 'N1', 'N2');
    const edit: fc.Arbitrary<CacheEdit> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(
            project,
            code,
            name.filter((n) => n !== ''),
          )
          .map(([at, no, n]) => upsert(no, n, at)),
      },
      { weight: 2, arbitrary: fc.tuple(project, code).map(([at, no]) => remove(no, at)) },
      { weight: 2, arbitrary: fc.tuple(project, code, code, name).map(([at, o, n, nm]) => changeCode(o, n, nm, at)) },
      { weight: 1, arbitrary: project.map((at) => addProject(at)) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            project,
            fc.uniqueArray(
              fc.tuple(
                code,
                name.filter((n) => n !== ''),
              ),
              { selector: ([no]) => no, maxLength: 5 },
            ),
          )
          .map(([at, types]) => upsertSorted(types, at)),
      },
    );
    // An upsertSorted does what its upserts do, one by one.
    const oneAtATime = (e: CacheEdit): CacheEdit[] =>
      e.kind === 'upsertSorted' ? e.types.map((t) => upsert(t.typeNo, t.typeName, e)) : [e];
    const start = fc.constantFrom(listOf({}), listOf({ 'v/p': { a: 'A', c: 'C' }, 'w/p': { '10': 'Ten' } }));
    fc.assert(
      fc.property(start, fc.array(edit, { maxLength: 30 }), (list, batch) => {
        const oneByOne = batch.flatMap(oneAtATime).reduce((acc, e) => withEditsApplied(acc, [e], NOW), list);
        const together = withEditsApplied(list, batch, NOW);
        assert.deepEqual(together, oneByOne);
        if (oneByOne === list) assert.equal(together, list, 'no change: the very same list');
      }),
      { numRuns: 2000 },
    );
  });

  test('of two upserts of one code in a run, the later wins', () => {
    assert.deepEqual(summarize(apply(listOf({}), upsert('a', 'first'), upsert('b', 'B'), upsert('a', 'second'))), {
      'v/p': { a: 'second', b: 'B' },
    });
  });

  test('the list it is given is never changed, and what it returns is frozen', () => {
    const list = listOf({ 'v/p': { a: 'A' } });
    const copy = JSON.stringify(list);
    const next = apply(list, upsert('b', 'B'), remove('a'), changeCode('b', 'c'), addProject({ vbotId: 'x', projectCode: 'y' }));
    assert.equal(JSON.stringify(list), copy);
    for (const project of next) {
      assert.ok(Object.isFrozen(project) && Object.isFrozen(project.types));
      for (const type of project.types) assert.ok(Object.isFrozen(type));
    }
  });

  test('10,000 upserts into a project of 10,000 types, and 20,000 spread over 10 projects, are each one linear pass', () => {
    const big = listOf({
      'v/p': Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`T${String(i).padStart(5, '0')}`, `Name ${i}`])),
    });
    const upserts = Array.from({ length: 10_000 }, (_, i) => upsert(`T${String(i * 2).padStart(5, '0')}`, `New ${i}`));
    let started = performance.now();
    const next = withEditsApplied(big, upserts, NOW);
    const oneProject = performance.now() - started;
    assert.equal(next[0].types.length, 15_000);

    const spread = Array.from({ length: 20_000 }, (_, i) => upsert(`T${i}`, `Name ${i}`, { vbotId: 'v', projectCode: `P${i % 10}` }));
    started = performance.now();
    const merged = withEditsApplied([], spread, NOW);
    const tenProjects = performance.now() - started;
    assert.equal(merged.length, 10);
    assert.equal(
      merged.reduce((n, p) => n + p.types.length, 0),
      20_000,
    );
    // A splice per row would be ~100× slower; generous bounds for a busy machine.
    assert.ok(oneProject < 500 && tenProjects < 500, `${oneProject.toFixed(0)} ms, ${tenProjects.toFixed(0)} ms`);
  });
});

describe('withProjectRemoved', () => {
  test('forgets a project and its types; a missing project is the same list', () => {
    const list = listOf({ 'v/p': { a: 'A' }, 'v/q': {} });
    assert.deepEqual(summarize(withProjectRemoved(list, where)), { 'v/q': {} });
    assert.equal(withProjectRemoved(list, { vbotId: 'v', projectCode: 'nope' }), list);
  });
});
