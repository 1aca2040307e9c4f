// History and undo: every change made here is in the journal, shown in the History view (historyTree.ts).
// Any entry the type has not changed since can be undone (the view's Undo, or Undo Last Change on a type or
// project), and a deleted type can be brought back (Restore Deleted Type…): each by its inverse change,
// carried out by the same runner as every change.
import * as vscode from 'vscode';
import { label, say, sayLabel } from './say';
import { formatError } from '../core/json';
import type { JournalEntry } from '../core/journal/entry';
import type { JournalHistory } from '../core/journal/history';
import type { ChangeJournal } from '../core/journal/journal';
import type { Logger } from '../core/logger';
import type { ActiveCache } from './activeCache';
import type { ApiRunner, ProfileApi } from './apiRunner';
import type { Changes } from './changes';
import { type CommandResult, readTypeArgs } from './commandArgs';
import { describeEntry, describeUndo, entryTime, refusalText } from './historyText';
import { type HistoryNode, HistoryTreeProvider } from './historyTree';
import type { Notifier } from './notifier';
import { pickProject } from './prompts';
import type { Settings } from './settings';

export type { HistoryNode };

const REVEAL_ATTEMPTS = 4;
const REVEAL_PAUSE_MS = 200;

export interface HistoryDeps {
  journal: ChangeJournal;
  cache: ActiveCache;
  settings: Settings;
  notifier: Notifier;
  runner: ApiRunner;
  changes: Changes;
  log: Pick<Logger, 'warn'>;
  /** The History view, made at activation with a stand-in provider that hands on to `tree`. */
  view: () => vscode.TreeView<HistoryNode>;
}

