// The words of the History view and of per-entry Undo: what an entry did, how it ended (every outcome and
// error code in the user's language, never `signedOut`), why it cannot be undone, when it happened (in VS
// Code's display language). Type names and codes are outside text: they only reach the UI through say().
import * as vscode from 'vscode';
import { type Safe, say, sayMarkdown } from './say';
import { describeFailure } from './messages';
import type { TypeChange } from '../core/change/typeChange';
import type { JournalEntry } from '../core/journal/entry';
import { formatEntryTime, type UndoRefusal } from '../core/journal/history';
import { VbotError, type VbotErrorKind, type VbotOperation } from '../core/vbotError';

/** Every error kind the runner may record as an entry's message (when the server gave no words of its own). */
const ERROR_KINDS: Record<VbotErrorKind, true> = {
  invalidInput: true,
  invalidParams: true,
  unauthorized: true,
  authFailed: true,
  forbidden: true,
  notFound: true,
  alreadyExists: true,
  serverError: true,
  apiError: true,
  httpError: true,
  badResponse: true,
  network: true,
  timeout: true,
  cancelled: true,
  badUrl: true,
  signedOut: true,
  profileChanged: true,
};
/** What the runner records for a change an earlier attempt had made (changeRunner.ts). */
const RECOVERED = 'made by an earlier attempt whose answer was lost';

const OPERATION: Record<JournalEntry['operation'], VbotOperation> = {
  create: 'createType',
  rename: 'updateTypeName',
  changeCode: 'changeTypeCode',
  delete: 'deleteType',
  createOption: 'createOption',
  updateOption: 'updateOption',
  changeOptionCode: 'changeOptionCode',
  deleteOption: 'deleteOption',
};

/** `"Khách hàng VIP" (VIP)`, or `"VIP"` when the name was not recorded (as the notifications say it). */
function typeLabel(state: { typeNo: string; typeName: string }): string {
  return state.typeName ? `"${state.typeName}" (${state.typeNo})` : `"${state.typeNo}"`;
}

/** What an entry did, in words: `Deleted "Khách VIP" (VIP)`, `Renamed VIP: "A" → "B"`. */
export function describeEntry(e: JournalEntry): Safe {
  switch (e.operation) {
    case 'create':
      return say(vscode.l10n.t('Created {0}'), typeLabel(e.after ?? { typeNo: e.typeNo, typeName: '' }));
    case 'rename':
      return e.before
        ? say(vscode.l10n.t('Renamed {0}: "{1}" → "{2}"'), e.typeNo, e.before.typeName, e.after?.typeName ?? '')
        : say(vscode.l10n.t('Renamed {0} to "{1}"'), e.typeNo, e.after?.typeName ?? '');
    case 'changeCode':
      return say(vscode.l10n.t('Changed code {0} → {1}'), e.before?.typeNo ?? e.typeNo, e.after?.typeNo ?? '?');
    case 'delete':
      return say(vscode.l10n.t('Deleted {0}'), typeLabel(e.before ?? { typeNo: e.typeNo, typeName: '' }));
    case 'createOption':
      return say(vscode.l10n.t('Added option {0} to field {1}'), typeLabel(e.after ?? { typeNo: e.typeNo, typeName: '' }), e.field ?? '');
    case 'updateOption':
      return say(vscode.l10n.t('Edited option {0} of field {1}'), typeLabel(e.after ?? { typeNo: e.typeNo, typeName: '' }), e.field ?? '');
    case 'changeOptionCode':
      return say(vscode.l10n.t('Changed option code {0} → {1} in field {2}'), e.typeNo, e.after?.typeNo ?? '?', e.field ?? '');
    case 'deleteOption':
      return say(
        vscode.l10n.t('Deleted option {0} of field {1}'),
        typeLabel(e.before ?? { typeNo: e.typeNo, typeName: '' }),
        e.field ?? '',
      );
  }
}

/** The outcome in a word or two: done, failed, may have been applied. */
export function outcomeText(e: JournalEntry): Safe {
  switch (e.outcome) {
    case 'done':
      return say(vscode.l10n.t('done'));
    case 'failed':
      return say(vscode.l10n.t('failed'));
    case 'unknown':
      return say(vscode.l10n.t('may have been applied'));
  }
}

/**
 * Why a change failed or what is known of its outcome, in sentences: the runner records the error's kind
 * (translated here) or the server's own words (shown as they are, as a server message).
 */
