// In the main bundle: waits for a vbot-types.json to be open (now or later) and only then loads the editor
// help (typesLanguage.ts, a lazy bundle with jsonc-parser). A few lines, so activation stays cheap.
import * as vscode from 'vscode';

const isTypesFile = (doc: vscode.TextDocument) => /(^|\/)vbot-types\.json$/.test(doc.uri.path);

export function whenTypesFileOpens(load: () => unknown): vscode.Disposable {
  if (vscode.workspace.textDocuments.some(isTypesFile)) {
    load();
    return { dispose() {} };
  }
  const sub = vscode.workspace.onDidOpenTextDocument((doc) => {
    if (!isTypesFile(doc)) return;
    sub.dispose();
    load();
  });
  return sub;
}
