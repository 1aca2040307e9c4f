// What VbotClient is given and gives back: its options, the inputs of the four customer-type calls, the
// tokens of /token and the shape report of a CRM answer. vbotClient.ts re-exports them all, so importers
// name the client module only.
import type { Logger } from './logger';
import type { ApiVersion, UpdateNoFields } from './schemas';
import type { VbotOperation } from './vbotError';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds; absent when the server did not say. */
  expiresAt?: number;
}

export interface ProjectRef {
  vbotId: string;
  projectCode: string;
}
export interface TypeInput extends ProjectRef {
  typeNo: string;
  typeName: string;
}
export interface TypeKey extends ProjectRef {
  typeNo: string;
}
export interface CodeChange extends ProjectRef {
  oldTypeNo: string;
  newTypeNo: string;
}

export interface VbotClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  logger?: Logger;
  /** Answers larger than this are refused without being read whole. */
  maxResponseBytes?: number;
  now?: () => number;
  /**
   * 'v2' (default): `Authorization: Bearer <access token>`, vbot_id and project_code in every body.
   * 'v3': the `accessToken` argument of the CRM methods is the API key, sent as `X-API-Key` (never as
   * Authorization); bodies carry only the type fields (the vbotId / projectCode of the inputs are not
   * sent); there is no token endpoint, so signIn and refresh fail with 'invalidInput'.
   */
  apiVersion?: ApiVersion;
  /** The field names of the updateNo body (default UPDATE_NO_FIELDS; one a compatibility check found). */
  updateNoFields?: UpdateNoFields;
  /** Told about every answer of a CRM endpoint that came back (never values, never a secret). */
  onAnswer?: (answer: AnswerRecord) => void;
}

/** What a CRM call sent and got back, in shape only: for the compatibility check's report. */
export interface AnswerRecord {
  path: string;
  /** The names of the body's fields, never their values. */
  requestFields: string[];
  httpStatus: number;
  /** 'withStatus' when the envelope carries `status`, 'errorOnly' when not; undefined when it was not an envelope. */
  envelope?: 'withStatus' | 'errorOnly';
  error?: number;
  /** The server's message, secrets removed, cut to 500 characters. */
  message?: string;
  ms: number;
}

/** One call of the v3 endpoints beyond customer types (VbotClient.v3Call): a read by GET or a change by POST. */
export type V3Call = {
  operation: VbotOperation;
  /** What the call is about (a field or option code), for messages and logs. */
  item?: string;
  path: string;
} & ({ method: 'GET'; query?: Record<string, string | number | undefined> } | { method: 'POST'; body?: Record<string, unknown> });
