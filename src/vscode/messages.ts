// Plain-words, localized text for every failure the core can report.
import * as vscode from 'vscode';
import { joinSafe, type Safe, say } from './say';
import { LocalSaveError } from '../core/atomicFile';
import { formatError } from '../core/json';
import { followsCodeRule, suggestCode, typeNamedAlike } from '../core/codeRules';
import { validateTypeNo, type ValidationResult } from '../core/validation';
import type { VbotError, VbotErrorKind, VbotOperation } from '../core/vbotError';

/** The calls about customer types; the customer-field calls (API v3) have their texts in fieldMessages.ts. */
type TypeOperation = Extract<VbotOperation, 'signIn' | 'refresh' | 'createType' | 'updateTypeName' | 'deleteType' | 'changeTypeCode'>;

function whatFailed(e: VbotError): Safe | undefined {
  const code = e.typeNo ?? '';
  const table: Record<TypeOperation, () => Safe> = {
    signIn: () => say(vscode.l10n.t('Could not sign in to VBot.')),
    refresh: () => say(vscode.l10n.t('Could not renew the VBot session.')),
    createType: () => say(vscode.l10n.t('Could not add customer type "{0}".'), code),
    updateTypeName: () => say(vscode.l10n.t('Could not rename customer type "{0}".'), code),
    deleteType: () => say(vscode.l10n.t('Could not delete customer type "{0}".'), code),
    changeTypeCode: () => say(vscode.l10n.t('Could not change the code of customer type "{0}".'), code),
  };
  return table[e.operation as TypeOperation]?.();
}

/** Why a call failed, in plain words. */
export function why(e: VbotError): Safe {
  const reasons: Record<VbotErrorKind, () => Safe> = {
    invalidInput: () => say(vscode.l10n.t('A value is not valid, so nothing was sent.')),
    invalidParams: () => say(vscode.l10n.t('The server rejected the values as invalid parameters.')),
    unauthorized: () => say(vscode.l10n.t('Your VBot session has expired or the token is not valid. Please sign in again.')),
    authFailed: () => say(vscode.l10n.t('The username or password is not correct.')),
    forbidden: () => say(vscode.l10n.t('Your account is not allowed to do this.')),
    notFound: () => say(vscode.l10n.t('The server does not know this customer type (it may have been deleted elsewhere).')),
    alreadyExists: () => say(vscode.l10n.t('A customer type with this code already exists on the server.')),
    serverError: () => say(vscode.l10n.t('The VBot server had an internal error. Try again later.')),
    apiError: () => say(vscode.l10n.t('The server refused the request (error {0}).'), String(e.serverCode ?? '?')),
    httpError: () => say(vscode.l10n.t('The server answered with an error page (HTTP {0}).'), String(e.httpStatus ?? '?')),
    badResponse: () => say(vscode.l10n.t('The server answered with something that is not a valid VBot response.')),
    network: () => say(vscode.l10n.t('The VBot server could not be reached. Check your connection and the base URL.')),
    timeout: () => say(vscode.l10n.t('The VBot server did not answer in time.')),
    cancelled: () => say(vscode.l10n.t('The request was cancelled.')),
    badUrl: () => say(vscode.l10n.t('The VBot base URL setting is not valid or not secure (https is required except for localhost).')),
    signedOut: () => say(vscode.l10n.t('You are not signed in to VBot.')),
    profileChanged: () =>
      say(vscode.l10n.t('The profile this command started in was removed or changed while it ran, so nothing more was sent to VBot.')),
  };
  return reasons[e.kind]();
}

/**
 * One sentence for what failed, one for why, the server's own words, and whether the change may have happened.
 * `what` and `reason`: a caller's own sentences (fieldMessages.ts for the customer-field calls).
 */
