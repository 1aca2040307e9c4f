// Throw-away extension for the harness selfcheck (test/harness/selfcheck/selfcheck.ts): just enough
// UI (input box, quick pick, modal, notification, tree view) to exercise every workbench.ts helper,
// plus a report of what the extension host sees (env, globalStorageUri) for the harness to compare.
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

function info(context) {
  return {
    token: process.env.VBOT_SELFCHECK_TOKEN ?? null,
    globalStorage: context.globalStorageUri.fsPath,
    vscodeVersion: vscode.version,
    uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'Web' : 'Desktop',
    remoteName: vscode.env.remoteName ?? null,
    node: process.version,
  };
}

function activate(context) {
  const infoFile = process.env.SELFCHECK_INFO_FILE;
  if (infoFile) fs.writeFileSync(infoFile, JSON.stringify(info(context)));

  const items = ['Alpha', 'Beta'];
  const changed = new vscode.EventEmitter();
  vscode.window.registerTreeDataProvider('selfcheck.items', {
    onDidChangeTreeData: changed.event,
    getTreeItem: (label) => new vscode.TreeItem(label),
    getChildren: () => items,
  });

  context.subscriptions.push(
    vscode.commands.registerCommand('selfcheck.info', () => info(context)),
    vscode.commands.registerCommand('selfcheck.greet', async () => {
      const name = await vscode.window.showInputBox({ prompt: 'Your name?', placeHolder: 'name' });
      if (!name) return;
      const colour = await vscode.window.showQuickPick(['Red', 'Green', 'Blue'], { placeHolder: 'Favourite colour?' });
      if (!colour) return;
      const ok = await vscode.window.showWarningMessage(`Save ${name}?`, { modal: true }, 'Save');
      if (ok !== 'Save') return;
      fs.mkdirSync(context.globalStorageUri.fsPath, { recursive: true });
      fs.writeFileSync(path.join(context.globalStorageUri.fsPath, 'greeting.json'), JSON.stringify({ name, colour }));
      items.push(name);
      changed.fire();
      vscode.window.showInformationMessage(`Saved ${name} (${colour})`);
    }),
  );
}

function deactivate() {}
module.exports = { activate, deactivate };
