// Add, edit, change the code of, delete and move the options of a customer field (API v3): prompts for what the
// caller did not give, read from the server's own list, then the one change runner (changes.ts) carries each
// change out and the field's list in the tree is read again. A lazy group (esbuild.mjs LAZY_GROUPS).
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  type OptionChange,
  changeOptionCodeChange,
  createOptionChange,
  deleteOptionChange,
  updateOptionChange,
} from '../core/change/optionChange';
import { FieldsApi } from '../core/fields/fieldsApi';
import type { ChoiceField, FieldOption } from '../core/fields/model';
import {
  type OptionCommandArgs,
  type OptionRow,
  editedOption,
  neighbourOf,
  parseOptionArgs,
  selectedOptions,
  textColourFor,
} from '../core/fields/optionArgs';
import type { VbotOperation } from '../core/vbotError';
import type { ApiRunner, ProfileApi } from './apiRunner';
import type { Changes } from './changes';
import type { CommandResult } from './commandArgs';
import { describeFieldFailure } from './fieldMessages';
import { ColourIcons } from './fieldsNodes';
import type { Notifier } from './notifier';
import { optionLabel } from './optionTexts';
import { askOptionName, optionCodeProblem, pickColour, pickGroup, usedText } from './optionPrompts';
import { PromptFlow } from './promptFlow';
import { inputText, pickOne } from './prompts';
import { joinSafe, say } from './say';
import type { TypeTreeProvider } from './typeTreeProvider';

export interface OptionCommandDeps {
  runner: ApiRunner;
  changes: Changes;
  notifier: Notifier;
  /** The tree: told when a field's options changed. */
  tree: Pick<TypeTreeProvider, 'optionsChanged'>;
  /** The extension's storage folder (the colour icons of the palette). */
  storage: () => string;
}

/** What one command works on: the profile's API, its key's project, the field and its options as the server has them. */
interface Scope {
  api: ProfileApi;
  vbotId: string;
  projectCode: string;
}
interface FieldList extends Scope {
  fieldCode: string;
  options: FieldOption[];
}

export class OptionCommands {
  /** The palette's icons: the tree's colour files. */
  private icons: ColourIcons | undefined;

