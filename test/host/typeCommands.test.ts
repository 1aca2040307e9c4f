// Each type command, with an argument object and through tree items, against the sandbox:
// the server got the right request, the cache file and the tree show the result, and a
// failure leaves both as they were.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  VBOT_ID,
  cachedTypes,
  crmRequests,
  lastNotification,
  revealRow,
  sandboxSuite,
  treeTypes,
  typeNode,
  exec,
  waitFor,
} from './helpers';

describe('customer type commands', () => {
  const ctx = sandboxSuite({ signIn: true });

  it('addType with arguments creates on the server, then in the cache and the tree', async () => {
    const result = await exec('vbotCrm.addType', { vbotId: VBOT_ID, projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách hàng VIP' });
    assert.equal(result, 'done');
    const [req] = crmRequests(ctx.sandbox);
    assert.equal(req.path, '/api/crm/type/create');
    assert.deepEqual(req.body, { vbot_id: VBOT_ID, project_code: 'SALES', type_name: 'Khách hàng VIP', type_no: 'VIP' });
    assert.match(String(req.headers.authorization), /^Bearer \S+$/);
    assert.deepEqual(
      ctx.sandbox.types(VBOT_ID, 'SALES').map((t) => t.typeNo),
      ['VIP'],
    );
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['VIP', 'Khách hàng VIP']]);
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [['Khách hàng VIP', 'VIP']]);
    assert.equal(lastNotification(ctx.api).severity, 'info');
    assert.match(lastNotification(ctx.api).message, /Khách hàng VIP/);
  });

  it('addType on a project tree item takes the project from the item', async () => {
    await ctx.api.cache.addProject(VBOT_ID, 'CSKH');
    const project = (await ctx.api.tree.getChildren()).find((n) => n.kind === 'project' && n.projectCode === 'CSKH');
    assert.ok(project);
    assert.equal(await exec('vbotCrm.addType', { ...project, typeNo: 'DAI_LY', typeName: 'Đại lý' }), 'done');
    assert.deepEqual(await cachedTypes(ctx.api, 'CSKH'), [['DAI_LY', 'Đại lý']]);
  });

  it('addType refuses a code already in the project without calling the server', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    const before = ctx.sandbox.requests.length;
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Other' }), 'invalid');
    assert.equal(ctx.sandbox.requests.length, before);
    assert.equal(lastNotification(ctx.api).severity, 'error');
  });

  it('addType refuses invalid input before any request', async () => {
    for (const bad of [{ typeNo: '   ' }, { typeNo: 'A\u0007B' }, { typeNo: 'x'.repeat(51) }, { typeName: '\u202Eevil' }, { typeNo: 42 }]) {
      const result = await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'OK', typeName: 'Fine', ...bad });
      assert.equal(result, 'invalid', JSON.stringify(bad));
    }
    assert.equal(crmRequests(ctx.sandbox).length, 0);
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), []);
  });

  it('a server refusal (409) leaves cache and tree unchanged and says why', async () => {
    ctx.sandbox.seed(VBOT_ID, 'SALES', [{ typeNo: 'VIP', typeName: 'On server' }]);
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Mine' }), 'failed');
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), []);
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), []);
    const n = lastNotification(ctx.api);
    assert.equal(n.severity, 'error');
    assert.match(n.message, /VIP/);
    assert.ok(n.actions.length >= 2, 'offers to add it to the local list and to show the log');
  });

  it('renaming a type to the name it has sends nothing and says so', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'SAME', typeName: 'Giữ nguyên' });
    const sent = crmRequests(ctx.sandbox).length;
    assert.equal(await exec('vbotCrm.editTypeName', { projectCode: 'SALES', typeNo: 'SAME', typeName: 'Giữ nguyên' }), 'done');
    assert.equal(crmRequests(ctx.sandbox).length, sent);
    assert.match(lastNotification(ctx.api).message, /already named "Giữ nguyên"; nothing was sent/);
  });

  it('editTypeName with arguments and through a tree item', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Old' });
    assert.equal(await exec('vbotCrm.editTypeName', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Mới' }), 'done');
    assert.deepEqual(crmRequests(ctx.sandbox).at(-1)?.body, { vbot_id: VBOT_ID, project_code: 'SALES', type_name: 'Mới', type_no: 'VIP' });
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['VIP', 'Mới']]);
    const node = await typeNode(ctx.api, 'SALES', 'VIP');
    assert.equal(await exec('vbotCrm.editTypeName', { ...node, typeName: 'Từ cây' }), 'done');
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [['Từ cây', 'VIP']]);
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'SALES'), [{ typeNo: 'VIP', typeName: 'Từ cây' }]);
  });

  it('changeTypeCode sends type_no_old/type_no_new and moves the cache entry', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách VIP' });
    const node = await typeNode(ctx.api, 'SALES', 'VIP');
    assert.equal(await exec('vbotCrm.changeTypeCode', { ...node, newTypeNo: 'VIP2' }), 'done');
    const req = crmRequests(ctx.sandbox).at(-1)!;
    assert.equal(req.path, '/api/crm/type/updateNo');
    assert.deepEqual(req.body, { vbot_id: VBOT_ID, project_code: 'SALES', type_no_old: 'VIP', type_no_new: 'VIP2' });
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['VIP2', 'Khách VIP']]);
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [['Khách VIP', 'VIP2']]);
  });

  it('changeTypeCode refuses a code already used in the project', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'A', typeName: 'A' });
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'B', typeName: 'B' });
    const before = crmRequests(ctx.sandbox).length;
    assert.equal(await exec('vbotCrm.changeTypeCode', { projectCode: 'SALES', typeNo: 'A', newTypeNo: 'B' }), 'invalid');
    assert.equal(crmRequests(ctx.sandbox).length, before);
  });

  it('deleteType with skipConfirmation deletes on the server and in the cache', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'NEW', typeName: 'Mới' });
    const node = await typeNode(ctx.api, 'SALES', 'VIP');
    assert.equal(await exec('vbotCrm.deleteType', { ...node, skipConfirmation: true }), 'done');
    assert.deepEqual(crmRequests(ctx.sandbox).at(-1)?.body, { vbot_id: VBOT_ID, project_code: 'SALES', type_no: 'VIP' });
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['NEW', 'Mới']]);
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [['Mới', 'NEW']]);
  });

  it('a 404 on delete keeps the cache and offers to remove the stale entry', async () => {
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'GONE', typeName: 'Gone' });
    assert.equal(await exec('vbotCrm.deleteType', { projectCode: 'SALES', typeNo: 'GONE', skipConfirmation: true }), 'failed');
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['GONE', 'Gone']]);
    assert.ok(lastNotification(ctx.api).actions.some((a) => /Remove/.test(a)));
  });

  it('signed out: the call is not made and the user is offered to sign in', async () => {
    await exec('vbotCrm.signOut');
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' }), 'failed');
    assert.equal(crmRequests(ctx.sandbox).length, 0);
    assert.ok(lastNotification(ctx.api).actions.some((a) => /Sign In/.test(a)));
  });

  it('an expired token is refreshed once and the call retried, without asking the user', async () => {
    ctx.sandbox.expireAccessTokens();
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' }), 'done');
    const paths = ctx.sandbox.requests.map((r) => r.path);
    assert.deepEqual(paths.slice(-3), ['/api/crm/type/create', '/token', '/api/crm/type/create']);
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['VIP', 'VIP']]);
  });

  it('copyTypeCode puts the code on the clipboard', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    assert.equal(await exec('vbotCrm.copyTypeCode', await typeNode(ctx.api, 'SALES', 'VIP')), 'done');
    assert.equal(await vscode.env.clipboard.readText(), 'VIP');
  });
});

