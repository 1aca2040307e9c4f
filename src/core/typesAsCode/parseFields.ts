// Reading a project's "fields" in `vbot-types.json` (format.ts): the choice lists of its customer fields (API
// v3). The option rules are the option prompts' (fields/model.ts: the code rule, #RRGGBB colours; names as a
// type's name), every error at its JSON path, as for types. Pure: no I/O, no vscode.
import { isRecord } from '../json';
import { OPTION_CODE_RULE, textColourFor } from '../fields/model';
import { validateProjectCode, validateTypeName, validateTypeNo } from '../validation';
import type { DesiredField, DesiredOption } from './format';
import { describeJsonType, type ErrorList, joinPath } from './readErrors';

const FIELD_KEYS = ['deleteUnlisted', 'options'] as const;
const OPTION_KEYS = ['code', 'name', 'type', 'color', 'textColor', 'group', 'previousCodes'] as const;
const HEX = /^#[0-9A-Fa-f]{6}$/;

/** The fields of `value` (an object keyed by field code); the valid ones, options with an error left out. */
export function readFields(value: unknown, path: string, errors: ErrorList): DesiredField[] {
  const fields: DesiredField[] = [];
  if (!isRecord(value)) {
    errors.add({ path, code: 'wrongType', message: `fields must be an object, not ${describeJsonType(value)}` });
    return fields;
  }
  for (const [key, raw] of Object.entries(value)) {
    const fieldPath = joinPath(path, key);
    const fieldCode = errors.text(fieldPath, 'a field code', key, validateProjectCode);
    const field = readField(raw, fieldPath, errors);
    if (fieldCode !== undefined && field) fields.push({ fieldCode, ...field });
  }
  return fields;
}

function readField(value: unknown, path: string, errors: ErrorList): Omit<DesiredField, 'fieldCode'> | undefined {
  const field = errors.object(path, 'a field', value, FIELD_KEYS);
  if (!field) return undefined;
  let deleteUnlisted = false;
  if (field.deleteUnlisted !== undefined) {
    if (typeof field.deleteUnlisted === 'boolean') deleteUnlisted = field.deleteUnlisted;
    else {
      const message = `deleteUnlisted must be true or false, not ${describeJsonType(field.deleteUnlisted)}`;
      errors.add({ path: `${path}.deleteUnlisted`, code: 'wrongType', message });
    }
  }
  const rawOptions = errors.array(`${path}.options`, 'options', field.options, true);
  if (!rawOptions) return undefined;
  const read = rawOptions.map((raw, index) => readOption(raw, `${path}.options[${index}]`, errors));
  const options = checkList(read, `${path}.options`, errors);
  return { deleteUnlisted, options };
}

/** An option code: a text (trimmed, not blank, ≤ 50) that follows the API's rule. */
function code(path: string, what: string, value: unknown, errors: ErrorList): string | undefined {
  const text = errors.text(path, what, value, validateTypeNo);
  if (text === undefined) return undefined;
  if (OPTION_CODE_RULE.test(text)) return text;
  errors.add({
    path,
    code: 'badOptionCode',
    args: [text],
    message: `"${text}" is not an option code (1 to 50 letters, digits, "_" or "-")`,
  });
  return undefined;
}

/** A colour: #RRGGBB (kept in upper case) or null; undefined when absent; false after recording why not. */
function colour(path: string, value: unknown, errors: ErrorList): string | null | undefined | false {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string' && HEX.test(value)) return value.toUpperCase();
  errors.add({
    path,
    code: 'badColour',
    args: [JSON.stringify(value)],
    message: `${JSON.stringify(value)} is not a colour like "#00AA00"`,
  });
  return false;
}

