// Runs one API call the way every command needs it: a fresh client for the profile the command started
// in, that profile's stored token (refreshed once when needed), a cancellable progress notification,
// and a failure turned into one localized notification with the action that fits.
import * as vscode from 'vscode';
import type { ApiRequest } from '../core/change/typeChange';
import { TokenSession } from '../core/tokenSession';
import type { AnswerRecord, VbotClient } from '../core/vbotClient';
import { type FailureAction, VbotError, type VbotOperation, failureActions } from '../core/vbotError';
import type { ExtensionLog } from './log';
import { describeFailure } from './messages';
import { openBaseUrlSetting } from './settingsEdits';
import type { NotificationAction, Notifier } from './notifier';
import { type Safe, say } from './say';
import { type Profile, profileBaseUrl, profileOrigin, type Settings } from './settings';
import type { ProfileTokens, TokenSource } from './tokenStore';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: VbotError };

export interface ApiCall<T> {
  operation: VbotOperation;
  typeNo?: string;
  /** Shown in the progress notification. */
  title: Safe;
  /** False for calls that do not need a token (sign-in). */
  authenticated?: boolean;
  run(client: VbotClient, accessToken: string, signal: AbortSignal): Promise<T>;
  /** Told the shape of each answer (the compatibility check's report). */
  onAnswer?: (answer: AnswerRecord) => void;
}

/** What the compatibility check remembered per API: the updateNo body the server accepted (`old/new`). */
export interface RememberedApiFacts {
  updateNoBody(origin: string, apiVersion: 'v2' | 'v3'): string | undefined;
}

/**
 * Makes the API of one profile. Every command binds it to the profile it started in (`bind`), so its requests,
 * token reads, refreshes and stored tokens all belong to that profile, whatever becomes active meanwhile.
 */
export class ApiRunner {
  /** One token session per profile and origin, so concurrent calls of one profile share a refresh. */
  private readonly sessions = new Map<string, TokenSession>();
  /** The client module (with node-fetch and zod) is loaded for the first call, not while the extension starts. */
  private clientModule: Promise<typeof import('../core/vbotClient')> | undefined;

  constructor(
    private readonly settings: Settings,
    /** The authentication provider: the Accounts menu's sessions and these calls read the same entries. */
    private readonly tokens: TokenSource,
    private readonly log: ExtensionLog,
    private readonly notifier: Notifier,
    private readonly facts?: RememberedApiFacts,
  ) {}

  /** The API as `profile` sees it; capture the profile once, when the command starts. */
  bind(profile: Profile = this.settings.activeProfile()): ProfileApi {
    const tokens = this.tokens.forProfile(profile);
    const key = JSON.stringify([profile.name, profileOrigin(profile)]);
    let session = this.sessions.get(key);
    if (!session) {
      session = new TokenSession(() => this.client(profile), tokens, this.log);
      this.sessions.set(key, session);
    }
    return new ProfileApi(profile, tokens, session, this, () => this.settings.isCurrent(profile));
  }

  /** Throws a VbotError of kind badUrl when the profile's base URL is unusable. */
  async client(
    profile: Profile,
    operation: VbotOperation = 'refresh',
    typeNo?: string,
    onAnswer?: (answer: AnswerRecord) => void,
  ): Promise<VbotClient> {
    const base = profileBaseUrl(profile);
    if (!base.ok) {
      throw new VbotError({ kind: 'badUrl', operation, typeNo, detail: `base URL ${base.reason}` });
    }
    const { VbotClient } = await (this.clientModule ??= import('../core/vbotClient'));
    // The updateNo body a compatibility check found for this API (src/core/apiCheck.ts), else the assumed one.
    const remembered = this.facts?.updateNoBody(base.origin, profile.apiVersion);
    const updateNoFields = remembered !== undefined ? (await import('../core/schemas')).updateNoBodyById(remembered) : undefined;
    return new VbotClient({
      baseUrl: base.url,
      timeoutMs: this.settings.timeoutMs(),
      logger: this.log,
      apiVersion: profile.apiVersion,
      updateNoFields,
      onAnswer,
    });
  }

