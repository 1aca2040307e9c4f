// What the user is told when the cache file could not be read (it was moved aside). Rare: a lazy group of its
// own (esbuild.mjs), loaded when it happens.
import * as vscode from 'vscode';
import { say } from './say';
import type { CacheProblem } from '../core/cache/customerTypeCache';
import type { Logger } from '../core/logger';
import type { Notifier } from './notifier';

export function reportCacheProblem(problem: CacheProblem, notifier: Notifier, log: Logger): void {
  log.warn(`Cache file problem (${problem.kind}): ${problem.detail}; kept as ${problem.backupPath}`);
  const message =
    problem.kind === 'unsupportedVersion'
      ? say(
          vscode.l10n.t(
            'The local customer type list was written by a newer version of the extension. It was kept as {0}, and an empty list was started.',
          ),
          problem.backupPath,
        )
      : say(
          vscode.l10n.t(
            'The local customer type list was damaged and could not be read. It was kept as {0}, and an empty list was started.',
          ),
          problem.backupPath,
        );
  notifier.warn(message, {
    title: vscode.l10n.t('Reveal Backup'),
    run: () => vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(problem.backupPath)),
  });
}
