// The stand-in provider a view is made with at activation: the real one is loaded when VS Code first asks for the
// view's items (the Customer types view: src/vscode/viewParts.ts, right after activation; the History view:
// historyTree.ts with the history commands, when it is first shown).
import * as vscode from 'vscode';

export class LazyTreeProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private real: vscode.TreeDataProvider<T> | undefined;
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly load: () => Promise<vscode.TreeDataProvider<T>>) {}

  /** The real provider, loaded on first use. */
  async provider(): Promise<vscode.TreeDataProvider<T>> {
    if (!this.real) {
      const real = await this.load();
      if (!this.real) {
        this.real = real;
        this.subscription = real.onDidChangeTreeData?.((e) => this.changed.fire(e ?? undefined));
      }
    }
    return this.real;
  }

  async getChildren(element?: T): Promise<T[]> {
    return (await (await this.provider()).getChildren(element)) ?? [];
  }

  // Elements come from the real provider (through getChildren, or a command's reveal).
  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.real ? this.real.getTreeItem(element) : this.provider().then((p) => p.getTreeItem(element));
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.real ? this.real.getParent?.(element) : this.provider().then((p) => p.getParent?.(element));
  }

  resolveTreeItem(item: vscode.TreeItem, element: T, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    return this.real?.resolveTreeItem ? this.real.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
