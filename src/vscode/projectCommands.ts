// Projects exist only in the local list (the API has no project endpoint): add, remove, refresh.
import * as vscode from 'vscode';
import { say } from './say';
import type { TypeCache } from './activeCache';
import { formatError } from '../core/json';
import { validateProjectCode, validateVbotId } from '../core/validation';
import { type CommandResult, readTypeArgs } from './commandArgs';
import { countTypes, describeInvalid, fieldNames } from './messages';
import type { Notifier } from './notifier';
import { inputText, pickProject } from './prompts';
import { PromptFlow } from './promptFlow';
import type { Settings } from './settings';
import type { TypeTreeProvider } from './typeTreeProvider';

export class ProjectCommands {
  constructor(
    private readonly cache: TypeCache,
    private readonly settings: Settings,
    private readonly notifier: Notifier,
    private readonly tree: TypeTreeProvider,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.addProject', (a) => this.addProject(a)),
      vscode.commands.registerCommand('vbotCrm.removeProject', (a) => this.removeProject(a)),
      vscode.commands.registerCommand('vbotCrm.refresh', () => this.refresh()),
    ];
  }

  async addProject(arg?: unknown): Promise<CommandResult> {
    const read = readTypeArgs(arg);
    if (!read.ok) return this.notifier.invalid(read.message);
    const title = vscode.l10n.t('Add Project');
    const defaultVbotId = read.args.vbotId ?? this.settings.vbotId();
    const total = (defaultVbotId ? 0 : 1) + (read.args.projectCode ? 0 : 1);
    const exists = (vbotId: string, code: string) => !!this.cache.snapshot().project(vbotId, code);
    const answers = await PromptFlow.run(title, total, async (flow) => {
      const vbotId =
        defaultVbotId ||
        (await inputText({
          ...flow.next(),
          prompt: vscode.l10n.t('VBotID (the customer account)'),
          placeholder: vscode.l10n.t('Set vbotCrm.vbotId in your settings to skip this question'),
          validate: (v) => describeInvalid(validateVbotId(v), fieldNames.vbotId()),
        }));
      if (!vbotId) return undefined;
      const projectCode =
        read.args.projectCode ??
        (await inputText({
          ...flow.next(),
          prompt: say(vscode.l10n.t('Project code (Mã nhóm) in VBotID {0}'), vbotId),
          placeholder: vscode.l10n.t('e.g. SALES'),
          validate: (v) =>
            describeInvalid(validateProjectCode(v), fieldNames.projectCode()) ??
            (exists(vbotId, v.trim()) ? say(vscode.l10n.t('Project {0} is already in the list.'), v.trim()) : undefined),
        }));
      return projectCode ? { vbotId, projectCode } : undefined;
    });
    if (!answers) return 'cancelled';
    const { vbotId, projectCode } = answers;
    if (exists(vbotId, projectCode)) {
      this.notifier.info(say(vscode.l10n.t('Project {0} is already in the list.'), projectCode));
      return 'done';
    }
    try {
      await this.cache.addProject(vbotId, projectCode);
    } catch (e) {
      return this.notifier.invalid(say(vscode.l10n.t('The local list could not be saved: {0}'), formatError(e)));
    }
    this.notifier.info(
      say(vscode.l10n.t('Project {0} ({1}) added. Add its customer types, or import a list you already have.'), projectCode, vbotId),
    );
    return 'done';
  }

  async removeProject(arg?: unknown): Promise<CommandResult> {
    const read = readTypeArgs(arg);
    if (!read.ok) return this.notifier.invalid(read.message);
    let { vbotId, projectCode } = read.args;
    if (!projectCode) {
      const picked = await pickProject(
        { title: vscode.l10n.t('Remove Project from List'), step: 1, totalSteps: 1 },
        this.cache.snapshot(),
        {
          vbotId,
          allowNew: false,
          defaultVbotId: this.settings.vbotId(),
          validateNew: () => undefined,
        },
      );
      if (!picked) return 'cancelled';
      ({ vbotId, projectCode } = picked);
    }
    const owners = this.cache
      .snapshot()
      .projects()
      .filter((p) => p.projectCode === projectCode && (!vbotId || p.vbotId === vbotId));
    if (owners.length !== 1) return this.notifier.invalid(say(vscode.l10n.t('Project {0} is not in the list.'), projectCode));
    const project = owners[0];
    if (!read.args.skipConfirmation) {
      const yes = await this.notifier.confirm(
        say(
          vscode.l10n.t('Remove project {0} ({1}) and its {2} from the local list?'),
          project.projectCode,
          project.vbotId,
          countTypes(project.types.length),
        ),
        say(vscode.l10n.t('Nothing is deleted on the VBot server. Export the list first if you want to keep it.')),
        vscode.l10n.t('Remove'),
      );
      if (!yes) return 'cancelled';
    }
    try {
      await this.cache.removeProject(project.vbotId, project.projectCode);
    } catch (e) {
      return this.notifier.invalid(say(vscode.l10n.t('The local list could not be saved: {0}'), formatError(e)));
    }
    this.notifier.info(say(vscode.l10n.t('Project {0} removed from the local list.'), project.projectCode));
    return 'done';
  }

  /** "Reload Local List": reads the list file again (another window or a script may have changed it); no server call. */
  async refresh(): Promise<CommandResult> {
    const snapshot = await vscode.window.withProgress({ location: { viewId: 'vbotCrm.types' } }, () => this.cache.reload());
    this.tree.refreshAll();
    const projects = snapshot.projects().length;
    this.notifier.status(
      projects === 1
        ? say(vscode.l10n.t('Local list reloaded: {0} in 1 project.'), countTypes(snapshot.typeCount()))
        : say(vscode.l10n.t('Local list reloaded: {0} in {1} projects.'), countTypes(snapshot.typeCount()), String(projects)),
    );
    return 'done';
  }
}
