// The pieces a reading of `vbot-types.json` is made of, so that an edit can reuse the pieces it did not touch
// (fileAnalysisEdit.ts): the reader's errors outside the projects, and per project its reader errors, its plan
// and the facts about that plan. Both the whole file's reading (fileAnalysis.ts) and the reading after an edit put
// their pieces together here, so the two cannot differ in order or count. Pure: no vscode.

import type { JSONPath } from 'jsonc-parser';
import { isRecord } from '../json';
import { sameName } from '../codeRules';
import type { CachedType } from '../cache/model';
import type { CacheSnapshot } from '../cache/snapshot';
import { DESIRED_STATE_VERSION, type DesiredProject, type DesiredStateError } from './format';
import { parsePath, type FileProblem, type Locator } from './filePlaces';
import { computePlan, type Plan } from './planner';

export interface ProjectInFile {
  /** Index in `projects`, offset and length of the project's object. */
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  /** As written (trimmed), '' when not a string. */
  readonly vbotId: string;
  readonly projectCode: string;
  /** Read without error (duplicates and invalid projects are not). */
  readonly project?: DesiredProject;
  /** Whether the active profile plans it (its account, or any account when the profile has none). */
  readonly planned: boolean;
  /** Its plan against the cache, when it is read and planned. */
  readonly plan?: Plan;
  /** Cached types the file does not list (nor as previous codes): deleted with deleteUnlisted, else left alone. */
  readonly notInFile: ReadonlyArray<CachedType>;
}

export interface FileAnalysis {
  readonly problems: ReadonlyArray<FileProblem>;
  /** In file order; empty when the file cannot be read as JSON. */
  readonly projects: ReadonlyArray<ProjectInFile>;
  /** Errors that make Plan refuse the whole file. */
  readonly errorCount: number;
  /** Finds places in the text (jsonc-parser trees, made when first asked for). */
  readonly locate: Locator;
}

/** One entry of "projects", as read and planned. */
export interface ProjectPart {
  /** As read by itself (parse.ts's readProjectEntry), before the duplicate check. */
  readonly own: DesiredProject | undefined;
  /** The reader's errors in it, but the duplicate one. */
  readonly readProblems: ReadonlyArray<FileProblem>;
  /** The reader's "listed twice" error, when it is a later copy. */
  readonly duplicate: FileProblem | undefined;
  readonly info: ProjectInFile;
  /** Facts about its plan (projectNotes). */
  readonly notes: ReadonlyArray<FileProblem>;
}

/** A reading of a text whose JSON is valid and whose projects were all read: what an edit may start from. */
export interface FileReading {
  readonly text: string;
  readonly snapshot: CacheSnapshot;
  readonly activeVbotId: string;
  /** The values of "projects" (JSON.parse's) and their [start, end) in the text after a byte order mark. */
  readonly rawProjects: ReadonlyArray<unknown>;
  readonly spans: ReadonlyArray<[number, number]>;
  /** The reader's errors outside the projects (they come first). */
  readonly rootProblems: ReadonlyArray<FileProblem>;
  readonly parts: ReadonlyArray<ProjectPart>;
}

const readings = new WeakMap<FileAnalysis, FileReading>();

/** The reading an analysis was made of, when an edit can start from it. */
export const readingOf = (analysis: FileAnalysis): FileReading | undefined => readings.get(analysis);

/**
 * The analysis of a reading: the reader's errors in its order (those outside the projects, then each project's
 * own and its duplicate error), then the facts about each project's plan. `reusable`: the reading is complete.
 */
export function assemble(reading: FileReading, locate: Locator, reusable: boolean): FileAnalysis {
  const problems: FileProblem[] = [...reading.rootProblems];
  for (const part of reading.parts) {
    problems.push(...part.readProblems);
    if (part.duplicate) problems.push(part.duplicate);
  }
  const errorCount = problems.length;
  for (const part of reading.parts) problems.push(...part.notes);
  const analysis: FileAnalysis = { problems, projects: reading.parts.map((p) => p.info), errorCount, locate };
  if (reusable) readings.set(analysis, reading);
  return analysis;
}

/** A reader's error at its place in the text. */
export function readerProblem(e: DesiredStateError, locate: Locator): FileProblem {
  const path = parsePath(e.path);
  const [offset, length] = locate.range(path, e.code === 'unknownProperty');
  return { offset, length, severity: 'error', code: e.code, message: e.message, args: e.args ?? [], path };
}

/** The index of the project a path is in, if it is in one. */
export const projectIndex = (path: JSONPath): number | undefined =>
  path[0] === 'projects' && typeof path[1] === 'number' ? path[1] : undefined;

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const field = (raw: unknown, key: string): unknown => (isRecord(raw) ? raw[key] : undefined);

