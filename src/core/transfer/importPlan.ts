// An import checked against the cache, for the preview, and what carries it out in either of its meanings:
// the cache edits that tell the local list what already exists on VBot (nothing is sent), or the changes
// that create (and rename) the types on VBot through the change runner. Pure: no I/O, no vscode.

import type { ApplyItem } from '../change/applyChanges';
import { type CacheEdit, createChange, renameChange } from '../change/typeChange';
import { findType, type CachedProject, type ProjectKey } from '../cache/model';
import type { CacheSnapshot } from '../cache/snapshot';
import type { ImportRow } from './importRows';

export interface ImportChange {
  readonly vbotId: string;
  readonly projectCode: string;
  readonly typeNo: string;
  readonly oldName: string;
  readonly newName: string;
}

export interface ImportPlan {
  /** Types not in the cache yet. */
  readonly add: ReadonlyArray<ImportRow>;
  /** Types in the cache under another name. */
  readonly change: ReadonlyArray<ImportChange>;
  /** How many rows match the cache exactly. */
  readonly unchanged: number;
  /** Projects the cache does not know yet, in first-seen order. */
  readonly newProjects: ReadonlyArray<ProjectKey>;
  /** Each project's rows in `add` come in strictly increasing code order (as the file's rows did). */
  readonly inCodeOrder: boolean;
}

/**
 * Splits rows into new, renamed and unchanged types, for the preview before writing. `rowsInCodeOrder`: each
 * project's rows come in strictly increasing code order, as the parse found them (ImportParseResult).
 */
export function planImport(snapshot: CacheSnapshot, rows: ReadonlyArray<ImportRow>, rowsInCodeOrder = false): ImportPlan {
  // Every row is new on a first import: `add` is then the rows themselves, and only made apart from them (a
  // copy of the rows so far) at the first row that is not.
  let add: ImportRow[] | undefined;
  const change: ImportChange[] = [];
  const newProjects: ProjectKey[] = [];
  const newProjectIds = new Set<string>();
  let unchanged = 0;

  // Rows come grouped by project as a rule: the last row's project is reused without a lookup.
  let lastKey: ProjectKey | undefined;
  let lastProject: CachedProject | undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const { vbotId, projectCode, typeNo, typeName } = row;
    if (lastKey?.vbotId !== vbotId || lastKey.projectCode !== projectCode) {
      lastKey = row;
      lastProject = snapshot.project(vbotId, projectCode);
      const id = `${vbotId}\u0000${projectCode}`;
      if (!lastProject && !newProjectIds.has(id)) {
        newProjectIds.add(id);
        newProjects.push({ vbotId, projectCode });
      }
    }
    const existing = lastProject && findType(lastProject, typeNo);
    if (!existing) {
      add?.push(row);
      continue;
    }
    add ??= rows.slice(0, i);
    if (existing.typeName === typeName) unchanged++;
    else change.push({ vbotId, projectCode, typeNo, oldName: existing.typeName, newName: typeName });
  }
  return { add: add ?? rows, change, unchanged, newProjects, inCodeOrder: rowsInCodeOrder };
}

/**
 * The cache edits an import makes, to be applied in one write: the projects the cache does not
 * know yet, then one upsert per new type and one per renamed type, each list in row order. Upserts of one code
 * are all in the same list (a row is new or renamed by the cache, not by the rows before it), so
 * the last row for a code wins, as it would in file order.
 */
export function importEdits(plan: ImportPlan): CacheEdit[] {
  const edits: CacheEdit[] = plan.newProjects.map(({ vbotId, projectCode }) => ({ kind: 'addProject', vbotId, projectCode }));
  if (plan.inCodeOrder) pushSortedRuns(edits, plan.add);
  else
    for (const { vbotId, projectCode, typeNo, typeName } of plan.add) edits.push({ kind: 'upsert', vbotId, projectCode, typeNo, typeName });
  for (const { vbotId, projectCode, typeNo, newName } of plan.change)
    edits.push({ kind: 'upsert', vbotId, projectCode, typeNo, typeName: newName });
  return edits;
}

/** One upsertSorted edit per run of rows of one project, holding the rows themselves (all of them, as a rule). */
function pushSortedRuns(edits: CacheEdit[], rows: ReadonlyArray<ImportRow>): void {
  let start = 0;
  for (let end = 1; end <= rows.length; end++) {
    const first = rows[start];
    if (end < rows.length && rows[end].vbotId === first.vbotId && rows[end].projectCode === first.projectCode) continue;
    const types = start === 0 && end === rows.length ? rows : rows.slice(start, end);
    edits.push({ kind: 'upsertSorted', vbotId: first.vbotId, projectCode: first.projectCode, types });
    start = end;
  }
}

/**
 * The changes that make an import true on VBot, for Apply's scheduler: a create per new type, then a rename
 * per renamed one, in row order. None depends on another (a row is new or renamed by the cache alone).
 */
export function importChanges(plan: ImportPlan): ApplyItem[] {
  const items: ApplyItem[] = [];
  for (const row of plan.add) items.push({ ...createChange(row, row), id: `import-${items.length}` });
  for (const c of plan.change) items.push({ ...renameChange(c, c.typeNo, c.oldName, c.newName), id: `import-${items.length}` });
  return items;
}

/**
 * The first project of the import a profile may not change on VBot: one of another VBotID (when the profile
 * has one), or another project than the one a project-bound API key is for. Undefined when it may change all.
 */
export function projectOutside(plan: ImportPlan, profile: { vbotId: string; projectCode?: string }): ProjectKey | undefined {
  const touched = [...plan.add, ...plan.change];
  return touched.find(
    (r) =>
      (profile.vbotId !== '' && r.vbotId !== profile.vbotId) ||
      (profile.projectCode !== undefined && r.projectCode !== profile.projectCode),
  );
}
