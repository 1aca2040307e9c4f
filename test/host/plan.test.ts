// Customer types as code: the plan shows each kind of difference and sends nothing; apply with
// failures in the middle leaves report, cache and server agreeing; a second apply finishes.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { VBOT_ID, cachedTypes, crmRequests, lastNotification, sandboxSuite, exec } from './helpers';

const editorText = () => vscode.window.activeTextEditor?.document.getText() ?? '';

describe('customer types as code: plan and apply', () => {
  const ctx = sandboxSuite({ signIn: true, closeEditors: true, tempDir: 'vbot-plan-' });
  let file: string;

  before(() => {
    file = path.join(ctx.dir, 'vbot-types.json');
  });

  const writeFile = (projects: unknown[]) => fs.writeFile(file, JSON.stringify({ version: 1, projects }, null, 2));
  /** The same types on the server and in the local list, as after earlier work. */
  async function known(projectCode: string, types: Array<[string, string]>) {
    ctx.sandbox.seed(
      VBOT_ID,
      projectCode,
      types.map(([typeNo, typeName]) => ({ typeNo, typeName })),
    );
    for (const [typeNo, typeName] of types) await ctx.api.cache.upsertType(VBOT_ID, projectCode, { typeNo, typeName });
  }
  const serverTypes = (projectCode: string) => ctx.sandbox.types(VBOT_ID, projectCode).map((t) => [t.typeNo, t.typeName]);

  it('plans every kind of difference in a readable document and sends nothing', async () => {
    await known('SALES', [
      ['VIP', 'VIP cũ'],
      ['OLD_CODE', 'Đại lý'],
      ['GONE', 'Bỏ'],
      ['SAME', 'Giữ'],
    ]);
    await writeFile([
      {
        vbotId: VBOT_ID,
        projectCode: 'SALES',
        deleteUnlisted: true,
        types: [
          { typeNo: 'VIP', typeName: 'Khách hàng VIP' },
          { typeNo: 'DAI_LY', typeName: 'Đại lý', previousCodes: ['OLD_CODE'] },
          { typeNo: 'SAME', typeName: 'Giữ' },
          { typeNo: 'MOI', typeName: 'Khách mới' },
        ],
      },
    ]);
    const before = ctx.sandbox.requests.length;
    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'done');
    const text = editorText();
    assert.match(text, /Plan for vbot-types\.json/);
    assert.match(text, /\+ add MOI "Khách mới"/);
    assert.match(text, /~ rename VIP: "VIP cũ" → "Khách hàng VIP"/);
    assert.match(text, /→ change code OLD_CODE → DAI_LY \("Đại lý"\)/);
    assert.match(text, /- delete GONE "Bỏ"/);
    assert.ok(!/SAME/.test(text.split('```diff')[1] ?? ''), 'unchanged types are not listed');
    assert.equal(ctx.sandbox.requests.length, before, 'nothing sent while planning');
  });

  it('apply with failures in the middle: report, cache and server agree; a second apply finishes the job', async () => {
    await known('BULK', [['KEEP', 'Giữ']]);
    const wanted = Array.from({ length: 12 }, (_, i) => ({ typeNo: `T${String(i).padStart(2, '0')}`, typeName: `Kiểu ${i}` }));
    await writeFile([{ vbotId: VBOT_ID, projectCode: 'BULK', types: [{ typeNo: 'KEEP', typeName: 'Giữ' }, ...wanted] }]);
    ctx.sandbox.injectFault({
      fault: { kind: 'envelopeError', error: 500, message: 'Lỗi hệ thống' },
      path: '/api/crm/type/create',
      times: 3,
    });
    ctx.sandbox.injectFault({ fault: { kind: 'reset' }, path: '/api/crm/type/create', times: 1 });

    assert.equal(await exec('vbotCrm.apply', { filePath: file, skipConfirmation: true }), 'failed');
    const onServer = new Set(ctx.sandbox.types(VBOT_ID, 'BULK').map((t) => t.typeNo));
    const inCache = new Set((await cachedTypes(ctx.api, 'BULK')).map(([c]) => c));
    assert.equal(onServer.size, 1 + 12 - 4, '4 creates failed');
    assert.deepEqual([...inCache].sort(), [...onServer].sort(), 'the cache holds exactly what succeeded');
    const report = editorText();
    assert.match(report, /8 done, 4 failed, 0 skipped/);
    for (const t of wanted) {
      const line = report.split('\n').find((l) => l.includes(`add ${t.typeNo} `)) ?? '';
      assert.ok(onServer.has(t.typeNo) ? line.includes('✓') : line.includes('✗'), `report line for ${t.typeNo}: ${line}`);
    }
    assert.match(lastNotification(ctx.api).message, /8 done, 4 failed/);
    assert.ok(crmRequests(ctx.sandbox).length >= 12);

    const requestsBefore = crmRequests(ctx.sandbox).length;
    assert.equal(await exec('vbotCrm.apply', { filePath: file, skipConfirmation: true }), 'done');
    assert.equal(crmRequests(ctx.sandbox).length - requestsBefore, 4, 'only what was left');
    assert.deepEqual(serverTypes('BULK').length, 13);
    assert.deepEqual((await cachedTypes(ctx.api, 'BULK')).length, 13);

    assert.equal(await exec('vbotCrm.apply', { filePath: file, skipConfirmation: true }), 'done');
    assert.match(lastNotification(ctx.api).message, /Nothing to apply/);
  });

  it('a failed code change skips the rename that needs it', async () => {
    await known('DEP', [['A', 'Cũ']]);
    await writeFile([{ vbotId: VBOT_ID, projectCode: 'DEP', types: [{ typeNo: 'B', typeName: 'Mới', previousCodes: ['A'] }] }]);
    ctx.sandbox.injectFault({ fault: { kind: 'envelopeError', error: 403, message: 'Không có quyền' }, path: '/api/crm/type/updateNo' });
    assert.equal(await exec('vbotCrm.apply', { filePath: file, skipConfirmation: true }), 'failed');
    assert.match(editorText(), /0 done, 1 failed, 1 skipped/);
    assert.deepEqual(serverTypes('DEP'), [['A', 'Cũ']]);
    assert.equal(await exec('vbotCrm.apply', { filePath: file, skipConfirmation: true }), 'done');
    assert.deepEqual(serverTypes('DEP'), [['B', 'Mới']]);
    assert.deepEqual(await cachedTypes(ctx.api, 'DEP'), [['B', 'Mới']]);
  });

  it('export as vbot-types.json gives a file whose plan is empty', async () => {
    await known('EXP', [
      ['X', 'Ích'],
      ['Y', 'Y "quoted", comma'],
    ]);
    const out = path.join(ctx.dir, 'exported', 'vbot-types.json');
    await fs.mkdir(path.dirname(out), { recursive: true });
    assert.equal(await exec('vbotCrm.exportTypes', { projectCode: 'EXP', format: 'vbotTypes', filePath: out }), 'done');
    assert.equal(await exec('vbotCrm.apply', { filePath: out, skipConfirmation: true }), 'done');
    assert.match(lastNotification(ctx.api).message, /Nothing to apply/);
  });

  it('plan then apply leave one tab per file, updated in place: the plan, then the report', async () => {
    const ours = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'vbot-crm');
    await known('TAB', [['A', 'Một']]);
    await writeFile([
      {
        vbotId: VBOT_ID,
        projectCode: 'TAB',
        types: [
          { typeNo: 'A', typeName: 'Một' },
          { typeNo: 'B', typeName: 'Hai' },
        ],
      },
    ]);
    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'done');
    assert.deepEqual(
      ours().map((t) => t.label),
      ['Plan and result for vbot-types.json.md'],
    );
    assert.match(editorText(), /^# Plan for vbot-types\.json/);
    const planUri = vscode.window.activeTextEditor?.document.uri.toString();

    assert.equal(await exec('vbotCrm.apply', { filePath: file, skipConfirmation: true }), 'done');
    assert.equal(ours().length, 1, "the plan's tab shows the report; no second tab");
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), planUri);
    const report = editorText();
    assert.match(report, /^# Result of applying vbot-types\.json/);
    assert.match(report, /1 done, 0 failed, 0 skipped/);
    assert.ok(!/Plan for/.test(report), 'nothing of the plan is left');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === planUri);
    assert.equal(doc?.getText(), report, 'the document itself holds the report');

    // Planning again shows the new plan in the same tab; another file gets a tab of its own.
    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'done');
    assert.equal(ours().length, 1);
    assert.match(editorText(), /^# Plan for vbot-types\.json\n\n2 unchanged\./);
    const other = path.join(ctx.dir, 'other', 'vbot-types.json');
    await fs.mkdir(path.dirname(other), { recursive: true });
    await fs.writeFile(other, JSON.stringify({ version: 1, projects: [] }));
    assert.equal(await exec('vbotCrm.plan', { filePath: other }), 'done');
    assert.equal(ours().length, 2);
  });

  it('an invalid file is refused with the place of the problem', async () => {
    await fs.writeFile(
      file,
      '{ "version": 1, "projects": [ { "vbotId": "V", "projectCode": "P", "types": [ { "typeNo": "", "typeName": "x" } ] } ] }',
    );
    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'invalid');
    assert.match(lastNotification(ctx.api).message, /projects\[0\]\.types\[0\]\.typeNo/);
  });
});
