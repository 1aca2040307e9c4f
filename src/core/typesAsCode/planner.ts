// The plan: what it takes to make VBot match `vbot-types.json`, as far as the local cache knows
// what exists. Each item is a TypeChange (change/typeChange.ts) with an id and, when another item
// must succeed first, that item's id. Pure: no I/O, no vscode, nothing is sent while planning.
//
// previousCodes: the codes a type had before. Matching, per project:
//   * a listed type whose typeNo is in the cache is that cached type (a rename if names differ);
//   * a listed type whose typeNo is NOT in the cache takes the first of its previousCodes that is
//     in the cache: one changeCode (updateNo) instead of delete + create, then a rename if the
//     name differs, or a create when none is;
//   * a code that moves away frees it: if it is the typeNo of another listed type, that type now
//     needs a source of its own, the same way (a chain: SILVER → VIP while VIP → GOLD; VIP → GOLD
//     goes first, and SILVER → VIP depends on it). Codes that name each other in a loop (a swap:
//     A was B and B was A) cannot be swapped with updateNo alone (either call would collide); the
//     reader refuses such a file, and computePlan, given such a state built some other way,
//     leaves those types untouched with a problem saying how to do it in two steps. The rules
//     make the plan converge: once it is applied, planning the same file again gives no items.
//   * a cached code listed as a previous code is never deleted, even with deleteUnlisted; if it
//     is not listed as a type and did not move (its type's code exists too), that is a problem.

import {
  addressedCode,
  changeCodeChange,
  codesOf,
  createChange,
  deleteChange,
  renameChange,
  type ChangeOp,
  type TypeChange,
} from '../change/typeChange';
import { compareCodeUnits, compareProjectKeys, type CachedType, type ProjectKey } from '../cache/model';
import type { CacheSnapshot } from '../cache/snapshot';
import type { DesiredProject, DesiredState, DesiredType } from './format';

export interface PlanItem extends TypeChange {
  /** Stable and unique within a plan: `op:vbotId/projectCode/code`, each part URI-encoded. */
  readonly id: string;
  /** Id of an item that must succeed first; if it fails, skip this one. */
  readonly dependsOn?: string;
}

export interface Plan {
  /**
   * In the order to apply them: projects sorted by (vbotId, projectCode); within a project code
   * changes (chains in a workable order), then deletes, creates and renames, each sorted by code.
   */
  readonly items: ReadonlyArray<PlanItem>;
  /** Listed types that already exist with the same code and name. */
  readonly unchanged: number;
  /** Cached types the file does not mention, left alone because deleteUnlisted is off. */
  readonly unlisted: number;
  /**
   * What the file asks for but the plan leaves out, and why (English, prefixed with the project).
   * The items are consistent without them; a careful UI shows them and asks before applying.
   */
  readonly problems: ReadonlyArray<string>;
}

export type PlanCounts = Record<ChangeOp | 'unchanged' | 'unlisted' | 'problems', number>;

export function countPlan(plan: Plan): PlanCounts {
  const counts: PlanCounts = {
    create: 0,
    rename: 0,
    changeCode: 0,
    delete: 0,
    unchanged: plan.unchanged,
    unlisted: plan.unlisted,
    problems: plan.problems.length,
  };
  for (const item of plan.items) counts[item.op]++;
  return counts;
}

/** Compares the file with the cache. Sends nothing. */
export function computePlan(snapshot: CacheSnapshot, state: DesiredState): Plan {
  const items: PlanItem[] = [];
  const problems: string[] = [];
  let unchanged = 0;
  let unlisted = 0;
  const projects = [...state.projects].sort(compareProjectKeys);
  for (const project of projects) {
    const cached = snapshot.project(project.vbotId, project.projectCode)?.types ?? [];
    const result = planProject(cached, project);
    items.push(...result.items);
    problems.push(...result.problems);
    unchanged += result.unchanged;
    unlisted += result.unlisted;
  }
  return { items, unchanged, unlisted, problems };
}

/** `op:vbotId/projectCode/code` (a code change: `…/OLD>NEW`), each part URI-encoded so no two collide. */
function itemId(change: TypeChange): string {
  const enc = encodeURIComponent;
  return `${change.op}:${enc(change.vbotId)}/${enc(change.projectCode)}/${codesOf(change).map(enc).join('>')}`;
}

function planItem(change: TypeChange, dependsOn?: string): PlanItem {
  return { ...change, id: itemId(change), ...(dependsOn !== undefined ? { dependsOn } : {}) };
}

const byCode = (a: TypeChange, b: TypeChange) => compareCodeUnits(addressedCode(a), addressedCode(b));

/** What planning one project gives; its parts are found in the order below. */
interface ProjectPlan {
  readonly items: PlanItem[];
  readonly problems: string[];
  readonly unchanged: number;
  readonly unlisted: number;
}

