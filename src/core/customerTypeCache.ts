// Local cache of the customer types that exist on VBot, per (vbotId, projectCode).
//
// The VBot API cannot list customer types, so this file is the only picture the extension has
// of what exists. Two rules follow from that:
//   * it must never lose data: a file we cannot read is moved aside to a backup, never
//     overwritten, and every change is a read-modify-write of the *current* file under a
//     cross-process lock, so a change made by another VS Code window is never clobbered;
//   * it must never show a half-written state: we write a temp file, fsync it and rename it
//     over the cache, so a reader sees either the old or the new file, even after a crash.
//
// Pure core: no `vscode` import. The VS Code layer wires `reload()` to a file watcher.

import { promises as fs } from 'node:fs';
import { readBytesOrNull, removeOrphanTempFiles, renameWithRetry, writeFileAtomically, withFileLock } from './atomicFile';
import { inDisplayOrder } from './displayOrder';
import type { ImportPlan } from './importExport';
import { acceptedValue, LIMITS } from './validation';

export const CACHE_SCHEMA_VERSION = 1;

export interface CachedType {
  readonly typeNo: string;
  readonly typeName: string;
  /** ISO 8601 time of the last change the extension recorded for this type. */
  readonly updatedAt: string;
}

export interface CachedProject {
  readonly vbotId: string;
  readonly projectCode: string;
  /** Sorted by typeNo (UTF-16 code-unit order, independent of the locale). */
  readonly types: ReadonlyArray<CachedType>;
}

export interface ProjectKey {
  readonly vbotId: string;
  readonly projectCode: string;
}

export type CacheProblem = {
  kind: 'corrupt' | 'unsupportedVersion';
  /** Where the unreadable file was moved; it is never overwritten or deleted. */
  backupPath: string;
  /** Short English explanation, for the log. */
  detail: string;
};

export interface CustomerTypeCacheOptions {
  onProblem?: (problem: CacheProblem) => void;
  now?: () => Date;
}

export interface Disposable {
  dispose(): void;
}

/** Thrown by `changeTypeCode` when the cache no longer matches what the caller assumed. */
export class CacheConflictError extends Error {
  constructor(
    readonly code: 'typeNotFound' | 'typeExists',
    message: string,
  ) {
    super(message);
    this.name = 'CacheConflictError';
  }
}

// ---------------------------------------------------------------------------------------------
// Ordering and lookups

/** Plain code-unit comparison: the same order on every machine, unlike localeCompare. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareProjectKeys(a: ProjectKey, b: ProjectKey): number {
  return compareCodeUnits(a.vbotId, b.vbotId) || compareCodeUnits(a.projectCode, b.projectCode);
}

/** Binary search in a sorted array: the index of the match, or `-(insertionPoint + 1)`. */
function binarySearch<T>(items: ReadonlyArray<T>, compareToTarget: (item: T) => number): number {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = compareToTarget(items[middle]);
    if (order < 0) low = middle + 1;
    else if (order > 0) high = middle - 1;
    else return middle;
  }
  return -(low + 1);
}

function findProjectIndex(projects: ReadonlyArray<CachedProject>, key: ProjectKey): number {
  return binarySearch(projects, (project) => compareProjectKeys(project, key));
}

function findTypeIndex(types: ReadonlyArray<CachedType>, typeNo: string): number {
  return binarySearch(types, (type) => compareCodeUnits(type.typeNo, typeNo));
}

/** The type with this code in a project, if cached. */
export function findType(project: CachedProject, typeNo: string): CachedType | undefined {
  const index = findTypeIndex(project.types, typeNo);
  return index >= 0 ? project.types[index] : undefined;
}

/** An immutable picture of the cache at one moment. */
export class CacheSnapshot {
  static readonly empty = new CacheSnapshot([]);

  constructor(private readonly projectList: ReadonlyArray<CachedProject>) {
    Object.freeze(projectList);
  }

  /** All projects, sorted by (vbotId, projectCode). */
  projects(): ReadonlyArray<CachedProject> {
    return this.projectList;
  }

  project(vbotId: string, projectCode: string): CachedProject | undefined {
    const index = findProjectIndex(this.projectList, { vbotId, projectCode });
    return index >= 0 ? this.projectList[index] : undefined;
  }