function readOption(value: unknown, path: string, errors: ErrorList): DesiredOption | undefined {
  const o = errors.object(path, 'an option', value, OPTION_KEYS);
  if (!o) return undefined;
  const optionCode = code(`${path}.code`, 'code', o.code, errors);
  const name = errors.text(`${path}.name`, 'name', o.name, validateTypeName);
  let ok = optionCode !== undefined && name !== undefined;
  let type: DesiredOption['type'] = 'OPTION';
  if (o.type === 'OPTGROUP' || o.type === 'OPTION') type = o.type;
  else if (o.type !== undefined) {
    errors.add({ path: `${path}.type`, code: 'wrongType', message: `type must be "OPTION" or "OPTGROUP", not ${JSON.stringify(o.type)}` });
    ok = false;
  }
  const color = colour(`${path}.color`, o.color, errors);
  const textColor = colour(`${path}.textColor`, o.textColor, errors);
  let group: string | null = null;
  if (o.group !== undefined && o.group !== null) {
    const groupCode = code(`${path}.group`, 'group', o.group, errors);
    if (groupCode === undefined) ok = false;
    else if (type === 'OPTGROUP') {
      errors.add({ path: `${path}.group`, code: 'groupInGroup', args: [groupCode], message: 'a group cannot be inside another group' });
      ok = false;
    } else group = groupCode;
  }
  const rawCodes = errors.array(`${path}.previousCodes`, 'previousCodes', o.previousCodes, false) ?? [];
  const previousCodes: string[] = [];
  rawCodes.forEach((raw, index) => {
    const previous = code(`${path}.previousCodes[${index}]`, 'a previous code', raw, errors);
    if (previous === undefined) ok = false;
    else previousCodes.push(previous);
  });
  if (!ok || color === false || textColor === false) return undefined;
  const fill = color ?? null;
  return {
    code: optionCode!,
    name: name!,
    type,
    color: fill,
    // As the option prompts do: without a text colour, the black or white that reads on the colour.
    textColor: textColor !== undefined ? textColor : fill && textColourFor(fill),
    group,
    previousCodes,
  };
}

/**
 * The rules across one field's list, as for a project's types: a code listed once, a previous code listed once
 * and never an option's own, no loop of previous codes; a group named by an option is a group of the list.
 * The options that break one are left out.
 */
function checkList(read: Array<DesiredOption | undefined>, path: string, errors: ErrorList): DesiredOption[] {
  const codeAt = new Map<string, string>();
  const previousAt = new Map<string, string>();
  const kept: Array<[DesiredOption, number]> = [];
  read.forEach((option, index) => {
    if (!option) return;
    const at = `${path}[${index}]`;
    let ok = true;
    const first = codeAt.get(option.code);
    if (first !== undefined) {
      errors.add({
        path: `${at}.code`,
        code: 'duplicateOptionCode',
        args: [option.code],
        message: `the code "${option.code}" is already listed at ${first}`,
      });
      ok = false;
    } else codeAt.set(option.code, at);
    option.previousCodes.forEach((previous, i) => {
      const codePath = `${at}.previousCodes[${i}]`;
      if (previous === option.code) {
        errors.add({
          path: codePath,
          code: 'optionPreviousCodeIsOwnCode',
          args: [previous],
          message: `"${previous}" is this option's own code`,
        });
        ok = false;
        return;
      }
      const listed = previousAt.get(previous);
      if (listed !== undefined) {
        const message = `"${previous}" is already a previous code at ${listed}`;
        errors.add({ path: codePath, code: 'duplicateOptionPreviousCode', args: [previous], message });
        ok = false;
        return;
      }
      previousAt.set(previous, codePath);
    });
    if (ok) kept.push([option, index]);
  });
  const groups = new Set(kept.filter(([o]) => o.type === 'OPTGROUP').map(([o]) => o.code));
  const options: Array<[DesiredOption, number]> = [];
  for (const [option, index] of kept) {
    if (option.group !== null && !groups.has(option.group)) {
      const message = `"${option.group}" is not a group of this field (an entry with "type": "OPTGROUP")`;
      errors.add({ path: `${path}[${index}].group`, code: 'unknownOptionGroup', args: [option.group], message });
    } else options.push([option, index]);
  }
  return refuseLoops(options, path, errors);
}

/** Previous codes that go round in a loop (a swap) cannot be done with code changes: refused, at one link. */
function refuseLoops(options: Array<[DesiredOption, number]>, path: string, errors: ErrorList): DesiredOption[] {
  const byCode = new Map(options.map(([o]) => [o.code, o] as const));
  const claimer = new Map<string, DesiredOption>();
  for (const [o] of options) for (const previous of o.previousCodes) if (byCode.has(previous)) claimer.set(previous, o);
  const inLoop = new Set<DesiredOption>();
  for (const [start, index] of options) {
    if (inLoop.has(start)) continue;
    const loop = [start];
    let next = claimer.get(start.code);
    while (next && next !== start && loop.length <= options.length) {
      loop.push(next);
      next = claimer.get(next.code);
    }
    if (next !== start) continue;
    for (const member of loop) inLoop.add(member);
    const chain = [...loop.map((m) => m.code), start.code].join(' → ');
    const codeIndex = start.previousCodes.indexOf(loop[loop.length - 1].code);
    errors.add({
      path: `${path}[${index}].previousCodes[${codeIndex}]`,
      code: 'optionPreviousCodeLoop',
      args: [chain],
      message: `the previous codes go round in a loop, ${chain} (a swap): give one of these options a temporary code first, apply, then finish the swap`,
    });
  }
  return options.filter(([o]) => !inLoop.has(o)).map(([o]) => o);
}
