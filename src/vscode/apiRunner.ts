// Runs one API call the way every command needs it: a fresh client from the settings, the
// stored token (refreshed once when needed), a cancellable progress notification, and a
// failure turned into one localized notification with the action that fits.
import * as vscode from 'vscode';
import { TokenSession } from '../core/tokenSession';
import type { AnswerRecord, VbotClient } from '../core/vbotClient';
import { type FailureAction, VbotError, type VbotOperation, failureActions } from '../core/vbotError';
import type { ExtensionLog } from './log';
import { describeFailure } from './messages';
import type { NotificationAction, Notifier } from './notifier';
import type { Safe } from './say';
import type { Settings } from './settings';
import type { SecretTokenStore } from './tokenStore';

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
export interface RememberedApiFacts { updateNoBody(origin: string, apiVersion: 'v2' | 'v3'): string | undefined }

export class ApiRunner {
  private readonly session: TokenSession;
  /** The client module (with node-fetch and zod) is loaded for the first call, not while the extension starts. */
  private clientModule: Promise<typeof import('../core/vbotClient')> | undefined;

  constructor(
    private readonly settings: Settings,
    tokens: SecretTokenStore,
    private readonly log: ExtensionLog,
    private readonly notifier: Notifier,
    private readonly facts?: RememberedApiFacts,
  ) {
    this.session = new TokenSession(() => this.client(), tokens, log);
  }

  /** Throws a VbotError of kind badUrl when the setting is unusable. */
  async client(operation: VbotOperation = 'refresh', typeNo?: string, onAnswer?: (answer: AnswerRecord) => void): Promise<VbotClient> {
    const base = this.settings.baseUrl();
    if (!base.ok) {
      throw new VbotError({ kind: 'badUrl', operation, typeNo, detail: `base URL ${base.reason}` });
    }
    const { VbotClient } = await (this.clientModule ??= import('../core/vbotClient'));
    const apiVersion = this.settings.apiVersion();
    // The updateNo body a compatibility check found for this API (src/core/apiCheck.ts), else the assumed one.
    const remembered = this.facts?.updateNoBody(base.origin, apiVersion);
    const updateNoFields = remembered !== undefined ? (await import('../core/schemas')).updateNoBodyById(remembered) : undefined;
    return new VbotClient({ baseUrl: base.url, timeoutMs: this.settings.timeoutMs(), logger: this.log, apiVersion, updateNoFields, onAnswer });
  }

  /** Runs the call under a cancellable progress; never throws. */
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
      const error = e instanceof VbotError ? e : this.unexpected(call, e);
      this.log.warn(error.message);
      return { ok: false, error };
    }
  }

  private async execute<T>(call: Omit<ApiCall<T>, 'title'>, signal: AbortSignal): Promise<T> {
    const client = await this.client(call.operation, call.typeNo, call.onAnswer);
    if (call.authenticated === false) return call.run(client, '', signal);
    return this.session.call(call.operation, call.typeNo, (token) => call.run(client, token, signal), signal);
  }

  private unexpected(call: Omit<ApiCall<unknown>, 'title'>, e: unknown): VbotError {
    // Not expected from the client; logged without a stack so nothing sensitive can ride along.
    this.log.error(`Unexpected failure in ${call.operation}: ${e instanceof Error ? e.name : typeof e}`);
    return new VbotError({ kind: 'badResponse', operation: call.operation, typeNo: call.typeNo, detail: 'unexpected failure' });
  }

  /** One error notification with the actions that fit the failure. */
  reportFailure(error: VbotError, extra: NotificationAction[] = []): void {
    if (error.kind === 'cancelled') {
      this.notifier.warn(describeFailure(error));
      return;
    }
    const button: Record<FailureAction, () => NotificationAction> = {
      signIn: () => ({ title: vscode.l10n.t('Sign In'), run: () => vscode.commands.executeCommand('vbotCrm.signIn') }),
      openSettings: () => ({ title: vscode.l10n.t('Open Settings'), run: () => this.settings.openBaseUrlSetting() }),
      showLog: () => ({ title: vscode.l10n.t('Show Log'), run: () => this.log.channel.show() }),
    };
    this.notifier.error(describeFailure(error), ...extra, ...failureActions(error.kind).map((a) => button[a]()));
  }
}
