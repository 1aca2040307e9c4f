// Commands accept a tree node (from menus) or a plain argument object (keybindings, scripts,
// tests); each field given skips its prompt. Given fields are validated like typed ones.
import { validateProjectCode, validateTypeName, validateTypeNo, validateVbotId, type ValidationResult } from '../core/validation';
import { describeInvalid, fieldNames } from './messages';
import { type Safe, say } from './say';

export interface TypeCommandArgs {
  vbotId?: string;
  projectCode?: string;
  typeNo?: string;
  typeName?: string;
  newTypeNo?: string;
  skipConfirmation?: boolean;
}

/** What a command reports to a caller of executeCommand. */
export type CommandResult = 'done' | 'cancelled' | 'failed' | 'invalid';

const checks: Array<[keyof TypeCommandArgs, (v: unknown) => ValidationResult, () => string]> = [
  ['vbotId', validateVbotId, fieldNames.vbotId],
  ['projectCode', validateProjectCode, fieldNames.projectCode],
  ['typeNo', validateTypeNo, fieldNames.typeNo],
  ['typeName', validateTypeName, fieldNames.typeName],
  ['newTypeNo', validateTypeNo, fieldNames.typeNo],
];

/** Normalizes and validates; returns a localized message for the first bad field. */
export function readTypeArgs(arg: unknown): { ok: true; args: TypeCommandArgs } | { ok: false; message: Safe } {
  if (arg === undefined || arg === null || typeof arg !== 'object') return { ok: true, args: {} };
  const raw = arg as Record<string, unknown>;
  const args: TypeCommandArgs = { skipConfirmation: raw.skipConfirmation === true };
  for (const [key, check, field] of checks) {
    if (raw[key] === undefined) continue;
    const r = check(raw[key]);
    if (!r.ok) return { ok: false, message: describeInvalid(r, field()) ?? say('') };
    (args as Record<string, unknown>)[key] = r.value;
  }
  return { ok: true, args };
}
