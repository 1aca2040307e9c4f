// Read-only Markdown documents the extension writes for the user to read (plans, reports,
// history): virtual, so closing them never asks to save.
import * as vscode from 'vscode';

const SCHEME = 'vbot-crm';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  /** Registered with the first document, not while the extension starts. */
  private registration: vscode.Disposable | undefined;
  private shown = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /**
   * Opens a document named `title`.md with the given Markdown. Each one is a snapshot of its own
   * (a new report does not overwrite the one the user is reading).
   */
  async show(title: string, markdown: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${title.replace(/[\\/]/g, '-')}.md`, query: String(++this.shown) });
    this.contents.set(uri.toString(), markdown);
    this.registration ??= vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  dispose(): void {
    this.registration?.dispose();
  }
}
