// Outside text never acts, in the real extension host: every path that shows text we did not write
// (a vbot-types.json's keys, a server's message, type names and codes, file names, the import preview,
// the history document, the log) is driven with hostile values, and what a user would see is checked
// with VS Code's own link pattern: no notification, dialog, quick pick item or tree item holds a link,
// no Markdown we build renders a value as Markdown, and no log line is split by a value.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hasLiveLink } from '../../src/core/outsideText';
import { planImport } from '../../src/core/transfer/importPlan';
import { projectItems, typeItems } from '../../src/vscode/prompts';
import { importPreviewRows } from '../../src/vscode/transferCommands';
import type { VbotSandbox } from '../sandbox/vbotSandbox';
import type { ShownNotification } from '../../src/vscode/notifier';
import { USER, VBOT_ID, exec, lastNotification, sandboxSuite, setSetting, startSandbox } from './helpers';

/** A link VS Code would draw in a notification, running one of our commands with a destructive argument. */
const LINK = '[Click here to fix](command:vbotCrm.deleteType?%7B%22typeNo%22%3A%22VIP%22%2C%22skipConfirmation%22%3Atrue%7D "Fix")';
const HOSTILE_NAME = `${LINK} $(alert) **bold** <img src=x onerror=alert(1)> | cell`;
const HOSTILE_CODE = '[x](command:vbotCrm.signOut)';
const HOSTILE_PROJECT = '[p](https://evil.example)';

function assertInert(text: string | undefined, where: string): void {
  assert.ok(text !== undefined, `${where}: shown`);
  assert.equal(hasLiveLink(text), false, `${where} holds a live link: ${text}`);
  assert.doesNotMatch(text, /[\n\r\u2028\u2029]/, `${where} holds a line break`);
}

