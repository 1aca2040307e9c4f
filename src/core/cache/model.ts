// What the cache holds: projects, each with its customer types sorted by code, and the lookups
// over those sorted lists. Pure: no I/O.

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

/** All projects, sorted by (vbotId, projectCode). */
export type ProjectList = ReadonlyArray<CachedProject>;

/** Plain code-unit comparison: the same order on every machine, unlike localeCompare. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareProjectKeys(a: ProjectKey, b: ProjectKey): number {
  return compareCodeUnits(a.vbotId, b.vbotId) || compareCodeUnits(a.projectCode, b.projectCode);
}

/** Binary search in a sorted array: the index of the match, or `-(insertionPoint + 1)`. */
export function binarySearch<T>(items: ReadonlyArray<T>, compareToTarget: (item: T) => number): number {
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

export function findProjectIndex(projects: ProjectList, key: ProjectKey): number {
  return binarySearch(projects, (project) => compareProjectKeys(project, key));
}

export function findTypeIndex(types: ReadonlyArray<CachedType>, typeNo: string): number {
  return binarySearch(types, (type) => compareCodeUnits(type.typeNo, typeNo));
}

/** The type with this code in a project, if cached. */
export function findType(project: CachedProject, typeNo: string): CachedType | undefined {
  const index = findTypeIndex(project.types, typeNo);
  return index >= 0 ? project.types[index] : undefined;
}

// Values are frozen: a snapshot hands them out, and nobody may change what another reader sees.

export function makeProject(key: ProjectKey, types: ReadonlyArray<CachedType>): CachedProject {
  return Object.freeze({ vbotId: key.vbotId, projectCode: key.projectCode, types: Object.freeze(types) });
}

export function makeType(typeNo: string, typeName: string, updatedAt: string): CachedType {
  return Object.freeze({ typeNo, typeName, updatedAt });
}

/** Same projects with the same types, names and times (the lists need not be the same arrays). */
export function sameProjects(a: ProjectList, b: ProjectList): boolean {
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
