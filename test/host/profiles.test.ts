// Several accounts and environments: each profile has its own base URL, secrets and local list;
// a v3 profile sends its API key as X-API-Key with the v3 body.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VbotSandbox } from '../sandbox/vbotSandbox';
import {
  USER,
  VBOT_ID,
  cachedTypes,
  crmRequests,
  freshState,
  lastNotification,
  sandboxSuite,
  setSetting,
  startSandbox,
  treeTypes,
  exec,
  cacheFileOf,
  typesInFile,
} from './helpers';
import { accept, answerPrompts, isPick, pick, typeInto } from './promptHook';

describe('profiles', () => {
  const ctx = sandboxSuite({ signIn: true });
  let staging: VbotSandbox;

  before(async () => {
    staging = await startSandbox();
  });
  after(async () => {
    await freshState(ctx.api, ctx.sandbox); // no sign-in or profile left for the next suite (needs only the sandbox URL)
    await staging.close();
  });
  // Now after the sign-in rather than before it: the sign-in goes to ctx.sandbox, never to staging.
  beforeEach(() => staging.reset());

  const secretKey = (profile: string, s: VbotSandbox) =>
    `vbotCrm.tokens@${profile === 'default' ? '' : `${profile}@`}${new URL(s.url).origin}`;

  it('switching profile switches server, secrets and local list; signing out of one keeps the other', async () => {
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'PROD', typeName: 'Production' });
    assert.equal(
      await exec('vbotCrm.addProfile', {
        name: 'staging',
        baseUrl: staging.url,
        vbotId: 'VB-STAGING',
        apiVersion: 'v2',
        skipConfirmation: true,
      }),
      'done',
    );
    await ctx.api.ready;
    assert.equal(ctx.api.settings.activeProfileName(), 'staging');
    assert.equal(path.basename(ctx.api.cache.filePath), 'customer-types@staging.json');
    assert.deepEqual(await ctx.api.tree.getChildren(), [], 'staging has its own, empty list');

    assert.equal(await exec('vbotCrm.signIn', USER), 'done');
    assert.ok(await ctx.api.testHooks.secrets.get(secretKey('staging', staging)), 'staging token stored under its profile');
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'STG', typeName: 'Staging' }), 'done');
    assert.equal(crmRequests(staging).length, 1);
    assert.deepEqual(crmRequests(staging)[0].body, { vbot_id: 'VB-STAGING', project_code: 'SALES', type_name: 'Staging', type_no: 'STG' });
    assert.equal(crmRequests(ctx.sandbox).length, 1, 'production got only its own call');

    assert.equal(await exec('vbotCrm.switchProfile', { name: 'default' }), 'done');
    await ctx.api.ready;
    assert.equal(ctx.api.settings.activeProfileName(), 'default');
    assert.deepEqual(await treeTypes(ctx.api, 'SALES'), [['Production', 'PROD']]);
    assert.equal(await exec('vbotCrm.signOut'), 'done');
    assert.equal(await ctx.api.testHooks.secrets.get(secretKey('default', ctx.sandbox)), undefined, 'default signed out');
    assert.ok(await ctx.api.testHooks.secrets.get(secretKey('staging', staging)), 'staging still signed in');
  });

  it('a profile whose base URL is plain http to another host is refused', async () => {
    await setSetting('profiles', [{ name: 'bad', baseUrl: 'http://example.com/v2.0', vbotId: VBOT_ID }]);
    await exec('vbotCrm.switchProfile', { name: 'bad' });
    assert.equal(await exec('vbotCrm.setAccessToken', { accessToken: 'a-token-for-bad' }), 'done');
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'X', typeName: 'X' }), 'failed');
    assert.match(lastNotification(ctx.api).message, /https/);
  });

  it('profiles cannot come from a workspace', async () => {
    await assert.rejects(
      Promise.resolve(vscode.workspace.getConfiguration('vbotCrm').update('profiles', [], vscode.ConfigurationTarget.Workspace)),
    );
  });

  it('a v3 profile sends X-API-Key and the v3 body, to the project of its key only', async () => {
    const key = ctx.sandbox.addApiKey(VBOT_ID, 'V3P');
    assert.equal(
      await exec('vbotCrm.addProfile', {
        name: 'v3',
        baseUrl: ctx.sandbox.urlV3,
        vbotId: VBOT_ID,
        apiVersion: 'v3',
        projectCode: 'V3P',
        skipConfirmation: true,
      }),
      'done',
    );
    await ctx.api.ready;
    assert.equal(await exec('vbotCrm.signIn', { apiKey: key }), 'done', 'on v3, sign-in stores the API key');
    const before = crmRequests(ctx.sandbox).length;
    assert.equal(await exec('vbotCrm.addType', { typeNo: 'K3', typeName: 'Kiểu v3' }), 'done');
    const req = crmRequests(ctx.sandbox).slice(before)[0];
    assert.equal(req.apiVersion, 'v3');
    assert.equal(req.headers['x-api-key'], key);
    assert.equal(req.headers.authorization, undefined);
    assert.deepEqual(req.body, { type_name: 'Kiểu v3', type_no: 'K3' });
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'V3P'), [{ typeNo: 'K3', typeName: 'Kiểu v3' }]);
    assert.deepEqual(await cachedTypes(ctx.api, 'V3P'), [['K3', 'Kiểu v3']]);
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'OTHER', typeNo: 'K4', typeName: 'x' }), 'invalid');
    assert.match(lastNotification(ctx.api).message, /V3P/);
  });

  // Issue 16: the counter went (1/4) → none → (3/4) → (4/4) → (4/4).
  it('Add Profile counts every step it asks, the API version included: 1/4…4/4 for v2, 3/5…5/5 once v3 is picked', async () => {
    const run = async (answers: Array<string | RegExp>, arg?: object) => {
      const hook = answerPrompts(async (prompt, i) => {
        const a = answers[i];
        if (isPick(prompt)) await pick(prompt, a as RegExp);
        else {
          await typeInto(prompt, a as string);
          await accept();
        }
      });
      try {
        assert.equal(await exec('vbotCrm.addProfile', arg), 'done');
        hook.check();
        return hook.seen.map((p) => `${p.title} ${p.step}/${p.totalSteps}`);
      } finally {
        hook.dispose();
      }
    };
    assert.deepEqual(await run(['two', /^v2\.0$/, staging.url, 'VB-TWO']), [
      'Add VBot Profile 1/4',
      'Add VBot Profile 2/4',
      'Add VBot Profile 3/4',
      'Add VBot Profile 4/4',
    ]);
    assert.deepEqual(await run(['three', /^v3\.0$/, ctx.sandbox.urlV3, VBOT_ID, 'V3P']), [
      'Add VBot Profile 1/4',
      'Add VBot Profile 2/4',
      'Add VBot Profile 3/5',
      'Add VBot Profile 4/5',
      'Add VBot Profile 5/5',
    ]);
    assert.deepEqual(await run([/^v2\.0$/, 'VB-FOUR'], { name: 'four', baseUrl: staging.url, skipConfirmation: true }), [
      'Add VBot Profile 1/2',
      'Add VBot Profile 2/2',
    ]);
    const made = ctx.api.settings.profiles().map((p) => [p.name, p.apiVersion, p.vbotId, p.projectCode ?? '']);
    assert.deepEqual(made.slice(1), [
      ['two', 'v2', 'VB-TWO', ''],
      ['three', 'v3', VBOT_ID, 'V3P'],
      ['four', 'v2', 'VB-FOUR', ''],
    ]);
  });

  it('Remove Profile: the modal names the profile, its secrets and the list it keeps; the default profile takes over', async () => {
    const add = (name: string) =>
      exec('vbotCrm.addProfile', { name, baseUrl: staging.url, vbotId: 'VB-STAGING', apiVersion: 'v2', skipConfirmation: true });
    assert.equal(await add('leaving'), 'done', lastNotification(ctx.api)?.message);
    await ctx.api.ready;
    assert.equal(await exec('vbotCrm.signIn', USER), 'done');
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'GONE', typeName: 'Leaving' }), 'done');
    assert.ok(await ctx.api.testHooks.secrets.get(secretKey('leaving', staging)));

    const asked: Array<{ message: string; detail?: string }> = [];
    let answer: string | undefined = undefined;
    ctx.api.notifier.answerModal = (q) => (asked.push(q), answer);
    try {
      assert.equal(await exec('vbotCrm.removeProfile', { name: 'leaving' }), 'cancelled', 'Cancel keeps it');
      assert.deepEqual(
        ctx.api.settings.profiles().map((p) => p.name),
        ['default', 'leaving'],
      );
      assert.match(asked[0].message, /^Remove VBot profile "leaving" \(VB-STAGING on http:\/\/127\.0\.0\.1:\d+\/v2\.0\)\?$/);
      assert.match(asked[0].detail ?? '', /settings entry and its sign-in secrets are removed/);
      assert.match(asked[0].detail ?? '', /local list \(customer-types@leaving\.json\) and its history stay on this computer/);

      answer = 'Remove Profile';
      assert.equal(await exec('vbotCrm.removeProfile', { name: 'leaving' }), 'done');
    } finally {
      ctx.api.notifier.answerModal = undefined;
    }
    await ctx.api.ready;
    assert.deepEqual(
      ctx.api.settings.profiles().map((p) => p.name),
      ['default'],
    );
    assert.equal(ctx.api.settings.activeProfile().name, 'default', 'the default profile is active');
    assert.equal(ctx.api.settings.activeProfileName(), 'default');
    assert.equal(path.basename(ctx.api.cache.filePath), 'customer-types.json');
    assert.equal(await ctx.api.testHooks.secrets.get(secretKey('leaving', staging)), undefined, 'its token is gone');
    assert.ok(await ctx.api.testHooks.secrets.get(secretKey('default', ctx.sandbox)), 'the default profile is still signed in');
    assert.deepEqual(await typesInFile(cacheFileOf(ctx.api, 'leaving'), 'SALES', 'VB-STAGING'), [['GONE', 'Leaving']], 'its list is kept');
    assert.match(
      lastNotification(ctx.api).message,
      /VBot profile "leaving" removed; its local list was kept\. Profile "default" is now active\./,
    );

    // Added again under the same name, it finds its list.
    assert.equal(await add('leaving'), 'done');
    await ctx.api.ready;
    assert.deepEqual(await treeTypes(ctx.api, 'SALES', 'VB-STAGING'), [['Leaving', 'GONE']]);

    // The default profile is made of other settings: never removed, so a profile is always left.
    assert.equal(await exec('vbotCrm.removeProfile', { name: 'default' }), 'invalid');
    assert.match(lastNotification(ctx.api).message, /cannot be removed/);
    assert.equal(await exec('vbotCrm.removeProfile', { name: 'leaving', skipConfirmation: true }), 'done');
    assert.equal(await exec('vbotCrm.removeProfile'), 'invalid', 'nothing left to remove: no prompt');
  });
});
