// Commands whose code is set up the first time one of them runs: activation only registers their ids,
// and a group (with what it alone needs: the CSV parser, the vbot-types.json reader...) is built on demand.
import * as vscode from 'vscode';

export interface CommandModule {
  /** Registers the real handlers of (at least) the ids given to registerLazily. */
  register(): vscode.Disposable[];
}

/**
 * Registers `ids` at once; on the first call of any of them, `load` builds the real commands, which
 * replace these registrations, and the call is handed on to them with its arguments.
 */
export function registerLazily(ids: readonly string[], load: () => Promise<CommandModule>): vscode.Disposable & { load(): Promise<void> } {
  let real: vscode.Disposable[] = [];
  let disposed = false;
  let loading: Promise<void> | undefined;
  const ensureLoaded = () =>
    (loading ??= load().then((module) => {
      if (disposed) return;
      for (const stand of standIns) stand.dispose();
      real = module.register();
    }));
  const standIns = ids.map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      await ensureLoaded();
      return vscode.commands.executeCommand(id, ...args);
    }),
  );
  return {
    /** Sets the group up without a command (vbot-types.json's editor help, when such a file opens). */
    load: ensureLoaded,
    dispose() {
      disposed = true;
      for (const d of [...standIns, ...real]) d.dispose();
    },
  };
}
