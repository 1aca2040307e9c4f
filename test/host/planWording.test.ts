// Issue 16: a plan's document says what it will do without zero counts, and a plan with nothing to do says
// VBot is up to date instead of telling the user to run Apply.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { VBOT_ID, exec, sandboxSuite } from './helpers';

describe('plan wording', () => {
  const ctx = sandboxSuite({ signIn: true, closeEditors: true, tempDir: 'vbot-plan-wording-' });
  const text = () => vscode.window.activeTextEditor?.document.getText() ?? '';

  it('nothing to do: "up to date", no "Run Apply"; one change: its count alone, then "Run Apply"', async () => {
    const file = path.join(ctx.dir, 'vbot-types.json');
    const write = (typeName: string) =>
      fs.writeFile(
        file,
        JSON.stringify({ version: 1, projects: [{ vbotId: VBOT_ID, projectCode: 'SALES', types: [{ typeNo: 'VIP', typeName }] }] }),
      );
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách VIP' }), 'done');

    await write('Khách VIP');
    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'done');
    assert.match(text(), /^# Plan for vbot-types\.json\n\n1 unchanged\.\n/);
    assert.match(text(), /_VBot is up to date with vbot-types\.json: there is nothing to apply\._/);
    assert.doesNotMatch(text(), /Run "VBot: Apply/);

    await write('VIP');
    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'done');
    assert.match(text(), /^# Plan for vbot-types\.json\n\n1 to rename\.\n/, 'no "0 unchanged", no zero counts');
    assert.match(text(), /_Nothing has been sent to VBot\. Run "VBot: Apply vbot-types\.json" to carry this out\._/);
  });
});
