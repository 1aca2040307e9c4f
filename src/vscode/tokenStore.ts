// Tokens live in VS Code's SecretStorage only, one entry per API origin, so a token obtained
// for one server is never sent to another after the base URL changes.
import * as vscode from 'vscode';
import type { TokenStore } from '../core/tokenSession';
import type { TokenSet } from '../core/vbotClient';

const PREFIX = 'vbotCrm.tokens@';
const INDEX_KEY = 'vbotCrm.tokenOrigins';

export class SecretTokenStore implements TokenStore, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly origin: () => string,
    private readonly onTokens: (tokens: TokenSet | undefined) => void = () => {},
  ) {
    // Fires for changes made by other windows too.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(PREFIX)) this.changed.fire();
    });
  }

  private key(): string {
    return PREFIX + this.origin();
  }

  async get(): Promise<TokenSet | undefined> {
    const raw = await this.secrets.get(this.key());
    const tokens = parseTokens(raw);
    this.onTokens(tokens);
    return tokens;
  }

  async set(tokens: TokenSet): Promise<void> {
    this.onTokens(tokens);
    await this.remember(this.origin());
    await this.secrets.store(this.key(), JSON.stringify(tokens));
  }

  async clear(): Promise<void> {
    await this.secrets.delete(this.key());
  }

  /** Signing out forgets the tokens of every origin ever used, not just the current one. */
  async clearAll(): Promise<void> {
    const origins = new Set([...(await this.origins()), this.origin()]);
    for (const o of origins) await this.secrets.delete(PREFIX + o);
    await this.secrets.delete(INDEX_KEY);
    this.onTokens(undefined);
  }

  async isSignedIn(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  private async origins(): Promise<string[]> {
    try {
      const list: unknown = JSON.parse((await this.secrets.get(INDEX_KEY)) ?? '[]');
      return Array.isArray(list) ? list.filter((o): o is string => typeof o === 'string') : [];
    } catch {
      return [];
    }
  }

  private async remember(origin: string): Promise<void> {
    const list = await this.origins();
    if (!list.includes(origin)) await this.secrets.store(INDEX_KEY, JSON.stringify([...list, origin]));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function parseTokens(raw: string | undefined): TokenSet | undefined {
  if (!raw) return undefined;
  try {
    const t = JSON.parse(raw) as Partial<TokenSet>;
    if (typeof t.accessToken !== 'string' || !t.accessToken) return undefined;
    return {
      accessToken: t.accessToken,
      refreshToken: typeof t.refreshToken === 'string' ? t.refreshToken : undefined,
      expiresAt: typeof t.expiresAt === 'number' ? t.expiresAt : undefined,
    };
  } catch {
    return undefined;
  }
}
