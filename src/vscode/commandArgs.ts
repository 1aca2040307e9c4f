// Commands accept a tree node (from menus) or a plain argument object (keybindings, scripts,
// tests); each field given skips its prompt. Given fields are validated like typed ones.
// The reading itself is src/core/commandArgs.ts (unit-tested without VS Code); here a refusal becomes its message.
import { parseTypeArgs, type TypeArgField, type TypeCommandArgs } from '../core/commandArgs';
import { describeInvalid, fieldNames } from './messages';
import { type Safe, say } from './say';

export type { TypeCommandArgs };

/** What a command reports to a caller of executeCommand. */
export type CommandResult = 'done' | 'cancelled' | 'failed' | 'invalid';

const fieldName: Record<TypeArgField, () => string> = {
  vbotId: fieldNames.vbotId,
  projectCode: fieldNames.projectCode,
  typeNo: fieldNames.typeNo,
  typeName: fieldNames.typeName,
  newTypeNo: fieldNames.typeNo,
};

/** Normalizes and validates; returns a localized message for the first bad field. */
export function readTypeArgs(arg: unknown): { ok: true; args: TypeCommandArgs } | { ok: false; message: Safe } {
  const parsed = parseTypeArgs(arg);
  if (parsed.ok) return parsed;
  return { ok: false, message: describeInvalid(parsed.problem, fieldName[parsed.field]()) ?? say('') };
}
