// The cache file's bytes as we write them, made a project at a time. Pure: no I/O. Loaded with the first write
// (edits.ts re-exports it, in the lazy group of edits): reading the cache does not need it.
//
// The text is exactly `JSON.stringify({ version: 1, projects }, null, 2) + '\n'` (a test holds it to that), but
// written from the known structure, and each project's part is kept with the project: projects are frozen, and
// an edit makes a new object only for the projects it changes, so a save after one change encodes one project
// and reuses the bytes of all the others. A generic stringify of 10,000 types took ~5 ms, then as long again
// to encode the text as UTF-8, on every save.
import { CACHE_SCHEMA_VERSION } from './cacheFile';
import type { CachedProject, CachedType, ProjectList } from './model';

/** The file's bytes in order: its head, each project's part with the commas between them, its tail. */
export type CacheBytes = ReadonlyArray<Buffer>;

const HEAD = Buffer.from(`{\n  "version": ${CACHE_SCHEMA_VERSION},\n  "projects": [`, 'utf8');
const COMMA = Buffer.from(',', 'utf8');
const TAIL = Buffer.from('\n  ]\n}\n', 'utf8');
const EMPTY_TAIL = Buffer.from(']\n}\n', 'utf8');

/**
 * Each frozen project's bytes. A WeakMap: a project no snapshot holds any more takes its bytes with it. Only
 * frozen projects (made by makeProject, with frozen types) are remembered: nothing can change them afterwards.
 */
const projectBytes = new WeakMap<CachedProject, Buffer>();

const type = (t: CachedType) =>
  `\n        {\n          "typeNo": ${JSON.stringify(t.typeNo)},\n          "typeName": ${JSON.stringify(t.typeName)},` +
  `\n          "updatedAt": ${JSON.stringify(t.updatedAt)}\n        }`;

/** One project as it stands in the file, from the line break before its "{" to its "}". */
function projectText(project: CachedProject): { text: string; frozen: boolean } {
  const types = project.types;
  let frozen = Object.isFrozen(project) && Object.isFrozen(types);
  let list = '[]';
  if (types.length > 0) {
    list = '[';
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      if (frozen && !Object.isFrozen(t)) frozen = false;
      list += (i === 0 ? '' : ',') + type(t);
    }
    list += '\n      ]';
  }
  const text =
    `\n    {\n      "vbotId": ${JSON.stringify(project.vbotId)},\n      "projectCode": ${JSON.stringify(project.projectCode)},` +
    `\n      "types": ${list}\n    }`;
  return { text, frozen };
}

function bytesOf(project: CachedProject): Buffer {
  const known = projectBytes.get(project);
  if (known) return known;
  const { text, frozen } = projectText(project);
  const bytes = Buffer.from(text, 'utf8');
  if (frozen) projectBytes.set(project, bytes);
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
