// Add, rename, change the code of, and delete customer types: prompts for what the caller did
// not give, one API call under progress, the cache changed only after the server confirmed.
import * as vscode from 'vscode';
import { type Safe, say, sayLabel } from './say';
import { CacheConflictError } from '../core/customerTypeCache';
import type { ChangeJournal, JournalOperation, JournalTypeState } from '../core/journal';
import type { Logger } from '../core/logger';
import type { TypeCache } from './activeCache';
import { validateProjectCode, validateTypeName, validateTypeNo, validateVbotId } from '../core/validation';
import type { VbotError } from '../core/vbotError';
import type { ApiRunner, Outcome } from './apiRunner';
import { type CommandResult, type TypeCommandArgs, readTypeArgs } from './commandArgs';
import { describeInvalid, describeLocalSaveFailure, fieldNames } from './messages';
import type { Notifier } from './notifier';
import { inputText, pickProject, pickType, type Step } from './prompts';
import type { Settings } from './settings';
import type { CrmNode, TypeTreeProvider } from './typeTreeProvider';

interface Target { vbotId: string; projectCode: string }
interface TypeTarget extends Target { typeNo: string; typeName?: string }

export interface TypeCommandDeps {
  cache: TypeCache;
  runner: ApiRunner;
  notifier: Notifier;
  settings: Settings;
  tree: TypeTreeProvider;
  treeView: vscode.TreeView<CrmNode>;
  journal: ChangeJournal;
  log: Logger;
}

/** How a change made by a command came about: an undo names the journal entry it reverses. */
export interface ChangeOrigin { undoOf?: string }

export class TypeCommands {
  /**
   * Calls whose answer was lost (the server may have applied them). A retry that meets
   * 409 / 404 for the same change is then the proof it had been applied, not a failure.
   */
  private readonly unknownOutcomes = new Set<string>();

