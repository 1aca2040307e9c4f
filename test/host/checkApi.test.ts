// "VBot: Check API Compatibility…" in the real extension host against the sandbox (issue 17): each alternative
// updateNo body is found, remembered per API and used by the next change of code; a failure at each step still
// cleans up or says exactly what remains (with a working Retry); a cancelled consent sends nothing; the report
// holds no token, password or key; and the same on a v3 profile.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { UPDATE_NO_BODIES, updateNoBodyId } from '../../src/core/schemas';
import type { ShownNotification } from '../../src/vscode/notifier';
import { USER, VBOT_ID, crmRequests, exec, lastNotification, sandboxSuite, signIn } from './helpers';

const FACTS = 'vbotCrm.apiFacts';
const RUN = 'Run Check';

describe('API compatibility check', () => {
  // No signIn option: beforeEach below signs in itself, once the remembered API facts are forgotten.
  const ctx = sandboxSuite();
  let questions: ShownNotification[];

  after(async () => {
    ctx.api.notifier.answerModal = undefined;
    await ctx.api.testHooks.globalState.update(FACTS, undefined);
  });
  beforeEach(async () => {
    await ctx.api.testHooks.globalState.update(FACTS, undefined);
    await signIn();
    questions = [];
    ctx.api.notifier.answerModal = (q) => {
      questions.push(q);
      return RUN;
    };
  });
  afterEach(() => {
    ctx.api.notifier.answerModal = undefined;
  });

  /** The report the check opened (the active editor: a read-only vbot-crm document). */
  const reportText = () => {
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc && doc.uri.scheme === 'vbot-crm', `the report is open (${doc?.uri.toString()})`);
    return doc.getText();
  };
  const probes = () => ctx.sandbox.types(VBOT_ID, 'SALES').filter((t) => t.typeNo.startsWith('VBOT_CHECK_'));
  const remembered = (version = 'v2') =>
    (ctx.api.testHooks.globalState.get<Record<string, { updateNoBody: string }>>(FACTS) ?? {})[`${version} ${ctx.sandbox.origin}`]
      ?.updateNoBody;

  it('consent cancelled: nothing is sent, and the question named the probe and the four steps', async () => {
    ctx.api.notifier.answerModal = (q) => {
      questions.push(q);
      return undefined;
    };
    assert.equal(await exec('vbotCrm.checkApi', { projectCode: 'SALES' }), 'cancelled');
    assert.equal(crmRequests(ctx.sandbox).length, 0);
    assert.equal(questions.length, 1);
    const q = questions[0];
    assert.match(q.message, /SALES/);
    assert.match(q.detail ?? '', /VBOT_CHECK_[0-9A-F]{6}\b/);
    assert.match(q.detail ?? '', /creates.*renames.*changes its code to VBOT_CHECK_[0-9A-F]{6}_2.*deletes/);
    assert.equal(remembered(), undefined);
  });

  for (const body of UPDATE_NO_BODIES) {
    const id = updateNoBodyId(body);
    it(`finds and remembers the body ${id}, and the next changeTypeCode uses it`, async () => {
      ctx.sandbox.acceptUpdateNoBody(body);
      assert.equal(await exec('vbotCrm.checkApi', { projectCode: 'SALES' }), 'done');
      assert.deepEqual(probes(), [], 'the probe is deleted');
      assert.equal(remembered(), id);
      const text = reportText();
      assert.ok(text.includes(`updateNo: the server changed the code with the body ${id}`), text);
      assert.match(lastNotification(ctx.api).message, new RegExp(`changes of code now use ${id}`));
      assert.ok(lastNotification(ctx.api).actions.includes('Copy Report'));
      // The check's own requests: create, rename, updateNo per body tried, the rename that proves it, delete.
      const paths = crmRequests(ctx.sandbox).map((r) => r.path.split('/').pop());
      const tried = UPDATE_NO_BODIES.indexOf(body) + 1;
      assert.deepEqual(paths, ['create', 'update', ...Array(tried).fill('updateNo'), 'update', 'delete']);

      assert.equal(await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' }), 'done');
      assert.equal(await exec('vbotCrm.changeTypeCode', { projectCode: 'SALES', typeNo: 'VIP', newTypeNo: 'VIP2' }), 'done');
      const req = crmRequests(ctx.sandbox).at(-1)!;
      assert.equal(req.path, '/api/crm/type/updateNo');
      assert.deepEqual(Object.keys(req.body as object), ['vbot_id', 'project_code', body.oldNo, body.newNo]);
      assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'SALES'), [{ typeNo: 'VIP2', typeName: 'VIP' }]);
    });
  }

  it('a change of code refused with -1 offers the check', async () => {
    ctx.sandbox.acceptUpdateNoBody(UPDATE_NO_BODIES[1]);
    await exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'VIP', typeName: 'VIP' });
    assert.equal(await exec('vbotCrm.changeTypeCode', { projectCode: 'SALES', typeNo: 'VIP', newTypeNo: 'VIP2' }), 'failed');
    assert.ok(lastNotification(ctx.api).actions.includes('Check API Compatibility'), JSON.stringify(lastNotification(ctx.api)));
  });

  describe('a failure at each step', () => {
    it('create refused: nothing to clean up, and the report says so', async () => {
      ctx.sandbox.injectFault({ fault: { kind: 'envelopeError', error: 403 }, path: '/api/crm/type/create' });
      assert.equal(await exec('vbotCrm.checkApi', { projectCode: 'SALES' }), 'failed');
      assert.deepEqual(
        crmRequests(ctx.sandbox).map((r) => r.path),
        ['/api/crm/type/create'],
      );
      assert.match(reportText(), /Nothing was created, so nothing is left on the server/);
      assert.equal(remembered(), undefined);
    });

    it('create answer lost after the server made it: the probe is still deleted', async () => {
      ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: '/api/crm/type/create' });
      assert.equal(await exec('vbotCrm.checkApi', { projectCode: 'SALES' }), 'failed');
      assert.deepEqual(probes(), []);
      assert.equal(crmRequests(ctx.sandbox).at(-1)!.path, '/api/crm/type/delete');
    });

    it('rename fails: the check goes on and cleans up', async () => {
      ctx.sandbox.injectFault({ fault: { kind: 'http500' }, path: '/api/crm/type/update' });
      await exec('vbotCrm.checkApi', { projectCode: 'SALES' });
      assert.deepEqual(probes(), []);
      assert.equal(remembered(), updateNoBodyId(UPDATE_NO_BODIES[0]));
    });

    it('change of code fails (not about the body): the probe is deleted under its first code', async () => {
      ctx.sandbox.injectFault({ fault: { kind: 'envelopeError', error: 500 }, path: '/api/crm/type/updateNo' });
      assert.equal(await exec('vbotCrm.checkApi', { projectCode: 'SALES' }), 'failed');
      assert.deepEqual(probes(), []);
      assert.match(reportText(), /stopped the search/);
      assert.equal(remembered(), undefined);
    });

    it('no body accepted: the report says which were tried, and the probe is deleted', async () => {
      ctx.sandbox.acceptUpdateNoBody({ oldNo: 'ma_cu', newNo: 'ma_moi' });
      assert.equal(await exec('vbotCrm.checkApi', { projectCode: 'SALES' }), 'failed');
      assert.deepEqual(probes(), []);
      assert.match(reportText(), /accepted none of the bodies tried/);
      assert.equal(remembered(), undefined);
    });

    it('delete fails once: the report and the notification name what remains, and Retry removes it', async () => {
      ctx.sandbox.failDeleteOnce();
      assert.equal(await exec('vbotCrm.checkApi', { projectCode: 'SALES' }), 'failed');
      const left = probes();
      assert.equal(left.length, 1);
      assert.match(left[0].typeNo, /^VBOT_CHECK_[0-9A-F]{6}_2$/);
      const n = lastNotification(ctx.api);
      assert.equal(n.severity, 'error');
      assert.ok(n.message.includes(left[0].typeNo), n.message);
      assert.ok(n.actions.includes('Retry Clean-up'));
      assert.ok(reportText().includes(`under the code ${left[0].typeNo}`), reportText());
      assert.equal(await exec('vbotCrm.checkApi', { retryCleanup: true }), 'done');
      assert.deepEqual(probes(), []);
      assert.match(lastNotification(ctx.api).message, /is deleted from project SALES/);
    });
  });

  it('the report and the notifications hold no token, password or key', async () => {
    const stored = JSON.parse((await ctx.api.testHooks.secrets.get(`vbotCrm.tokens@${ctx.sandbox.origin}`))!) as {
      accessToken: string;
      refreshToken: string;
    };
    // A server that echoes the token in its message.
    ctx.sandbox.injectFault({
      fault: { kind: 'envelopeError', error: -1, message: `token ${stored.accessToken} sai` },
      path: '/api/crm/type/updateNo',
    });
    await exec('vbotCrm.checkApi', { projectCode: 'SALES' });
    const text = reportText();
    const shown = JSON.stringify(ctx.api.notifier.shown);
    for (const secret of [stored.accessToken, stored.refreshToken, USER.password]) {
      assert.ok(!text.includes(secret), 'the report holds a secret');
      assert.ok(!shown.includes(secret), 'a notification holds a secret');
    }
    assert.match(text, /vbot_id, project_code/, 'field names are there');
    assert.deepEqual(probes(), []);
  });

  it('v3: the same check with X-API-Key, remembered for the v3 API', async () => {
    const key = ctx.sandbox.addApiKey(VBOT_ID, 'V3P');
    assert.equal(
      await exec('vbotCrm.addProfile', {
        name: 'v3check',
        baseUrl: ctx.sandbox.urlV3,
        vbotId: VBOT_ID,
        apiVersion: 'v3',
        projectCode: 'V3P',
        skipConfirmation: true,
      }),
      'done',
    );
    await ctx.api.ready;
    assert.equal(await exec('vbotCrm.signIn', { apiKey: key }), 'done');
    ctx.sandbox.acceptUpdateNoBody(UPDATE_NO_BODIES[2]);
    const before = crmRequests(ctx.sandbox).length;
    assert.equal(await exec('vbotCrm.checkApi'), 'done', 'a v3 profile needs no project prompt');
    const reqs = crmRequests(ctx.sandbox).slice(before);
    assert.ok(reqs.every((r) => r.apiVersion === 'v3' && r.headers['x-api-key'] === key && r.headers.authorization === undefined));
    assert.ok(reqs.every((r) => !('vbot_id' in (r.body as object))));
    assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'V3P'), []);
    assert.equal(remembered('v3'), updateNoBodyId(UPDATE_NO_BODIES[2]));
    assert.equal(remembered('v2'), undefined);
    const text = reportText();
    assert.ok(!text.includes(key) && !JSON.stringify(ctx.api.notifier.shown).includes(key), 'no API key in the report or notifications');
    assert.match(text, /API v3/);
  });
});
