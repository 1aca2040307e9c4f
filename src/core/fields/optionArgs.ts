// What an option command reads from its argument: an option (or field) row of the tree, or a plain object
// (keybindings, scripts, tests). Each value given skips its prompt and is checked as a typed value would be; a
// bad one refuses the whole argument, named by its key. Pure: no `vscode` (test/unit/optionArgs.test.ts).
import { OPTION_CODE_RULE } from './schemas';
import { type FieldOption, optionLayout, textColourFor } from './model';

export { textColourFor } from './model';

export interface OptionCommandArgs {
  /** As for the type commands; a v3 API key is for one project, so these can only name the key's own. */
  vbotId?: string;
  projectCode?: string;
  fieldCode?: string;
  /** The option acted on; for Add, the new option's code. */
  optionCode?: string;
  name?: string;
  /** #RRGGBB, or null for none. */
  color?: string | null;
  textColor?: string | null;
  /** The group (an OPTGROUP's code) or null for the top level; SELECT fields only. */
  groupCode?: string | null;
  /** The display order. */
  number?: number;
  /** Change Option Code: the new code. */
  newCode?: string;
  /** Add: OPTION (default) or OPTGROUP (a group, SELECT fields only). */
  type?: 'OPTION' | 'OPTGROUP';
  skipConfirmation?: boolean;
}

export type OptionArgKey = Exclude<keyof OptionCommandArgs, 'skipConfirmation'>;
export type ParsedOptionArgs = { ok: true; args: OptionCommandArgs } | { ok: false; key: OptionArgKey };

const HEX = /^#[0-9A-Fa-f]{6}$/;
const isCode = (v: unknown): v is string => typeof v === 'string' && OPTION_CODE_RULE.test(v);
const isName = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && [...v.trim()].length <= 255;
const isColour = (v: unknown) => v === null || (typeof v === 'string' && HEX.test(v));

/** The field code (not an option's: it is the field's own, which VBot names freely): up to 100 characters. */
const isFieldCode = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= 100;

const CHECKS: Array<[OptionArgKey, (v: unknown) => boolean]> = [
  ['vbotId', isFieldCode],
  ['projectCode', isFieldCode],
  ['fieldCode', isFieldCode],
  ['optionCode', isCode],
  ['name', isName],
  ['color', isColour],
  ['textColor', isColour],
  ['groupCode', (v) => v === null || isCode(v)],
  ['number', (v) => typeof v === 'number' && Number.isSafeInteger(v)],
  ['newCode', isCode],
  ['type', (v) => v === 'OPTION' || v === 'OPTGROUP'],
];

/** A plain object's values, checked; a tree row's are read with `optionRow`. Not an object: nothing given. */
export function parseOptionArgs(arg: unknown): ParsedOptionArgs {
  const row = optionRow(arg);
  if (row) return { ok: true, args: { fieldCode: row.fieldCode, optionCode: row.option?.code } };
  if (arg === undefined || arg === null || typeof arg !== 'object') return { ok: true, args: {} };
  const raw = arg as Record<string, unknown>;
  const args: OptionCommandArgs = { skipConfirmation: raw.skipConfirmation === true };
  for (const [key, check] of CHECKS) {
    if (raw[key] === undefined) continue;
    if (!check(raw[key])) return { ok: false, key };
    const value = raw[key];
    (args as Record<string, unknown>)[key] =
      key === 'name' ? (value as string).trim() : typeof value === 'string' && key.endsWith('olor') ? value.toUpperCase() : value;
  }
  return { ok: true, args };
}

/** A row of the "Customer fields" part of the tree: its field and, for an option or group row, the option. */
export interface OptionRow {
  vbotId: string;
  projectCode: string;
  fieldCode: string;
  option?: FieldOption;
}

/** A field, group or option row (kind 'fields', with the field on it or on a parent), else undefined. */
export function optionRow(value: unknown): OptionRow | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const node = value as { kind?: unknown; vbotId?: unknown; projectCode?: unknown; option?: FieldOption; field?: { code?: unknown } };
  if (node.kind !== 'fields' || typeof node.vbotId !== 'string' || typeof node.projectCode !== 'string') return undefined;
  let at: unknown = value;
  for (let depth = 0; at && depth < 4; depth++, at = (at as { parent?: unknown }).parent) {
    const code = (at as { field?: { code?: unknown } }).field?.code;
    if (typeof code === 'string') return { vbotId: node.vbotId, projectCode: node.projectCode, fieldCode: code, option: node.option };
  }
  return undefined;
}

/**
 * The options a command run from the tree acts on: the selected option rows (each once) when the row clicked is
 * among them, else the row clicked alone; [] when it is not an option row (a script's object).
 */
export function selectedOptions(clicked: unknown, selection: unknown): OptionRow[] {
  const row = optionRow(clicked);
  if (!row?.option) return [];
  const same = (a: OptionRow, b: OptionRow) => a.fieldCode === b.fieldCode && a.option!.code === b.option!.code;
  const rows: OptionRow[] = [];
  for (const r of Array.isArray(selection) ? selection.map(optionRow) : []) if (r?.option && !rows.some((x) => same(x, r))) rows.push(r);
  return rows.some((r) => same(r, row)) ? rows : [row];
}

/** The option's neighbour in display order among its siblings (same group, or the top level), if any. */
export function neighbourOf(list: ReadonlyArray<FieldOption>, code: string, up: boolean): FieldOption | undefined {
  const target = list.find((o) => o.code === code);
  if (!target) return undefined;
  const layout = optionLayout(list);
  const siblings = (target.groupCode !== null ? layout.inGroup.get(target.groupCode) : undefined) ?? layout.top;
  const at = siblings.findIndex((o) => o.code === code);
  return at < 0 ? undefined : siblings[up ? at - 1 : at + 1];
}

/**
 * An edit given as values (a script): the parts given change, the others stay; a new colour without a text colour
 * gets the text colour that reads on it.
 */
export function editedOption(option: FieldOption, given: OptionCommandArgs): FieldOption {
  const color = given.color !== undefined ? given.color : option.color;
  const textColor = given.textColor !== undefined ? given.textColor : given.color ? textColourFor(given.color) : option.textColor;
  return {
    ...option,
    name: given.name ?? option.name,
    color,
    textColor,
    number: given.number ?? option.number,
    groupCode: given.groupCode !== undefined ? given.groupCode : option.groupCode,
  };
}
