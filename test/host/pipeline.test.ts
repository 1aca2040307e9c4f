// Every change goes through one runner (src/core/change/changeRunner.ts), whoever asks: Apply, a command,
// Undo. Shown here against the real extension and a real sandbox: an answer lost after the server made the
// change (`resetAfterApply`) is remembered in the journal, and the next attempt, by Apply or by a command,
// meets the proof (409 for a create, 404 for a delete or a change of code) and records the change as done.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  VBOT_ID,
  bearerOf,
  cachedTypes,
  crmRequests,
  exec,
  freshState,
  lastNotification,
  sandboxSuite,
  setSetting,
  storedTokens,
} from './helpers';

const editorText = () => vscode.window.activeTextEditor?.document.getText() ?? '';
/** What the runner logs when a refusal proves that an earlier attempt, whose answer was lost, made the change. */
const RECOVERED_LOG = /the server already has it; an earlier attempt whose answer was lost made it/;
const RECOVERED_NOTE = 'made by an earlier attempt whose answer was lost';

describe('one change pipeline: lost answers and undo', () => {
  const ctx = sandboxSuite({ signIn: true, closeEditors: true, tempDir: 'vbot-pipeline-' });
  let file: string;
  let project: string;
  let n = 0;
  // The journal outlives each test (and could outlive a run): a project of its own keeps its entries apart.
  const run = Date.now().toString(36).toUpperCase();

  before(() => {
    file = path.join(ctx.dir, 'vbot-types.json');
  });
  after(() => freshState(ctx.api, ctx.sandbox)); // no sign-in or profile left for the next suite (needs only the sandbox URL)
  beforeEach(() => {
    project = `PIPE_${run}_${++n}`;
    ctx.api.testHooks.logLines.length = 0;
  });

  type Pair = [string, string];
  const writeTypes = (types: unknown[], extra: Record<string, unknown> = {}) =>
    fs.writeFile(file, JSON.stringify({ version: 1, projects: [{ vbotId: VBOT_ID, projectCode: project, ...extra, types }] }, null, 2));
  const apply = () => exec('vbotCrm.apply', { filePath: file, skipConfirmation: true });
  const serverTypes = (): Pair[] => ctx.sandbox.types(VBOT_ID, project).map((t) => [t.typeNo, t.typeName]);
  const journal = () => ctx.api.journal.entries({ projectCode: project });
  /** The same types on the server and in the local list, as after earlier work. */
  async function known(types: Pair[]) {
    ctx.sandbox.seed(
      VBOT_ID,
      project,
      types.map(([typeNo, typeName]) => ({ typeNo, typeName })),
    );
    for (const [typeNo, typeName] of types) await ctx.api.cache.upsertType(VBOT_ID, project, { typeNo, typeName });
  }
  const recoveredLogged = () => ctx.api.testHooks.logLines.some((l) => RECOVERED_LOG.test(l));

  describe('Apply after a lost answer', () => {
    const cases: Array<{
      what: string;
      path: string;
      proof: string;
      op: string;
      typeNo: string;
      known: Pair[];
      file: { types: unknown[]; deleteUnlisted?: boolean };
      server: Pair[];
      localBefore: Pair[];
      localAfter: Pair[];
    }> = [
      {
        what: 'create',
        path: '/api/crm/type/create',
        proof: '409',
        op: 'create',
        typeNo: 'NEW',
        known: [],
        file: { types: [{ typeNo: 'NEW', typeName: 'Mới' }] },
        server: [['NEW', 'Mới']],
        localBefore: [],
        localAfter: [['NEW', 'Mới']],
      },
      {
        what: 'delete',
        path: '/api/crm/type/delete',
        proof: '404',
        op: 'delete',
        typeNo: 'GONE',
        known: [
          ['GONE', 'Bỏ'],
          ['KEEP', 'Giữ'],
        ],
        file: { deleteUnlisted: true, types: [{ typeNo: 'KEEP', typeName: 'Giữ' }] },
        server: [['KEEP', 'Giữ']],
        localBefore: [
          ['GONE', 'Bỏ'],
          ['KEEP', 'Giữ'],
        ],
        localAfter: [['KEEP', 'Giữ']],
      },
      {
        what: 'change of code',
        path: '/api/crm/type/updateNo',
        proof: '404',
        op: 'changeCode',
        typeNo: 'OLDC',
        known: [['OLDC', 'Đổi mã']],
        file: { types: [{ typeNo: 'NEWC', typeName: 'Đổi mã', previousCodes: ['OLDC'] }] },
        server: [['NEWC', 'Đổi mã']],
        localBefore: [['OLDC', 'Đổi mã']],
        localAfter: [['NEWC', 'Đổi mã']],
      },
    ];
    for (const c of cases) {
      it(`${c.what}: the first Apply reports it unknown and the list does not claim it; the second meets ${c.proof} and records it done`, async () => {
        await known(c.known);
        const { types, ...extra } = c.file;
        await writeTypes(types, extra);
        ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: c.path });

        assert.equal(await apply(), 'failed');
        assert.match(editorText(), /0 done, 1 failed, 0 skipped/);
        assert.match(editorText(), /✗ failed: .*may have been applied on the server/, 'the report says the outcome is unknown');
        assert.deepEqual(serverTypes(), c.server, 'the sandbox did make the change');
        assert.deepEqual(await cachedTypes(ctx.api, project), c.localBefore, 'the local list does not claim it');
        const [lost] = await journal();
        assert.deepEqual([lost.operation, lost.typeNo, lost.outcome, lost.profile], [c.op, c.typeNo, 'unknown', 'default']);

        const sent = crmRequests(ctx.sandbox).length;
        assert.equal(await apply(), 'done');
        // The retry is the very same request; the server, which already made the change, can only refuse it.
        assert.deepEqual(
          crmRequests(ctx.sandbox)
            .slice(sent)
            .map((r) => r.path),
          [c.path],
          'the same request, once',
        );
        assert.ok(recoveredLogged(), `the runner recognised the ${c.proof} as proof of the earlier attempt`);
        assert.match(editorText(), /1 done, 0 failed, 0 skipped/);
        assert.match(lastNotification(ctx.api).message, /1 done, 0 failed, 0 skipped/);
        assert.deepEqual(serverTypes(), c.server, 'nothing made twice');
        assert.deepEqual(await cachedTypes(ctx.api, project), c.localAfter, 'the local list now has it');
        const [recovered, earlier] = await journal();
        assert.deepEqual(
          [recovered.operation, recovered.typeNo, recovered.outcome, recovered.profile],
          [c.op, c.typeNo, 'done', 'default'],
        );
        assert.equal(recovered.message, RECOVERED_NOTE);
        assert.equal(earlier.id, lost.id, 'the lost attempt stays in the history');

        assert.equal(await apply(), 'done');
        assert.match(lastNotification(ctx.api).message, /Nothing to apply/, 'the file and VBot now agree');
      });
    }

    it('a 409 is no proof without a lost answer of that very change: other owner, or another name, stays failed', async () => {
      // Someone else's type: no attempt of ours ever made it.
      ctx.sandbox.seed(VBOT_ID, project, [{ typeNo: 'THEIRS', typeName: 'Của người khác' }]);
      // Our attempt whose answer was lost, but the file now asks for another name: the server's type is not the one asked for.
      await writeTypes([{ typeNo: 'MINE', typeName: 'Tên cũ' }]);
      ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: '/api/crm/type/create' });
      assert.equal(await apply(), 'failed');
      await writeTypes([
        { typeNo: 'MINE', typeName: 'Tên mới' },
        { typeNo: 'THEIRS', typeName: 'Của tôi' },
      ]);

      assert.equal(await apply(), 'failed');
      assert.match(editorText(), /0 done, 2 failed, 0 skipped/);
      assert.ok(!recoveredLogged(), 'nothing was taken as recovered');
      assert.deepEqual(await cachedTypes(ctx.api, project), [], 'the local list claims neither');
      const entries = await journal();
      assert.deepEqual(
        entries
          .slice(0, 2)
          .map((e) => [e.typeNo, e.outcome])
          .sort(),
        [
          ['MINE', 'failed'],
          ['THEIRS', 'failed'],
        ],
      );
    });
  });

  describe('a single command after a lost answer', () => {
    it('addType: unknown at first, then the retry meets 409 and records it done (journal and list)', async () => {
      const args = { projectCode: project, typeNo: 'CMD', typeName: 'Lệnh' };
      ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: '/api/crm/type/create' });
      assert.equal(await exec('vbotCrm.addType', args), 'failed');
      assert.match(lastNotification(ctx.api).message, /may have been applied/);
      assert.deepEqual(serverTypes(), [['CMD', 'Lệnh']]);
      assert.deepEqual(await cachedTypes(ctx.api, project), []);
      assert.deepEqual(
        (await journal()).map((e) => [e.operation, e.outcome]),
        [['create', 'unknown']],
      );

      assert.equal(await exec('vbotCrm.addType', args), 'done');
      assert.match(lastNotification(ctx.api).message, /already created by the earlier attempt/);
      assert.ok(recoveredLogged());
      assert.deepEqual(await cachedTypes(ctx.api, project), [['CMD', 'Lệnh']]);
      const entries = await journal();
      assert.deepEqual(
        entries.map((e) => [e.operation, e.outcome, e.profile]),
        [
          ['create', 'done', 'default'],
          ['create', 'unknown', 'default'],
        ],
      );
      assert.equal(entries[0].message, RECOVERED_NOTE);
    });

    it('the memory is the journal file alone: not the command, not the window (a profile switch between; Apply finishes what a command lost)', async () => {
      await setSetting('profiles', [{ name: 'elsewhere', baseUrl: ctx.sandbox.url, vbotId: 'VB-ELSEWHERE' }]);
      ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: '/api/crm/type/create' });
      assert.equal(await exec('vbotCrm.addType', { projectCode: project, typeNo: 'MEM', typeName: 'Nhớ' }), 'failed');
      assert.deepEqual(serverTypes(), [['MEM', 'Nhớ']]);

      // Away and back: the active cache is closed and opened again; the runner is made per command anyway.
      assert.equal(await exec('vbotCrm.switchProfile', { name: 'elsewhere' }), 'done');
      await ctx.api.ready;
      assert.equal(await exec('vbotCrm.switchProfile', { name: 'default' }), 'done');
      await ctx.api.ready;

      // Without the journal file the same retry is a plain failure: no memory of the lost answer is kept in
      // the extension's memory (the runner keeps none; each command makes a new one). So a window reload,
      // which throws away everything in memory and keeps the files, leaves exactly what this test leaves:
      // the journal on disk, and only that can make the retry below recognise the 409.
      const journalFile = ctx.api.journal.filePath;
      const hidden = `${journalFile}.hidden-by-test`;
      await fs.rename(journalFile, hidden);
      try {
        await writeTypes([{ typeNo: 'MEM', typeName: 'Nhớ' }]);
        assert.equal(await apply(), 'failed', 'without the journal the 409 proves nothing');
        assert.ok(!recoveredLogged());
      } finally {
        // Back in place, keeping what was appended meanwhile after what was there (the file stays oldest first).
        const meanwhile = await fs.readFile(journalFile, 'utf8').catch(() => '');
        await fs.appendFile(hidden, meanwhile);
        await fs.rename(hidden, journalFile);
      }

      assert.equal(await apply(), 'done', 'with the journal back, Apply recovers what the command lost');
      assert.ok(recoveredLogged());
      assert.deepEqual(await cachedTypes(ctx.api, project), [['MEM', 'Nhớ']]);
      assert.deepEqual(
        (await journal()).map((e) => [e.outcome, e.profile]),
        [
          ['done', 'default'],
          ['failed', 'default'],
          ['unknown', 'default'],
        ],
      );
    });
  });

  describe('undo of an Apply-made change', () => {
    it("goes through the same runner: the sandbox sees the request with the profile's token, the journal names what it undid", async () => {
      await writeTypes([{ typeNo: 'UNDO_ME', typeName: 'Hoàn tác' }]);
      assert.equal(await apply(), 'done');
      const [made] = await journal();
      assert.deepEqual([made.operation, made.outcome], ['create', 'done']);

      const sent = crmRequests(ctx.sandbox).length;
      assert.equal(await exec('vbotCrm.undoLastChange', { projectCode: project, typeNo: 'UNDO_ME', skipConfirmation: true }), 'done');
      const [request, ...more] = crmRequests(ctx.sandbox).slice(sent);
      assert.equal(more.length, 0, 'one request');
      assert.equal(request.path, '/api/crm/type/delete');
      assert.deepEqual(request.body, { vbot_id: VBOT_ID, project_code: project, type_no: 'UNDO_ME' });
      assert.equal(bearerOf(request), (await storedTokens(ctx.api, 'default', ctx.sandbox))?.accessToken, "with the profile's token");
      const [undo] = await journal();
      assert.deepEqual(
        [undo.operation, undo.typeNo, undo.outcome, undo.profile, undo.undoOf],
        ['delete', 'UNDO_ME', 'done', 'default', made.id],
      );
      assert.deepEqual(serverTypes(), []);
      assert.deepEqual(await cachedTypes(ctx.api, project), []);
    });

    it('an undo whose answer is lost is remembered like any change: the next delete of the type recovers it', async () => {
      await writeTypes([{ typeNo: 'UNDO_LOST', typeName: 'Mất' }]);
      assert.equal(await apply(), 'done');
      const [made] = await journal();
      ctx.sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: '/api/crm/type/delete' });
      assert.equal(await exec('vbotCrm.undoLastChange', { projectCode: project, typeNo: 'UNDO_LOST', skipConfirmation: true }), 'failed');
      const [lostUndo] = await journal();
      assert.deepEqual([lostUndo.operation, lostUndo.outcome, lostUndo.undoOf], ['delete', 'unknown', made.id]);
      assert.deepEqual(serverTypes(), [], 'the sandbox did delete it');
      assert.deepEqual(await cachedTypes(ctx.api, project), [['UNDO_LOST', 'Mất']], 'the list keeps it while unknown');

      assert.equal(await exec('vbotCrm.deleteType', { projectCode: project, typeNo: 'UNDO_LOST', skipConfirmation: true }), 'done');
      assert.ok(recoveredLogged(), 'the 404 proved the lost undo');
      assert.deepEqual(await cachedTypes(ctx.api, project), []);
      assert.deepEqual((await journal())[0].outcome, 'done');
    });
  });
});
