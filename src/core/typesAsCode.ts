// Customer types as code: a workspace file, `vbot-types.json`, declares the customer types a team
// wants on VBot; we compare it with the local cache (what exists on the server, as far as the
// extension knows) and produce a plan, which the VS Code layer shows and then applies through the
// API. Pure functions: no I/O, no vscode, nothing is sent while planning.
//
// The file (JSON Schema: media/vbot-types.schema.json):
//
//   {
//     "$schema": "…",                  optional, ignored (editors use it)
//     "version": 1,                     required
//     "projects": [
//       {
//         "vbotId": "VB-DEMO-0001",     the account
//         "projectCode": "SALES",
//         "deleteUnlisted": false,      optional. false (default): types in the cache but not in
//                                       this list are left alone; true: they are deleted
//         "types": [
//           { "typeNo": "VIP", "typeName": "Khách hàng VIP", "previousCodes": ["KH_VIP"] }
//         ]
//       }
//     ]
//   }
//
// Values follow validation.ts (trimmed; not empty; no control or invisible characters; at most
// 100 characters for vbotId/projectCode, 50 for codes, 255 for names). Refused as duplicates: the
// same project twice; the same typeNo twice in a project; a previous code listed twice, by one
// type or by two; a type's own typeNo among its previousCodes. Also refused: previous codes that
// go round in a loop (B lists A, A lists B: a swap), see below. A previous code MAY be another
// listed type's typeNo: that is how a chain is written (GOLD was VIP, VIP was SILVER).
//
// previousCodes: the codes a type had before. Matching, per project:
//   * a listed type whose typeNo is in the cache is that cached type (a rename if names differ);
//   * a listed type whose typeNo is NOT in the cache takes the first of its previousCodes that is
//     in the cache: one changeCode (updateNo) instead of delete + add, then a rename if the name
//     differs, or an add when none is;
//   * a code that moves away frees it: if it is the typeNo of another listed type, that type now
//     needs a source of its own, the same way (a chain: SILVER → VIP while VIP → GOLD; VIP → GOLD
//     goes first, and SILVER → VIP depends on it). Codes that name each other in a loop (a swap:
//     A was B and B was A) cannot be swapped with updateNo alone (either call would collide); the
//     reader refuses such a file, and computePlan, given such a state built some other way,
//     leaves those types untouched with a problem saying how to do it in two steps. The rules
//     make the plan converge: once it is applied, planning the same file again gives no items.
//   * a cached code listed as a previous code is never deleted, even with deleteUnlisted; if it
//     is not listed as a type and did not move (its type's code exists too), that is a problem.

import { compareCodeUnits, type CacheSnapshot, type CachedType, type ProjectKey } from './customerTypeCache';
import { jsonSyntaxErrorOffset, lineAndColumnAt } from './json';
import {
  LIMITS,
  validateProjectCode,
  validateTypeName,
  validateTypeNo,
  validateVbotId,
  type ValidationResult,
} from './validation';

export const DESIRED_STATE_FILE_NAME = 'vbot-types.json';
export const DESIRED_STATE_VERSION = 1;

export const DESIRED_STATE_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  /** More errors than this are not useful to show; reading stops there. */
  maxErrors: 100,
} as const;

// ---------------------------------------------------------------------------------------------
// Types

export interface DesiredType {
  readonly typeNo: string;
  readonly typeName: string;
  /** In file order; `[]` when the file has none. */
  readonly previousCodes: ReadonlyArray<string>;
}

export interface DesiredProject {
  readonly vbotId: string;
  readonly projectCode: string;
  readonly deleteUnlisted: boolean;
  /** In file order. */
  readonly types: ReadonlyArray<DesiredType>;
}

export interface DesiredState {
  readonly version: 1;
  /** In file order. */
  readonly projects: ReadonlyArray<DesiredProject>;
}

export type DesiredStateErrorCode =
  | 'tooLarge'
  | 'emptyFile'
  | 'badJson'
  | 'wrongType'
  | 'missing'
  | 'unknownProperty'
  | 'unsupportedVersion'
  | 'empty'
  | 'tooLong'
  | 'controlChar'
  | 'duplicateProject'
  | 'duplicateTypeNo'
  | 'duplicatePreviousCode'
  | 'previousCodeIsOwnCode'
  | 'previousCodeLoop';

