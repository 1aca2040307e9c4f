// The History view: the active profile's journal, one node per project (the project changed last first), its
// changes newest first, each saying what happened, when (in the display language) and how it ended, with Undo
// where the change can still be undone. Loaded with the history commands (dist/lazy/), when the view is
// first drawn or a history command first runs; it re-reads the journal when the file changes (any window
// may append to it) and when the active profile changes.
import { type FSWatcher, promises as fs, watch } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JournalEntry } from '../core/journal/entry';
import { JournalHistory, type ListedType, type UndoCheck } from '../core/journal/history';
import type { ChangeJournal } from '../core/journal/journal';
import { formatError } from '../core/json';
import type { Logger } from '../core/logger';
import type { ActiveCache } from './activeCache';
import { describeEntry, entryTime, entryTooltip, outcomeText } from './historyText';
import { say } from './say';

export interface HistoryProjectNode {
  readonly kind: 'historyProject';
  readonly id: string;
  readonly vbotId: string;
  readonly projectCode: string;
}
export interface HistoryEntryNode {
  readonly kind: 'historyEntry';
  readonly id: string;
  readonly entry: JournalEntry;
  readonly parent: HistoryProjectNode;
}
export type HistoryNode = HistoryProjectNode | HistoryEntryNode;

const ICONS: Record<JournalEntry['operation'], string> = {
  create: 'add',
  rename: 'edit',
  changeCode: 'symbol-key',
  delete: 'trash',
  createOption: 'add',
  updateOption: 'edit',
  changeOptionCode: 'symbol-key',
  deleteOption: 'trash',
};
/** Re-reading waits this long after the last change of the file: an Apply writes many times in a row. */
const REFRESH_DELAY_MS = 150;

export function historyProjectId(vbotId: string, projectCode: string): string {
  return `history/${encodeURIComponent(vbotId)}/${encodeURIComponent(projectCode)}`;
}

