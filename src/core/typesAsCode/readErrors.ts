// The reader's error list (parse.ts, parseFields.ts): every error found, each at its JSON path, up to the
// limit. Pure: no I/O, no vscode.
import { isRecord } from '../json';
import type { ValidationResult } from '../validation';
import { DESIRED_STATE_LIMITS, type DesiredStateError } from './format';

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export class StopReading extends Error {}

export class ErrorList {
  readonly errors: DesiredStateError[] = [];

  add(error: DesiredStateError): void {
    this.errors.push(error);
    if (this.errors.length >= DESIRED_STATE_LIMITS.maxErrors) throw new StopReading();
  }

  /** The trimmed, valid string at `path`, or undefined after recording why it is not. */
  text(path: string, field: string, value: unknown, validate: (value: unknown) => ValidationResult): string | undefined {
    if (value === undefined) {
      this.add({ path, code: 'missing', args: [field], message: `"${field}" is required` });
      return undefined;
    }
    const result = validate(value);
    if (result.ok) return result.value;
    switch (result.code) {
      case 'notString':
        this.add({ path, code: 'wrongType', message: `${field} must be a string, not ${describeJsonType(value)}` });
        break;
      case 'empty':
        this.add({ path, code: 'empty', args: [field], message: `${field} is empty` });
        break;
      case 'tooLong':
        this.add({
          path,
          code: 'tooLong',
          max: result.max,
          args: [field, String(result.max)],
          message: `${field} is longer than ${result.max} characters`,
        });
        break;
      case 'controlChar':
        this.add({ path, code: 'controlChar', args: [field], message: `${field} contains a control or invisible character` });
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
          args: [key, known.join(', ')],
          message: `unknown property "${key}" (expected ${known.map((k) => `"${k}"`).join(', ')})`,
        });
      }
    }
  }

  array(path: string, field: string, value: unknown, required: boolean): unknown[] | undefined {
    if (value === undefined) {
      if (required) this.add({ path, code: 'missing', args: [field], message: `"${field}" is required` });
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
export function joinPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}
