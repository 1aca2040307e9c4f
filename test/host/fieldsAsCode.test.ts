// Choice lists as code (a project's "fields" in vbot-types.json, API v3) in the real extension host against the
// sandbox over HTTP: Plan reads the server's own list and shows an option made "in the web console" (seeded in
// the sandbox, never in the file) as not in the file, and sends no change; Apply adds, edits and renames
// (previousCodes) through the one change runner, leaves that option alone, and the fields tree shows the result;
// planning again gives nothing to do. A profile that cannot read the fields gets the reason, and nothing is read.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FieldSeed } from '../sandbox/fieldSandbox';
import type { CrmNode } from '../../src/vscode/typeTreeProvider';
import { VBOT_ID, addV3Profile, exec, lastNotification, sandboxSuite } from './helpers';

const PROJECT = 'V3AC';
const FIELD = 'hang';
const SEEDED: FieldSeed = {
  code: FIELD,
  name: 'Hạng thành viên',
  type: 'SELECT',
  options: [
    { code: 'NHOM', name: 'Cao cấp', type: 'OPTGROUP', color: '#6A1B9A', text_color: '#FFFFFF', number: 1 },
    { code: 'KIM_CUONG', name: 'Kim cương', group: 'NHOM', color: '#00ACC1', text_color: '#FFFFFF', number: 2 },
    { code: 'VANG', name: 'Vàng', color: '#F9A825', text_color: '#000000', number: 3 },
    { code: 'BAC_CU', name: 'Bạc', number: 4 },
    // Made in VBot's web console: the file never names it.
    { code: 'WEB', name: 'Tạo trên web', number: 9 },
  ],
};
const DECLARED = {
  [FIELD]: {
    options: [
      { code: 'NHOM', name: 'Cao cấp', type: 'OPTGROUP', color: '#6A1B9A' },
      { code: 'KIM_CUONG', name: 'Kim cương', color: '#00ACC1', group: 'NHOM' },
      { code: 'VANG', name: 'Vàng mới', color: '#F9A825' },
      { code: 'BAC', name: 'Bạc', previousCodes: ['BAC_CU'] },
      { code: 'DONG', name: 'Đồng', color: '#8D6E63' },
    ],
  },
};

const editorText = () => vscode.window.activeTextEditor?.document.getText() ?? '';

