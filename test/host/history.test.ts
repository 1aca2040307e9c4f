// The journal records every change (never a secret); the History view shows it per project, in words and in
// the display language; any entry the type has not changed since can be undone (and a deleted type restored)
// through the same runner, progress and error handling as every change.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { VBOT_ID, cachedTypes, lastNotification, sandboxSuite, exec, waitFor, type ExtensionApi } from './helpers';
import type { HistoryNode } from '../../src/vscode/historyCommands';

describe('history and undo', () => {
  const ctx = sandboxSuite({ signIn: true });
  let project: string;
  let n = 0;

  beforeEach(() => {
    project = `HIST${++n}`; // the journal outlives each test: a project of its own keeps them apart
  });

  const server = () => ctx.sandbox.types(VBOT_ID, project).map((t) => [t.typeNo, t.typeName]);
  const history = () =>
    ctx.api as ExtensionApi & { historyTree: vscode.TreeDataProvider<HistoryNode>; historyView: vscode.TreeView<HistoryNode> };
  /** The History view's items of a project as VS Code gets them (tooltips resolved), once the view shows the journal's newest entry. */
  async function historyItems(projectCode: string): Promise<vscode.TreeItem[]> {
    const tree = history().historyTree;
    const [newest] = await ctx.api.journal.entries({ projectCode });
    let entries: HistoryNode[] = [];
    await waitFor(async () => {
      const projects = await tree.getChildren();
      const node = projects?.find((p) => p.kind === 'historyProject' && p.projectCode === projectCode);
      entries = (node && (await tree.getChildren(node))) || [];
      return entries[0]?.kind === 'historyEntry' && entries[0].entry.id === newest?.id;
    }, 'the History view shows the newest entry');
    return Promise.all(
      entries.map(async (node) => {
        const item = await tree.getTreeItem(node);
        return (await tree.resolveTreeItem!(item, node, new vscode.CancellationTokenSource().token)) ?? item;
      }),
    );
  }

  it('records each change with before, after and outcome, and no secret', async () => {
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'A', typeName: 'Một' });
    await exec('vbotCrm.editTypeName', { projectCode: project, typeNo: 'A', typeName: 'Hai' });
    ctx.sandbox.injectFault({ fault: { kind: 'envelopeError', error: 403, message: 'Không có quyền' } });
    await exec('vbotCrm.deleteType', { projectCode: project, typeNo: 'A', skipConfirmation: true });
    const entries = await ctx.api.journal.entries({ projectCode: project });
    assert.deepEqual(
      entries.map((e) => [e.operation, e.outcome]),
      [
        ['delete', 'failed'],
        ['rename', 'done'],
        ['create', 'done'],
      ],
    );
    assert.deepEqual(entries[1].before, { typeNo: 'A', typeName: 'Một' });
    assert.deepEqual(entries[1].after, { typeNo: 'A', typeName: 'Hai' });
    assert.equal(entries[0].message, 'Không có quyền');
    assert.equal(entries[0].profile, 'default');
    const token = ctx.sandbox.requests.find((r) => r.headers.authorization)!.headers.authorization as string;
    assert.ok(!JSON.stringify(entries).includes(token.replace('Bearer ', '')));
  });

  it('shows the history of a project in the History view, newest first, in words', async () => {
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'A', typeName: 'Một' });
    await exec('vbotCrm.changeTypeCode', { projectCode: project, typeNo: 'A', newTypeNo: 'B' });
    assert.equal(await exec('vbotCrm.showHistory', { projectCode: project }), 'done');
    const view = history().historyView;
    await waitFor(() => view.visible, 'the History view is shown');
    assert.equal((view.selection[0] as { projectCode?: string } | undefined)?.projectCode, project, 'the project is selected');
    const items = await historyItems(project);
    assert.deepEqual(
      items.map((i) => i.label),
      ['Changed code A → B', 'Created "Một" (A)'],
      'newest first',
    );
    assert.ok(items.every((i) => String(i.description).endsWith(' · done')));
    assert.deepEqual(
      items.map((i) => i.contextValue),
      ['vbotHistoryEntry.undoable', 'vbotHistoryEntry'],
      'Undo is offered where it can be done',
    );
  });

  it('undoes an older entry from the history: delete A, rename B, then undo the delete of A', async () => {
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'A', typeName: 'Khách A' });
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'B', typeName: 'Một' });
    await exec('vbotCrm.deleteType', { projectCode: project, typeNo: 'A', skipConfirmation: true });
    await exec('vbotCrm.editTypeName', { projectCode: project, typeNo: 'B', typeName: 'Hai' });
    const [, deleted] = await ctx.api.journal.entries({ projectCode: project });
    assert.equal(deleted.operation, 'delete');
    assert.equal(await exec('vbotCrm.undoChange', { entryId: deleted.id, skipConfirmation: true }), 'done');
    assert.deepEqual(server().sort(), [
      ['A', 'Khách A'],
      ['B', 'Hai'],
    ]);
    assert.deepEqual((await cachedTypes(ctx.api, project)).sort(), server().sort());
    const [undo] = await ctx.api.journal.entries({ projectCode: project });
    assert.deepEqual([undo.operation, undo.outcome, undo.undoOf], ['create', 'done', deleted.id]);
    const items = await historyItems(project);
    assert.equal(items[0].label, 'Created "Khách A" (A)');
    assert.equal(items.find((i) => i.id === `history/entry/${deleted.id}`)?.contextValue, 'vbotHistoryEntry', 'undone: no Undo any more');
  });

  it('refuses to undo an entry whose type changed since, saying why, and sends nothing', async () => {
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'A', typeName: 'Một' });
    await exec('vbotCrm.editTypeName', { projectCode: project, typeNo: 'A', typeName: 'Hai' });
    const [, created] = await ctx.api.journal.entries({ projectCode: project });
    const sent = ctx.sandbox.requests.length;
    assert.equal(await exec('vbotCrm.undoChange', { entryId: created.id, skipConfirmation: true }), 'invalid');
    assert.match(
      lastNotification(ctx.api).message,
      /"Created "Một" \(A\)" cannot be undone: The type was changed after this: Renamed A: "Một" → "Hai"/,
    );
    assert.equal(ctx.sandbox.requests.length, sent, 'nothing sent');
    assert.deepEqual(server(), [['A', 'Hai']]);
  });

  it('restores a deleted type with its code and name (Restore Deleted Type…), once', async () => {
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'GONE', typeName: 'Đã xóa' });
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'KEEP', typeName: 'Giữ' });
    await exec('vbotCrm.deleteType', { projectCode: project, typeNo: 'GONE', skipConfirmation: true });
    await exec('vbotCrm.editTypeName', { projectCode: project, typeNo: 'KEEP', typeName: 'Giữ lại' });
    assert.equal(await exec('vbotCrm.restoreDeletedType', { projectCode: project, typeNo: 'GONE' }), 'done');
    assert.deepEqual(server().sort(), [
      ['GONE', 'Đã xóa'],
      ['KEEP', 'Giữ lại'],
    ]);
    assert.deepEqual((await cachedTypes(ctx.api, project)).sort(), server().sort());
    assert.equal(await exec('vbotCrm.restoreDeletedType', { projectCode: project, typeNo: 'GONE' }), 'done');
    assert.match(lastNotification(ctx.api).message, /"GONE" is not among the deleted types that can be restored/);
  });

  it('History view: the time in the display language, every outcome code in words', async () => {
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'A', typeName: 'Một' });
    ctx.sandbox.injectFault({ fault: { kind: 'wrongShape' } });
    await exec('vbotCrm.editTypeName', { projectCode: project, typeNo: 'A', typeName: 'Hai' });
    await exec('vbotCrm.signOut');
    await exec('vbotCrm.deleteType', { projectCode: project, typeNo: 'A', skipConfirmation: true });
    const entries = await ctx.api.journal.entries({ projectCode: project });
    assert.deepEqual(
      entries.map((e) => [e.outcome, e.message]),
      [
        ['failed', 'signedOut'],
        ['unknown', 'badResponse'],
        ['done', undefined],
      ],
    );
    const items = await historyItems(project);
    const time = (at: string) =>
      new Intl.DateTimeFormat(vscode.env.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(at));
    assert.deepEqual(
      items.map((i) => i.description),
      entries.map((e) => `${time(e.at)} · ${{ done: 'done', failed: 'failed', unknown: 'may have been applied' }[e.outcome]}`),
    );
    const tips = items.map((i) => (i.tooltip as vscode.MarkdownString).value);
    assert.match(tips[0], /You are not signed in to VBot\./);
    assert.match(
      tips[1],
      /The server answered with something that is not a valid VBot response\. The change may have been applied on the server\./,
    );
    for (const text of [...tips, ...items.map((i) => `${i.label} ${i.description}`)]) assert.doesNotMatch(text, /signedOut|badResponse/);
  });

  it('undoes a delete by creating the type again with its code and name', async () => {
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'DEL', typeName: 'Bị xóa' });
    await exec('vbotCrm.deleteType', { projectCode: project, typeNo: 'DEL', skipConfirmation: true });
    assert.deepEqual(server(), []);
    assert.equal(await exec('vbotCrm.undoLastChange', { projectCode: project, typeNo: 'DEL', skipConfirmation: true }), 'done');
    assert.deepEqual(server(), [['DEL', 'Bị xóa']]);
    assert.deepEqual(await cachedTypes(ctx.api, project), [['DEL', 'Bị xóa']]);
    const [undo] = await ctx.api.journal.entries({ projectCode: project });
    assert.equal(undo.operation, 'create');
    assert.ok(undo.undoOf, 'the undo names the entry it reversed');
  });

  it('undoes a rename, a code change and a create', async () => {
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'R', typeName: 'Cũ' });
    await exec('vbotCrm.editTypeName', { projectCode: project, typeNo: 'R', typeName: 'Mới' });
    assert.equal(await exec('vbotCrm.undoLastChange', { projectCode: project, typeNo: 'R', skipConfirmation: true }), 'done');
    assert.deepEqual(server(), [['R', 'Cũ']]);

    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'C1', typeName: 'Mã' });
    await exec('vbotCrm.changeTypeCode', { projectCode: project, typeNo: 'C1', newTypeNo: 'C2' });
    assert.equal(await exec('vbotCrm.undoLastChange', { projectCode: project, typeNo: 'C2', skipConfirmation: true }), 'done');
    assert.deepEqual(
      server()
        .map(([c]) => c)
        .sort(),
      ['C1', 'R'],
    );

    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'NEWONE', typeName: 'Thêm nhầm' });
    assert.equal(await exec('vbotCrm.undoLastChange', { projectCode: project, typeNo: 'NEWONE', skipConfirmation: true }), 'done');
    assert.deepEqual(
      server()
        .map(([c]) => c)
        .sort(),
      ['C1', 'R'],
    );
    assert.deepEqual((await cachedTypes(ctx.api, project)).map(([c]) => c).sort(), ['C1', 'R']);
  });

  it('a failing undo is reported like any failure and changes nothing', async () => {
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'U', typeName: 'Giữ' });
    await exec('vbotCrm.deleteType', { projectCode: project, typeNo: 'U', skipConfirmation: true });
    ctx.sandbox.injectFault({ fault: { kind: 'html502' } });
    assert.equal(await exec('vbotCrm.undoLastChange', { projectCode: project, typeNo: 'U', skipConfirmation: true }), 'failed');
    assert.match(lastNotification(ctx.api).message, /502/);
    assert.deepEqual(await cachedTypes(ctx.api, project), []);
  });

  it('says so when there is nothing to undo', async () => {
    assert.equal(await exec('vbotCrm.undoLastChange', { projectCode: project, skipConfirmation: true }), 'done');
    assert.match(lastNotification(ctx.api).message, /no change/i);
  });
});
