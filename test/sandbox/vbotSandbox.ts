// A local, in-memory stand-in for the VBot Open API (customer types), faithful to
// /work/shared/vbot-api/customer-types.md, plus fault injection and an admin API so tests
// can make it misbehave like the real network does (502 pages, resets, hangs, junk bodies). The admin
// API wants the random key made at start (`adminKey`, header X-Sandbox-Admin-Key): it hands out what
// clients sent, tokens included.
// Serves both API generations on one server: v2.0 under `pathPrefix` (bearer tokens from /token,
// vbot_id + project_code in the body) and v3.0 under `v3PathPrefix` (X-API-Key naming the account
// and project, no /token); both work on the same store.
//
// Plain Node only (node:http, node:crypto): it is bundled by esbuild into the extension-host
// test bundle, so no `vscode` import and no dependencies.

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { URLSearchParams } from 'node:url';
import { ALL_FIELD_PATHS, type CustomerSeed, type FieldSeed, FieldSandbox, type PagingRules, fieldPathMethod } from './fieldSandbox';

// ---------------------------------------------------------------------------------------------
// Public types (other code is written against these names: keep them stable)
// ---------------------------------------------------------------------------------------------

export type EnvelopeGeneration = 'withStatus' | 'errorOnly'; // withStatus: {status:1|0,error,message,data}; errorOnly: {error,message,data}

export type Fault =
  | { kind: 'http500' } // HTTP 500 with a JSON envelope error 500
  | { kind: 'html502' } // HTTP 502, Content-Type text/html, an nginx-like HTML page
  | { kind: 'malformedJson' } // HTTP 200, application/json, body that is not valid JSON
  | { kind: 'emptyBody' } // HTTP 200, application/json, empty body
  | { kind: 'reset' } // destroy the socket without answering (before applying anything)
  | { kind: 'resetAfterApply' } // apply the change to the store, then destroy the socket (lost answer)
  | { kind: 'noAnswer' } // never answer (keep socket open until the client gives up or server closes)
  | { kind: 'stalledBody' } // HTTP 200 headers and the first bytes of the body, then nothing (a hung proxy)
  | { kind: 'oversized'; bytes?: number } // HTTP 200 JSON body of `bytes` (default 3 MiB) e.g. a huge data string
  | { kind: 'envelopeError'; error: number; message?: string } // HTTP 200 with failing envelope, e.g. -1/403/404/409/500
  | { kind: 'wrongShape' } // HTTP 200 valid JSON of the wrong shape e.g. {"foo":[1,2]}
  | { kind: 'redirect'; location: string; status?: number }; // 307 to location

/**
 * path: endpoint path without prefix, e.g. '/api/crm/type/create' or '/token'; undefined = any. times: default 1 (Infinity allowed).
 * A rule fires for either API generation (v2 and v3 share the paths).
 */
export interface FaultRule {
  fault: Fault;
  path?: string;
  times?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the prefix and without the query, e.g. '/token'. A path outside the prefix is kept as received. */
  path: string;
  /** The request target exactly as received (prefix and query included), to assert on the prefix itself. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** Parsed body: an object of fields for form bodies, the JSON value for JSON bodies, undefined when unparsable. */
  body: unknown;
  at: number;
  /** 'v3' for requests under the v3 prefix; 'v2' for the v2 prefix and for requests outside both. */
  apiVersion: ApiVersion;
}

export type ApiVersion = 'v2' | 'v3';

/** An API v3 key and the account and project it stands for. */
export interface SandboxApiKey {
  key: string;
  vbotId: string;
  projectCode: string;
}

export interface SandboxUser {
  username: string;
  password: string;
}

export interface SandboxOptions {
  port?: number; // default 0 = free port
  host?: string; // default 127.0.0.1
  pathPrefix?: string; // default '/v2.0'
  v3PathPrefix?: string; // default '/v3.0'; must differ from pathPrefix
  apiKeys?: SandboxApiKey[]; // default none; add more with addApiKey()
  envelope?: EnvelopeGeneration; // default 'withStatus'
  tokenTtlSeconds?: number; // default 899
  users?: SandboxUser[]; // default [{username:'demo', password:'demo123'}]
  seed?: Array<{ vbotId: string; projectCode: string; types: Array<{ typeNo: string; typeName: string }> }>;
  /** API v3 customer fields (and customers, for customer/count-all) per project; reset() forgets them. */
  fieldSeed?: Array<{ vbotId: string; projectCode: string; fields: FieldSeed[]; customers?: CustomerSeed[] }>;
  /** Optional one-line-per-request log (method, path, status or fault). Never contains tokens, passwords or bodies. */
  log?: (line: string) => void;
  /**
   * Default 0 (none). Every API answer (v2, v3 and /token, fault answers included) is held back this many
   * milliseconds after the request was read, like the round trip to the real server (the benchmark's Apply
   * figure uses 20); the admin API is never delayed. The change a request makes lands after the wait.
   */
  latencyMs?: number;
}

/** The two field names of an updateNo body: the current code and the new one. */
export interface UpdateNoBody {
  oldNo: string;
  newNo: string;
}
const DEFAULT_UPDATE_NO_BODY: UpdateNoBody = { oldNo: 'type_no_old', newNo: 'type_no_new' };

