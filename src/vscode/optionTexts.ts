// What a change to an option of a customer field says while it runs and once done (changes.ts words a type's).
import * as vscode from 'vscode';
import { type OptionChange, optionCode } from '../core/change/optionChange';
import { type Safe, say } from './say';

/** `"Vàng" (VANG)`. */
export function optionLabel(o: { code: string; name: string }): string {
  return o.name ? `"${o.name}" (${o.code})` : `"${o.code}"`;
}

export function optionProgressTitle(change: OptionChange): Safe {
  const code = optionCode(change);
  switch (change.op) {
    case 'createOption':
      return say(vscode.l10n.t('Adding option "{0}"…'), code);
    case 'updateOption':
      return say(vscode.l10n.t('Saving option "{0}"…'), code);
    case 'changeOptionCode':
      return say(vscode.l10n.t('Changing option code "{0}" to "{1}"…'), code, change.after!.code);
    case 'deleteOption':
      return say(vscode.l10n.t('Deleting option "{0}"…'), code);
  }
}

export function optionSuccessText(change: OptionChange, recovered: boolean): Safe {
  const { before, after, fieldCode } = change;
  switch (change.op) {
    case 'createOption':
      return recovered
        ? say(vscode.l10n.t('Option {0} was already added by the earlier attempt; it is in field {1}.'), optionLabel(after!), fieldCode)
        : say(vscode.l10n.t('Option {0} added to field {1}.'), optionLabel(after!), fieldCode);
    case 'updateOption':
      return before!.number !== after!.number && before!.name === after!.name
        ? say(vscode.l10n.t('Option {0} moved (order {1}).'), optionLabel(after!), String(after!.number))
        : say(vscode.l10n.t('Option {0} saved.'), optionLabel(after!));
    case 'changeOptionCode':
      return say(vscode.l10n.t('Option "{0}" now has the code "{1}" (was "{2}").'), after!.name, after!.code, before!.code);
    case 'deleteOption':
      return say(vscode.l10n.t('Option {0} deleted from field {1}.'), optionLabel(before!), fieldCode);
  }
}
