// Customer types as code: `vbot-types.json` in the workspace declares the desired types;
// Plan shows what would change (nothing is sent), Apply carries it out through the change runner
// (src/vscode/changes.ts) with one progress with counts, a summary notification and a per-item report
// (the texts: planReport.ts).
import * as vscode from 'vscode';
import { joinSafe, label, say } from './say';
import { DESIRED_STATE_FILE_NAME, DESIRED_STATE_LIMITS, type DesiredState } from '../core/typesAsCode/format';
import { parseDesiredState } from '../core/typesAsCode/parse';
import { computePlan } from '../core/typesAsCode/planner';
import { desiredStateFromSnapshot } from '../core/typesAsCode/scaffold';
import type { ActiveCache } from './activeCache';
import type { ApiRunner, ProfileApi } from './apiRunner';
import { countResults, runBatch, showBatchSummary } from './batchChanges';
import type { Changes } from './changes';
import type { CommandResult } from './commandArgs';
import { parseFileArgs, parseTypeArgs } from '../core/commandArgs';
import type { Notifier } from './notifier';
import type { ReadOnlyDocuments } from './documents';
import type { Settings } from './settings';
import type { TypeTreeProvider } from './typeTreeProvider';
import { fieldItems, planFields } from './fieldsPlan';
import { confirmationDetail, describeFileErrors, type LoadedPlan, renderPlanText, renderReportText } from './planReport';
import { baseName, commandFile, fileArg, readWorkspaceFile, writeWorkspaceFile } from './workspaceFiles';

interface PlanArgs {
  /** Given as `filePath` (a path or a URI) or as the Uri the editor title passes; asked for when missing. */
  file?: vscode.Uri;
  skipConfirmation?: boolean;
  /** One project of the file only (the CodeLens above it): `vbotId` and `projectCode` given together. */
  project?: { vbotId: string; projectCode: string };
}

/** A plan of vbot-types.json; `file` is its name, for the texts. */
interface LoadedFile extends LoadedPlan {
  uri: vscode.Uri;
}

