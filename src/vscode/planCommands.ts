// Customer types as code: `vbot-types.json` in the workspace declares the desired types;
// Plan shows what would change (nothing is sent), Apply carries it out with bounded concurrency,
// one progress with counts, a summary notification and a per-item report.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { joinSafe, label, markdown, plain, type Safe, say, sayMarkdown } from './say';
import { type ApplySummary, type OperationCounts, displayCode, summarizeForApply } from '../core/applySummary';
import { APPLY_CONCURRENCY, APPLY_WRITE_INTERVAL_MS, applyChanges, type ItemResult } from '../core/change/applyChanges';
import { VbotError, type VbotErrorKind } from '../core/vbotError';
import type { TypeChange } from '../core/change/typeChange';
import { DESIRED_STATE_FILE_NAME, DESIRED_STATE_LIMITS, type DesiredState, type DesiredStateError } from '../core/typesAsCode/format';
import { parseDesiredState } from '../core/typesAsCode/parse';
import { computePlan, countPlan, type Plan, type PlanItem } from '../core/typesAsCode/planner';
import { desiredStateFromSnapshot } from '../core/typesAsCode/scaffold';
import { readUserFile, writeUserFile } from '../core/userFiles';
import type { ActiveCache } from './activeCache';
import type { ApiRunner, ProfileApi } from './apiRunner';
import type { Changes } from './changes';
import type { CommandResult } from './commandArgs';
import { parseFileArgs } from '../core/commandArgs';
import { describeFailure, describeLocalSaveFailure } from './messages';
import type { Notifier } from './notifier';
import type { ReadOnlyDocuments } from './documents';
import type { Profile, Settings } from './settings';

interface PlanArgs { filePath?: string; skipConfirmation?: boolean }

interface LoadedPlan { plan: Plan; file: string; otherAccounts: string[] }

export interface PlanCommandDeps {
  documents: ReadOnlyDocuments;
  cache: ActiveCache;
  runner: ApiRunner;
  changes: Changes;
  notifier: Notifier;
  settings: Settings;
}

/** Failures after which nothing more can be done in the profile's name: Apply stops there. */
const PROFILE_ENDED: ReadonlySet<VbotErrorKind> = new Set(['signedOut', 'unauthorized', 'profileChanged']);

