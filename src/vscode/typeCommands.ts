// Add, rename, change the code of, and delete customer types: prompts for what the caller did not give,
// then the one change runner (src/vscode/changes.ts) carries the change out. A command captures the
// active profile when it starts; its prompts, its request and its writes all belong to that profile.
import * as vscode from 'vscode';
import { say, sayLabel } from './say';
import { changeCodeChange, createChange, deleteChange, renameChange } from '../core/change/typeChange';
import { validateProjectCode, validateTypeName, validateTypeNo, validateVbotId } from '../core/validation';
import type { ActiveCache, TypeCache } from './activeCache';
import type { ApiRunner, ProfileApi } from './apiRunner';
import { type Changes, typeLabel } from './changes';
import { type CommandResult, type TypeCommandArgs, readTypeArgs } from './commandArgs';
import { selectedTypes } from '../core/commandArgs';
import type { SelectionCommands } from './selectionCommands';
import { codeRuleWarning, describeInvalid, fieldNames, sameNameWarning } from './messages';
import type { Notifier } from './notifier';
import type { Profile } from './settings';
import { inputText, pickProject, pickType, type Step } from './prompts';
import { PromptFlow } from './promptFlow';

interface Target {
  vbotId: string;
  projectCode: string;
}
interface TypeTarget extends Target {
  typeNo: string;
  typeName?: string;
}

export interface TypeCommandDeps {
  cache: ActiveCache;
  runner: ApiRunner;
  changes: Changes;
  notifier: Notifier;
  /** The commands on several selected types (selectionCommands.ts, loaded when first needed). */
  selection: () => Promise<SelectionCommands>;
}

/** What one command works with, fixed when it starts. */
interface Scope {
  profile: Profile;
  cache: TypeCache;
}

