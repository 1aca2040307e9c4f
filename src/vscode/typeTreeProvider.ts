// The tree of projects and their customer types, drawn from the local cache (the API cannot list).
// Node objects are kept per id so a change refreshes just the project it touched, and ids are
// stable so expansion and selection survive refreshes.
import * as vscode from 'vscode';
import type { CacheSnapshot } from '../core/customerTypeCache';
import type { TypeCache } from './activeCache';

export interface ProjectNode { readonly kind: 'project'; readonly vbotId: string; readonly projectCode: string }
export interface TypeNode {
  readonly kind: 'type';
  readonly vbotId: string;
  readonly projectCode: string;
  readonly typeNo: string;
  /** Not `typeName`: that field of a command argument means a new name to apply. */
  readonly currentName: string;
  readonly updatedAt: string;
}
export type CrmNode = ProjectNode | TypeNode;

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

export function projectId(vbotId: string, projectCode: string): string {
  return `project/${encodeURIComponent(vbotId)}/${encodeURIComponent(projectCode)}`;
}
export function typeId(vbotId: string, projectCode: string, typeNo: string): string {
  return `type/${encodeURIComponent(vbotId)}/${encodeURIComponent(projectCode)}/${encodeURIComponent(typeNo)}`;
}

export class TypeTreeProvider implements vscode.TreeDataProvider<CrmNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CrmNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private projectNodes = new Map<string, ProjectNode>();
  /** A fingerprint per project of the snapshot last drawn, to refresh only what changed. */
  private drawn = new Map<string, string>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly cache: TypeCache, private readonly ready: () => Promise<unknown> = () => Promise.resolve()) {
    this.remember(cache.snapshot());
    this.subscription = cache.onDidChange((snapshot) => this.update(snapshot));
  }

  getTreeItem(node: CrmNode): vscode.TreeItem {
    return node.kind === 'project' ? projectItem(node) : typeItem(node);
  }

  async getChildren(node?: CrmNode): Promise<CrmNode[]> {
    await this.ready();
    const snapshot = this.cache.snapshot();
    if (!node) {
      return snapshot.projects()
        .map((p) => this.projectNode(p.vbotId, p.projectCode))
        .sort((a, b) => collator.compare(a.projectCode, b.projectCode) || collator.compare(a.vbotId, b.vbotId));
    }
    if (node.kind === 'type') return [];
    const project = snapshot.project(node.vbotId, node.projectCode);
    if (!project) return [];
    const nodes: TypeNode[] = project.types.map((t) => ({
      kind: 'type', vbotId: node.vbotId, projectCode: node.projectCode, typeNo: t.typeNo, currentName: t.typeName, updatedAt: t.updatedAt,
    }));
    return nodes.sort((a, b) => collator.compare(a.currentName, b.currentName) || collator.compare(a.typeNo, b.typeNo));
  }

  getParent(node: CrmNode): CrmNode | undefined {
    return node.kind === 'type' ? this.projectNode(node.vbotId, node.projectCode) : undefined;
  }

  /** The node for a type as currently cached, for reveal() after a change. */
  typeNode(vbotId: string, projectCode: string, typeNo: string): TypeNode | undefined {
    const t = this.cache.snapshot().findType(vbotId, projectCode, typeNo);
    return t && { kind: 'type', vbotId, projectCode, typeNo: t.typeNo, currentName: t.typeName, updatedAt: t.updatedAt };
  }

  projectNode(vbotId: string, projectCode: string): ProjectNode {
    const id = projectId(vbotId, projectCode);
    let node = this.projectNodes.get(id);
    if (!node) {
      node = { kind: 'project', vbotId, projectCode };
      this.projectNodes.set(id, node);
    }
    return node;
  }

  refreshAll(): void {
    this.remember(this.cache.snapshot());
    this.changed.fire(undefined);
  }

  private update(snapshot: CacheSnapshot): void {
    const before = this.drawn;
    this.remember(snapshot);
    const sameProjects = before.size === this.drawn.size && [...this.drawn.keys()].every((k) => before.has(k));
    if (!sameProjects) {
      this.changed.fire(undefined);
      return;
    }
    for (const [id, fingerprint] of this.drawn) {
      const node = this.projectNodes.get(id);
      if (before.get(id) !== fingerprint && node) this.changed.fire(node);
    }
  }

  private remember(snapshot: CacheSnapshot): void {
    this.drawn = new Map(snapshot.projects().map((p) => [
      projectId(p.vbotId, p.projectCode),
      p.types.map((t) => `${t.typeNo}\u0000${t.typeName}`).join('\u0001'),
    ]));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function projectItem(node: ProjectNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.projectCode, vscode.TreeItemCollapsibleState.Expanded);
  item.id = projectId(node.vbotId, node.projectCode);
  item.description = node.vbotId;
  item.tooltip = vscode.l10n.t('Project {0} of VBotID {1}', node.projectCode, node.vbotId);
  item.contextValue = 'vbotProject';
  item.iconPath = new vscode.ThemeIcon('project');
  return item;
}

function typeItem(node: TypeNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.currentName, vscode.TreeItemCollapsibleState.None);
  item.id = typeId(node.vbotId, node.projectCode, node.typeNo);
  item.description = node.typeNo;
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escapeMarkdown(node.currentName)}**\n\n`);
  tooltip.appendMarkdown(vscode.l10n.t('Code: {0}', `\`${node.typeNo.replace(/`/g, "'")}\``) + '\n\n');
  tooltip.appendMarkdown(vscode.l10n.t('Project: {0} · {1}', escapeMarkdown(node.projectCode), escapeMarkdown(node.vbotId)));
  item.tooltip = tooltip;
  item.contextValue = 'vbotType';
  item.iconPath = new vscode.ThemeIcon('tag');
  return item;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
