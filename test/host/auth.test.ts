// Tokens: sign-in, pasted tokens and sign-out in the real SecretStorage, and the token found
// nowhere else (settings, global state, cache file, log, notifications).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VbotAuthProvider } from '../../src/vscode/authProvider';
import { baseUrlSettingLocation } from '../../src/vscode/settingsEdits';
import type { VbotSandbox } from '../sandbox/vbotSandbox';
import {
  type ExtensionApi,
  USER,
  VBOT_ID,
  crmRequests,
  lastNotification,
  logText,
  sandboxSuite,
  setSetting,
  signIn,
  startSandbox,
  exec,
  waitFor,
} from './helpers';
import { accept, answerPrompts, typeInto } from './promptHook';

async function storedTokens(api: ExtensionApi, sandbox: VbotSandbox) {
  const raw = await api.testHooks.secrets.get(`vbotCrm.tokens@${new URL(sandbox.url).origin}`);
  return raw ? (JSON.parse(raw) as { accessToken: string; refreshToken?: string }) : undefined;
}

async function userSettingsText(): Promise<string> {
  // The user settings file is the one a machine-scoped update writes; read every settings.json the profile has.
  const found: string[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    found.push(await fs.readFile(path.join(folder.uri.fsPath, '.vscode', 'settings.json'), 'utf8').catch(() => ''));
  }
  found.push(JSON.stringify(vscode.workspace.getConfiguration('vbotCrm')));
  return found.join('\n');
}

