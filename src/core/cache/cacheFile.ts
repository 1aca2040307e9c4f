// The cache file's format: reading (with the checks a hand-edited file needs, and upgrades of older
// versions). Pure: text in, projects out. Writing is cacheText.ts's, loaded with the first write.
import { ISO_DATE_TIME, isRecord, stripBom } from '../jsonBasics';
import { acceptedValue, LIMITS } from '../validation';
import { type CachedProject, type CachedType, compareCodeUnits, compareProjectKeys, makeProject, makeType } from './model';

export const CACHE_SCHEMA_VERSION = 1;

/** Why a file cannot be used: it is not a cache file, or one of a version we do not know. */
export type CacheFileProblem = 'corrupt' | 'unsupportedVersion';

export type ParseOutcome = { ok: true; projects: CachedProject[] } | { ok: false; kind: CacheFileProblem; detail: string };

/**
 * Upgrades for older file versions: entry N turns a version-N file into a version-(N+1) file.
 * Version 1 is the first version, so there is nothing here yet.
 */
const MIGRATIONS: Readonly<Record<number, (file: Record<string, unknown>) => Record<string, unknown>>> = {};

// Checked by hand rather than with a zod schema: this runs while the extension starts, and loading
// zod and building schemas then cost more than reading the file (zod is loaded with the first API call).
// With 10,000 types a full zod schema also cost about 2x JSON.parse, the hand loop ~0.2x.

class ShapeError extends Error {}

/** Where a value is in the file: a project's index, and a type's within it (-1 for the project itself). The
 * message is made only when something is wrong: a text per type cost as much as checking it. */
const at = (project: number, type: number) => `projects[${project}]${type < 0 ? '' : `.types[${type}]`}`;

/**
 * A cached value must follow the rules of a typed one (src/core/validation.ts, whose check has a fast path for
 * plain values): a file edited by hand or by another program must not bring in control characters, line breaks
 * or huge values. A valid value is kept trimmed, as a typed one (nothing to trim: the very same string).
 */
function readValue(value: unknown, field: keyof typeof LIMITS, project: number, type: number): string {
  if (typeof value !== 'string') throw new ShapeError(`${at(project, type)}.${field} is not a string`);
  const accepted = acceptedValue(field, value);
  if (accepted === undefined)
    throw new ShapeError(`${at(project, type)}.${field} is not a valid value (empty, too long, or with control characters)`);
  return accepted;
}

function readType(value: unknown, project: number, index: number): CachedType {
  if (!isRecord(value)) throw new ShapeError(`${at(project, index)} is not an object`);
  const typeNo = readValue(value.typeNo, 'typeNo', project, index);
  const typeName = readValue(value.typeName, 'typeName', project, index);
  const updatedAt = value.updatedAt;
  if (typeof updatedAt !== 'string' || !ISO_DATE_TIME.test(updatedAt)) {
    throw new ShapeError(`${at(project, index)}.updatedAt is not an ISO date-time`);
  }
  return makeType(typeNo, typeName, updatedAt);
}

function readProject(value: unknown, index: number): CachedProject {
  if (!isRecord(value)) throw new ShapeError(`${at(index, -1)} is not an object`);
  const vbotId = readValue(value.vbotId, 'vbotId', index, -1);
  const projectCode = readValue(value.projectCode, 'projectCode', index, -1);
  const types = value.types;
  if (!Array.isArray(types)) throw new ShapeError(`${at(index, -1)}.types is not an array`);

  const readTypes = new Array<CachedType>(types.length);
  let sorted = true;
  for (let i = 0; i < types.length; i++) {
    readTypes[i] = readType(types[i], index, i);
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
  return makeProject({ vbotId, projectCode }, readTypes);
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
  const text = stripBom(fileText);
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
    for (let i = 0; i < rawProjects.length; i++) projects[i] = readProject(rawProjects[i], i);
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