export interface DesiredStateError {
  /** JSON path of the faulty value, e.g. `projects[0].types[3].typeNo`; `''` for the file as a whole. */
  path: string;
  /** Stable code, so the UI can show its own translated text. */
  code: DesiredStateErrorCode;
  /** Short English text (without the path), for logs and as a fallback. */
  message: string;
  /** For 'badJson': 1-based line and column (UTF-16 units) of the error, when known. */
  line?: number;
  column?: number;
  /** For 'tooLong': the limit, in characters. */
  max?: number;
}

export type DesiredStateParseResult =
  | { ok: true; state: DesiredState }
  | { ok: false; errors: DesiredStateError[] };

interface PlanItemBase {
  /** Stable and unique within a plan: `kind:vbotId/projectCode/code`, each part URI-encoded. */
  readonly id: string;
  readonly vbotId: string;
  readonly projectCode: string;
  /** Id of an item that must succeed first; if it fails, skip this one. */
  readonly dependsOn?: string;
}

export interface AddItem extends PlanItemBase {
  readonly kind: 'add';
  readonly typeNo: string;
  readonly typeName: string;
}

export interface RenameItem extends PlanItemBase {
  readonly kind: 'rename';
  /** The code the type has when the rename runs (the new one, after a changeCode). */
  readonly typeNo: string;
  readonly oldName: string;
  readonly newName: string;
}

export interface ChangeCodeItem extends PlanItemBase {
  readonly kind: 'changeCode';
  readonly oldTypeNo: string;
  readonly newTypeNo: string;
  /** The type's current name (a name change is a separate rename item). */
  readonly typeName: string;
}

export interface DeleteItem extends PlanItemBase {
  readonly kind: 'delete';
  readonly typeNo: string;
  readonly typeName: string;
}

export type PlanItem = AddItem | RenameItem | ChangeCodeItem | DeleteItem;

export interface Plan {
  /**
   * In the order to apply them: projects sorted by (vbotId, projectCode); within a project code
   * changes (chains in a workable order), then deletes, adds and renames, each sorted by code.
   */
  readonly items: ReadonlyArray<PlanItem>;
  /** Listed types that already exist with the same code and name. */
  readonly unchanged: number;
  /** Cached types the file does not mention, left alone because deleteUnlisted is off. */
  readonly unlisted: number;
  /**
   * What the file asks for but the plan leaves out, and why (English, prefixed with the project).
   * The items are consistent without them; a careful UI shows them and asks before applying.
   */
  readonly problems: ReadonlyArray<string>;
}

// ---------------------------------------------------------------------------------------------
// Parsing

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

class StopReading extends Error {}

class ErrorList {
  readonly errors: DesiredStateError[] = [];

  add(error: DesiredStateError): void {
    this.errors.push(error);
    if (this.errors.length >= DESIRED_STATE_LIMITS.maxErrors) throw new StopReading();
  }

  /** The trimmed, valid string at `path`, or undefined after recording why it is not. */
  text(path: string, field: string, value: unknown, validate: (value: unknown) => ValidationResult): string | undefined {
    if (value === undefined) {
      this.add({ path, code: 'missing', message: `"${field}" is required` });
      return undefined;
    }
    const result = validate(value);
    if (result.ok) return result.value;
    switch (result.code) {
      case 'notString':
        this.add({ path, code: 'wrongType', message: `${field} must be a string, not ${describeJsonType(value)}` });
        break;
      case 'empty':
        this.add({ path, code: 'empty', message: `${field} is empty` });
        break;
      case 'tooLong':
        this.add({ path, code: 'tooLong', max: result.max, message: `${field} is longer than ${result.max} characters` });
        break;
      case 'controlChar':
        this.add({ path, code: 'controlChar', message: `${field} contains a control or invisible character` });
        break;
    }
    return undefined;
  }

  /** The object at `path`, after recording properties it does not know. */
  object(path: string, what: string, value: unknown, known: ReadonlyArray<string>): Record<string, unknown> | undefined {
    if (!isRecord(value)) {
      this.add({ path, code: 'wrongType', message: `${what} must be an object, not ${describeJsonType(value)}` });
      return undefined;
    }
    this.unknownKeys(path, value, known);
    return value;
  }