  findType(vbotId: string, projectCode: string, typeNo: string): CachedType | undefined {
    const project = this.project(vbotId, projectCode);
    return project && findType(project, typeNo);
  }

  typeCount(): number {
    let count = 0;
    for (const project of this.projectList) count += project.types.length;
    return count;
  }
}

// ---------------------------------------------------------------------------------------------
// File format: parse and serialize

type ParseOutcome =
  | { ok: true; projects: CachedProject[] }
  | { ok: false; kind: CacheProblem['kind']; detail: string };

/**
 * Upgrades for older file versions: entry N turns a version-N file into a version-(N+1) file.
 * Version 1 is the first version, so there is nothing here yet.
 */
const MIGRATIONS: Readonly<Record<number, (file: Record<string, unknown>) => Record<string, unknown>>> = {};

// Checked by hand rather than with a zod schema: this runs while the extension starts, and loading
// zod and building schemas then cost more than reading the file (zod is loaded with the first API call).
// With 10,000 types a full zod schema also cost about 2x JSON.parse, the hand loop ~0.2x.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class ShapeError extends Error {}

/** Characters a value may hold only after a closer look: controls, U+061C, and all from U+2000 on. */
// eslint-disable-next-line no-control-regex
const NEEDS_FULL_CHECK = /[\u0000-\u001f\u007f-\u009f\u061c\u2000-\uffff]/;

/**
 * True if `value` is certainly valid exactly as it is: printable characters below U+2000 (ASCII,
 * Latin and Vietnamese letters: nearly every value), not too long, nothing to trim. No allocation
 * and one native scan, so checking 10,000 types costs little next to JSON.parse (about 1.5 ms);
 * anything else goes to the full validator.
 */
function isPlainValue(value: string, max: number): boolean {
  const length = value.length;
  if (length === 0 || length > max) return false; // UTF-16 units ≥ characters: within the limit
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(length - 1);
  // The only characters below U+2000 that trim() removes.
  if (first <= 0x20 || first === 0xa0 || first === 0x1680 || last <= 0x20 || last === 0xa0 || last === 0x1680) return false;
  return !NEEDS_FULL_CHECK.test(value);
}

/**
 * A cached value must follow the rules of a typed one (src/core/validation.ts): a file edited by
 * hand or by another program must not bring in control characters, line breaks or huge values.
 * The value is kept as the file has it when it is valid without trimming, else trimmed as a typed one.
 */
function readValue(value: unknown, field: keyof typeof LIMITS, where: string): string {
  if (typeof value !== 'string') throw new ShapeError(`${where}.${field} is not a string`);
  if (isPlainValue(value, LIMITS[field])) return value;
  const accepted = acceptedValue(field, value);
  if (accepted === undefined) throw new ShapeError(`${where}.${field} is not a valid value (empty, too long, or with control characters)`);
  return accepted;
}

function readType(value: unknown, where: string): CachedType {
  if (!isRecord(value)) throw new ShapeError(`${where} is not an object`);
  const typeNo = readValue(value.typeNo, 'typeNo', where);
  const typeName = readValue(value.typeName, 'typeName', where);
  const updatedAt = value.updatedAt;
  if (typeof updatedAt !== 'string' || !ISO_DATE_TIME.test(updatedAt)) {
    throw new ShapeError(`${where}.updatedAt is not an ISO date-time`);
  }
  return Object.freeze({ typeNo, typeName, updatedAt });
}

function readProject(value: unknown, where: string): CachedProject {
  if (!isRecord(value)) throw new ShapeError(`${where} is not an object`);
  const vbotId = readValue(value.vbotId, 'vbotId', where);
  const projectCode = readValue(value.projectCode, 'projectCode', where);
  const types = value.types;
  if (!Array.isArray(types)) throw new ShapeError(`${where}.types is not an array`);

  const readTypes = new Array<CachedType>(types.length);
  let sorted = true;
  for (let i = 0; i < types.length; i++) {
    readTypes[i] = readType(types[i], `${where}.types[${i}]`);
    if (i > 0 && compareCodeUnits(readTypes[i - 1].typeNo, readTypes[i].typeNo) >= 0) sorted = false;
  }
  // A hand-edited file may be out of order; order is not data, so we just fix it.
  // Duplicates are data we cannot choose between, so they make the file unreadable.
  if (!sorted) {
    readTypes.sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo));
    for (let i = 1; i < readTypes.length; i++) {
      if (readTypes[i - 1].typeNo === readTypes[i].typeNo) {
        throw new ShapeError(`duplicate typeNo "${readTypes[i].typeNo}" in ${vbotId}/${projectCode}`);
      }
    }
  }
  return Object.freeze({ vbotId, projectCode, types: Object.freeze(readTypes) });
}

