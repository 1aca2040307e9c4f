// The one HTTP client for the VBot Open API: /token and the four customer-type endpoints.
// Every answer is validated; every failure becomes a VbotError; no secret leaves in a log or error.
// Two generations: v2.0 (bearer token from /token, vbot_id + project_code in every body) and v3.0
// (an X-API-Key that identifies account and project, no /token, bodies without the project fields).
import type { Readable } from 'node:stream';
import type { Response } from 'node-fetch';
import type * as z from 'zod/mini';
import { normalizeBaseUrl } from './baseUrl';
import { type Logger, scrubSecrets, silentLogger } from './logger';
import {
  type ApiVersion, ENDPOINTS, UPDATE_NO_FIELDS, type UpdateNoFields, changeTypeCodeBody, changeTypeCodeBodyFor, changeTypeCodeBodyV3,
  createTypeBody, createTypeBodyV3, deleteTypeBody, deleteTypeBodyV3, envelope, isSuccess, tokenAnswer, updateTypeBody, updateTypeBodyV3,
} from './schemas';
import { VbotError, type VbotErrorKind, type VbotOperation, kindForServerCode } from './vbotError';

// node-fetch (and the Node modules it pulls in) is loaded with the first request, not while the
// extension starts: a session that only browses the tree never needs it.
let nodeFetch: typeof import('node-fetch') | undefined;
async function loadNodeFetch(): Promise<typeof import('node-fetch')> {
  nodeFetch ??= await import('node-fetch');
  return nodeFetch;
}

export type { ApiVersion } from './schemas';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds; absent when the server did not say. */
  expiresAt?: number;
}

export interface ProjectRef { vbotId: string; projectCode: string }
export interface TypeInput extends ProjectRef { typeNo: string; typeName: string }
export interface TypeKey extends ProjectRef { typeNo: string }
export interface CodeChange extends ProjectRef { oldTypeNo: string; newTypeNo: string }

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

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 3;
// Connection errors that prove the request never reached a server.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

const BODY_SCHEMAS = {
  v2: { createType: createTypeBody, updateTypeName: updateTypeBody, deleteType: deleteTypeBody, changeTypeCode: changeTypeCodeBody },
  v3: { createType: createTypeBodyV3, updateTypeName: updateTypeBodyV3, deleteType: deleteTypeBodyV3, changeTypeCode: changeTypeCodeBodyV3 },
} as const;
const V3_NO_TOKEN_ENDPOINT = 'API v3 authenticates with an API key (X-API-Key); it has no token endpoint to sign in or refresh with';

interface CallContext {
  operation: VbotOperation;
  typeNo?: string;
  secrets: Array<string | undefined>;
  /** Whether a lost answer may hide an applied change. */
  mutating: boolean;
  signal?: AbortSignal;
}

interface RawAnswer { status: number; contentType: string; text: string }

export class VbotClient {
  readonly baseUrl: string;
  readonly origin: string;
  readonly apiVersion: ApiVersion;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly updateNoFields: UpdateNoFields;
  private readonly onAnswer?: (answer: AnswerRecord) => void;

  constructor(options: VbotClientOptions) {
    const base = normalizeBaseUrl(options.baseUrl);
    if (!base.ok) throw new VbotError({ kind: 'badUrl', operation: 'signIn', detail: `base URL ${base.reason}` });
    this.baseUrl = base.url;
    this.origin = base.origin;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.log = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.apiVersion = options.apiVersion ?? 'v2';
    this.updateNoFields = options.updateNoFields ?? UPDATE_NO_FIELDS;
    this.onAnswer = options.onAnswer;
  }

  signIn(username: string, password: string, signal?: AbortSignal): Promise<TokenSet> {
    if (this.apiVersion === 'v3') return Promise.reject(this.fail({ operation: 'signIn', secrets: [password], mutating: false }, 'invalidInput', { detail: V3_NO_TOKEN_ENDPOINT }));
    const form = new URLSearchParams({ username, password, grant_type: 'password' });
    return this.token(form, { operation: 'signIn', secrets: [password], mutating: false, signal });
  }

  refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenSet> {
    if (this.apiVersion === 'v3') return Promise.reject(this.fail({ operation: 'refresh', secrets: [refreshToken], mutating: false }, 'invalidInput', { detail: V3_NO_TOKEN_ENDPOINT }));
    const form = new URLSearchParams({ refresh_token: refreshToken, grant_type: 'refresh_token' });
    return this.token(form, { operation: 'refresh', secrets: [refreshToken], mutating: false, signal });
  }

  /** In v3 `accessToken` is the API key. */
  async createType(t: TypeInput, accessToken: string, signal?: AbortSignal): Promise<void> {
    const body = this.body(t, { type_name: t.typeName, type_no: t.typeNo });
    await this.crm(ENDPOINTS.createType, BODY_SCHEMAS[this.apiVersion].createType, body, accessToken, this.ctx('createType', t.typeNo, accessToken, signal));
  }

  /** In v3 `accessToken` is the API key. */
  async updateTypeName(t: TypeInput, accessToken: string, signal?: AbortSignal): Promise<void> {
    const body = this.body(t, { type_name: t.typeName, type_no: t.typeNo });
    await this.crm(ENDPOINTS.updateTypeName, BODY_SCHEMAS[this.apiVersion].updateTypeName, body, accessToken, this.ctx('updateTypeName', t.typeNo, accessToken, signal));
  }

  /** In v3 `accessToken` is the API key. */
  async deleteType(t: TypeKey, accessToken: string, signal?: AbortSignal): Promise<void> {
    const body = this.body(t, { type_no: t.typeNo });
    const ctx = this.ctx('deleteType', t.typeNo, accessToken, signal);
    const data = await this.crm(ENDPOINTS.deleteType, BODY_SCHEMAS[this.apiVersion].deleteType, body, accessToken, ctx);
    // The doc promises a Bool; an explicit false is a refusal even inside a success envelope.
    if (data === false) throw this.fail(ctx, 'apiError', { detail: 'the server answered data=false' });
  }

  /** In v3 `accessToken` is the API key. `fields`: the body's field names, when not the client's own. */
  async changeTypeCode(c: CodeChange, accessToken: string, signal?: AbortSignal, fields: UpdateNoFields = this.updateNoFields): Promise<void> {
    const body = this.body(c, { [fields.oldNo]: c.oldTypeNo, [fields.newNo]: c.newTypeNo });
    const schema = fields === UPDATE_NO_FIELDS ? BODY_SCHEMAS[this.apiVersion].changeTypeCode : changeTypeCodeBodyFor(fields, this.apiVersion === 'v3');
    await this.crm(ENDPOINTS.changeTypeCode, schema, body, accessToken, this.ctx('changeTypeCode', c.oldTypeNo, accessToken, signal));
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
    const answer = await this.send(ENDPOINTS.token, {
      body: form.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    }, ctx);
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
    const serverMessage = env.success ? env.data.message ?? undefined
      : typeof oauth?.error_description === 'string' ? oauth.error_description : undefined;
    const refused = answer.status === 400 || answer.status === 401 || (env.success && (env.data.error === 401 || env.data.error === -1));
    if (refused) {
      const kind: VbotErrorKind = ctx.operation === 'signIn' ? 'authFailed' : 'unauthorized';
      return this.fail(ctx, kind, { httpStatus: answer.status, serverCode: env.success ? env.data.error : undefined, serverMessage });
    }
    if (env.success && answer.status >= 200 && answer.status < 300 && env.data.error !== 0) {
      return this.fail(ctx, kindForServerCode(env.data.error), { serverCode: env.data.error, serverMessage });
    }
    if (answer.status >= 200 && answer.status < 300) return this.fail(ctx, 'badResponse', { detail: 'not a token answer' });
    return this.fail(ctx, 'httpError', { httpStatus: answer.status, serverMessage });
  }

