// Issue 12: Back in every multi-step input. From a flow's second prompt on, VS Code's Back button (pressed here
// through the workbench's own command, as its keybinding would) returns to the previous prompt with its answer
// kept; what was typed in the prompt left is kept too, and arguments still skip their steps.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { USER, VBOT_ID, cachedTypes, exec, sandboxSuite, waitFor } from './helpers';
import { accept, answerPrompts, back, isPick, pick, typeInto } from './promptHook';

describe('Back in multi-step inputs', () => {
  const ctx = sandboxSuite({ signIn: true });

  /** Runs `command` answering its prompts with `answer`; returns its result and the prompts as shown. */
  const run = async (
    command: string,
    arg: object | undefined,
    answer: (prompt: vscode.InputBox | vscode.QuickPick<vscode.QuickPickItem>, index: number) => Promise<void>,
  ) => {
    const hook = answerPrompts(answer);
    try {
      const result = await exec(command, arg);
      hook.check();
      return { result, seen: hook.seen };
    } finally {
      hook.dispose();
    }
  };

  it('Add Type: Back from the code shows the project pick again; another project, and the code box still has the code', async () => {
    assert.equal(await exec('vbotCrm.addProject', { projectCode: 'SALES' }), 'done');
    assert.equal(await exec('vbotCrm.addProject', { projectCode: 'OPS' }), 'done');
    const { result, seen } = await run('vbotCrm.addType', undefined, async (prompt, i) => {
      if (i === 0 || i === 2) {
        assert.ok(isPick(prompt), `prompt ${i} is the project pick`);
        await pick(prompt, i === 0 ? /^SALES$/ : /^OPS$/);
      } else if (i === 1) {
        await typeInto(prompt as vscode.InputBox, 'VIP_BACK');
        await back();
      } else if (i === 3) {
        await waitFor(() => (prompt as vscode.InputBox).value === 'VIP_BACK', 'the code typed before Back');
        await accept();
      } else {
        assert.match(prompt.title ?? '', /Add Customer Type/);
        await typeInto(prompt as vscode.InputBox, 'Khách quay lại');
        await accept();
      }
    });
    assert.equal(result, 'done');
    assert.deepEqual(
      seen.map((p) => [p.step, p.totalSteps, p.back, p.value]),
      [
        [1, 3, false, undefined], // nothing picked yet
        [2, 3, true, ''],
        [1, 3, false, 'SALES'], // Back: the project picked before is the active item
        [2, 3, true, 'VIP_BACK'],
        [3, 3, true, ''],
      ],
    );
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'OPS'), [{ typeNo: 'VIP_BACK', typeName: 'Khách quay lại' }]);
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'SALES'), [], 'nothing was sent for the project left');
    assert.deepEqual(await cachedTypes(ctx.api, 'OPS'), [['VIP_BACK', 'Khách quay lại']]);
  });

  it('Rename with the project given: the type pick has no Back; Back from the name returns to it, another type gets its own name', async () => {
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'A', typeName: 'Alpha' }), 'done');
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'B', typeName: 'Beta' }), 'done');
    const { result, seen } = await run('vbotCrm.editTypeName', { projectCode: 'SALES' }, async (prompt, i) => {
      if (isPick(prompt)) await pick(prompt, i === 0 ? /^Alpha$/ : /^Beta$/);
      else if (i === 1) {
        await typeInto(prompt, 'Alpha mới');
        await back();
      } else {
        // Beta's name box opens with Beta's name, not with what was typed for Alpha.
        assert.equal(prompt.value, 'Beta');
        await typeInto(prompt, 'Beta mới');
        await accept();
      }
    });
    assert.equal(result, 'done');
    assert.deepEqual(
      seen.map((p) => [p.step, p.totalSteps, p.back]),
      [
        [1, 2, false],
        [2, 2, true],
        [1, 2, false],
        [2, 2, true],
      ],
    );
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'SALES'), [
      { typeNo: 'A', typeName: 'Alpha' },
      { typeNo: 'B', typeName: 'Beta mới' },
    ]);
  });

  it('Sign In: Back from the password returns to the username, which it keeps', async () => {
    await exec('vbotCrm.signOut');
    const { result, seen } = await run('vbotCrm.signIn', undefined, async (prompt, i) => {
      const box = prompt as vscode.InputBox;
      if (i === 0) await typeInto(box, 'someone-else');
      else if (i === 1) return back();
      else if (i === 2) await typeInto(box, USER.username);
      else await typeInto(box, USER.password);
      await accept();
    });
    assert.equal(result, 'done');
    assert.deepEqual(
      seen.map((p) => [p.step, p.back, p.value]),
      [
        [1, false, ''],
        [2, true, ''],
        [1, false, 'someone-else'],
        [2, true, ''],
      ],
    );
  });

  it('Add Profile: Back from the API version to the name, and from the URL to the API version (picked before)', async () => {
    const { result, seen } = await run('vbotCrm.addProfile', undefined, async (prompt, i) => {
      if (i === 0) await typeInto(prompt as vscode.InputBox, 'first-name');
      else if (i === 1 || i === 4) return back();
      else if (i === 2) {
        assert.equal(prompt.value, 'first-name');
        await typeInto(prompt as vscode.InputBox, 'backed');
      } else if (isPick(prompt)) return pick(prompt, /^v2\.0$/);
      else if (i === 6) await typeInto(prompt, ctx.sandbox.url);
      else await typeInto(prompt, 'VB-BACK');
      await accept();
    });
    assert.equal(result, 'done');
    const shown = seen.map((p) => `${p.step}/${p.totalSteps}${p.back ? ' back' : ''} ${p.value}`.replace(/https?:\/\/\S+/, 'URL'));
    assert.deepEqual(shown, [
      '1/4 ',
      '2/4 back undefined',
      '1/4 first-name',
      '2/4 back undefined',
      '3/4 back URL',
      '2/4 back v2.0',
      '3/4 back URL',
      '4/4 back ',
    ]);
    const made = ctx.api.settings.profiles().find((p) => p.name === 'backed');
    assert.deepEqual(made && [made.apiVersion, made.baseUrl, made.vbotId], ['v2', ctx.sandbox.url, 'VB-BACK']);
  });
});
