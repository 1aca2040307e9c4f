// Sign in (username + password → /token), paste a token, sign out. Tokens go to SecretStorage only, through the
// authentication provider (src/vscode/authProvider.ts), whose Accounts menu entries run these same flows.
import * as vscode from 'vscode';
import { say } from './say';
import type { ApiRunner } from './apiRunner';
import type { VbotAuthProvider } from './authProvider';
import type { CommandResult } from './commandArgs';
import type { Notifier } from './notifier';
import { inputText } from './prompts';
import { PromptFlow } from './promptFlow';
import type { Profile } from './settings';

export class AuthCommands {
  constructor(
    private readonly runner: ApiRunner,
    private readonly auth: VbotAuthProvider,
    private readonly notifier: Notifier,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.signIn', (a) => this.signIn(a)),
      vscode.commands.registerCommand('vbotCrm.setAccessToken', (a) => this.setAccessToken(a)),
      vscode.commands.registerCommand('vbotCrm.signOut', () => this.signOut()),
    ];
  }

  /** `profile`: the Accounts menu's sign-in names one; the command signs in the active one. */
  async signIn(arg?: unknown, profile?: Profile): Promise<CommandResult> {
    // The profile signed in is the one active now, even if another becomes active while the user types.
    const api = this.runner.bind(profile);
    // A v3 profile has no sign-in: its API key is pasted once.
    if (api.profile.apiVersion === 'v3') return this.setAccessToken(arg, api.profile);
    const given = (arg ?? {}) as { username?: unknown; password?: unknown };
    const title = vscode.l10n.t('Sign In to VBot');
    const required = (v: string) => (v.trim() ? undefined : vscode.l10n.t('This field cannot be empty.'));
    const givenUser = typeof given.username === 'string' && given.username.trim() ? given.username.trim() : undefined;
    const givenPassword = typeof given.password === 'string' && given.password ? given.password : undefined;
    // Back from the password returns to the username (src/vscode/promptFlow.ts).
    const credentials = await PromptFlow.run(title, Number(!givenUser) + Number(!givenPassword), async (flow) => {
      const username = givenUser ?? (await inputText({ ...flow.next(), prompt: vscode.l10n.t('VBot username'), validate: required }));
      if (!username) return undefined;
      // The password is sent as typed (no trimming): spaces may be part of it.
      const password =
        givenPassword ??
        (await inputText({
          ...flow.next(),
          prompt: say(vscode.l10n.t('Password for {0}'), username),
          password: true,
          validate: (v) => (v ? undefined : vscode.l10n.t('This field cannot be empty.')),
        }));
      return password ? { username, password } : undefined;
    });
    if (!credentials) return 'cancelled';
    const { username, password } = credentials;
    const outcome = await api.run({
      operation: 'signIn',
      title: say(vscode.l10n.t('Signing in to VBot…')),
      authenticated: false,
      run: (client, _token, signal) => client.signIn(username, password, signal),
    });
    if (!outcome.ok) {
      api.reportFailure(outcome.error);
      return 'failed';
    }
    // Who signed in is kept with the tokens, for the Accounts menu.
    await api.tokens.store(outcome.value, username);
    this.notifier.info(say(vscode.l10n.t('Signed in to VBot as {0}.'), username));
    return 'done';
  }

  async setAccessToken(arg?: unknown, profile?: Profile): Promise<CommandResult> {
    const given = (arg ?? {}) as { accessToken?: unknown; apiKey?: unknown };
    const givenToken = given.accessToken ?? given.apiKey;
    const tokens = this.runner.bind(profile).tokens;
    const v3 = tokens.profile.apiVersion === 'v3';
    const typed =
      typeof givenToken === 'string' && givenToken.trim()
        ? givenToken
        : await inputText({
            title: v3 ? vscode.l10n.t('Paste VBot API Key') : vscode.l10n.t('Paste VBot Access Token'),
            step: 1,
            totalSteps: 1,
            password: true,
            prompt: v3
              ? say(
                  vscode.l10n.t('The API key (token-open-api) of project {0}. It is stored in VS Code secret storage only.'),
                  tokens.profile.projectCode ?? '',
                )
              : vscode.l10n.t('An access token you obtained elsewhere. It is stored in VS Code secret storage only.'),
            validate: (v) =>
              !withoutScheme(v)
                ? vscode.l10n.t('This field cannot be empty.')
                : /\s/.test(withoutScheme(v))
                  ? vscode.l10n.t('A token cannot contain spaces or line breaks.')
                  : undefined,
          });
    const token = typed && withoutScheme(typed);
    if (!token) return 'cancelled';
    await tokens.store({ accessToken: token }, undefined);
    this.notifier.info(say(vscode.l10n.t('Access token saved. It will be used for VBot requests until you sign out.')));
    return 'done';
  }

  async signOut(): Promise<CommandResult> {
    await this.auth.signOut(this.runner.bind().profile);
    return 'done';
  }
}

/** A token as pasted: copied from a request's Authorization header it starts with "Bearer ", which is not part of it. */
function withoutScheme(value: string): string {
  return value.trim().replace(/^bearer\s+/i, '');
}
