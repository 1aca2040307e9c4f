// The commands that pass a call on, as package.json contributes them (src/vscode/routedCommands.ts registers
// them at activation; commandArgs.ts re-exports this). No vscode import: unit-tested with plain Node.

/**
 * Commands that only pass a call on, named in package.json (the one list):
 * - `vbotCrm.viewTitle.X`, what the view's title bar runs: X with no argument. VS Code hands a title-bar command
 *   the focused row of the tree, exactly as an item menu would, so X cannot tell the two apart by its arguments.
 * - `vbotCrm.selectedType.X`, what the tree's keys run (a keybinding gives no argument): X on the selected type.
 */
export interface RoutedCommand {
  id: string;
  kind: 'viewTitle' | 'selectedType';
  /** The command it passes the call on to. */
  target: string;
}

const ROUTED = /^vbotCrm\.(viewTitle|selectedType)\.(\w+)$/;

/** The routed commands contributed in a package.json (as VS Code read it: any shape is tolerated). */
export function routedCommands(packageJson: unknown): RoutedCommand[] {
  const commands = (packageJson as { contributes?: { commands?: unknown } } | undefined)?.contributes?.commands;
  if (!Array.isArray(commands)) return [];
  const routed: RoutedCommand[] = [];
  for (const c of commands as Array<{ command?: unknown }>) {
    const m = typeof c?.command === 'string' ? ROUTED.exec(c.command) : null;
    if (m) routed.push({ id: m[0], kind: m[1] as RoutedCommand['kind'], target: `vbotCrm.${m[2]}` });
  }
  return routed;
}