function planProject(cachedTypes: ReadonlyArray<CachedType>, project: DesiredProject): ProjectPlan {
  const where = `${project.vbotId}/${project.projectCode}`;
  const key: ProjectKey = { vbotId: project.vbotId, projectCode: project.projectCode };
  const cached = new Map(cachedTypes.map((type) => [type.typeNo, type.typeName] as const));
  const listed = new Map<string, DesiredType>();
  for (const type of project.types) if (!listed.has(type.typeNo)) listed.set(type.typeNo, type);
  const claimant = new Map<string, DesiredType>(); // previous code → the type that lists it
  for (const type of listed.values()) {
    for (const code of type.previousCodes) if (code !== type.typeNo && !claimant.has(code)) claimant.set(code, type);
  }

  const changeCodes: PlanItem[] = [];
  const creates: PlanItem[] = [];
  const renames: PlanItem[] = [];
  const deletes: PlanItem[] = [];
  const problems: string[] = [];
  const moved = new Set<string>(); // cached codes that a changeCode moves away
  const handled = new Set<DesiredType>();
  /** For a type that moved: the cached code it came from. */
  const source = new Map<DesiredType, string>();

  // Chains start at listed types whose code is free in the cache. Each link takes a previous code
  // from the cache; if that code is another listed type's, that type is next.
  const starts = [...listed.values()].filter((type) => !cached.has(type.typeNo)).sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo));
  for (const start of starts) {
    let type: DesiredType | undefined = start;
    let dependsOn: string | undefined;
    while (type && !handled.has(type)) {
      handled.add(type);
      const current: DesiredType = type;
      const from = current.previousCodes.find((code) => code !== current.typeNo && cached.has(code) && !moved.has(code));
      if (from === undefined) {
        creates.push(planItem(createChange(key, current), dependsOn));
        break;
      }
      const name = cached.get(from) as string;
      const change = planItem(changeCodeChange(key, from, current.typeNo, name), dependsOn);
      changeCodes.push(change);
      moved.add(from);
      source.set(current, from);
      if (name !== current.typeName) renames.push(planItem(renameChange(key, current.typeNo, name, current.typeName), change.id));
      dependsOn = change.id;
      type = listed.get(from); // the listed type that had `from` loses it
    }
  }

  // Everything else keeps its own code. Codes that claim each other in a loop are a swap.
  const staying = [...listed.values()].filter((type) => !handled.has(type));
  const inCycle = findSwaps(staying, claimant, where, problems);

  let unchanged = 0;
  for (const type of staying) {
    if (inCycle.has(type)) continue;
    const oldName = cached.get(type.typeNo) as string;
    if (oldName === type.typeName) unchanged++;
    else renames.push(planItem(renameChange(key, type.typeNo, oldName, type.typeName)));
  }

  // Unlisted previous codes still in the cache that did not move: both the old and the new code
  // exist. (A previous code that is also listed as a type is that type: nothing to say.)
  for (const type of listed.values()) {
    for (const code of type.previousCodes) {
      if (!cached.has(code) || moved.has(code) || listed.has(code) || claimant.get(code) !== type) continue;
      const from = source.get(type);
      const notDeleted = project.deleteUnlisted ? ' (and not deleted)' : '';
      problems.push(
        from !== undefined
          ? `${where}: "${code}" is also a previous code of "${type.typeNo}"; only "${from}" changes code, "${code}" is left as it is${notDeleted}.`
          : `${where}: "${code}" is a previous code of "${type.typeNo}", but both codes exist, so "${code}" is left as it is${notDeleted}.`,
      );
    }
  }

  let unlisted = 0;
  for (const type of cachedTypes) {
    if (listed.has(type.typeNo) || moved.has(type.typeNo) || claimant.has(type.typeNo)) continue;
    if (project.deleteUnlisted) deletes.push(planItem(deleteChange(key, type.typeNo, type.typeName)));
    else unlisted++;
  }

  deletes.sort(byCode);
  creates.sort(byCode);
  renames.sort(byCode);
  return { items: [...changeCodes, ...deletes, ...creates, ...renames], problems, unchanged, unlisted };
}

/**
 * The staying types whose codes claim each other as previous codes in a loop (a swap); each loop
 * is one problem. Such types are left as they are: changing codes one by one cannot swap them.
 */
function findSwaps(
  staying: ReadonlyArray<DesiredType>,
  claimant: ReadonlyMap<string, DesiredType>,
  where: string,
  problems: string[],
): Set<DesiredType> {
  const stayingCodes = new Set(staying.map((type) => type.typeNo));
  /** The staying type that lists `type`'s code as a previous code, if any. */
  const claimer = (type: DesiredType): DesiredType | undefined => {
    const other = claimant.get(type.typeNo);
    return other && stayingCodes.has(other.typeNo) ? other : undefined;
  };
  const inCycle = new Set<DesiredType>();
  for (const type of [...staying].sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo))) {
    if (inCycle.has(type)) continue;
    const path: DesiredType[] = [type];
    let next = claimer(type);
    while (next && next !== type && path.length <= staying.length) {
      path.push(next);
      next = claimer(next);
    }
    if (next !== type) continue;
    for (const member of path) inCycle.add(member);
    // Written in the direction the file asks for: A → B means "A is now B".
    const loop = [...path.map((member) => member.typeNo), type.typeNo].join(' → ');
    problems.push(
      `${where}: the codes ${loop} name each other as previous codes (a swap). Changing codes one by one ` +
        'cannot swap them, so these types are left as they are. To swap, give one of them a temporary code, apply, then finish the swap.',
    );
  }
  return inCycle;
}
