// Customer types as code: `vbot-types.json` in the workspace declares the desired types;
// Plan shows what would change (nothing is sent), Apply carries it out through the change runner
// (src/vscode/changes.ts) with one progress with counts, a summary notification and a per-item report
// (the texts: planReport.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { label, say } from './say';
import { APPLY_CONCURRENCY, APPLY_WRITE_INTERVAL_MS, applyChanges, endsTheProfile, type ItemResult } from '../core/change/applyChanges';
import { DESIRED_STATE_FILE_NAME, DESIRED_STATE_LIMITS, type DesiredState } from '../core/typesAsCode/format';
import { parseDesiredState } from '../core/typesAsCode/parse';
import { computePlan, type PlanItem } from '../core/typesAsCode/planner';
import { desiredStateFromSnapshot } from '../core/typesAsCode/scaffold';
import { readUserFile, writeUserFile } from '../core/userFiles';
import type { ActiveCache } from './activeCache';
import type { ApiRunner, ProfileApi } from './apiRunner';
import type { Changes } from './changes';
import type { CommandResult } from './commandArgs';
import { parseFileArgs } from '../core/commandArgs';
import type { Notifier } from './notifier';
import type { ReadOnlyDocuments } from './documents';
import type { Profile, Settings } from './settings';
import { confirmationDetail, describeFileErrors, type LoadedPlan, renderPlanText, renderReportText } from './planReport';

interface PlanArgs {
  filePath?: string;
  skipConfirmation?: boolean;
}

