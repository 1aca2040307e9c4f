// What the editor shows about a `vbot-types.json` while it is typed: every error Plan would refuse the file
// for, at its place in the text, and per project what Plan would do. The rules are not repeated here: the
// errors are parse.ts's (readDesiredState over the value jsonc-parser reads) and each project's plan is
// planner.ts's computePlan; this module only finds where in the text each one belongs. Pure: no vscode.

import { findNodeAtLocation, parseTree, printParseErrorCode, type JSONPath, type Node, type ParseError } from 'jsonc-parser';
import { isRecord, jsonSyntaxErrorOffset, stripBom } from '../json';
import { sameName } from '../codeRules';
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
  /** Finds places in the text (jsonc-parser trees, made when first asked for). */
  readonly locate: Locator;
}

/** Like Plan: no comments, no trailing commas (JSON.parse accepts neither). */
const PARSE_OPTIONS = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

/**
 * Reads `text` as Plan does and plans each project of `activeVbotId` ('' : every project) against the snapshot.
 * The value comes from JSON.parse, as Plan's (ten times faster than a syntax tree of a large file); places in the
 * text come from jsonc-parser, and only where something is shown: a tree of the one project a problem is in (a
 * tree of the whole file only for a syntax error or a problem outside the projects). So typing in a file of
 * 10,000 types costs about what parsing it once costs (bench/README.md).
 */
export function analyzeTypesFile(text: string, snapshot: CacheSnapshot, activeVbotId: string): FileAnalysis {
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
  locate.findProjects(rawProjects);
  const { state, errors } = readDesiredState(json);
  const problems: FileProblem[] = errors.map((e) => {
    const path = parsePath(e.path);
    const [offset, length] = locate.range(path, e.code === 'unknownProperty');
    return { offset, length, severity: 'error', code: e.code, message: e.message, args: e.args ?? [], path };
  });
  const read = new Map((state?.projects ?? []).map((p) => [projectKey(p.vbotId, p.projectCode), p] as const));
  const projects: ProjectInFile[] = [];
  rawProjects.forEach((raw, index) => {
    const located = locateProject(raw, index, locate, read, snapshot, activeVbotId);
    projects.push(located);
    problems.push(...projectProblems(located, raw, locate, activeVbotId));
  });
  return { problems, projects, errorCount: errors.length, locate };
}

function failed(text: string, code: DesiredStateErrorCode, args: string[], message: string): FileAnalysis {
  const locate = new Locator(text);
  const problem: FileProblem = { offset: locate.base, length: 0, severity: 'error', code, message, args, path: [] };
  return { problems: [problem], projects: [], errorCount: 1, locate };
}

const projectKey = (vbotId: string, projectCode: string) => JSON.stringify([vbotId, projectCode]);
const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const field = (raw: unknown, key: string): unknown => (isRecord(raw) ? raw[key] : undefined);