export class PlanCommands {
  constructor(private readonly d: PlanCommandDeps) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.plan', (a) => this.plan(a)),
      vscode.commands.registerCommand('vbotCrm.apply', (a) => this.apply(a)),
    ];
  }

  async plan(arg?: unknown): Promise<CommandResult> {
    const loaded = await this.load(planArgs(arg), this.d.settings.activeProfile());
    if (typeof loaded === 'string') return loaded;
    await this.d.documents.show(say(vscode.l10n.t('Plan for {0}'), path.basename(loaded.file)), renderPlanText(loaded));
    return 'done';
  }

  async apply(arg?: unknown): Promise<CommandResult> {
    // The file comes from the workspace: in Restricted Mode it may be shown (Plan), never carried out.
    if (!vscode.workspace.isTrusted) return this.refuseUntrusted();
    const args = planArgs(arg);
    // Captured now: the plan, the confirmation, every request and every write belong to this profile.
    const api = this.d.runner.bind();
    const loaded = await this.load(args, api.profile);
    if (typeof loaded === 'string') return loaded;
    const { plan, file } = loaded;
    if (plan.items.length === 0) {
      this.d.notifier.info(say(vscode.l10n.t('Nothing to apply: VBot already matches {0} ({1} unchanged).'), path.basename(file), String(plan.unchanged)));
      return 'done';
    }
    if (!args.skipConfirmation) {
      const yes = vscode.l10n.t('Apply');
      const confirmed = await this.d.notifier.confirm(
        say(vscode.l10n.t('Apply {0} changes from {1} to VBot (profile "{2}")?'), String(plan.items.length), path.basename(file), api.profile.name),
        confirmationDetail(plan),
        yes,
      );
      if (!confirmed) return 'cancelled';
    }
    const results = await this.run(api, plan.items, path.basename(file));
    await this.d.documents.show(say(vscode.l10n.t('Result of applying {0}'), path.basename(file)), renderReportText(results, file));
    const count = (status: ItemResult['status']) => String(results.filter((r) => r.status === status || (status === 'done' && r.status === 'recovered')).length);
    const summary = say(vscode.l10n.t('Applied {0}: {1} done, {2} failed, {3} skipped.'), path.basename(file), count('done'), count('failed'), count('skipped'));
    const failed = results.some((r) => r.status === 'failed' || r.status === 'skipped');
    if (failed) this.d.notifier.warn(summary, { title: vscode.l10n.t('Show Log'), run: () => vscode.commands.executeCommand('vbotCrm.showLog') });
    else this.d.notifier.info(summary);
    return failed ? 'failed' : 'done';
  }

  /**
   * The plan's changes through the one change runner, bound to the profile Apply started in, a window of
   * calls in flight; the progress counts a change once it is saved. Stops when that profile can no longer
   * act (signed out, its session refused, removed or edited).
   */
  private run(api: ProfileApi, items: ReadonlyArray<PlanItem>, fileName: string): Thenable<ItemResult<PlanItem>[]> {
    const runner = this.d.changes.runnerFor(api, { minWriteIntervalMs: APPLY_WRITE_INTERVAL_MS });
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: say(vscode.l10n.t('Applying {0}'), fileName), cancellable: true },
      async (progress, cancel) => {
        const controller = new AbortController();
        const sub = cancel.onCancellationRequested(() => controller.abort());
        try {
          return await applyChanges(items, runner, {
            concurrency: APPLY_CONCURRENCY,
            signal: controller.signal,
            onResult: (_result, ended, total) => progress.report({ increment: 100 / total, message: say(vscode.l10n.t('{0} of {1}'), String(ended), String(total)) }),
            stopOn: (result) => result.status === 'failed' && result.error instanceof VbotError && PROFILE_ENDED.has(result.error.kind),
          });
        } finally {
          sub.dispose();
        }
      },
    );
  }

  /** Finds and reads vbot-types.json, and plans it against the active profile's list. */
  private async load(args: PlanArgs, profile: Profile): Promise<LoadedPlan | CommandResult> {
    const file = args.filePath ?? await this.findFile();
    if (!file) return 'cancelled';
    // Refused by size (and kind) before a byte is read; only UTF-8 text is read.
    const read = await readUserFile(file, DESIRED_STATE_LIMITS.maxBytes);
    if (!read.ok) {
      switch (read.reason) {
        case 'notFound': return this.noFile();
        case 'tooLarge': return this.invalid(say(vscode.l10n.t('{0} is too large (more than {1} MB); nothing was planned.'), path.basename(file), String(DESIRED_STATE_LIMITS.maxBytes / 1024 / 1024)));
        case 'notUtf8': return this.invalid(say(vscode.l10n.t('{0} is not UTF-8 text (line {1}); nothing was planned. Save it as UTF-8 and try again.'), path.basename(file), String(read.line)));
        case 'notFile': return this.invalid(say(vscode.l10n.t('Could not read {0}: {1}'), path.basename(file), vscode.l10n.t('it is not a regular file')));
        case 'unreadable': return this.invalid(say(vscode.l10n.t('Could not read {0}: {1}'), path.basename(file), read.message));
      }
    }
    const parsed = parseDesiredState(read.text);
    if (!parsed.ok) return this.invalid(describeFileErrors(path.basename(file), parsed.errors));
    const { state, otherAccounts } = forAccount(parsed.state, profile.vbotId);
    const cache = this.d.cache.forProfile(profile.name);
    const snapshot = await cache.reload();
    return { plan: computePlan(snapshot, state), file, otherAccounts };
  }

  private async findFile(): Promise<string | undefined> {
    const found = await vscode.workspace.findFiles(`**/${DESIRED_STATE_FILE_NAME}`, '**/node_modules/**', 20);
    if (found.length === 1) return found[0].fsPath;
    if (found.length > 1) {
      const picked = await vscode.window.showQuickPick(found.map((u) => ({ label: label(vscode.workspace.asRelativePath(u)), file: u.fsPath })), {
        title: say(vscode.l10n.t('Which {0}?'), DESIRED_STATE_FILE_NAME),
      });
      return picked?.file;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? path.join(folder.uri.fsPath, DESIRED_STATE_FILE_NAME) : (this.noFile(), undefined);
  }

  private noFile(): CommandResult {
    this.d.notifier.error(
      say(vscode.l10n.t('There is no {0} in the workspace. Export the local list as {0} to start from what you have.'), DESIRED_STATE_FILE_NAME),
      { title: say(vscode.l10n.t('Export as {0}'), DESIRED_STATE_FILE_NAME), run: () => this.writeDesiredState() },
    );
    return 'invalid';
  }

  /** Starts a vbot-types.json from the local list, in the first workspace folder. */
  async writeDesiredState(filePath?: string): Promise<CommandResult> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const file = filePath ?? (folder ? path.join(folder, DESIRED_STATE_FILE_NAME) : undefined);
    if (!file) return this.invalid(say(vscode.l10n.t('Open a folder first: {0} lives in the workspace.'), DESIRED_STATE_FILE_NAME));
    const vbotId = this.d.settings.vbotId() || undefined;
    // Never through a symbolic link (a dangling one would create its target outside the workspace);
    // a file made since the plan found none is opened as it is, not replaced.
    const written = await writeUserFile(file, desiredStateFromSnapshot(this.d.cache.snapshot(), { vbotId }), { replace: false });
    if (!written.ok && written.reason === 'symlink') return this.invalid(say(vscode.l10n.t('{0} was not written: it is a symbolic link, and links are not followed when writing.'), path.basename(file)));
    if (!written.ok && written.reason !== 'exists') return this.invalid(say(vscode.l10n.t('Could not write {0}: {1}'), path.basename(file), written.reason === 'notFile' ? vscode.l10n.t('it is not a regular file') : written.message));
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    return 'done';
  }

  /** Restricted Mode: nothing is read or sent; the user is offered the way to trust the workspace. */
  private refuseUntrusted(): CommandResult {
    this.d.notifier.warn(
      say(vscode.l10n.t('Apply is not available in Restricted Mode: {0} comes from a workspace you have not trusted, so it cannot change your VBot data. Nothing was sent. Plan still shows what it would do.'), DESIRED_STATE_FILE_NAME),
      { title: vscode.l10n.t('Manage Workspace Trust'), run: () => vscode.commands.executeCommand('workbench.trust.manage') },
    );
    return 'invalid';
  }

  private invalid(message: Safe): CommandResult {
    this.d.notifier.error(message);
    return 'invalid';
  }
}

