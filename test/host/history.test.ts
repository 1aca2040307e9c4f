// The journal records every change (never a secret); history shows it per project; undo reverses
// the last change of a type through the same client, progress and error handling.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { VBOT_ID, cachedTypes, lastNotification, sandboxSuite, exec } from './helpers';

describe('history and undo', () => {
  const ctx = sandboxSuite({ signIn: true });
  let project: string;
  let n = 0;

  beforeEach(() => {
    project = `HIST${++n}`; // the journal outlives each test: a project of its own keeps them apart
  });

  const server = () => ctx.sandbox.types(VBOT_ID, project).map((t) => [t.typeNo, t.typeName]);

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

  it('shows the history of a project in a document', async () => {
    await exec('vbotCrm.addType', { projectCode: project, typeNo: 'A', typeName: 'Một' });
    await exec('vbotCrm.changeTypeCode', { projectCode: project, typeNo: 'A', newTypeNo: 'B' });
    assert.equal(await exec('vbotCrm.showHistory', { projectCode: project }), 'done');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, new RegExp(`History of project ${project}`));
    assert.match(text, /changed code A → B/);
    assert.match(text, /added A "Một"/);
    assert.ok(text.indexOf('changed code') < text.indexOf('added A'), 'newest first');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
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