function upgradeToCurrentVersion(
  file: Record<string, unknown>,
): { ok: true; file: Record<string, unknown> } | Extract<ParseOutcome, { ok: false }> {
  let current = file;
  while (current.version !== CACHE_SCHEMA_VERSION) {
    const version = current.version;
    if (typeof version !== 'number' || !Number.isInteger(version)) {
      return { ok: false, kind: 'corrupt', detail: 'missing or invalid "version"' };
    }
    const migrate = MIGRATIONS[version];
    if (!migrate) {
      return { ok: false, kind: 'unsupportedVersion', detail: `unsupported version ${version}` };
    }
    current = migrate(current);
  }
  return { ok: true, file: current };
}

/** Parses the text of a cache file. Exported for tests and benchmarks. */
export function parseCacheText(fileText: string): ParseOutcome {
  // Editors on Windows may add a BOM when someone edits the file by hand; it is not data.
  const text = fileText.charCodeAt(0) === 0xfeff ? fileText.slice(1) : fileText;
  if (text.trim() === '') return { ok: false, kind: 'corrupt', detail: 'file is empty' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, kind: 'corrupt', detail: `invalid JSON: ${(error as Error).message}` };
  }
  if (!isRecord(json)) return { ok: false, kind: 'corrupt', detail: 'top level is not an object' };

  const upgraded = upgradeToCurrentVersion(json);
  if (!upgraded.ok) return upgraded;

  // The migrations end at the current version, so only the project list is left to check here.
  const rawProjects = upgraded.file.projects;
  if (!Array.isArray(rawProjects)) return { ok: false, kind: 'corrupt', detail: 'projects: expected an array' };

  try {
    const projects = new Array<CachedProject>(rawProjects.length);
    for (let i = 0; i < rawProjects.length; i++) projects[i] = readProject(rawProjects[i], `projects[${i}]`);
    projects.sort(compareProjectKeys);
    for (let i = 1; i < projects.length; i++) {
      if (compareProjectKeys(projects[i - 1], projects[i]) === 0) {
        throw new ShapeError(`duplicate project ${projects[i].vbotId}/${projects[i].projectCode}`);
      }
    }
    return { ok: true, projects };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, kind: 'corrupt', detail: error.message };
    throw error;
  }
}

/** The exact text we write: sorted, 2-space indent, trailing newline. */
export function serializeCache(projects: ReadonlyArray<CachedProject>): string {
  // Objects are always built with their keys in file order, so stringify needs no replacer.
  return JSON.stringify({ version: CACHE_SCHEMA_VERSION, projects }, null, 2) + '\n';
}

