// What Plan and Apply show: the plan as a document, the Apply confirmation, the report of what was done.
// Every value from the file or the server goes through say()/markdown(): it is shown, never acted on.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { joinSafe, markdown, plain, type Safe, say, sayMarkdown } from './say';
import { type ApplySummary, countsToSay, type OperationCounts, displayCode, planVerdict, summarizeForApply } from '../core/applySummary';
import type { ItemResult } from '../core/change/applyChanges';
import { isOptionChange } from '../core/change/optionChange';
import type { TypeChange } from '../core/change/typeChange';
import type { FieldPlanItem } from '../core/typesAsCode/fieldPlanner';
import type { DesiredStateError } from '../core/typesAsCode/format';
import { countPlan, type Plan, type PlanItem } from '../core/typesAsCode/planner';
import { VbotError } from '../core/vbotError';
import { describeFailure, describeLocalSaveFailure } from './messages';
import { describeFieldFailure } from './fieldMessages';
import { describeOptionItem, fieldsConfirmationLines, fieldsPlanLines, OPTION_SIGN } from './fieldPlanReport';
import { fieldItems, type FieldsPlanning } from './fieldsPlan';

export interface LoadedPlan {
  plan: Plan;
  file: string;
  otherAccounts: string[];
  /** The plan of the file's "fields" (choice lists, API v3), when a project declares them. */
  fields?: FieldsPlanning;
}

/** A line of Apply's report: a type's change or an option's. */
type ReportItem = PlanItem | FieldPlanItem;

/** "1 to add, 1 code change, 3 unchanged." — counts of zero are left out. */
export function summaryText(plan: Plan): string {
  const c = countPlan(plan);
  const phrase = {
    create: (n: number) => say(vscode.l10n.t('{0} to add'), String(n)),
    rename: (n: number) => say(vscode.l10n.t('{0} to rename'), String(n)),
    changeCode: (n: number) => (n === 1 ? vscode.l10n.t('1 code change') : say(vscode.l10n.t('{0} code changes'), String(n))),
    delete: (n: number) => say(vscode.l10n.t('{0} to delete'), String(n)),
    unchanged: (n: number) => say(vscode.l10n.t('{0} unchanged'), String(n)),
  };
  const parts = countsToSay(c, ['create', 'rename', 'changeCode', 'delete', 'unchanged']).map(([k, n]) => phrase[k](n));
  return (parts.join(', ') || vscode.l10n.t('No customer types in the file')) + '.';
}

/** "1 to add, 2 to delete": the kinds of change of one project, zeros left out. */
function countsText(c: OperationCounts): Safe {
  const parts = [
    c.create ? say(vscode.l10n.t('{0} to add'), String(c.create)) : undefined,
    c.rename ? say(vscode.l10n.t('{0} to rename'), String(c.rename)) : undefined,
    c.changeCode
      ? c.changeCode === 1
        ? say(vscode.l10n.t('1 code change'))
        : say(vscode.l10n.t('{0} code changes'), String(c.changeCode))
      : undefined,
    c.delete ? say(vscode.l10n.t('{0} to delete'), String(c.delete)) : undefined,
  ];
  return joinSafe(
    parts.filter((p): p is Safe => p !== undefined),
    ', ',
  );
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

export function confirmationDetail(plan: Plan, fields?: FieldsPlanning): Safe {
  const types = confirmationDetailFrom(summarizeForApply(plan), summaryText(plan), plan.problems.length);
  return fields ? joinSafe([types, plain(''), ...fieldsConfirmationLines(fields)], '\n') : types;
}

/** One line per item, in the user's language: `+ add VIP "Khách hàng VIP"` (a diff block shows it as written). */
export function describeItem(item: TypeChange): string {
  return `${ITEM_SIGN[item.op]} ${describeItemText(item)}`;
}

const ITEM_SIGN: Record<TypeChange['op'], string> = { create: '+', rename: '~', changeCode: '→', delete: '-' };

function describeItemText(item: TypeChange): Safe {
  const { before, after } = item;
  switch (item.op) {
    case 'create':
      return say(vscode.l10n.t('add {0} "{1}"'), after!.typeNo, after!.typeName);
    case 'rename':
      return say(vscode.l10n.t('rename {0}: "{1}" → "{2}"'), after!.typeNo, before!.typeName, after!.typeName);
    case 'changeCode':
      return say(vscode.l10n.t('change code {0} → {1} ("{2}")'), before!.typeNo, after!.typeNo, before!.typeName);
    case 'delete':
      return say(vscode.l10n.t('delete {0} "{1}"'), before!.typeNo, before!.typeName);
  }
}

function byProject<T>(entries: ReadonlyArray<T>, itemOf: (e: T) => ReportItem): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const e of entries) {
    const i = itemOf(e);
    const key = sayMarkdown(vscode.l10n.t('Project {0} (VBotID {1})'), i.projectCode, i.vbotId);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups];
}

