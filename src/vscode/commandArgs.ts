// Commands accept a tree node (from menus) or a plain argument object (keybindings, scripts,
// tests); each field given skips its prompt. Given fields are validated like typed ones.
// The reading itself is src/core/commandArgs.ts (unit-tested without VS Code); here a refusal becomes its message.
import * as vscode from 'vscode';
import { parseTypeArgs, routedCommands, type TypeArgField, type TypeCommandArgs } from '../core/commandArgs';
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

/**
 * Registers the commands that pass a call on (src/core/commandArgs.ts#routedCommands; package.json names them):
 * the title bar's run their command with no argument, whatever row VS Code hands them, so it asks for what it
 * needs; the tree's keys run theirs on the selected type (Delete and Ctrl+C on every selected type), and with no type
 * selected do nothing.
 */
export function registerRoutedCommands(packageJson: unknown, selection: () => readonly unknown[]): vscode.Disposable[] {
  return routedCommands(packageJson).map(({ id, kind, target }) =>
    vscode.commands.registerCommand(id, (): Thenable<CommandResult | undefined> | CommandResult => {
      if (kind === 'viewTitle') return vscode.commands.executeCommand<CommandResult>(target);
      // Several rows selected: the first type row, and the selection, as a menu of that row would pass them.
      const rows = selection();
      const node = rows.find((n) => !!n && typeof n === 'object' && (n as { kind?: unknown }).kind === 'type');
      return node ? vscode.commands.executeCommand<CommandResult>(target, node, rows) : 'cancelled';
    }),
  );
}
