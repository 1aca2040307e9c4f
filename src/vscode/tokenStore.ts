// Tokens live in VS Code's SecretStorage only, one entry per profile and API origin, so a token
// obtained for one server is never sent to another after the base URL changes, and signing out
// of one profile leaves the others signed in.
import * as vscode from 'vscode';
import type { TokenStore } from '../core/tokenSession';
import type { TokenSet } from '../core/vbotClient';
import { DEFAULT_PROFILE, type Settings } from './settings';

const PREFIX = 'vbotCrm.tokens@';
const INDEX_KEY = 'vbotCrm.tokenOrigins';

export class SecretTokenStore implements TokenStore, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly settings: Settings,
    private readonly onTokens: (tokens: TokenSet | undefined) => void = () => {},
  ) {
    // Fires for changes made by other windows too.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(PREFIX)) this.changed.fire();
    });
  }

  /** The default profile keeps the plain keys it always had; other profiles add their name. */
  private profilePart(): string {
    const name = this.settings.activeProfile().name;
    return name === DEFAULT_PROFILE ? '' : `${name}@`;
  }

  private origin(): string {
    return this.settings.apiOrigin();
  }

  private key(): string {
    return PREFIX + this.profilePart() + this.origin();
  }

  private indexKey(): string {
    const part = this.profilePart();
    return part ? `${INDEX_KEY}@${part.slice(0, -1)}` : INDEX_KEY;
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

  /** Signing out forgets the active profile's tokens for every origin it ever used. */
  async clearAll(): Promise<void> {
    const origins = new Set([...(await this.origins()), this.origin()]);
    for (const o of origins) await this.secrets.delete(PREFIX + this.profilePart() + o);
    await this.secrets.delete(this.indexKey());
    this.onTokens(undefined);
  }

  async isSignedIn(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  private async origins(): Promise<string[]> {
    try {
      const list: unknown = JSON.parse((await this.secrets.get(this.indexKey())) ?? '[]');
      return Array.isArray(list) ? list.filter((o): o is string => typeof o === 'string') : [];
    } catch {
      return [];
    }
  }

  private async remember(origin: string): Promise<void> {
    const list = await this.origins();
    if (!list.includes(origin)) await this.secrets.store(this.indexKey(), JSON.stringify([...list, origin]));
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
