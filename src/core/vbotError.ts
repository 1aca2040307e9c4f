// Typed failures of the VBot API client. The UI maps `kind` to a localized message and
// an action; `message` is plain English for the log. Neither ever holds a secret.

export type VbotOperation =
  | 'signIn'
  | 'refresh'
  | 'createType'
  | 'updateTypeName'
  | 'deleteType'
  | 'changeTypeCode'
  // API v3 customer fields and their options (src/core/fields/)
  | 'readFields'
  | 'readOptions'
  | 'readOption'
  | 'checkOptionCode'
  | 'createOption'
  | 'updateOption'
  | 'changeOptionCode'
  | 'deleteOption'
  | 'countCustomers';

export type VbotErrorKind =
  | 'invalidInput' // refused before sending: the value breaks our validation rules
  | 'invalidParams' // envelope error -1
  | 'unauthorized' // HTTP 401 or envelope 401: token missing, wrong or expired
  | 'authFailed' // sign-in refused: wrong username or password
  | 'forbidden' // envelope 403
  | 'notFound' // envelope 404
  | 'alreadyExists' // envelope 409
  | 'serverError' // envelope 500
  | 'apiError' // any other envelope error code
  | 'httpError' // an HTTP error status without a VBot envelope (proxy pages and the like)
  | 'badResponse' // not the JSON we expect: HTML, garbage, empty, wrong shape, oversized
  | 'network' // no connection, reset, DNS
  | 'timeout'
  | 'cancelled'
  | 'badUrl' // the configured base URL is unusable or unsafe
  | 'signedOut' // no token to call with
  | 'profileChanged'; // the profile the command started in was removed or edited while it ran: nothing more is sent

export interface VbotErrorDetails {
  kind: VbotErrorKind;
  operation: VbotOperation;
  typeNo?: string;
  serverCode?: number;
  serverMessage?: string;
  httpStatus?: number;
  /** True when the request may have reached the server and been applied, but no trustworthy answer came back. */
  outcomeUnknown?: boolean;
  detail?: string;
}

// The customer-field calls are named by their operation id (`readOptions "level" failed: …`): their texts would
// only add to the main bundle, which carries this module.
const OPERATION_TEXT: Partial<Record<VbotOperation, string>> = {
  signIn: 'Sign-in',
  refresh: 'Token refresh',
  createType: 'Creating customer type',
  updateTypeName: 'Renaming customer type',
  deleteType: 'Deleting customer type',
  changeTypeCode: 'Changing the code of customer type',
};

const VBOT_ERROR = Symbol.for('vbotCrm.VbotError');

export class VbotError extends Error {
  /**
   * `instanceof` holds for a VbotError made by another copy of this class: the command groups loaded on
   * first use (dist/lazy/) are bundled with their own copy, and the errors they see come from the main one.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [VBOT_ERROR]?: unknown })[VBOT_ERROR] === true;
  }

  readonly [VBOT_ERROR] = true;
  readonly kind: VbotErrorKind;
  readonly operation: VbotOperation;
  readonly typeNo?: string;
  readonly serverCode?: number;
  readonly serverMessage?: string;
  readonly httpStatus?: number;
  readonly outcomeUnknown: boolean;
  readonly detail?: string;

  constructor(d: VbotErrorDetails) {
    super(describe(d));
    this.name = 'VbotError';
    this.kind = d.kind;
    this.operation = d.operation;
    this.typeNo = d.typeNo;
    this.serverCode = d.serverCode;
    this.serverMessage = d.serverMessage;
    this.httpStatus = d.httpStatus;
    this.outcomeUnknown = d.outcomeUnknown ?? false;
    this.detail = d.detail;
  }
}

function describe(d: VbotErrorDetails): string {
  const what = (OPERATION_TEXT[d.operation] ?? d.operation) + (d.typeNo !== undefined ? ` ${quote(d.typeNo, 60)}` : '');
  const parts = [`${what} failed: ${d.kind}`];
  if (d.serverCode !== undefined) parts.push(`server error ${d.serverCode}`);
  if (d.httpStatus !== undefined) parts.push(`HTTP ${d.httpStatus}`);
  if (d.serverMessage) parts.push(quote(d.serverMessage, 500));
  if (d.detail) parts.push(d.detail);
  if (d.outcomeUnknown) parts.push('the server may have applied the change');
  return parts.join(', ');
}

/**
 * A value as it goes into a message: quoted, capped, control and bidi characters escaped, so a code the
 * validation refused (a newline, an RLO, 10 000 characters) or a server message cannot forge or flood log lines.
 */
/** Text for a value that is not a string, even one whose toString is broken or missing. */
function describeNonString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function quote(value: unknown, max: number): string {
  // Callers outside the command layer may pass anything as a code: describe it, never throw.
  const text = typeof value === 'string' ? value : describeNonString(value);
  const chars = [...text];
  const shown = chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
  return JSON.stringify(shown).replace(
    /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function isVbotError(e: unknown): e is VbotError {
  return e instanceof VbotError;
}

/** The meaning of an envelope `error` code, per the API doc. */
export function kindForServerCode(code: number): VbotErrorKind {
  switch (code) {
    case -1:
      return 'invalidParams';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'alreadyExists';
    case 500:
      return 'serverError';
    default:
      return 'apiError';
  }
}

/** What a failure's notification offers, besides what the command adds: sign in again, open the settings, the log. */
export type FailureAction = 'signIn' | 'openSettings' | 'showLog';

/**
 * The actions that fit a failure, in the order shown (src/vscode/apiRunner.ts turns them into buttons): a refused
 * or missing sign-in offers Sign In, an unusable base URL or no connection offers the settings, every failure but
 * a cancel (which the user asked for) offers the log.
 */
export function failureActions(kind: VbotErrorKind): FailureAction[] {
  if (kind === 'cancelled') return [];
  const actions: FailureAction[] = [];
  if (kind === 'unauthorized' || kind === 'signedOut' || kind === 'authFailed') actions.push('signIn');
  if (kind === 'badUrl' || kind === 'network') actions.push('openSettings');
  actions.push('showLog');
  return actions;
}
