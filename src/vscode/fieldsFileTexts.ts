// The words about a project's "fields" in vbot-types.json (API v3): the CodeLens counts of its options, worded as
// the types' counts, the hover of an option code, and what an export says of the lists it wrote. Values from the
// file or the server are data: through say() (CodeLens titles, notifications) or sayMarkdown() (the hover, an
// untrusted MarkdownString); nothing here makes a link or a command.
import * as vscode from 'vscode';
import type { StoredList } from '../core/fields/fieldStore';
import type { FieldOption } from '../core/fields/model';
import { formatEntryTime } from '../core/journal/history';
import type { FieldCounts } from '../core/typesAsCode/fieldsInFile';
import { type FieldToWrite, staleRead } from '../core/typesAsCode/fieldsText';
import { joinSafe, type Safe, say, sayMarkdown } from './say';

const n = String;

/** The option changes of the CodeLens ("2 options to add · 1 option code change"), what is left out, and the drift. */
export function fieldLensParts(c: FieldCounts): { changes: Safe[]; notes: Safe[] } {
  const counted = (k: number, one: string, many: string) => (k === 1 ? say(one) : say(many, n(k)));
  const changes: Safe[] = [];
  if (c.create) changes.push(counted(c.create, vscode.l10n.t('1 option to add'), vscode.l10n.t('{0} options to add')));
  if (c.edit) changes.push(counted(c.edit, vscode.l10n.t('1 option to edit'), vscode.l10n.t('{0} options to edit')));
  if (c.changeCode) changes.push(counted(c.changeCode, vscode.l10n.t('1 option code change'), vscode.l10n.t('{0} option code changes')));
  if (c.delete) changes.push(counted(c.delete, vscode.l10n.t('1 option to delete'), vscode.l10n.t('{0} options to delete')));
  const notes: Safe[] = [];
  if (c.leftOut)
    notes.push(counted(c.leftOut, vscode.l10n.t('1 field left out (see Plan)'), vscode.l10n.t('{0} fields left out (see Plan)')));
  if (c.unread)
    notes.push(
      counted(
        c.unread,
        vscode.l10n.t('1 field not read yet (expand Customer fields)'),
        vscode.l10n.t('{0} fields not read yet (expand Customer fields)'),
      ),
    );
  if (c.notInFile)
    notes.push(
      counted(c.notInFile, vscode.l10n.t('1 option on VBot, not in the file'), vscode.l10n.t('{0} options on VBot, not in the file')),
    );
  return { changes, notes };
}

/** The CodeLens part for fields the active profile cannot read (Plan says why). */
export const fieldsNotReadable = () => say(vscode.l10n.t('fields not planned with this profile'));

const readAtText = (list: StoredList<FieldOption>) =>
  list.complete
    ? sayMarkdown(vscode.l10n.t('List read at {0}.'), formatEntryTime(list.readAt, vscode.env.language))
    : sayMarkdown(vscode.l10n.t('List read at {0} (only its first part).'), formatEntryTime(list.readAt, vscode.env.language));

/**
 * The hover of an option code: the stored list's name, colours and group for it, and when that list was read.
 * `facts` undefined: the list was never read (or the profile reads no fields).
 */
export function optionHoverText(
  fieldCode: string,
  code: string,
  facts: { list: StoredList<FieldOption>; option?: FieldOption; group?: FieldOption } | undefined,
  readable: boolean,
): string {
  if (!readable) return sayMarkdown(vscode.l10n.t('**{0}**: the choice lists of this project are read with its API v3 profile.'), code);
  if (!facts)
    return sayMarkdown(
      vscode.l10n.t('**{0}**: the list of field {1} has not been read yet; expand Customer fields in the VBot CRM view to read it.'),
      code,
      fieldCode,
    );
  const { list, option, group } = facts;
  if (!option)
    return [sayMarkdown(vscode.l10n.t('**{0}** is not in the list of field {1}.'), code, fieldCode), readAtText(list)].join('\n\n');
  const lines = [
    option.type === 'OPTGROUP'
      ? sayMarkdown(vscode.l10n.t('**{0}**, a group of field {1}: "{2}"'), code, fieldCode, option.name)
      : sayMarkdown(vscode.l10n.t('**{0}** in the list of field {1}: "{2}"'), code, fieldCode, option.name),
  ];
  if (option.color) lines.push(sayMarkdown(vscode.l10n.t('Colour {0}, text {1}'), option.color, option.textColor ?? '—'));
  else lines.push(sayMarkdown(vscode.l10n.t('No colour')));
  if (group) lines.push(sayMarkdown(vscode.l10n.t('In group {0} ("{1}")'), group.code, group.name));
  lines.push(readAtText(list));
  return lines.join('\n\n');
}

/** What an export adds when it wrote choice lists: how many, and when they were read if that is a while ago. */
export function exportedFieldsNote(fields: ReadonlyArray<FieldToWrite>, now = new Date()): Safe {
  const what =
    fields.length === 1
      ? say(vscode.l10n.t('It also holds the choice list of 1 customer field.'))
      : say(vscode.l10n.t('It also holds the choice lists of {0} customer fields.'), n(fields.length));
  const stale = staleRead(fields, now);
  if (!stale) return what;
  const when = say(
    vscode.l10n.t('They are as read at {0}: refresh Customer fields in the VBot CRM view to export the current lists.'),
    formatEntryTime(stale, vscode.env.language),
  );
  return joinSafe([what, when], ' ');
}
