// The analysis of a `vbot-types.json` after an edit, from the analysis before it: typing changes one project, and
// reading the whole file again (JSON.parse, Plan's reader, a plan per project) costs tens of milliseconds on a
// file of 10,000 types, at every pause in typing. When the edit lies inside one project's object and that object
// is still valid JSON, the file's structure is unchanged: only that project is read (the reader's own function for
// one entry) and planned again; the others' results are moved by the edit's length. What spans projects is
// worked out again over all of them (a project listed twice; the error limit). Anything else returns undefined
// and the whole file is read: a broken JSON, an edit outside the projects or across two, another cache snapshot.
// test/unit/typesFileAnalysis.test.ts checks that both ways give the same over many random edits. Pure: no vscode.

import { isRecord } from '../json';
import type { CacheSnapshot } from '../cache/snapshot';
import { DESIRED_STATE_LIMITS, type DesiredProject } from './format';
import { analyzeProject, assemble, readerProblem, readingOf, type FileAnalysis, type ProjectPart } from './fileAnalysisParts';
import { Locator, type FileProblem } from './filePlaces';
import { desiredProjectKey, duplicateProjectError, readProjectEntry } from './parse';

/** `previous` analysed again for `text`, or undefined when only a reading of the whole file can say. */
export function analyzeEdit(previous: FileAnalysis, text: string, snapshot: CacheSnapshot, activeVbotId: string): FileAnalysis | undefined {
  const before = readingOf(previous);
  if (!before || before.snapshot !== snapshot || before.activeVbotId !== activeVbotId) return undefined;
  if (text === before.text) return previous;
  if (text.length > DESIRED_STATE_LIMITS.maxBytes) return undefined;
  const old = before.text;
  const start = commonPrefix(old, text);
  const oldEnd = old.length - commonSuffix(old, text, start);
  const delta = text.length - old.length;
  const locate = new Locator(text);
  if (locate.base !== (old.charCodeAt(0) === 0xfeff ? 1 : 0)) return undefined; // the byte order mark came or went
  // The changed text must lie inside one project's braces, which stay: then the project's new text alone says
  // whether the file is still valid JSON of the same structure.
  const index = before.spans.findIndex(([from, to]) => from < start - locate.base && oldEnd - locate.base < to);
  if (index === -1) return undefined;
  const [from, to] = before.spans[index];
  const raw = parseObject(locate.body.slice(from, to + delta));
  if (raw === undefined) return undefined;
  const spans = before.spans.map(([a, b], i): [number, number] =>
    i < index ? [a, b] : i === index ? [a, b + delta] : [a + delta, b + delta],
  );
  locate.useSpans(spans);
  const rawProjects = before.rawProjects.slice();
  rawProjects[index] = raw;
  const entry = readProjectEntry(raw, index);
  const owns = before.parts.map((part, i) => (i === index ? entry.project : part.own));
  const firsts = firstListed(owns);

  const move = (p: FileProblem): FileProblem => (p.offset >= oldEnd ? { ...p, offset: p.offset + delta } : p);
  const rootProblems = before.rootProblems.map(move);
  let errorCount = rootProblems.length;
  const parts = before.parts.map((part, i): ProjectPart => {
    const first = firsts[i];
    const own = owns[i];
    const again = first === undefined ? undefined : duplicateProjectError(own!, i, first);
    const kept = i !== index && part.duplicate?.message === again?.message;
    const duplicate = again && (kept && part.duplicate ? move(part.duplicate) : readerProblem(again, locate));
    const readProblems = i === index ? entry.errors.map((e) => readerProblem(e, locate)) : part.readProblems.map(move);
    errorCount += readProblems.length + (duplicate ? 1 : 0);
    const project = first === undefined ? own : undefined;
    if (i !== index && project === part.info.project) {
      const info = i > index ? { ...part.info, offset: part.info.offset + delta } : part.info;
      return { own, readProblems, duplicate, info, notes: part.notes.map(move) };
    }
    // Read again, or its copy of a project became (or stopped being) the first listed: planned again.
    return { own, readProblems, duplicate, ...analyzeProject(rawProjects[i], i, project, locate, snapshot, activeVbotId) };
  });
  // At the limit the reader stops and plans nothing: only the whole file's reading says what it keeps.
  if (errorCount >= DESIRED_STATE_LIMITS.maxErrors) return undefined;
  return assemble({ text, snapshot, activeVbotId, rawProjects, spans, rootProblems, parts }, locate, true);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** For each project read, the index of the first project read with its vbotId and code when it is a later copy (as readState decides). */
function firstListed(owns: ReadonlyArray<DesiredProject | undefined>): Array<number | undefined> {
  const at = new Map<string, number>();
  return owns.map((own, i) => {
    if (!own) return undefined;
    const key = desiredProjectKey(own);
    const first = at.get(key);
    if (first === undefined) at.set(key, i);
    return first;
  });
}

/** Compared a block at a time (native string comparison), then a character at a time: about a millisecond a megabyte. */
const BLOCK = 4096;

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i + BLOCK <= n && a.slice(i, i + BLOCK) === b.slice(i, i + BLOCK)) i += BLOCK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of the common end of `a` and `b` that does not reach into their first `start` characters. */
function commonSuffix(a: string, b: string, start: number): number {
  const n = Math.min(a.length, b.length) - start;
  let k = 0;
  while (k + BLOCK <= n && a.slice(a.length - k - BLOCK, a.length - k) === b.slice(b.length - k - BLOCK, b.length - k)) k += BLOCK;
  while (k < n && a.charCodeAt(a.length - 1 - k) === b.charCodeAt(b.length - 1 - k)) k++;
  return k;
}