/**
 * The project at `index` of "projects" (`raw`, JSON.parse's value), `project` being the reader's when it read it
 * (not a later copy of a project): its plan when planned, and the facts about that plan.
 */
export function analyzeProject(
  raw: unknown,
  index: number,
  project: DesiredProject | undefined,
  locate: Locator,
  snapshot: CacheSnapshot,
  activeVbotId: string,
): { info: ProjectInFile; notes: FileProblem[] } {
  const info = locateProject(raw, index, project, locate, snapshot, activeVbotId);
  return { info, notes: projectNotes(info, raw, locate, activeVbotId) };
}

function locateProject(
  raw: unknown,
  index: number,
  project: DesiredProject | undefined,
  locate: Locator,
  snapshot: CacheSnapshot,
  activeVbotId: string,
): ProjectInFile {
  const vbotId = trimmed(field(raw, 'vbotId'));
  const projectCode = trimmed(field(raw, 'projectCode'));
  const planned = activeVbotId === '' || vbotId === activeVbotId;
  const [offset, length] = locate.projectSpan(index);
  const where = { index, offset, length, vbotId, projectCode };
  if (!project || !planned) return { ...where, project, planned, notInFile: [] };
  const plan = computePlan(snapshot, { version: DESIRED_STATE_VERSION, projects: [project] });
  const named = new Set<string>();
  for (const type of project.types) {
    named.add(type.typeNo);
    for (const code of type.previousCodes) named.add(code);
  }
  const cached = snapshot.project(vbotId, projectCode)?.types ?? [];
  return { ...where, project, planned, plan, notInFile: cached.filter((t) => !named.has(t.typeNo)) };
}

/** Facts about a project's plan that the user should see before applying: warnings and information. */
function projectNotes(p: ProjectInFile, raw: unknown, locate: Locator, activeVbotId: string): FileProblem[] {
  const problems: FileProblem[] = [];
  const at = (path: JSONPath, key = false) => {
    const full: JSONPath = ['projects', p.index, ...path];
    const [offset, length] = locate.range(full, key);
    return { offset, length, path: full };
  };
  if (!p.planned && p.vbotId) {
    problems.push({
      ...at(['vbotId']),
      severity: 'information',
      code: 'otherAccount',
      args: [p.vbotId, activeVbotId],
      message: `this project is of account ${p.vbotId}, not of the active profile's (${activeVbotId}): Plan and Apply leave it out`,
    });
  }
  const plan = p.plan;
  if (!plan || !p.project) return problems;
  const deletes = plan.items.filter((i) => i.op === 'delete');
  if (p.project.deleteUnlisted && deletes.length > 0) {
    const codes = deletes.map((d) => d.before!.typeNo);
    problems.push({
      ...at(['deleteUnlisted'], true),
      severity: 'warning',
      code: 'deletesUnlisted',
      args: [String(deletes.length), codes.slice(0, 5).join(', ') + (codes.length > 5 ? ', …' : '')],
      message: `"deleteUnlisted": true deletes ${deletes.length} types of the local list that the file does not list`,
    });
  }
  for (const message of plan.problems)
    problems.push({ ...at(['projectCode']), severity: 'warning', code: 'planProblem', args: [message], message });
  problems.push(...codeChangeHints(p, raw, locate));
  return problems;
}

/**
 * A type the plan adds while a cached type of the same name leaves the list (deleted or no longer listed): most
 * likely the code was changed in the file without saying so, which Apply would carry out as delete + add.
 */
function codeChangeHints(p: ProjectInFile, raw: unknown, locate: Locator): FileProblem[] {
  const hints: FileProblem[] = [];
  const rawTypes = field(raw, 'types');
  const types: unknown[] = Array.isArray(rawTypes) ? rawTypes : [];
  const taken = new Set<string>();
  for (const item of p.plan!.items) {
    if (item.op !== 'create') continue;
    const { typeNo, typeName } = item.after!;
    const was = p.notInFile.find((t) => !taken.has(t.typeNo) && sameName(t.typeName, typeName));
    const index = types.findIndex((t) => trimmed(field(t, 'typeNo')) === typeNo);
    if (!was || index === -1) continue;
    taken.add(was.typeNo);
    const path: JSONPath = ['projects', p.index, 'types', index];
    const [offset, length] = locate.range([...path, 'typeNo'], false);
    hints.push({
      offset,
      length,
      severity: 'information',
      code: 'looksLikeCodeChange',
      args: [typeNo, was.typeName, was.typeNo],
      message: `"${typeNo}" would be added, but the local list has "${was.typeName}" as "${was.typeNo}": if the code changed, list "${was.typeNo}" in previousCodes`,
      path,
      previousCode: was.typeNo,
    });
  }
  return hints;
}
