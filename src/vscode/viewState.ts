// Context keys that drive the welcome views and menus, and the tree's message line.
import * as vscode from 'vscode';
import type { TypeCache } from './activeCache';
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
