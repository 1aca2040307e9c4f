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
    private readonly client: () => VbotClient,
    private readonly store: TokenStore,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async call<T>(operation: VbotOperation, typeNo: string | undefined, fn: (accessToken: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
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

  /** One refresh at a time: concurrent callers share it, and a token another call already renewed is reused. */
  private refresh(stale: TokenSet, operation: VbotOperation, typeNo: string | undefined, signal?: AbortSignal): Promise<TokenSet> {
    this.refreshing ??= this.doRefresh(stale, operation, typeNo, signal).finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async doRefresh(stale: TokenSet, operation: VbotOperation, typeNo: string | undefined, signal?: AbortSignal): Promise<TokenSet> {
    const current = await this.store.get();
    if (!current) throw new VbotError({ kind: 'signedOut', operation, typeNo });
    if (current.accessToken !== stale.accessToken) return current;
    if (!current.refreshToken) throw new VbotError({ kind: 'unauthorized', operation, typeNo, detail: 'no refresh token' });
    try {
      const renewed = await this.client().refresh(current.refreshToken, signal);
      const next = { ...renewed, refreshToken: renewed.refreshToken ?? current.refreshToken };
      await this.store.set(next);
      return next;
    } catch (e) {
      if (e instanceof VbotError && (e.kind === 'unauthorized' || e.kind === 'authFailed')) {
        // The session is over: report it as the caller's 401 so the UI offers to sign in again.
        throw new VbotError({ kind: 'unauthorized', operation, typeNo, serverMessage: e.serverMessage, detail: 'refresh refused' });
      }
      throw e;
    }
  }
}
