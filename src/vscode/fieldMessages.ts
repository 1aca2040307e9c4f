// Failure texts of the customer-field calls (API v3): what failed, and the reasons that differ from a type's
// (a field or option unknown, an option code taken). Only the lazily loaded fields code needs them, so they
// stay out of the main bundle.
import * as vscode from 'vscode';
import type { VbotError, VbotOperation } from '../core/vbotError';
import { describeFailure, why } from './messages';
import { type Safe, say } from './say';

function whatFailed(e: VbotError): Safe | undefined {
  const code = e.typeNo ?? '';
  const table: Partial<Record<VbotOperation, () => Safe>> = {
    readFields: () => say(vscode.l10n.t('Could not read the customer fields from VBot.')),
    readOptions: () => say(vscode.l10n.t('Could not read the options of customer field "{0}".'), code),
    readOption: () => say(vscode.l10n.t('Could not read option "{0}" back from VBot.'), code),
    checkOptionCode: () => say(vscode.l10n.t('Could not read option "{0}" back from VBot.'), code),
    createOption: () => say(vscode.l10n.t('Could not add option "{0}".'), code),
    updateOption: () => say(vscode.l10n.t('Could not edit option "{0}".'), code),
    changeOptionCode: () => say(vscode.l10n.t('Could not change the code of option "{0}".'), code),
    deleteOption: () => say(vscode.l10n.t('Could not delete option "{0}".'), code),
    countCustomers: () => say(vscode.l10n.t('Could not count the customers with option "{0}".'), code),
  };
  return table[e.operation]?.();
}

function reason(e: VbotError): Safe {
  if (e.kind === 'notFound')
    return say(vscode.l10n.t('The server does not know this customer field or option (it may have been deleted elsewhere).'));
  if (e.kind === 'alreadyExists') return say(vscode.l10n.t('An option with this code already exists in this field on the server.'));
  return why(e);
}

/** describeFailure for a customer-field call. */
export function describeFieldFailure(e: VbotError): Safe {
  return describeFailure(e, whatFailed(e), reason(e));
}
