// Tokens live in VS Code's SecretStorage only, one entry per profile and API origin, so a token
// obtained for one server is never sent to another after the base URL changes, and signing out
// of one profile leaves the others signed in.
import * as vscode from 'vscode';
import type { TokenStore } from '../core/tokenSession';
import type { TokenSet } from '../core/vbotClient';
import { DEFAULT_PROFILE, type Profile, profileOrigin, type Settings } from './settings';

const PREFIX = 'vbotCrm.tokens@';
const INDEX_KEY = 'vbotCrm.tokenOrigins';

/** What one profile's entry holds: its tokens, and who signed in (not a secret; shown in the Accounts menu). */
export interface StoredLogin {
  tokens: TokenSet;
  /** The username given at sign-in; none for a pasted token or API key. */
  user?: string;
}

/** The tokens of one profile, as a command captured it when it started. */
export interface ProfileTokens extends TokenStore {
  readonly profile: Profile;
  /** The profile's key for its current origin: one Accounts menu session. */
  readonly id: string;
  isSignedIn(): Promise<boolean>;
  read(): Promise<StoredLogin | undefined>;
  /** A new login (sign-in, pasted token) replaces the entry; `set` (a refresh) keeps who signed in. */
  store(tokens: TokenSet, user: string | undefined): Promise<void>;
  /** Signing out forgets the profile's tokens for every origin it ever used. */
  clearAll(): Promise<void>;
}

/** Where the API layer gets a profile's tokens (the authentication provider, src/vscode/authProvider.ts). */
export interface TokenSource {
  forProfile(profile: Profile): ProfileTokens;
}

export class SecretTokenStore implements vscode.Disposable, TokenSource {
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

  /**
   * The tokens of `profile` (the one a command started in): its keys are fixed now, so a profile switched or
   * edited while the command runs can never make it read, renew or store another profile's token.
   */
  forProfile(profile: Profile): ProfileTokens {
    // The default profile keeps the plain keys it always had; other profiles add their name.
    const part = profile.name === DEFAULT_PROFILE ? '' : `${profile.name}@`;
    const origin = profileOrigin(profile);
    const key = PREFIX + part + origin;
    const indexKey = part ? `${INDEX_KEY}@${part.slice(0, -1)}` : INDEX_KEY;
    const origins = () => this.origins(indexKey);
    const read = async () => {
      const login = parseLogin(await this.secrets.get(key));
      this.onTokens(login?.tokens);
      return login;
    };
    const store = async (tokens: TokenSet, user: string | undefined) => {
      this.onTokens(tokens);
      const list = await origins();
      if (!list.includes(origin)) await this.secrets.store(indexKey, JSON.stringify([...list, origin]));
      await this.secrets.store(key, JSON.stringify(user === undefined ? tokens : { ...tokens, user }));
    };
    const get = async () => (await read())?.tokens;
    return {
      profile,
      id: key,
      get,
      read,
      store,
      set: async (tokens) => store(tokens, parseLogin(await this.secrets.get(key))?.user),
      clear: () => Promise.resolve(this.secrets.delete(key)),
      isSignedIn: async () => (await get()) !== undefined,
      clearAll: async () => {
        for (const o of new Set([...(await origins()), origin])) await this.secrets.delete(PREFIX + part + o);
        await this.secrets.delete(indexKey);
        this.onTokens(undefined);
      },
    };
  }

  /** The active profile's tokens, for what shows the sign-in state (commands capture theirs with forProfile). */
  active(): ProfileTokens {
    return this.forProfile(this.settings.activeProfile());
  }

  isSignedIn(): Promise<boolean> {
    return this.active().isSignedIn();
  }

  private async origins(indexKey: string): Promise<string[]> {
    try {
      const list: unknown = JSON.parse((await this.secrets.get(indexKey)) ?? '[]');
      return Array.isArray(list) ? list.filter((o): o is string => typeof o === 'string') : [];
    } catch {
      return [];
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function parseLogin(raw: string | undefined): StoredLogin | undefined {
  if (!raw) return undefined;
  try {
    const t = JSON.parse(raw) as Partial<TokenSet> & { user?: unknown };
    if (typeof t.accessToken !== 'string' || !t.accessToken) return undefined;
    const tokens: TokenSet = {
      accessToken: t.accessToken,
      refreshToken: typeof t.refreshToken === 'string' ? t.refreshToken : undefined,
      expiresAt: typeof t.expiresAt === 'number' ? t.expiresAt : undefined,
    };
    return { tokens, user: typeof t.user === 'string' && t.user ? t.user : undefined };
  } catch {
    return undefined;
  }
}
