// The one HTTP client for the VBot Open API: /token and the four customer-type endpoints.
// Every answer is validated; every failure becomes a VbotError; no secret leaves in a log or error.
// Two generations: v2.0 (bearer token from /token, vbot_id + project_code in every body) and v3.0
// (an X-API-Key that identifies account and project, no /token, bodies without the project fields).
// The wire itself (timeout, cancellation, redirects, the size cap) is http.ts; this file holds the API's rules.
import type * as z from 'zod/mini';
import { normalizeBaseUrl } from './baseUrl';
import { type CallContext, HttpTransport, type RawAnswer, callFailure } from './http';
import { type Logger, scrubSecrets, silentLogger } from './logger';
import {
  type ApiVersion,
  ENDPOINTS,
  UPDATE_NO_FIELDS,
  type UpdateNoFields,
  changeTypeCodeBody,
  changeTypeCodeBodyFor,
  changeTypeCodeBodyV3,
  createTypeBody,
  createTypeBodyV3,
  deleteTypeBody,
  deleteTypeBodyV3,
  envelope,
  isSuccess,
  tokenAnswer,
  updateTypeBody,
  updateTypeBodyV3,
} from './schemas';
import type { AnswerRecord, CodeChange, ProjectRef, TokenSet, TypeInput, TypeKey, V3Call, VbotClientOptions } from './vbotClientTypes';
import { VbotError, type VbotErrorKind, type VbotOperation, kindForServerCode } from './vbotError';

export type { ApiVersion } from './schemas';
export type { AnswerRecord, CodeChange, ProjectRef, TokenSet, TypeInput, TypeKey, V3Call, VbotClientOptions } from './vbotClientTypes';

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

const BODY_SCHEMAS = {
  v2: { createType: createTypeBody, updateTypeName: updateTypeBody, deleteType: deleteTypeBody, changeTypeCode: changeTypeCodeBody },
  v3: {
    createType: createTypeBodyV3,
    updateTypeName: updateTypeBodyV3,
    deleteType: deleteTypeBodyV3,
    changeTypeCode: changeTypeCodeBodyV3,
  },
} as const;
const V3_NO_TOKEN_ENDPOINT = 'API v3 authenticates with an API key (X-API-Key); it has no token endpoint to sign in or refresh with';

export class VbotClient {
  readonly baseUrl: string;
  readonly origin: string;
  readonly apiVersion: ApiVersion;
  private readonly http: HttpTransport;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly updateNoFields: UpdateNoFields;
  private readonly onAnswer?: (answer: AnswerRecord) => void;

  constructor(options: VbotClientOptions) {
    const base = normalizeBaseUrl(options.baseUrl);
    if (!base.ok) throw new VbotError({ kind: 'badUrl', operation: 'signIn', detail: `base URL ${base.reason}` });
    this.baseUrl = base.url;
    this.origin = base.origin;
    this.log = options.logger ?? silentLogger;
    this.http = new HttpTransport({
      baseUrl: this.baseUrl,
      origin: this.origin,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      log: this.log,
    });
    this.now = options.now ?? Date.now;
    this.apiVersion = options.apiVersion ?? 'v2';
    this.updateNoFields = options.updateNoFields ?? UPDATE_NO_FIELDS;
    this.onAnswer = options.onAnswer;
  }

  signIn(username: string, password: string, signal?: AbortSignal): Promise<TokenSet> {
    if (this.apiVersion === 'v3')
      return Promise.reject(
        callFailure({ operation: 'signIn', secrets: [password], mutating: false }, 'invalidInput', { detail: V3_NO_TOKEN_ENDPOINT }),
      );
    const form = new URLSearchParams({ username, password, grant_type: 'password' });
    return this.token(form, { operation: 'signIn', secrets: [password], mutating: false, signal });
  }

  refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenSet> {
    if (this.apiVersion === 'v3')
      return Promise.reject(
        callFailure({ operation: 'refresh', secrets: [refreshToken], mutating: false }, 'invalidInput', { detail: V3_NO_TOKEN_ENDPOINT }),
      );
    const form = new URLSearchParams({ refresh_token: refreshToken, grant_type: 'refresh_token' });
    return this.token(form, { operation: 'refresh', secrets: [refreshToken], mutating: false, signal });
  }

