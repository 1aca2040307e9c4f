// Calls the API with the stored token; on expiry or a 401 it refreshes once and retries once,
// so the user is asked to sign in again only when the refresh itself is refused.
import type { Logger } from './logger';
import type { TokenSet, VbotClient } from './vbotClient';
import { VbotError, type VbotOperation } from './vbotError';

export interface TokenStore {
  get(): Promise<TokenSet | undefined>;
  set(tokens: TokenSet): Promise<void>;
  clear(): Promise<void>;
}

/** Refresh this long before the announced expiry, so a call does not race the deadline. */
const EXPIRY_MARGIN_MS = 30_000;

export class TokenSession {
  private refreshing: Promise<TokenSet> | undefined;

  constructor(
    private readonly client: () => VbotClient | Promise<VbotClient>,
    private readonly store: TokenStore,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async call<T>(
    operation: VbotOperation,
    typeNo: string | undefined,
    fn: (accessToken: string) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    let tokens = await this.store.get();
    if (!tokens) throw new VbotError({ kind: 'signedOut', operation, typeNo });
    if (tokens.refreshToken && tokens.expiresAt !== undefined && this.now() > tokens.expiresAt - EXPIRY_MARGIN_MS) {
      this.log.info('Access token expired or about to; refreshing before the call');
      tokens = await this.refresh(tokens, operation, typeNo, signal);
    }
    try {
      return await fn(tokens.accessToken);
    } catch (e) {
      if (!(e instanceof VbotError) || e.kind !== 'unauthorized' || !tokens.refreshToken) throw e;
      this.log.info(`${operation}: the server refused the token; refreshing once and retrying`);
      const fresh = await this.refresh(tokens, operation, typeNo, signal);
      return fn(fresh.accessToken);
    }
  }

  /**
   * One refresh at a time: concurrent callers share it, and a token another call already renewed is reused.
   * The shared refresh runs without any caller's signal (one caller cancelling must not fail the others; the
   * client's timeout still bounds it); each caller waits on it with its own signal, and gets errors in its own name.
   */
  private async refresh(stale: TokenSet, operation: VbotOperation, typeNo: string | undefined, signal?: AbortSignal): Promise<TokenSet> {
    const cancelled = () => new VbotError({ kind: 'cancelled', operation, typeNo });
    if (signal?.aborted) throw cancelled();
    this.refreshing ??= this.doRefresh(stale).finally(() => {
      this.refreshing = undefined;
    });
    try {
      return await untilAborted(this.refreshing, signal, cancelled);
    } catch (e) {
      if (
        e instanceof VbotError &&
        e.operation === 'refresh' &&
        (e.kind === 'signedOut' || e.kind === 'unauthorized' || e.kind === 'authFailed')
      ) {
        // The session is over: report it as the caller's own 401 (or sign-out) so the UI offers to sign in again.
        throw new VbotError({
          kind: e.kind === 'signedOut' ? 'signedOut' : 'unauthorized',
          operation,
          typeNo,
          serverMessage: e.serverMessage,
          detail: e.kind === 'signedOut' ? undefined : (e.detail ?? 'refresh refused'),
        });
      }
      throw e;
    }
  }

  private async doRefresh(stale: TokenSet): Promise<TokenSet> {
    const current = await this.store.get();
    if (!current) throw new VbotError({ kind: 'signedOut', operation: 'refresh' });
    if (current.accessToken !== stale.accessToken) return current;
    if (!current.refreshToken) throw new VbotError({ kind: 'unauthorized', operation: 'refresh', detail: 'no refresh token' });
    const renewed = await (await this.client()).refresh(current.refreshToken);
    const next = { ...renewed, refreshToken: renewed.refreshToken ?? current.refreshToken };
    await this.store.set(next);
    return next;
  }
}

/** Settles like `work`, or rejects with `cancelled()` as soon as `signal` aborts (the work itself goes on). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, cancelled: () => Error): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