  unknownKeys(path: string, value: Record<string, unknown>, known: ReadonlyArray<string>): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.add({
          path: joinPath(path, key),
          code: 'unknownProperty',
          message: `unknown property "${key}" (expected ${known.map((k) => `"${k}"`).join(', ')})`,
        });
      }
    }
  }

  array(path: string, field: string, value: unknown, required: boolean): unknown[] | undefined {
    if (value === undefined) {
      if (required) this.add({ path, code: 'missing', message: `"${field}" is required` });
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.add({ path, code: 'wrongType', message: `${field} must be an array, not ${describeJsonType(value)}` });
      return undefined;
    }
    return value;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `projects[0].types`, `["odd key"]`: the paths users know from JavaScript. */
function joinPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Reads the text of a `vbot-types.json` file. Any error: `ok: false`, all errors found (up to 100). */
export function parseDesiredState(text: string): DesiredStateParseResult {
  if (text.length > DESIRED_STATE_LIMITS.maxBytes || Buffer.byteLength(text, 'utf8') > DESIRED_STATE_LIMITS.maxBytes) {
    const max = DESIRED_STATE_LIMITS.maxBytes;
    return { ok: false, errors: [{ path: '', code: 'tooLarge', max, message: `file is larger than ${max / 1024 / 1024} MiB` }] };
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, errors: [{ path: '', code: 'emptyFile', message: 'file is empty' }] };

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, errors: [jsonSyntaxError(body, (error as Error).message)] };
  }

  const errors = new ErrorList();
  let state: DesiredState | undefined;
  try {
    state = readState(json, errors);
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
  return errors.errors.length > 0 || !state ? { ok: false, errors: errors.errors } : { ok: true, state };
}

// --- JSON syntax errors: where exactly

/** Where JSON.parse gave up: from its message, or, when that names no position, by one linear scan. */
function jsonErrorOffset(text: string, message: string): number {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) {
    let offset = 0;
    for (let line = 1; line < Number(lineColumn[1]); line++) {
      const lineEnd = text.indexOf('\n', offset);
      if (lineEnd === -1) break;
      offset = lineEnd + 1;
    }
    return offset + Number(lineColumn[2]) - 1;
  }
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  // "Unexpected token 'x', "…" is not valid JSON". (Parsing ever longer prefixes to find it cost
  // 2 s of the extension host's thread on a 5 MB file.)
  const offset = jsonSyntaxErrorOffset(text);
  return offset === -1 ? 0 : offset;
}

function jsonSyntaxError(text: string, message: string): DesiredStateError {
  const { line, column } = lineAndColumnAt(text, jsonErrorOffset(text, message));
  // V8's message quotes the document; keep only the explanation.
  const reason = message
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
  return { path: '', code: 'badJson', line, column, message: `invalid JSON at line ${line}, column ${column}: ${reason}` };
}

// --- Shape and values

const ROOT_KEYS = ['$schema', 'version', 'projects'] as const;
const PROJECT_KEYS = ['vbotId', 'projectCode', 'deleteUnlisted', 'types'] as const;
const TYPE_KEYS = ['typeNo', 'typeName', 'previousCodes'] as const;

function readState(json: unknown, errors: ErrorList): DesiredState | undefined {
  if (!isRecord(json)) {
    errors.add({ path: '', code: 'wrongType', message: `the file must hold an object, not ${describeJsonType(json)}` });
    return undefined;
  }
  const root = json;

  if (root.$schema !== undefined && typeof root.$schema !== 'string') {
    errors.add({ path: '$schema', code: 'wrongType', message: `$schema must be a string, not ${describeJsonType(root.$schema)}` });
  }
  if (root.version === undefined) {
    errors.add({ path: 'version', code: 'missing', message: '"version" is required (1)' });
  } else if (root.version !== DESIRED_STATE_VERSION) {
    const code = typeof root.version === 'number' ? 'unsupportedVersion' : 'wrongType';
    errors.add({ path: 'version', code, message: `unsupported version ${JSON.stringify(root.version)} (expected 1)` });
    return undefined; // another version may mean another shape: its other errors would mislead
  }
  errors.unknownKeys('', root, ROOT_KEYS);

  const rawProjects = errors.array('projects', 'projects', root.projects, true);
  if (!rawProjects) return undefined;
  const projects: DesiredProject[] = [];
  const projectAt = new Map<string, number>();
  rawProjects.forEach((rawProject, index) => {
    const path = `projects[${index}]`;
    const project = readProject(rawProject, path, errors);
    if (!project) return;
    const key = JSON.stringify([project.vbotId, project.projectCode]);
    const first = projectAt.get(key);
    if (first !== undefined) {
      errors.add({
        path,
        code: 'duplicateProject',
        message: `project ${project.vbotId}/${project.projectCode} is already listed at projects[${first}]`,
      });
      return;
    }
    projectAt.set(key, index);
    projects.push(project);
  });
  return { version: DESIRED_STATE_VERSION, projects };
}

