// Sign in (username + password → /token), paste a token, sign out. Tokens go to SecretStorage only.
import * as vscode from 'vscode';
import type { ApiRunner } from './apiRunner';
import type { CommandResult } from './commandArgs';
import type { Notifier } from './notifier';
import { inputText } from './prompts';
import type { SecretTokenStore } from './tokenStore';

const t = vscode.l10n.t;

export class AuthCommands {
  constructor(
    private readonly runner: ApiRunner,
    private readonly tokens: SecretTokenStore,
    private readonly notifier: Notifier,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.signIn', (a) => this.signIn(a)),
      vscode.commands.registerCommand('vbotCrm.setAccessToken', (a) => this.setAccessToken(a)),
      vscode.commands.registerCommand('vbotCrm.signOut', () => this.signOut()),
    ];
  }

  async signIn(arg?: unknown): Promise<CommandResult> {
    const given = (arg ?? {}) as { username?: unknown; password?: unknown };
    const title = t('Sign In to VBot');
    const required = (v: string) => (v.trim() ? undefined : t('This field cannot be empty.'));
    const username = typeof given.username === 'string' && given.username.trim() ? given.username.trim()
      : await inputText({ title, step: 1, totalSteps: 2, prompt: t('VBot username'), validate: required });
    if (!username) return 'cancelled';
    // The password is sent as typed (no trimming): spaces may be part of it.
    const password = typeof given.password === 'string' && given.password ? given.password
      : await inputText({ title, step: 2, totalSteps: 2, prompt: t('Password for {0}', username), password: true, validate: (v) => (v ? undefined : t('This field cannot be empty.')) });
    if (!password) return 'cancelled';
    const outcome = await this.runner.run({
      operation: 'signIn', title: t('Signing in to VBot…'), authenticated: false,
      run: (client, _token, signal) => client.signIn(username, password, signal),
    });
    if (!outcome.ok) {
      this.runner.reportFailure(outcome.error);
      return 'failed';
    }
    await this.tokens.set(outcome.value);
    this.notifier.info(t('Signed in to VBot as {0}.', username));
    return 'done';
  }

  async setAccessToken(arg?: unknown): Promise<CommandResult> {
    const given = (arg ?? {}) as { accessToken?: unknown };
    const token = typeof given.accessToken === 'string' && given.accessToken.trim() ? given.accessToken.trim()
      : await inputText({
        title: t('Paste VBot Access Token'), step: 1, totalSteps: 1, password: true,
        prompt: t('An access token you obtained elsewhere. It is stored in VS Code secret storage only.'),
        validate: (v) => (!v.trim() ? t('This field cannot be empty.') : /\s/.test(v.trim()) ? t('A token cannot contain spaces or line breaks.') : undefined),
      });
    if (!token) return 'cancelled';
    await this.tokens.set({ accessToken: token });
    this.notifier.info(t('Access token saved. It will be used for VBot requests until you sign out.'));
    return 'done';
  }

  async signOut(): Promise<CommandResult> {
    await this.tokens.clearAll();
    this.notifier.info(t('Signed out of VBot. The tokens were removed from secret storage.'));
    return 'done';
  }
}