function locateProject(
  raw: unknown,
  index: number,
  locate: Locator,
  read: Map<string, DesiredProject>,
  snapshot: CacheSnapshot,
  activeVbotId: string,
): ProjectInFile {
  const vbotId = trimmed(field(raw, 'vbotId'));
  const projectCode = trimmed(field(raw, 'projectCode'));
  // The first of duplicates is the one read; a later one (refused) is not this project.
  const key = projectKey(vbotId, projectCode);
  const project = read.get(key);
  read.delete(key);
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
function projectProblems(p: ProjectInFile, raw: unknown, locate: Locator, activeVbotId: string): FileProblem[] {
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

// --- Paths and places

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
 * Places in the text of a file that JSON.parse read. The projects' spans come from one pass over the text; a
 * jsonc-parser tree is made of a project when a place in it is first asked for, of the whole file only for a
 * place outside the projects. Offsets are the text's (a byte order mark counted).
 */
export class Locator {
  readonly base: number;
  readonly body: string;
  private spans: Array<[number, number]> | undefined;
  private readonly trees = new Map<number, Node | undefined>();
  private whole: Node | undefined;

  constructor(readonly text: string) {
    this.base = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.body = this.base ? text.slice(1) : text;
  }

  /** After JSON.parse: the spans of the projects, when they are all objects (else the whole tree says). */
  findProjects(rawProjects: unknown[]): void {
    const spans = rawProjects.every(isRecord) ? projectSpans(this.body) : undefined;
    this.spans = spans?.length === rawProjects.length ? spans : this.treeSpans();
  }

  projectSpan(index: number): [number, number] {
    const span = this.spans?.[index];
    return span ? [span[0] + this.base, span[1] - span[0]] : [this.base, 0];
  }

  /** The node at `path`, and what to add to its offsets for the text's. */
  node(path: JSONPath): { node: Node | undefined; shift: number } | undefined {
    const span = this.spanOf(path);
    if (span) {
      const index = path[1] as number;
      if (!this.trees.has(index)) this.trees.set(index, parseTree(this.body.slice(span[0], span[1]), [], PARSE_OPTIONS));
      const tree = this.trees.get(index);
      return tree && { node: tree, shift: span[0] + this.base };
    }
    this.whole ??= parseTree(this.body, [], PARSE_OPTIONS);
    return this.whole && { node: this.whole, shift: this.base };
  }

  /**
   * Where `path` is: its value (or, `key`, its property's name); for something missing, the opening brace or
   * bracket of the nearest thing that exists (its whole range would underline screens of text).
   */
  range(path: JSONPath, key: boolean): [number, number] {
    const found = this.node(path);
    if (!found?.node) return [this.base, 1];
    const inner = this.spanOf(path) ? path.slice(2) : path;
    return rangeIn(found.node, inner, key, found.shift);
  }

  /** Each syntax error as jsonc-parser finds it (Plan's JSON.parse only names the first). */
  syntaxProblems(parseMessage: string): FileProblem[] {
    const errors: ParseError[] = [];
    parseTree(this.body, errors, PARSE_OPTIONS);
    if (errors.length === 0) {
      // jsonc-parser accepted what JSON.parse did not: its place, as Plan reports it.
      const offset = Math.max(jsonSyntaxErrorOffset(this.body), 0) + this.base;
      return [{ offset, length: 1, severity: 'error', code: 'badJson', message: parseMessage, args: [parseMessage], path: [] }];
    }
    return errors.slice(0, DESIRED_STATE_LIMITS.maxErrors).map((e) => {
      const name = printParseErrorCode(e.error);
      const problem: FileProblem = {
        offset: e.offset + this.base,
        length: Math.max(e.length, 1),
        severity: 'error',
        code: 'badJson',
        message: `invalid JSON: ${name}`,
        args: [name],
        path: [],
      };
      return problem;
    });
  }

  private spanOf(path: JSONPath): [number, number] | undefined {
    return path[0] === 'projects' && typeof path[1] === 'number' ? this.spans?.[path[1]] : undefined;
  }

  private treeSpans(): Array<[number, number]> {
    this.whole ??= parseTree(this.body, [], PARSE_OPTIONS);
    const list = this.whole && findNodeAtLocation(this.whole, ['projects']);
    return (list?.type === 'array' ? (list.children ?? []) : []).map((n) => [n.offset, n.offset + n.length]);
  }
}

/**
 * The [start, end) of each object in the root's "projects" array of valid JSON, in one pass that only tracks
 * depth, strings and the last key: a few milliseconds for a megabyte, where a syntax tree takes tens.
 */
function projectSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let depth = 0;
  let lastString = '';
  let key = '';
  let inProjects = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        let slashes = 0;
        while (text.charCodeAt(j - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
        j++;
      }
      // A key written with escapes ("proj\u0065cts") is not recognised: the spans then come from a tree.
      if (depth === 1) lastString = text.slice(i + 1, j);
      i = j;
    } else if (c === 0x3a && depth === 1) key = lastString;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth === 2 && c === 0x5b && key === 'projects') {
        inProjects = true;
        spans.length = 0; // a later "projects" is the one JSON.parse keeps
      } else if (depth === 3 && inProjects) start = i;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === 3 && inProjects) spans.push([start, i + 1]);
      if (depth === 2) inProjects = false;
      depth--;
    }
  }
  return spans;
}

function rangeIn(root: Node, path: JSONPath, key: boolean, shift: number): [number, number] {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (!node) continue;
    if (n === path.length) {
      const target = key && node.parent?.type === 'property' ? node.parent.children![0] : node;
      if (target.type !== 'object' && target.type !== 'array') return [target.offset + shift, target.length];
    }
    return [node.offset + shift, 1];
  }
  return [shift, 1];
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