function readProject(value: unknown, path: string, errors: ErrorList): DesiredProject | undefined {
  const project = errors.object(path, 'a project', value, PROJECT_KEYS);
  if (!project) return undefined;
  const vbotId = errors.text(`${path}.vbotId`, 'vbotId', project.vbotId, validateVbotId);
  const projectCode = errors.text(`${path}.projectCode`, 'projectCode', project.projectCode, validateProjectCode);
  let deleteUnlisted = false;
  if (project.deleteUnlisted !== undefined) {
    if (typeof project.deleteUnlisted === 'boolean') deleteUnlisted = project.deleteUnlisted;
    else {
      errors.add({
        path: `${path}.deleteUnlisted`,
        code: 'wrongType',
        message: `deleteUnlisted must be true or false, not ${describeJsonType(project.deleteUnlisted)}`,
      });
    }
  }
  const rawTypes = errors.array(`${path}.types`, 'types', project.types, true);
  const types: DesiredType[] = [];
  if (rawTypes) {
    const typeAt = new Map<string, string>(); // typeNo → path of the type
    const previousAt = new Map<string, string>(); // previous code → path where it is listed
    rawTypes.forEach((rawType, index) => {
      const typePath = `${path}.types[${index}]`;
      const type = readType(rawType, typePath, errors);
      if (!type) return;
      let duplicate = false;
      const firstType = typeAt.get(type.typeNo);
      if (firstType !== undefined) {
        duplicate = true;
        errors.add({
          path: `${typePath}.typeNo`,
          code: 'duplicateTypeNo',
          message: `the code "${type.typeNo}" is already listed at ${firstType}`,
        });
      } else typeAt.set(type.typeNo, typePath);
      type.previousCodes.forEach((code, codeIndex) => {
        const codePath = `${typePath}.previousCodes[${codeIndex}]`;
        if (code === type.typeNo) {
          duplicate = true;
          errors.add({ path: codePath, code: 'previousCodeIsOwnCode', message: `"${code}" is this type's own code` });
          return;
        }
        const first = previousAt.get(code);
        if (first !== undefined) {
          duplicate = true;
          errors.add({ path: codePath, code: 'duplicatePreviousCode', message: `"${code}" is already a previous code at ${first}` });
          return;
        }
        previousAt.set(code, codePath);
      });
      if (!duplicate) types.push(type);
    });
    refuseLoops(types, path, rawTypes, errors);
  }
  if (vbotId === undefined || projectCode === undefined || !rawTypes) return undefined;
  return { vbotId, projectCode, deleteUnlisted, types };
}

/**
 * Previous codes that loop (B lists A and A lists B: a swap) describe no possible history and
 * cannot be done with code changes, which would collide; refused, pointing at one link.
 */
function refuseLoops(types: ReadonlyArray<DesiredType>, path: string, rawTypes: unknown[], errors: ErrorList): void {
  const byCode = new Map(types.map((type) => [type.typeNo, type] as const));
  const claimer = new Map<string, DesiredType>(); // code → the type listing it as a previous code
  for (const type of types) for (const code of type.previousCodes) if (byCode.has(code)) claimer.set(code, type);
  const reported = new Set<DesiredType>();
  for (const start of types) {
    if (reported.has(start)) continue;
    const loop: DesiredType[] = [start];
    let next = claimer.get(start.typeNo);
    while (next && next !== start && loop.length <= types.length) {
      loop.push(next);
      next = claimer.get(next.typeNo);
    }
    if (next !== start) continue;
    for (const member of loop) reported.add(member);
    // `start` is the first member in file order: point at its link in the loop.
    const before = loop[loop.length - 1];
    const index = rawTypes.findIndex((raw) => isRecord(raw) && typeof raw.typeNo === 'string' && raw.typeNo.trim() === start.typeNo);
    const codeIndex = start.previousCodes.indexOf(before.typeNo);
    const chain = [...loop.map((member) => member.typeNo), start.typeNo].join(' → ');
    errors.add({
      path: `${path}.types[${index}].previousCodes[${codeIndex}]`,
      code: 'previousCodeLoop',
      message:
        `the previous codes go round in a loop, ${chain} (a swap). Changing codes one at a time cannot swap them: ` +
        'give one of these types a temporary code first, apply, then finish the swap',
    });
  }
}