  /** In v3 `accessToken` is the API key. */
  async createType(t: TypeInput, accessToken: string, signal?: AbortSignal): Promise<void> {
    const body = this.body(t, { type_name: t.typeName, type_no: t.typeNo });
    await this.crm(
      ENDPOINTS.createType,
      BODY_SCHEMAS[this.apiVersion].createType,
      body,
      accessToken,
      this.ctx('createType', t.typeNo, accessToken, signal),
    );
  }

  /** In v3 `accessToken` is the API key. */
  async updateTypeName(t: TypeInput, accessToken: string, signal?: AbortSignal): Promise<void> {
    const body = this.body(t, { type_name: t.typeName, type_no: t.typeNo });
    await this.crm(
      ENDPOINTS.updateTypeName,
      BODY_SCHEMAS[this.apiVersion].updateTypeName,
      body,
      accessToken,
      this.ctx('updateTypeName', t.typeNo, accessToken, signal),
    );
  }

  /** In v3 `accessToken` is the API key. */
  async deleteType(t: TypeKey, accessToken: string, signal?: AbortSignal): Promise<void> {
    const body = this.body(t, { type_no: t.typeNo });
    const ctx = this.ctx('deleteType', t.typeNo, accessToken, signal);
    const data = await this.crm(ENDPOINTS.deleteType, BODY_SCHEMAS[this.apiVersion].deleteType, body, accessToken, ctx);
    // The doc promises a Bool; an explicit false is a refusal even inside a success envelope.
    if (data === false) throw callFailure(ctx, 'apiError', { detail: 'the server answered data=false' });
  }

  /** In v3 `accessToken` is the API key. `fields`: the body's field names, when not the client's own. */
  async changeTypeCode(
    c: CodeChange,
    accessToken: string,
    signal?: AbortSignal,
    fields: UpdateNoFields = this.updateNoFields,
  ): Promise<void> {
    const body = this.body(c, { [fields.oldNo]: c.oldTypeNo, [fields.newNo]: c.newTypeNo });
    const schema =
      fields === UPDATE_NO_FIELDS ? BODY_SCHEMAS[this.apiVersion].changeTypeCode : changeTypeCodeBodyFor(fields, this.apiVersion === 'v3');
    await this.crm(ENDPOINTS.changeTypeCode, schema, body, accessToken, this.ctx('changeTypeCode', c.oldTypeNo, accessToken, signal));
  }