/**
 * Answers the extension's prompts in a person's place, one answer per prompt in order, and keeps each: the
 * real quick inputs, shown in the workbench (src/vscode/prompts.ts hands each one to this hook once shown).
 * A prompt beyond the answers is closed (Escape).
 */
function answerPrompts(answers: Array<(input: vscode.QuickInput) => Thenable<unknown> | void>) {
  const key = Symbol.for('vbotCrm.promptShown');
  const seen: vscode.QuickInput[] = [];
  (globalThis as Record<symbol, unknown>)[key] = (input: vscode.QuickInput) => {
    seen.push(input);
    const answer = answers.shift() ?? ((i: vscode.QuickInput) => i.hide());
    setTimeout(() => void answer(input), 0);
  };
  return { seen, stop: () => delete (globalThis as Record<symbol, unknown>)[key] };
}
/** Enter in the open prompt (an input box with `value` typed first; a pick takes its first row). */
const enter = (value?: string) => (input: vscode.QuickInput) => {
  if (value !== undefined) (input as vscode.InputBox).value = value;
  return vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
};
const promptOf = (input: vscode.QuickInput | undefined) => (input as vscode.InputBox | undefined)?.prompt ?? '';

describe("the view's title bar and the tree's keys", () => {
  const ctx = sandboxSuite({ signIn: true });
  let prompts: ReturnType<typeof answerPrompts> | undefined;
  afterEach(() => {
    prompts?.stop();
    ctx.api.notifier.answerModal = undefined;
  });
  /** The project row, as VS Code hands it (focused row, then the selection) to a title-bar command. */
  async function projectRow(projectCode: string) {
    await ctx.api.cache.addProject(VBOT_ID, projectCode);
    const node = (await ctx.api.tree.getChildren()).find((n) => n.kind === 'project' && n.projectCode === projectCode);
    assert.ok(node);
    return node;
  }

  it('title-bar commands ask for what they need, whatever row VS Code hands them (Add Profile asks for the VBotID)', async () => {
    const row = await projectRow('SALES');
    prompts = answerPrompts([enter('from-title'), enter(), enter()]);
    assert.equal(await vscode.commands.executeCommand('vbotCrm.viewTitle.addProfile', row, [row]), 'cancelled');
    assert.deepEqual(
      prompts.seen.map((p) => [p.step, p.totalSteps]),
      [
        [1, 4],
        [2, 4],
        [3, 4],
        [4, 4],
      ],
    );
    assert.match(promptOf(prompts.seen[3]), /VBotID/, 'the fourth question is the VBotID, not taken from the row');
    assert.equal((prompts.seen[3] as vscode.InputBox).value, '');
    assert.ok(!ctx.api.settings.profiles().some((p) => p.name === 'from-title'), 'nothing saved');

    // Add Type and Add Project: the project is asked for, not taken from the row.
    prompts.stop();
    prompts = answerPrompts([]);
    assert.equal(await vscode.commands.executeCommand('vbotCrm.viewTitle.addType', row, [row]), 'cancelled');
    assert.equal(prompts.seen.length, 1);
    assert.equal(
      (prompts.seen[0] as vscode.QuickPick<vscode.QuickPickItem>).items.length > 0,
      true,
      'the first question picks the project',
    );
    assert.equal(await vscode.commands.executeCommand('vbotCrm.viewTitle.addProject', row, [row]), 'cancelled');
    assert.match(promptOf(prompts.seen[1]), /Project code/);
    assert.equal(crmRequests(ctx.sandbox).length, 0);
    // The item menus still take the row.
    assert.equal(await exec('vbotCrm.addProject', row), 'done');
    assert.match(lastNotification(ctx.api).message, /already in the list/);
  });

  it('F2, Delete and Ctrl+C run on the type selected in the tree; on a project row they do nothing', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách VIP' });
    await revealRow(ctx.api, await typeNode(ctx.api, 'SALES', 'VIP'), { select: true, focus: true });
    await waitFor(() => ctx.api.treeView.selection[0]?.kind === 'type', 'the type is selected');

    assert.equal(await exec('vbotCrm.selectedType.copyTypeCode'), 'done');
    assert.equal(await vscode.env.clipboard.readText(), 'VIP');

    prompts = answerPrompts([enter('Khách VIP mới')]);
    assert.equal(await exec('vbotCrm.selectedType.editTypeName'), 'done');
    assert.match(promptOf(prompts.seen[0]), /New name of customer type VIP/);
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'SALES'), [{ typeNo: 'VIP', typeName: 'Khách VIP mới' }]);
    // The renamed type is selected again once the tree has redrawn it (src/vscode/changes.ts reveals it).
    await waitFor(
      () => (ctx.api.treeView.selection[0] as { currentName?: string })?.currentName === 'Khách VIP mới',
      'the renamed type selected',
    );

    const questions: string[] = [];
    ctx.api.notifier.answerModal = (q) => (questions.push(q.message), 'no');
    assert.equal(await exec('vbotCrm.selectedType.deleteType'), 'cancelled');
    assert.match(questions[0] ?? '', /Delete customer type .*VIP.* from project SALES\?/);
    assert.equal(ctx.sandbox.types(VBOT_ID, 'SALES').length, 1, 'cancelled: still there');
    ctx.api.notifier.answerModal = (q) => q.actions[0];
    assert.equal(await exec('vbotCrm.selectedType.deleteType'), 'done');
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'SALES'), []);

    const row = (await ctx.api.tree.getChildren()).find((n) => n.kind === 'project' && n.projectCode === 'SALES');
    assert.ok(row);
    await revealRow(ctx.api, row, { select: true, focus: true });
    await waitFor(() => ctx.api.treeView.selection[0]?.kind === 'project', 'the project is selected');
    const sent = ctx.sandbox.requests.length;
    const shown = ctx.api.notifier.shown.length;
    prompts.stop();
    prompts = answerPrompts([]);
    for (const id of ['editTypeName', 'deleteType', 'copyTypeCode'])
      assert.equal(await exec(`vbotCrm.selectedType.${id}`), 'cancelled', id);
    assert.equal(prompts.seen.length, 0, 'nothing asked');
    assert.equal(ctx.api.notifier.shown.length, shown, 'nothing shown');
    assert.equal(ctx.sandbox.requests.length, sent, 'nothing sent');
    assert.equal(await vscode.env.clipboard.readText(), 'VIP', 'the clipboard kept what it had');
  });
});

