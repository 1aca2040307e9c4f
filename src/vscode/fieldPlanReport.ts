// What Plan and Apply show of a vbot-types.json's "fields" (choice lists, API v3): the changes per field, the
// options on the server that the file does not list (drift), what was not planned and why; one line per option
// change in Apply's report. Values from the file or the server are data: through say()/sayMarkdown()/markdown().
import * as vscode from 'vscode';
import type { OptionChange } from '../core/change/optionChange';
import { editedParts, type FieldPlan } from '../core/typesAsCode/fieldPlanner';
import type { FieldsPlanning } from './fieldsPlan';
import { optionLabel } from './optionTexts';
import { joinSafe, markdown, type Safe, say, sayMarkdown } from './say';

export const OPTION_SIGN: Record<OptionChange['op'], string> = {
  createOption: '+',
  updateOption: '~',
  changeOptionCode: '→',
  deleteOption: '-',
};

/** One option change, in the user's language: `add option VANG "Vàng" to field hang`. */
export function describeOptionItem(item: OptionChange): Safe {
  const { before, after, fieldCode } = item;
  switch (item.op) {
    case 'createOption':
      return after!.type === 'OPTGROUP'
        ? say(vscode.l10n.t('add group {0} "{1}" to field {2}'), after!.code, after!.name, fieldCode)
        : say(vscode.l10n.t('add option {0} "{1}" to field {2}'), after!.code, after!.name, fieldCode);
    case 'updateOption':
      return say(vscode.l10n.t('edit option {0} of field {1}: {2}'), after!.code, fieldCode, partsText(item));
    case 'changeOptionCode':
      return say(vscode.l10n.t('change option code {0} → {1} ("{2}") in field {3}'), before!.code, after!.code, before!.name, fieldCode);
    case 'deleteOption':
      return say(vscode.l10n.t('delete option {0} "{1}" from field {2}'), before!.code, before!.name, fieldCode);
  }
}

/** `name "Vàng" → "Vàng mới", colour #F9A825, order 3 → 4, group NHOM` */
function partsText(item: OptionChange): Safe {
  const { before, after } = item;
  const parts = editedParts(before!, after!).map((part) => {
    switch (part) {
      case 'name':
        return say(vscode.l10n.t('name "{0}" → "{1}"'), before!.name, after!.name);
      case 'colour':
        return say(vscode.l10n.t('colour {0} → {1}'), before!.color ?? '—', after!.color ?? '—');
      case 'order':
        return say(vscode.l10n.t('order {0} → {1}'), String(before!.number), String(after!.number));
      case 'group':
        return say(vscode.l10n.t('group {0} → {1}'), before!.groupCode ?? '—', after!.groupCode ?? '—');
    }
  });
  return joinSafe(parts, ', ');
}

/** "Customer fields: 1 to add, 2 to edit, 1 code change, 1 to delete; 3 on the server, not in the file." */
export function fieldsSummaryText(f: FieldsPlanning): Safe {
  const items = f.plans.flatMap((p) => p.items);
  const count = (op: OptionChange['op']) => items.filter((i) => i.op === op).length;
  const drift = f.plans.reduce((n, p) => n + p.notInFile.length, 0);
  return say(
    vscode.l10n.t('Customer fields: {0} to add, {1} to edit, {2} to change code, {3} to delete; {4} on the server, not in the file.'),
    String(count('createOption')),
    String(count('updateOption')),
    String(count('changeOptionCode')),
    String(count('deleteOption')),
    String(drift),
  );
}

/** The plan document's part for the fields, as Markdown lines. */
export function fieldsPlanLines(f: FieldsPlanning): string[] {
  const lines = [`## ${vscode.l10n.t('Customer fields')}`, '', fieldsSummaryText(f), ''];
  for (const why of f.notPlanned) lines.push(`- ⚠ ${markdown(why)}`);
  for (const problem of f.plans.flatMap((p) => p.problems)) lines.push(`- ⚠ ${markdown(problem)}`);
  if (f.notPlanned.length || f.plans.some((p) => p.problems.length)) lines.push('');
  for (const plan of f.plans) lines.push(...fieldLines(plan));
  return lines;
}

function fieldLines(plan: FieldPlan): string[] {
  if (!plan.items.length && !plan.notInFile.length) return [];
  const lines = [`### ${sayMarkdown(vscode.l10n.t('Field {0} (project {1})'), plan.fieldCode, plan.projectCode)}`, ''];
  // Inside the fence each item is one inert line (say): no value can close the fence or start a line.
  if (plan.items.length) lines.push('```diff', ...plan.items.map((i) => `${OPTION_SIGN[i.op]} ${describeOptionItem(i)}`), '```', '');
  if (plan.notInFile.length) {
    lines.push(
      say(
        vscode.l10n.t('On the server, not in the file ({0}): left as they are; "deleteUnlisted": true in this field would delete them.'),
        String(plan.notInFile.length),
      ),
      '',
      ...plan.notInFile.map((o) => `- ${markdown(optionLabel(o))}`),
      '',
    );
  }
  return lines;
}

/** The Apply confirmation's lines for the fields: the counts, what was not planned, the options it deletes named. */
export function fieldsConfirmationLines(f: FieldsPlanning): Safe[] {
  const deletes = f.plans.flatMap((p) => p.items.filter((i) => i.op === 'deleteOption').map((i) => `${i.fieldCode}/${i.before!.code}`));
  const lines = [fieldsSummaryText(f), ...f.notPlanned];
  if (deletes.length)
    lines.push(say(vscode.l10n.t('Options to delete: {0}'), deletes.slice(0, 10).join(', ') + (deletes.length > 10 ? ' …' : '')));
  return [joinSafe(lines, '\n')];
}