/** A profile speaks for one VBotID: projects of other accounts wait for their own profile. */
function forAccount(state: DesiredState, vbotId: string): { state: DesiredState; otherAccounts: string[] } {
  if (!vbotId) return { state, otherAccounts: [] };
  const mine = state.projects.filter((p) => p.vbotId === vbotId);
  const others = [...new Set(state.projects.filter((p) => p.vbotId !== vbotId).map((p) => p.vbotId))];
  return { state: { ...state, projects: mine }, otherAccounts: others };
}

function planArgs(arg: unknown): PlanArgs {
  const { filePath, skipConfirmation } = parseFileArgs(arg);
  return { filePath, skipConfirmation };
}

/** "1 to add, 1 code change, 3 unchanged." — counts of zero are left out. */
function summaryText(plan: Plan): string {
  const c = countPlan(plan);
  const parts = [
    c.create ? say(vscode.l10n.t('{0} to add'), String(c.create)) : '',
    c.rename ? say(vscode.l10n.t('{0} to rename'), String(c.rename)) : '',
    c.changeCode ? (c.changeCode === 1 ? vscode.l10n.t('1 code change') : say(vscode.l10n.t('{0} code changes'), String(c.changeCode))) : '',
    c.delete ? say(vscode.l10n.t('{0} to delete'), String(c.delete)) : '',
    say(vscode.l10n.t('{0} unchanged'), String(c.unchanged)),
  ];
  return parts.filter(Boolean).join(', ') + '.';
}