function readType(value: unknown, path: string, errors: ErrorList): DesiredType | undefined {
  const type = errors.object(path, 'a type', value, TYPE_KEYS);
  if (!type) return undefined;
  const typeNo = errors.text(`${path}.typeNo`, 'typeNo', type.typeNo, validateTypeNo);
  const typeName = errors.text(`${path}.typeName`, 'typeName', type.typeName, validateTypeName);
  const rawCodes = errors.array(`${path}.previousCodes`, 'previousCodes', type.previousCodes, false) ?? [];
  const previousCodes: string[] = [];
  let codesOk = true;
  rawCodes.forEach((rawCode, index) => {
    const code = errors.text(`${path}.previousCodes[${index}]`, 'a previous code', rawCode, validateTypeNo);
    if (code === undefined) codesOk = false;
    else previousCodes.push(code);
  });
  if (typeNo === undefined || typeName === undefined || !codesOk) return undefined;
  return { typeNo, typeName, previousCodes };
}

// ---------------------------------------------------------------------------------------------
// Planning

function compareProjectKeys(a: ProjectKey, b: ProjectKey): number {
  return compareCodeUnits(a.vbotId, b.vbotId) || compareCodeUnits(a.projectCode, b.projectCode);
}

/** `kind:vbotId/projectCode/code` (a code change: `…/OLD>NEW`), each part URI-encoded so no two collide. */
function itemId(kind: PlanItem['kind'], key: ProjectKey, ...codes: string[]): string {
  const enc = encodeURIComponent;
  return `${kind}:${enc(key.vbotId)}/${enc(key.projectCode)}/${codes.map(enc).join('>')}`;
}

/** Compares the file with the cache. Sends nothing. */
export function computePlan(snapshot: CacheSnapshot, state: DesiredState): Plan {
  const items: PlanItem[] = [];
  const problems: string[] = [];
  let unchanged = 0;
  let unlisted = 0;
  const projects = [...state.projects].sort(compareProjectKeys);
  for (const project of projects) {
    const cached = snapshot.project(project.vbotId, project.projectCode)?.types ?? [];
    const result = planProject(cached, project);
    items.push(...result.items);
    problems.push(...result.problems);
    unchanged += result.unchanged;
    unlisted += result.unlisted;
  }
  return { items, unchanged, unlisted, problems };
}