  /** One error notification with the actions that fit the failure; `text` words it otherwise (a field's call). */
  reportFailure(error: VbotError, extra: NotificationAction[] = [], text: Safe = describeFailure(error)): void {
    if (error.kind === 'cancelled') {
      this.notifier.warn(text);
      return;
    }
    const button: Record<FailureAction, () => NotificationAction> = {
      signIn: () => ({ title: vscode.l10n.t('Sign In'), run: () => vscode.commands.executeCommand('vbotCrm.signIn') }),
      openSettings: () => ({ title: vscode.l10n.t('Open Settings'), run: () => openBaseUrlSetting(this.settings) }),
      showLog: () => ({ title: vscode.l10n.t('Show Log'), run: () => this.log.channel.show() }),
    };
    this.notifier.error(text, ...extra, ...failureActions(error.kind).map((a) => button[a]()));
  }

  /** @internal for ProfileApi */
  async signInFirst(profile: Profile, signedIn: () => Promise<boolean>, detail: Safe): Promise<boolean> {
    if (await signedIn()) return true;
    const signIn = vscode.l10n.t('Sign In');
    const message = say(vscode.l10n.t('You are not signed in to VBot (profile "{0}").'), profile.name);
    if (!(await this.notifier.confirm(message, detail, signIn))) return false;
    await vscode.commands.executeCommand('vbotCrm.signIn');
    return signedIn();
  }

  /** @internal for ProfileApi */
  warn(message: string): void {
    this.log.warn(message);
  }

  /** @internal for ProfileApi */
  unexpected(operation: VbotOperation, typeNo: string | undefined, e: unknown): VbotError {
    // Not expected from the client; logged without a stack so nothing sensitive can ride along.
    this.log.error(`Unexpected failure in ${operation}: ${e instanceof Error ? e.name : typeof e}`);
    return new VbotError({ kind: 'badResponse', operation, typeNo, detail: 'unexpected failure' });
  }
}

/** The API of one profile, captured when a command started. */
export class ProfileApi {
  constructor(
    readonly profile: Profile,
    readonly tokens: ProfileTokens,
    private readonly session: TokenSession,
    private readonly runner: ApiRunner,
    /** False once the profile was removed or edited: nothing more is sent in its name. */
    private readonly stillCurrent: () => boolean,
  ) {}

  client(operation?: VbotOperation, typeNo?: string, onAnswer?: (answer: AnswerRecord) => void): Promise<VbotClient> {
    return this.runner.client(this.profile, operation, typeNo, onAnswer);
  }

  /** Runs the call under a cancellable progress notification; never throws. */
  async run<T>(call: ApiCall<T>): Promise<Outcome<T>> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: call.title, cancellable: true },
      async (_progress, cancel) => {
        const controller = new AbortController();
        const sub = cancel.onCancellationRequested(() => controller.abort());
        try {
          return await this.call(call, controller.signal);
        } finally {
          sub.dispose();
        }
      },
    );
  }

  /** The same call without a progress notification of its own (for batches that show one for all). */
  async call<T>(call: Omit<ApiCall<T>, 'title'>, signal?: AbortSignal): Promise<Outcome<T>> {
    try {
      const value = await this.execute(call, signal ?? new AbortController().signal);
      return { ok: true, value };
    } catch (e) {
      const error = e instanceof VbotError ? e : this.runner.unexpected(call.operation, call.typeNo, e);
      this.runner.warn(error.message);
      return { ok: false, error };
    }
  }

  /** One change's request (the change runner's port); never throws. */
  send(request: ApiRequest, signal?: AbortSignal): Promise<Outcome<void>> {
    return this.call(
      { operation: request.operation, typeNo: request.typeNo, run: (client, token, s) => request.send(client, token, s) },
      signal,
    );
  }

  private async execute<T>(call: Omit<ApiCall<T>, 'title'>, signal: AbortSignal): Promise<T> {
    if (!this.stillCurrent())
      throw new VbotError({
        kind: 'profileChanged',
        operation: call.operation,
        typeNo: call.typeNo,
        detail: `profile "${this.profile.name}"`,
      });
    const client = await this.client(call.operation, call.typeNo, call.onAnswer);
    if (call.authenticated === false) return call.run(client, '', signal);
    return this.session.call(call.operation, call.typeNo, (token) => call.run(client, token, signal), signal);
  }

  reportFailure(error: VbotError, extra: NotificationAction[] = [], text?: Safe): void {
    this.runner.reportFailure(error, extra, text);
  }

  /**
   * Signed out, asks to sign in before a command asks its questions (so nothing typed is lost to a refusal at the
   * end), then goes on; `detail` says what happens next. True when signed in.
   */
  signInFirst(detail: Safe): Promise<boolean> {
    return this.runner.signInFirst(this.profile, () => this.tokens.isSignedIn(), detail);
  }
}
