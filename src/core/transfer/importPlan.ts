// An import checked against the cache, for the preview, and the cache edits that carry it out.
// An import only tells the local list what exists on VBot: nothing is sent. Pure: no I/O, no vscode.

import type { CacheEdit } from '../change/typeChange';
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
}

/** Splits rows into new, renamed and unchanged types, for the preview before writing. */
export function planImport(snapshot: CacheSnapshot, rows: ReadonlyArray<ImportRow>): ImportPlan {
  const add: ImportRow[] = [];
  const change: ImportChange[] = [];
  const newProjects: ProjectKey[] = [];
  const newProjectIds = new Set<string>();
  let unchanged = 0;

  // Rows come grouped by project as a rule: the last row's project is reused without a lookup.
  let lastKey: ProjectKey | undefined;
  let lastProject: CachedProject | undefined;
  for (const row of rows) {
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
    if (!existing) add.push(row);
    else if (existing.typeName === typeName) unchanged++;
    else change.push({ vbotId, projectCode, typeNo, oldName: existing.typeName, newName: typeName });
  }
  return { add, change, unchanged, newProjects };
}

/**
 * The cache edits an import makes, to be applied in one write: the projects the cache does not
 * know yet, then one upsert per new type and one per renamed type, each list in row order. Upserts of one code
 * are all in the same list (a row is new or renamed by the cache, not by the rows before it), so
 * the last row for a code wins, as it would in file order.
 */
export function importEdits(plan: ImportPlan): CacheEdit[] {
  const edits: CacheEdit[] = plan.newProjects.map(({ vbotId, projectCode }) => ({ kind: 'addProject', vbotId, projectCode }));
  for (const { vbotId, projectCode, typeNo, typeName } of plan.add) edits.push({ kind: 'upsert', vbotId, projectCode, typeNo, typeName });
  for (const { vbotId, projectCode, typeNo, newName } of plan.change)
    edits.push({ kind: 'upsert', vbotId, projectCode, typeNo, typeName: newName });
  return edits;
}