function planProject(cachedTypes: ReadonlyArray<CachedType>, project: DesiredProject) {
  const key: ProjectKey = { vbotId: project.vbotId, projectCode: project.projectCode };
  const where = `${project.vbotId}/${project.projectCode}`;
  const base = { vbotId: project.vbotId, projectCode: project.projectCode };
  const cached = new Map(cachedTypes.map((type) => [type.typeNo, type.typeName] as const));
  const listed = new Map<string, DesiredType>();
  for (const type of project.types) if (!listed.has(type.typeNo)) listed.set(type.typeNo, type);
  const claimant = new Map<string, DesiredType>(); // previous code → the type that lists it
  for (const type of listed.values()) {
    for (const code of type.previousCodes) if (code !== type.typeNo && !claimant.has(code)) claimant.set(code, type);
  }

  const changeCodes: ChangeCodeItem[] = [];
  const adds: AddItem[] = [];
  const renames: RenameItem[] = [];
  const deletes: DeleteItem[] = [];
  const problems: string[] = [];
  const moved = new Set<string>(); // cached codes that a changeCode moves away
  const handled = new Set<DesiredType>();
  /** For a type that moved: the cached code it came from. */
  const source = new Map<DesiredType, string>();

  // Chains start at listed types whose code is free in the cache. Each link takes a previous code
  // from the cache; if that code is another listed type's, that type is next.
  const starts = [...listed.values()]
    .filter((type) => !cached.has(type.typeNo))
    .sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo));
  for (const start of starts) {
    let type: DesiredType | undefined = start;
    let dependsOn: string | undefined;
    while (type && !handled.has(type)) {
      handled.add(type);
      const current: DesiredType = type;
      const from = current.previousCodes.find((code) => code !== current.typeNo && cached.has(code) && !moved.has(code));
      if (from === undefined) {
        adds.push({ id: itemId('add', key, current.typeNo), ...base, ...(dependsOn ? { dependsOn } : {}), kind: 'add', typeNo: current.typeNo, typeName: current.typeName });
        break;
      }
      const name = cached.get(from) as string;
      const change: ChangeCodeItem = {
        id: itemId('changeCode', key, from, current.typeNo),
        ...base,
        ...(dependsOn ? { dependsOn } : {}),
        kind: 'changeCode',
        oldTypeNo: from,
        newTypeNo: current.typeNo,
        typeName: name,
      };
      changeCodes.push(change);
      moved.add(from);
      source.set(current, from);
      if (name !== current.typeName) {
        renames.push({ id: itemId('rename', key, current.typeNo), ...base, dependsOn: change.id, kind: 'rename', typeNo: current.typeNo, oldName: name, newName: current.typeName });
      }
      dependsOn = change.id;
      type = listed.get(from); // the listed type that had `from` loses it
    }
  }

  // Everything else keeps its own code. Codes that claim each other in a loop are a swap.
  const staying = [...listed.values()].filter((type) => !handled.has(type));
  const stayingCodes = new Set(staying.map((type) => type.typeNo));
  /** The staying type that lists `type`'s code as a previous code, if any. */
  const claimer = (type: DesiredType): DesiredType | undefined => {
    const other = claimant.get(type.typeNo);
    return other && stayingCodes.has(other.typeNo) ? other : undefined;
  };
  const inCycle = new Set<DesiredType>();
  for (const type of [...staying].sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo))) {
    if (inCycle.has(type)) continue;
    const path: DesiredType[] = [type];
    let next = claimer(type);
    while (next && next !== type && path.length <= staying.length) {
      path.push(next);
      next = claimer(next);
    }
    if (next !== type) continue;
    for (const member of path) inCycle.add(member);
    // Written in the direction the file asks for: A → B means "A is now B".
    const loop = [...path.map((member) => member.typeNo), type.typeNo].join(' → ');
    problems.push(
      `${where}: the codes ${loop} name each other as previous codes (a swap). Changing codes one by one ` +
        'cannot swap them, so these types are left as they are. To swap, give one of them a temporary code, apply, then finish the swap.',
    );
  }

  let unchanged = 0;
  for (const type of staying) {
    if (inCycle.has(type)) continue;
    const oldName = cached.get(type.typeNo) as string;
    if (oldName === type.typeName) unchanged++;
    else renames.push({ id: itemId('rename', key, type.typeNo), ...base, kind: 'rename', typeNo: type.typeNo, oldName, newName: type.typeName });
  }

  // Unlisted previous codes still in the cache that did not move: both the old and the new code
  // exist. (A previous code that is also listed as a type is that type: nothing to say.)
  for (const type of listed.values()) {
    for (const code of type.previousCodes) {
      if (!cached.has(code) || moved.has(code) || listed.has(code) || claimant.get(code) !== type) continue;
      const from = source.get(type);
      const notDeleted = project.deleteUnlisted ? ' (and not deleted)' : '';
      problems.push(
        from !== undefined
          ? `${where}: "${code}" is also a previous code of "${type.typeNo}"; only "${from}" changes code, "${code}" is left as it is${notDeleted}.`
          : `${where}: "${code}" is a previous code of "${type.typeNo}", but both codes exist, so "${code}" is left as it is${notDeleted}.`,
      );
    }
  }

  let unlisted = 0;
  for (const type of cachedTypes) {
    if (listed.has(type.typeNo) || moved.has(type.typeNo) || claimant.has(type.typeNo)) continue;
    if (project.deleteUnlisted) {
      deletes.push({ id: itemId('delete', key, type.typeNo), ...base, kind: 'delete', typeNo: type.typeNo, typeName: type.typeName });
    } else unlisted++;
  }

  const byTypeNo = (a: { typeNo: string }, b: { typeNo: string }) => compareCodeUnits(a.typeNo, b.typeNo);
  deletes.sort(byTypeNo);
  adds.sort(byTypeNo);
  renames.sort(byTypeNo);
  const items: PlanItem[] = [...changeCodes, ...deletes, ...adds, ...renames];
  return { items, problems, unchanged, unlisted };
}

