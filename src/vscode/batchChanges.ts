// Batch work (Apply, creating an import on VBot, deleting the types selected in the tree) runs one way: Apply's
// scheduler over the change runner bound to the profile the command started in, a window of calls in flight,
// under one cancellable progress that counts what is saved, and ends in one summary notification. Single
// changes show their progress in the view instead (changes.ts): a batch is long enough to want a Cancel button.
import * as vscode from 'vscode';
import {
  APPLY_CONCURRENCY,
  APPLY_WRITE_INTERVAL_MS,
  type BatchItem,
  applyChanges,
  endsTheProfile,
  type ItemResult,
} from '../core/change/applyChanges';
import type { ProfileApi } from './apiRunner';
import type { Changes } from './changes';
import type { Notifier } from './notifier';
import { type Safe, say } from './say';

/** The items through the runner under one cancellable progress titled `title`; stops when the profile can no longer act. */
export function runBatch<I extends BatchItem>(
  changes: Changes,
  api: ProfileApi,
  items: ReadonlyArray<I>,
  title: Safe,
): Thenable<ItemResult<I>[]> {
  const runner = changes.runnerFor(api, { minWriteIntervalMs: APPLY_WRITE_INTERVAL_MS });
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, cancel) => {
      const controller = new AbortController();
      const sub = cancel.onCancellationRequested(() => controller.abort());
      try {
        return await applyChanges(items, runner, {
          concurrency: APPLY_CONCURRENCY,
          signal: controller.signal,
          onResult: (_result, ended, total) =>
            progress.report({ increment: 100 / total, message: say(vscode.l10n.t('{0} of {1}'), String(ended), String(total)) }),
          stopOn: endsTheProfile,
        });
      } finally {
        sub.dispose();
      }
    },
  );
}

/** How a batch ended: done (a lost answer recovered counts as done), failed, and not started (skipped). */
export function countResults(results: ReadonlyArray<ItemResult<BatchItem>>): { done: number; failed: number; skipped: number } {
  const count = (...statuses: Array<ItemResult['status']>) => results.filter((r) => statuses.includes(r.status)).length;
  return { done: count('done', 'recovered'), failed: count('failed'), skipped: count('skipped') };
}

/**
 * The one notification a batch ends with: information when everything was done; otherwise a warning with Retry
 * (`retry`: the command again, which asks again and sends only what is left) and Show Log.
 */
export function showBatchSummary(notifier: Notifier, text: Safe, retry?: () => Thenable<unknown>): void {
  if (!retry) return notifier.info(text);
  notifier.warn(
    text,
    { title: vscode.l10n.t('Retry'), run: retry },
    { title: vscode.l10n.t('Show Log'), run: () => vscode.commands.executeCommand('vbotCrm.showLog') },
  );
}
