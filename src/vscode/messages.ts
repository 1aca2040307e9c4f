// Plain-words, localized text for every failure the core can report.
import * as vscode from 'vscode';
import type { ValidationResult } from '../core/validation';
import type { VbotError, VbotErrorKind, VbotOperation } from '../core/vbotError';

function whatFailed(e: VbotError): string {
  const code = e.typeNo ?? '';
  const table: Record<VbotOperation, () => string> = {
    signIn: () => vscode.l10n.t('Could not sign in to VBot.'),
    refresh: () => vscode.l10n.t('Could not renew the VBot session.'),
    createType: () => vscode.l10n.t('Could not add customer type "{0}".', code),
    updateTypeName: () => vscode.l10n.t('Could not rename customer type "{0}".', code),
    deleteType: () => vscode.l10n.t('Could not delete customer type "{0}".', code),
    changeTypeCode: () => vscode.l10n.t('Could not change the code of customer type "{0}".', code),
  };
  return table[e.operation]();
}

function why(e: VbotError): string {
  const reasons: Record<VbotErrorKind, () => string> = {
    invalidInput: () => vscode.l10n.t('A value is not valid, so nothing was sent.'),
    invalidParams: () => vscode.l10n.t('The server rejected the values as invalid parameters.'),
    unauthorized: () => vscode.l10n.t('Your VBot session has expired or the token is not valid. Please sign in again.'),
    authFailed: () => vscode.l10n.t('The username or password is not correct.'),
    forbidden: () => vscode.l10n.t('Your account is not allowed to do this.'),
    notFound: () => vscode.l10n.t('The server does not know this customer type (it may have been deleted elsewhere).'),
    alreadyExists: () => vscode.l10n.t('A customer type with this code already exists on the server.'),
    serverError: () => vscode.l10n.t('The VBot server had an internal error. Try again later.'),
    apiError: () => vscode.l10n.t('The server refused the request (error {0}).', String(e.serverCode ?? '?')),
    httpError: () => vscode.l10n.t('The server answered with an error page (HTTP {0}).', String(e.httpStatus ?? '?')),
    badResponse: () => vscode.l10n.t('The server answered with something that is not a valid VBot response.'),
    network: () => vscode.l10n.t('The VBot server could not be reached. Check your connection and the base URL.'),
    timeout: () => vscode.l10n.t('The VBot server did not answer in time.'),
    cancelled: () => vscode.l10n.t('The request was cancelled.'),
    badUrl: () => vscode.l10n.t('The VBot base URL setting is not valid or not secure (https is required except for localhost).'),
    signedOut: () => vscode.l10n.t('You are not signed in to VBot.'),
  };
  return reasons[e.kind]();
}

/** One sentence for what failed, one for why, the server's own words, and whether the change may have happened. */
export function describeFailure(e: VbotError): string {
  const parts = [whatFailed(e), why(e)];
  if (e.serverMessage) parts.push(vscode.l10n.t('Server message: {0}', e.serverMessage));
  if (e.outcomeUnknown) {
    parts.push(vscode.l10n.t('The change may have been applied on the server. Run the same action again: the extension will detect whether it already happened.'));
  }
  return parts.join(' ');
}

export function describeInvalid(r: ValidationResult, field: string): string | undefined {
  if (r.ok) return undefined;
  switch (r.code) {
    case 'empty': return vscode.l10n.t('{0} cannot be empty.', field);
    case 'tooLong': return vscode.l10n.t('{0} can be at most {1} characters long.', field, String(r.max ?? ''));
    case 'controlChar': return vscode.l10n.t('{0} cannot contain control or invisible direction characters.', field);
    case 'notString': return vscode.l10n.t('{0} must be text.', field);
  }
}

export const fieldNames = {
  typeNo: () => vscode.l10n.t('The type code'),
  typeName: () => vscode.l10n.t('The type name'),
  projectCode: () => vscode.l10n.t('The project code'),
  vbotId: () => vscode.l10n.t('The VBotID'),
};

/** "1 customer type" / "5 customer types": English needs the singular, Vietnamese does not mind. */
export function countTypes(n: number): string {
  return n === 1 ? vscode.l10n.t('1 customer type') : vscode.l10n.t('{0} customer types', String(n));
}