/** "1 to add, 2 to delete": the kinds of change of one project, zeros left out. */
function countsText(c: OperationCounts): Safe {
  const parts = [
    c.create ? say(vscode.l10n.t('{0} to add'), String(c.create)) : undefined,
    c.rename ? say(vscode.l10n.t('{0} to rename'), String(c.rename)) : undefined,
    c.changeCode ? (c.changeCode === 1 ? say(vscode.l10n.t('1 code change')) : say(vscode.l10n.t('{0} code changes'), String(c.changeCode))) : undefined,
    c.delete ? say(vscode.l10n.t('{0} to delete'), String(c.delete)) : undefined,
  ];
  return joinSafe(parts.filter((p): p is Safe => p !== undefined), ', ');
}

/**
 * The Apply confirmation's detail: the overall counts, then each project (code and VBotID) with its
 * counts and the codes it deletes (the first ones, then how many more), then the problems left out.
 */
export function confirmationDetailFrom(summary: ApplySummary, overall: string, problems: number): Safe {
  const lines: Safe[] = [plain(overall), plain('')];
  for (const p of summary.projects) {
    const project = displayCode(p.projectCode);
    lines.push(say(vscode.l10n.t('Project {0} (VBotID {1}): {2}'), project, displayCode(p.vbotId), countsText(p.counts)));
    if (p.deleteCodes.length) {
      const codes = p.deleteCodes.map(displayCode).join(', ');
      const listed = p.moreDeletes ? say(vscode.l10n.t('{0} and {1} more'), codes, String(p.moreDeletes)) : plain(codes);
      lines.push(say(vscode.l10n.t('Codes to delete in {0}: {1}'), project, listed));
    }
  }
  if (summary.moreProjects) lines.push(say(vscode.l10n.t('…and {0} more projects; see the plan.'), String(summary.moreProjects)));
  if (problems) lines.push(plain(''), say(vscode.l10n.t('{0} problems are left out; see the plan.'), String(problems)));
  return joinSafe(lines, '\n');
}

function confirmationDetail(plan: Plan): Safe {
  return confirmationDetailFrom(summarizeForApply(plan), summaryText(plan), plan.problems.length);
}

/** One line per item, in the user's language: `+ add VIP "Khách hàng VIP"`. */
export function describeItem(item: TypeChange): string {
  const { before, after } = item;
  switch (item.op) {
    case 'create': return `+ ${say(vscode.l10n.t('add {0} "{1}"'), after!.typeNo, after!.typeName)}`;
    case 'rename': return `~ ${say(vscode.l10n.t('rename {0}: "{1}" → "{2}"'), after!.typeNo, before!.typeName, after!.typeName)}`;
    case 'changeCode': return `→ ${say(vscode.l10n.t('change code {0} → {1} ("{2}")'), before!.typeNo, after!.typeNo, before!.typeName)}`;
    case 'delete': return `- ${say(vscode.l10n.t('delete {0} "{1}"'), before!.typeNo, before!.typeName)}`;
  }
}

function byProject<T>(entries: ReadonlyArray<T>, itemOf: (e: T) => PlanItem): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const e of entries) {
    const i = itemOf(e);
    const key = sayMarkdown(vscode.l10n.t('Project {0} (VBotID {1})'), i.projectCode, i.vbotId);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups];
}