// ---------------------------------------------------------------------------------------------
// Rendering

export interface PlanCounts {
  add: number;
  rename: number;
  changeCode: number;
  delete: number;
  unchanged: number;
  unlisted: number;
  problems: number;
}

export function countPlan(plan: Plan): PlanCounts {
  const counts: PlanCounts = { add: 0, rename: 0, changeCode: 0, delete: 0, unchanged: plan.unchanged, unlisted: plan.unlisted, problems: plan.problems.length };
  for (const item of plan.items) counts[item.kind]++;
  return counts;
}

/** "3 to add, 1 to rename, 1 code change, 2 to delete, 10 unchanged" (parts that are 0 left out). */
export function summarizePlan(plan: Plan): string {
  const counts = countPlan(plan);
  const parts: string[] = [];
  if (counts.add) parts.push(`${counts.add} to add`);
  if (counts.rename) parts.push(`${counts.rename} to rename`);
  if (counts.changeCode) parts.push(`${counts.changeCode} code ${counts.changeCode === 1 ? 'change' : 'changes'}`);
  if (counts.delete) parts.push(`${counts.delete} to delete`);
  if (parts.length === 0) parts.push('nothing to change');
  parts.push(`${counts.unchanged} unchanged`);
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Codes are shown bare, unless a space or quote would make them ambiguous. */
function code(value: string): string {
  return /^[^\s"]+$/u.test(value) ? value : JSON.stringify(value);
}

const quote = (name: string): string => JSON.stringify(name);

/** One line per item, as in the plan: `+ add VIP "Khách hàng VIP"`. */
export function describePlanItem(item: PlanItem): string {
  switch (item.kind) {
    case 'add':
      return `+ add ${code(item.typeNo)} ${quote(item.typeName)}`;
    case 'rename':
      return `~ rename ${code(item.typeNo)}: ${quote(item.oldName)} → ${quote(item.newName)}`;
    case 'changeCode':
      return `→ change code ${code(item.oldTypeNo)} → ${code(item.newTypeNo)} (${quote(item.typeName)})`;
    case 'delete':
      return `- delete ${code(item.typeNo)} ${quote(item.typeName)}`;
  }
}

/** `text` as Markdown inline code, whatever backticks it contains. */
function inlineCode(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || /^ .* $/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Plain text made inert in Markdown: no markup, no HTML, on one line. */
function escapeMarkdown(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_[\]<>|~&]/g, '\\$&');
}

function projectHeading(key: ProjectKey): string {
  return `## Project ${inlineCode(key.projectCode)} (VBotID ${inlineCode(key.vbotId)})`;
}

/** Groups by project, keeping first-seen order. */
function groupByProject<T>(entries: ReadonlyArray<T>, keyOf: (entry: T) => ProjectKey) {
  const groups = new Map<string, { key: ProjectKey; entries: T[] }>();
  for (const entry of entries) {
    const key = keyOf(entry);
    const id = JSON.stringify([key.vbotId, key.projectCode]);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { key: { vbotId: key.vbotId, projectCode: key.projectCode }, entries: [] }));
    group.entries.push(entry);
  }
  return [...groups.values()];
}

/** The plan as a Markdown document, for a preview before anything is sent. */
export function renderPlan(plan: Plan, options: { fileName?: string } = {}): string {
  const lines: string[] = [];
  lines.push(options.fileName ? `# Customer types plan for ${inlineCode(options.fileName)}` : '# Customer types plan', '');
  lines.push(summarizePlan(plan) + '.', '');
  if (plan.unlisted > 0) {
    const text =
      plan.unlisted === 1
        ? '1 known type is not in the file and is left as it is'
        : `${plan.unlisted} known types are not in the file and are left as they are`;
    lines.push(`${text} (\`"deleteUnlisted": true\` would delete them).`, '');
  }
  lines.push('_Nothing has been sent to VBot yet._', '');
  if (plan.problems.length > 0) {
    lines.push('## Problems', '');
    for (const problem of plan.problems) lines.push(`- ⚠ ${escapeMarkdown(problem)}`);
    lines.push('');
  }
  for (const group of groupByProject(plan.items, (item) => item)) {
    lines.push(projectHeading(group.key), '', '```diff');
    for (const item of group.entries) lines.push(describePlanItem(item));
    lines.push('```', '');
  }
  return lines.join('\n');
}

