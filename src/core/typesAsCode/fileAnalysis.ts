// What the editor shows about a `vbot-types.json` while it is typed: every error Plan would refuse the file
// for, at its place in the text, and per project what Plan would do. The rules are not repeated here: the
// errors are parse.ts's (readDesiredState over the value JSON.parse reads, as Plan's) and each project's plan is
// planner.ts's computePlan; this module only finds where in the text each one belongs (filePlaces.ts). After an
// edit inside one project only that project is read again (fileAnalysisEdit.ts). Pure: no vscode.

import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { isRecord, stripBom } from '../json';
import type { CacheSnapshot } from '../cache/snapshot';
import { DESIRED_STATE_LIMITS, type DesiredStateErrorCode } from './format';
import { analyzeEdit } from './fileAnalysisEdit';
import {
  analyzeProject,
  assemble,
  projectIndex,
  readerProblem,
  readingOf,
  type FileAnalysis,
  type ProjectInFile,
} from './fileAnalysisParts';
import { Locator, type FileProblem } from './filePlaces';
import { readDesiredState } from './parse';

export type { FileAnalysis, ProjectInFile } from './fileAnalysisParts';
export { parsePath, Locator, type AnalysisCode, type FileProblem, type ProblemSeverity } from './filePlaces';

/**
 * Reads `text` as Plan does and plans each project of `activeVbotId` ('' : every project) against the snapshot.
 * With `previous` (the analysis of the text before an edit, against the same snapshot and account), an edit
 * inside one project reads and plans that project alone and moves the other projects' results; anything else
 * (the file's structure, another snapshot, a broken JSON before or after) is read in full. Both give the same.
 */
export function analyzeTypesFile(text: string, snapshot: CacheSnapshot, activeVbotId: string, previous?: FileAnalysis): FileAnalysis {
  return (previous && analyzeEdit(previous, text, snapshot, activeVbotId)) ?? analyzeWholeFile(text, snapshot, activeVbotId);
}

/**
 * The whole file: the value comes from JSON.parse, as Plan's (ten times faster than a syntax tree of a large file);
 * places in the text come from jsonc-parser, and only where something is shown: a tree of the one project a
 * problem is in (a tree of the whole file only for a syntax error or a problem outside the projects).
 */
function analyzeWholeFile(text: string, snapshot: CacheSnapshot, activeVbotId: string): FileAnalysis {
  if (text.length > DESIRED_STATE_LIMITS.maxBytes) {
    const max = DESIRED_STATE_LIMITS.maxBytes;
    return failed(text, 'tooLarge', [String(max / 1024 / 1024)], `file is larger than ${max / 1024 / 1024} MiB`);
  }
  if (stripBom(text).trim() === '') return failed(text, 'emptyFile', [], 'file is empty');
  const locate = new Locator(text);
  let json: unknown;
  try {
    json = JSON.parse(locate.body);
  } catch (error) {
    const problems = locate.syntaxProblems((error as Error).message);
    return { problems, projects: [], errorCount: problems.length, locate };
  }
  const rawProjects = isRecord(json) && Array.isArray(json.projects) ? json.projects : [];
  const spans = locate.findProjects(rawProjects);
  const { state, errors, entries } = readDesiredState(json);
  const rootProblems: FileProblem[] = [];
  const inProject: FileProblem[][] = rawProjects.map(() => []);
  const duplicates: Array<FileProblem | undefined> = [];
  for (const e of errors) {
    const problem = readerProblem(e, locate);
    const index = projectIndex(problem.path);
    if (index === undefined) rootProblems.push(problem);
    else if (e.code === 'duplicateProject') duplicates[index] = problem;
    else inProject[index].push(problem);
  }
  const parts = rawProjects.map((raw, index) => {
    // Nothing is planned when the reading stopped (state undefined); a later copy of a project is not that project.
    const project = state && !duplicates[index] ? entries[index] : undefined;
    const { info, notes } = analyzeProject(raw, index, project, locate, snapshot, activeVbotId);
    return { own: entries[index], readProblems: inProject[index], duplicate: duplicates[index], info, notes };
  });
  const reading = { text, snapshot, activeVbotId, rawProjects, spans, rootProblems, parts };
  return assemble(reading, locate, state !== undefined);
}

function failed(text: string, code: DesiredStateErrorCode, args: string[], message: string): FileAnalysis {
  const locate = new Locator(text);
  const problem: FileProblem = { offset: locate.base, length: 0, severity: 'error', code, message, args, path: [] };
  return { problems: [problem], projects: [], errorCount: 1, locate };
}

/**
 * The last analysis of each open file and the document version it read: a new version is read from the last one
 * that could be read (an edit inside a project reads that project alone, also when the versions between broke the
 * JSON, as typing a quote does). The editor and the bench read files through this.
 */
export class FileReadings<K> {
  private readonly last = new Map<
    K,
    { version: number; snapshot: CacheSnapshot; activeVbotId: string; analysis: FileAnalysis; base?: FileAnalysis }
  >();

  read(key: K, version: number, text: () => string, snapshot: CacheSnapshot, activeVbotId: string): FileAnalysis {
    const known = this.last.get(key);
    if (known?.version === version && known.snapshot === snapshot && known.activeVbotId === activeVbotId) return known.analysis;
    const analysis = analyzeTypesFile(text(), snapshot, activeVbotId, known?.base);
    this.last.set(key, { version, snapshot, activeVbotId, analysis, base: readingOf(analysis) ? analysis : known?.base });
    return analysis;
  }

  forget(key: K): void {
    this.last.delete(key);
  }

  clear(): void {
    this.last.clear();
  }
}

const stringValue = (node: Node | undefined) => (node?.type === 'string' ? String(node.value).trim() : '');

/** The type code (or previous code) at `offset`, with its project, for hovers and reveals. */
export function codeAt(analysis: FileAnalysis, offset: number): { project: ProjectInFile; typeNo: string; typeIndex: number } | undefined {
  const project = analysis.projects.find((p) => offset >= p.offset && offset <= p.offset + p.length);
  const found = project && analysis.locate.node(['projects', project.index]);
  if (!project || !found?.node) return undefined;
  const at = offset - found.shift;
  const inside = (n: Node | undefined) => n !== undefined && at >= n.offset && at <= n.offset + n.length;
  const types = findNodeAtLocation(found.node, ['types'])?.children ?? [];
  const typeIndex = types.findIndex(inside);
  if (typeIndex === -1) return undefined;
  const type = types[typeIndex];
  const codes = [findNodeAtLocation(type, ['typeNo']), ...(findNodeAtLocation(type, ['previousCodes'])?.children ?? [])];
  const hit = codes.find((c) => c?.type === 'string' && inside(c));
  return hit ? { project, typeNo: stringValue(hit), typeIndex } : undefined;
}

/** Where a type (or, when the file does not list it, its project's code) is written, for "Reveal in vbot-types.json". */
export function findInFile(analysis: FileAnalysis, vbotId: string, projectCode: string, typeNo?: string): [number, number] | undefined {
  const project = analysis.projects.find((p) => p.vbotId === vbotId && p.projectCode === projectCode);
  const found = project && analysis.locate.node(['projects', project.index]);
  if (!project || !found?.node) return undefined;
  const types = findNodeAtLocation(found.node, ['types'])?.children ?? [];
  const index = typeNo === undefined ? -1 : types.findIndex((t) => stringValue(findNodeAtLocation(t, ['typeNo'])) === typeNo);
  const path = index === -1 ? ['projectCode'] : ['types', index, 'typeNo'];
  return analysis.locate.range(['projects', project.index, ...path], false);
}