export interface CustomerType {
  typeNo: string;
  typeName: string;
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

const ENDPOINTS = {
  create: '/api/crm/type/create',
  update: '/api/crm/type/update',
  delete: '/api/crm/type/delete',
  updateNo: '/api/crm/type/updateNo',
} as const;
const CRM_PATHS: ReadonlySet<string> = new Set(Object.values(ENDPOINTS));
const TOKEN_PATH = '/token';
const ADMIN_PREFIX = '/__sandbox/';
/**
 * The admin API answers only requests carrying this header with the key made at start (`adminKey`): the
 * recorded requests hold Authorization headers and /token bodies, and any local process can reach loopback.
 */
export const ADMIN_KEY_HEADER = 'X-Sandbox-Admin-Key';

const LIMITS = { typeNo: 50, typeName: 255 } as const;

/** Request bodies above this are refused (413) so a runaway client cannot eat the test process's memory. */
const MAX_REQUEST_BODY = 1024 * 1024;
const DEFAULT_OVERSIZED_BYTES = 3 * 1024 * 1024;
/** Upper bound for `oversized.bytes`, so a typo cannot allocate gigabytes. */
const MAX_OVERSIZED_BYTES = 64 * 1024 * 1024;

// Default messages per error code, in Vietnamese like the real API.
const MESSAGES: Record<number, string> = {
  [-1]: 'Sai tham số',
  401: 'Không có quyền truy cập',
  403: 'Không có quyền thực hiện',
  404: 'Không tìm thấy dữ liệu',
  405: 'Phương thức không được hỗ trợ',
  409: 'Dữ liệu đã tồn tại',
  500: 'Lỗi hệ thống',
};
const MSG_BAD_LOGIN = 'Sai tên đăng nhập hoặc mật khẩu';
const MSG_BAD_REFRESH = 'Refresh token không hợp lệ hoặc đã hết hạn';
const MSG_TYPE_EXISTS = 'Mã kiểu khách hàng đã tồn tại';
const MSG_TYPE_MISSING = 'Không tìm thấy kiểu khách hàng';

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const FAULT_KINDS: ReadonlySet<string> = new Set([
  'http500',
  'html502',
  'malformedJson',
  'emptyBody',
  'reset',
  'resetAfterApply',
  'noAnswer',
  'stalledBody',
  'oversized',
  'envelopeError',
  'wrongShape',
  'redirect',
]);

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** What a route decided to answer; written out in one place so faults can intercept it. */
interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface ActiveRule {
  fault: Fault;
  path?: string;
  remaining: number;
}

interface AccessEntry {
  username: string;
  expiresAt: number; // ms since epoch
}

type Fields = Record<string, unknown>;

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Equal in constant time (hashes first, so the lengths need not match and do not leak). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** '' and '/' mean "no prefix"; otherwise exactly one leading slash and no trailing one. */
function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

/** Length in characters as a user counts them (code points), not UTF-16 units. */
function charLength(s: string): number {
  return [...s].length;
}

function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().includes('application/x-www-form-urlencoded');
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Best-effort parse for the request log: form fields for form bodies, JSON otherwise. */
function parseForRecord(contentType: string | undefined, raw: string): unknown {
  if (isFormContentType(contentType)) return Object.fromEntries(new URLSearchParams(raw));
  if (raw === '') return undefined;
  const parsed = tryParseJson(raw);
  return parsed.ok ? parsed.value : undefined;
}

interface ReadBody {
  text: string;
  tooLarge: boolean;
}

/** Reads the whole body, keeping at most MAX_REQUEST_BODY bytes (the rest is drained, not stored). */
function readBody(req: IncomingMessage): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let ended = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      ended = true;
      resolve({ text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge });
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!ended) reject(new Error('client went away before the body ended'));
    });
  });
}

function sendRaw(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(buf.length) });
  res.end(buf);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

