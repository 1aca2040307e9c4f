// The words of the editor help for vbot-types.json: each problem of fileAnalysis.ts in the user's language,
// the CodeLens counts, the hover. Values from the file or the cache are data: filled in through say() (plain
// text: diagnostics, CodeLens titles through sayLabel, which also keeps `$(icon)` from drawing) or
// sayMarkdown()/markdown() (the hover, an untrusted MarkdownString); nothing here makes a link or a command.
import * as vscode from 'vscode';
import type { JournalEntry } from '../core/journal/entry';
import type { FileProblem } from '../core/typesAsCode/fileAnalysis';
import { countPlan, type Plan } from '../core/typesAsCode/planner';
import { describeEntry, entryTime, outcomeText } from './historyText';
import { joinSafe, plain, type Safe, say, sayLabel, sayMarkdown } from './say';
import { fieldLensParts, fieldsNotReadable } from './fieldsFileTexts';
import type { FieldCounts } from '../core/typesAsCode/fieldsInFile';

/** A problem's message in the user's language (the reader's English text when it names nothing to translate). */
export function problemText(p: FileProblem): Safe {
  const a = p.args;
  switch (p.code) {
    case 'badJson':
      return say(vscode.l10n.t('Invalid JSON: {0}'), a[0]);
    case 'missing':
      return say(vscode.l10n.t('"{0}" is required'), a[0]);
    case 'unknownProperty':
      return say(vscode.l10n.t('Unknown property "{0}" (expected: {1})'), a[0], a[1]);
    case 'empty':
      return say(vscode.l10n.t('{0} is empty'), a[0]);
    case 'tooLong':
      return say(vscode.l10n.t('{0} is longer than {1} characters'), a[0], a[1]);
    case 'controlChar':
      return say(vscode.l10n.t('{0} contains a control or invisible character'), a[0]);
    case 'duplicateProject':
      return say(vscode.l10n.t('The project {0}/{1} is already listed in this file'), a[0], a[1]);
    case 'duplicateTypeNo':
      return say(vscode.l10n.t('The code {0} is already listed in this project'), a[0]);
    case 'duplicatePreviousCode':
      return say(vscode.l10n.t('{0} is already a previous code in this project'), a[0]);
    case 'previousCodeIsOwnCode':
      return say(vscode.l10n.t("{0} is this type's own code"), a[0]);
    case 'previousCodeLoop':
      return say(
        vscode.l10n.t(
          'The previous codes go round in a loop, {0} (a swap): changing codes one at a time cannot swap them. Give one of these types a temporary code first, apply, then finish the swap.',
        ),
        a[0],
      );
    case 'badOptionCode':
      return say(vscode.l10n.t('"{0}" is not an option code: 1 to 50 letters, digits, "_" or "-"'), a[0]);
    case 'badColour':
      return say(vscode.l10n.t('{0} is not a colour like "#00AA00"'), a[0]);
    case 'duplicateOptionCode':
      return say(vscode.l10n.t('The code {0} is already listed in this field'), a[0]);
    case 'unknownOptionGroup':
      return say(vscode.l10n.t('"{0}" is not a group of this field (an entry with "type": "OPTGROUP")'), a[0]);
    case 'groupInGroup':
      return say(vscode.l10n.t('A group cannot be inside another group'));
    case 'duplicateOptionPreviousCode':
      return say(vscode.l10n.t('{0} is already a previous code in this field'), a[0]);
    case 'optionPreviousCodeIsOwnCode':
      return say(vscode.l10n.t("{0} is this option's own code"), a[0]);
    case 'optionPreviousCodeLoop':
      return say(
        vscode.l10n.t(
          'The previous codes go round in a loop, {0} (a swap): give one of these options a temporary code first, apply, then finish the swap.',
        ),
        a[0],
      );
    case 'tooLarge':
      return say(vscode.l10n.t('The file is larger than {0} MB; Plan refuses it'), a[0]);
    case 'emptyFile':
      return say(vscode.l10n.t('The file is empty'));
    case 'otherAccount':
      return say(
        vscode.l10n.t('This project is of the account {0}, not of the active profile ({1}): Plan and Apply leave it out.'),
        a[0],
        a[1],
      );
    case 'deletesUnlisted':
      return say(
        vscode.l10n.t('"deleteUnlisted": true deletes {0} types of the local list that this project does not list: {1}'),
        a[0],
        a[1],
      );
    case 'looksLikeCodeChange':
      return say(
        vscode.l10n.t('{0} would be added, while the local list has "{1}" as {2}. If this is a code change, list {2} in previousCodes.'),
        a[0],
        a[1],
        a[2],
      );
    default:
      // wrongType, unsupportedVersion, planProblem: the reader's and the planner's English, as Plan shows them.
      return plain(p.message);
  }
}