/** Every icon in quick pick text is one of ours: any `$(` from a value is escaped. */
function assertNoValueIcon(text: string | undefined, ownIcons: string[], where: string): void {
  const icons = [...(text ?? '').matchAll(/(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g)].filter((m) => !m[1]).map((m) => m[2]);
  assert.deepEqual(
    icons.filter((i) => !ownIcons.includes(i)),
    [],
    `${where} draws an icon from a value: ${text}`,
  );
}

describe('outside text never acts (notifications, dialogs, quick picks, tree, documents, log)', () => {
  const ctx = sandboxSuite({ signIn: true, tempDir: 'vbot-outside-' });

  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('an unknown key with a command link in vbot-types.json is shown as plain text', async () => {
    const file = path.join(ctx.dir, 'vbot-types.json');
    await fs.writeFile(file, JSON.stringify({ version: 1, projects: [], [LINK]: true }));
    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'invalid');
    const shown = lastNotification(ctx.api);
    assertInert(shown.message, 'plan error');
    assert.ok(shown.message.includes('[Click here to fix] (command:vbotCrm.deleteType'), `the key is still readable: ${shown.message}`);
  });

  it("a server's error message with a link and line breaks is shown as one inert line", async () => {
    ctx.sandbox.injectFault({
      fault: { kind: 'envelopeError', error: 403, message: `Bị từ chối.\n${LINK}\r\nforged line` },
      path: '/api/crm/type/create',
      times: 1,
    });
    await exec('vbotCrm.addProject', { projectCode: 'SALES' });
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' }), 'failed');
    const shown = lastNotification(ctx.api);
    assertInert(shown.message, 'server error');
    assert.match(shown.message, /Bị từ chối\./);
    for (const line of ctx.api.testHooks.logLines) assert.doesNotMatch(line, /[\n\r]/, `a log line was split: ${JSON.stringify(line)}`);
  });

  it('hostile type names, codes and project codes stay inert in notifications, the tree, tooltips and quick picks', async () => {
    await exec('vbotCrm.addProject', { projectCode: HOSTILE_PROJECT });
    assert.equal(await exec('vbotCrm.addType', { projectCode: HOSTILE_PROJECT, typeNo: HOSTILE_CODE, typeName: HOSTILE_NAME }), 'done');
    assertInert(lastNotification(ctx.api).message, 'add notification');
    assert.ok(lastNotification(ctx.api).message.includes('[x] (command:vbotCrm.signOut)'), lastNotification(ctx.api).message);
    assert.equal(
      await exec('vbotCrm.editTypeName', { projectCode: HOSTILE_PROJECT, typeNo: HOSTILE_CODE, typeName: `${HOSTILE_NAME}!` }),
      'done',
    );
    assertInert(lastNotification(ctx.api).message, 'rename notification');

    const roots = await ctx.api.tree.getChildren();
    const project = roots.find((n) => n.kind === 'project' && n.projectCode === HOSTILE_PROJECT);
    assert.ok(project, 'the project is in the tree');
    const projectItem = ctx.api.tree.getTreeItem(project);
    assertInert(String(projectItem.label), 'project label');
    assertInert(String(projectItem.tooltip), 'project tooltip');
    const [typeNodeOf] = await ctx.api.tree.getChildren(project);
    const item = ctx.api.tree.getTreeItem(typeNodeOf);
    assertInert(String(item.label), 'type label');
    assertInert(String(item.description), 'type description');
    const tooltip = ctx.api.tree.resolveTreeItem(item, typeNodeOf);
    const markdown = tooltip.tooltip as vscode.MarkdownString;
    assert.ok(!markdown.isTrusted && !markdown.supportHtml, 'the tooltip is untrusted Markdown without HTML');
    assert.ok(markdown.value.includes('\\[Click here to fix\\]'), `the name is escaped in the tooltip: ${markdown.value}`);
    assert.ok(markdown.value.includes('\\<img'), 'HTML is escaped');
    assert.ok(markdown.value.includes('\\*\\*bold\\*\\*'), 'emphasis is escaped');

    const snapshot = ctx.api.cache.snapshot();
    for (const i of projectItems(snapshot)) {
      assertInert(i.label, 'project quick pick label');
      assertNoValueIcon(`${i.label} ${i.description} ${i.detail}`, [], 'project quick pick item');
    }
    for (const i of typeItems(snapshot, VBOT_ID, HOSTILE_PROJECT)) {
      assertInert(i.label, 'type quick pick label');
      assertNoValueIcon(`${i.label} ${i.description}`, [], 'type quick pick item');
    }

    assert.equal(await exec('vbotCrm.deleteType', { projectCode: HOSTILE_PROJECT, typeNo: HOSTILE_CODE, skipConfirmation: true }), 'done');
    assertInert(lastNotification(ctx.api).message, 'delete notification');
  });

  it('the History view shows names and server messages as text, not Markdown', async () => {
    await exec('vbotCrm.addProject', { projectCode: 'SALES' });
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: HOSTILE_NAME }), 'done');
    ctx.sandbox.injectFault({
      fault: { kind: 'envelopeError', error: 403, message: `| forged | cell | ${LINK}` },
      path: '/api/crm/type/update',
      times: 1,
    });
    assert.equal(await exec('vbotCrm.editTypeName', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách VIP' }), 'failed');
    assert.equal(await exec('vbotCrm.showHistory', { projectCode: 'SALES' }), 'done');
    // The view's items as VS Code gets them: labels are plain text; tooltips are Markdown with every value escaped.
    const tree = (ctx.api as unknown as { historyTree: vscode.TreeDataProvider<{ kind: string; projectCode?: string }> }).historyTree;
    const project = (await tree.getChildren())!.find((p) => p.projectCode === 'SALES')!;
    const [failed, added] = (await tree.getChildren(project))!.slice(0, 2);
    const token = new vscode.CancellationTokenSource().token;
    for (const node of [failed, added]) {
      const item = (await tree.resolveTreeItem!(await tree.getTreeItem(node), node, token))!;
      assertInert(String(item.label), 'history label');
      const tip = (item.tooltip as vscode.MarkdownString).value;
      assert.ok(!/(?<!\\)\[Click here to fix(?<!\\)\]\(/.test(tip), `no Markdown link from a value: ${tip}`);
      assert.ok(!/(?<!\\)<img/.test(tip), `HTML from a value is escaped: ${tip}`);
    }
    const addedItem = await tree.getTreeItem(added);
    assert.ok(String(addedItem.label).includes('**bold**'), 'the name is shown as typed');
  });

  it('a file name with a link is shown as text when importing and exporting', async () => {
    const file = path.join(ctx.dir, '[f](command:vbotCrm.signOut).csv');
    await fs.writeFile(file, `vbot_id,project_code,type_no,type_name\n${VBOT_ID},SALES,VIP,"${HOSTILE_NAME.replace(/"/g, '""')}"\n`);
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'listOnly', skipConfirmation: true }), 'done');
    assertInert(lastNotification(ctx.api).message, 'import notification');
    assert.ok(lastNotification(ctx.api).message.includes('[f] (command:vbotCrm.signOut).csv'), lastNotification(ctx.api).message);

    const out = path.join(ctx.dir, '[g](command:vbotCrm.signOut).json');
    assert.equal(
      await exec('vbotCrm.exportTypes', { projectCode: 'SALES', format: 'json', filePath: out, skipConfirmation: true }),
      'done',
    );
    assertInert(lastNotification(ctx.api).message, 'export notification');
  });

  it('the import preview shows hostile names as text, with only our own icons', async () => {
    const plan = planImport(ctx.api.cache.snapshot(), [
      { vbotId: VBOT_ID, projectCode: HOSTILE_PROJECT, typeNo: HOSTILE_CODE, typeName: HOSTILE_NAME },
    ]);
    const rows = importPreviewRows(plan);
    assert.ok(rows.length >= 3, 'the preview lists the new type');
    for (const r of rows) {
      assertInert(r.label, 'preview label');
      assertNoValueIcon(`${r.label} ${r.description ?? ''} ${r.detail ?? ''}`, ['check', 'add', 'edit'], 'preview row');
    }
    assert.ok(
      rows.some((r) => r.label.includes('\\$(alert)')),
      'the $(alert) of the name is escaped, shown as typed',
    );
  });
});