describe('sign-in and secrets', () => {
  const ctx = sandboxSuite();

  it('sign-in stores access and refresh tokens in SecretStorage only', async () => {
    await signIn();
    const tokens = await storedTokens(ctx.api, ctx.sandbox);
    assert.ok(tokens?.accessToken && tokens.refreshToken, 'both tokens stored');
    const tokenRequest = ctx.sandbox.requests.find((r) => r.path === '/token');
    assert.deepEqual(tokenRequest?.body, { username: USER.username, password: USER.password, grant_type: 'password' });
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    assert.equal(crmRequests(ctx.sandbox)[0].headers.authorization, `Bearer ${tokens.accessToken}`);

    const secrets = [tokens.accessToken, tokens.refreshToken, USER.password];
    const places: Record<string, string> = {
      settings: await userSettingsText(),
      globalState: JSON.stringify(ctx.api.testHooks.globalState.keys().map((k) => [k, ctx.api.testHooks.globalState.get(k)])),
      cacheFile: await fs.readFile(ctx.api.cache.filePath, 'utf8'),
      log: await logText(ctx.api),
      notifications: JSON.stringify(ctx.api.notifier.shown),
    };
    for (const [place, text] of Object.entries(places)) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `no secret in ${place}`);
    }
    assert.ok(places.log.length > 0, 'the log was written (so the scan above looked at something)');
  });

  it('a wrong password is refused with a clear message and stores nothing', async () => {
    assert.equal(await exec('vbotCrm.signIn', { username: USER.username, password: 'wrong' }), 'failed');
    assert.equal(await storedTokens(ctx.api, ctx.sandbox), undefined);
    const n = lastNotification(ctx.api);
    assert.equal(n.severity, 'error');
    assert.match(n.message, /password/i);
    assert.ok(!n.message.includes('wrong'), 'the password is not echoed');
  });

  it('a pasted access token is stored and used', async () => {
    const minted = ctx.sandbox.issueToken(USER.username);
    assert.equal(await exec('vbotCrm.setAccessToken', { accessToken: minted.access_token }), 'done');
    assert.equal((await storedTokens(ctx.api, ctx.sandbox))?.accessToken, minted.access_token);
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' }), 'done');
    assert.equal(crmRequests(ctx.sandbox)[0].headers.authorization, `Bearer ${minted.access_token}`);
  });

  it('a token pasted with its "Bearer " prefix is stored without it', async () => {
    const minted = ctx.sandbox.issueToken(USER.username);
    assert.equal(await exec('vbotCrm.setAccessToken', { accessToken: `  Bearer ${minted.access_token} ` }), 'done');
    assert.equal((await storedTokens(ctx.api, ctx.sandbox))?.accessToken, minted.access_token);
  });

  it('a pasted token that expired cannot be refreshed: the user is asked to sign in again', async () => {
    const minted = ctx.sandbox.issueToken(USER.username);
    await exec('vbotCrm.setAccessToken', { accessToken: minted.access_token });
    ctx.sandbox.expireAccessTokens();
    assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' }), 'failed');
    assert.ok(lastNotification(ctx.api).actions.some((a) => /Sign In/.test(a)));
  });

  it('sign-out removes every secret', async () => {
    await signIn();
    assert.ok(await storedTokens(ctx.api, ctx.sandbox));
    assert.equal(await exec('vbotCrm.signOut'), 'done');
    assert.equal(await storedTokens(ctx.api, ctx.sandbox), undefined);
    assert.equal(await ctx.api.testHooks.secrets.get('vbotCrm.tokenOrigins'), undefined);
  });

  it('tokens belong to one origin: after the base URL changes they are not sent to the new host', async () => {
    await signIn();
    const other = await startSandbox();
    try {
      await setSetting('baseUrl', other.url);
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' }), 'failed');
      assert.equal(other.requests.length, 0, 'nothing sent to the other origin');
      assert.match(lastNotification(ctx.api).message, /not signed in/i);
    } finally {
      await setSetting('baseUrl', ctx.sandbox.url);
      await other.close();
    }
  });

  it('a non-loopback http base URL is refused with a clear message and no request', async () => {
    await signIn();
    await setSetting('baseUrl', 'http://example.com/v2.0');
    try {
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' }), 'failed');
      const n = lastNotification(ctx.api);
      assert.match(n.message, /https/);
      assert.ok(n.actions.some((a) => /Settings/.test(a)));
    } finally {
      await setSetting('baseUrl', ctx.sandbox.url);
    }
  });

  it('the base URL cannot be set by a workspace', async () => {
    const info = vscode.workspace.getConfiguration('vbotCrm').inspect('baseUrl');
    assert.ok(info, 'setting is contributed');
    await assert.rejects(
      Promise.resolve(
        vscode.workspace.getConfiguration('vbotCrm').update('baseUrl', 'https://evil.example', vscode.ConfigurationTarget.Workspace),
      ),
      'VS Code refuses a workspace value for a machine-scoped setting',
    );
  });

  it('VBOT_ID is used by default for new projects', async () => {
    await signIn();
    assert.equal(await exec('vbotCrm.addProject', { projectCode: 'NEW' }), 'done');
    assert.ok(ctx.api.cache.snapshot().project(VBOT_ID, 'NEW'));
  });

  // Issue 16: "Open Settings" opened the User tab, where a machine-scoped setting of a remote window is not
  // shown ("No Settings Found"). code-server is a remote window, as SSH, WSL and containers are.
  it("a connection error's Open Settings opens the remote settings, searching our base URL setting", async () => {
    await signIn();
    assert.ok(vscode.env.remoteName, `this host is a remote window (remoteName ${vscode.env.remoteName})`);
    assert.deepEqual(baseUrlSettingLocation(ctx.api.settings), {
      command: 'workbench.action.openRemoteSettings',
      query: '@ext:vbotcrm.vbot-crm vbotCrm.baseUrl',
    });
    assert.ok((await vscode.commands.getCommands(true)).includes('workbench.action.openRemoteSettings'), 'the command exists here');
    await setSetting('baseUrl', 'http://127.0.0.1:9/v2.0'); // nothing listens there
    try {
      assert.equal(await exec('vbotCrm.setAccessToken', { accessToken: 'a-token-for-port-9' }), 'done'); // tokens are per origin
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' }), 'failed');
      const n = lastNotification(ctx.api);
      assert.ok(n.actions.includes('Open Settings'), JSON.stringify(n));
      await n.click?.('Open Settings');
      await waitFor(() => /Settings/.test(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? ''), 'the settings editor');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await setSetting('baseUrl', ctx.sandbox.url);
    }
    await setSetting('profiles', [{ name: 'other', baseUrl: ctx.sandbox.url, vbotId: VBOT_ID }]);
    await exec('vbotCrm.switchProfile', { name: 'other' });
    assert.equal(
      baseUrlSettingLocation(ctx.api.settings).query,
      '@ext:vbotcrm.vbot-crm vbotCrm.profiles',
      'a named profile is in the list',
    );
  });
});