function renderPlanText(loaded: LoadedPlan): string {
  const { plan, file, otherAccounts } = loaded;
  const lines = [`# ${sayMarkdown(vscode.l10n.t('Plan for {0}'), path.basename(file))}`, '', summaryText(plan), ''];
  if (plan.unlisted) lines.push(say(vscode.l10n.t('{0} known types are not in the file and stay as they are ("deleteUnlisted": true would delete them).'), String(plan.unlisted)), '');
  if (otherAccounts.length) lines.push(sayMarkdown(vscode.l10n.t('Projects of other accounts ({0}) are left out: switch to their profile to plan them.'), otherAccounts.join(', ')), '');
  lines.push(`_${vscode.l10n.t('Nothing has been sent to VBot. Run "VBot: Apply vbot-types.json" to carry this out.')}_`, '');
  if (plan.problems.length) {
    lines.push(`## ${vscode.l10n.t('Problems')}`, '');
    for (const p of plan.problems) lines.push(`- ⚠ ${markdown(p)}`);
    lines.push('');
  }
  for (const [heading, items] of byProject(plan.items, (i) => i)) {
    // Inside the fence each item is one inert line (say): no value can close the fence or start a line.
    lines.push(`## ${heading}`, '', '```diff', ...items.map(describeItem), '```', '');
  }
  return lines.join('\n');
}

function renderReportText(results: ReadonlyArray<ItemResult<PlanItem>>, file: string): string {
  const mark = { done: '✓', failed: '✗', skipped: '○' } as const;
  const status = { done: vscode.l10n.t('done'), failed: vscode.l10n.t('failed'), skipped: vscode.l10n.t('skipped') };
  // A change found already made on VBot (recovered) is done, as far as the user is concerned.
  const shown = (r: ItemResult<PlanItem>) => (r.status === 'recovered' ? 'done' : r.status);
  const count = (s: keyof typeof mark) => String(results.filter((r) => shown(r) === s).length);
  const lines = [`# ${sayMarkdown(vscode.l10n.t('Result of applying {0}'), path.basename(file))}`, '',
    say(vscode.l10n.t('{0} done, {1} failed, {2} skipped.'), count('done'), count('failed'), count('skipped')), '',
    vscode.l10n.t('The local list holds exactly what succeeded; running Apply again does only what is left.'), ''];
  for (const [heading, group] of byProject(results, (r) => r.item)) {
    lines.push(`## ${heading}`, '');
    for (const r of group) {
      const why = reasonText(r);
      lines.push(`- ${mark[shown(r)]} ${status[shown(r)]}: ${markdown(describeItem(r.item))}${why ? ` — ${why}` : ''}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Why an item failed or was not started, as Markdown; '' for one that succeeded. */
function reasonText(r: ItemResult<PlanItem>): string {
  switch (r.status) {
    case 'done':
    case 'recovered': return '';
    case 'failed': return markdown(r.error instanceof VbotError ? describeFailure(r.error) : describeLocalSaveFailure(r.error));
    case 'skipped':
      switch (r.skipped) {
        case 'dependency': return vscode.l10n.t('an earlier step it needs did not succeed');
        case 'cancelled': return vscode.l10n.t('cancelled before it started');
        case 'stopped': return vscode.l10n.t('not started: the profile was signed out or changed while applying');
      }
  }
}

function describeFileErrors(fileName: string, errors: ReadonlyArray<DesiredStateError>): Safe {
  const shown = errors.slice(0, 3).map((e) => {
    const where = e.line ? say(vscode.l10n.t('line {0}'), String(e.line)) : e.path || fileName;
    return `${where}: ${e.message}`;
  });
  const more = errors.length > 3 ? ` ${say(vscode.l10n.t('(and {0} more problems)'), String(errors.length - 3))}` : '';
  return say(vscode.l10n.t('{0} is not valid; nothing was planned. {1}'), fileName, shown.join('; ') + more);
}
