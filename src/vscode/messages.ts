// Plain-words, localized text for every failure the core can report.
import * as vscode from 'vscode';
import type { ValidationResult } from '../core/validation';
import type { VbotError, VbotErrorKind, VbotOperation } from '../core/vbotError';

const t = vscode.l10n.t;

function whatFailed(e: VbotError): string {
  const code = e.typeNo ?? '';
  const table: Record<VbotOperation, () => string> = {
    signIn: () => t('Could not sign in to VBot.'),
    refresh: () => t('Could not renew the VBot session.'),
    createType: () => t('Could not add customer type "{0}".', code),
    updateTypeName: () => t('Could not rename customer type "{0}".', code),
    deleteType: () => t('Could not delete customer type "{0}".', code),
    changeTypeCode: () => t('Could not change the code of customer type "{0}".', code),
  };
  return table[e.operation]();
}

function why(e: VbotError): string {
  const reasons: Record<VbotErrorKind, () => string> = {
    invalidInput: () => t('A value is not valid, so nothing was sent.'),
    invalidParams: () => t('The server rejected the values as invalid parameters.'),
    unauthorized: () => t('Your VBot session has expired or the token is not valid. Please sign in again.'),
    authFailed: () => t('The username or password is not correct.'),
    forbidden: () => t('Your account is not allowed to do this.'),
    notFound: () => t('The server does not know this customer type (it may have been deleted elsewhere).'),
    alreadyExists: () => t('A customer type with this code already exists on the server.'),
    serverError: () => t('The VBot server had an internal error. Try again later.'),
    apiError: () => t('The server refused the request (error {0}).', String(e.serverCode ?? '?')),
    httpError: () => t('The server answered with an error page (HTTP {0}).', String(e.httpStatus ?? '?')),
    badResponse: () => t('The server answered with something that is not a valid VBot response.'),
    network: () => t('The VBot server could not be reached. Check your connection and the base URL.'),
    timeout: () => t('The VBot server did not answer in time.'),
    cancelled: () => t('The request was cancelled.'),
    badUrl: () => t('The VBot base URL setting is not valid or not secure (https is required except for localhost).'),
    signedOut: () => t('You are not signed in to VBot.'),
  };
  return reasons[e.kind]();
}

/** One sentence for what failed, one for why, the server's own words, and whether the change may have happened. */
export function describeFailure(e: VbotError): string {
  const parts = [whatFailed(e), why(e)];
  if (e.serverMessage) parts.push(t('Server message: {0}', e.serverMessage));
  if (e.outcomeUnknown) {
    parts.push(t('The change may have been applied on the server. Run the same action again: the extension will detect whether it already happened.'));
  }
  return parts.join(' ');
}

export function describeInvalid(r: ValidationResult, field: string): string | undefined {
  if (r.ok) return undefined;
  switch (r.code) {
    case 'empty': return t('{0} cannot be empty.', field);
    case 'tooLong': return t('{0} can be at most {1} characters long.', field, String(r.max ?? ''));
    case 'controlChar': return t('{0} cannot contain control or invisible direction characters.', field);
    case 'notString': return t('{0} must be text.', field);
  }
}

export const fieldNames = {
  typeNo: () => t('The type code'),
  typeName: () => t('The type name'),
  projectCode: () => t('The project code'),
  vbotId: () => t('The VBotID'),
};
