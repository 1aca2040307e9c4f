// The authentication provider VS Code is given at activation. The Accounts menu asks it for sessions soon after;
// the real provider (authProvider.ts, a lazy group of esbuild.mjs) is loaded with that first call, and its
// session changes are passed on from then.
import * as vscode from 'vscode';

export const AUTH_PROVIDER_ID = 'vbotCrm';
type ChangeEvent = vscode.AuthenticationProviderAuthenticationSessionsChangeEvent;
type Options = vscode.AuthenticationProviderSessionOptions;

export class LazyAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly load: () => Promise<vscode.AuthenticationProvider>) {}

  /** The real provider, loaded on first use (`load` makes it once). */
  async real(): Promise<vscode.AuthenticationProvider> {
    const real = await this.load();
    this.subscription ??= real.onDidChangeSessions((e) => this.changed.fire(e));
    return real;
  }

  async getSessions(scopes: readonly string[] | undefined, options: Options): Promise<vscode.AuthenticationSession[]> {
    return (await this.real()).getSessions(scopes, options);
  }

  async createSession(scopes: readonly string[], options: Options): Promise<vscode.AuthenticationSession> {
    return (await this.real()).createSession(scopes, options);
  }

  async removeSession(sessionId: string): Promise<void> {
    return (await this.real()).removeSession(sessionId);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