export function outcomeDetail(e: JournalEntry): Safe | undefined {
  const message = e.message;
  if (e.outcome === 'done')
    return message === RECOVERED ? say(vscode.l10n.t('Made by an earlier attempt whose answer was lost.')) : undefined;
  if (message !== undefined && Object.prototype.hasOwnProperty.call(ERROR_KINDS, message)) {
    const kind = message as VbotErrorKind;
    return describeFailure(
      new VbotError({ kind, operation: OPERATION[e.operation], typeNo: e.typeNo, outcomeUnknown: e.outcome === 'unknown' }),
    );
  }
  if (message === undefined) {
    return e.outcome === 'unknown'
      ? say(vscode.l10n.t('It is not known whether the server made this change.'))
      : say(vscode.l10n.t('The server refused this change.'));
  }
  // The server's words: what failed, then its message (no guessed reason).
  return e.outcome === 'unknown'
    ? say(vscode.l10n.t('It is not known whether the server made this change. Server message: {0}'), message)
    : say(vscode.l10n.t('The server refused this change. Server message: {0}'), message);
}

/** When, in VS Code's display language. */
export function entryTime(e: JournalEntry): string {
  return formatEntryTime(e.at, vscode.env.language);
}

/** Why this entry cannot be undone, in a sentence. */
export function refusalText(reason: UndoRefusal, later?: JournalEntry): Safe {
  const texts: Record<UndoRefusal, () => Safe> = {
    failed: () => say(vscode.l10n.t('The change failed, so there is nothing to undo.')),
    outcomeUnknown: () =>
      say(vscode.l10n.t("It is not known whether the change was made (the server's answer was lost), so it is not undone blindly.")),
    alreadyUndone: () => say(vscode.l10n.t('This change was already undone ({0}).'), later ? entryTime(later) : '?'),
    changedSince: () =>
      later
        ? say(vscode.l10n.t('The type was changed after this: {0} ({1}). Undo that change first.'), describeEntry(later), entryTime(later))
        : say(vscode.l10n.t('The type was changed after this. Undo the later change first.')),
    listDiffers: () =>
      say(vscode.l10n.t('The local list shows this type otherwise than this change left it, so it may have been changed elsewhere.')),
    nameUnknown: () => say(vscode.l10n.t("The deleted type's name was not recorded, so it cannot be created again.")),
    earlierNameUnknown: () => say(vscode.l10n.t("The type's earlier name was not recorded, so it cannot be restored.")),
    codesUnknown: () => say(vscode.l10n.t("The type's codes before and after the change were not both recorded.")),
    nothingChanged: () => say(vscode.l10n.t('Nothing changed, so there is nothing to undo.')),
    invalid: () => say(vscode.l10n.t('The values recorded for this change are not valid, so it cannot be undone.')),
    optionChange: () => say(vscode.l10n.t("Changes to a customer field's options cannot be undone from the history.")),
  };
  return texts[reason]();
}

/** What the undo will do: `create VIP "Khách VIP" again`. */
export function describeUndo(c: TypeChange): Safe {
  switch (c.op) {
    case 'create':
      return say(vscode.l10n.t('create {0} "{1}" again'), c.after!.typeNo, c.after!.typeName);
    case 'delete':
      return say(vscode.l10n.t('delete {0}'), c.before!.typeNo);
    case 'rename':
      return say(vscode.l10n.t('rename {0} back to "{1}"'), c.after!.typeNo, c.after!.typeName);
    case 'changeCode':
      return say(vscode.l10n.t('change code {0} back to {1}'), c.before!.typeNo, c.after!.typeNo);
  }
}

/** The tooltip of an entry: Markdown we build, every value escaped (sayMarkdown), never trusted. */
export function entryTooltip(
  e: JournalEntry,
  undo: { ok: true; change: TypeChange } | { ok: false; reason: UndoRefusal; later?: JournalEntry },
) {
  const lines = [
    `**${sayMarkdown('{0}', describeEntry(e))}**`,
    sayMarkdown(vscode.l10n.t('Project {0} (VBotID {1}), profile {2}'), e.projectCode, e.vbotId, e.profile),
    sayMarkdown(vscode.l10n.t('Time: {0}'), entryTime(e)),
    sayMarkdown(vscode.l10n.t('Outcome: {0}'), outcomeText(e)),
  ];
  const detail = outcomeDetail(e);
  if (detail) lines.push(sayMarkdown('{0}', detail));
  if (e.undoOf) lines.push(sayMarkdown(vscode.l10n.t('This change undid an earlier one.')));
  lines.push(
    undo.ok
      ? sayMarkdown(vscode.l10n.t('Undo: {0}'), describeUndo(undo.change))
      : sayMarkdown(vscode.l10n.t('Cannot be undone: {0}'), refusalText(undo.reason, undo.later)),
  );
  return lines.join('\n\n');
}