  private async crm(path: string, schema: z.ZodMiniType, body: Record<string, string>, accessToken: string, ctx: CallContext): Promise<unknown> {
    if (!schema.safeParse(body).success) {
      throw this.fail(ctx, 'invalidInput', { detail: 'a value breaks the validation rules' });
    }
    if (!accessToken) throw this.fail(ctx, 'signedOut', {});
    const v3 = this.apiVersion === 'v3';
    // A header cannot carry spaces, controls or non-ASCII: such a token is wrong (a bad paste), and fetch would
    // throw before sending, which used to surface as a 'network' failure that "may have applied the change".
    if (!/^[\x21-\x7E]+$/.test(accessToken)) {
      throw this.fail(ctx, 'unauthorized', { detail: `the ${v3 ? 'API key' : 'access token'} has characters a header cannot carry` });
    }
    // The credential header: Authorization in v2, X-API-Key in v3, never both. Either is only ever sent to
    // the configured origin (see send()).
    const credential: Record<string, string> = v3 ? { 'X-API-Key': accessToken } : { Authorization: `Bearer ${accessToken}` };
    const started = this.now();
    const answer = await this.send(path, {
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...credential },
    }, ctx);
    const elapsed = `${this.now() - started} ms`;
    this.observe(path, body, answer, this.now() - started, ctx);
    // An API-key gateway answers a wrong or revoked key with 401 or 403.
    if (answer.status === 401 || (v3 && answer.status === 403)) {
      this.log.warn(`POST ${path} (${ctx.typeNo}) → HTTP ${answer.status} in ${elapsed}`);
      throw this.fail(ctx, 'unauthorized', { httpStatus: answer.status, serverMessage: this.messageOf(answer) });
    }
    const json = this.parseJson(answer, ctx);
    const env = envelope.safeParse(json);
    if (!env.success) {
      this.log.warn(`POST ${path} (${ctx.typeNo}) → HTTP ${answer.status}, not a VBot envelope, in ${elapsed}`);
      if (answer.status >= 200 && answer.status < 300) throw this.fail(ctx, 'badResponse', { detail: 'not a VBot envelope', outcomeUnknown: true });
      throw this.fail(ctx, 'httpError', { httpStatus: answer.status, outcomeUnknown: answer.status >= 500 });
    }
    const e = env.data;
    this.log.info(`POST ${path} (${ctx.typeNo}) → HTTP ${answer.status} error=${e.error}${e.status !== undefined ? ` status=${e.status}` : ''} in ${elapsed}`);
    if (isSuccess(e) && answer.status >= 200 && answer.status < 300) return e.data;
    const serverMessage = e.message ?? undefined;
    if (e.error === 0) {
      // status 0 with error 0, or an HTTP error around a success envelope: neither says what happened.
      throw this.fail(ctx, 'badResponse', { httpStatus: answer.status, serverMessage, detail: 'contradictory answer', outcomeUnknown: true });
    }
    throw this.fail(ctx, kindForServerCode(e.error), { serverCode: e.error, serverMessage, httpStatus: answer.status >= 300 ? answer.status : undefined });
  }

  /** POSTs and reads the whole answer (capped), following same-origin redirects only. */
  private async send(path: string, init: { body: string; headers: Record<string, string> }, ctx: CallContext): Promise<RawAnswer> {
    if (ctx.signal?.aborted) throw this.fail(ctx, 'cancelled', {});
    const controller = new AbortController();
    let abortKind: 'timeout' | 'cancelled' | undefined;
    const timer = setTimeout(() => { abortKind = 'timeout'; controller.abort(); }, this.timeoutMs);
    const onCancel = () => { abortKind ??= 'cancelled'; controller.abort(); };
    ctx.signal?.addEventListener('abort', onCancel, { once: true });
    let sent = false;
    try {
      let url = this.baseUrl + path;
      for (let hop = 0; ; hop++) {
        this.log.trace(`POST ${path}${ctx.typeNo !== undefined ? ` (${ctx.typeNo})` : ''} → ${url}`);
        sent = true;
        const fetch = nodeFetch?.default ?? (await loadNodeFetch()).default;
        const res = await fetch(url, { method: 'POST', body: init.body, headers: init.headers, redirect: 'manual', signal: controller.signal });
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location) {
          res.body?.resume();
          const next = parseLocation(location, url);
          if (!next) throw this.fail(ctx, 'badResponse', { httpStatus: res.status, detail: 'redirect to an unreadable address', outcomeUnknown: ctx.mutating });
          // The credential (bearer token or X-API-Key) goes to the configured origin only: another origin is
          // refused before any request to it. 307/308 keep the POST body, others would not.
          if (next.origin !== this.origin || (res.status !== 307 && res.status !== 308) || hop >= MAX_REDIRECTS) {
            throw this.fail(ctx, 'badResponse', { httpStatus: res.status, detail: `redirect to ${next.origin} refused`, outcomeUnknown: ctx.mutating });
          }
          url = next.href;
          continue;
        }
        return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await this.readCapped(res, ctx) };
      }
    } catch (e) {
      const failure = e instanceof VbotError ? e : this.transportFailure(e, ctx, abortKind, sent);
      this.log.warn(scrubSecrets(`POST ${path}${ctx.typeNo !== undefined ? ` (${ctx.typeNo})` : ''} (${ctx.operation}) failed: ${failure.kind}${failure.detail ? `, ${failure.detail}` : ''}`, ctx.secrets));
      throw failure;
    } finally {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onCancel);
    }
  }

  private transportFailure(e: unknown, ctx: CallContext, abortKind: 'timeout' | 'cancelled' | undefined, sent: boolean): VbotError {
    if (abortKind) return this.fail(ctx, abortKind, { outcomeUnknown: ctx.mutating && sent });
    const code = nodeFetch && e instanceof nodeFetch.FetchError ? e.code ?? e.errno : undefined;
    const neverSent = code !== undefined && NOT_SENT_CODES.has(String(code));
    return this.fail(ctx, 'network', { detail: code ? String(code) : 'connection failed', outcomeUnknown: ctx.mutating && !neverSent });
  }

  private async readCapped(res: Response, ctx: CallContext): Promise<string> {
    const declared = Number(res.headers.get('content-length'));
    const tooBig = () => this.fail(ctx, 'badResponse', { httpStatus: res.status, detail: `answer larger than ${this.maxBytes} bytes`, outcomeUnknown: ctx.mutating });
    if (declared > this.maxBytes) {
      (res.body as Readable | null)?.destroy();
      throw tooBig();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const body = res.body as Readable | null;
    if (!body) return '';
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > this.maxBytes) {
        body.destroy();
        throw tooBig();
      }
      chunks.push(buf);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private parseJson(answer: RawAnswer, ctx: CallContext): unknown {
    if (answer.text.trim() === '') {
      if (answer.status >= 200 && answer.status < 300) throw this.fail(ctx, 'badResponse', { httpStatus: answer.status, detail: 'empty answer', outcomeUnknown: ctx.mutating });
      return undefined;
    }
    try {
      return JSON.parse(answer.text);
    } catch {
      if (answer.status >= 200 && answer.status < 300) {
        const what = /html/i.test(answer.contentType) || /^\s*</.test(answer.text) ? 'an HTML page' : 'malformed JSON';
        throw this.fail(ctx, 'badResponse', { httpStatus: answer.status, detail: `answer is ${what}`, outcomeUnknown: ctx.mutating });
      }
      return undefined;
    }
  }

  /** Tells `onAnswer` the shape of what went and came back; an observer's own failure never fails the call. */
  private observe(path: string, body: Record<string, string>, answer: RawAnswer, ms: number, ctx: CallContext): void {
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
        path, requestFields: Object.keys(body), httpStatus: answer.status, ms,
        envelope: env.success ? (env.data.status !== undefined ? 'withStatus' : 'errorOnly') : undefined,
        error: env.success ? env.data.error : undefined, message,
      });
    } catch {
      // The report is a by-product: never let it change what the call does.
    }
  }

  private messageOf(answer: RawAnswer): string | undefined {
    try {
      const e = envelope.safeParse(JSON.parse(answer.text));
      return e.success ? e.data.message ?? undefined : undefined;
    } catch {
      return undefined;
    }
  }

  private fail(ctx: CallContext, kind: VbotErrorKind, extra: Partial<Omit<ConstructorParameters<typeof VbotError>[0], 'kind' | 'operation'>>): VbotError {
    const scrub = (s?: string) => (s === undefined ? undefined : scrubSecrets(s, ctx.secrets).slice(0, 500));
    return new VbotError({
      ...extra,
      kind,
      operation: ctx.operation,
      typeNo: ctx.typeNo,
      serverMessage: scrub(extra.serverMessage),
      detail: scrub(extra.detail),
    });
  }
}

/** The target of a redirect, or undefined when the server sent an address that is not a URL. */
function parseLocation(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}
