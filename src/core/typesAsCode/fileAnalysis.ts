// What the editor shows about a `vbot-types.json` while it is typed: every error Plan would refuse the file
// for, at its place in the text, and per project what Plan would do. The rules are not repeated here: the
// errors are parse.ts's (readDesiredState over the value jsonc-parser reads) and each project's plan is
// planner.ts's computePlan; this module only finds where in the text each one belongs. Pure: no vscode.

import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type JSONPath, type Node, type ParseError } from 'jsonc-parser';
import { sameName } from '../validation';
import type { CachedType } from '../cache/model';
import type { CacheSnapshot } from '../cache/snapshot';
import { DESIRED_STATE_LIMITS, DESIRED_STATE_VERSION, type DesiredProject, type DesiredStateErrorCode } from './format';
import { readDesiredState } from './parse';
import { computePlan, type Plan } from './planner';

export type ProblemSeverity = 'error' | 'warning' | 'information';

/** What the editor adds to the reader's errors: facts about the plan, not refusals. */
export type AnalysisCode = 'otherAccount' | 'deletesUnlisted' | 'planProblem' | 'looksLikeCodeChange';

export interface FileProblem {
  /** UTF-16 offset and length in the text. */
  readonly offset: number;
  readonly length: number;
  readonly severity: ProblemSeverity;
  readonly code: DesiredStateErrorCode | AnalysisCode;
  /** English, for logs and as a fallback; `args` are the values it names, for a translated text. */
  readonly message: string;
  readonly args: ReadonlyArray<string>;
  /** Where the faulty value is (jsonc-parser path), for a quick fix. */
  readonly path: JSONPath;
  /** For 'looksLikeCodeChange': the cached code it probably was. */
  readonly previousCode?: string;
}

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
  /** The syntax tree, for finding what is under the cursor; undefined when the text is not JSON. */
  readonly tree?: Node;
  /** Where the text starts after a byte order mark (0 or 1): tree offsets are shifted by it. */
  readonly base: number;
}

/** Like Plan: no comments, no trailing commas (JSON.parse accepts neither). */
const PARSE_OPTIONS = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

/** Reads `text` as Plan does and plans each project of `activeVbotId` ('' : every project) against the snapshot. */
export function analyzeTypesFile(text: string, snapshot: CacheSnapshot, activeVbotId: string): FileAnalysis {
  if (text.length > DESIRED_STATE_LIMITS.maxBytes) {
    const max = DESIRED_STATE_LIMITS.maxBytes;
    return failed(0, 'tooLarge', [String(max / 1024 / 1024)], `file is larger than ${max / 1024 / 1024} MiB`);
  }
  const base = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = base ? text.slice(1) : text;
  if (body.trim() === '') return failed(base, 'emptyFile', [], 'file is empty');
  const syntax: ParseError[] = [];
  const tree = parseTree(body, syntax, PARSE_OPTIONS);
  if (syntax.length > 0 || !tree) {
    const problems = syntax.slice(0, DESIRED_STATE_LIMITS.maxErrors).map((e) => syntaxProblem(e, base));
    return { problems, projects: [], errorCount: problems.length, base };
  }
  const { state, errors } = readDesiredState(getNodeValue(tree));
  const problems: FileProblem[] = errors.map((e) => {
    const path = parsePath(e.path);
    const [offset, length] = rangeOf(tree, path, e.code === 'unknownProperty', base);
    return { offset, length, severity: 'error', code: e.code, message: e.message, args: e.args ?? [], path };
  });
  const read = new Map((state?.projects ?? []).map((p) => [projectKey(p.vbotId, p.projectCode), p] as const));
  const projectNodes = findNodeAtLocation(tree, ['projects']);
  const projects: ProjectInFile[] = [];
  (projectNodes?.type === 'array' ? (projectNodes.children ?? []) : []).forEach((node, index) => {
    const located = locateProject(node, index, base, read, snapshot, activeVbotId);
    projects.push(located);
    problems.push(...projectProblems(located, node, base, activeVbotId));
  });
  return { problems, projects, errorCount: errors.length, tree, base };
}