export function describeFailure(e: VbotError, what: Safe | undefined = whatFailed(e), reason: Safe = why(e)): Safe {
  const parts = what ? [what, reason] : [reason];
  if (e.serverMessage) parts.push(say(vscode.l10n.t('Server message: {0}'), e.serverMessage));
  if (e.outcomeUnknown) {
    parts.push(
      say(
        vscode.l10n.t(
          'The change may have been applied on the server. Trying it again is safe: the extension recognises a change that already happened.',
        ),
      ),
    );
  }
  return joinSafe(parts, ' ');
}

/**
 * The server made a change but the local list could not record it: what happened, why (a folder
 * that cannot be written, a full disk) and what to do. Running the change again is recognised as
 * already done on VBot, and the local list is brought up to date then.
 */
export function describeLocalSaveFailure(e: unknown): Safe {
  if (e instanceof LocalSaveError && e.reason === 'notWritable') {
    return say(
      vscode.l10n.t(
        'The change was made on VBot, but the local list could not be saved: the folder {0} is read-only or not writable ({1}). Fix its permissions, then run the same change again: the extension recognises a change VBot already has and updates the local list.',
      ),
      e.folder,
      e.code,
    );
  }
  if (e instanceof LocalSaveError && e.reason === 'diskFull') {
    return say(
      vscode.l10n.t(
        'The change was made on VBot, but the local list could not be saved: the disk is full ({0}). Free some disk space, then run the same change again: the extension recognises a change VBot already has and updates the local list.',
      ),
      e.code,
    );
  }
  // A LocalSaveError's own message already says "could not be saved": the file system's words suffice.
  const detail = formatError(e instanceof LocalSaveError && e.cause instanceof Error ? e.cause : e);
  return say(
    vscode.l10n.t(
      'The change was made on VBot, but the local list could not be saved: {0}. Once this is fixed, run the same change again: the extension recognises a change VBot already has and updates the local list.',
    ),
    detail,
  );
}

export function describeInvalid(r: ValidationResult, field: string): Safe | undefined {
  if (r.ok) return undefined;
  switch (r.code) {
    case 'empty':
      return say(vscode.l10n.t('{0} cannot be empty.'), field);
    case 'tooLong':
      return say(vscode.l10n.t('{0} can be at most {1} characters long.'), field, String(r.max ?? ''));
    case 'controlChar':
      return say(vscode.l10n.t('{0} cannot contain control or invisible direction characters.'), field);
    case 'notString':
      return say(vscode.l10n.t('{0} must be text.'), field);
  }
}

export const fieldNames = {
  typeNo: () => say(vscode.l10n.t('The type code')),
  typeName: () => say(vscode.l10n.t('The type name')),
  projectCode: () => say(vscode.l10n.t('The project code')),
  vbotId: () => say(vscode.l10n.t('The VBotID')),
};

/** "1 customer type" / "5 customer types": English needs the singular, Vietnamese does not mind. */
export function countTypes(n: number): Safe {
  return n === 1 ? say(vscode.l10n.t('1 customer type')) : say(vscode.l10n.t('{0} customer types'), String(n));
}

/** A warning for a valid code outside VBot's code rule, with a code that follows it; undefined otherwise. */
export function codeRuleWarning(code: string): Safe | undefined {
  if (!validateTypeNo(code).ok || followsCodeRule(code)) return undefined;
  const suggestion = suggestCode(code);
  return suggestion
    ? say(vscode.l10n.t('VBot codes use only letters, digits, "_" and "-", e.g. {0}. This code is still allowed.'), suggestion)
    : say(vscode.l10n.t('VBot codes use only letters, digits, "_" and "-". This code is still allowed.'));
}

/** A warning when another type of the project already has this name (allowed, but hard to tell apart). */
export function sameNameWarning(
  types: ReadonlyArray<{ typeNo: string; typeName: string }>,
  name: string,
  projectCode: string,
  exceptTypeNo?: string,
): Safe | undefined {
  const other = typeNamedAlike(types, name, exceptTypeNo);
  return other
    ? say(vscode.l10n.t('Customer type {0} of project {1} already has this name. The name is still allowed.'), other.typeNo, projectCode)
    : undefined;
}
