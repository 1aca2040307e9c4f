// Context keys that drive the welcome views and menus, and the tree's message line.
import * as vscode from 'vscode';
import { say } from './say';
import type { CacheProblem } from '../core/cache/customerTypeCache';
import type { TypeCache } from './activeCache';
import type { Logger } from '../core/logger';
import type { Notifier } from './notifier';
import type { Settings } from './settings';
import type { SecretTokenStore } from './tokenStore';
import type { CrmNode } from './typeTreeProvider';

interface ViewStateParts {
  tokens: SecretTokenStore;
  settings: Settings;
  treeView: vscode.TreeView<CrmNode>;
  cache: TypeCache & { ready: Promise<unknown> };
}

export function trackContextKeys(p: ViewStateParts): vscode.Disposable {
  let signedIn = false;
  const update = async () => {
    signedIn = await p.tokens.isSignedIn();
    const hasProjects = p.cache.snapshot().projects().length > 0;
    await vscode.commands.executeCommand('setContext', 'vbotCrm.signedIn', signedIn);
    await vscode.commands.executeCommand('setContext', 'vbotCrm.hasProjects', hasProjects);
    // With projects cached the welcome view is hidden, so say here why changes would fail. A view's message
    // is plain text (no link): it points at the Sign In button the title shows while signed out.
    p.treeView.message =
      !signedIn && hasProjects
        ? vscode.l10n.t('Signed out: click Sign In at the top of this view to add or change customer types.')
        : undefined;
  };
  const refresh = () => {
    void update();
  };
  void p.cache.ready.then(refresh);
  const subs = [p.tokens.onDidChange(refresh), p.cache.onDidChange(refresh), p.settings.onDidChange(refresh)];
  return { dispose: () => subs.forEach((s) => s.dispose()) };
}

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
