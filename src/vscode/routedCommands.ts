// The view's title bar and the tree's keys: commands that pass their call on. In the main bundle (registered at
// activation); the commands they call load with their groups.
import * as vscode from 'vscode';
import { routedCommands } from '../core/routedCommands';
import type { CommandResult } from './commandArgs';

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
