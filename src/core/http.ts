// The HTTP transport under VbotClient: one POST with a timeout and the caller's cancellation, same-origin
// redirects only, and an answer read whole up to a size cap. Every failure becomes a VbotError that says
// whether the request may have reached the server; no secret of the call leaves in a log or error.
import type { Readable } from 'node:stream';
import type { Response } from 'node-fetch';
import { type Logger, scrubSecrets } from './logger';
import { VbotError, type VbotErrorKind, type VbotOperation } from './vbotError';

// node-fetch (and the Node modules it pulls in) is loaded with the first request, not while the
// extension starts: a session that only browses the tree never needs it.
let nodeFetch: typeof import('node-fetch') | undefined;
async function loadNodeFetch(): Promise<typeof import('node-fetch')> {
  nodeFetch ??= await import('node-fetch');
  return nodeFetch;
}

const MAX_REDIRECTS = 3;
// Connection errors that prove the request never reached a server.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

/** One call of the client, as its failures must describe it. */
export interface CallContext {
  operation: VbotOperation;
  typeNo?: string;
  secrets: Array<string | undefined>;
  /** Whether a lost answer may hide an applied change. */
  mutating: boolean;
  signal?: AbortSignal;
}

export interface RawAnswer {
  status: number;
  contentType: () => string;
  text: string;
}

type FailureDetails = Partial<Omit<ConstructorParameters<typeof VbotError>[0], 'kind' | 'operation'>>;

/** The VbotError of a call, with the call's secrets removed from every text a server or the transport wrote. */
export function callFailure(ctx: CallContext, kind: VbotErrorKind, extra: FailureDetails): VbotError {
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

export interface HttpTransportOptions {
  /** Normalized, without a trailing slash: request paths are appended to it. */
  baseUrl: string;
  /** The only origin a request (and so a credential header) may go to, redirects included. */
  origin: string;
  timeoutMs: number;
  /** Answers larger than this are refused without being read whole. */
  maxBytes: number;
  log: Logger;
}

export class HttpTransport {
  constructor(private readonly options: HttpTransportOptions) {}

  /**
   * POSTs (or, with `method: 'GET'`, GETs without a body: the v3 reads) and reads the whole answer (capped),
   * following same-origin redirects only.
   */
  async post(path: string, init: { body?: string; headers: Record<string, string>; method?: 'GET' }, ctx: CallContext): Promise<RawAnswer> {
    const method = init.method ?? 'POST';
    const { baseUrl, origin, timeoutMs, log } = this.options;
    if (ctx.signal?.aborted) throw callFailure(ctx, 'cancelled', {});
    let abortKind: 'timeout' | 'cancelled' | undefined;
    let current: RequestAbort | undefined;
    const timer = setTimeout(() => {
      abortKind = 'timeout';
      current?.abort();
    }, timeoutMs);
    const onCancel = () => {
      abortKind ??= 'cancelled';
      current?.abort();
    };
    ctx.signal?.addEventListener('abort', onCancel, { once: true });
    let sent = false;
    try {
      let url = baseUrl + path;
      for (let hop = 0; ; hop++) {
        log.trace(`${method} ${path}${ctx.typeNo !== undefined ? ` (${ctx.typeNo})` : ''} → ${url}`);
        sent = true;
        const fetch = nodeFetch?.default ?? (await loadNodeFetch()).default;
        // One switch per request: a redirect's hop is a new request, and the one before it is only drained.
        current = new RequestAbort();
        if (abortKind) current.abort();
        const res = await fetch(url, { method, body: init.body, headers: init.headers, redirect: 'manual', signal: current });
        // Only a 3xx is a redirect: other answers skip the header lookup.
        const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
        if (location) {
          res.body?.resume();
          const next = parseLocation(location, url);
          if (!next)
            throw callFailure(ctx, 'badResponse', {
              httpStatus: res.status,
              detail: 'redirect to an unreadable address',
              outcomeUnknown: ctx.mutating,
            });
          // The credential (bearer token or X-API-Key) goes to the configured origin only: another origin is
          // refused before any request to it. 307/308 keep the POST body, others would not.
          if (next.origin !== origin || (res.status !== 307 && res.status !== 308) || hop >= MAX_REDIRECTS) {
            throw callFailure(ctx, 'badResponse', {
              httpStatus: res.status,
              detail: `redirect to ${next.origin} refused`,
              outcomeUnknown: ctx.mutating,
            });
          }
          url = next.href;
          continue;
        }
        const text = await this.readCapped(res, ctx);
        // Read only when an unparsable answer must be told apart (an HTML page or malformed JSON).
        return { status: res.status, text, contentType: () => res.headers.get('content-type') ?? '' };
      }
    } catch (e) {
      const failure = e instanceof VbotError ? e : transportFailure(e, ctx, abortKind, sent);
      log.warn(
        scrubSecrets(
          `${method} ${path}${ctx.typeNo !== undefined ? ` (${ctx.typeNo})` : ''} (${ctx.operation}) failed: ${failure.kind}${failure.detail ? `, ${failure.detail}` : ''}`,
          ctx.secrets,
        ),
      );
      throw failure;
    } finally {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onCancel);
    }
  }

  private async readCapped(res: Response, ctx: CallContext): Promise<string> {
    const { maxBytes } = this.options;
    const declared = Number(res.headers.get('content-length'));
    const tooBig = () =>
      callFailure(ctx, 'badResponse', {
        httpStatus: res.status,
        detail: `answer larger than ${maxBytes} bytes`,
        outcomeUnknown: ctx.mutating,
      });
    if (declared > maxBytes) {
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
      if (size > maxBytes) {
        body.destroy();
        throw tooBig();
      }
      chunks.push(buf);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

/**
 * The abort switch of one request, in the shape node-fetch takes a signal in (its own type: `aborted` and the
 * one 'abort' listener it adds; it recognizes a signal by its toStringTag, as it does AbortController
 * polyfills). A Node AbortController per call is an EventTarget whose making, listener bookkeeping and
 * collection cost 3-5% of a call to a server nearby (the API figure of `npm run bench`); this does only what
 * node-fetch asks of it.
 */
class RequestAbort {
  aborted = false;
  private listener: (() => void) | undefined;

  get [Symbol.toStringTag](): string {
    return 'AbortSignal';
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listener = listener;
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    if (this.listener === listener) this.listener = undefined;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listener = this.listener;
    this.listener = undefined;
    listener?.();
  }
}

function transportFailure(e: unknown, ctx: CallContext, abortKind: 'timeout' | 'cancelled' | undefined, sent: boolean): VbotError {
  if (abortKind) return callFailure(ctx, abortKind, { outcomeUnknown: ctx.mutating && sent });
  const code = nodeFetch && e instanceof nodeFetch.FetchError ? (e.code ?? e.errno) : undefined;
  const neverSent = code !== undefined && NOT_SENT_CODES.has(String(code));
  return callFailure(ctx, 'network', { detail: code ? String(code) : 'connection failed', outcomeUnknown: ctx.mutating && !neverSent });
}

/** The target of a redirect, or undefined when the server sent an address that is not a URL. */
function parseLocation(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}