export interface PlanCommandDeps {
  documents: ReadOnlyDocuments;
  cache: ActiveCache;
  runner: ApiRunner;
  changes: Changes;
  notifier: Notifier;
  settings: Settings;
  /** The tree: told when Apply changed a field's options. */
  tree: Pick<TypeTreeProvider, 'optionsChanged'>;
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
    const loaded = await this.load(planArgs(arg), this.d.runner.bind());
    if (typeof loaded === 'string') return loaded;
    await this.showDocument(loaded.uri, renderPlanText(loaded));
    return 'done';
  }

  async apply(arg?: unknown): Promise<CommandResult> {
    // The file comes from the workspace: in Restricted Mode it may be shown (Plan), never carried out.
    if (!vscode.workspace.isTrusted) return this.refuseUntrusted();
    const args = planArgs(arg);
    // Captured now: the plan, the confirmation, every request and every write belong to this profile.
    const api = this.d.runner.bind();
    const loaded = await this.load(args, api);
    if (typeof loaded === 'string') return loaded;
    const { plan, file, uri, fields } = loaded;
    // The types' changes, then the options' (a file's "fields"): one batch, one progress, one report.
    const options = fieldItems(fields);
    const items = [...plan.items, ...options];
    if (items.length === 0 && fields?.notPlanned.length) {
      // Not "VBot already matches": the fields could not be compared at all.
      this.d.notifier.warn(say(vscode.l10n.t('Nothing to apply from {0}: {1}'), file, joinSafe(fields.notPlanned, ' ')));
      return 'invalid';
    }
    if (items.length === 0) {
      const unchanged = plan.unchanged + (fields?.plans.reduce((n, p) => n + p.unchanged, 0) ?? 0);
      this.d.notifier.info(say(vscode.l10n.t('Nothing to apply: VBot already matches {0} ({1} unchanged).'), file, String(unchanged)));
      return 'done';
    }
    if (!args.skipConfirmation) {
      const yes = vscode.l10n.t('Apply');
      const confirmed = await this.d.notifier.confirm(
        say(vscode.l10n.t('Apply {0} changes from {1} to VBot (profile "{2}")?'), String(items.length), file, api.profile.name),
        confirmationDetail(plan, fields),
        yes,
      );
      if (!confirmed) return 'cancelled';
    }
    // The plan's changes through Apply's pipeline (batchChanges.ts), bound to the profile Apply started in.
    const results = await runBatch(this.d.changes, api, items, say(vscode.l10n.t('Applying {0}'), file));
    // The fields tree shows the server's lists again where options changed.
    for (const p of fields?.plans ?? []) if (p.items.length) this.d.tree.optionsChanged(p.vbotId, p.projectCode, p.fieldCode);
    await this.showDocument(uri, renderReportText(results, file));
    const { done, failed, skipped } = countResults(results);
    const summary = say(
      vscode.l10n.t('Applied {0}: {1} done, {2} failed, {3} skipped.'),
      file,
      String(done),
      String(failed),
      String(skipped),
    );
    // Applying again plans again from the file and asks again: only what is left is sent, and a change whose
    // answer was lost is recognised as made.
    const retry = () => vscode.commands.executeCommand('vbotCrm.apply', { filePath: fileArg(uri), ...args.project });
    showBatchSummary(this.d.notifier, summary, failed || skipped ? retry : undefined);
    return failed || skipped ? 'failed' : 'done';
  }

  /** Plan and Apply of one file share one document: the report replaces the plan in its tab, and a new plan the report. */
  private showDocument(file: vscode.Uri, markdown: string): Promise<void> {
    const title = say(vscode.l10n.t('Plan and result for {0}'), baseName(file));
    return this.d.documents.showFor(file.toString(), title, markdown);
  }

  /** Finds and reads vbot-types.json, and plans it against the active profile's list. */
  private async load(args: PlanArgs, api: ProfileApi): Promise<LoadedFile | CommandResult> {
    const profile = api.profile;
    const uri = args.file ?? (await this.findFile());
    if (!uri) return 'cancelled';
    const file = baseName(uri);
    // Refused by size (and kind) before a byte is read; only UTF-8 text is read.
    const read = await readWorkspaceFile(uri, DESIRED_STATE_LIMITS.maxBytes);
    if (!read.ok) {
      switch (read.reason) {
        case 'notFound':
          return this.noFile();
        case 'tooLarge':
          return this.d.notifier.invalid(
            say(
              vscode.l10n.t('{0} is too large (more than {1} MB); nothing was planned.'),
              file,
              String(DESIRED_STATE_LIMITS.maxBytes / 1024 / 1024),
            ),
          );
        case 'notUtf8':
          return this.d.notifier.invalid(
            say(
              vscode.l10n.t('{0} is not UTF-8 text (line {1}); nothing was planned. Save it as UTF-8 and try again.'),
              file,
              String(read.line),
            ),
          );
        case 'notFile':
          return this.d.notifier.invalid(say(vscode.l10n.t('Could not read {0}: {1}'), file, vscode.l10n.t('it is not a regular file')));
        case 'unreadable':
          return this.d.notifier.invalid(say(vscode.l10n.t('Could not read {0}: {1}'), file, read.message));
      }
    }
    const parsed = parseDesiredState(read.text);
    if (!parsed.ok) return this.d.notifier.invalid(describeFileErrors(file, parsed.errors));
    const { state, otherAccounts } = forAccount(forProject(parsed.state, args.project), profile.vbotId);
    if (args.project && state.projects.length === 0)
      return this.d.notifier.invalid(
        say(vscode.l10n.t("{0} has no project {1} of the active profile's account; nothing was planned."), file, args.project.projectCode),
      );
    const cache = this.d.cache.forProfile(profile.name);
    const snapshot = await cache.reload();
    // A file's "fields" are planned against the server's own lists, read now (only when the file has some).
    const fields = state.projects.some((p) => p.fields?.length)
      ? await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the customer fields…') },
          () => planFields(api, state),
        )
      : undefined;
    return { plan: computePlan(snapshot, state), file, uri, otherAccounts, ...(fields ? { fields } : {}) };
  }

  /** vbot-types.json in the workspace; findFiles searches virtual and remote folders too. */
  private async findFile(): Promise<vscode.Uri | undefined> {
    const found = await vscode.workspace.findFiles(`**/${DESIRED_STATE_FILE_NAME}`, '**/node_modules/**', 20);
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      const picked = await vscode.window.showQuickPick(
        found.map((u) => ({ label: label(vscode.workspace.asRelativePath(u)), file: u })),
        {
          title: say(vscode.l10n.t('Which {0}?'), DESIRED_STATE_FILE_NAME),
        },
      );
      return picked?.file;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, DESIRED_STATE_FILE_NAME) : (this.noFile(), undefined);
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
  async writeDesiredState(): Promise<CommandResult> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = folder && vscode.Uri.joinPath(folder, DESIRED_STATE_FILE_NAME);
    if (!uri)
      return this.d.notifier.invalid(say(vscode.l10n.t('Open a folder first: {0} lives in the workspace.'), DESIRED_STATE_FILE_NAME));
    const vbotId = this.d.settings.vbotId() || undefined;
    // Never through a symbolic link (a dangling one would create its target outside the workspace);
    // a file made since the plan found none is opened as it is, not replaced.
    const written = await writeWorkspaceFile(uri, desiredStateFromSnapshot(this.d.cache.snapshot(), { vbotId }), { replace: false });
    const file = baseName(uri);
    if (!written.ok && written.reason === 'symlink')
      return this.d.notifier.invalid(
        say(vscode.l10n.t('{0} was not written: it is a symbolic link, and links are not followed when writing.'), file),
      );
    if (!written.ok && written.reason !== 'exists')
      return this.d.notifier.invalid(
        say(
          vscode.l10n.t('Could not write {0}: {1}'),
          file,
          written.reason === 'notFile' ? vscode.l10n.t('it is not a regular file') : written.message,
        ),
      );
    await vscode.window.showTextDocument(uri);
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

/** Only the project asked for (the same file, the same reader: a project's plan is the whole plan's part). */
function forProject(state: DesiredState, project: PlanArgs['project']): DesiredState {
  if (!project) return state;
  return { ...state, projects: state.projects.filter((p) => p.vbotId === project.vbotId && p.projectCode === project.projectCode) };
}

function planArgs(arg: unknown): PlanArgs {
  const parsed = parseTypeArgs(arg);
  const { vbotId, projectCode } = parsed.ok ? parsed.args : {};
  const project = vbotId !== undefined && projectCode !== undefined ? { vbotId, projectCode } : undefined;
  return { file: commandFile(arg), skipConfirmation: parseFileArgs(arg).skipConfirmation, project };
}
