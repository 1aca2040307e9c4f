// Carries out changes for the commands, Undo and Apply: the core's ChangeRunner bound to the profile a
// command started in (its API, its token, its cache file, its name in the journal), and for a single change
// the progress (in the view, as the UX guidelines keep short work: no toast), the one notification of its
// result and the buttons that fit. Batches (Apply, import, the types selected in the tree): batchChanges.ts.
import * as vscode from 'vscode';
import { LocalSaveError } from '../core/atomicFile';
import { type Change, ChangeRunner, type ChangeResult } from '../core/change/changeRunner';
import { isOptionChange } from '../core/change/optionChange';
import { type TypeChange, addressedCode, cacheEditOf } from '../core/change/typeChange';
import type { ChangeJournal } from '../core/journal/journal';
import type { Logger } from '../core/logger';
import type { VbotError, VbotErrorKind } from '../core/vbotError';
import type { ActiveCache } from './activeCache';
import type { ProfileApi } from './apiRunner';
import type { CommandResult } from './commandArgs';
import { describeLocalSaveFailure } from './messages';
import { describeFieldFailure } from './fieldMessages';
import type { NotificationAction, Notifier } from './notifier';
import { optionProgressTitle, optionSuccessText } from './optionTexts';
import { type Safe, say } from './say';
import type { CrmNode, TypeTreeProvider } from './typeTreeProvider';

/** The view of customer types (package.json), where a single change shows its progress. */
const TYPES_VIEW_ID = 'vbotCrm.types';

/** Failures that may pass on their own (the network, a busy server): their notification offers Retry. */
const RETRYABLE: ReadonlySet<VbotErrorKind> = new Set(['network', 'timeout', 'serverError', 'httpError', 'badResponse']);

export interface ChangesDeps {
  cache: ActiveCache;
  journal: ChangeJournal;
  log: Logger;
  notifier: Notifier;
  tree: TypeTreeProvider;
  treeView: vscode.TreeView<CrmNode>;
}

/**
 * quiet: success shows in the status bar only (the tree shows the result: a move). after: runs once the change
 * ended, however (and after a Retry's too), so the caller can show the server's list again.
 */
export interface RunOneOptions {
  undoOf?: string;
  quiet?: boolean;
  after?: () => void;
}

export class Changes {
  constructor(private readonly d: ChangesDeps) {}

  /** The runner of one command: everything it does goes to `api`'s profile, whatever is active meanwhile. */
  runnerFor(api: ProfileApi, options: { minWriteIntervalMs?: number } = {}): ChangeRunner {
    const cache = this.d.cache.forProfile(api.profile.name);
    return new ChangeRunner({ profile: api.profile.name, api, journal: this.d.journal, cache, log: this.d.log, ...options });
  }

