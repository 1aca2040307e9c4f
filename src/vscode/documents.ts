// Read-only Markdown documents the extension writes for the user to read (plans, reports,
// history): virtual, so closing them never asks to save.
import * as vscode from 'vscode';

const SCHEME = 'vbot-crm';
/** How long an open document may take to show new text before it is shown anyway. */
const UPDATE_TIMEOUT_MS = 3000;

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Registered with the first document, not while the extension starts. */
  private registration: vscode.Disposable | undefined;
  private shown = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /**
   * Opens a document named `title`.md with the given Markdown. Each one is a snapshot of its own
   * (a new history does not overwrite the one the user is reading).
   */
  show(title: string, markdown: string): Promise<void> {
    return this.open(documentUri(title, String(++this.shown)), markdown);
  }

  /**
   * The one document of `key` (Plan and Apply: the vbot-types.json file), named `title`.md: shown again with
   * the new Markdown, in the tab it has if it is open, so a plan followed by its report leaves one tab, never a stale one.
   */
  showFor(key: string, title: string, markdown: string): Promise<void> {
    return this.open(documentUri(title, key), markdown);
  }

  private async open(uri: vscode.Uri, markdown: string): Promise<void> {
    this.contents.set(uri.toString(), markdown);
    this.registration ??= vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open && open.getText() !== markdown) await this.refresh(open);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  /** Asks VS Code to read an open document again; resolves once its text changed (or after a while). */
  private refresh(doc: vscode.TextDocument): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      };
      const timer = setTimeout(done, UPDATE_TIMEOUT_MS);
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === doc) done();
      });
      this.changed.fire(doc.uri);
    });
  }

  dispose(): void {
    this.registration?.dispose();
    this.changed.dispose();
  }
}

/** The tab shows the path's name; the query tells documents of the same name apart. */
function documentUri(title: string, query: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/${title.replace(/[\\/]/g, '-')}.md`, query });
}
