// VS Code's Accounts menu: each signed-in profile is a session of our authentication provider, labelled with
// who signed in and where, and signing out there signs that profile out. The sessions are read from the same
// per-profile, per-origin SecretStorage entries the API layer takes its tokens from (ApiRunner asks this
// provider), so the menu can never show a login the commands do not use, nor the other way round. A lazy group
// (esbuild.mjs): VS Code is given the stand-in of lazyAuthProvider.ts at activation, which loads this on first use.
import * as vscode from 'vscode';
import { say } from './say';
import type { Notifier } from './notifier';
import { type Profile, profileBaseUrl, type Settings } from './settings';
import type { ProfileTokens, SecretTokenStore, StoredLogin, TokenSource } from './tokenStore';

type Session = vscode.AuthenticationSession;

export class VbotAuthProvider implements vscode.AuthenticationProvider, TokenSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  /** The sessions as last announced; what a change is told against. */
  private known: Session[] | undefined;
  private updating: Promise<void> = Promise.resolve();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: SecretTokenStore,
    private readonly settings: Settings,
    private readonly notifier: Notifier,
    /** The sign-in command's flow for a profile (loaded with the auth commands). */
    private readonly signIn: (profile: Profile) => Promise<unknown>,
  ) {
    // The store fires for every token stored, renewed or removed, in this window or another one; the settings
    // when a profile is added, removed or pointed at another server.
    this.subscriptions = [store.onDidChange(() => this.update()), settings.onDidChange(() => this.update())];
    this.update();
  }

  forProfile(profile: Profile): ProfileTokens {
    return this.store.forProfile(profile);
  }

  /** All signed-in profiles, or those named in `scopes`. */
  async getSessions(scopes?: readonly string[], options?: vscode.AuthenticationProviderSessionOptions): Promise<Session[]> {
    const all = await this.read();
    return all.filter(
      (s) => (!scopes?.length || scopes.includes(s.scopes[0])) && (!options?.account || s.account.id === options.account.id),
    );
  }

  /** Runs the sign-in of the profile named in `scopes` (else the active one): asked by another extension, say. */
  async createSession(scopes: readonly string[]): Promise<Session> {
    const profile = this.settings.profiles().find((p) => scopes.includes(p.name)) ?? this.settings.activeProfile();
    await this.signIn(profile);
    const session = (await this.read()).find((s) => s.scopes[0] === profile.name);
    if (!session) throw new Error(`Not signed in to VBot profile "${profile.name}"`);
    return session;
  }

  /**
   * Sign Out in the Accounts menu: that profile's tokens go as with the command. VS Code asked first and says
   * "Successfully signed out." itself, so no second notification; the view and the status bar show the rest.
   */
  async removeSession(sessionId: string): Promise<void> {
    const profile = this.settings.profiles().find((p) => this.forProfile(p).id === sessionId);
    if (profile) await this.forProfile(profile).clearAll();
  }

  /** The Sign Out command: forgets the profile's tokens for every origin it used, and says so. */
  async signOut(profile: Profile): Promise<void> {
    await this.forProfile(profile).clearAll();
    this.notifier.info(say(vscode.l10n.t('Signed out of VBot profile "{0}". Its tokens were removed from secret storage.'), profile.name));
  }

  private async read(): Promise<Session[]> {
    const found: Array<[Profile, ProfileTokens, StoredLogin]> = [];
    for (const profile of this.settings.profiles()) {
      const tokens = this.forProfile(profile);
      const login = await tokens.read();
      if (login) found.push([profile, tokens, login]);
    }
    const labels = found.map(([profile, , login]) => accountLabel(profile, login));
    // Two profiles signed in as the same user on the same server would be one entry of the menu (it groups
    // accounts by label, and its Sign Out signs out every session of one): those two also name their profile.
    const shared = (label: string) => labels.indexOf(label) !== labels.lastIndexOf(label);
    return found.map(([profile, tokens, login], i) => ({
      id: tokens.id,
      accessToken: login.tokens.accessToken,
      account: { id: tokens.id, label: shared(labels[i]) ? say('{0} ({1})', labels[i], profile.name) : labels[i] },
      scopes: [profile.name],
    }));
  }

  /** Tells VS Code what was added, removed or renewed since last time; one update at a time, in order. */
  private update(): void {
    this.updating = this.updating
      .then(async () => {
        const first = this.known === undefined;
        const before = new Map((this.known ?? []).map((s) => [s.id, s]));
        const now = await this.read();
        this.known = now;
        if (first) return; // what VS Code asks for when the provider registers
        const ids = new Set(now.map((s) => s.id));
        const added = now.filter((s) => !before.has(s.id));
        const removed = [...before.values()].filter((s) => !ids.has(s.id));
        const changed = now.filter((s) => {
          const was = before.get(s.id);
          return was && (was.accessToken !== s.accessToken || was.account.label !== s.account.label);
        });
        if (added.length || removed.length || changed.length) this.changed.fire({ added, removed, changed });
      })
      .catch(() => undefined);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

/** Who signed in and where: `demo @ vbot.example`; a pasted token or a v3 API key says so instead of a user. */
function accountLabel(profile: Profile, login: StoredLogin): string {
  const base = profileBaseUrl(profile);
  const host = base.ok ? new URL(base.origin).host : base.raw;
  const who =
    login.user ??
    (profile.apiVersion === 'v3' ? say(vscode.l10n.t('API key (project {0})'), profile.projectCode ?? '') : vscode.l10n.t('access token'));
  return say('{0} @ {1}', who, host);
}
