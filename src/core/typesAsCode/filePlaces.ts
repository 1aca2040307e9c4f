// Places in the text of a `vbot-types.json`: what the editor underlines (FileProblem), where each project's
// object is, and the jsonc-parser trees that give the exact place of a value, made only where something is
// shown. Pure: no vscode.

import { findNodeAtLocation, parseTree, printParseErrorCode, type JSONPath, type Node, type ParseError } from 'jsonc-parser';
import { isRecord, jsonSyntaxErrorOffset } from '../json';
import { DESIRED_STATE_LIMITS, type DesiredStateErrorCode } from './format';

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

/** Like Plan: no comments, no trailing commas (JSON.parse accepts neither). */
const PARSE_OPTIONS = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

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
  findProjects(rawProjects: unknown[]): Array<[number, number]> {
    const spans = rawProjects.every(isRecord) ? projectSpans(this.body) : undefined;
    this.spans = spans?.length === rawProjects.length ? spans : this.treeSpans();
    return this.spans;
  }

  /** The spans of the projects, known (after an edit, those of the text before it, moved). [start, end) of `body`. */
  useSpans(spans: Array<[number, number]>): void {
    this.spans = spans;
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