describe('arguments that move credentials or write files are confirmed', () => {
  const ctx = sandboxSuite();
  let elsewhere: VbotSandbox;

  before(async () => {
    elsewhere = await startSandbox();
  });
  after(async () => {
    ctx.api.notifier.answerModal = undefined;
    await setSetting('profiles', undefined);
    await elsewhere.close();
  });
  afterEach(() => {
    ctx.api.notifier.answerModal = undefined;
  });

  const profileNames = () =>
    (vscode.workspace.getConfiguration('vbotCrm').get<Array<{ name: string }>>('profiles') ?? []).map((p) => p.name);

  it('addProfile with a baseUrl names its origin and asks first; Cancel saves and activates nothing', async () => {
    const questions: ShownNotification[] = [];
    ctx.api.notifier.answerModal = (q) => {
      questions.push(q);
      return undefined;
    }; // the user presses Cancel
    const result = await exec('vbotCrm.addProfile', { name: 'linked', baseUrl: `${elsewhere.url}/`, vbotId: 'VB-X', apiVersion: 'v2' });
    assert.equal(result, 'cancelled');
    assert.equal(questions.length, 1, 'one modal question');
    const origin = new URL(elsewhere.url).origin;
    assert.ok(
      questions[0].message.includes(origin) && (questions[0].detail ?? '').includes('password'),
      `the question names ${origin} and what goes there: ${JSON.stringify(questions[0])}`,
    );
    assert.ok(!profileNames().includes('linked'), 'no profile was saved');
    assert.equal(await exec('vbotCrm.signIn', USER), 'done');
    assert.equal(elsewhere.requests.length, 0, 'the sign-in went to the configured server only');
  });

  it('exportTypes with a filePath asks before replacing a file outside the workspace, and never writes through a link', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vbot-export-arg-'));
    try {
      await exec('vbotCrm.addProject', { projectCode: 'SALES' });
      const existing = path.join(dir, 'precious.json');
      await fs.writeFile(existing, 'keep me');
      const questions: ShownNotification[] = [];
      ctx.api.notifier.answerModal = (q) => {
        questions.push(q);
        return undefined;
      }; // Cancel
      assert.equal(await exec('vbotCrm.exportTypes', { projectCode: 'SALES', format: 'json', filePath: existing }), 'cancelled');
      assert.equal(questions.length, 1);
      assert.ok((questions[0].detail ?? '').includes(existing), `the question names the file: ${questions[0].detail}`);
      assert.equal(await fs.readFile(existing, 'utf8'), 'keep me', 'nothing was written');

      const target = path.join(dir, 'outside-target.json');
      const link = path.join(dir, 'link.json');
      await fs.symlink(target, link);
      assert.equal(
        await exec('vbotCrm.exportTypes', { projectCode: 'SALES', format: 'json', filePath: link, skipConfirmation: true }),
        'invalid',
      );
      assertInert(lastNotification(ctx.api).message, 'symlink refusal');
      await assert.rejects(fs.lstat(target), 'the link target was not created');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('addProfile with a baseUrl is saved and made active once the user agrees', async () => {
    ctx.api.notifier.answerModal = (q) => q.actions[0];
    assert.equal(await exec('vbotCrm.addProfile', { name: 'agreed', baseUrl: elsewhere.url, vbotId: 'VB-X', apiVersion: 'v2' }), 'done');
    assert.ok(profileNames().includes('agreed'));
    await exec('vbotCrm.switchProfile', { name: 'default' });
  });
});
