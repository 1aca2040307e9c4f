// Several customer types selected in the tree, acted on together. Delete asks once, in one modal that lists them
// by project, then deletes them through Apply's pipeline (batchChanges.ts: the change runner bound to the
// command's profile, the same window of calls in flight, one cancellable progress, one summary with Retry).
// Loaded with the first such command (esbuild.mjs, LAZY_COMMAND_GROUPS); typeCommands.ts hands the selection on.
import * as vscode from 'vscode';
import { LocalSaveError } from '../core/atomicFile';
import type { ApplyItem, ItemResult } from '../core/change/applyChanges';
import { deleteChange } from '../core/change/typeChange';
import type { TypeRef } from '../core/commandArgs';
import type { ActiveCache } from './activeCache';
import type { ApiRunner, ProfileApi } from './apiRunner';
import { countResults, runBatch, showBatchSummary } from './batchChanges';
import { type Changes, typeLabel } from './changes';
import type { CommandResult } from './commandArgs';
import { countTypes, describeFailure, describeLocalSaveFailure } from './messages';
import type { Notifier } from './notifier';
import { joinSafe, plain, type Safe, say } from './say';

/** Types the confirmation names before "…and N more". */
export const DELETE_LISTED = 10;

export interface SelectionDeps {
  cache: ActiveCache;
  runner: ApiRunner;
  changes: Changes;
  notifier: Notifier;
}

export class SelectionCommands {
  constructor(private readonly d: SelectionDeps) {}

  /**
   * Deletes the types picked (in any projects of the active profile) after one modal question naming them; a
   * signed-out profile is offered to sign in first. Retry deletes what is left, after asking again.
   */
  async deleteTypes(picked: ReadonlyArray<TypeRef>): Promise<CommandResult> {
    const api = this.d.runner.bind();
    const { profile } = api;
    // A v3 API key belongs to one project: nothing of another project is sent with it.
    const outside = profile.apiVersion === 'v3' && profile.projectCode && picked.find((t) => t.projectCode !== profile.projectCode);
    if (outside)
      return this.d.notifier.invalid(
        say(vscode.l10n.t('The API key of profile "{0}" is for project {1} only.'), profile.name, profile.projectCode ?? ''),
      );
    if (!(await api.signInFirst(say(vscode.l10n.t('Sign in first; then the selected customer types are deleted.'))))) return 'cancelled';
    const snapshot = this.d.cache.forProfile(profile.name).snapshot();
    const items: ApplyItem[] = picked.map((t, i) => ({
      ...deleteChange(t, t.typeNo, snapshot.findType(t.vbotId, t.projectCode, t.typeNo)?.typeName ?? ''),
      id: String(i),
    }));
    const yes = vscode.l10n.t('Delete');
    if (!(await this.d.notifier.confirm(deleteQuestion(items.length), deleteDetail(items, profile.name), yes))) return 'cancelled';
    const results = await runBatch(this.d.changes, api, items, say(vscode.l10n.t('Deleting {0}'), countTypes(items.length)));
    return this.summarize(api, results);
  }

  private summarize(api: ProfileApi, results: ReadonlyArray<ItemResult>): CommandResult {
    const { done, failed, skipped } = countResults(results);
    if (!failed && !skipped) {
      showBatchSummary(this.d.notifier, say(vscode.l10n.t('Deleted {0} (profile "{1}").'), countTypes(done), api.profile.name));
      return 'done';
    }
    // The first failure's own words; the log has every one.
    const first = results.find((r) => r.status === 'failed');
    const why =
      first?.status === 'failed'
        ? [first.error instanceof LocalSaveError ? describeLocalSaveFailure(first.error) : describeFailure(first.error)]
        : [];
    const text = say(
      vscode.l10n.t('Deleting customer types: {0} deleted, {1} failed, {2} not started.'),
      String(done),
      String(failed),
      String(skipped),
    );
    const left = results.filter((r) => r.status === 'failed' || r.status === 'skipped').map(({ item }) => refOf(item));
    showBatchSummary(this.d.notifier, joinSafe([text, ...why], ' '), () => this.deleteTypes(left));
    return 'failed';
  }
}

const refOf = (item: ApplyItem): TypeRef => ({ vbotId: item.vbotId, projectCode: item.projectCode, typeNo: item.before!.typeNo });

function deleteQuestion(count: number): Safe {
  return count === 1
    ? say(vscode.l10n.t('Delete 1 customer type from VBot?'))
    : say(vscode.l10n.t('Delete {0} customer types from VBot?'), String(count));
}

/** What is deleted where, by project (first-seen order): the first DELETE_LISTED types, then how many more. */
export function deleteDetail(items: ReadonlyArray<ApplyItem>, profileName: string): Safe {
  const lines: Safe[] = [
    say(
      vscode.l10n.t(
        'They will be deleted on the VBot server with profile "{0}". "Restore Deleted Type" (or Undo in the History view) can create each one again with the same code and name.',
      ),
      profileName,
    ),
  ];
  const byProject = new Map<string, ApplyItem[]>();
  for (const item of items) {
    const key = JSON.stringify([item.vbotId, item.projectCode]);
    const group = byProject.get(key);
    if (group) group.push(item);
    else byProject.set(key, [item]);
  }
  let listed = 0;
  for (const group of byProject.values()) {
    if (listed >= DELETE_LISTED) break;
    const { vbotId, projectCode } = group[0];
    lines.push(plain(''), say(vscode.l10n.t('Project {0} (VBotID {1}): {2}'), projectCode, vbotId, countTypes(group.length)));
    for (const item of group.slice(0, DELETE_LISTED - listed)) lines.push(say('  {0}', typeLabel(item.before!)));
    listed += Math.min(group.length, DELETE_LISTED - listed);
  }
  if (items.length > listed) lines.push(plain(''), say(vscode.l10n.t('…and {0} more.'), String(items.length - listed)));
  return joinSafe(lines, '\n');
}