  /**
   * One change under the progress bar of the types view (the window's status bar while the view is hidden),
   * then one notification saying how it ended. Neither place offers Cancel: the request ends by its timeout.
   * The signal stays so that a caller with a way to cancel can pass it on.
   */
  async runOne(api: ProfileApi, change: Change, options: RunOneOptions = {}): Promise<CommandResult> {
    const runner = this.runnerFor(api);
    const controller = new AbortController();
    const location = this.d.treeView.visible ? { viewId: TYPES_VIEW_ID } : vscode.ProgressLocation.Window;
    const title = isOptionChange(change) ? optionProgressTitle(change) : progressTitle(change);
    const result = await vscode.window.withProgress({ location, title }, () =>
      runner.run(change, { signal: controller.signal, undoOf: options.undoOf }),
    );
    try {
      options.after?.();
    } catch (e) {
      this.d.log.warn(`After a change: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.report(api, result, options);
  }

  private report(api: ProfileApi, result: ChangeResult<Change>, options: RunOneOptions): CommandResult {
    const change = result.change;
    if (result.status !== 'failed') {
      const recovered = result.status === 'recovered';
      if (!isOptionChange(change)) {
        this.d.notifier.info(successText(change, recovered));
        this.reveal(change);
      } else if (options.quiet) this.d.notifier.status(optionSuccessText(change, recovered));
      else this.d.notifier.info(optionSuccessText(change, recovered));
      return 'done';
    }
    // Trying the same change again is safe after any of these: the runner recognises one already made.
    const retry: NotificationAction = { title: vscode.l10n.t('Retry'), run: () => this.runOne(api, result.change, options) };
    if (result.error instanceof LocalSaveError) {
      this.d.notifier.error(describeLocalSaveFailure(result.error), retry);
      return 'failed';
    }
    const retryable = result.error.outcomeUnknown || RETRYABLE.has(result.error.kind);
    if (isOptionChange(change)) api.reportFailure(result.error, retryable ? [retry] : [], describeFieldFailure(result.error));
    else api.reportFailure(result.error, [...(retryable ? [retry] : []), ...this.remedies(api, change, result.error)]);
    return 'failed';
  }

  /** What the user can do about a refusal besides signing in or opening the settings. */
  private remedies(api: ProfileApi, change: TypeChange, error: VbotError): NotificationAction[] {
    const cache = this.d.cache.forProfile(api.profile.name);
    const saveLocally = (title: string, edit: Parameters<typeof cache.applyEdits>[0][number]): NotificationAction => ({
      title,
      run: () => cache.applyEdits([edit]).catch((e) => this.d.notifier.error(describeLocalSaveFailure(e))),
    });
    const code = addressedCode(change);
    // The type exists on the server but not here: let the user track it rather than lose it.
    if (error.kind === 'alreadyExists' && change.op === 'create')
      return [saveLocally(vscode.l10n.t('Add to Local List'), cacheEditOf(change))];
    // The local list names a type the server does not have: offer to drop it.
    if (error.kind === 'notFound' && change.op !== 'create' && cache.snapshot().findType(change.vbotId, change.projectCode, code)) {
      return [
        saveLocally(vscode.l10n.t('Remove from Local List'), {
          kind: 'remove',
          vbotId: change.vbotId,
          projectCode: change.projectCode,
          typeNo: code,
        }),
      ];
    }
    // A refused change of code may be our guess at the updateNo body: offer the check that finds the right one.
    if (error.kind === 'invalidParams' && change.op === 'changeCode') {
      return [
        {
          title: vscode.l10n.t('Check API Compatibility'),
          run: () => vscode.commands.executeCommand('vbotCrm.checkApi', { vbotId: change.vbotId, projectCode: change.projectCode }),
        },
      ];
    }
    return [];
  }

  private reveal(change: TypeChange): void {
    const typeNo = change.after?.typeNo;
    if (!typeNo || !this.d.treeView.visible) return;
    const node = this.d.tree.typeNode(change.vbotId, change.projectCode, typeNo);
    if (node) void Promise.resolve(this.d.treeView.reveal(node, { select: true, focus: false })).catch(() => undefined);
  }
}

function progressTitle(change: TypeChange): Safe {
  const code = addressedCode(change);
  switch (change.op) {
    case 'create':
      return say(vscode.l10n.t('Adding customer type "{0}"…'), code);
    case 'rename':
      return say(vscode.l10n.t('Renaming customer type "{0}"…'), code);
    case 'changeCode':
      return say(vscode.l10n.t('Changing code "{0}" to "{1}"…'), code, change.after!.typeNo);
    case 'delete':
      return say(vscode.l10n.t('Deleting customer type "{0}"…'), code);
  }
}

/** `"Khách hàng VIP" (VIP)`, or `"VIP"` when the name is not known. */
export function typeLabel(state: { typeNo: string; typeName: string }): string {
  return state.typeName ? `"${state.typeName}" (${state.typeNo})` : `"${state.typeNo}"`;
}

function successText(change: TypeChange, recovered: boolean): Safe {
  const { before, after, projectCode } = change;
  switch (change.op) {
    case 'create':
      return recovered
        ? say(
            vscode.l10n.t('Customer type "{0}" ({1}) was already created by the earlier attempt; it is now in project {2}.'),
            after!.typeName,
            after!.typeNo,
            projectCode,
          )
        : say(vscode.l10n.t('Customer type "{0}" ({1}) added to project {2}.'), after!.typeName, after!.typeNo, projectCode);
    case 'rename':
      return say(vscode.l10n.t('Customer type "{0}" is now named "{1}".'), after!.typeNo, after!.typeName);
    case 'changeCode':
      return say(
        vscode.l10n.t('Customer type "{0}" now has the code "{1}" (was "{2}").'),
        after!.typeName || after!.typeNo,
        after!.typeNo,
        before!.typeNo,
      );
    case 'delete':
      return say(vscode.l10n.t('Customer type {0} deleted from project {1}.'), typeLabel(before!), projectCode);
  }
}