  constructor(private readonly d: TypeCommandDeps) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.addType', (a) => this.addType(a)),
      vscode.commands.registerCommand('vbotCrm.editTypeName', (a) => this.editTypeName(a)),
      vscode.commands.registerCommand('vbotCrm.changeTypeCode', (a) => this.changeTypeCode(a)),
      vscode.commands.registerCommand('vbotCrm.deleteType', (a) => this.deleteType(a)),
      vscode.commands.registerCommand('vbotCrm.copyTypeCode', (a) => this.copyTypeCode(a)),
    ];
  }

  async addType(arg?: unknown, origin: ChangeOrigin = {}): Promise<CommandResult> {
    const read = this.args(arg);
    if (!read) return 'invalid';
    const title = vscode.l10n.t('Add Customer Type');
    const missing = [!read.projectCode, !read.typeNo, !read.typeName].filter(Boolean).length;
    const steps = stepper(title, missing);
    const project = await this.project(read, steps, true);
    if (!project) return 'cancelled';
    const taken = (v: string) => !!this.d.cache.snapshot().findType(project.vbotId, project.projectCode, v);
    if (read.typeNo && taken(read.typeNo)) return this.invalid(say(vscode.l10n.t('Customer type "{0}" is already in project {1}.'), read.typeNo, project.projectCode));
    const typeNo = read.typeNo ?? await inputText({
      ...steps.next(), prompt: say(vscode.l10n.t('Code of the new customer type (Mã kiểu) in project {0}'), project.projectCode), placeholder: vscode.l10n.t('e.g. VIP'),
      validate: (v) => describeInvalid(validateTypeNo(v), fieldNames.typeNo()) ?? (taken(v.trim()) ? say(vscode.l10n.t('Customer type "{0}" is already in project {1}.'), v.trim(), project.projectCode) : undefined),
    });
    if (!typeNo) return 'cancelled';
    const typeName = read.typeName ?? await inputText({
      ...steps.next(), prompt: say(vscode.l10n.t('Name of customer type {0} (Tên kiểu)'), typeNo), placeholder: vscode.l10n.t('e.g. Khách hàng VIP'),
      validate: (v) => describeInvalid(validateTypeName(v), fieldNames.typeName()),
    });
    if (!typeName) return 'cancelled';

    const key = outcomeKey('create', project, typeNo);
    const outcome = await this.d.runner.run({
      operation: 'createType', typeNo, title: say(vscode.l10n.t('Adding customer type "{0}"…'), typeNo),
      run: (client, token, signal) => client.createType({ ...project, typeNo, typeName }, token, signal),
    });
    const confirmed = this.settle(key, outcome, 'alreadyExists');
    await this.record('create', project, typeNo, undefined, { typeNo, typeName }, outcome, confirmed, origin);
    if (confirmed === 'failed') {
      const error = (outcome as { error: VbotError }).error;
      if (error.kind === 'alreadyExists') {
        // The type exists on the server but not here: let the user track it rather than lose it.
        this.d.runner.reportFailure(error, [{ title: vscode.l10n.t('Add to Local List'), run: () => this.saveType(project, typeNo, typeName) }]);
      } else {
        this.d.runner.reportFailure(error);
      }
      return 'failed';
    }
    if (!(await this.saveType(project, typeNo, typeName, key))) return 'failed';
    this.d.notifier.info(confirmed === 'recovered'
      ? say(vscode.l10n.t('Customer type "{0}" ({1}) was already created by the earlier attempt; it is now in project {2}.'), typeName, typeNo, project.projectCode)
      : say(vscode.l10n.t('Customer type "{0}" ({1}) added to project {2}.'), typeName, typeNo, project.projectCode));
    this.reveal(project, typeNo);
    return 'done';
  }

  async editTypeName(arg?: unknown, origin: ChangeOrigin = {}): Promise<CommandResult> {
    const read = this.args(arg);
    if (!read) return 'invalid';
    const title = vscode.l10n.t('Rename Customer Type');
    const steps = stepper(title, [!read.projectCode, !read.typeNo, !read.typeName].filter(Boolean).length);
    const target = await this.existingType(read, steps);
    if (!target) return 'cancelled';
    const typeName = read.typeName ?? await inputText({
      ...steps.next(), prompt: say(vscode.l10n.t('New name of customer type {0}'), target.typeNo), value: target.typeName,
      validate: (v) => describeInvalid(validateTypeName(v), fieldNames.typeName()),
    });
    if (!typeName) return 'cancelled';
    const outcome = await this.d.runner.run({
      operation: 'updateTypeName', typeNo: target.typeNo, title: say(vscode.l10n.t('Renaming customer type "{0}"…'), target.typeNo),
      run: (client, token, signal) => client.updateTypeName({ ...target, typeName }, token, signal),
    });
    const before = target.typeName !== undefined ? { typeNo: target.typeNo, typeName: target.typeName } : undefined;
    await this.record('rename', target, target.typeNo, before, { typeNo: target.typeNo, typeName }, outcome, outcome.ok ? 'ok' : 'failed', origin);
    if (!outcome.ok) {
      this.reportWithCleanup(outcome.error, target);
      return 'failed';
    }
    if (!(await this.saveType(target, target.typeNo, typeName))) return 'failed';
    this.d.notifier.info(say(vscode.l10n.t('Customer type "{0}" is now named "{1}".'), target.typeNo, typeName));
    this.reveal(target, target.typeNo);
    return 'done';
  }

  async changeTypeCode(arg?: unknown, origin: ChangeOrigin = {}): Promise<CommandResult> {
    const read = this.args(arg);
    if (!read) return 'invalid';
    const title = vscode.l10n.t('Change Customer Type Code');
    const steps = stepper(title, [!read.projectCode, !read.typeNo, !read.newTypeNo].filter(Boolean).length);
    const target = await this.existingType(read, steps);
    if (!target) return 'cancelled';
    const problem = (v: string) => describeInvalid(validateTypeNo(v), fieldNames.typeNo())
      ?? (v === target.typeNo ? say(vscode.l10n.t('The new code is the same as the current one.')) : undefined)
      ?? (this.d.cache.snapshot().findType(target.vbotId, target.projectCode, v) ? say(vscode.l10n.t('Customer type "{0}" is already in project {1}.'), v, target.projectCode) : undefined);
    if (read.newTypeNo && problem(read.newTypeNo)) return this.invalid(problem(read.newTypeNo)!);
    const newTypeNo = read.newTypeNo ?? await inputText({
      ...steps.next(), prompt: say(vscode.l10n.t('New code for customer type "{0}" (now {1})'), target.typeName ?? target.typeNo, target.typeNo), value: target.typeNo,
      validate: (v) => problem(v.trim()),
    });
    if (!newTypeNo) return 'cancelled';
    const key = outcomeKey('changeCode', target, `${target.typeNo}→${newTypeNo}`);
    const outcome = await this.d.runner.run({
      operation: 'changeTypeCode', typeNo: target.typeNo, title: say(vscode.l10n.t('Changing code "{0}" to "{1}"…'), target.typeNo, newTypeNo),
      run: (client, token, signal) => client.changeTypeCode({ ...target, oldTypeNo: target.typeNo, newTypeNo }, token, signal),
    });
    const confirmed = this.settle(key, outcome, 'notFound');
    const name = target.typeName ?? '';
    await this.record('changeCode', target, target.typeNo, { typeNo: target.typeNo, typeName: name }, { typeNo: newTypeNo, typeName: name }, outcome, confirmed, origin);
    if (confirmed === 'failed') {
      this.reportWithCleanup((outcome as { error: VbotError }).error, target);
      return 'failed';
    }
    try {
      await this.d.cache.changeTypeCode(target.vbotId, target.projectCode, target.typeNo, newTypeNo);
    } catch (e) {
      // A type changed by argument need not be in the local list: then there is nothing to move.
      if (!(e instanceof CacheConflictError && e.code === 'typeNotFound')) {
        this.cacheWriteFailed(e, key);
        return 'failed';
      }
    }
    this.d.notifier.info(say(vscode.l10n.t('Customer type "{0}" now has the code "{1}" (was "{2}").'), target.typeName ?? newTypeNo, newTypeNo, target.typeNo));
    this.reveal(target, newTypeNo);
    return 'done';
  }

  async deleteType(arg?: unknown, origin: ChangeOrigin = {}): Promise<CommandResult> {
    const read = this.args(arg);
    if (!read) return 'invalid';
    const title = vscode.l10n.t('Delete Customer Type');
    const steps = stepper(title, [!read.projectCode, !read.typeNo].filter(Boolean).length);
    const target = await this.existingType(read, steps);
    if (!target) return 'cancelled';
    const label = target.typeName ? `"${target.typeName}" (${target.typeNo})` : `"${target.typeNo}"`;
    if (!read.skipConfirmation) {
      const yes = await this.d.notifier.confirm(
        say(vscode.l10n.t('Delete customer type {0} from project {1}?'), label, target.projectCode),
        say(vscode.l10n.t('It will be deleted on the VBot server for VBotID {0}. "Undo Last Change" can create it again with the same code and name.'), target.vbotId),
        vscode.l10n.t('Delete'),
      );
      if (!yes) return 'cancelled';
    }
    const key = outcomeKey('delete', target, target.typeNo);
    const outcome = await this.d.runner.run({
      operation: 'deleteType', typeNo: target.typeNo, title: say(vscode.l10n.t('Deleting customer type "{0}"…'), target.typeNo),
      run: (client, token, signal) => client.deleteType(target, token, signal),
    });
    const confirmed = this.settle(key, outcome, 'notFound');
    const before = target.typeName !== undefined ? { typeNo: target.typeNo, typeName: target.typeName } : undefined;
    await this.record('delete', target, target.typeNo, before, undefined, outcome, confirmed, origin);
    if (confirmed === 'failed') {
      this.reportWithCleanup((outcome as { error: VbotError }).error, target);
      return 'failed';
    }
    try {
      await this.d.cache.removeType(target.vbotId, target.projectCode, target.typeNo);
    } catch (e) {
      this.cacheWriteFailed(e, key);
      return 'failed';
    }
    this.d.notifier.info(say(vscode.l10n.t('Customer type {0} deleted from project {1}.'), label, target.projectCode));
    return 'done';
  }

  async copyTypeCode(arg?: unknown): Promise<CommandResult> {
    const read = this.args(arg);
    if (!read?.typeNo) return 'invalid';
    await vscode.env.clipboard.writeText(read.typeNo);
    vscode.window.setStatusBarMessage(sayLabel(vscode.l10n.t('Copied "{0}"'), read.typeNo), 3000);
    return 'done';
  }

  private args(arg: unknown): TypeCommandArgs | undefined {
    const read = readTypeArgs(arg);
    if (!read.ok) {
      this.d.notifier.error(read.message);
      return undefined;
    }
    // A v3 API key belongs to one project: every change goes there, and nowhere else.
    const profile = this.d.settings.activeProfile();
    if (profile.apiVersion === 'v3' && profile.projectCode) {
      if (read.args.projectCode && read.args.projectCode !== profile.projectCode) {
        this.d.notifier.error(say(vscode.l10n.t('The API key of profile "{0}" is for project {1} only.'), profile.name, profile.projectCode));
        return undefined;
      }
      return { ...read.args, projectCode: profile.projectCode, vbotId: read.args.vbotId ?? profile.vbotId };
    }
    return read.args;
  }

  private invalid(message: Safe): CommandResult {
    this.d.notifier.error(message);
    return 'invalid';
  }

  private async project(read: TypeCommandArgs, steps: Stepper, allowNew: boolean): Promise<Target | undefined> {
    const defaultVbotId = this.d.settings.vbotId();
    if (read.projectCode) {
      const vbotId = read.vbotId ?? this.onlyVbotIdFor(read.projectCode) ?? defaultVbotId;
      return vbotId ? { vbotId, projectCode: read.projectCode } : this.askVbotId(read.projectCode, steps);
    }
    const picked = await pickProject(steps.next(), this.d.cache.snapshot(), {
      vbotId: read.vbotId, allowNew, defaultVbotId,
      validateNew: (code) => describeInvalid(validateProjectCode(code), fieldNames.projectCode()),
    });
    if (!picked) return undefined;
    if (!picked.vbotId) return this.askVbotId(picked.projectCode, steps);
    return { vbotId: picked.vbotId, projectCode: picked.projectCode };
  }

  /** A project code given alone is resolved through the cache when only one account has it. */
  private onlyVbotIdFor(projectCode: string): string | undefined {
    const owners = this.d.cache.snapshot().projects().filter((p) => p.projectCode === projectCode);
    return owners.length === 1 ? owners[0].vbotId : undefined;
  }

  private async askVbotId(projectCode: string, steps: Stepper): Promise<Target | undefined> {
    const vbotId = await inputText({
      ...steps.extra(), prompt: say(vscode.l10n.t('VBotID (account) of project {0}'), projectCode), placeholder: vscode.l10n.t('Set vbotCrm.vbotId in your settings to skip this question'),
      validate: (v) => describeInvalid(validateVbotId(v), fieldNames.vbotId()),
    });
    return vbotId ? { vbotId, projectCode } : undefined;
  }

  private async existingType(read: TypeCommandArgs, steps: Stepper): Promise<TypeTarget | undefined> {
    const project = await this.project(read, steps, false);
    if (!project) return undefined;
    if (read.typeNo) {
      return { ...project, typeNo: read.typeNo, typeName: this.d.cache.snapshot().findType(project.vbotId, project.projectCode, read.typeNo)?.typeName };
    }
    const picked = await pickType(steps.next(), this.d.cache.snapshot(), project.vbotId, project.projectCode);
    return picked && { ...project, ...picked };
  }

  /** 'ok' on success, 'recovered' when a retry proves a lost call had been applied, else 'failed'. */
  private settle(key: string, outcome: Outcome<unknown>, proofKind: VbotError['kind']): 'ok' | 'recovered' | 'failed' {
    if (outcome.ok) {
      this.unknownOutcomes.delete(key);
      return 'ok';
    }
    if (outcome.error.kind === proofKind && this.unknownOutcomes.has(key)) {
      this.unknownOutcomes.delete(key);
      return 'recovered';
    }
    if (outcome.error.outcomeUnknown) this.unknownOutcomes.add(key);
    return 'failed';
  }

  /** Writes the change to the journal; a journal that cannot be written never fails the command. */
  private async record(
    operation: JournalOperation, target: Target, typeNo: string,
    before: JournalTypeState | undefined, after: JournalTypeState | undefined,
    outcome: Outcome<unknown>, settled: 'ok' | 'recovered' | 'failed', origin: ChangeOrigin,
  ): Promise<void> {
    const error = outcome.ok ? undefined : outcome.error;
    const result = settled !== 'failed' ? 'done' : error?.outcomeUnknown ? 'unknown' : 'failed';
    try {
      await this.d.journal.append({
        profile: this.d.settings.activeProfile().name, vbotId: target.vbotId, projectCode: target.projectCode,
        operation, typeNo, before, after, outcome: result,
        message: error ? (error.serverMessage ?? error.kind) : undefined, undoOf: origin.undoOf,
      });
    } catch (e) {
      this.d.log.warn(`Could not write the change journal: ${e instanceof Error ? e.message : e}`);
    }
  }

  /** A 404 means the cache lists a type the server does not have: offer to drop it. */
  private reportWithCleanup(error: VbotError, target: TypeTarget): void {
    const cached = this.d.cache.snapshot().findType(target.vbotId, target.projectCode, target.typeNo);
    if (error.kind === 'notFound' && cached) {
      this.d.runner.reportFailure(error, [{
        title: vscode.l10n.t('Remove from Local List'),
        run: () => this.d.cache.removeType(target.vbotId, target.projectCode, target.typeNo).catch((e) => this.cacheWriteFailed(e)),
      }]);
      return;
    }
    // A refused change of code may be our guess at the updateNo body: offer the check that finds the right one.
    if (error.kind === 'invalidParams' && error.operation === 'changeTypeCode') {
      this.d.runner.reportFailure(error, [{
        title: vscode.l10n.t('Check API Compatibility'),
        run: () => vscode.commands.executeCommand('vbotCrm.checkApi', { vbotId: target.vbotId, projectCode: target.projectCode }),
      }]);
      return;
    }
    this.d.runner.reportFailure(error);
  }

  private async saveType(project: Target, typeNo: string, typeName: string, key?: string): Promise<boolean> {
    try {
      await this.d.cache.upsertType(project.vbotId, project.projectCode, { typeNo, typeName });
      return true;
    } catch (e) {
      this.cacheWriteFailed(e, key);
      return false;
    }
  }

  /**
   * The server made the change, but the local list could not record it (a read-only folder, a full
   * disk…). With the change's `key`, running it again counts a 409/404 as proof it was made, as after a
   * lost answer, and then updates the local list.
   */
  private cacheWriteFailed(e: unknown, key?: string): void {
    if (key) this.unknownOutcomes.add(key);
    this.d.notifier.error(describeLocalSaveFailure(e));
  }

  private reveal(project: Target, typeNo: string): void {
    if (!this.d.treeView.visible) return;
    const node = this.d.tree.typeNode(project.vbotId, project.projectCode, typeNo);
    if (node) void Promise.resolve(this.d.treeView.reveal(node, { select: true, focus: false })).catch(() => undefined);
  }
}

function outcomeKey(op: string, p: Target, detail: string): string {
  return [op, p.vbotId, p.projectCode, detail].join('\u0000');
}

interface Stepper { next(): Step; extra(): Step }

/** Numbers the prompts of one flow; an unplanned extra question (VBotID) stretches the count. */
function stepper(title: string, total: number): Stepper {
  let step = 0;
  let totalSteps = Math.max(total, 1);
  return {
    next: () => ({ title, step: ++step, totalSteps: Math.max(totalSteps, step) }),
    extra: () => ({ title, step: ++step, totalSteps: ++totalSteps }),
  };
}