/**
 * "2 to add · 1 to rename · 1 to delete", or that nothing changes; with the project's declared choice lists (API v3)
 * their option changes too ("· 2 options to add"), or `fields` 'unreadable' when the profile cannot plan them.
 */
export function lensCounts(plan: Plan, fields?: FieldCounts | 'unreadable'): Safe {
  const c = countPlan(plan);
  const parts: Safe[] = [];
  if (c.create) parts.push(say(vscode.l10n.t('{0} to add'), String(c.create)));
  if (c.rename) parts.push(say(vscode.l10n.t('{0} to rename'), String(c.rename)));
  if (c.changeCode)
    parts.push(c.changeCode === 1 ? say(vscode.l10n.t('1 code change')) : say(vscode.l10n.t('{0} code changes'), String(c.changeCode)));
  if (c.delete) parts.push(say(vscode.l10n.t('{0} to delete'), String(c.delete)));
  const f = fields && fields !== 'unreadable' ? fieldLensParts(fields) : { changes: [], notes: [] };
  parts.push(...f.changes);
  if (c.problems) parts.push(say(vscode.l10n.t('{0} left out (see Problems)'), String(c.problems)));
  if (fields === 'unreadable') f.notes.push(fieldsNotReadable());
  const unchanged = c.unchanged + (fields && fields !== 'unreadable' ? fields.unchanged : 0);
  if (parts.length === 0) parts.push(say(vscode.l10n.t('Up to date ({0} unchanged)'), String(unchanged)));
  return joinSafe([...parts, ...f.notes], ' · ');
}

export const lensTexts = {
  blocked: () => say(vscode.l10n.t('Plan refuses this file until its errors are fixed (see Problems)')),
  otherAccount: (vbotId: string) => sayLabel(vscode.l10n.t('Account {0}: switch to its profile to plan it'), vbotId),
  notRead: () => say(vscode.l10n.t('Fix this project to plan it')),
  plan: () => vscode.l10n.t('Plan'),
  apply: () => vscode.l10n.t('Apply…'),
};

/** The hover of a type code: its name in the local list and its last change in the history. */
export function hoverText(typeNo: string, cachedName: string | undefined, last: JournalEntry | undefined): string {
  const lines = [
    cachedName === undefined
      ? sayMarkdown(vscode.l10n.t('**{0}** is not in the local list of this project.'), typeNo)
      : sayMarkdown(vscode.l10n.t('**{0}** in the local list: "{1}"'), typeNo, cachedName),
  ];
  lines.push(
    last
      ? sayMarkdown(vscode.l10n.t('Last change: {0}, {1} ({2})'), entryTime(last), describeEntry(last), outcomeText(last))
      : sayMarkdown(vscode.l10n.t('No change of {0} in the history.'), typeNo),
  );
  return lines.join('\n\n');
}

export const actionTitles = {
  addPreviousCode: (code: string) => say(vscode.l10n.t('This is a code change: add {0} to previousCodes'), code),
  removeDuplicate: () => say(vscode.l10n.t('Remove this duplicate')),
  addMissing: (n: number) =>
    n === 1
      ? vscode.l10n.t('Add the type of the local list missing from this project')
      : say(vscode.l10n.t('Add the {0} types of the local list missing from this project'), String(n)),
  revealInView: () => say(vscode.l10n.t('Reveal in the VBot CRM view')),
};