  constructor(private readonly d: OptionCommandDeps) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.addOption', (a) => this.addOption(a)),
      vscode.commands.registerCommand('vbotCrm.editOption', (a) => this.editOption(a)),
      vscode.commands.registerCommand('vbotCrm.changeOptionCode', (a) => this.changeOptionCode(a)),
      // From the tree, VS Code adds the rows selected when the row clicked is one of several.
      vscode.commands.registerCommand('vbotCrm.deleteOption', (a, s) => this.deleteOption(a, s)),
      vscode.commands.registerCommand('vbotCrm.moveOptionUp', (a) => this.move(a, true)),
      vscode.commands.registerCommand('vbotCrm.moveOptionDown', (a) => this.move(a, false)),
    ];
  }

  async addOption(arg?: unknown): Promise<CommandResult> {
    const start = this.start(arg);
    if (!start) return 'invalid';
    const { scope, read } = start;
    const title = vscode.l10n.t('Add Option');
    return PromptFlow.run(
      title,
      [!read.fieldCode, !read.optionCode, !read.name, read.color === undefined].filter(Boolean).length,
      async (steps) => {
        const list = await this.fieldList(scope, read, steps);
        if (!list) return 'cancelled';
        const type = read.type ?? 'OPTION';
        const groups = list.options.filter((o) => o.type === 'OPTGROUP');
        // The group is asked only in a field with groups (SELECT): known now, so every step shows the right count.
        const askGroup = read.groupCode === undefined && type === 'OPTION' && groups.length > 0;
        if (askGroup) steps.more();
        const codeProblem = (v: string) => optionCodeProblem(v, list);
        if (read.optionCode && codeProblem(read.optionCode)) return this.d.notifier.invalid(codeProblem(read.optionCode)!);
        const code =
          read.optionCode ??
          (
            await inputText({
              ...steps.next(),
              prompt: say(vscode.l10n.t('Code of the new option in field {0}'), list.fieldCode),
              placeholder: vscode.l10n.t('e.g. VANG'),
              validate: (v) => codeProblem(v.trim()),
            })
          )?.trim();
        if (!code) return 'cancelled';
        const name = read.name ?? (await askOptionName(steps.next(), code));
        if (!name) return 'cancelled';
        const color = read.color !== undefined ? read.color : await pickColour(steps.next(), this.colourIcons(), undefined);
        if (color === undefined) return 'cancelled';
        const groupCode = askGroup ? await pickGroup(steps.next(), groups) : (read.groupCode ?? null);
        if (groupCode === undefined) return 'cancelled';
        const number = read.number ?? Math.max(0, ...list.options.map((o) => o.number)) + 1;
        const textColor = read.textColor !== undefined ? read.textColor : color && textColourFor(color);
        const option: FieldOption = { code, name, type, groupCode, number, color, textColor };
        return this.run(list, createOptionChange(list, list.fieldCode, option));
      },
    );
  }

  async editOption(arg?: unknown): Promise<CommandResult> {
    const start = this.start(arg);
    if (!start) return 'invalid';
    const { scope, read } = start;
    // Given any part to change (a script), it asks nothing else: the other parts stay.
    const given = (['name', 'color', 'textColor', 'number', 'groupCode'] as const).some((k) => read[k] !== undefined);
    const questions = [!read.fieldCode, !read.optionCode].filter(Boolean).length + (given ? 0 : 3);
    return PromptFlow.run(vscode.l10n.t('Edit Option'), questions, async (steps) => {
      const target = await this.existing(scope, read, steps);
      if (!target) return 'cancelled';
      const { list, option } = target;
      let after: FieldOption;
      if (given) {
        after = editedOption(option, read);
      } else {
        const name = await askOptionName(steps.next(), option.code, option.name);
        if (!name) return 'cancelled';
        const color = await pickColour(steps.next(), this.colourIcons(), option);
        if (color === undefined) return 'cancelled';
        const numberText = await inputText({
          ...steps.next(),
          prompt: say(vscode.l10n.t('Order of option {0} (a whole number; smaller shows first)'), option.code),
          value: String(option.number),
          validate: (v) => (/^-?\d{1,9}$/.test(v.trim()) ? undefined : say(vscode.l10n.t('The order is a whole number.'))),
        });
        if (numberText === undefined) return 'cancelled';
        const textColor = color === option.color ? option.textColor : color && textColourFor(color);
        after = { ...option, name, color, textColor, number: Number(numberText.trim()) };
      }
      const same = (['name', 'color', 'textColor', 'number', 'groupCode'] as const).every((k) => after[k] === option[k]);
      if (same) {
        this.d.notifier.info(say(vscode.l10n.t('Option {0} already has these values; nothing was sent.'), optionLabel(option)));
        return 'done';
      }
      return this.run(list, updateOptionChange(list, list.fieldCode, option, after));
    });
  }

  async changeOptionCode(arg?: unknown): Promise<CommandResult> {
    const start = this.start(arg);
    if (!start) return 'invalid';
    const { scope, read } = start;
    const questions = [!read.fieldCode, !read.optionCode, !read.newCode].filter(Boolean).length;
    return PromptFlow.run(vscode.l10n.t('Change Option Code'), questions, async (steps) => {
      const target = await this.existing(scope, read, steps);
      if (!target) return 'cancelled';
      const { list, option } = target;
      const problem = (v: string) => optionCodeProblem(v, list, option.code);
      if (read.newCode && problem(read.newCode)) return this.d.notifier.invalid(problem(read.newCode)!);
      const newCode =
        read.newCode ??
        (
          await inputText({
            ...steps.next(),
            prompt: say(vscode.l10n.t('New code for option {0}'), optionLabel(option)),
            value: option.code,
            validate: (v) => problem(v.trim()),
          })
        )?.trim();
      if (!newCode) return 'cancelled';
      return this.run(list, changeOptionCodeChange(list, list.fieldCode, option, newCode));
    });
  }

  async deleteOption(arg?: unknown, selection?: unknown): Promise<CommandResult> {
    const several = selectedOptions(arg, selection);
    if (several.length > 1) return this.deleteSeveral(several);
    const start = this.start(arg);
    if (!start) return 'invalid';
    const { scope, read } = start;
    return PromptFlow.run(vscode.l10n.t('Delete Option'), [!read.fieldCode, !read.optionCode].filter(Boolean).length, async (steps) => {
      const target = await this.existing(scope, read, steps);
      if (!target) return 'cancelled';
      const { list, option } = target;
      if (!read.skipConfirmation) {
        const used = await this.customersWith(list, option.code);
        const yes = await this.d.notifier.confirm(
          say(vscode.l10n.t('Delete option {0} from field {1}?'), optionLabel(option), list.fieldCode),
          say('{0} {1}', usedText(used), say(vscode.l10n.t('It is deleted on the VBot server; this cannot be undone from the history.'))),
          vscode.l10n.t('Delete'),
        );
        if (!yes) return 'cancelled';
      }
      return this.run(list, deleteOptionChange(list, list.fieldCode, option));
    });
  }

  /** Swaps the order (`number`) with the option above or below among its siblings; equal numbers: one step past it. */
  async move(arg: unknown, up: boolean): Promise<CommandResult> {
    const start = this.start(arg);
    if (!start) return 'invalid';
    const { scope, read } = start;
    const title = up ? vscode.l10n.t('Move Option Up') : vscode.l10n.t('Move Option Down');
    return PromptFlow.run(title, [!read.fieldCode, !read.optionCode].filter(Boolean).length, async (steps) => {
      const target = await this.existing(scope, read, steps);
      if (!target) return 'cancelled';
      const { list, option } = target;
      const other = neighbourOf(list.options, option.code, up);
      if (!other) {
        this.d.notifier.status(
          up
            ? say(vscode.l10n.t('Option {0} is already first.'), optionLabel(option))
            : say(vscode.l10n.t('Option {0} is already last.'), optionLabel(option)),
        );
        return 'done';
      }
      if (other.number === option.number) {
        return this.run(list, updateOptionChange(list, list.fieldCode, option, { ...option, number: other.number + (up ? -1 : 1) }), true);
      }
      const first = await this.run(list, updateOptionChange(list, list.fieldCode, other, { ...other, number: option.number }), true);
      if (first !== 'done') return first;
      return this.run(list, updateOptionChange(list, list.fieldCode, option, { ...option, number: other.number }), true);
    });
  }

  // --- several options selected in the tree -------------------------------------------------

  private async deleteSeveral(rows: OptionRow[]): Promise<CommandResult> {
    const scope = this.scope();
    if (!scope) return 'invalid';
    const counts = await Promise.all(
      rows.map((r) => this.customersWith({ ...scope, fieldCode: r.fieldCode, options: [] }, r.option!.code)),
    );
    const lines = rows.map((r, i) => say('{0} ({1}): {2}', optionLabel(r.option!), r.fieldCode, usedText(counts[i])));
    const yes = await this.d.notifier.confirm(
      say(vscode.l10n.t('Delete these {0} options?'), String(rows.length)),
      joinSafe([...lines, say(vscode.l10n.t('They are deleted on the VBot server; this cannot be undone from the history.'))], '\n'),
      vscode.l10n.t('Delete'),
    );
    if (!yes) return 'cancelled';
    let done = 0;
    for (const r of rows) {
      const list: FieldList = { ...scope, fieldCode: r.fieldCode, options: [] };
      if ((await this.run(list, deleteOptionChange(list, r.fieldCode, r.option!), true)) === 'done') done++;
    }
    this.d.notifier.info(say(vscode.l10n.t('{0} of {1} options deleted.'), String(done), String(rows.length)));
    return done === rows.length ? 'done' : 'failed';
  }

  // --- shared ----------------------------------------------------------------------------------

  /** The change through the one runner; then the field's list in the tree is read again. */
  private run(list: FieldList, change: OptionChange, quiet = false): Promise<CommandResult> {
    const after = () => this.d.tree.optionsChanged(list.vbotId, list.projectCode, list.fieldCode);
    return this.d.changes.runOne(list.api, change, { quiet, after });
  }

  /** The active profile's API and its key's project: option commands need a v3 profile. */
  private scope(): Scope | undefined {
    const api = this.d.runner.bind();
    const p = api.profile;
    if (p.apiVersion !== 'v3' || !p.projectCode) {
      this.d.notifier.error(
        say(vscode.l10n.t('Customer fields need a profile with API v3 and its API key (profile "{0}" is not one).'), p.name),
      );
      return undefined;
    }
    return { api, vbotId: p.vbotId, projectCode: p.projectCode };
  }

  private start(arg: unknown): { scope: Scope; read: OptionCommandArgs } | undefined {
    const parsed = parseOptionArgs(arg);
    if (!parsed.ok) {
      this.d.notifier.error(say(vscode.l10n.t('The argument "{0}" is not valid.'), parsed.key));
      return undefined;
    }
    const scope = this.scope();
    if (!scope) return undefined;
    const read = parsed.args;
    if ((read.projectCode && read.projectCode !== scope.projectCode) || (read.vbotId && read.vbotId !== scope.vbotId)) {
      const profile = scope.api.profile;
      this.d.notifier.error(say(vscode.l10n.t('The API key of profile "{0}" is for project {1} only.'), profile.name, scope.projectCode));
      return undefined;
    }
    return { scope, read };
  }

  /** One read through the profile's API; a failure is reported and gives undefined. */
  private async read<T>(
    scope: Scope,
    operation: VbotOperation,
    code: string | undefined,
    run: (f: FieldsApi) => Promise<T>,
  ): Promise<T | undefined> {
    const outcome = await scope.api.call({
      operation,
      typeNo: code,
      run: (client, key, signal) => run(new FieldsApi(client, key, signal)),
    });
    if (outcome.ok) return outcome.value;
    scope.api.reportFailure(outcome.error, [], describeFieldFailure(outcome.error));
    return undefined;
  }

  /** The field (given, or picked from the server's choice fields) and its options as the server has them now. */
  private async fieldList(scope: Scope, read: OptionCommandArgs, steps: PromptFlow): Promise<FieldList | undefined> {
    let fieldCode = read.fieldCode;
    if (!fieldCode) {
      const fields = await this.read(scope, 'readFields', undefined, (f) => f.readChoiceFields());
      if (!fields) return undefined;
      const picked = await pickOne<vscode.QuickPickItem & { field: ChoiceField }>(
        steps.next(),
        'field',
        vscode.l10n.t('Customer field'),
        fields.fields.map((field) => ({ label: field.name, description: `${field.code} · ${field.type}`, field })),
        (i) => i.field.code,
      );
      if (!picked) return undefined;
      fieldCode = picked.field.code;
    }
    const code = fieldCode;
    const options = await this.read(scope, 'readOptions', code, (f) => f.readOptions(code));
    return options && { ...scope, fieldCode: code, options: options.options };
  }

  /** An option that is in the field now (given, or picked from the field's list). */
  private async existing(
    scope: Scope,
    read: OptionCommandArgs,
    steps: PromptFlow,
  ): Promise<{ list: FieldList; option: FieldOption } | undefined> {
    const list = await this.fieldList(scope, read, steps);
    if (!list) return undefined;
    if (read.optionCode) {
      const option = list.options.find((o) => o.code === read.optionCode);
      if (!option)
        this.d.notifier.error(say(vscode.l10n.t('Option "{0}" is not in field {1} on the server.'), read.optionCode, list.fieldCode));
      return option && { list, option };
    }
    const picked = await pickOne<vscode.QuickPickItem & { option: FieldOption }>(
      steps.next(),
      'option',
      vscode.l10n.t('Option'),
      list.options.map((option) => ({ label: option.name, description: option.code, option })),
      (i) => i.option.code,
    );
    return picked && { list, option: picked.option };
  }

  private colourIcons(): ColourIcons {
    return (this.icons ??= new ColourIcons(path.join(this.d.storage(), 'field-colours')));
  }

  /** customer/count-all with an EQUAL filter on the value: a count only; undefined when it could not be read. */
  private async customersWith(list: FieldList, code: string): Promise<number | undefined> {
    const outcome = await list.api.call({
      operation: 'countCustomers',
      typeNo: code,
      run: (client, key, signal) => new FieldsApi(client, key, signal).countCustomersWith(list.fieldCode, code),
    });
    return outcome.ok ? outcome.value : undefined;
  }
}
