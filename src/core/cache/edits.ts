// Changes to the cache, as pure functions from one project list to the next. Each returns the very
// same array when nothing changes, so the caller can skip the write.
//
// Edits never conflict (see CacheEdit in ../change/typeChange.ts): each makes the list agree with what
// the server just said, whatever the list held before.
import type { CacheEdit } from '../change/typeChange';
import {
  type CachedType,
  compareCodeUnits,
  findProjectIndex,
  findTypeIndex,
  makeProject,
  makeType,
  type ProjectKey,
  type ProjectList,
} from './model';

// What a write needs besides the edits, in the same lazy group.
export { readFileAndMode, writeFileAtomically } from '../atomicWrite';
export { cacheBytes, type CacheBytes } from './cacheText';

type Upsert = { typeNo: string; typeName: string };

/**
 * The project list after `edits`, in order; `now` is the time given to the types they change.
 * A run of upserts (and project additions) is merged per project in one pass, so an import of
 * 10,000 rows costs one walk over each project's types rather than a splice per row.
 */
export function withEditsApplied(projects: ProjectList, edits: ReadonlyArray<CacheEdit>, now: string): ProjectList {
  let next = projects;
  let i = 0;
  while (i < edits.length) {
    const edit = edits[i];
    if (edit.kind === 'remove') {
      next = withTypesEdited(next, edit, false, (types) => typesWithRemoval(types, edit.typeNo));
      i++;
    } else if (edit.kind === 'changeCode') {
      // Without a name the new code cannot be listed, so neither is its project.
      next = withTypesEdited(next, edit, edit.typeName !== '', (types) => typesWithCodeChange(types, edit, now));
      i++;
    } else {
      let end = i + 1;
      while (end < edits.length && edits[end].kind !== 'remove' && edits[end].kind !== 'changeCode') end++;
      next = withUpsertsApplied(next, i === 0 && end === edits.length ? edits : edits.slice(i, end), now); // an import's are all one run
      i = end;
    }
  }
  return next;
}

export function withProjectRemoved(projects: ProjectList, key: ProjectKey): ProjectList {
  const index = findProjectIndex(projects, key);
  if (index < 0) return projects;
  const next = projects.slice();
  next.splice(index, 1);
  return next;
}

/**
 * A run of upserts and project additions. They commute across projects (and an addition with an
 * upsert), so grouping them per project, in order within each, gives what applying them one by one does.
 */
function withUpsertsApplied(projects: ProjectList, run: ReadonlyArray<CacheEdit>, now: string): ProjectList {
  const groups = new Map<string, UpsertGroup>();
  // Rows come grouped by project as a rule: the last group is checked before the map.
  let last: UpsertGroup | undefined;
  for (const edit of run) {
    if (edit.kind === 'upsertSorted' && edit.types.length === 0) continue; // upserts nothing, lists no project
    if (!last || last.key.vbotId !== edit.vbotId || last.key.projectCode !== edit.projectCode) {
      const id = `${edit.vbotId}\u0000${edit.projectCode}`; // values hold no control characters
      last = groups.get(id);
      if (!last) groups.set(id, (last = { key: { vbotId: edit.vbotId, projectCode: edit.projectCode }, upserts: [], sorted: undefined }));
    }
    if (edit.kind === 'upsert') {
      upsertsOf(last).push(edit); // read, never kept: no copy per row
    } else if (edit.kind === 'upsertSorted') {
      if (last.sorted === undefined && last.upserts.length === 0) last.sorted = edit.types;
      else for (const upsert of edit.types) upsertsOf(last).push(upsert);
    }
  }
  let next = projects;
  for (const { key, upserts, sorted } of groups.values()) {
    next = withTypesEdited(next, key, true, (types) =>
      sorted !== undefined
        ? mergedInCodeOrder(types, sorted, now, true)! // never undefined: the order is known
        : upserts.length === 0
          ? types
          : typesWithManyUpserts(types, upserts, now),
    );
  }
  return next;
}

/** One project's upserts of a run: one list known to be in code order (an import's), or any in their order. */
type UpsertGroup = { key: ProjectKey; upserts: Upsert[]; sorted: ReadonlyArray<Upsert> | undefined };

/** The group's upserts as a list of any order, the sorted one first if it had one. */
function upsertsOf(group: UpsertGroup): Upsert[] {
  if (group.sorted !== undefined) {
    group.upserts = group.sorted.slice();
    group.sorted = undefined;
  }
  return group.upserts;
}

