// The cache file's bytes as we write them, made a project at a time. Pure: no I/O. Loaded with the first write
// (edits.ts re-exports it, in the lazy group of edits): reading the cache does not need it.
//
// The text is exactly `JSON.stringify({ version: 1, projects }, null, 2) + '\n'` (a test holds it to that), made
// a project at a time, and each project's part is kept with the project: projects are frozen, and
// an edit makes a new object only for the projects it changes, so a save after one change encodes one project
// and reuses the bytes of all the others. A generic stringify of 10,000 types took ~5 ms, then as long again
// to encode the text as UTF-8, on every save.
import { CACHE_SCHEMA_VERSION } from './cacheFile';
import type { CachedProject, ProjectList } from './model';

/** The file's bytes in order: its head, each project's part with the commas between them, its tail. */
export type CacheBytes = ReadonlyArray<Buffer>;

const HEAD_TEXT = `{\n  "version": ${CACHE_SCHEMA_VERSION},\n  "projects": [`;
const TAIL_TEXT = '\n  ]\n}';
const HEAD = Buffer.from(HEAD_TEXT, 'utf8');
const COMMA = Buffer.from(',', 'utf8');
const TAIL = Buffer.from(TAIL_TEXT + '\n', 'utf8');
const EMPTY_TAIL = Buffer.from(']\n}\n', 'utf8');

/**
 * Each frozen project's bytes. A WeakMap: a project no snapshot holds any more takes its bytes with it. Only
 * frozen projects (made by makeProject, with frozen types) are remembered: nothing can change them afterwards.
 */
const projectBytes = new WeakMap<CachedProject, Buffer>();

/**
 * One project as it stands in the file, from the line break before its "{" to its "}": JSON.stringify's own text
 * of a file of that one project (native, no replacing of its indent), cut out of it.
 */
function projectText(project: CachedProject): string {
  const text = JSON.stringify({ version: CACHE_SCHEMA_VERSION, projects: [project] }, null, 2);
  return text.slice(HEAD_TEXT.length, text.length - TAIL_TEXT.length);
}

/** True if the project, its list and each of its types are frozen: its text can never change. */
function frozenThrough(project: CachedProject): boolean {
  if (!Object.isFrozen(project) || !Object.isFrozen(project.types)) return false;
  for (const type of project.types) if (!Object.isFrozen(type)) return false;
  return true;
}

function bytesOf(project: CachedProject): Buffer {
  const known = projectBytes.get(project);
  if (known) return known;
  const bytes = Buffer.from(projectText(project), 'utf8');
  if (frozenThrough(project)) projectBytes.set(project, bytes);
  return bytes;
}

/** The file's bytes, in pieces to write in order (one writev); never changed afterwards. */
export function cacheBytes(projects: ProjectList): CacheBytes {
  if (projects.length === 0) return [HEAD, EMPTY_TAIL];
  const pieces = new Array<Buffer>(projects.length * 2 + 1);
  pieces[0] = HEAD;
  for (let i = 0; i < projects.length; i++) {
    pieces[2 * i + 1] = bytesOf(projects[i]);
    pieces[2 * i + 2] = COMMA;
  }
  pieces[pieces.length - 1] = TAIL; // in place of the last comma
  return pieces;
}

/** The exact text we write: sorted, 2-space indent, trailing newline. */
export function serializeCache(projects: ProjectList): string {
  return Buffer.concat(cacheBytes(projects)).toString('utf8');
}