describe('choice lists as code (API v3): plan against the server, apply through the runner', () => {
  const ctx = sandboxSuite({ closeEditors: true, tempDir: 'vbot-fields-code-' });
  let file: string;

  before(() => {
    file = path.join(ctx.dir, 'vbot-types.json');
  });
  const writeFile = (fields: unknown) =>
    fs.writeFile(file, JSON.stringify({ version: 1, projects: [{ vbotId: VBOT_ID, projectCode: PROJECT, types: [], fields }] }, null, 2));
  const fieldRequests = () => ctx.sandbox.requests.filter((r) => r.path.includes('/customerfield/'));
  const server = () =>
    ctx.sandbox.fields.options(VBOT_ID, PROJECT, FIELD).map((o) => [o.code, o.name, o.number, o.customer_field_option_group_code]);

  const item = (n: CrmNode) => ctx.api.tree.getTreeItem(n);
  /** The rows under the field in the tree: [label, description]. */
  async function treeRows(): Promise<string[][]> {
    const project = (await ctx.api.tree.getChildren()).find((n) => n.kind === 'project' && n.projectCode === PROJECT)!;
    const root = (await ctx.api.tree.getChildren(project)).at(-1)!;
    const field = (await ctx.api.tree.getChildren(root)).find((n) => item(n).label === 'Hạng thành viên');
    assert.ok(field, 'the field row');
    const rows = await ctx.api.tree.getChildren(field);
    return rows.map((n) => [String(item(n).label), String(item(n).description)]);
  }

  it('plan shows the web console option as not in the file; apply adds, edits, renames; the tree shows it; plan again: nothing', async () => {
    ctx.sandbox.fields.seed(VBOT_ID, PROJECT, [SEEDED]);
    await addV3Profile(ctx, PROJECT);
    await writeFile(DECLARED);
    assert.deepEqual(await treeRows(), [
      ['Cao cấp', 'NHOM'],
      ['Vàng', 'VANG'],
      ['Bạc', 'BAC_CU'],
      ['Tạo trên web', 'WEB'],
    ]);

    const posts = ctx.sandbox.requests.filter((r) => r.method === 'POST').length;
    const reads = fieldRequests().length;
    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'done');
    const plan = editorText();
    assert.match(plan, /## Customer fields/);
    assert.match(plan, /Customer fields: 1 to add, 1 to edit, 1 to change code, 0 to delete; 1 on the server, not in the file\./);
    assert.match(plan, /\+ add option DONG "Đồng" to field hang/);
    assert.match(plan, /~ edit option VANG of field hang: name "Vàng" → "Vàng mới"/);
    assert.match(plan, /→ change option code BAC_CU → BAC \("Bạc"\) in field hang/);
    assert.match(plan, /On the server, not in the file \(1\)/);
    assert.match(plan, /- "Tạo trên web" \(WEB\)/);
    assert.ok(!/KIM_CUONG/.test(plan), 'unchanged options are not listed');
    assert.equal(ctx.sandbox.requests.filter((r) => r.method === 'POST').length, posts, 'nothing sent while planning');
    assert.ok(fieldRequests().length > reads, 'the server’s list was read');

    assert.equal(await exec('vbotCrm.apply', { filePath: file, skipConfirmation: true }), 'done');
    const report = editorText();
    assert.match(report, /3 done, 0 failed, 0 skipped/);
    assert.match(report, /✓ done: \+ add option DONG "Đồng" to field hang/);
    assert.deepEqual(server(), [
      ['NHOM', 'Cao cấp', 1, null],
      ['KIM_CUONG', 'Kim cương', 2, 'NHOM'],
      ['VANG', 'Vàng mới', 3, null],
      ['BAC', 'Bạc', 4, null],
      ['DONG', 'Đồng', 5, null],
      ['WEB', 'Tạo trên web', 9, null],
    ]);
    const dong = ctx.sandbox.fields.options(VBOT_ID, PROJECT, FIELD).find((o) => o.code === 'DONG')!;
    assert.deepEqual([dong.color, dong.text_color, dong.type], ['#8D6E63', '#FFFFFF', 'OPTION']);
    const journal = await ctx.api.journal.entries({ profile: ctx.api.settings.activeProfile().name });
    assert.deepEqual(journal.map((e) => [e.operation, e.field, e.typeNo, e.outcome]).sort(), [
      ['changeOptionCode', FIELD, 'BAC_CU', 'done'],
      ['createOption', FIELD, 'DONG', 'done'],
      ['updateOption', FIELD, 'VANG', 'done'],
    ]);
    assert.deepEqual(await treeRows(), [
      ['Cao cấp', 'NHOM'],
      ['Vàng mới', 'VANG'],
      ['Bạc', 'BAC'],
      ['Đồng', 'DONG'],
      ['Tạo trên web', 'WEB'],
    ]);

    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'done');
    const again = editorText();
    assert.match(again, /VBot is up to date with vbot-types\.json/);
    assert.match(again, /Customer fields: 0 to add, 0 to edit, 0 to change code, 0 to delete; 1 on the server, not in the file\./);
  });

  it('a profile without API v3 plans the types and says why the fields are not planned; nothing is read', async () => {
    ctx.sandbox.fields.seed(VBOT_ID, PROJECT, [SEEDED]);
    await writeFile(DECLARED);
    const reads = fieldRequests().length;
    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'done');
    const plan = editorText();
    assert.match(plan, /The customer fields of project V3AC are not planned: profile ".+" does not use API v3 with an API key\./);
    assert.match(plan, /Nothing can be applied until the problems below are fixed/);
    // Apply does not say "VBot already matches": it says why, and sends nothing.
    const posts = ctx.sandbox.requests.filter((r) => r.method === 'POST').length;
    assert.equal(await exec('vbotCrm.apply', { filePath: file, skipConfirmation: true }), 'invalid');
    assert.match(
      lastNotification(ctx.api).message,
      /^Nothing to apply from vbot-types\.json: The customer fields of project V3AC are not planned/,
    );
    assert.equal(ctx.sandbox.requests.filter((r) => r.method === 'POST').length, posts);
    assert.equal(fieldRequests().length, reads);
  });
});
