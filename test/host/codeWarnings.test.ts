// Issue 16: a code outside VBot's rule (letters, digits, _ and -) and a name another type of the project already
// has are warned about in the input box while typing (a warning: Enter still accepts), with a suggested code.
import * as assert from 'node:assert/strict';
import { VBOT_ID, cachedTypes, exec, sandboxSuite, waitFor } from './helpers';
import { accept, answerPrompts, typeInto, validationOf } from './promptHook';
import type * as vscode from 'vscode';

describe('code and name warnings in the prompts', () => {
  const ctx = sandboxSuite({ signIn: true });

  it('a code with spaces or accents gets a warning with a suggested code, and is still accepted; so is a name used twice', async () => {
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách VIP' }), 'done');
    const shown: Array<ReturnType<typeof validationOf>> = [];
    const check = async (box: vscode.InputBox, value: string) => {
      await typeInto(box, value);
      await waitFor(() => box.value === value, 'the value');
      shown.push(validationOf(box));
    };
    const hook = answerPrompts(async (prompt, i) => {
      const box = prompt as vscode.InputBox;
      if (i === 0) {
        await check(box, 'VIP'); // taken: an error, Enter refused
        await check(box, 'KHÁCH_SỈ');
        await check(box, 'KHACH LE');
        await check(box, 'KHACH_LE'); // follows the rule: nothing to say
        await typeInto(box, 'KHACH LE');
      } else {
        await check(box, 'khách  vip');
        await check(box, 'Khách lẻ');
        await typeInto(box, 'khách  vip');
      }
      await accept();
    });
    try {
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES' }), 'done');
      hook.check();
    } finally {
      hook.dispose();
    }
    assert.deepEqual(shown, [
      { severity: 'error', message: 'Customer type "VIP" is already in project SALES.' },
      { severity: 'warning', message: 'VBot codes use only letters, digits, "_" and "-", e.g. KHACH_SI. This code is still allowed.' },
      { severity: 'warning', message: 'VBot codes use only letters, digits, "_" and "-", e.g. KHACH_LE. This code is still allowed.' },
      undefined,
      { severity: 'warning', message: 'Customer type VIP of project SALES already has this name. The name is still allowed.' },
      undefined,
    ]);
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'SALES'), [
      { typeNo: 'KHACH LE', typeName: 'khách  vip' },
      { typeNo: 'VIP', typeName: 'Khách VIP' },
    ]);
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [
      ['KHACH LE', 'khách  vip'],
      ['VIP', 'Khách VIP'],
    ]);
  });

  it('renaming a type to its own name in another case is not warned about; to another type’s name is', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách VIP' });
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'LE', typeName: 'Khách lẻ' });
    const shown: Array<ReturnType<typeof validationOf>> = [];
    const hook = answerPrompts(async (prompt) => {
      const box = prompt as vscode.InputBox;
      for (const v of ['KHÁCH VIP', 'KHÁCH LẺ']) {
        await typeInto(box, v);
        shown.push(validationOf(box));
      }
      box.hide();
    });
    try {
      assert.equal(await exec('vbotCrm.editTypeName', { projectCode: 'SALES', typeNo: 'VIP' }), 'cancelled');
      hook.check();
    } finally {
      hook.dispose();
    }
    assert.deepEqual(shown, [
      undefined,
      { severity: 'warning', message: 'Customer type LE of project SALES already has this name. The name is still allowed.' },
    ]);
  });
});