/** Destroys the connection without an answer; a real TCP RST where Node supports it, like a dying proxy. */
function dropConnection(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

// ---------------------------------------------------------------------------------------------
// The sandbox
// ---------------------------------------------------------------------------------------------

export class VbotSandbox {
  /** Every non-admin request received, in order (incl. /token). Cleared in place by reset(). */
  readonly requests: RecordedRequest[] = [];
  /**
   * The key the admin API (/__sandbox/…) wants in the X-Sandbox-Admin-Key header: random, made at start,
   * never sent anywhere by the sandbox itself. `npm run sandbox` prints it; in-process users read it here.
   */
  readonly adminKey: string = newToken();
  envelope: EnvelopeGeneration;
  /** API v3 customer fields and options (test/sandbox/fieldSandbox.ts): seed, read, set its paging rules. */
  readonly fields = new FieldSandbox();

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly prefix: string;
  private readonly prefixV3: string;
  /** The keys from the options; reset() goes back to exactly these. */
  private readonly initialApiKeys: SandboxApiKey[];
  /** API v3 key -> its account and project. */
  private readonly apiKeys = new Map<string, { vbotId: string; projectCode: string }>();
  private readonly initialEnvelope: EnvelopeGeneration;
  private readonly ttlSeconds: number;
  private readonly users: SandboxUser[];
  private readonly log?: (line: string) => void;
  /** SandboxOptions.latencyMs: 0 = answer at once. */
  readonly latencyMs: number;
  private readonly host: string;
  private baseOrigin = '';

  /** vbotId -> projectCode -> typeNo -> typeName */
  private readonly store = new Map<string, Map<string, Map<string, string>>>();
  private rules: ActiveRule[] = [];
  /** The field names updateNo accepts (acceptUpdateNoBody). */
  private updateNoBody: UpdateNoBody = { ...DEFAULT_UPDATE_NO_BODY };
  private readonly accessTokens = new Map<string, AccessEntry>();
  /** refresh token -> username. Old refresh tokens stay valid after a refresh (simpler, and harmless for tests). */
  private readonly refreshTokens = new Map<string, string>();

  private constructor(options: SandboxOptions) {
    this.prefix = normalizePrefix(options.pathPrefix ?? '/v2.0');
    this.prefixV3 = normalizePrefix(options.v3PathPrefix ?? '/v3.0');
    if (this.prefixV3 === this.prefix) throw new Error(`v3PathPrefix must differ from pathPrefix (both "${this.prefix}")`);
    this.initialApiKeys = (options.apiKeys ?? []).map((k) => ({ ...k }));
    this.restoreApiKeys();
    this.envelope = this.initialEnvelope = options.envelope ?? 'withStatus';
    this.ttlSeconds = options.tokenTtlSeconds ?? 899;
    this.users = (options.users ?? [{ username: 'demo', password: 'demo123' }]).map((u) => ({ ...u }));
    this.log = options.log;
    this.latencyMs = options.latencyMs ?? 0;
    if (!(this.latencyMs >= 0 && Number.isFinite(this.latencyMs)))
      throw new Error(`latencyMs must be a finite number ≥ 0, not ${options.latencyMs}`);
    this.host = options.host ?? '127.0.0.1';
    for (const s of options.seed ?? []) this.seed(s.vbotId, s.projectCode, s.types);
    for (const s of options.fieldSeed ?? []) this.fields.seed(s.vbotId, s.projectCode, s.fields, s.customers);

    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        // A bug here must not leave the client hanging: answer 500 if we still can, else drop.
        if (!res.headersSent) sendJson(res, 500, this.fail(500));
        else res.destroy();
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: SandboxOptions = {}): Promise<VbotSandbox> {
    const sandbox = new VbotSandbox(options);
    await sandbox.listen(options.port ?? 0);
    return sandbox;
  }

  /** Base URL including the prefix, e.g. http://127.0.0.1:43123/v2.0 */
  get url(): string {
    return this.baseOrigin + this.prefix;
  }

  /** API v3 base URL including the v3 prefix, e.g. http://127.0.0.1:43123/v3.0 */
  get urlV3(): string {
    return this.baseOrigin + this.prefixV3;
  }

  /** http://127.0.0.1:43123 */
  get origin(): string {
    return this.baseOrigin;
  }

  // --- test controls -------------------------------------------------------------------------

  injectFault(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!(times > 0)) return; // 0, negative or NaN: a rule that can never fire
    this.rules.push({ fault: { ...rule.fault }, path: rule.path, remaining: times });
  }

  clearFaults(): void {
    this.rules = [];
  }

  /**
   * Makes updateNo accept only this body (e.g. `{ oldNo: 'old_type_no', newNo: 'new_type_no' }`); any other
   * answers -1 "… là bắt buộc", as a real server would. reset() goes back to type_no_old / type_no_new.
   */
  acceptUpdateNoBody(fields: UpdateNoBody): void {
    this.updateNoBody = { oldNo: fields.oldNo, newNo: fields.newNo };
  }

  /** The next delete fails once (an envelope error, 500 by default), whatever the type. */
  failDeleteOnce(error = 500): void {
    this.injectFault({ fault: { kind: 'envelopeError', error }, path: ENDPOINTS.delete, times: 1 });
  }

  issueToken(username: string = this.users[0]?.username ?? 'demo'): { access_token: string; refresh_token: string; expires_in: number } {
    const access_token = newToken();
    const refresh_token = newToken();
    this.accessTokens.set(access_token, { username, expiresAt: Date.now() + this.ttlSeconds * 1000 });
    this.refreshTokens.set(refresh_token, username);
    return { access_token, refresh_token, expires_in: this.ttlSeconds };
  }

  expireAccessTokens(): void {
    for (const entry of this.accessTokens.values()) entry.expiresAt = 0;
  }

  revokeAll(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /** A new random API v3 key for this account and project (valid until reset() or revokeApiKey()). */
  addApiKey(vbotId: string, projectCode: string): string {
    const key = newToken();
    this.apiKeys.set(key, { vbotId, projectCode });
    return key;
  }

  /** Makes a key unknown (later v3 calls with it get 401); false when it was not known. */
  revokeApiKey(key: string): boolean {
    return this.apiKeys.delete(key);
  }

  types(vbotId: string, projectCode: string): CustomerType[] {
    const project = this.store.get(vbotId)?.get(projectCode);
    if (!project) return [];
    // Plain code-unit order: deterministic across locales, which is what assertions need.
    return [...project.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([typeNo, typeName]) => ({ typeNo, typeName }));
  }

  /** Replaces the project's types with exactly these. */
  seed(vbotId: string, projectCode: string, types: CustomerType[]): void {
    const project = this.project(vbotId, projectCode, true);
    project.clear();
    for (const t of types) project.set(t.typeNo, t.typeName);
  }

  /**
   * Empties store, recorded requests, faults and tokens, and puts the envelope back to its start value and the
   * API keys back to those of the options (keys from addApiKey() are forgotten).
   */
  reset(): void {
    this.store.clear();
    this.requests.length = 0;
    this.rules = [];
    this.updateNoBody = { ...DEFAULT_UPDATE_NO_BODY };
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.envelope = this.initialEnvelope;
    this.restoreApiKeys();
    this.fields.reset();
  }

  private restoreApiKeys(): void {
    this.apiKeys.clear();
    for (const k of this.initialApiKeys) this.apiKeys.set(k.key, { vbotId: k.vbotId, projectCode: k.projectCode });
  }

  /** Stops listening and destroys every connection, including ones hung by a noAnswer fault. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
  }

  // --- listening -----------------------------------------------------------------------------

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, this.host, () => {
        this.server.off('error', onError);
        const address = this.server.address() as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.baseOrigin = `http://${host}:${address.port}`;
        resolve();
      });
    });
  }

  // --- request pipeline ------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    // Not `new URL(...)`: a target like '//x/y' would be read as a host, and we want the raw path.
    const pathname = target.split('?')[0] || '/';
    if (pathname.startsWith(ADMIN_PREFIX)) {
      await this.handleAdmin(req, res, pathname);
      return;
    }

    const bodyRead = await readBody(req);
    const method = req.method ?? 'GET';
    const { inner, apiVersion } = this.stripPrefix(pathname);
    const path = inner ?? pathname;
    this.requests.push({
      method,
      path,
      url: target,
      headers: { ...req.headers },
      rawBody: bodyRead.text,
      body: parseForRecord(req.headers['content-type'], bodyRead.text),
      at: Date.now(),
      apiVersion,
    });
    // v2 lines stay exactly as they were; v3 lines say so. Never a key, token or body.
    const logPath = apiVersion === 'v3' ? `${path} (v3)` : path;

    // The simulated network: after the request is recorded (tests see it at once), before anything is decided.
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));

    // Faults come before auth: proxies in front of VBot misbehave regardless of tokens.
    const fault = this.takeFault(path);
    if (fault && fault.kind !== 'resetAfterApply') {
      this.log?.(`${method} ${logPath} -> fault ${fault.kind}`);
      this.answerFault(req, res, fault);
      return;
    }

    const reply = bodyRead.tooLarge
      ? { status: 413, body: this.fail(-1, `${MESSAGES[-1]}: nội dung yêu cầu quá lớn`) }
      : apiVersion === 'v3'
        ? this.routeV3(method, inner, req, bodyRead.text)
        : this.route(method, inner, req, bodyRead.text);

    if (fault?.kind === 'resetAfterApply') {
      this.log?.(`${method} ${logPath} -> applied, then fault resetAfterApply`);
      dropConnection(req.socket);
      return;
    }
    this.log?.(`${method} ${logPath} -> ${reply.status}`);
    sendJson(res, reply.status, reply.body, reply.headers);
  }

  /**
   * Path relative to the matching prefix (the longer one first, so nested prefixes work), or null when the
   * request is outside both; outside both counts as v2.
   */
  private stripPrefix(pathname: string): { inner: string | null; apiVersion: ApiVersion } {
    const candidates: Array<[string, ApiVersion]> = [
      [this.prefix, 'v2'],
      [this.prefixV3, 'v3'],
    ];
    candidates.sort((a, b) => b[0].length - a[0].length);
    for (const [prefix, apiVersion] of candidates) {
      const inner = stripOne(prefix, pathname);
      if (inner !== null) return { inner, apiVersion };
    }
    return { inner: null, apiVersion: 'v2' };
  }

  private takeFault(path: string): Fault | undefined {
    const index = this.rules.findIndex((r) => r.path === undefined || r.path === path);
    if (index < 0) return undefined;
    const rule = this.rules[index];
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return rule.fault;
  }

  private route(method: string, path: string | null, req: IncomingMessage, raw: string): Reply {
    const known = path === TOKEN_PATH || (path !== null && CRM_PATHS.has(path));
    if (!known) return { status: 404, body: this.fail(404, 'Không tìm thấy đường dẫn') };
    if (method !== 'POST') return { status: 405, body: this.fail(405), headers: { Allow: 'POST' } };
    if (path === TOKEN_PATH) return this.handleToken(req.headers['content-type'], raw);
    return this.handleCrm(path as string, req.headers.authorization, raw);
  }

  /** API v3: the CRM paths only (no /token), authenticated by X-API-Key, on the key's account and project. */
  private routeV3(method: string, path: string | null, req: IncomingMessage, raw: string): Reply {
    if (path !== null && ALL_FIELD_PATHS.has(path)) return this.fieldRoute(method, path, req, raw);
    if (path === null || !CRM_PATHS.has(path)) return { status: 404, body: this.fail(404, 'Không tìm thấy đường dẫn') };
    if (method !== 'POST') return { status: 405, body: this.fail(405), headers: { Allow: 'POST' } };
    const header = req.headers['x-api-key'];
    const owner = typeof header === 'string' ? this.apiKeys.get(header) : undefined;
    if (!owner) return { status: 401, body: this.fail(401) };
    const parsed = tryParseJson(raw);
    if (!parsed.ok || !isPlainObject(parsed.value)) {
      return { status: 200, body: this.fail(-1, `${MESSAGES[-1]}: nội dung phải là một đối tượng JSON`) };
    }
    // The key names the project: any vbot_id / project_code in the body is ignored (still recorded).
    return this.crmAction(path, { ...parsed.value, vbot_id: owner.vbotId, project_code: owner.projectCode });
  }

  /** The v3 customer-field endpoints: reads are GET with a query, writes POST with a JSON object. */
  private fieldRoute(method: string, path: string, req: IncomingMessage, raw: string): Reply {
    const allowed = fieldPathMethod(path);
    if (method !== allowed) return { status: 405, body: this.fail(405), headers: { Allow: allowed } };
    const header = req.headers['x-api-key'];
    const owner = typeof header === 'string' ? this.apiKeys.get(header) : undefined;
    if (!owner) return { status: 401, body: this.fail(401) };
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    let body: Fields = {};
    if (allowed === 'POST') {
      const parsed = tryParseJson(raw);
      if (!parsed.ok || !isPlainObject(parsed.value)) {
        return { status: 200, body: this.fail(-1, `${MESSAGES[-1]}: nội dung phải là một đối tượng JSON`) };
      }
      body = parsed.value;
    }
    const result = this.fields.route(owner.vbotId, owner.projectCode, path, query, body);
    return { status: 200, body: result.ok ? this.ok(result.data) : this.fail(result.error, result.message) };
  }

  // --- envelopes -------------------------------------------------------------------------------

  private ok(data: unknown): unknown {
    return this.envelope === 'withStatus' ? { status: 1, error: 0, message: 'success', data } : { error: 0, message: 'success', data };
  }

  private fail(error: number, message: string = MESSAGES[error] ?? 'Lỗi'): unknown {
    return this.envelope === 'withStatus' ? { status: 0, error, message, data: null } : { error, message, data: null };
  }

  // --- /token ----------------------------------------------------------------------------------

  private handleToken(contentType: string | undefined, raw: string): Reply {
    if (!isFormContentType(contentType)) {
      return { status: 400, body: this.fail(-1, `${MESSAGES[-1]}: cần application/x-www-form-urlencoded`) };
    }
    const form = new URLSearchParams(raw);
    const grant = form.get('grant_type');
    if (grant === 'password') return this.passwordGrant(form.get('username'), form.get('password'));
    if (grant === 'refresh_token') return this.refreshGrant(form.get('refresh_token'));
    return { status: 401, body: this.fail(-1, `${MESSAGES[-1]}: grant_type không hợp lệ`) };
  }

  private passwordGrant(username: string | null, password: string | null): Reply {
    if (!username || !password) {
      return { status: 401, body: this.fail(-1, `${MESSAGES[-1]}: thiếu username hoặc password`) };
    }
    const user = this.users.find((u) => u.username === username && u.password === password);
    if (!user) return { status: 401, body: this.fail(401, MSG_BAD_LOGIN) };
    return { status: 200, body: this.tokenAnswer(user.username) };
  }

  private refreshGrant(refreshToken: string | null): Reply {
    if (!refreshToken) return { status: 401, body: this.fail(-1, `${MESSAGES[-1]}: thiếu refresh_token`) };
    const username = this.refreshTokens.get(refreshToken);
    if (username === undefined) return { status: 401, body: this.fail(401, MSG_BAD_REFRESH) };
    return { status: 200, body: this.tokenAnswer(username) };
  }

  /** The OAuth-style answer: not wrapped in an envelope, exactly as the docs show. */
  private tokenAnswer(username: string): unknown {
    const t = this.issueToken(username);
    return { access_token: t.access_token, token_type: 'bearer', expires_in: t.expires_in, refresh_token: t.refresh_token };
  }

  // --- CRM endpoints -----------------------------------------------------------------------------

  private isAuthorized(header: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) return false;
    const entry = this.accessTokens.get(match[1]);
    return entry !== undefined && Date.now() < entry.expiresAt;
  }

  private handleCrm(path: string, authorization: string | undefined, raw: string): Reply {
    if (!this.isAuthorized(authorization)) {
      return { status: 401, body: this.fail(401), headers: { 'WWW-Authenticate': 'Bearer' } };
    }
    const parsed = tryParseJson(raw);
    if (!parsed.ok || !isPlainObject(parsed.value)) {
      return { status: 200, body: this.fail(-1, `${MESSAGES[-1]}: nội dung phải là một đối tượng JSON`) };
    }
    return this.crmAction(path, parsed.value);
  }

  private crmAction(path: string, body: Fields): Reply {
    switch (path) {
      case ENDPOINTS.create:
        return this.createType(body);
      case ENDPOINTS.update:
        return this.updateType(body);
      case ENDPOINTS.delete:
        return this.deleteType(body);
      default:
        return this.updateTypeNo(body);
    }
  }

  /**
   * Checks the named fields are non-empty strings (and within their limits); returns the first
   * problem as a -1 reply, or the fields as strings.
   */
  private requireFields(body: Fields, names: string[]): { reply: Reply } | { values: Record<string, string> } {
    const values: Record<string, string> = {};
    for (const name of names) {
      const value = body[name];
      if (typeof value !== 'string' || value.trim() === '') {
        return { reply: { status: 200, body: this.fail(-1, `${MESSAGES[-1]}: ${name} là bắt buộc`) } };
      }
      const max = name.includes('type_no') ? LIMITS.typeNo : name === 'type_name' ? LIMITS.typeName : Infinity;
      if (charLength(value) > max) {
        return { reply: { status: 200, body: this.fail(-1, `${MESSAGES[-1]}: ${name} tối đa ${max} ký tự`) } };
      }
      values[name] = value;
    }
    return { values };
  }

  private createType(body: Fields): Reply {
    const r = this.requireFields(body, ['vbot_id', 'project_code', 'type_no', 'type_name']);
    if ('reply' in r) return r.reply;
    const { vbot_id, project_code, type_no, type_name } = r.values;
    const project = this.project(vbot_id, project_code, true);
    if (project.has(type_no)) return { status: 200, body: this.fail(409, MSG_TYPE_EXISTS) };
    project.set(type_no, type_name);
    return { status: 200, body: this.ok(type_no) };
  }

  private updateType(body: Fields): Reply {
    const r = this.requireFields(body, ['vbot_id', 'project_code', 'type_no', 'type_name']);
    if ('reply' in r) return r.reply;
    const { vbot_id, project_code, type_no, type_name } = r.values;
    const project = this.project(vbot_id, project_code, false);
    if (!project?.has(type_no)) return { status: 200, body: this.fail(404, MSG_TYPE_MISSING) };
    project.set(type_no, type_name);
    return { status: 200, body: this.ok(type_no) };
  }

  private deleteType(body: Fields): Reply {
    const r = this.requireFields(body, ['vbot_id', 'project_code', 'type_no']);
    if ('reply' in r) return r.reply;
    const { vbot_id, project_code, type_no } = r.values;
    const project = this.project(vbot_id, project_code, false);
    if (!project?.has(type_no)) return { status: 200, body: this.fail(404, MSG_TYPE_MISSING) };
    project.delete(type_no);
    return { status: 200, body: this.ok(true) };
  }

  // The docs leave updateNo's body empty; like /api/crm/status/updateNo we take *_no_old / *_no_new, unless
  // acceptUpdateNoBody() chose another pair of names.
  private updateTypeNo(body: Fields): Reply {
    const { oldNo, newNo } = this.updateNoBody;
    const r = this.requireFields(body, ['vbot_id', 'project_code', oldNo, newNo]);
    if ('reply' in r) return r.reply;
    const { vbot_id, project_code } = r.values;
    const type_no_old = r.values[oldNo];
    const type_no_new = r.values[newNo];
    const project = this.project(vbot_id, project_code, false);
    const name = project?.get(type_no_old);
    if (!project || name === undefined) return { status: 200, body: this.fail(404, MSG_TYPE_MISSING) };
    if (project.has(type_no_new)) return { status: 200, body: this.fail(409, MSG_TYPE_EXISTS) };
    project.delete(type_no_old);
    project.set(type_no_new, name);
    return { status: 200, body: this.ok(type_no_new) };
  }

  /** A project "exists" implicitly: create makes it on first use, reads never do. */
  private project(vbotId: string, projectCode: string, create: true): Map<string, string>;
  private project(vbotId: string, projectCode: string, create: false): Map<string, string> | undefined;
  private project(vbotId: string, projectCode: string, create: boolean): Map<string, string> | undefined {
    let account = this.store.get(vbotId);
    if (!account) {
      if (!create) return undefined;
      account = new Map();
      this.store.set(vbotId, account);
    }
    let project = account.get(projectCode);
    if (!project && create) {
      project = new Map();
      account.set(projectCode, project);
    }
    return project;
  }

  // --- faults ------------------------------------------------------------------------------------

  private answerFault(req: IncomingMessage, res: ServerResponse, fault: Fault): void {
    const json = 'application/json; charset=utf-8';
    switch (fault.kind) {
      case 'http500':
        sendJson(res, 500, this.fail(500));
        return;
      case 'html502':
        sendRaw(res, 502, 'text/html', NGINX_502);
        return;
      case 'malformedJson':
        // A body cut off mid-way, as a truncating proxy would leave it.
        sendRaw(res, 200, json, '{"status":1,"error":0,"message":"succ');
        return;
      case 'emptyBody':
        sendRaw(res, 200, json, '');
        return;
      case 'reset':
      case 'resetAfterApply': // only reached if called directly; handle() applies first
        dropConnection(req.socket);
        return;
      case 'noAnswer':
        // Deliberately nothing: the socket stays open until the client aborts or close() runs.
        return;
      case 'stalledBody':
        // A declared length never reached: the client has its answer's headers and waits for the rest.
        res.writeHead(200, { 'Content-Type': json, 'Content-Length': '1000' });
        res.write('{"status":1,"error":0,');
        return;
      case 'oversized':
        sendRaw(res, 200, json, this.oversizedBody(fault.bytes ?? DEFAULT_OVERSIZED_BYTES));
        return;
      case 'envelopeError':
        sendJson(res, 200, this.fail(fault.error, fault.message ?? MESSAGES[fault.error] ?? 'Lỗi'));
        return;
      case 'wrongShape':
        sendJson(res, 200, { foo: [1, 2] });
        return;
      case 'redirect':
        res.writeHead(fault.status ?? 307, { Location: fault.location, 'Content-Length': '0' });
        res.end();
        return;
    }
  }

  /** A successful envelope whose `data` string pads the body to `bytes` (ASCII, so bytes == chars). */
  private oversizedBody(bytes: number): string {
    const target = Math.min(Math.max(0, Math.floor(bytes)), MAX_OVERSIZED_BYTES);
    const empty = JSON.stringify(this.ok(''));
    const pad = Math.max(0, target - empty.length);
    return JSON.stringify(this.ok('x'.repeat(pad)));
  }

  // --- admin API (origin root, not under the prefix; not recorded, never faulted; needs adminKey) ---

  private async handleAdmin(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    // The key first: without it, nothing about the sandbox (least of all a recorded request) is revealed.
    const given = req.headers[ADMIN_KEY_HEADER.toLowerCase()];
    if (typeof given !== 'string' || given === '' || !sameSecret(given, this.adminKey)) {
      req.resume(); // drain whatever body came, unread
      const status = typeof given === 'string' && given !== '' ? 403 : 401;
      sendJson(res, status, { error: `the admin API needs the header ${ADMIN_KEY_HEADER} with the key printed at start` });
      return;
    }
    const { text, tooLarge } = await readBody(req);
    if (tooLarge) {
      sendJson(res, 413, { error: 'body too large' });
      return;
    }
    const action = pathname.slice(ADMIN_PREFIX.length);
    const reply = this.adminRoute(req.method ?? 'GET', action, text);
    sendJson(res, reply.status, reply.body, reply.headers);
  }

  private adminRoute(method: string, action: string, raw: string): Reply {
    const done: Reply = { status: 200, body: { ok: true } };
    const route = `${method} ${action}`;
    switch (route) {
      case 'GET requests':
        return { status: 200, body: this.requests };
      case 'GET store':
        return { status: 200, body: this.storeSnapshot() };
      case 'POST faults':
        return this.adminInjectFault(raw);
      case 'DELETE faults':
        this.clearFaults();
        return done;
      case 'POST expire-tokens':
        this.expireAccessTokens();
        return done;
      case 'POST revoke':
        this.revokeAll();
        return done;
      case 'POST reset':
        this.reset();
        return done;
      case 'POST envelope':
        return this.adminSetEnvelope(raw);
      case 'POST seed':
        return this.adminSeed(raw);
      case 'POST issue-token':
        return this.adminIssueToken(raw);
      case 'POST api-keys':
        return this.adminAddApiKey(raw);
      case 'POST update-no-body':
        return this.adminUpdateNoBody(raw);
      case 'POST fields':
        return this.adminSeedFields(raw);
      case 'POST field-paging':
        return this.adminFieldPaging(raw);
      case 'POST fail-delete-once':
        this.failDeleteOnce();
        return done;
      default:
        return { status: 404, body: { error: `unknown admin route: ${route}` } };
    }
  }

  private storeSnapshot(): Record<string, Record<string, CustomerType[]>> {
    const out: Record<string, Record<string, CustomerType[]>> = {};
    for (const [vbotId, projects] of this.store) {
      out[vbotId] = {};
      for (const projectCode of projects.keys()) out[vbotId][projectCode] = this.types(vbotId, projectCode);
    }
    return out;
  }

  private adminInjectFault(raw: string): Reply {
    const parsed = tryParseJson(raw);
    const rule = parsed.ok ? parsed.value : undefined;
    const problem = describeBadRule(rule);
    if (problem) return { status: 400, body: { error: problem } };
    const r = rule as { fault: Fault; path?: string; times?: number | string | null };
    // JSON has no Infinity: accept the string "Infinity" (or null) for "every time".
    const times = r.times === 'Infinity' || r.times === null ? Infinity : (r.times as number | undefined);
    this.injectFault({ fault: r.fault, path: r.path, times });
    return { status: 200, body: { ok: true } };
  }

  private adminSetEnvelope(raw: string): Reply {
    const parsed = tryParseJson(raw);
    const value = parsed.ok && isPlainObject(parsed.value) ? parsed.value.envelope : undefined;
    if (value !== 'withStatus' && value !== 'errorOnly') {
      return { status: 400, body: { error: 'envelope must be "withStatus" or "errorOnly"' } };
    }
    this.envelope = value;
    return { status: 200, body: { ok: true, envelope: value } };
  }

  private adminSeed(raw: string): Reply {
    const parsed = tryParseJson(raw);
    const v = parsed.ok && isPlainObject(parsed.value) ? parsed.value : {};
    const types = Array.isArray(v.types) ? (v.types as unknown[]) : undefined;
    const typesOk = types?.every((t) => isPlainObject(t) && typeof t.typeNo === 'string' && typeof t.typeName === 'string');
    if (typeof v.vbotId !== 'string' || typeof v.projectCode !== 'string' || !typesOk) {
      return { status: 400, body: { error: 'expected {"vbotId","projectCode","types":[{"typeNo","typeName"}]}' } };
    }
    this.seed(v.vbotId, v.projectCode, types as CustomerType[]);
    return { status: 200, body: { ok: true } };
  }

  /** {"vbotId","projectCode","fields":[FieldSeed],"customers"?:[CustomerSeed]}: the v3 fields of one project. */
  private adminSeedFields(raw: string): Reply {
    const parsed = tryParseJson(raw);
    const v = parsed.ok && isPlainObject(parsed.value) ? parsed.value : {};
    if (typeof v.vbotId !== 'string' || typeof v.projectCode !== 'string' || !Array.isArray(v.fields)) {
      return { status: 400, body: { error: 'expected {"vbotId","projectCode","fields":[...],"customers"?:[...]}' } };
    }
    try {
      this.fields.seed(v.vbotId, v.projectCode, v.fields as FieldSeed[], Array.isArray(v.customers) ? (v.customers as CustomerSeed[]) : []);
    } catch (e) {
      return { status: 400, body: { error: (e as Error).message } };
    }
    return { status: 200, body: { ok: true } };
  }

  /** Partial PagingRules of the v3 lists (base, belowBase, defaultSize, maxSize, ignorePage). */
  private adminFieldPaging(raw: string): Reply {
    const parsed = tryParseJson(raw);
    if (!parsed.ok || !isPlainObject(parsed.value)) return { status: 400, body: { error: 'expected a JSON object of paging rules' } };
    this.fields.paging = { ...this.fields.paging, ...(parsed.value as Partial<PagingRules>) };
    return { status: 200, body: { ok: true, paging: this.fields.paging } };
  }

  private adminUpdateNoBody(raw: string): Reply {
    const parsed = tryParseJson(raw);
    const v = parsed.ok && isPlainObject(parsed.value) ? parsed.value : {};
    if (typeof v.oldNo !== 'string' || v.oldNo === '' || typeof v.newNo !== 'string' || v.newNo === '' || v.oldNo === v.newNo) {
      return { status: 400, body: { error: 'expected {"oldNo","newNo"} (two different non-empty field names)' } };
    }
    this.acceptUpdateNoBody({ oldNo: v.oldNo, newNo: v.newNo });
    return { status: 200, body: { ok: true } };
  }

  private adminAddApiKey(raw: string): Reply {
    const parsed = tryParseJson(raw);
    const v = parsed.ok && isPlainObject(parsed.value) ? parsed.value : {};
    if (typeof v.vbotId !== 'string' || v.vbotId === '' || typeof v.projectCode !== 'string' || v.projectCode === '') {
      return { status: 400, body: { error: 'expected {"vbotId","projectCode"} (non-empty strings)' } };
    }
    return { status: 200, body: { key: this.addApiKey(v.vbotId, v.projectCode) } };
  }

  private adminIssueToken(raw: string): Reply {
    const parsed = tryParseJson(raw || '{}');
    const v = parsed.ok && isPlainObject(parsed.value) ? parsed.value : {};
    const username = typeof v.username === 'string' ? v.username : undefined;
    return { status: 200, body: this.issueToken(username) };
  }
}

/** Path relative to one prefix ('' = everything), or null when outside it. */
function stripOne(prefix: string, pathname: string): string | null {
  if (prefix === '') return pathname;
  if (pathname === prefix) return '/';
  if (pathname.startsWith(prefix + '/')) return pathname.slice(prefix.length);
  return null;
}

/** Why a JSON value is not a usable FaultRule, or undefined when it is. */
function describeBadRule(rule: unknown): string | undefined {
  if (!isPlainObject(rule) || !isPlainObject(rule.fault)) return 'expected {"fault":{"kind":...},"path"?,"times"?}';
  const fault = rule.fault;
  if (typeof fault.kind !== 'string' || !FAULT_KINDS.has(fault.kind)) return `unknown fault kind: ${String(fault.kind)}`;
  if (fault.kind === 'redirect' && typeof fault.location !== 'string') return 'redirect needs "location"';
  if (fault.kind === 'envelopeError' && typeof fault.error !== 'number') return 'envelopeError needs a numeric "error"';
  if (rule.path !== undefined && typeof rule.path !== 'string') return '"path" must be a string';
  const t = rule.times;
  if (t !== undefined && t !== null && t !== 'Infinity' && typeof t !== 'number') return '"times" must be a number or "Infinity"';
  return undefined;
}