export interface HistoryTreeDeps {
  journal: ChangeJournal;
  cache: ActiveCache;
  activeProfile: () => string;
  log: Pick<Logger, 'warn'>;
}

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The journal as last read, and the nodes made from it (the same objects while an id stays). */
  private history: JournalHistory | undefined;
  private projects: HistoryProjectNode[] = [];
  private children = new Map<string, HistoryEntryNode[]>();
  private watcher: FSWatcher | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly d: HistoryTreeDeps) {
    void this.watch();
  }

  /** Reads the journal again and redraws. */
  refresh(): void {
    this.history = undefined;
    this.changed.fire(undefined);
  }

  /** Reads the journal again soon: several changes in a row make one redraw. */
  refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /** Reads the journal again now if a re-read is due: a redraw that comes while the view reveals a node makes it fail. */
  refreshDue(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.refresh();
  }

  /** The journal as the view shows it (read now if the view has not read it since it changed). */
  async current(): Promise<JournalHistory> {
    if (!this.history) {
      const { entries } = await this.d.journal.read();
      this.history = new JournalHistory(entries);
      this.rebuild(this.history);
    }
    return this.history;
  }

  /** Whether the entry can be undone now: the journal's checks, and the local list of its profile. */
  undoCheck(history: JournalHistory, entry: JournalEntry): UndoCheck {
    return history.undoCheck(entry, this.listed(entry.profile, entry.vbotId, entry.projectCode));
  }

  /** What the profile's local list holds of a project, or undefined when the project is not listed. */
  listed(profile: string, vbotId: string, projectCode: string): ListedType | undefined {
    const snapshot = this.d.cache.forProfile(profile).snapshot();
    if (!snapshot.project(vbotId, projectCode)) return undefined;
    return (typeNo) => snapshot.findType(vbotId, projectCode, typeNo);
  }

  async projectNode(vbotId: string, projectCode: string): Promise<HistoryProjectNode | undefined> {
    await this.current();
    return this.projects.find((p) => p.id === historyProjectId(vbotId, projectCode));
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    await this.current();
    if (!node) return this.projects;
    return node.kind === 'historyProject' ? (this.children.get(node.id) ?? []) : [];
  }

  getParent(node: HistoryNode): HistoryNode | undefined {
    return node.kind === 'historyEntry' ? node.parent : undefined;
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node.kind === 'historyProject') {
      const item = new vscode.TreeItem(say('{0}', node.projectCode), vscode.TreeItemCollapsibleState.Expanded);
      const count = this.children.get(node.id)?.length ?? 0;
      item.id = node.id;
      item.description =
        count === 1
          ? say(vscode.l10n.t('VBotID {0} · 1 change'), node.vbotId)
          : say(vscode.l10n.t('VBotID {0} · {1} changes'), node.vbotId, String(count));
      item.iconPath = new vscode.ThemeIcon('project');
      item.contextValue = 'vbotHistoryProject';
      return item;
    }
    const e = node.entry;
    const check = this.undoCheck(this.history!, e);
    const item = new vscode.TreeItem(describeEntry(e), vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = say('{0} · {1}', entryTime(e), outcomeText(e));
    item.iconPath = new vscode.ThemeIcon(
      e.outcome === 'failed' ? 'error' : e.outcome === 'unknown' ? 'warning' : e.undoOf ? 'discard' : ICONS[e.operation],
      e.outcome === 'failed'
        ? new vscode.ThemeColor('errorForeground')
        : e.outcome === 'unknown'
          ? new vscode.ThemeColor('list.warningForeground')
          : undefined,
    );
    item.contextValue = check.ok ? 'vbotHistoryEntry.undoable' : 'vbotHistoryEntry';
    item.accessibilityInformation = { label: say('{0}, {1}, {2}', describeEntry(e), entryTime(e), outcomeText(e)) };
    return item;
  }

  /** The tooltip, made when the pointer rests on an entry. */
  resolveTreeItem(item: vscode.TreeItem, node: HistoryNode): vscode.TreeItem {
    if (node.kind === 'historyEntry' && this.history)
      item.tooltip = new vscode.MarkdownString(entryTooltip(node.entry, this.undoCheck(this.history, node.entry)));
    return item;
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }

  /** The active profile's projects and entries, reusing the node objects of ids already shown. */
  private rebuild(history: JournalHistory): void {
    const oldProjects = new Map(this.projects.map((p) => [p.id, p]));
    const oldEntries = new Map([...this.children.values()].flat().map((n) => [n.id, n]));
    this.projects = [];
    this.children = new Map();
    for (const group of history.byProject(this.d.activeProfile())) {
      const id = historyProjectId(group.vbotId, group.projectCode);
      const project = oldProjects.get(id) ?? { kind: 'historyProject' as const, id, vbotId: group.vbotId, projectCode: group.projectCode };
      this.projects.push(project);
      this.children.set(
        id,
        group.entries.map((entry) => {
          const entryId = `history/entry/${entry.id}`;
          const old = oldEntries.get(entryId);
          return old && old.parent === project ? old : { kind: 'historyEntry' as const, id: entryId, entry, parent: project };
        }),
      );
    }
  }

  /** Watches the journal's folder (the file may not exist yet, and compaction replaces it). */
  private async watch(): Promise<void> {
    const folder = path.dirname(this.d.journal.filePath);
    const name = path.basename(this.d.journal.filePath);
    try {
      await fs.mkdir(folder, { recursive: true });
      this.watcher = watch(folder, (_event, file) => {
        if (file && file.toString() !== name && !file.toString().startsWith(`${name}.`)) return;
        this.refreshSoon();
      });
      if (this.disposed) this.watcher.close();
      this.watcher.on('error', (e) => this.d.log.warn(`Stopped watching the change journal: ${formatError(e)}`));
    } catch (e) {
      this.d.log.warn(`Could not watch the change journal; the History view refreshes after this window's changes only: ${formatError(e)}`);
    }
  }
}
