// What a command reads from its argument: a tree node (from the view's menus) or a plain object
// (keybindings, scripts, other extensions, tests). Each field given skips its prompt and is validated like a
// typed value; nothing else in the argument counts. No vscode import: unit-tested with plain Node
// (test/unit/commandArgs.test.ts); src/vscode/commandArgs.ts turns a refusal into the localized message.
import { validateProjectCode, validateTypeName, validateTypeNo, validateVbotId, type ValidationResult } from './validation';

export interface TypeCommandArgs {
  vbotId?: string;
  projectCode?: string;
  typeNo?: string;
  typeName?: string;
  newTypeNo?: string;
  skipConfirmation?: boolean;
}

/** The fields of TypeCommandArgs that hold a value to validate. */
export type TypeArgField = Exclude<keyof TypeCommandArgs, 'skipConfirmation'>;

export type ParsedTypeArgs =
  { ok: true; args: TypeCommandArgs } | { ok: false; field: TypeArgField; problem: Extract<ValidationResult, { ok: false }> };

const checks: Array<[TypeArgField, (v: unknown) => ValidationResult]> = [
  ['vbotId', validateVbotId],
  ['projectCode', validateProjectCode],
  ['typeNo', validateTypeNo],
  ['typeName', validateTypeName],
  ['newTypeNo', validateTypeNo],
];

/**
 * The given fields, trimmed and validated; the first bad one (in the order above) refuses the whole argument.
 * Anything that is not an object gives no fields. `skipConfirmation` only ever comes from an explicit `true`:
 * a tree node (whose name field is `currentName`, not `typeName`) never skips a question or sets a name.
 */
export function parseTypeArgs(arg: unknown): ParsedTypeArgs {
  if (arg === undefined || arg === null || typeof arg !== 'object') return { ok: true, args: {} };
  const raw = arg as Record<string, unknown>;
  const args: TypeCommandArgs = { skipConfirmation: raw.skipConfirmation === true };
  for (const [key, check] of checks) {
    if (raw[key] === undefined) continue;
    const r = check(raw[key]);
    if (!r.ok) return { ok: false, field: key, problem: r };
    args[key] = r.value;
  }
  return { ok: true, args };
}

/** A customer type a tree row stands for. */
export interface TypeRef {
  vbotId: string;
  projectCode: string;
  typeNo: string;
}

/** A type row of the tree (kind 'type' and its key), or undefined for anything else (a project row, a script's object). */
function typeRow(value: unknown): TypeRef | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { kind, vbotId, projectCode, typeNo } = value as Record<string, unknown>;
  if (kind !== 'type' || typeof vbotId !== 'string' || typeof projectCode !== 'string' || typeof typeNo !== 'string') return undefined;
  return { vbotId, projectCode, typeNo };
}

const sameType = (a: TypeRef, b: TypeRef) => a.vbotId === b.vbotId && a.projectCode === b.projectCode && a.typeNo === b.typeNo;

/**
 * The types a command run from the tree acts on. VS Code calls an item's command with (the row clicked, the rows
 * selected) when the row clicked is one of several selected, and with the row alone otherwise: the selected type
 * rows (each once, project rows left out) when `clicked` is among them, else `clicked` alone; [] when `clicked` is
 * not a type row (an argument object of a script, a project row), which then reads its fields as before.
 */
export function selectedTypes(clicked: unknown, selection: unknown): TypeRef[] {
  const row = typeRow(clicked);
  if (!row) return [];
  const rows: TypeRef[] = [];
  for (const r of Array.isArray(selection) ? selection.map(typeRow) : []) if (r && !rows.some((x) => sameType(x, r))) rows.push(r);
  return rows.some((r) => sameType(r, row)) ? rows : [row];
}

/** The file arguments of import, export, Plan and Apply: a path and a format, each only when well-typed. */
export interface FileCommandArgs {
  filePath?: string;
  format?: 'csv' | 'json' | 'vbotTypes';
  skipConfirmation: boolean;
}

export function parseFileArgs(arg: unknown): FileCommandArgs {
  if (!arg || typeof arg !== 'object') return { skipConfirmation: false };
  const raw = arg as Record<string, unknown>;
  return {
    filePath: typeof raw.filePath === 'string' ? raw.filePath : undefined,
    format: raw.format === 'csv' || raw.format === 'json' || raw.format === 'vbotTypes' ? raw.format : undefined,
    skipConfirmation: raw.skipConfirmation === true,
  };
}

export { type RoutedCommand, routedCommands } from './routedCommands';