export class TypeCommands {
  constructor(private readonly d: TypeCommandDeps) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.addType', (a) => this.addType(a)),
      vscode.commands.registerCommand('vbotCrm.editTypeName', (a) => this.editTypeName(a)),
      vscode.commands.registerCommand('vbotCrm.changeTypeCode', (a) => this.changeTypeCode(a)),
      // From the tree, VS Code adds the rows selected when the row clicked is one of several (commandArgs.ts#selectedTypes).
      vscode.commands.registerCommand('vbotCrm.deleteType', (a, s) => this.deleteType(a, s)),
      vscode.commands.registerCommand('vbotCrm.copyTypeCode', (a, s) => this.copyTypeCode(a, s)),
    ];
  }

  async addType(arg?: unknown): Promise<CommandResult> {
    const api = this.d.runner.bind();
    const scope = this.scope(api.profile);
    const read = this.args(arg, scope.profile);
    if (!read) return 'invalid';
    const title = vscode.l10n.t('Add Customer Type');
    const questions = [!read.projectCode, !read.typeNo, !read.typeName].filter(Boolean).length;
    if (!(await this.signedInBeforeAsking(api, questions))) return 'cancelled';
    return PromptFlow.run(title, questions, async (steps) => {
      const project = await this.project(scope, read, steps, true);
      if (!project) return 'cancelled';
      const taken = (v: string) => !!scope.cache.snapshot().findType(project.vbotId, project.projectCode, v);
      const takenText = (v: string) => say(vscode.l10n.t('Customer type "{0}" is already in project {1}.'), v, project.projectCode);
      if (read.typeNo && taken(read.typeNo)) return this.d.notifier.invalid(takenText(read.typeNo));
      const typeNo =
        read.typeNo ??
        (await inputText({
          ...steps.next(),
          prompt: say(vscode.l10n.t('Code of the new customer type (Mã kiểu) in project {0}'), project.projectCode),
          placeholder: vscode.l10n.t('e.g. VIP'),
          validate: (v) => describeInvalid(validateTypeNo(v), fieldNames.typeNo()) ?? (taken(v.trim()) ? takenText(v.trim()) : undefined),
          warn: codeRuleWarning,
        }));
      if (!typeNo) return 'cancelled';
      const typeName =
        read.typeName ??
        (await inputText({
          ...steps.next(),
          prompt: say(vscode.l10n.t('Name of customer type {0} (Tên kiểu)'), typeNo),
          placeholder: vscode.l10n.t('e.g. Khách hàng VIP'),
          validate: (v) => describeInvalid(validateTypeName(v), fieldNames.typeName()),
          warn: (v) => sameNameWarning(this.typesOf(scope, project), v, project.projectCode),
        }));
      if (!typeName) return 'cancelled';
      return this.d.changes.runOne(api, createChange(project, { typeNo, typeName }));
    });
  }

  async editTypeName(arg?: unknown): Promise<CommandResult> {
    const api = this.d.runner.bind();
    const scope = this.scope(api.profile);
    const read = this.args(arg, scope.profile);
    if (!read) return 'invalid';
    const title = vscode.l10n.t('Rename Customer Type');
    const questions = [!read.projectCode, !read.typeNo, !read.typeName].filter(Boolean).length;
    if (!(await this.signedInBeforeAsking(api, questions))) return 'cancelled';
    return PromptFlow.run(title, questions, async (steps) => {
      const target = await this.existingType(scope, read, steps);
      if (!target) return 'cancelled';
      // The local list holds what the server confirmed: the same name again would change nothing.
      const unchanged = (v: string) => target.typeName !== undefined && v.trim() === target.typeName;
      if (read.typeName && unchanged(read.typeName)) {
        this.d.notifier.info(
          say(vscode.l10n.t('Customer type "{0}" is already named "{1}"; nothing was sent.'), target.typeNo, read.typeName.trim()),
        );
        return 'done';
      }
      const typeName =
        read.typeName ??
        (await inputText({
          ...steps.next(),
          prompt: say(vscode.l10n.t('New name of customer type {0}'), target.typeNo),
          value: target.typeName,
          validate: (v) =>
            describeInvalid(validateTypeName(v), fieldNames.typeName()) ??
            (unchanged(v) ? say(vscode.l10n.t('The new name is the same as the current one.')) : undefined),
          warn: (v) => sameNameWarning(this.typesOf(scope, target), v, target.projectCode, target.typeNo),
        }));
      if (!typeName) return 'cancelled';
      return this.d.changes.runOne(api, renameChange(target, target.typeNo, target.typeName ?? '', typeName));
    });
  }

  async changeTypeCode(arg?: unknown): Promise<CommandResult> {
    const api = this.d.runner.bind();
    const scope = this.scope(api.profile);
    const read = this.args(arg, scope.profile);
    if (!read) return 'invalid';
    const title = vscode.l10n.t('Change Customer Type Code');
    const questions = [!read.projectCode, !read.typeNo, !read.newTypeNo].filter(Boolean).length;
    if (!(await this.signedInBeforeAsking(api, questions))) return 'cancelled';
    return PromptFlow.run(title, questions, async (steps) => {
      const target = await this.existingType(scope, read, steps);
      if (!target) return 'cancelled';
      const problem = (v: string) =>
        describeInvalid(validateTypeNo(v), fieldNames.typeNo()) ??
        (v === target.typeNo ? say(vscode.l10n.t('The new code is the same as the current one.')) : undefined) ??
        (scope.cache.snapshot().findType(target.vbotId, target.projectCode, v)
          ? say(vscode.l10n.t('Customer type "{0}" is already in project {1}.'), v, target.projectCode)
          : undefined);
      const givenProblem = read.newTypeNo ? problem(read.newTypeNo) : undefined;
      if (givenProblem) return this.d.notifier.invalid(givenProblem);
      const newTypeNo =
        read.newTypeNo ??
        (await inputText({
          ...steps.next(),
          prompt: say(vscode.l10n.t('New code for customer type "{0}" (now {1})'), target.typeName ?? target.typeNo, target.typeNo),
          value: target.typeNo,
          validate: (v) => problem(v.trim()),
          warn: codeRuleWarning,
        }));
      if (!newTypeNo) return 'cancelled';
      return this.d.changes.runOne(api, changeCodeChange(target, target.typeNo, newTypeNo, target.typeName ?? ''));
    });
  }

  async deleteType(arg?: unknown, selection?: unknown): Promise<CommandResult> {
    const several = selectedTypes(arg, selection);
    if (several.length > 1) return (await this.d.selection()).deleteTypes(several);
    const api = this.d.runner.bind();
    const scope = this.scope(api.profile);
    const read = this.args(arg, scope.profile);
    if (!read) return 'invalid';
    const title = vscode.l10n.t('Delete Customer Type');
    const questions = [!read.projectCode, !read.typeNo].filter(Boolean).length;
    if (!(await this.signedInBeforeAsking(api, questions))) return 'cancelled';
    return PromptFlow.run(title, questions, async (steps) => {
      const target = await this.existingType(scope, read, steps);
      if (!target) return 'cancelled';
      if (!read.skipConfirmation) {
        const yes = await this.d.notifier.confirm(
          say(
            vscode.l10n.t('Delete customer type {0} from project {1}?'),
            typeLabel({ typeNo: target.typeNo, typeName: target.typeName ?? '' }),
            target.projectCode,
          ),
          say(
            vscode.l10n.t(
              'It will be deleted on the VBot server for VBotID {0}. "Restore Deleted Type" (or Undo in the History view) can create it again with the same code and name.',
            ),
            target.vbotId,
          ),
          vscode.l10n.t('Delete'),
        );
        if (!yes) return 'cancelled';
      }
      return this.d.changes.runOne(api, deleteChange(target, target.typeNo, target.typeName ?? ''));
    });
  }

  /** Several types selected: their codes, one a line. */
  async copyTypeCode(arg?: unknown, selection?: unknown): Promise<CommandResult> {
    const several = selectedTypes(arg, selection);
    if (several.length > 1) {
      await vscode.env.clipboard.writeText(several.map((t) => t.typeNo).join('\n'));
      vscode.window.setStatusBarMessage(sayLabel(vscode.l10n.t('Copied {0} codes'), String(several.length)), 3000);
      return 'done';
    }
    const read = readTypeArgs(arg);
    if (!read.ok) return this.d.notifier.invalid(read.message);
    if (!read.args.typeNo) return 'invalid';
    await vscode.env.clipboard.writeText(read.args.typeNo);
    vscode.window.setStatusBarMessage(sayLabel(vscode.l10n.t('Copied "{0}"'), read.args.typeNo), 3000);
    return 'done';
  }

  /**
   * Signed out, a command that has questions to ask offers to sign in first, so that nothing typed is lost
   * to a refusal at the end; it goes on once signed in. Given everything (a script, a keybinding), it asks
   * nothing and the refusal says how to sign in.
   */
  private async signedInBeforeAsking(api: ProfileApi, questions: number): Promise<boolean> {
    if (questions === 0) return true;
    return api.signInFirst(say(vscode.l10n.t('Sign in first; then the command goes on and asks for the rest.')));
  }

  private scope(profile: Profile): Scope {
    return { profile, cache: this.d.cache.forProfile(profile.name) };
  }

  /** The project's types as the command's profile has them now (for the same-name warning). */
  private typesOf(scope: Scope, t: Target) {
    return scope.cache.snapshot().project(t.vbotId, t.projectCode)?.types ?? [];
  }

  private args(arg: unknown, profile: Profile): TypeCommandArgs | undefined {
    const read = readTypeArgs(arg);
    if (!read.ok) {
      this.d.notifier.error(read.message);
      return undefined;
    }
    // A v3 API key belongs to one project: every change goes there, and nowhere else.
    if (profile.apiVersion === 'v3' && profile.projectCode) {
      if (read.args.projectCode && read.args.projectCode !== profile.projectCode) {
        this.d.notifier.error(
          say(vscode.l10n.t('The API key of profile "{0}" is for project {1} only.'), profile.name, profile.projectCode),
        );
        return undefined;
      }
      return { ...read.args, projectCode: profile.projectCode, vbotId: read.args.vbotId ?? profile.vbotId };
    }
    return read.args;
  }

  private async project(scope: Scope, read: TypeCommandArgs, steps: Stepper, allowNew: boolean): Promise<Target | undefined> {
    const defaultVbotId = scope.profile.vbotId;
    if (read.projectCode) {
      const vbotId = read.vbotId ?? onlyVbotIdFor(scope.cache, read.projectCode) ?? defaultVbotId;
      return vbotId ? { vbotId, projectCode: read.projectCode } : this.askVbotId(read.projectCode, steps);
    }
    const picked = await pickProject(steps.next(), scope.cache.snapshot(), {
      vbotId: read.vbotId,
      allowNew,
      defaultVbotId,
      validateNew: (code) => describeInvalid(validateProjectCode(code), fieldNames.projectCode()),
    });
    if (!picked) return undefined;
    if (!picked.vbotId) return this.askVbotId(picked.projectCode, steps);
    return { vbotId: picked.vbotId, projectCode: picked.projectCode };
  }

  private async askVbotId(projectCode: string, steps: Stepper): Promise<Target | undefined> {
    const vbotId = await inputText({
      ...steps.extra(),
      prompt: say(vscode.l10n.t('VBotID (account) of project {0}'), projectCode),
      placeholder: vscode.l10n.t('Set vbotCrm.vbotId in your settings to skip this question'),
      validate: (v) => describeInvalid(validateVbotId(v), fieldNames.vbotId()),
    });
    return vbotId ? { vbotId, projectCode } : undefined;
  }

  private async existingType(scope: Scope, read: TypeCommandArgs, steps: Stepper): Promise<TypeTarget | undefined> {
    const project = await this.project(scope, read, steps, false);
    if (!project) return undefined;
    if (read.typeNo) {
      return {
        ...project,
        typeNo: read.typeNo,
        typeName: scope.cache.snapshot().findType(project.vbotId, project.projectCode, read.typeNo)?.typeName,
      };
    }
    const picked = await pickType(steps.next(), scope.cache.snapshot(), project.vbotId, project.projectCode);
    return picked && { ...project, ...picked };
  }
}

/** A project code given alone is resolved through the cache when only one account has it. */
function onlyVbotIdFor(cache: TypeCache, projectCode: string): string | undefined {
  const owners = cache
    .snapshot()
    .projects()
    .filter((p) => p.projectCode === projectCode);
  return owners.length === 1 ? owners[0].vbotId : undefined;
}

/** Numbers the prompts of one flow (a PromptFlow); an unplanned extra question (VBotID) stretches the count. */
interface Stepper {
  next(): Step;
  extra(): Step;
}
