// The tree: projects with their VBotID, sorted types, stable ids, only the touched project
// refreshed, welcome-view context keys, and changes written by another window picked up live.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CustomerTypeCache } from '../../src/core/cache/customerTypeCache';
import type { CrmNode } from '../../src/vscode/typeTreeProvider';
import { USER, VBOT_ID, sandboxSuite, revealRow, treeTypes, typeNode, waitFor, exec } from './helpers';

describe('customer type tree', () => {
  const ctx = sandboxSuite({ signIn: true });

  it('shows projects (code, VBotID) and their types sorted by name, with code and tooltip', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'Z1', typeName: 'Đại lý' });
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'A1', typeName: 'Ưu tiên' });
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'M1', typeName: 'Bán lẻ' });
    await exec('vbotCrm.addProject', { vbotId: 'VB-OTHER', projectCode: 'ALPHA' });
    const roots = await ctx.api.tree.getChildren();
    const rootItems = roots.map((r) => ctx.api.tree.getTreeItem(r));
    assert.deepEqual(
      rootItems.map((i) => [i.label, i.description]),
      [
        ['ALPHA', 'VB-OTHER'],
        ['SALES', VBOT_ID],
      ],
    );
    assert.ok(rootItems.every((i) => i.contextValue === 'vbotProject'));
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [
      ['Bán lẻ', 'M1'],
      ['Đại lý', 'Z1'],
      ['Ưu tiên', 'A1'],
    ]);
    const node = await typeNode(ctx.api, 'SALES', 'Z1');
    const item = ctx.api.tree.getTreeItem(node);
    assert.equal(item.contextValue, 'vbotType');
    assert.equal(item.tooltip, undefined, 'the tooltip waits for the pointer (resolveTreeItem)');
    const resolved = ctx.api.tree.resolveTreeItem(item, node);
    const tooltip = (resolved.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes('Z1') && tooltip.includes('Đại lý'), 'tooltip names code and name');
  });

  it('ids are stable across refreshes and unique across projects', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    await exec('vbotCrm.addType', { projectCode: 'CSKH', typeNo: 'VIP', typeName: 'VIP' });
    const ids = async () => {
      const out: string[] = [];
      for (const root of await ctx.api.tree.getChildren()) {
        out.push(ctx.api.tree.getTreeItem(root).id!);
        for (const child of await ctx.api.tree.getChildren(root)) out.push(ctx.api.tree.getTreeItem(child).id!);
      }
      return out;
    };
    const first = await ids();
    await exec('vbotCrm.refresh');
    await exec('vbotCrm.editTypeName', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Renamed' });
    assert.deepEqual(await ids(), first);
    assert.equal(new Set(first).size, first.length, 'no duplicate ids');
  });

  it('a change refreshes only the project it touched', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    await exec('vbotCrm.addType', { projectCode: 'CSKH', typeNo: 'VIP', typeName: 'VIP' });
    const fired: Array<CrmNode | undefined> = [];
    const sub = ctx.api.tree.onDidChangeTreeData((n) => fired.push(n as CrmNode | undefined));
    try {
      await exec('vbotCrm.editTypeName', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Renamed' });
      await waitFor(() => fired.length > 0, 'a tree change event');
      assert.ok(
        fired.every((n) => n?.kind === 'project' && n.projectCode === 'SALES'),
        JSON.stringify(fired),
      );
    } finally {
      sub.dispose();
    }
  });

  it('follows a change another window writes to the cache file, without a reload', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    // A second cache instance on the same file is what another VS Code window is.
    const otherWindow = new CustomerTypeCache(ctx.api.cache.filePath);
    await otherWindow.load();
    await otherWindow.upsertType(VBOT_ID, 'SALES', { typeNo: 'FROM_B', typeName: 'Từ cửa sổ khác' });
    await waitFor(
      async () => (await treeTypes(ctx.api, 'SALES')).some(([, code]) => code === 'FROM_B'),
      "the tree to show the other window's type",
    );
    // In display order, not sorted here: a type placed at the end of the drawn list would show there.
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [
      ['Từ cửa sổ khác', 'FROM_B'],
      ['VIP', 'VIP'],
    ]);
    // And this window's next change keeps it, and lands in its place.
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'MINE', typeName: 'Của tôi' });
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [
      ['Của tôi', 'MINE'],
      ['Từ cửa sổ khác', 'FROM_B'],
      ['VIP', 'VIP'],
    ]);
    // A rename and a code change from the other window move the type to where its new name and code go.
    await otherWindow.upsertType(VBOT_ID, 'SALES', { typeNo: 'VIP', typeName: 'Ánh' });
    await waitFor(async () => (await treeTypes(ctx.api, 'SALES')).some(([name]) => name === 'Ánh'), "the other window's rename");
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [
      ['Ánh', 'VIP'],
      ['Của tôi', 'MINE'],
      ['Từ cửa sổ khác', 'FROM_B'],
    ]);
    await otherWindow.changeTypeCode(VBOT_ID, 'SALES', 'FROM_B', 'B2');
    await waitFor(async () => (await treeTypes(ctx.api, 'SALES')).some(([, code]) => code === 'B2'), "the other window's code change");
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [
      ['Ánh', 'VIP'],
      ['Của tôi', 'MINE'],
      ['Từ cửa sổ khác', 'B2'],
    ]);
  });

  it('a drawn project keeps display order after add, rename and change of code (exact order, not sorted by the test)', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'A1', typeName: 'An' });
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'E1', typeName: 'Em' });
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'G1', typeName: 'Giang' });
    // Drawn once, as VS Code does when the view is open: later changes are placed into this list.
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [
      ['An', 'A1'],
      ['Em', 'E1'],
      ['Giang', 'G1'],
    ]);
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'C1', typeName: 'Cường' }), 'done');
    assert.deepEqual(
      await treeTypes(ctx.api, 'SALES'),
      [
        ['An', 'A1'],
        ['Cường', 'C1'],
        ['Em', 'E1'],
        ['Giang', 'G1'],
      ],
      'added in its place',
    );
    assert.equal(await exec('vbotCrm.editTypeName', { projectCode: 'SALES', typeNo: 'G1', typeName: 'Bảo' }), 'done');
    assert.deepEqual(
      await treeTypes(ctx.api, 'SALES'),
      [
        ['An', 'A1'],
        ['Bảo', 'G1'],
        ['Cường', 'C1'],
        ['Em', 'E1'],
      ],
      'renamed, moved',
    );
    assert.equal(await exec('vbotCrm.changeTypeCode', { projectCode: 'SALES', typeNo: 'A1', newTypeNo: 'Z9' }), 'done');
    assert.deepEqual(
      await treeTypes(ctx.api, 'SALES'),
      [
        ['An', 'Z9'],
        ['Bảo', 'G1'],
        ['Cường', 'C1'],
        ['Em', 'E1'],
      ],
      'new code, same place',
    );
    // Two types of the same name: the code decides, as in the full sort.
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'B0', typeName: 'Bảo' }), 'done');
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [
      ['An', 'Z9'],
      ['Bảo', 'B0'],
      ['Bảo', 'G1'],
      ['Cường', 'C1'],
      ['Em', 'E1'],
    ]);
  });

  it('removeProject forgets the project locally only', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    assert.equal(await exec('vbotCrm.removeProject', { projectCode: 'SALES', skipConfirmation: true }), 'done');
    assert.equal((await ctx.api.tree.getChildren()).length, 0);
    assert.equal(ctx.sandbox.types(VBOT_ID, 'SALES').length, 1, 'still on the server');
  });

  it('opens projects expanded while the cache is small, collapsed once it holds more than 500 types', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    const projectState = async () => {
      const [root] = await ctx.api.tree.getChildren();
      return ctx.api.tree.getTreeItem(root).collapsibleState;
    };
    assert.equal(await projectState(), vscode.TreeItemCollapsibleState.Expanded);
    const otherWindow = new CustomerTypeCache(ctx.api.cache.filePath);
    await otherWindow.load();
    await otherWindow.applyEdits(
      Array.from({ length: 600 }, (_, i) => ({
        kind: 'upsert' as const,
        vbotId: VBOT_ID,
        projectCode: 'SALES',
        typeNo: `T${i}`,
        typeName: `Kiểu ${i}`,
      })),
    );
    await waitFor(() => ctx.api.cache.snapshot().typeCount() === 601, 'the tree to see 601 types');
    assert.equal(await projectState(), vscode.TreeItemCollapsibleState.Collapsed);
    // The first draw of the big project reads the order worked out for it: by name, numbers by value.
    const [root] = await ctx.api.tree.getChildren();
    const names = (await ctx.api.tree.getChildren(root)).map((n) => ctx.api.tree.getTreeItem(n).label);
    assert.deepEqual(names.slice(0, 3), ['Kiểu 0', 'Kiểu 1', 'Kiểu 2']);
    assert.equal(names[10], 'Kiểu 10');
  });

  // Issue 16: once the tree has data the welcome view is gone; the line says where the Sign In button is.
  it('signed out with projects, the view says so and points at its Sign In button; signed in, nothing', async () => {
    await exec('vbotCrm.addProject', { projectCode: 'SALES' });
    await waitFor(() => ctx.api.treeView.message === undefined, 'no line while signed in');
    await exec('vbotCrm.signOut');
    await waitFor(() => /^Signed out: click Sign In at the top of this view/.test(ctx.api.treeView.message ?? ''), 'the signed-out line');
    await exec('vbotCrm.signIn', USER);
    await waitFor(() => ctx.api.treeView.message === undefined, 'the line gone after signing in');
  });

  it('Reload Local List reads the file again and says what it holds', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    await exec('vbotCrm.addProject', { projectCode: 'CSKH' });
    assert.equal(await exec('vbotCrm.refresh'), 'done');
    const last = ctx.api.notifier.shown[ctx.api.notifier.shown.length - 1];
    assert.deepEqual([last.severity, last.message], ['status', 'Local list reloaded: 1 customer type in 2 projects.']);
  });

  it('several rows can be selected (canSelectMany): Delete and Ctrl+C on the tree then act on every selected type', async () => {
    for (const [typeNo, typeName] of [
      ['A1', 'An 1'],
      ['A2', 'An 2'],
      ['A3', 'An 3'],
      ['Z9', 'Zê'],
    ])
      await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo, typeName });
    const codes = () => ctx.api.treeView.selection.map((n) => (n.kind === 'type' ? n.typeNo : n.projectCode));
    // The extension selects each new type once it is in the tree (changes.ts, not awaited): the last one's selection
    // should land before the test's own, or it replaces it (a CI run started the range at Z9). It may not come at all
    // (the extension gives up when VS Code refuses an overlapping fetch), so this only waits a while.
    await waitFor(() => codes().join() === 'Z9', 'the last new type selected by the extension').catch(() => undefined);
    await revealRow(ctx.api, await typeNode(ctx.api, 'SALES', 'A1'), { select: true, focus: true });
    await waitFor(() => codes().join() === 'A1', 'the first type selected');
    // Shift+Down twice, as a person extends a selection in a list.
    await vscode.commands.executeCommand('list.expandSelectionDown');
    await vscode.commands.executeCommand('list.expandSelectionDown');
    await waitFor(() => ctx.api.treeView.selection.length === 3, 'three rows selected');
    assert.deepEqual(codes(), ['A1', 'A2', 'A3']);

    assert.equal(await exec('vbotCrm.selectedType.copyTypeCode'), 'done');
    assert.equal(await vscode.env.clipboard.readText(), 'A1\nA2\nA3');

    const questions: string[] = [];
    ctx.api.notifier.answerModal = (q) => (questions.push(q.message), q.actions[0]);
    try {
      assert.equal(await exec('vbotCrm.selectedType.deleteType'), 'done');
    } finally {
      ctx.api.notifier.answerModal = undefined;
    }
    assert.deepEqual(questions, ['Delete 3 customer types from VBot?']);
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'SALES'), [{ typeNo: 'Z9', typeName: 'Zê' }]);
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [['Zê', 'Z9']]);
  });
});
