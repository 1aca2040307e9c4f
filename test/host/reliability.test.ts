// Lost answers resolved by a retry, a damaged cache file, a workspace that tries to redirect the
// token, and a whole session scanned for secrets.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  USER,
  VBOT_ID,
  cachedTypes,
  crmRequests,
  lastNotification,
  logText,
  sandboxSuite,
  signIn,
  startSandbox,
  treeTypes,
  waitFor,
  exec,
} from './helpers';

describe('reliability', () => {
  const ctx = sandboxSuite({ signIn: true });

  describe('an answer lost after the server applied the change', () => {
    it('add: the user learns the outcome is unknown; the retry meets 409 and records the type once', async () => {
      ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: '/api/crm/type/create' });
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'LOST_ADD', typeName: 'Mất trả lời' }), 'failed');
      assert.match(lastNotification(ctx.api).message, /may have been applied/);
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [], 'not recorded while unknown');
      assert.equal(ctx.sandbox.types(VBOT_ID, 'SALES').length, 1, 'but the server has it');

      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'LOST_ADD', typeName: 'Mất trả lời' }), 'done');
      assert.match(lastNotification(ctx.api).message, /already created/);
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['LOST_ADD', 'Mất trả lời']]);
      assert.equal(ctx.sandbox.types(VBOT_ID, 'SALES').length, 1, 'no duplicate on the server');
    });

    it('delete: the retry meets 404 and removes the entry', async () => {
      await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'LOST_DEL', typeName: 'Xóa' });
      ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: '/api/crm/type/delete' });
      assert.equal(await exec('vbotCrm.deleteType', { projectCode: 'SALES', typeNo: 'LOST_DEL', skipConfirmation: true }), 'failed');
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['LOST_DEL', 'Xóa']], 'kept while unknown');
      assert.equal(await exec('vbotCrm.deleteType', { projectCode: 'SALES', typeNo: 'LOST_DEL', skipConfirmation: true }), 'done');
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), []);
    });

    it('change code: the retry meets 404 and moves the entry', async () => {
      await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'OLD', typeName: 'Đổi mã' });
      ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: '/api/crm/type/updateNo' });
      assert.equal(await exec('vbotCrm.changeTypeCode', { projectCode: 'SALES', typeNo: 'OLD', newTypeNo: 'NEWER' }), 'failed');
      assert.equal(await exec('vbotCrm.changeTypeCode', { projectCode: 'SALES', typeNo: 'OLD', newTypeNo: 'NEWER' }), 'done');
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['NEWER', 'Đổi mã']]);
      assert.deepEqual(
        ctx.sandbox.types(VBOT_ID, 'SALES').map((t) => t.typeNo),
        ['NEWER'],
      );
    });

    it('Retry on a lost answer runs the same change again, which is recognised as made', async () => {
      ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: '/api/crm/type/create' });
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'RETRIED', typeName: 'Thử lại' }), 'failed');
      const failure = lastNotification(ctx.api);
      assert.ok(failure.actions.includes('Retry'), failure.actions.join(', '));
      const sent = crmRequests(ctx.sandbox).length;
      assert.equal(await failure.click?.('Retry'), 'done');
      assert.equal(crmRequests(ctx.sandbox).length, sent + 1, 'one more request: the same create');
      assert.deepEqual(crmRequests(ctx.sandbox).at(-1)?.body, crmRequests(ctx.sandbox).at(-2)?.body);
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['RETRIED', 'Thử lại']]);
      assert.match(lastNotification(ctx.api).message, /already created by the earlier attempt/);
    });

    it('Retry after a server that did not answer sends the same change and succeeds; a refusal offers no Retry', async () => {
      ctx.sandbox.injectFault({ fault: { kind: 'reset' }, path: '/api/crm/type/create' });
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'AGAIN', typeName: 'Lần nữa' }), 'failed');
      assert.equal(await lastNotification(ctx.api).click?.('Retry'), 'done');
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['AGAIN', 'Lần nữa']]);
      ctx.sandbox.injectFault({ fault: { kind: 'envelopeError', error: 403 }, path: '/api/crm/type/create' });
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'NOPE', typeName: 'Không' }), 'failed');
      assert.ok(!lastNotification(ctx.api).actions.includes('Retry'), 'a refusal is not retried');
    });

    it('signed out, a command with questions offers to sign in before asking anything', async () => {
      await exec('vbotCrm.signOut');
      const asked: string[] = [];
      ctx.api.notifier.answerModal = (q) => {
        asked.push(q.message);
        return undefined; // the user closes the question
      };
      try {
        assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES' }), 'cancelled');
      } finally {
        ctx.api.notifier.answerModal = undefined;
      }
      assert.equal(asked.length, 1);
      assert.match(asked[0], /not signed in to VBot \(profile "default"\)/);
      assert.deepEqual(crmRequests(ctx.sandbox), []);
    });

    it('a 409 without an earlier lost answer stays a failure (nothing is assumed)', async () => {
      ctx.sandbox.seed(VBOT_ID, 'SALES', [{ typeNo: 'THEIRS', typeName: 'Của người khác' }]);
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'THEIRS', typeName: 'Của tôi' }), 'failed');
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), []);
    });
  });

  describe('a damaged cache file', () => {
    const damaged: Array<[string, string]> = [
      ['garbage', '\u0000\u0001 not json at all'],
      ['truncated', '{"version":1,"projects":[{"vbotId":"VB","projectCode":"P","types":[{"typeNo":"A"'],
      ['empty', ''],
      ['wrong version', '{"version":99,"projects":[]}'],
    ];
    for (const [what, content] of damaged) {
      it(`${what}: kept as a backup, the user told once, work goes on with an empty list`, async () => {
        await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'BEFORE', typeName: 'Trước' });
        const dir = path.dirname(ctx.api.cache.filePath);
        const backupsBefore = (await fs.readdir(dir)).filter((f) => f.includes('.bad-'));
        ctx.api.notifier.shown.length = 0;
        await fs.writeFile(ctx.api.cache.filePath, content);
        await waitFor(() => ctx.api.notifier.shown.some((n) => n.severity === 'warning'), 'the warning about the damaged file');
        const backups = (await fs.readdir(dir)).filter((f) => f.includes('.bad-') && !backupsBefore.includes(f));
        assert.equal(backups.length, 1, 'one backup');
        assert.equal(await fs.readFile(path.join(dir, backups[0]), 'utf8'), content, 'the backup holds the damaged bytes');
        assert.equal(ctx.api.notifier.shown.filter((n) => n.severity === 'warning').length, 1, 'told once');
        assert.deepEqual(await treeTypes(ctx.api, 'SALES'), []);
        assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'AFTER', typeName: 'Sau' }), 'done');
        assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['AFTER', 'Sau']]);
        await Promise.all(backups.map((b) => fs.rm(path.join(dir, b))));
      });
    }
  });

  describe('trust', () => {
    it('a base URL in the workspace settings is ignored: the token still goes only to the user-configured API', async () => {
      const evil = await startSandbox();
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      assert.ok(folder, 'a workspace folder is open');
      const file = path.join(folder, '.vscode', 'settings.json');
      await fs.mkdir(path.dirname(file), { recursive: true });
      try {
        const changed = new Promise<void>((resolve) => {
          const sub = vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration('vbotCrm')) {
              sub.dispose();
              resolve();
            }
          });
        });
        await fs.writeFile(file, JSON.stringify({ 'vbotCrm.baseUrl': evil.url }));
        await Promise.race([changed, new Promise((r) => setTimeout(r, 3000))]);
        assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'SAFE', typeName: 'An toàn' }), 'done');
        assert.equal(evil.requests.length, 0, "the workspace's server got nothing");
        assert.equal(crmRequests(ctx.sandbox).length, 1);
      } finally {
        await fs.rm(file, { force: true });
        await evil.close();
      }
    });

    it('declares how it behaves in untrusted workspaces', () => {
      const pkg = vscode.extensions.getExtension('vbotcrm.vbot-crm')!.packageJSON;
      assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
      for (const key of ['baseUrl', 'vbotId', 'requestTimeoutSeconds', 'profiles']) {
        assert.equal(pkg.contributes.configuration.properties[`vbotCrm.${key}`].scope, 'machine', `vbotCrm.${key} is machine-scoped`);
      }
    });
  });

  describe('secrets', () => {
    it('the log channel itself redacts a token the core did not (a server message echoing the refresh token)', async () => {
      // The client scrubs the token it sent (the access token) from what the server says; the refresh token is
      // not sent on this call, so only the channel's own list of secrets (src/vscode/log.ts) can catch it.
      const token = JSON.parse((await ctx.api.testHooks.secrets.get(`vbotCrm.tokens@${new URL(ctx.sandbox.url).origin}`))!) as {
        accessToken: string;
        refreshToken: string;
      };
      ctx.api.testHooks.logLines.length = 0;
      ctx.sandbox.injectFault({
        fault: { kind: 'envelopeError', error: 403, message: `refresh ${token.refreshToken} refused` },
        path: '/api/crm/type/create',
      });
      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'ECHO', typeName: 'Echo' }), 'failed');
      const lines = ctx.api.testHooks.logLines;
      assert.ok(
        lines.some((l) => l.includes('refresh [redacted] refused')),
        `the server's message is logged, redacted:\n${lines.join('\n').replaceAll(token.refreshToken, '<the refresh token>')}`,
      );
      assert.ok(!lines.some((l) => l.includes(token.refreshToken)), 'no log line holds the refresh token');
      await waitFor(async () => (await logText(ctx.api)).includes('refresh [redacted] refused'), 'the line in the log file');
      assert.ok(!(await logText(ctx.api)).includes(token.refreshToken), 'the log file does not hold the refresh token');
      const shown = lastNotification(ctx.api).message;
      assert.ok(
        shown.includes('refresh [redacted] refused') && !shown.includes(token.refreshToken),
        `the notification shows it redacted too: ${shown.replaceAll(token.refreshToken, '<the refresh token>')}`,
      );
    });

    it('after a session of every command, at trace level, no token or password is anywhere', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vbot-secrets-'));
      const csv = path.join(dir, 'in.csv');
      await fs.writeFile(csv, 'project_code,type_no,type_name\nSALES,IMP,Nhập\n');
      ctx.api.testHooks.logLines.length = 0;
      // Success paths.
      await exec('vbotCrm.addProject', { projectCode: 'CSKH' });
      await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'S1', typeName: 'Một' });
      await exec('vbotCrm.editTypeName', { projectCode: 'SALES', typeNo: 'S1', typeName: 'Một mới' });
      await exec('vbotCrm.changeTypeCode', { projectCode: 'SALES', typeNo: 'S1', newTypeNo: 'S2' });
      await exec('vbotCrm.importTypes', { filePath: csv, mode: 'listOnly', skipConfirmation: true });
      await exec('vbotCrm.exportTypes', { projectCode: 'SALES', format: 'csv', filePath: path.join(dir, 'out.csv') });
      await exec('vbotCrm.exportTypes', { projectCode: 'SALES', format: 'json', filePath: path.join(dir, 'out.json') });
      await exec('vbotCrm.deleteType', { projectCode: 'SALES', typeNo: 'S2', skipConfirmation: true });
      ctx.sandbox.expireAccessTokens(); // a refresh with the refresh token
      await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'S3', typeName: 'Ba' });
      // Failure paths, one of them with a server that echoes the token back.
      const token = JSON.parse((await ctx.api.testHooks.secrets.get(`vbotCrm.tokens@${new URL(ctx.sandbox.url).origin}`))!) as {
        accessToken: string;
        refreshToken: string;
      };
      ctx.sandbox.injectFault({ fault: { kind: 'envelopeError', error: 403, message: `token ${token.accessToken} refused` } });
      await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'F1', typeName: 'Lỗi' });
      ctx.sandbox.injectFault({ fault: { kind: 'html502' } });
      await exec('vbotCrm.editTypeName', { projectCode: 'SALES', typeNo: 'S3', typeName: 'Lỗi' });
      await exec('vbotCrm.signIn', { username: USER.username, password: 'wrong-password-123' });
      await exec('vbotCrm.setAccessToken', { accessToken: 'pasted-token-value-xyz' });
      ctx.sandbox.revokeAll();
      await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'F2', typeName: 'Lỗi' });
      await signIn();
      const all = [
        ...ctx.sandbox.requests.map((r) => String(r.headers.authorization ?? '').replace(/^Bearer /, '')),
        token.accessToken,
        token.refreshToken,
      ];
      const secrets = [...new Set(all.filter((s) => s.length > 8)), USER.password, 'wrong-password-123', 'pasted-token-value-xyz'];
      const stored = JSON.parse((await ctx.api.testHooks.secrets.get(`vbotCrm.tokens@${new URL(ctx.sandbox.url).origin}`))!) as {
        accessToken: string;
        refreshToken: string;
      };
      secrets.push(stored.accessToken, stored.refreshToken);

      const storage = path.dirname(ctx.api.cache.filePath);
      const userData = path.resolve(storage, '..', '..', '..');
      const places: Record<string, string> = {
        'user settings': await fs.readFile(path.join(userData, 'User', 'settings.json'), 'utf8').catch(() => ''),
        'machine settings': await fs.readFile(path.join(userData, 'Machine', 'settings.json'), 'utf8').catch(() => ''),
        configuration: JSON.stringify(vscode.workspace.getConfiguration('vbotCrm')),
        'global state': JSON.stringify(ctx.api.testHooks.globalState.keys().map((k) => [k, ctx.api.testHooks.globalState.get(k)])),
        'workspace state': JSON.stringify(ctx.api.testHooks.workspaceState.keys().map((k) => [k, ctx.api.testHooks.workspaceState.get(k)])),
        'cache file': await fs.readFile(ctx.api.cache.filePath, 'utf8'),
        'exported CSV': await fs.readFile(path.join(dir, 'out.csv'), 'utf8'),
        'exported JSON': await fs.readFile(path.join(dir, 'out.json'), 'utf8'),
        'log file': await logText(ctx.api),
        'every log line (trace included)': ctx.api.testHooks.logLines.join('\n'),
        notifications: JSON.stringify(ctx.api.notifier.shown),
      };
      assert.ok(
        ctx.api.testHooks.logLines.some((l) => l.includes('/api/crm/type/create')),
        'the log recorded the calls',
      );
      const hits: string[] = [];
      for (const [place, text] of Object.entries(places)) {
        for (const secret of secrets) if (text.includes(secret)) hits.push(`${place} contains a secret (${secret.slice(0, 3)}…)`);
      }
      assert.deepEqual(hits, []);
      console.log(`      scanned ${Object.keys(places).length} places for ${secrets.length} secrets: 0 hits`);
      await fs.rm(dir, { recursive: true, force: true });
    });
  });
});
