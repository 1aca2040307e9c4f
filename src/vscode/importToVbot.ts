// Import has two meanings, and the user says which after the preview: the types already exist on VBot (the
// local list learns of them; nothing is sent), or they are to be created there. Creating goes through Apply's
// pipeline: the change runner bound to the profile the import started in, a window of calls in flight, one
// cancellable progress, the same report, one summary with what was done, failed and not started, and Retry.
import * as vscode from 'vscode';
import { summarizeForApply } from '../core/applySummary';
import type { ApplyItem } from '../core/change/applyChanges';
import type { ImportPlan } from '../core/transfer/importPlan';
import type { ImportMode } from '../core/transfer/transferArgs';
import type { ProfileApi } from './apiRunner';
import { countResults, runBatch, showBatchSummary } from './batchChanges';
import type { Changes } from './changes';
import type { CommandResult } from './commandArgs';
import type { ReadOnlyDocuments } from './documents';
import { countTypes } from './messages';
import { newAndRenamed } from './transferMessages';
import type { Notifier } from './notifier';
import { confirmationDetailFrom, renderReportText } from './planReport';
import { joinSafe, type Safe, say, sayMarkdown } from './say';

export interface ImportToVbotDeps {
  changes: Changes;
  documents: ReadOnlyDocuments;
  notifier: Notifier;
}

const answers = () => ({ listOnly: vscode.l10n.t('Add to Local List Only'), create: vscode.l10n.t('Create on VBot') });

/** Asks what the import means, naming what each answer does; undefined when the user cancels. */
export async function askImportMode(notifier: Notifier, fileName: string, plan: ImportPlan, items: ApplyItem[], profileName: string) {
  const a = answers();
  const picked = await notifier.choose(
    say(
      vscode.l10n.t('{0}: {1}. Are they already on VBot, or should they be created there?'),
      fileName,
      newAndRenamed(plan.add.length, plan.change.length),
    ),
    joinSafe(
      [
        say(vscode.l10n.t('{0}: they already exist on VBot; only the local list in VS Code learns of them. Nothing is sent.'), a.listOnly),
        createDetail(
          items,
          say(
            vscode.l10n.t(
              '{0}: each new type is created and each renamed one renamed on VBot, with profile "{1}"; the local list then holds only what VBot confirmed.',
            ),
            a.create,
            profileName,
          ),
        ),
      ],
      '\n',
    ),
    [a.listOnly, a.create],
  );
  const mode: ImportMode | undefined = picked === a.listOnly ? 'listOnly' : picked === a.create ? 'create' : undefined;
  return mode;
}

/** The confirmation of a creation no question or preview has named: how many, on which projects, with which profile. */
export function confirmCreate(notifier: Notifier, fileName: string, items: ApplyItem[], profileName: string): Promise<boolean> {
  const created = items.filter((i) => i.op === 'create').length;
  const renamed = items.length - created;
  return notifier.confirm(
    say(vscode.l10n.t('Send {0} to VBot (profile "{1}")?'), newAndRenamed(created, renamed), profileName),
    createDetail(items, say(vscode.l10n.t('From {0}. The local list then holds only what VBot confirmed.'), fileName)),
    answers().create,
  );
}

/** `first`, a blank line, then each project (code and VBotID) with what it gets, as Apply's confirmation lists them. */
function createDetail(items: ApplyItem[], first: Safe): Safe {
  return confirmationDetailFrom(summarizeForApply({ items }), first, 0);
}

/**
 * Creating needs a session. Signed out, an import that still has questions to ask offers to sign in first and
 * goes on afterwards; one that asks nothing (a script) is refused at once, with Sign In offered.
 */
export async function signedInToCreate(api: ProfileApi, notifier: Notifier, mayAsk: boolean): Promise<boolean> {
  if (await api.tokens.isSignedIn()) return true;
  const signIn = vscode.l10n.t('Sign In');
  if (!mayAsk) {
    notifier.error(say(vscode.l10n.t('You are not signed in to VBot (profile "{0}"); nothing was created.'), api.profile.name), {
      title: signIn,
      run: () => vscode.commands.executeCommand('vbotCrm.signIn'),
    });
    return false;
  }
  return api.signInFirst(say(vscode.l10n.t('Sign in first; then the import goes on and creates the customer types on VBot.')));
}

/** Creates (and renames) the import's types on VBot, then shows the report and one summary; `retry` imports again. */
export async function createOnVbot(
  d: ImportToVbotDeps,
  api: ProfileApi,
  items: ApplyItem[],
  fileName: string,
  retry: () => Thenable<unknown>,
): Promise<CommandResult> {
  const results = await runBatch(d.changes, api, items, say(vscode.l10n.t('Creating on VBot from {0}'), fileName));
  const title = say(vscode.l10n.t('Result of creating on VBot from {0}'), fileName);
  await d.documents.show(
    title,
    renderReportText(results, fileName, {
      title: sayMarkdown(vscode.l10n.t('Result of creating on VBot from {0}'), fileName),
      note: vscode.l10n.t('The local list holds exactly what VBot confirmed; creating from the same file again does only what is left.'),
    }),
  );
  const { done, failed, skipped } = countResults(results);
  if (failed === 0 && skipped === 0) {
    // Nothing failed or was skipped: every create in the results was made (or found made).
    const created = results.filter((r) => r.item.op === 'create').length;
    showBatchSummary(d.notifier, createdText(created, items.length, fileName, api.profile.name));
    return 'done';
  }
  showBatchSummary(
    d.notifier,
    say(
      vscode.l10n.t('Creating on VBot from {0}: {1} done, {2} failed, {3} not started. The local list holds only what VBot confirmed.'),
      fileName,
      String(done),
      String(failed),
      String(skipped),
    ),
    retry,
  );
  return 'failed';
}

function createdText(created: number, total: number, fileName: string, profileName: string): Safe {
  if (created === 0) return say(vscode.l10n.t('Renamed {0} on VBot from {1} (profile "{2}").'), countTypes(total), fileName, profileName);
  return total === created
    ? say(vscode.l10n.t('Created {0} on VBot from {1} (profile "{2}").'), countTypes(created), fileName, profileName)
    : say(
        vscode.l10n.t('Created {0} on VBot and renamed {1} there, from {2} (profile "{3}").'),
        countTypes(created),
        String(total - created),
        fileName,
        profileName,
      );
}