  /**
   * API v3 only: one call of the newer endpoints (customer fields and options, src/core/fields/): a GET with
   * a query or a POST with a JSON body, the API key as X-API-Key, answered in an envelope. Returns its `data`
   * (the caller checks the shape); every failure is a VbotError exactly as for the type calls.
   */
  v3Call(call: V3Call, apiKey: string, signal?: AbortSignal): Promise<unknown> {
    const ctx: CallContext = { operation: call.operation, typeNo: call.item, secrets: [apiKey], mutating: call.method === 'POST', signal };
    if (this.apiVersion !== 'v3') return Promise.reject(callFailure(ctx, 'invalidInput', { detail: 'customer fields are API v3 only' }));
    if (call.method === 'POST') return this.send(call.path, call.body ?? {}, apiKey, ctx);
    const query = Object.entries(call.query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
    const search = new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString();
    return this.send(call.path + (search ? `?${search}` : ''), Object.fromEntries(query), apiKey, ctx, 'GET');
  }

  /** v2 names the project in the body; in v3 the API key does, so only the type fields go. */
  private body(ref: ProjectRef, fields: Record<string, string>): Record<string, string> {
    return this.apiVersion === 'v3' ? fields : { vbot_id: ref.vbotId, project_code: ref.projectCode, ...fields };
  }

  private ctx(operation: VbotOperation, typeNo: string, accessToken: string, signal?: AbortSignal): CallContext {
    return { operation, typeNo, secrets: [accessToken], mutating: true, signal };
  }

  private async token(form: URLSearchParams, ctx: CallContext): Promise<TokenSet> {
    const started = this.now();
    const answer = await this.http.post(
      ENDPOINTS.token,
      {
        body: form.toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      },
      ctx,
    );
    const json = this.parseJson(answer, ctx);
    if (answer.status >= 200 && answer.status < 300) {
      const parsed = tokenAnswer.safeParse(json);
      if (parsed.success) {
        this.log.info(`POST ${ENDPOINTS.token} (${ctx.operation}) → ${answer.status} in ${this.now() - started} ms`);
        const t = parsed.data;
        return {
          accessToken: t.access_token,
          refreshToken: t.refresh_token,
          expiresAt: t.expires_in !== undefined ? this.now() + t.expires_in * 1000 : undefined,
        };
      }
    }
    this.log.warn(`POST ${ENDPOINTS.token} (${ctx.operation}) → HTTP ${answer.status} in ${this.now() - started} ms`);
    throw this.tokenFailure(answer, json, ctx);
  }

  private tokenFailure(answer: RawAnswer, json: unknown, ctx: CallContext): VbotError {
    const env = envelope.safeParse(json);
    const oauth = json as { error?: unknown; error_description?: unknown } | undefined;
    const serverMessage = env.success
      ? (env.data.message ?? undefined)
      : typeof oauth?.error_description === 'string'
        ? oauth.error_description
        : undefined;
    const refused = answer.status === 400 || answer.status === 401 || (env.success && (env.data.error === 401 || env.data.error === -1));
    if (refused) {
      const kind: VbotErrorKind = ctx.operation === 'signIn' ? 'authFailed' : 'unauthorized';
      return callFailure(ctx, kind, { httpStatus: answer.status, serverCode: env.success ? env.data.error : undefined, serverMessage });
    }
    if (env.success && answer.status >= 200 && answer.status < 300 && env.data.error !== 0) {
      return callFailure(ctx, kindForServerCode(env.data.error), { serverCode: env.data.error, serverMessage });
    }
    if (answer.status >= 200 && answer.status < 300) return callFailure(ctx, 'badResponse', { detail: 'not a token answer' });
    return callFailure(ctx, 'httpError', { httpStatus: answer.status, serverMessage });
  }

  private async crm(
    path: string,
    schema: z.ZodMiniType,
    body: Record<string, string>,
    accessToken: string,
    ctx: CallContext,
  ): Promise<unknown> {
    if (!schema.safeParse(body).success) {
      throw callFailure(ctx, 'invalidInput', { detail: 'a value breaks the validation rules' });
    }
    return this.send(path, body, accessToken, ctx);
  }

  /** One call with the credential; `fields`: the JSON body of a POST, the query of a GET (already in `path`). */
  private async send(
    path: string,
    fields: Record<string, unknown>,
    accessToken: string,
    ctx: CallContext,
    method?: 'GET',
  ): Promise<unknown> {
    if (!accessToken) throw callFailure(ctx, 'signedOut', {});
    const v3 = this.apiVersion === 'v3';
    // A header cannot carry spaces, controls or non-ASCII: such a token is wrong (a bad paste), and fetch would
    // throw before sending, a 'network' failure that would wrongly say it "may have applied the change".
    if (!/^[\x21-\x7E]+$/.test(accessToken)) {
      throw callFailure(ctx, 'unauthorized', { detail: `the ${v3 ? 'API key' : 'access token'} has characters a header cannot carry` });
    }
    const headers: Record<string, string> = method
      ? { Accept: 'application/json' }
      : { 'Content-Type': 'application/json', Accept: 'application/json' };
    // The credential header: Authorization in v2, X-API-Key in v3, never both. Either is only ever sent to
    // the configured origin (see HttpTransport.post).
    if (v3) headers['X-API-Key'] = accessToken;
    else headers.Authorization = `Bearer ${accessToken}`;
    const started = this.now();
    const answer = await this.http.post(path, method ? { method, headers } : { body: JSON.stringify(fields), headers }, ctx);
    const ms = this.now() - started;
    const elapsed = `${ms} ms`;
    this.observe(path, fields, answer, ms, ctx);
    const verb = method ?? 'POST';
    // An API-key gateway answers a wrong or revoked key with 401 or 403.
    if (answer.status === 401 || (v3 && answer.status === 403)) {
      this.log.warn(`${verb} ${path} (${ctx.typeNo}) → HTTP ${answer.status} in ${elapsed}`);
      throw callFailure(ctx, 'unauthorized', { httpStatus: answer.status, serverMessage: this.messageOf(answer) });
    }
    const json = this.parseJson(answer, ctx);
    const env = envelope.safeParse(json);
    if (!env.success) {
      this.log.warn(`${verb} ${path} (${ctx.typeNo}) → HTTP ${answer.status}, not a VBot envelope, in ${elapsed}`);
      if (answer.status >= 200 && answer.status < 300)
        throw callFailure(ctx, 'badResponse', { detail: 'not a VBot envelope', outcomeUnknown: ctx.mutating });
      throw callFailure(ctx, 'httpError', { httpStatus: answer.status, outcomeUnknown: ctx.mutating && answer.status >= 500 });
    }
    const e = env.data;
    this.log.info(
      `${verb} ${path} (${ctx.typeNo}) → HTTP ${answer.status} error=${e.error}${e.status !== undefined ? ` status=${e.status}` : ''} in ${elapsed}`,
    );
    if (isSuccess(e) && answer.status >= 200 && answer.status < 300) return e.data;
    const serverMessage = e.message ?? undefined;
    if (e.error === 0) {
      // status 0 with error 0, or an HTTP error around a success envelope: neither says what happened.
      throw callFailure(ctx, 'badResponse', {
        httpStatus: answer.status,
        serverMessage,
        detail: 'contradictory answer',
        outcomeUnknown: ctx.mutating,
      });
    }
    throw callFailure(ctx, kindForServerCode(e.error), {
      serverCode: e.error,
      serverMessage,
      httpStatus: answer.status >= 300 ? answer.status : undefined,
    });
  }

  private parseJson(answer: RawAnswer, ctx: CallContext): unknown {
    // Parsed first: a blank text never parses, so it is told apart only on the way out.
    try {
      return JSON.parse(answer.text);
    } catch {
      if (answer.text.trim() === '') {
        if (answer.status >= 200 && answer.status < 300)
          throw callFailure(ctx, 'badResponse', { httpStatus: answer.status, detail: 'empty answer', outcomeUnknown: ctx.mutating });
        return undefined;
      }
      if (answer.status >= 200 && answer.status < 300) {
        const what = /html/i.test(answer.contentType()) || /^\s*</.test(answer.text) ? 'an HTML page' : 'malformed JSON';
        throw callFailure(ctx, 'badResponse', { httpStatus: answer.status, detail: `answer is ${what}`, outcomeUnknown: ctx.mutating });
      }
      return undefined;
    }
  }

  /** Tells `onAnswer` the shape of what went and came back; an observer's own failure never fails the call. */
  private observe(path: string, body: Record<string, unknown>, answer: RawAnswer, ms: number, ctx: CallContext): void {
    if (!this.onAnswer) return;
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      json = undefined;
    }
    const env = envelope.safeParse(json);
    const message = env.success && env.data.message ? scrubSecrets(env.data.message, ctx.secrets).slice(0, 500) : undefined;
    try {
      this.onAnswer({
        path,
        requestFields: Object.keys(body),
        httpStatus: answer.status,
        ms,
        envelope: env.success ? (env.data.status !== undefined ? 'withStatus' : 'errorOnly') : undefined,
        error: env.success ? env.data.error : undefined,
        message,
      });
    } catch {
      // The report is a by-product: never let it change what the call does.
    }
  }

  private messageOf(answer: RawAnswer): string | undefined {
    try {
      const e = envelope.safeParse(JSON.parse(answer.text));
      return e.success ? (e.data.message ?? undefined) : undefined;
    } catch {
      return undefined;
    }
  }
}