export function renderPlanText(loaded: LoadedPlan): string {
  const { plan, file, otherAccounts, fields } = loaded;
  const lines = [`# ${sayMarkdown(vscode.l10n.t('Plan for {0}'), path.basename(file))}`, '', summaryText(plan), ''];
  if (plan.unlisted)
    lines.push(
      say(
        vscode.l10n.t('{0} known types are not in the file and stay as they are ("deleteUnlisted": true would delete them).'),
        String(plan.unlisted),
      ),
      '',
    );
  if (otherAccounts.length)
    lines.push(
      sayMarkdown(
        vscode.l10n.t('Projects of other accounts ({0}) are left out: switch to their profile to plan them.'),
        otherAccounts.join(', '),
      ),
      '',
    );
  const verdict = {
    // Nothing to do: saying to run Apply would suggest there is something left.
    upToDate: () => sayMarkdown(vscode.l10n.t('VBot is up to date with {0}: there is nothing to apply.'), path.basename(file)),
    blocked: () => vscode.l10n.t('Nothing can be applied until the problems below are fixed. Nothing has been sent to VBot.'),
    changes: () => vscode.l10n.t('Nothing has been sent to VBot. Run "VBot: Apply vbot-types.json" to carry this out.'),
  }[
    planVerdict({
      items: [...plan.items, ...fieldItems(fields)],
      problems: [...plan.problems, ...(fields?.notPlanned ?? []), ...(fields?.plans.flatMap((p) => p.problems) ?? [])],
    })
  ]();
  lines.push(`_${verdict}_`, '');
  if (plan.problems.length) {
    lines.push(`## ${vscode.l10n.t('Problems')}`, '');
    for (const p of plan.problems) lines.push(`- ⚠ ${markdown(p)}`);
    lines.push('');
  }
  for (const [heading, items] of byProject(plan.items, (i) => i)) {
    // Inside the fence each item is one inert line (say): no value can close the fence or start a line.
    lines.push(`## ${heading}`, '', '```diff', ...items.map(describeItem), '```', '');
  }
  if (fields) lines.push(...fieldsPlanLines(fields));
  return lines.join('\n');
}

/** `texts`: another heading and note than Apply's (import's creation on VBot shows the same report). */
export function renderReportText(
  results: ReadonlyArray<ItemResult<ReportItem>>,
  file: string,
  texts?: { title: Safe; note: string },
): string {
  const mark = { done: '✓', failed: '✗', skipped: '○' } as const;
  const status = { done: vscode.l10n.t('done'), failed: vscode.l10n.t('failed'), skipped: vscode.l10n.t('skipped') };
  // A change found already made on VBot (recovered) is done, as far as the user is concerned.
  const shown = (r: ItemResult<ReportItem>) => (r.status === 'recovered' ? 'done' : r.status);
  const count = (s: keyof typeof mark) => String(results.filter((r) => shown(r) === s).length);
  const lines = [
    `# ${texts?.title ?? sayMarkdown(vscode.l10n.t('Result of applying {0}'), path.basename(file))}`,
    '',
    say(vscode.l10n.t('{0} done, {1} failed, {2} skipped.'), count('done'), count('failed'), count('skipped')),
    '',
    texts?.note ?? vscode.l10n.t('The local list holds exactly what succeeded; running Apply again does only what is left.'),
    '',
  ];
  for (const [heading, group] of byProject(results, (r) => r.item)) {
    lines.push(`## ${heading}`, '');
    for (const r of group) {
      const why = reasonText(r);
      const item = r.item;
      const text = isOptionChange(item)
        ? `${OPTION_SIGN[item.op]} ${markdown(describeOptionItem(item))}`
        : `${ITEM_SIGN[item.op]} ${markdown(describeItemText(item))}`;
      lines.push(`- ${mark[shown(r)]} ${status[shown(r)]}: ${text}${why ? ` — ${why}` : ''}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Why an item failed or was not started, as Markdown; '' for one that succeeded. */
function reasonText(r: ItemResult<ReportItem>): string {
  switch (r.status) {
    case 'done':
    case 'recovered':
      return '';
    case 'failed':
      if (!(r.error instanceof VbotError)) return markdown(describeLocalSaveFailure(r.error));
      return markdown(isOptionChange(r.item) ? describeFieldFailure(r.error) : describeFailure(r.error));
    case 'skipped':
      switch (r.skipped) {
        case 'dependency':
          return vscode.l10n.t('an earlier step it needs did not succeed');
        case 'cancelled':
          return vscode.l10n.t('cancelled before it started');
        case 'stopped':
          return vscode.l10n.t('not started: the profile was signed out or changed while applying');
      }
  }
}

export function describeFileErrors(fileName: string, errors: ReadonlyArray<DesiredStateError>): Safe {
  const shown = errors.slice(0, 3).map((e) => {
    const where = e.line ? say(vscode.l10n.t('line {0}'), String(e.line)) : e.path || fileName;
    return `${where}: ${e.message}`;
  });
  const more = errors.length > 3 ? ` ${say(vscode.l10n.t('(and {0} more problems)'), String(errors.length - 3))}` : '';
  return say(vscode.l10n.t('{0} is not valid; nothing was planned. {1}'), fileName, shown.join('; ') + more);
}
