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
} from './helpers';

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
});