export class HistoryCommands implements vscode.Disposable {
  readonly tree: HistoryTreeProvider;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly d: HistoryDeps) {
    this.tree = new HistoryTreeProvider({ ...d, activeProfile: () => d.settings.activeProfile().name });
    // Undo's availability follows the local list (and the profile whose history is shown).
    this.subscriptions = [this.tree, d.settings.onDidChange(() => this.tree.refresh()), d.cache.onDidChange(() => this.tree.refreshSoon())];
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.showHistory', (a) => this.showHistory(a)),
      vscode.commands.registerCommand('vbotCrm.undoLastChange', (a) => this.undoLastChange(a)),
      vscode.commands.registerCommand('vbotCrm.undoChange', (a) => this.undoChange(a)),
      vscode.commands.registerCommand('vbotCrm.restoreDeletedType', (a) => this.restoreDeletedType(a)),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** Shows the History view; given a project, opens and selects it there. */
  async showHistory(arg?: unknown): Promise<CommandResult> {
    const read = readTypeArgs(arg);
    if (!read.ok) return this.d.notifier.invalid(read.message);
    await vscode.commands.executeCommand('vbotCrm.history.focus');
    const { projectCode } = read.args;
    if (!projectCode) return 'done';
    const vbotId = read.args.vbotId ?? this.owner(projectCode);
    for (let attempt = 1; ; attempt++) {
      this.tree.refreshDue();
      const node = vbotId ? await this.tree.projectNode(vbotId, projectCode) : undefined;
      if (!node) {
        this.d.notifier.info(say(vscode.l10n.t('No change of project {0} is recorded yet.'), projectCode));
        return 'done';
      }
      try {
        await this.d.view().reveal(node, { select: true, focus: true, expand: true });
        return 'done';
      } catch (e) {
        // A redraw came under the reveal (the journal's watcher, a cache change, the view's first fill): VS Code
        // refuses nodes it is replacing, so try again on the new nodes once the view has settled.
        if (attempt === REVEAL_ATTEMPTS) {
          this.d.log.warn(`Could not select the project in the History view: ${formatError(e)}`);
          return 'done';
        }
        await new Promise((resolve) => setTimeout(resolve, REVEAL_PAUSE_MS * attempt));
      }
    }
  }

  /** Undoes the entry given (a node of the History view, or `{ entryId, skipConfirmation? }`). */
  async undoChange(arg?: unknown): Promise<CommandResult> {
    const id = entryIdOf(arg);
    if (!id) return 'invalid';
    const api = this.d.runner.bind();
    this.tree.refresh(); // what the journal says now, not what the view last drew
    const history = await this.tree.current();
    const entry = history.byId(id);
    if (!entry) {
      this.d.notifier.info(say(vscode.l10n.t('This change is no longer in the history.')));
      return 'done';
    }
    return this.undo(api, history, entry, skips(arg));
  }

  async undoLastChange(arg?: unknown): Promise<CommandResult> {
    const read = readTypeArgs(arg);
    if (!read.ok) return this.d.notifier.invalid(read.message);
    const api = this.d.runner.bind();
    const project = await this.pickProject(read.args, api);
    if (!project) return 'cancelled';
    const entry = await this.d.journal.lastUndoable({ profile: api.profile.name, ...project, typeNo: read.args.typeNo });
    if (!entry) {
      this.d.notifier.info(
        read.args.typeNo
          ? say(vscode.l10n.t('There is no change of customer type "{0}" to undo.'), read.args.typeNo)
          : say(vscode.l10n.t('There is no change in project {0} to undo.'), project.projectCode),
      );
      return 'done';
    }
    this.tree.refresh();
    return this.undo(api, await this.tree.current(), entry, read.args.skipConfirmation === true, true);
  }

  /**
   * Lists the types deleted in the journal and not made again since (of a project, when given) and creates
   * the one chosen again, with its code and name. `{ projectCode, typeNo }` chooses without asking.
   */
  async restoreDeletedType(arg?: unknown): Promise<CommandResult> {
    const read = readTypeArgs(arg);
    if (!read.ok) return this.d.notifier.invalid(read.message);
    const api = this.d.runner.bind();
    this.tree.refresh();
    const history = await this.tree.current();
    const { projectCode, typeNo } = read.args;
    const vbotId = read.args.vbotId ?? (projectCode ? this.owner(projectCode) : undefined);
    const deleted = history
      .deletedTypes({ profile: api.profile.name, vbotId, projectCode }, (v, p) => this.tree.listed(api.profile.name, v, p))
      .filter((e) => typeNo === undefined || e.typeNo === typeNo);
    if (deleted.length === 0) {
      this.d.notifier.info(
        typeNo
          ? say(vscode.l10n.t('Customer type "{0}" is not among the deleted types that can be restored.'), typeNo)
          : projectCode
            ? say(vscode.l10n.t('No deleted customer type of project {0} can be restored.'), projectCode)
            : say(vscode.l10n.t('No deleted customer type can be restored.')),
      );
      return 'done';
    }
    const entry = typeNo ? deleted[0] : await pickDeleted(deleted);
    if (!entry) return 'cancelled';
    // Choosing the type is the confirmation: creating it again destroys nothing.
    return this.undo(api, history, entry, true);
  }

  /** Checks the entry can be undone now (refusing in words otherwise), confirms, and runs its inverse. */
  private async undo(
    api: ProfileApi,
    history: JournalHistory,
    entry: JournalEntry,
    skipConfirmation: boolean,
    last = false,
  ): Promise<CommandResult> {
    if (entry.profile !== api.profile.name) {
      return this.d.notifier.invalid(
        say(vscode.l10n.t('This change was made with the profile "{0}". Switch to that profile to undo it.'), entry.profile),
      );
    }
    const check = this.tree.undoCheck(history, entry);
    if (!check.ok) {
      return this.d.notifier.invalid(
        say(vscode.l10n.t('"{0}" cannot be undone: {1}'), describeEntry(entry), refusalText(check.reason, check.later)),
      );
    }
    if (!skipConfirmation) {
      const yes = await this.d.notifier.confirm(
        last
          ? say(vscode.l10n.t('Undo the last change of customer type "{0}" in project {1}?'), entry.typeNo, entry.projectCode)
          : say(vscode.l10n.t('Undo this change of customer type "{0}" in project {1}?'), entry.typeNo, entry.projectCode),
        say(
          `${vscode.l10n.t('Change')}: {0} ({1})\n${vscode.l10n.t('Undo')}: {2}`,
          describeEntry(entry),
          entryTime(entry),
          describeUndo(check.change),
        ),
        vscode.l10n.t('Undo'),
      );
      if (!yes) return 'cancelled';
    }
    const result = await this.d.changes.runOne(api, check.change, { undoOf: check.undoOf });
    this.tree.refresh();
    return result;
  }

  /** The VBotID of a project code, when the active list has exactly one project of that code. */
  private owner(projectCode: string): string | undefined {
    const profile = this.d.settings.activeProfile();
    const owners = this.d.cache
      .forProfile(profile.name)
      .snapshot()
      .projects()
      .filter((p) => p.projectCode === projectCode);
    return owners.length === 1 ? owners[0].vbotId : profile.vbotId;
  }

  /** The project, picked from (or resolved against) the list of the profile the command started in. */
  private async pickProject(
    args: { vbotId?: string; projectCode?: string },
    api: ProfileApi,
  ): Promise<{ vbotId: string; projectCode: string } | undefined> {
    if (args.projectCode) {
      const vbotId = args.vbotId ?? this.owner(args.projectCode);
      return vbotId ? { vbotId, projectCode: args.projectCode } : undefined;
    }
    const snapshot = this.d.cache.forProfile(api.profile.name).snapshot();
    const picked = await pickProject({ title: vscode.l10n.t('Undo Last Change'), step: 1, totalSteps: 1 }, snapshot, {
      vbotId: args.vbotId,
      allowNew: false,
      defaultVbotId: api.profile.vbotId,
      validateNew: () => undefined,
    });
    return picked && { vbotId: picked.vbotId, projectCode: picked.projectCode };
  }
}

/** The id of the entry a command names: a History node's, or `entryId` of a plain argument. */
function entryIdOf(arg: unknown): string | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const raw = arg as { kind?: unknown; entry?: { id?: unknown }; entryId?: unknown };
  const id = raw.kind === 'historyEntry' ? raw.entry?.id : raw.entryId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Only an explicit `skipConfirmation: true` skips the question (a tree node never does). */
function skips(arg: unknown): boolean {
  return !!arg && typeof arg === 'object' && (arg as { skipConfirmation?: unknown }).skipConfirmation === true;
}

async function pickDeleted(deleted: ReadonlyArray<JournalEntry>): Promise<JournalEntry | undefined> {
  type Item = vscode.QuickPickItem & { entry?: JournalEntry };
  const items: Item[] = [];
  let project = '';
  for (const e of deleted) {
    const key = JSON.stringify([e.vbotId, e.projectCode]);
    if (key !== project) {
      project = key;
      items.push({
        label: sayLabel(vscode.l10n.t('Project {0} (VBotID {1})'), e.projectCode, e.vbotId),
        kind: vscode.QuickPickItemKind.Separator,
      });
    }
    items.push({
      label: label(e.before!.typeName),
      description: label(e.typeNo),
      detail: sayLabel(vscode.l10n.t('deleted at {0}'), entryTime(e)),
      entry: e,
    });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Restore Deleted Type'),
    placeHolder: vscode.l10n.t('Choose the customer type to create again with its code and name'),
    matchOnDescription: true,
  });
  return picked?.entry;
}
