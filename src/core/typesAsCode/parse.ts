// Reading `vbot-types.json` (format.ts) into a DesiredState, with every error found (up to a
// limit), each naming its JSON path. Pure: no I/O, no vscode.

import { isRecord, jsonSyntaxErrorOffset, lineAndColumnAt, stripBom } from '../json';
import { validateProjectCode, validateTypeName, validateTypeNo, validateVbotId } from '../validation';
import { describeJsonType, ErrorList, StopReading } from './readErrors';
import { readFields } from './parseFields';
import {
  DESIRED_STATE_LIMITS,
  type DesiredField,
  DESIRED_STATE_VERSION,
  type DesiredProject,
  type DesiredState,
  type DesiredStateError,
  type DesiredStateParseResult,
  type DesiredType,
} from './format';

/** Reads the text of a `vbot-types.json` file. Any error: `ok: false`, all errors found (up to 100). */
export function parseDesiredState(text: string): DesiredStateParseResult {
  if (text.length > DESIRED_STATE_LIMITS.maxBytes || Buffer.byteLength(text, 'utf8') > DESIRED_STATE_LIMITS.maxBytes) {
    const max = DESIRED_STATE_LIMITS.maxBytes;
    return { ok: false, errors: [{ path: '', code: 'tooLarge', max, message: `file is larger than ${max / 1024 / 1024} MiB` }] };
  }
  const body = stripBom(text);
  if (body.trim() === '') return { ok: false, errors: [{ path: '', code: 'emptyFile', message: 'file is empty' }] };

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, errors: [jsonSyntaxError(body, (error as Error).message)] };
  }
  const { state, errors } = readDesiredState(json);
  return errors.length > 0 || !state ? { ok: false, errors } : { ok: true, state };
}

/**
 * The rules of the format over a parsed JSON value: the state of what is valid (projects and types with an
 * error left out) and every error (up to 100). Plan refuses a file with any error; the editor's live
 * problems (fileAnalysis.ts) read the same errors, so the two never disagree.
 */
export function readDesiredState(json: unknown): DesiredStateReading {
  const errors = new ErrorList();
  const entries: Array<DesiredProject | undefined> = [];
  let state: DesiredState | undefined;
  try {
    state = readState(json, errors, entries);
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
  return { state, errors: errors.errors, entries };
}

export interface DesiredStateReading {
  /** Undefined when the file's shape is wrong or the error limit stopped the reading. */
  state: DesiredState | undefined;
  errors: DesiredStateError[];
  /** Each entry of "projects" as read by itself, by index (before the duplicate check): for the editor's view of one project. */
  entries: Array<DesiredProject | undefined>;
}

/**
 * One entry of "projects" read by itself, as readDesiredState reads it (its errors are the ones the whole file's
 * reading lists for it, a duplicate aside): the editor reads again only the project an edit changed.
 */
export function readProjectEntry(value: unknown, index: number): { project: DesiredProject | undefined; errors: DesiredStateError[] } {
  const errors = new ErrorList();
  try {
    return { project: readProject(value, `projects[${index}]`, errors), errors: errors.errors };
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
    return { project: undefined, errors: errors.errors };
  }
}

/** The error of a project listed again (same vbotId and projectCode) at `index`, first listed at `first`. */
export function duplicateProjectError(project: DesiredProject, index: number, first: number): DesiredStateError {
  return {
    path: `projects[${index}]`,
    code: 'duplicateProject',
    args: [project.vbotId, project.projectCode],
    message: `project ${project.vbotId}/${project.projectCode} is already listed at projects[${first}]`,
  };
}

/** What makes two projects of a file the same project. */
export const desiredProjectKey = (p: { vbotId: string; projectCode: string }): string => JSON.stringify([p.vbotId, p.projectCode]);

// --- JSON syntax errors

function jsonSyntaxError(text: string, message: string): DesiredStateError {
  // JSON.parse does not always name a position; one linear scan always does.
  const offset = jsonSyntaxErrorOffset(text);
  const { line, column } = lineAndColumnAt(text, offset === -1 ? 0 : offset);
  // V8's message quotes the document; keep only the explanation.
  const reason = message
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
  return { path: '', code: 'badJson', line, column, message: `invalid JSON at line ${line}, column ${column}: ${reason}` };
}

// --- Shape and values

const ROOT_KEYS = ['$schema', 'version', 'projects'] as const;
const PROJECT_KEYS = ['vbotId', 'projectCode', 'deleteUnlisted', 'types', 'fields'] as const;
const TYPE_KEYS = ['typeNo', 'typeName', 'previousCodes'] as const;

function readState(json: unknown, errors: ErrorList, entries: Array<DesiredProject | undefined>): DesiredState | undefined {
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
    entries[index] = project;
    if (!project) return;
    const key = desiredProjectKey(project);
    const first = projectAt.get(key);
    if (first !== undefined) {
      errors.add(duplicateProjectError(project, index, first));
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
          args: [type.typeNo],
          message: `the code "${type.typeNo}" is already listed at ${firstType}`,
        });
      } else typeAt.set(type.typeNo, typePath);
      type.previousCodes.forEach((code, codeIndex) => {
        const codePath = `${typePath}.previousCodes[${codeIndex}]`;
        if (code === type.typeNo) {
          duplicate = true;
          errors.add({ path: codePath, code: 'previousCodeIsOwnCode', args: [code], message: `"${code}" is this type's own code` });
          return;
        }
        const first = previousAt.get(code);
        if (first !== undefined) {
          duplicate = true;
          errors.add({
            path: codePath,
            code: 'duplicatePreviousCode',
            args: [code],
            message: `"${code}" is already a previous code at ${first}`,
          });
          return;
        }
        previousAt.set(code, codePath);
      });
      if (!duplicate) types.push(type);
    });
    refuseLoops(types, path, rawTypes, errors);
  }
  // Absent unless the file has "fields": a file without them reads exactly as before.
  const fields: DesiredField[] | undefined =
    project.fields !== undefined ? readFields(project.fields, `${path}.fields`, errors) : undefined;
  if (vbotId === undefined || projectCode === undefined || !rawTypes) return undefined;
  return { vbotId, projectCode, deleteUnlisted, types, ...(fields ? { fields } : {}) };
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
      args: [chain],
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
