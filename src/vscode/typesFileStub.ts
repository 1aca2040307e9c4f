// In the main bundle: waits for a vbot-types.json to be open (now or later) and only then loads the editor
// help (typesLanguage.ts, a lazy bundle with jsonc-parser). A few lines, so activation stays cheap.
import * as vscode from 'vscode';
import { DESIRED_STATE_FILE_NAME } from '../core/typesAsCode/fileName';

/** Whether `uri` names a vbot-types.json (any scheme, any folder). */
export const isTypesFileUri = (uri: vscode.Uri): boolean =>
  uri.path === DESIRED_STATE_FILE_NAME || uri.path.endsWith(`/${DESIRED_STATE_FILE_NAME}`);

const isTypesFile = (doc: vscode.TextDocument) => isTypesFileUri(doc.uri);

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