function failed(offset: number, code: DesiredStateErrorCode, args: string[], message: string): FileAnalysis {
  const problem: FileProblem = { offset, length: 0, severity: 'error', code, message, args, path: [] };
  return { problems: [problem], projects: [], errorCount: 1, base: offset };
}

function syntaxProblem(e: ParseError, base: number): FileProblem {
  const name = printParseErrorCode(e.error);
  return {
    offset: e.offset + base,
    length: Math.max(e.length, 1),
    severity: 'error',
    code: 'badJson',
    message: `invalid JSON: ${name}`,
    args: [name],
    path: [],
  };
}

const projectKey = (vbotId: string, projectCode: string) => JSON.stringify([vbotId, projectCode]);
const trimmedString = (node: Node | undefined) => (node?.type === 'string' ? String(node.value).trim() : '');

function locateProject(
  node: Node,
  index: number,
  base: number,
  read: Map<string, DesiredProject>,
  snapshot: CacheSnapshot,
  activeVbotId: string,
): ProjectInFile {
  const vbotId = trimmedString(findNodeAtLocation(node, ['vbotId']));
  const projectCode = trimmedString(findNodeAtLocation(node, ['projectCode']));
  // The first of duplicates is the one read; a later one (refused) is not this project.
  const key = projectKey(vbotId, projectCode);
  const project = read.get(key);
  read.delete(key);
  const planned = activeVbotId === '' || vbotId === activeVbotId;
  const where = { index, offset: node.offset + base, length: node.length, vbotId, projectCode };
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
function projectProblems(p: ProjectInFile, node: Node, base: number, activeVbotId: string): FileProblem[] {
  const problems: FileProblem[] = [];
  const at = (path: JSONPath, key = false): [number, number] => rangeOf(node, path, key, base);
  const fullPath = (path: JSONPath): JSONPath => ['projects', p.index, ...path];
  if (!p.planned && p.vbotId) {
    const [offset, length] = at(['vbotId']);
    problems.push({
      offset,
      length,
      severity: 'information',
      code: 'otherAccount',
      args: [p.vbotId, activeVbotId],
      message: `this project is of account ${p.vbotId}, not of the active profile's (${activeVbotId}): Plan and Apply leave it out`,
      path: fullPath(['vbotId']),
    });
  }
  const plan = p.plan;
  if (!plan || !p.project) return problems;
  const deletes = plan.items.filter((i) => i.op === 'delete');
  if (p.project.deleteUnlisted && deletes.length > 0) {
    const [offset, length] = at(['deleteUnlisted'], true);
    const codes = deletes.map((d) => d.before!.typeNo);
    problems.push({
      offset,
      length,
      severity: 'warning',
      code: 'deletesUnlisted',
      args: [String(deletes.length), codes.slice(0, 5).join(', ') + (codes.length > 5 ? ', …' : '')],
      message: `"deleteUnlisted": true deletes ${deletes.length} types of the local list that the file does not list`,
      path: fullPath(['deleteUnlisted']),
    });
  }
  for (const message of plan.problems) {
    const [offset, length] = at(['projectCode']);
    problems.push({ offset, length, severity: 'warning', code: 'planProblem', args: [message], message, path: fullPath(['projectCode']) });
  }
  problems.push(...codeChangeHints(p, node, base));
  return problems;
}

/**
 * A type the plan adds while a cached type of the same name leaves the list (deleted or no longer listed): most
 * likely the code was changed in the file without saying so, which Apply would carry out as delete + add.
 */
function codeChangeHints(p: ProjectInFile, node: Node, base: number): FileProblem[] {
  const hints: FileProblem[] = [];
  const types = findNodeAtLocation(node, ['types'])?.children ?? [];
  const taken = new Set<string>();
  for (const item of p.plan!.items) {
    if (item.op !== 'create') continue;
    const { typeNo, typeName } = item.after!;
    const was = p.notInFile.find((t) => !taken.has(t.typeNo) && sameName(t.typeName, typeName));
    const index = types.findIndex((t) => trimmedString(findNodeAtLocation(t, ['typeNo'])) === typeNo);
    if (!was || index === -1) continue;
    taken.add(was.typeNo);
    const [offset, length] = rangeOf(types[index], ['typeNo'], false, base);
    hints.push({
      offset,
      length,
      severity: 'information',
      code: 'looksLikeCodeChange',
      args: [typeNo, was.typeName, was.typeNo],
      message: `"${typeNo}" would be added, but the local list has "${was.typeName}" as "${was.typeNo}": if the code changed, list "${was.typeNo}" in previousCodes`,
      path: ['projects', p.index, 'types', index],
      previousCode: was.typeNo,
    });
  }
  return hints;
}

// --- Paths and ranges

/** `projects[0].types[3].typeNo`, `["odd key"]` (parse.ts's paths) as jsonc-parser's path. */
export function parsePath(path: string): JSONPath {
  const out: JSONPath = [];
  const token = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let m: RegExpExecArray | null;
  while (token.lastIndex < path.length && (m = token.exec(path))) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

/**
 * Where `path` is in the text: its value (or, `key`, its property's name); for something missing, the opening
 * brace or bracket of the nearest thing that exists (its whole range would underline screens of text).
 */
export function rangeOf(root: Node, path: JSONPath, key: boolean, base: number): [number, number] {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (!node) continue;
    if (n === path.length) {
      const target = key && node.parent?.type === 'property' ? node.parent.children![0] : node;
      if (target.type !== 'object' && target.type !== 'array') return [target.offset + base, target.length];
    }
    return [node.offset + base, 1];
  }
  return [base, 1];
}

/** The type code (or previous code) at `offset`, with its project, for hovers and reveals. */
export function codeAt(analysis: FileAnalysis, offset: number): { project: ProjectInFile; typeNo: string; typeIndex: number } | undefined {
  const project = analysis.projects.find((p) => offset >= p.offset && offset <= p.offset + p.length);
  if (!project || !analysis.tree) return undefined;
  const types = findNodeAtLocation(analysis.tree, ['projects', project.index, 'types'])?.children ?? [];
  for (const [typeIndex, type] of types.entries()) {
    if (offset < type.offset + analysis.base || offset > type.offset + type.length + analysis.base) continue;
    const codes = [findNodeAtLocation(type, ['typeNo']), ...(findNodeAtLocation(type, ['previousCodes'])?.children ?? [])];
    const hit = codes.find(
      (c) => c?.type === 'string' && offset >= c.offset + analysis.base && offset <= c.offset + c.length + analysis.base,
    );
    return hit ? { project, typeNo: trimmedString(hit), typeIndex } : undefined;
  }
  return undefined;
}

/** Where a type (or, when the file does not list it, its project) is written, for "Reveal in vbot-types.json". */
export function findInFile(analysis: FileAnalysis, vbotId: string, projectCode: string, typeNo?: string): [number, number] | undefined {
  const project = analysis.projects.find((p) => p.vbotId === vbotId && p.projectCode === projectCode);
  if (!project || !analysis.tree) return undefined;
  const node = findNodeAtLocation(analysis.tree, ['projects', project.index])!;
  const types = findNodeAtLocation(node, ['types'])?.children ?? [];
  const type = typeNo === undefined ? undefined : types.find((t) => trimmedString(findNodeAtLocation(t, ['typeNo'])) === typeNo);
  return type ? rangeOf(type, ['typeNo'], false, analysis.base) : rangeOf(node, ['projectCode'], false, analysis.base);
}
