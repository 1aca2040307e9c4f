// History and undo: every change made here is in the journal; the history of a project opens as a
// document, and the last change on a type (or project) is undone by its inverse change, carried out by
// the same runner as every change.
import * as vscode from 'vscode';
import { markdown, type Safe, say, sayMarkdown } from './say';
import type { JournalEntry } from '../core/journal/entry';
import type { ChangeJournal } from '../core/journal/journal';
import { type TypeChange, undoOfRecord } from '../core/change/typeChange';
import type { ActiveCache } from './activeCache';
import type { ApiRunner } from './apiRunner';
import type { Changes } from './changes';
import { type CommandResult, readTypeArgs } from './commandArgs';
import type { ReadOnlyDocuments } from './documents';
import type { Notifier } from './notifier';
import { pickProject } from './prompts';
import type { Profile, Settings } from './settings';

export class HistoryCommands {
  constructor(
    private readonly journal: ChangeJournal,
    private readonly cache: ActiveCache,
    private readonly settings: Settings,
    private readonly notifier: Notifier,
    private readonly runner: ApiRunner,
    private readonly changes: Changes,
    private readonly documents: ReadOnlyDocuments,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.showHistory', (a) => this.showHistory(a)),
      vscode.commands.registerCommand('vbotCrm.undoLastChange', (a) => this.undoLastChange(a)),
    ];
  }

  async showHistory(arg?: unknown): Promise<CommandResult> {
    const profile = this.settings.activeProfile();
    const project = await this.project(arg, vscode.l10n.t('Show History'), profile);
    if (!project) return 'cancelled';
    const entries = await this.journal.entries({ profile: profile.name, ...project });
    await this.documents.show(say(vscode.l10n.t('History of {0}'), project.projectCode), renderHistory(project, entries));
    return 'done';
  }

  async undoLastChange(arg?: unknown): Promise<CommandResult> {
    const read = readTypeArgs(arg);
    if (!read.ok) return this.notifier.invalid(read.message);
    const api = this.runner.bind();
    const project = await this.project(arg, vscode.l10n.t('Undo Last Change'), api.profile);
    if (!project) return 'cancelled';
    const entry = await this.journal.lastUndoable({ profile: api.profile.name, ...project, typeNo: read.args.typeNo });
    if (!entry) {
      this.notifier.info(
        read.args.typeNo
          ? say(vscode.l10n.t('There is no change of customer type "{0}" to undo.'), read.args.typeNo)
          : say(vscode.l10n.t('There is no change in project {0} to undo.'), project.projectCode),
      );
      return 'done';
    }
    const undo = undoOfRecord(entry);
    if (!('change' in undo)) {
      return this.notifier.invalid(
        say(vscode.l10n.t('The last change of "{0}" ({1}) cannot be undone: {2}'), entry.typeNo, describeEntry(entry), undo.impossible),
      );
    }
    if (!read.args.skipConfirmation) {
      const yes = await this.notifier.confirm(
        say(vscode.l10n.t('Undo the last change of customer type "{0}" in project {1}?'), entry.typeNo, project.projectCode),
        say(`${vscode.l10n.t('Last change')}: {0}\n${vscode.l10n.t('Undo')}: {1}`, describeEntry(entry), describeUndo(undo.change)),
        vscode.l10n.t('Undo'),
      );
      if (!yes) return 'cancelled';
    }
    return this.changes.runOne(api, undo.change, { undoOf: entry.id });
  }

  /** The project, picked from (or resolved against) the list of the profile the command started in. */
  private async project(arg: unknown, title: string, profile: Profile): Promise<{ vbotId: string; projectCode: string } | undefined> {
    const read = readTypeArgs(arg);
    if (!read.ok) return undefined;
    const { vbotId, projectCode } = read.args;
    const snapshot = this.cache.forProfile(profile.name).snapshot();
    if (projectCode) {
      const owners = snapshot.projects().filter((p) => p.projectCode === projectCode && (!vbotId || p.vbotId === vbotId));
      const owner = vbotId ?? (owners.length === 1 ? owners[0].vbotId : profile.vbotId);
      return owner ? { vbotId: owner, projectCode } : undefined;
    }
    const picked = await pickProject({ title, step: 1, totalSteps: 1 }, snapshot, {
      vbotId,
      allowNew: false,
      defaultVbotId: profile.vbotId,
      validateNew: () => undefined,
    });
    return picked && { vbotId: picked.vbotId, projectCode: picked.projectCode };
  }
}

function quoted(state?: { typeNo: string; typeName: string }): string {
  return state ? `${state.typeNo} "${state.typeName}"` : '?';
}

/** One line saying what a journal entry did, in the user's language. */
export function describeEntry(e: JournalEntry): Safe {
  switch (e.operation) {
    case 'create':
      return say(vscode.l10n.t('added {0}'), quoted(e.after));
    case 'rename':
      return say(vscode.l10n.t('renamed {0}: "{1}" → "{2}"'), e.typeNo, e.before?.typeName ?? '?', e.after?.typeName ?? '?');
    case 'changeCode':
      return say(vscode.l10n.t('changed code {0} → {1}'), e.before?.typeNo ?? e.typeNo, e.after?.typeNo ?? '?');
    case 'delete':
      return say(vscode.l10n.t('deleted {0}'), e.before ? quoted(e.before) : e.typeNo);
  }
}

function describeUndo(c: TypeChange): Safe {
  switch (c.op) {
    case 'create':
      return say(vscode.l10n.t('create {0} "{1}" again'), c.after!.typeNo, c.after!.typeName);
    case 'delete':
      return say(vscode.l10n.t('delete {0}'), c.before!.typeNo);
    case 'rename':
      return say(vscode.l10n.t('rename {0} back to "{1}"'), c.after!.typeNo, c.after!.typeName);
    case 'changeCode':
      return say(vscode.l10n.t('change code {0} back to {1}'), c.before!.typeNo, c.after!.typeNo);
  }
}

function outcomeText(e: JournalEntry): string {
  switch (e.outcome) {
    case 'done':
      return vscode.l10n.t('done');
    case 'failed':
      return vscode.l10n.t('failed');
    case 'unknown':
      return vscode.l10n.t('outcome unknown');
  }
}

export function renderHistory(project: { vbotId: string; projectCode: string }, entries: ReadonlyArray<JournalEntry>): string {
  const lines = [
    `# ${sayMarkdown(vscode.l10n.t('History of project {0} ({1})'), project.projectCode, project.vbotId)}`,
    '',
    entries.length
      ? say(vscode.l10n.t('{0} changes, newest first. Only changes made with this extension are recorded.'), String(entries.length))
      : vscode.l10n.t('No changes recorded yet. Only changes made with this extension are recorded.'),
    '',
    `| ${vscode.l10n.t('Time')} | ${vscode.l10n.t('Change')} | ${vscode.l10n.t('Outcome')} | ${vscode.l10n.t('Note')} |`,
    '| --- | --- | --- | --- |',
  ];
  for (const e of entries) {
    const note = [e.undoOf ? vscode.l10n.t('undo') : '', e.message ?? ''].filter(Boolean).join(' · ');
    lines.push(`| ${new Date(e.at).toLocaleString()} | ${markdown(describeEntry(e))} | ${outcomeText(e)} | ${markdown(note)} |`);
  }
  return lines.join('\n') + '\n';
}