function sameProjects(a: ReadonlyArray<CachedProject>, b: ReadonlyArray<CachedProject>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const left = a[i];
    const right = b[i];
    if (left === right) continue;
    if (left.vbotId !== right.vbotId || left.projectCode !== right.projectCode) return false;
    if (left.types.length !== right.types.length) return false;
    for (let j = 0; j < left.types.length; j++) {
      const x = left.types[j];
      const y = right.types[j];
      if (x.typeNo !== y.typeNo || x.typeName !== y.typeName || x.updatedAt !== y.updatedAt) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Changes, as pure functions from one project list to the next.
// Each returns the very same array when nothing changes, so the caller can skip the write.

type ProjectList = ReadonlyArray<CachedProject>;

function makeProject(key: ProjectKey, types: ReadonlyArray<CachedType>): CachedProject {
  return Object.freeze({ vbotId: key.vbotId, projectCode: key.projectCode, types: Object.freeze(types) });
}

function makeType(typeNo: string, typeName: string, updatedAt: string): CachedType {
  return Object.freeze({ typeNo, typeName, updatedAt });
}

function withProjectAdded(projects: ProjectList, key: ProjectKey): ProjectList {
  const index = findProjectIndex(projects, key);
  if (index >= 0) return projects;
  const next = projects.slice();
  next.splice(-(index + 1), 0, makeProject(key, []));
  return next;
}

function withProjectRemoved(projects: ProjectList, key: ProjectKey): ProjectList {
  const index = findProjectIndex(projects, key);
  if (index < 0) return projects;
  const next = projects.slice();
  next.splice(index, 1);
  return next;
}

/** Replaces one project's type list, creating the project if `createProject` is set. */
function withTypesEdited(
  projects: ProjectList,
  key: ProjectKey,
  createProject: boolean,
  edit: (types: ReadonlyArray<CachedType>) => ReadonlyArray<CachedType>,
): ProjectList {
  const index = findProjectIndex(projects, key);
  if (index < 0 && !createProject) return projects;
  const oldTypes = index >= 0 ? projects[index].types : [];
  const newTypes = edit(oldTypes);
  if (index >= 0 && newTypes === oldTypes) return projects;
  const next = projects.slice();
  if (index >= 0) next[index] = makeProject(key, newTypes);
  else next.splice(-(index + 1), 0, makeProject(key, newTypes));
  return next;
}

function typesWithUpsert(types: ReadonlyArray<CachedType>, typeNo: string, typeName: string, now: string) {
  const index = findTypeIndex(types, typeNo);
  if (index >= 0 && types[index].typeName === typeName) return types;
  const next = types.slice();
  const type = makeType(typeNo, typeName, now);
  if (index >= 0) next[index] = type;
  else next.splice(-(index + 1), 0, type);
  return next;
}

function typesWithRemoval(types: ReadonlyArray<CachedType>, typeNo: string) {
  const index = findTypeIndex(types, typeNo);
  if (index < 0) return types;
  const next = types.slice();
  next.splice(index, 1);
  return next;
}

function typesWithCodeChange(types: ReadonlyArray<CachedType>, oldNo: string, newNo: string, now: string) {
  const oldIndex = findTypeIndex(types, oldNo);
  if (oldIndex < 0) throw new CacheConflictError('typeNotFound', `type "${oldNo}" is not in the cache`);
  if (oldNo === newNo) return types;
  if (findTypeIndex(types, newNo) >= 0) {
    throw new CacheConflictError('typeExists', `type "${newNo}" is already in the cache`);
  }
  const renamed = typesWithRemoval(types, oldNo);
  return typesWithUpsert(renamed, newNo, types[oldIndex].typeName, now);
}

/**
 * Many upserts into one project at once: the upserts in code order (a file exported from here already
 * is, so the sort has little to do), merged with the types in one pass instead of n splices.
 * Of two upserts with one code the later wins.
 */
function typesWithManyUpserts(
  types: ReadonlyArray<CachedType>,
  upserts: ReadonlyArray<{ typeNo: string; typeName: string }>,
  now: string,
) {
  // Array sort is stable: of equal codes, the later upsert stays later.
  const incoming = isInCodeOrder(upserts) ? upserts : upserts.slice().sort((x, y) => compareCodeUnits(x.typeNo, y.typeNo));
  const merged: CachedType[] = [];
  let changed = false;
  let i = 0;
  for (let j = 0; j < incoming.length; j++) {
    const { typeNo, typeName } = incoming[j];
    if (j + 1 < incoming.length && incoming[j + 1].typeNo === typeNo) continue; // a later upsert of the same code
    while (i < types.length && types[i].typeNo < typeNo) merged.push(types[i++]);
    const existing = i < types.length && types[i].typeNo === typeNo ? types[i++] : undefined;
    if (existing?.typeName === typeName) {
      merged.push(existing);
    } else {
      merged.push(makeType(typeNo, typeName, now));
      changed = true;
    }
  }
  if (!changed) return types;
  while (i < types.length) merged.push(types[i++]);
  return merged;
}

function isInCodeOrder(items: ReadonlyArray<{ typeNo: string }>): boolean {
  for (let i = 1; i < items.length; i++) if (items[i - 1].typeNo > items[i].typeNo) return false;
  return true;
}

/** The project list after an import: what applyImport writes. Pure; exported for the benchmark. */
export function withImportApplied(projects: ProjectList, plan: ImportPlan, now: string): ProjectList {
  type Group = { key: ProjectKey; upserts: { typeNo: string; typeName: string }[] };
  const upsertsByProject = new Map<string, Group>();
  // Rows come grouped by project as a rule: the last group is checked before the map.
  let last: Group | undefined;
  const groupFor = (key: ProjectKey) => {
    if (last && last.key.vbotId === key.vbotId && last.key.projectCode === key.projectCode) return last;
    const id = `${key.vbotId}\u0000${key.projectCode}`; // values hold no control characters
    let group = upsertsByProject.get(id);
    if (!group) upsertsByProject.set(id, (group = { key, upserts: [] }));
    last = group;
    return group;
  };
  for (const project of plan.newProjects) groupFor(project);
  for (const row of plan.add) groupFor(row).upserts.push({ typeNo: row.typeNo, typeName: row.typeName });
  for (const row of plan.change) groupFor(row).upserts.push({ typeNo: row.typeNo, typeName: row.newName });

  let next = projects;
  for (const { key, upserts } of upsertsByProject.values()) {
    next = withTypesEdited(next, key, true, (types) => typesWithManyUpserts(types, upserts, now));
  }
  return next;
}

// ---------------------------------------------------------------------------------------------
// File system helpers

async function exists(filePath: string): Promise<boolean> {
  try {
    await fs.lstat(filePath);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The cache

/** A project list and the file bytes it came from (null: there is no file). */
interface FileState {
  projects: ProjectList;
  bytes: Buffer | null;
}

export class CustomerTypeCache {
  private current: CacheSnapshot = CacheSnapshot.empty;
  /** The exact file bytes behind `current` (null: no file), to skip re-parsing unchanged files. */
  private knownFileBytes: Buffer | null | undefined = undefined;
  private readonly listeners = new Set<(snapshot: CacheSnapshot) => void>();
  /** Serializes this instance's operations, so they never race each other for the lock. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly onProblem: (problem: CacheProblem) => void;
  private readonly now: () => Date;

  constructor(
    readonly filePath: string,
    options: CustomerTypeCacheOptions = {},
  ) {
    this.onProblem = options.onProblem ?? (() => undefined);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Reads the file. A missing file is an empty cache; an unreadable one is backed up first.
   * Each project's display order is worked out here, while the extension starts, rather than when
   * the tree first shows the project (later changes are placed into the order one by one).
   */
  load(): Promise<CacheSnapshot> {
    return this.enqueue(async () => {
      await removeOrphanTempFiles(this.filePath);
      const snapshot = await this.readFromDisk();
      for (const project of snapshot.projects()) inDisplayOrder(project.types);
      return snapshot;
    });
  }

  /** Re-reads the file, e.g. when a watcher saw another window write it. */
  reload(): Promise<CacheSnapshot> {
    return this.enqueue(() => this.readFromDisk());
  }

  /** The last loaded or written state. */
  snapshot(): CacheSnapshot {
    return this.current;
  }

  /** Called after a write or a reload changed the snapshot. Not called for no-op changes. */
  onDidChange(listener: (snapshot: CacheSnapshot) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.listeners.clear();
  }

  addProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> {
    return this.mutate((projects) => withProjectAdded(projects, { vbotId, projectCode }));
  }

  /** Forgets the project and all its types (locally only). */
  removeProject(vbotId: string, projectCode: string): Promise<CacheSnapshot> {
    return this.mutate((projects) => withProjectRemoved(projects, { vbotId, projectCode }));
  }

  /** Adds or renames a type, creating the project if needed. Same name again: no write. */
  upsertType(
    vbotId: string,
    projectCode: string,
    type: { typeNo: string; typeName: string },
  ): Promise<CacheSnapshot> {
    return this.mutate((projects, now) =>
      withTypesEdited(projects, { vbotId, projectCode }, true, (types) =>
        typesWithUpsert(types, type.typeNo, type.typeName, now),
      ),
    );
  }

  removeType(vbotId: string, projectCode: string, typeNo: string): Promise<CacheSnapshot> {
    return this.mutate((projects) =>
      withTypesEdited(projects, { vbotId, projectCode }, false, (types) => typesWithRemoval(types, typeNo)),
    );
  }

  /**
   * Renames a type's code, keeping its name.
   * Rejects with CacheConflictError if `oldNo` is not cached or `newNo` already is.
   */
  changeTypeCode(vbotId: string, projectCode: string, oldNo: string, newNo: string): Promise<CacheSnapshot> {
    return this.mutate((projects, now) => {
      if (findProjectIndex(projects, { vbotId, projectCode }) < 0) {
        throw new CacheConflictError('typeNotFound', `type "${oldNo}" is not in the cache`);
      }
      return withTypesEdited(projects, { vbotId, projectCode }, false, (types) =>
        typesWithCodeChange(types, oldNo, newNo, now),
      );
    });
  }

  /** Applies a whole import in one write: all of it lands, or none of it. */
  applyImport(plan: ImportPlan): Promise<CacheSnapshot> {
    return this.mutate((projects, now) => withImportApplied(projects, plan, now));
  }

  // -------------------------------------------------------------------------------------------

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async readFromDisk(): Promise<CacheSnapshot> {
    const bytes = await readBytesOrNull(this.filePath);
    if (this.isKnown(bytes)) return this.current; // our own write, or nothing new

    const outcome = bytes === null ? ({ ok: true, projects: [] } as const) : parseCacheText(bytes.toString('utf8'));
    if (outcome.ok) {
      this.adopt(outcome.projects, bytes);
      return this.current;
    }
    // Moving a bad file aside needs the lock: another window may be replacing it right now.
    let fresh!: FileState;
    await withFileLock(this.filePath, 'cache', async () => {
      fresh = await this.readCurrentFileUnderLock();
    });
    this.adopt(fresh.projects, fresh.bytes);
    return this.current;
  }

  /**
   * One atomic read-modify-write. `change` gets the file's current content (not our possibly
   * stale snapshot), so changes other windows made in the meantime are kept.
   */
  private mutate(change: (projects: ProjectList, now: string) => ProjectList): Promise<CacheSnapshot> {
    return this.enqueue(async () => {
      let state: FileState | undefined;
      try {
        await withFileLock(this.filePath, 'cache', async (assertLockHeld) => {
          const base = await this.readCurrentFileUnderLock();
          state = base; // if the change is refused, we still show what the file holds now
          const next = change(base.projects, this.now().toISOString());
          if (next === base.projects) return; // nothing to write
          const bytes = Buffer.from(serializeCache(next), 'utf8');
          await writeFileAtomically(this.filePath, bytes, assertLockHeld);
          state = { projects: next, bytes };
        });
      } finally {
        // Listeners run after the lock is released, so a slow listener cannot block other windows.
        if (state) this.adopt(state.projects, state.bytes);
      }
      return this.current;
    });
  }

  /** Reads the file while holding the lock; a bad file is moved to a backup and reported. */
  private async readCurrentFileUnderLock(): Promise<FileState> {
    const bytes = await readBytesOrNull(this.filePath);
    if (bytes === null) return { projects: [], bytes: null };
    if (this.isKnown(bytes)) return { projects: this.current.projects(), bytes };

    const outcome = parseCacheText(bytes.toString('utf8'));
    if (outcome.ok) return { projects: outcome.projects, bytes };

    const backupPath = await this.moveToBackup();
    this.onProblem({ kind: outcome.kind, backupPath, detail: outcome.detail });
    return { projects: [], bytes: null };
  }

  /** True if the file holds exactly what `current` was built from. */
  private isKnown(bytes: Buffer | null): boolean {
    const known = this.knownFileBytes;
    if (known === undefined) return false;
    if (bytes === null || known === null) return bytes === known;
    return bytes.equals(known);
  }

  /** Renames the cache file to `<file>.bad-<time>`, adding `-2`, `-3`... rather than overwrite. */
  private async moveToBackup(): Promise<string> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    let backupPath = `${this.filePath}.bad-${stamp}`;
    for (let suffix = 2; await exists(backupPath); suffix++) {
      backupPath = `${this.filePath}.bad-${stamp}-${suffix}`;
    }
    // Safe from races: only holders of the lock create backups.
    await renameWithRetry(this.filePath, backupPath);
    return backupPath;
  }

  /** Takes the new state and tells listeners, if it differs from what they saw. */
  private adopt(projects: ProjectList, bytes: Buffer | null): void {
    this.knownFileBytes = bytes;
    if (sameProjects(projects, this.current.projects())) return;
    this.current = new CacheSnapshot(projects);
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current);
      } catch (error) {
        // A broken listener must not turn a successful write into a failure.
        console.error('CustomerTypeCache listener failed:', error);
      }
    }
  }

}