// Issue 12: each signed-in profile is an account in VS Code's Accounts menu (the 'vbotCrm' authentication
// provider); its Sign Out (the provider's removeSession) signs that profile out; the API uses the same token.
describe('Accounts menu (authentication provider)', () => {
  const ctx = sandboxSuite();
  /** The provider the extension registered (what VS Code's Accounts menu calls). */
  const auth = () => (ctx.api as unknown as { auth: VbotAuthProvider }).auth;
  const host = () => new URL(ctx.sandbox.url).host;
  const accountLabels = async () => (await vscode.authentication.getAccounts('vbotCrm')).map((a) => a.label).sort();

  it('signed in, the profile is an account "demo @ host" whose token is the one the API sends; signed out, none', async () => {
    assert.deepEqual(await accountLabels(), []);
    let announced = 0;
    const sub = vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id === 'vbotCrm') announced++;
    });
    try {
      await signIn();
      await waitFor(() => announced > 0, 'VS Code told of the new session');
      assert.deepEqual(await accountLabels(), [`demo @ ${host()}`]);
      const [session] = await auth().getSessions([], {});
      assert.equal(session.accessToken, (await storedTokens(ctx.api, ctx.sandbox))?.accessToken);
      assert.deepEqual(session.scopes, ['default']);
      await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
      assert.equal(crmRequests(ctx.sandbox)[0].headers.authorization, `Bearer ${session.accessToken}`);
      assert.ok(!JSON.stringify(ctx.api.notifier.shown).includes(session.accessToken), 'no token in a notification');

      announced = 0;
      assert.equal(await exec('vbotCrm.signOut'), 'done');
      await waitFor(() => announced > 0, 'VS Code told of the removed session');
      assert.deepEqual(await accountLabels(), []);
    } finally {
      sub.dispose();
    }
  });

  it('two signed-in profiles are two accounts; Sign Out of one in the menu signs out that profile only', async () => {
    const second = { name: 'second', baseUrl: ctx.sandbox.url, vbotId: 'VB-STAGING', apiVersion: 'v2' as const };
    const secondKey = `vbotCrm.tokens@second@${new URL(ctx.sandbox.url).origin}`;
    await signIn();
    assert.equal(await exec('vbotCrm.addProfile', { ...second, skipConfirmation: true }), 'done'); // now active
    try {
      assert.equal(await exec('vbotCrm.addProject', { projectCode: 'STG' }), 'done'); // a list, so the view says "signed out"
      await signIn();
      // Same user on the same server: the menu groups accounts by label, so these two also name their profile.
      await waitFor(async () => (await accountLabels()).length === 2, 'two accounts');
      assert.deepEqual(await accountLabels(), [`demo @ ${host()} (default)`, `demo @ ${host()} (second)`]);
      await waitFor(() => ctx.api.treeView.message === undefined, 'the view shows the second profile signed in');

      const sessions = await auth().getSessions(['second'], {});
      assert.equal(sessions.length, 1);
      await auth().removeSession(sessions[0].id); // what the menu's Sign Out calls, once the user confirmed
      assert.equal(await ctx.api.testHooks.secrets.get(secondKey), undefined, "the second profile's token is gone");
      assert.equal(await ctx.api.testHooks.secrets.get('vbotCrm.tokenOrigins@second'), undefined);
      assert.ok(await storedTokens(ctx.api, ctx.sandbox), 'default is still signed in');
      assert.ok(
        !ctx.api.notifier.shown.some((n) => /Signed out/.test(n.message)),
        'no toast of ours: VS Code says "Successfully signed out." itself',
      );
      await waitFor(() => /Signed out/.test(ctx.api.treeView.message ?? ''), 'the view shows the second profile (active) signed out');
      assert.deepEqual(await accountLabels(), [`demo @ ${host()}`]);
    } finally {
      // Its list and secrets would outlive the profile (freshState clears the default profile's only).
      if (ctx.api.settings.activeProfile().name === 'second') await ctx.api.cache.removeProject('VB-STAGING', 'STG');
      await ctx.api.testHooks.secrets.delete(secondKey);
    }
  });

  it('a refreshed token is announced as a changed session, still of the same user; a pasted token says what it is', async () => {
    await signIn();
    const [before] = await auth().getSessions(undefined, {});
    const changed: string[] = [];
    const sub = auth().onDidChangeSessions((e) => changed.push(...(e.changed ?? []).map((s) => s.accessToken)));
    try {
      ctx.sandbox.expireAccessTokens();
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' }), 'done');
      const renewed = (await storedTokens(ctx.api, ctx.sandbox))?.accessToken;
      assert.ok(renewed && renewed !== before.accessToken, 'the call renewed the token');
      await waitFor(() => changed.includes(renewed), 'the renewed token announced');
      const [after] = await auth().getSessions(undefined, {});
      assert.equal(after.id, before.id);
      assert.equal(after.accessToken, renewed);
      assert.equal(after.account.label, `demo @ ${host()}`, 'the refresh kept who signed in');
    } finally {
      sub.dispose();
    }
    await exec('vbotCrm.setAccessToken', { accessToken: ctx.sandbox.issueToken(USER.username).access_token });
    assert.deepEqual(await accountLabels(), [`access token @ ${host()}`]);
  });

  it('creating a session (another extension asking) runs the sign-in of the profile it names', async () => {
    const hook = answerPrompts(async (prompt, i) => {
      await typeInto(prompt as vscode.InputBox, i === 0 ? USER.username : USER.password);
      await accept();
    });
    try {
      const session = await auth().createSession(['default']);
      hook.check();
      assert.equal(session.account.label, `demo @ ${host()}`);
      assert.equal(session.accessToken, (await storedTokens(ctx.api, ctx.sandbox))?.accessToken);
    } finally {
      hook.dispose();
    }
  });
});