/** Replaces one project's type list, creating the project if `createProject` is set. */
function withTypesEdited(
  projects: ProjectList,
  key: ProjectKey,
  createProject: boolean,
  edit: (types: ReadonlyArray<CachedType>) => ReadonlyArray<CachedType>,
): ProjectList {
  const index = findProjectIndex(projects, key);
  if (index < 0 && !createProject) return projects;
  const oldTypes = index >= 0 ? projects[index].types : [];
  const newTypes = edit(oldTypes);
  if (index >= 0 && newTypes === oldTypes) return projects;
  const next = projects.slice();
  if (index >= 0) next[index] = makeProject(key, newTypes);
  else next.splice(-(index + 1), 0, makeProject(key, newTypes));
  return next;
}

function typesWithUpsert(types: ReadonlyArray<CachedType>, typeNo: string, typeName: string, now: string): ReadonlyArray<CachedType> {
  const index = findTypeIndex(types, typeNo);
  if (index >= 0 && types[index].typeName === typeName) return types;
  const next = types.slice();
  const type = makeType(typeNo, typeName, now);
  if (index >= 0) next[index] = type;
  else next.splice(-(index + 1), 0, type);
  return next;
}

function typesWithRemoval(types: ReadonlyArray<CachedType>, typeNo: string): ReadonlyArray<CachedType> {
  const index = findTypeIndex(types, typeNo);
  if (index < 0) return types;
  const next = types.slice();
  next.splice(index, 1);
  return next;
}

/**
 * `oldNo` goes; `newNo` takes the cached name of `oldNo`, else keeps what it has, else gets the edit's
 * name when it is known. The list never invents a name, so an unknown one leaves `newNo` out.
 */
function typesWithCodeChange(
  types: ReadonlyArray<CachedType>,
  edit: { oldNo: string; newNo: string; typeName: string },
  now: string,
): ReadonlyArray<CachedType> {
  const { oldNo, newNo, typeName } = edit;
  const oldIndex = findTypeIndex(types, oldNo);
  const cachedName = oldIndex >= 0 ? types[oldIndex].typeName : undefined;
  const rest = cachedName !== undefined && oldNo !== newNo ? typesWithRemoval(types, oldNo) : types;
  if (cachedName !== undefined) return typesWithUpsert(rest, newNo, cachedName, now);
  if (typeName === '' || findTypeIndex(rest, newNo) >= 0) return rest;
  return typesWithUpsert(rest, newNo, typeName, now);
}

/**
 * Many upserts into one project at once: the upserts in code order (a file exported from here already
 * is, so the sort has little to do), merged with the types in one pass instead of n splices.
 * Of two upserts with one code the later wins.
 */
function typesWithManyUpserts(types: ReadonlyArray<CachedType>, upserts: ReadonlyArray<Upsert>, now: string): ReadonlyArray<CachedType> {
  // Array sort is stable: of equal codes, the later upsert stays later. A sorted list always merges.
  return (
    mergedInCodeOrder(types, upserts, now) ??
    mergedInCodeOrder(
      types,
      upserts.slice().sort((x, y) => compareCodeUnits(x.typeNo, y.typeNo)),
      now,
    )!
  );
}

/**
 * The merge of upserts that are in code order; undefined, and nothing changed, as soon as two are not. One
 * comparison of each upsert with the next tells both (it took two: a pass for the order, then one per pair).
 * `known` skips that comparison for upserts known to be in strictly increasing order: an import's codes are
 * compared with each other once, as they are read, and a comparison of two codes sliced from a file's text is
 * a call into V8's runtime (a Vietnamese file is two-byte text), some 30 ns each.
 */
function mergedInCodeOrder(
  types: ReadonlyArray<CachedType>,
  incoming: ReadonlyArray<Upsert>,
  now: string,
  known = false,
): ReadonlyArray<CachedType> | undefined {
  const merged: CachedType[] = [];
  let changed = false;
  let i = 0;
  for (let j = 0; j < incoming.length; j++) {
    const { typeNo, typeName } = incoming[j];
    if (!known && j + 1 < incoming.length && !(typeNo < incoming[j + 1].typeNo)) {
      if (typeNo === incoming[j + 1].typeNo) continue; // a later upsert of the same code
      return undefined; // out of order
    }
    while (i < types.length && types[i].typeNo < typeNo) merged.push(types[i++]);
    const existing = i < types.length && types[i].typeNo === typeNo ? types[i++] : undefined;
    if (existing?.typeName === typeName) {
      merged.push(existing);
    } else {
      merged.push(makeType(typeNo, typeName, now));
      changed = true;
    }
  }
  if (!changed) return types;
  while (i < types.length) merged.push(types[i++]);
  return merged;
}