export type PlanItemStatus = 'done' | 'failed' | 'skipped';

export interface PlanItemResult {
  item: PlanItem;
  status: PlanItemStatus;
  /** Why it failed or was skipped (e.g. the server's message). */
  message?: string;
}

/** "4 done, 1 failed, 2 skipped" (parts that are 0 left out). */
export function summarizeResults(results: ReadonlyArray<PlanItemResult>): string {
  const count = (status: PlanItemStatus) => results.filter((result) => result.status === status).length;
  const parts = (['done', 'failed', 'skipped'] as const).filter((status) => count(status) > 0).map((status) => `${count(status)} ${status}`);
  return parts.length > 0 ? parts.join(', ') : 'Nothing was done';
}

const STATUS_MARK: Record<PlanItemStatus, string> = { done: '✓', failed: '✗', skipped: '○' };

/** What applying a plan did, item by item, as Markdown. */
export function renderReport(results: ReadonlyArray<PlanItemResult>): string {
  const lines: string[] = ['# Customer types: result', '', summarizeResults(results) + '.', ''];
  const byId = new Map(results.map((result) => [result.item.id, result] as const));
  for (const group of groupByProject(results, (result) => result.item)) {
    lines.push(projectHeading(group.key), '');
    for (const { item, status, message } of group.entries) {
      let why = message && message.trim() !== '' ? ` — ${escapeMarkdown(message.trim())}` : '';
      const before = item.dependsOn !== undefined ? byId.get(item.dependsOn) : undefined;
      if (!why && status === 'skipped' && before) {
        why = ` — needs ${inlineCode(describePlanItem(before.item))} first, which ${before.status === 'failed' ? 'failed' : 'was skipped'}`;
      }
      lines.push(`- ${STATUS_MARK[status]} ${status}: ${inlineCode(describePlanItem(item))}${why}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Starting a file from the cache

/**
 * A `vbot-types.json` text that describes what the cache holds (optionally one account or one
 * project), so a team starts from what it has: planning it against the same cache gives no items.
 * No `$schema`: the extension associates the schema with the file name. No `deleteUnlisted`.
 */
export function desiredStateFromSnapshot(snapshot: CacheSnapshot, filter: { vbotId?: string; projectCode?: string } = {}): string {
  const projects = snapshot
    .projects()
    .filter((project) => filter.vbotId === undefined || project.vbotId === filter.vbotId)
    .filter((project) => filter.projectCode === undefined || project.projectCode === filter.projectCode)
    .map((project) => ({
      vbotId: project.vbotId,
      projectCode: project.projectCode,
      types: project.types,
    }));
  // Pretty, but one type per line: a change to a type is a one-line diff in code review.
  const json = JSON.stringify;
  const lines = ['{', `  "version": ${DESIRED_STATE_VERSION},`];
  if (projects.length === 0) lines.push('  "projects": []');
  else {
    lines.push('  "projects": [');
    projects.forEach((project, index) => {
      lines.push('    {', `      "vbotId": ${json(project.vbotId)},`, `      "projectCode": ${json(project.projectCode)},`);
      if (project.types.length === 0) lines.push('      "types": []');
      else {
        lines.push('      "types": [');
        project.types.forEach((type, typeIndex) => {
          const comma = typeIndex < project.types.length - 1 ? ',' : '';
          lines.push(`        { "typeNo": ${json(type.typeNo)}, "typeName": ${json(type.typeName)} }${comma}`);
        });
        lines.push('      ]');
      }
      lines.push(index < projects.length - 1 ? '    },' : '    }');
    });
    lines.push('  ]');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** The string limits the JSON schema must repeat (tested against media/vbot-types.schema.json). */
export const DESIRED_STATE_STRING_LIMITS = {
  vbotId: LIMITS.vbotId,
  projectCode: LIMITS.projectCode,
  typeNo: LIMITS.typeNo,
  typeName: LIMITS.typeName,
  previousCode: LIMITS.typeNo,
} as const;