describe('several types selected in the tree', () => {
  const ctx = sandboxSuite({ signIn: true, tempDir: 'vbot-selection-' });
  afterEach(() => {
    ctx.api.notifier.answerModal = undefined;
    ctx.sandbox.clearFaults();
  });
  /** Runs a command as a menu of a row among several selected: VS Code passes (the row clicked, the rows selected). */
  const onSelection = (command: string, clicked: unknown, selected: unknown[]) =>
    vscode.commands.executeCommand<string>(command, clicked, selected);
  /** Types on the server and in the local list: [project, code, name] each. */
  async function seed(types: Array<[string, string, string]>) {
    for (const [projectCode, typeNo, typeName] of types) {
      assert.equal(await exec('vbotCrm.addType', { vbotId: VBOT_ID, projectCode, typeNo, typeName }), 'done');
    }
    ctx.api.notifier.shown.length = 0;
    return Promise.all(types.map(([projectCode, typeNo]) => typeNode(ctx.api, projectCode, typeNo)));
  }
  const deletes = () => crmRequests(ctx.sandbox).filter((r) => r.path === '/api/crm/type/delete');

  it('Delete on three selected types (two projects): one modal listing them by project, three deletes, one summary', async () => {
    const nodes = await seed([
      ['SALES', 'VIP', 'Khách VIP'],
      ['SALES', 'LE', 'Bán lẻ'],
      ['CSKH', 'DAI_LY', 'Đại lý'],
    ]);
    ctx.api.notifier.answerModal = (q) => q.actions[0];
    assert.equal(await onSelection('vbotCrm.deleteType', nodes[1], nodes), 'done');

    const shown = ctx.api.notifier.shown;
    assert.deepEqual(
      shown.map((n) => n.severity),
      ['modal', 'info'],
      'one question, one summary: no notification per type',
    );
    const [question, summary] = shown;
    assert.equal(question.message, 'Delete 3 customer types from VBot?');
    assert.deepEqual(question.actions, ['Delete']);
    assert.equal(
      question.detail,
      [
        'They will be deleted on the VBot server with profile "default". "Restore Deleted Type" (or Undo in the History view) can create each one again with the same code and name.',
        '',
        `Project SALES (VBotID ${VBOT_ID}): 2 customer types`,
        '  "Khách VIP" (VIP)',
        '  "Bán lẻ" (LE)',
        '',
        `Project CSKH (VBotID ${VBOT_ID}): 1 customer type`,
        '  "Đại lý" (DAI_LY)',
      ].join('\n'),
    );
    assert.equal(summary.message, 'Deleted 3 customer types (profile "default").');
    assert.deepEqual(
      deletes()
        .map((r) => r.body as Record<string, string>)
        .map((b) => `${b.project_code}/${b.type_no}`)
        .sort(),
      ['CSKH/DAI_LY', 'SALES/LE', 'SALES/VIP'],
    );
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'SALES'), []);
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'CSKH'), []);
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), []);
    assert.deepEqual(await treeTypes(ctx.api, 'CSKH'), []);
  });

  it('the modal names the first 10 types and counts the rest; Cancel sends nothing', async () => {
    const types: Array<[string, string, string]> = Array.from({ length: 12 }, (_, i) => [
      'SALES',
      `T${String(i).padStart(2, '0')}`,
      `Loại ${i}`,
    ]);
    const nodes = await seed(types);
    const sent = ctx.sandbox.requests.length;
    ctx.api.notifier.answerModal = () => 'Cancel';
    assert.equal(await onSelection('vbotCrm.deleteType', nodes[0], nodes), 'cancelled');
    const detail = ctx.api.notifier.shown[0]?.detail ?? '';
    assert.match(ctx.api.notifier.shown[0]?.message ?? '', /Delete 12 customer types/);
    assert.match(detail, /Project SALES \(VBotID [^)]+\): 12 customer types/);
    assert.equal(detail.split('\n').filter((l) => l.startsWith('  "')).length, 10, 'ten named');
    assert.match(detail, /\n\n…and 2 more\.$/);
    assert.equal(ctx.sandbox.requests.length, sent, 'nothing sent');
    assert.equal(ctx.sandbox.types(VBOT_ID, 'SALES').length, 12);
  });

  it('a failure among them: the one summary says so with Retry, which asks again for what is left and deletes it', async () => {
    const nodes = await seed([
      ['SALES', 'A', 'Một'],
      ['SALES', 'B', 'Hai'],
      ['SALES', 'C', 'Ba'],
    ]);
    const questions: string[] = [];
    ctx.api.notifier.answerModal = (q) => (questions.push(q.detail ?? ''), q.actions[0]);
    ctx.sandbox.failDeleteOnce(500);
    assert.equal(await onSelection('vbotCrm.deleteType', nodes[0], nodes), 'failed');
    const summary = lastNotification(ctx.api);
    assert.equal(summary.severity, 'warning');
    assert.match(
      summary.message,
      /^Deleting customer types: 2 deleted, 1 failed, 0 not started\. Could not delete customer type "[ABC]"\./,
    );
    assert.deepEqual(summary.actions, ['Retry', 'Show Log']);
    assert.equal(ctx.api.notifier.shown.filter((n) => n.severity !== 'modal').length, 1, 'one summary, no other notification');
    const left = ctx.sandbox.types(VBOT_ID, 'SALES');
    assert.equal(left.length, 1, 'the failed one is still on the server');
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [[left[0].typeNo, left[0].typeName]], 'and in the local list, alone');

    await summary.click?.('Retry');
    await waitFor(() => ctx.sandbox.types(VBOT_ID, 'SALES').length === 0, 'Retry deleted what was left');
    assert.equal(questions.length, 2, 'Retry asked again');
    assert.match(questions[1], new RegExp(`1 customer type\\n  "${left[0].typeName}" \\(${left[0].typeNo}\\)$`));
    await waitFor(() => /^Deleted 1 customer type /.test(lastNotification(ctx.api).message), 'the summary of the retry');
  });

  it('Copy Code copies every selected code, one a line; Rename acts on the row clicked only', async () => {
    const nodes = await seed([
      ['SALES', 'VIP', 'Khách VIP'],
      ['SALES', 'LE', 'Bán lẻ'],
      ['CSKH', 'DAI_LY', 'Đại lý'],
    ]);
    assert.equal(await onSelection('vbotCrm.copyTypeCode', nodes[2], nodes), 'done');
    assert.equal(await vscode.env.clipboard.readText(), 'VIP\nLE\nDAI_LY');
    // A row outside the selection (VS Code then passes no selection): that row alone.
    assert.equal(await onSelection('vbotCrm.copyTypeCode', nodes[2], nodes.slice(0, 2)), 'done');
    assert.equal(await vscode.env.clipboard.readText(), 'DAI_LY');

    assert.equal(await onSelection('vbotCrm.editTypeName', { ...nodes[1], typeName: 'Bán lẻ mới' }, nodes), 'done');
    assert.deepEqual(
      crmRequests(ctx.sandbox)
        .filter((r) => r.path === '/api/crm/type/update')
        .map((r) => (r.body as Record<string, string>).type_no),
      ['LE'],
    );
  });

  it('Export on selected types writes only those (JSON and CSV, across projects)', async () => {
    const nodes = await seed([
      ['SALES', 'VIP', 'Khách VIP'],
      ['SALES', 'LE', 'Bán lẻ'],
      ['SALES', 'SI', 'Bán sỉ'],
      ['CSKH', 'DAI_LY', 'Đại lý'],
    ]);
    const picked = [nodes[0], nodes[3]];
    const json = path.join(ctx.dir, 'picked.json');
    const arg = (filePath: string, format: string) => ({ ...nodes[3], filePath, format, skipConfirmation: true });
    assert.equal(await onSelection('vbotCrm.exportTypes', arg(json, 'json'), picked), 'done');
    assert.deepEqual(JSON.parse(await fs.readFile(json, 'utf8')), [
      { vbotId: VBOT_ID, projectCode: 'CSKH', typeNo: 'DAI_LY', typeName: 'Đại lý' },
      { vbotId: VBOT_ID, projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách VIP' },
    ]);
    assert.equal(lastNotification(ctx.api).message, 'Exported 2 customer types to picked.json.');

    const csv = path.join(ctx.dir, 'picked.csv');
    assert.equal(await onSelection('vbotCrm.exportTypes', arg(csv, 'csv'), picked), 'done');
    const lines = (await fs.readFile(csv, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.deepEqual(lines, ['vbot_id,project_code,type_no,type_name', `${VBOT_ID},CSKH,DAI_LY,Đại lý`, `${VBOT_ID},SALES,VIP,Khách VIP`]);

    // From a project row (no type clicked) the whole project is exported, as before.
    const project = (await ctx.api.tree.getChildren()).find((n) => n.kind === 'project' && n.projectCode === 'SALES');
    const whole = path.join(ctx.dir, 'sales.json');
    assert.equal(
      await onSelection('vbotCrm.exportTypes', { ...project, filePath: whole, format: 'json', skipConfirmation: true }, [project]),
      'done',
    );
    assert.equal((JSON.parse(await fs.readFile(whole, 'utf8')) as unknown[]).length, 3);
  });
});
