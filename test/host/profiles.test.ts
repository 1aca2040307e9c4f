// Several accounts and environments: each profile has its own base URL, secrets and local list;
// a v3 profile sends its API key as X-API-Key with the v3 body.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VbotSandbox } from '../sandbox/vbotSandbox';
import {
  type ExtensionApi,
  USER,
  VBOT_ID,
  cachedTypes,
  crmRequests,
  extensionApi,
  freshState,
  lastNotification,
  setSetting,
  signIn,
  startSandbox,
  treeTypes,
  exec,
} from './helpers';

describe('profiles', () => {
  let api: ExtensionApi;
  let sandbox: VbotSandbox;
  let staging: VbotSandbox;

  before(async () => {
    api = await extensionApi();
    sandbox = await startSandbox();
    staging = await startSandbox();
  });
  after(async () => {
    await freshState(api, sandbox);
    await sandbox.close();
    await staging.close();
  });
  beforeEach(async () => {
    await freshState(api, sandbox);
    staging.reset();
    await signIn();
  });

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
    await api.ready;
    assert.equal(path.basename(api.cache.filePath), 'customer-types@staging.json');
    assert.deepEqual(await api.tree.getChildren(), [], 'staging has its own, empty list');

    assert.equal(await exec('vbotCrm.signIn', USER), 'done');
    assert.ok(await api.testHooks.secrets.get(secretKey('staging', staging)), 'staging token stored under its profile');
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'STG', typeName: 'Staging' }), 'done');
    assert.equal(crmRequests(staging).length, 1);
    assert.deepEqual(crmRequests(staging)[0].body, { vbot_id: 'VB-STAGING', project_code: 'SALES', type_name: 'Staging', type_no: 'STG' });
    assert.equal(crmRequests(sandbox).length, 1, 'production got only its own call');

    assert.equal(await exec('vbotCrm.switchProfile', { name: 'default' }), 'done');
    await api.ready;
    assert.deepEqual(await treeTypes(api, 'SALES'), [['Production', 'PROD']]);
    assert.equal(await exec('vbotCrm.signOut'), 'done');
    assert.equal(await api.testHooks.secrets.get(secretKey('default', sandbox)), undefined, 'default signed out');
    assert.ok(await api.testHooks.secrets.get(secretKey('staging', staging)), 'staging still signed in');
  });

  it('a profile whose base URL is plain http to another host is refused', async () => {
    await setSetting('profiles', [{ name: 'bad', baseUrl: 'http://example.com/v2.0', vbotId: VBOT_ID }]);
    await exec('vbotCrm.switchProfile', { name: 'bad' });
    assert.equal(await exec('vbotCrm.setAccessToken', { accessToken: 'a-token-for-bad' }), 'done');
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'X', typeName: 'X' }), 'failed');
    assert.match(lastNotification(api).message, /https/);
  });

  it('profiles cannot come from a workspace', async () => {
    await assert.rejects(
      Promise.resolve(vscode.workspace.getConfiguration('vbotCrm').update('profiles', [], vscode.ConfigurationTarget.Workspace)),
    );
  });

  it('a v3 profile sends X-API-Key and the v3 body, to the project of its key only', async () => {
    const key = sandbox.addApiKey(VBOT_ID, 'V3P');
    assert.equal(
      await exec('vbotCrm.addProfile', {
        name: 'v3',
        baseUrl: sandbox.urlV3,
        vbotId: VBOT_ID,
        apiVersion: 'v3',
        projectCode: 'V3P',
        skipConfirmation: true,
      }),
      'done',
    );
    await api.ready;
    assert.equal(await exec('vbotCrm.signIn', { apiKey: key }), 'done', 'on v3, sign-in stores the API key');
    const before = crmRequests(sandbox).length;
    assert.equal(await exec('vbotCrm.addType', { typeNo: 'K3', typeName: 'Kiểu v3' }), 'done');
    const req = crmRequests(sandbox).slice(before)[0];
    assert.equal(req.apiVersion, 'v3');
    assert.equal(req.headers['x-api-key'], key);
    assert.equal(req.headers.authorization, undefined);
    assert.deepEqual(req.body, { type_name: 'Kiểu v3', type_no: 'K3' });
    assert.deepEqual(sandbox.types(VBOT_ID, 'V3P'), [{ typeNo: 'K3', typeName: 'Kiểu v3' }]);
    assert.deepEqual(await cachedTypes(api, 'V3P'), [['K3', 'Kiểu v3']]);
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'OTHER', typeNo: 'K4', typeName: 'x' }), 'invalid');
    assert.match(lastNotification(api).message, /V3P/);
  });
});
