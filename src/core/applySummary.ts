// What the Apply confirmation must say before anything is sent: which projects (VBotID + project
// code) change, how many types of each kind, and which codes get deleted. A file with
// `"deleteUnlisted": true` deletes every other cached type of a project, so the deletes are named, not
// just counted. Pure data here; the VS Code layer turns it into localized text.
import { addressedCode, type ChangeOp } from './change/typeChange';
import type { Plan } from './typesAsCode/planner';

/** Delete codes named per project before "and N more". */
export const CONFIRM_MAX_DELETE_CODES = 10;
/** Projects named before "and N more projects". */
export const CONFIRM_MAX_PROJECTS = 10;

export type OperationCounts = Record<ChangeOp, number>;

export interface ProjectApplySummary {
  vbotId: string;
  projectCode: string;
  counts: OperationCounts;
  /** The first codes to delete, in plan order (at most maxDeleteCodes). */
  deleteCodes: string[];
  /** Codes to delete beyond deleteCodes. */
  moreDeletes: number;
}

export interface ApplySummary {
  /** The first projects with changes, in plan order (at most maxProjects). */
  projects: ProjectApplySummary[];
  /** Projects with changes beyond `projects`. */
  moreProjects: number;
  /** Over every project, named or not. */
  totals: OperationCounts;
}

const noCounts = (): OperationCounts => ({ create: 0, rename: 0, changeCode: 0, delete: 0 });

/** The plan's items grouped by project (first-seen order), counted, with the codes to delete. */
export function summarizeForApply(plan: Pick<Plan, 'items'>, limits: { maxDeleteCodes?: number; maxProjects?: number } = {}): ApplySummary {
  const maxCodes = Math.max(0, limits.maxDeleteCodes ?? CONFIRM_MAX_DELETE_CODES);
  const maxProjects = Math.max(0, limits.maxProjects ?? CONFIRM_MAX_PROJECTS);
  const byProject = new Map<string, ProjectApplySummary>();
  const totals = noCounts();
  for (const item of plan.items) {
    const key = JSON.stringify([item.vbotId, item.projectCode]);
    let project = byProject.get(key);
    if (!project) {
      project = { vbotId: item.vbotId, projectCode: item.projectCode, counts: noCounts(), deleteCodes: [], moreDeletes: 0 };
      byProject.set(key, project);
    }
    project.counts[item.op]++;
    totals[item.op]++;
    if (item.op === 'delete') {
      if (project.deleteCodes.length < maxCodes) project.deleteCodes.push(addressedCode(item));
      else project.moreDeletes++;
    }
  }
  const all = [...byProject.values()];
  return { projects: all.slice(0, maxProjects), moreProjects: Math.max(0, all.length - maxProjects), totals };
}

/**
 * A code or identifier as it may appear in a one-line confirmation: bare when plain, JSON-quoted when a
 * space, quote, comma or control character would make it ambiguous or break the line.
 */
export function displayCode(value: string): string {
  if (/^[^\s",\p{C}]+$/u.test(value)) return value;
  // JSON escapes the C0 controls; the rest (bidi overrides, line separators, ...) are escaped here too.
  return JSON.stringify(value).replace(/[\s\p{C}]/gu, (c) =>
    c === ' ' ? c : `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The counts a summary names, in `order`: a count of zero is left out ("0 renamed" reads as if something
 * was), so "2 added, 1 unchanged"; an empty list when every count is zero (the caller says "nothing").
 */
export function countsToSay<K extends string>(counts: Readonly<Record<K, number>>, order: readonly K[]): Array<[K, number]> {
  return order.filter((k) => counts[k] > 0).map((k) => [k, counts[k]]);
}

/**
 * What a plan's document ends with: `upToDate` when there is nothing to do and nothing wrong (no "run Apply"),
 * `blocked` when nothing can be done until the file's problems are fixed, `changes` otherwise.
 */
export function planVerdict(plan: { items: ReadonlyArray<unknown>; problems: ReadonlyArray<unknown> }): 'upToDate' | 'blocked' | 'changes' {
  if (plan.items.length) return 'changes';
  return plan.problems.length ? 'blocked' : 'upToDate';
}