export interface PlanCommandDeps {
  documents: ReadOnlyDocuments;
  cache: ActiveCache;
  runner: ApiRunner;
  changes: Changes;
  notifier: Notifier;
  settings: Settings;
}

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
    await this.showDocument(loaded.file, renderPlanText(loaded));
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
      this.d.notifier.info(
        say(vscode.l10n.t('Nothing to apply: VBot already matches {0} ({1} unchanged).'), path.basename(file), String(plan.unchanged)),
      );
      return 'done';
    }
    if (!args.skipConfirmation) {
      const yes = vscode.l10n.t('Apply');
      const confirmed = await this.d.notifier.confirm(
        say(
          vscode.l10n.t('Apply {0} changes from {1} to VBot (profile "{2}")?'),
          String(plan.items.length),
          path.basename(file),
          api.profile.name,
        ),
        confirmationDetail(plan),
        yes,
      );
      if (!confirmed) return 'cancelled';
    }
    const results = await this.run(api, plan.items, path.basename(file));
    await this.showDocument(file, renderReportText(results, file));
    const count = (status: ItemResult['status']) =>
      String(results.filter((r) => r.status === status || (status === 'done' && r.status === 'recovered')).length);
    const summary = say(
      vscode.l10n.t('Applied {0}: {1} done, {2} failed, {3} skipped.'),
      path.basename(file),
      count('done'),
      count('failed'),
      count('skipped'),
    );
    const failed = results.some((r) => r.status === 'failed' || r.status === 'skipped');
    if (failed) {
      // Applying again plans again from the file and asks again: only what is left is sent, and a change whose
      // answer was lost is recognised as made.
      const retry = { title: vscode.l10n.t('Retry'), run: () => vscode.commands.executeCommand('vbotCrm.apply', { filePath: file }) };
      this.d.notifier.warn(summary, retry, {
        title: vscode.l10n.t('Show Log'),
        run: () => vscode.commands.executeCommand('vbotCrm.showLog'),
      });
    } else this.d.notifier.info(summary);
    return failed ? 'failed' : 'done';
  }

  /** Plan and Apply of one file share one document: the report replaces the plan in its tab, and a new plan the report. */
  private showDocument(file: string, markdown: string): Promise<void> {
    const title = say(vscode.l10n.t('Plan and result for {0}'), path.basename(file));
    return this.d.documents.showFor(path.resolve(file), title, markdown);
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
            onResult: (_result, ended, total) =>
              progress.report({ increment: 100 / total, message: say(vscode.l10n.t('{0} of {1}'), String(ended), String(total)) }),
            stopOn: endsTheProfile,
          });
        } finally {
          sub.dispose();
        }
      },
    );
  }

  /** Finds and reads vbot-types.json, and plans it against the active profile's list. */
  private async load(args: PlanArgs, profile: Profile): Promise<LoadedPlan | CommandResult> {
    const file = args.filePath ?? (await this.findFile());
    if (!file) return 'cancelled';
    // Refused by size (and kind) before a byte is read; only UTF-8 text is read.
    const read = await readUserFile(file, DESIRED_STATE_LIMITS.maxBytes);
    if (!read.ok) {
      switch (read.reason) {
        case 'notFound':
          return this.noFile();
        case 'tooLarge':
          return this.d.notifier.invalid(
            say(
              vscode.l10n.t('{0} is too large (more than {1} MB); nothing was planned.'),
              path.basename(file),
              String(DESIRED_STATE_LIMITS.maxBytes / 1024 / 1024),
            ),
          );
        case 'notUtf8':
          return this.d.notifier.invalid(
            say(
              vscode.l10n.t('{0} is not UTF-8 text (line {1}); nothing was planned. Save it as UTF-8 and try again.'),
              path.basename(file),
              String(read.line),
            ),
          );
        case 'notFile':
          return this.d.notifier.invalid(
            say(vscode.l10n.t('Could not read {0}: {1}'), path.basename(file), vscode.l10n.t('it is not a regular file')),
          );
        case 'unreadable':
          return this.d.notifier.invalid(say(vscode.l10n.t('Could not read {0}: {1}'), path.basename(file), read.message));
      }
    }
    const parsed = parseDesiredState(read.text);
    if (!parsed.ok) return this.d.notifier.invalid(describeFileErrors(path.basename(file), parsed.errors));
    const { state, otherAccounts } = forAccount(parsed.state, profile.vbotId);
    const cache = this.d.cache.forProfile(profile.name);
    const snapshot = await cache.reload();
    return { plan: computePlan(snapshot, state), file, otherAccounts };
  }

  private async findFile(): Promise<string | undefined> {
    const found = await vscode.workspace.findFiles(`**/${DESIRED_STATE_FILE_NAME}`, '**/node_modules/**', 20);
    if (found.length === 1) return found[0].fsPath;
    if (found.length > 1) {
      const picked = await vscode.window.showQuickPick(
        found.map((u) => ({ label: label(vscode.workspace.asRelativePath(u)), file: u.fsPath })),
        {
          title: say(vscode.l10n.t('Which {0}?'), DESIRED_STATE_FILE_NAME),
        },
      );
      return picked?.file;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? path.join(folder.uri.fsPath, DESIRED_STATE_FILE_NAME) : (this.noFile(), undefined);
  }

  private noFile(): CommandResult {
    this.d.notifier.error(
      say(
        vscode.l10n.t('There is no {0} in the workspace. Export the local list as {0} to start from what you have.'),
        DESIRED_STATE_FILE_NAME,
      ),
      { title: say(vscode.l10n.t('Export as {0}'), DESIRED_STATE_FILE_NAME), run: () => this.writeDesiredState() },
    );
    return 'invalid';
  }

  /** Starts a vbot-types.json from the local list, in the first workspace folder. */
  async writeDesiredState(filePath?: string): Promise<CommandResult> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const file = filePath ?? (folder ? path.join(folder, DESIRED_STATE_FILE_NAME) : undefined);
    if (!file)
      return this.d.notifier.invalid(say(vscode.l10n.t('Open a folder first: {0} lives in the workspace.'), DESIRED_STATE_FILE_NAME));
    const vbotId = this.d.settings.vbotId() || undefined;
    // Never through a symbolic link (a dangling one would create its target outside the workspace);
    // a file made since the plan found none is opened as it is, not replaced.
    const written = await writeUserFile(file, desiredStateFromSnapshot(this.d.cache.snapshot(), { vbotId }), { replace: false });
    if (!written.ok && written.reason === 'symlink')
      return this.d.notifier.invalid(
        say(vscode.l10n.t('{0} was not written: it is a symbolic link, and links are not followed when writing.'), path.basename(file)),
      );
    if (!written.ok && written.reason !== 'exists')
      return this.d.notifier.invalid(
        say(
          vscode.l10n.t('Could not write {0}: {1}'),
          path.basename(file),
          written.reason === 'notFile' ? vscode.l10n.t('it is not a regular file') : written.message,
        ),
      );
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    return 'done';
  }

  /** Restricted Mode: nothing is read or sent; the user is offered the way to trust the workspace. */
  private refuseUntrusted(): CommandResult {
    this.d.notifier.warn(
      say(
        vscode.l10n.t(
          'Apply is not available in Restricted Mode: {0} comes from a workspace you have not trusted, so it cannot change your VBot data. Nothing was sent. Plan still shows what it would do.',
        ),
        DESIRED_STATE_FILE_NAME,
      ),
      { title: vscode.l10n.t('Manage Workspace Trust'), run: () => vscode.commands.executeCommand('workbench.trust.manage') },
    );
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
