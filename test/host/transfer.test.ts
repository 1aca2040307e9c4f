// Import from JSON/CSV (all or nothing) in its two meanings, and export back, through the commands against the sandbox:
// "listOnly" tells the local list what already exists on VBot and sends nothing; "create" creates the types on VBot
// through Apply's pipeline (runner, journal, report, Retry); without a mode the user is asked which.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ShownNotification } from '../../src/vscode/notifier';
import { VBOT_ID, cachedTypes, crmRequests, exec, lastNotification, sandboxSuite, signIn, treeTypes } from './helpers';

type Pair = [string, string];

describe('import and export', () => {
  const ctx = sandboxSuite({ tempDir: 'vbot-transfer-' });
  afterEach(async () => {
    ctx.api.notifier.answerModal = undefined;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('mode "listOnly" imports a CSV into the local list and the tree, without calling the server, and says so', async () => {
    const file = path.join(ctx.dir, 'types.csv');
    await fs.writeFile(
      file,
      '\uFEFFproject_code,type_no,type_name\nSALES,VIP,"Khách hàng VIP, ưu tiên"\nSALES,LE,Bán lẻ\nCSKH,DL1,Đại lý cấp 1\n',
    );
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'listOnly', skipConfirmation: true }), 'done');
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [
      ['LE', 'Bán lẻ'],
      ['VIP', 'Khách hàng VIP, ưu tiên'],
    ]);
    assert.deepEqual(await treeTypes(ctx.api, 'CSKH'), [['Đại lý cấp 1', 'DL1']]);
    assert.equal(ctx.sandbox.requests.length, 0);
    assert.match(lastNotification(ctx.api).message, /^Added 3 new customer types to the local list \(not sent to VBot\) from types\.csv/);
  });

  it('a malformed file is refused whole: nothing half-imported', async () => {
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'KEEP', typeName: 'Giữ' });
    const before = await fs.readFile(ctx.api.cache.filePath, 'utf8');
    const file = path.join(ctx.dir, 'bad.csv');
    await fs.writeFile(file, 'project_code,type_no,type_name\nSALES,OK,Good\nSALES,,Missing code\n');
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'listOnly', skipConfirmation: true }), 'invalid');
    assert.equal(await fs.readFile(ctx.api.cache.filePath, 'utf8'), before);
    const n = lastNotification(ctx.api);
    assert.equal(n.severity, 'error');
    assert.match(n.message, /3/, 'names the line');
  });

  it('imports JSON and reports renamed entries', async () => {
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'VIP', typeName: 'Cũ' });
    const file = path.join(ctx.dir, 'types.json');
    await fs.writeFile(
      file,
      JSON.stringify([
        { projectCode: 'SALES', typeNo: 'VIP', typeName: 'Mới' },
        { projectCode: 'SALES', typeNo: 'B', typeName: 'Bê' },
      ]),
    );
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'listOnly', skipConfirmation: true }), 'done');
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [
      ['B', 'Bê'],
      ['VIP', 'Mới'],
    ]);
    assert.match(
      lastNotification(ctx.api).message,
      /^Added 1 new and 1 renamed customer types to the local list \(not sent to VBot\) from [^;]*\.$/,
    );
  });

  it('exports a project to CSV and JSON that import back to the same list', async () => {
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'VIP', typeName: 'Khách "VIP", hạng 1' });
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'LE', typeName: 'Bán lẻ' });
    for (const format of ['csv', 'json'] as const) {
      const file = path.join(ctx.dir, `export.${format}`);
      assert.equal(await exec('vbotCrm.exportTypes', { vbotId: VBOT_ID, projectCode: 'SALES', format, filePath: file }), 'done');
      const expected = await cachedTypes(ctx.api, 'SALES');
      await ctx.api.cache.removeProject(VBOT_ID, 'SALES');
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'listOnly', skipConfirmation: true }), 'done');
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), expected, format);
    }
  });

  it('exports CSV with ";" when asked (separator alone means CSV), and that file imports back to the same list', async () => {
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'VIP', typeName: 'Khách VIP; hạng 1, ưu tiên' });
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'LE', typeName: 'Bán lẻ' });
    const expected = await cachedTypes(ctx.api, 'SALES');
    for (const [i, arg] of [{ format: 'csv', separator: ';' }, { separator: ';' }].entries()) {
      const file = path.join(ctx.dir, `semicolon-${i}.csv`);
      assert.equal(await exec('vbotCrm.exportTypes', { projectCode: 'SALES', filePath: file, ...arg }), 'done', JSON.stringify(arg));
      assert.equal(
        await fs.readFile(file, 'utf8'),
        `\uFEFFvbot_id;project_code;type_no;type_name\r\n${VBOT_ID};SALES;LE;Bán lẻ\r\n${VBOT_ID};SALES;VIP;"Khách VIP; hạng 1, ưu tiên"\r\n`,
      );
      await ctx.api.cache.removeProject(VBOT_ID, 'SALES');
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'listOnly', skipConfirmation: true }), 'done');
      assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), expected);
    }
    // Without a separator, CSV keeps its commas.
    const comma = path.join(ctx.dir, 'comma.csv');
    assert.equal(await exec('vbotCrm.exportTypes', { projectCode: 'SALES', format: 'csv', filePath: comma }), 'done');
    assert.ok((await fs.readFile(comma, 'utf8')).startsWith('\uFEFFvbot_id,project_code,type_no,type_name\r\n'));
  });

  it('an unknown separator, a separator for JSON and an unknown import mode are refused, and nothing is written or changed', async () => {
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'VIP', typeName: 'VIP' });
    const out = path.join(ctx.dir, 'refused.csv');
    assert.equal(await exec('vbotCrm.exportTypes', { projectCode: 'SALES', format: 'csv', separator: '|', filePath: out }), 'invalid');
    assert.match(lastNotification(ctx.api).message, /The CSV separator must be "," or ";"\./);
    assert.equal(await exec('vbotCrm.exportTypes', { projectCode: 'SALES', format: 'json', separator: ';', filePath: out }), 'invalid');
    assert.match(lastNotification(ctx.api).message, /only to CSV files, not to the format "json"/);
    await assert.rejects(fs.stat(out), 'no file was written');

    const file = path.join(ctx.dir, 'mode.csv');
    await fs.writeFile(file, 'project_code,type_no,type_name\nSALES,NEW,Mới\n');
    assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'sync', skipConfirmation: true }), 'invalid');
    assert.match(lastNotification(ctx.api).message, /The import mode must be "listOnly" or "create"\./);
    assert.deepEqual(await cachedTypes(ctx.api, 'SALES'), [['VIP', 'VIP']]);
    assert.equal(ctx.sandbox.requests.length, 0);
  });

  describe('import that creates on VBot', () => {
    // The journal outlives each test (and the run): a project of its own keeps each test's entries apart.
    const run = Date.now().toString(36).toUpperCase();
    let n = 0;
    let project = '';
    beforeEach(async () => {
      project = `IMP_${run}_${++n}`;
      await signIn();
    });
    const serverTypes = (): Pair[] => ctx.sandbox.types(VBOT_ID, project).map((t): Pair => [t.typeNo, t.typeName]);
    const sorted = (pairs: Pair[]) => [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    async function csvOf(name: string, types: Pair[]): Promise<string> {
      const file = path.join(ctx.dir, name);
      await fs.writeFile(file, `project_code,type_no,type_name\n${types.map(([no, nm]) => `${project},${no},${nm}`).join('\n')}\n`);
      return file;
    }

    it('mode "create" creates the new types and renames the renamed one on the sandbox, journals each, and lists them', async () => {
      ctx.sandbox.seed(VBOT_ID, project, [{ typeNo: 'OLD', typeName: 'Tên cũ' }]);
      await ctx.api.cache.upsertType(VBOT_ID, project, { typeNo: 'OLD', typeName: 'Tên cũ' });
      const file = await csvOf('create.csv', [
        ['A1', 'Một'],
        ['A2', 'Hai'],
        ['A3', 'Ba'],
        ['OLD', 'Tên mới'],
      ]);
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'create', skipConfirmation: true }), 'done');
      const expected: Pair[] = [
        ['A1', 'Một'],
        ['A2', 'Hai'],
        ['A3', 'Ba'],
        ['OLD', 'Tên mới'],
      ];
      assert.deepEqual(sorted(serverTypes()), expected, 'the sandbox has them');
      assert.deepEqual(await cachedTypes(ctx.api, project), expected, 'and so does the local list');
      assert.deepEqual(
        crmRequests(ctx.sandbox)
          .map((r) => r.path)
          .sort(),
        ['/api/crm/type/create', '/api/crm/type/create', '/api/crm/type/create', '/api/crm/type/update'],
      );
      const journal = await ctx.api.journal.entries({ projectCode: project });
      assert.deepEqual(sorted(journal.map((e): Pair => [`${e.operation}:${e.typeNo}`, e.outcome])), [
        ['create:A1', 'done'],
        ['create:A2', 'done'],
        ['create:A3', 'done'],
        ['rename:OLD', 'done'],
      ]);
      const done = lastNotification(ctx.api);
      assert.equal(done.severity, 'info');
      assert.match(done.message, /^Created 3 customer types on VBot and renamed 1 there, from create\.csv \(profile "default"\)\.$/);
      const report = vscode.window.activeTextEditor?.document.getText() ?? '';
      assert.match(report, /Result of creating on VBot from create\.csv/);
      assert.match(report, /4 done, 0 failed, 0 skipped/);
    });

    it('a server failure mid-way: done and failed told honestly, the list holds only what VBot confirmed; Retry creates the rest', async () => {
      const file = await csvOf('partly.csv', [
        ['B1', 'Một'],
        ['B2', 'Hai'],
        ['B3', 'Ba'],
        ['B4', 'Bốn'],
      ]);
      ctx.sandbox.injectFault({ fault: { kind: 'envelopeError', error: 500 }, path: '/api/crm/type/create', times: 1 });
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'create', skipConfirmation: true }), 'failed');
      const summary = lastNotification(ctx.api);
      assert.equal(summary.severity, 'warning');
      assert.match(summary.message, /^Creating on VBot from partly\.csv: 3 done, 1 failed, 0 not started\./);
      assert.deepEqual(summary.actions, ['Retry', 'Show Log']);
      assert.equal(serverTypes().length, 3, 'the sandbox refused one');
      assert.deepEqual(await cachedTypes(ctx.api, project), sorted(serverTypes()), 'the list holds exactly what the server has');
      const outcomes = (await ctx.api.journal.entries({ projectCode: project })).map((e) => e.outcome).sort();
      assert.deepEqual(outcomes, ['done', 'done', 'done', 'failed']);

      // Retry plans again from the file and confirms what is left (nothing else was previewed this time).
      const asked: ShownNotification[] = [];
      ctx.api.notifier.answerModal = (q) => (asked.push(q), 'Create on VBot');
      const sent = crmRequests(ctx.sandbox).length;
      assert.equal(await summary.click?.('Retry'), 'done');
      assert.equal(asked.length, 1);
      assert.match(asked[0].message, /^Send 1 new customer type to VBot \(profile "default"\)\?$/);
      assert.match(asked[0].detail ?? '', new RegExp(`Project ${project} \\(VBotID ${VBOT_ID}\\): 1 to add`));
      assert.equal(crmRequests(ctx.sandbox).length, sent + 1, 'only the failed one is sent again');
      const all: Pair[] = [
        ['B1', 'Một'],
        ['B2', 'Hai'],
        ['B3', 'Ba'],
        ['B4', 'Bốn'],
      ];
      assert.deepEqual(sorted(serverTypes()), all);
      assert.deepEqual(await cachedTypes(ctx.api, project), all);
    });

    it('mode "listOnly" sends nothing to the server', async () => {
      const file = await csvOf('list.csv', [['C1', 'Một']]);
      const before = ctx.sandbox.requests.length;
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'listOnly', skipConfirmation: true }), 'done');
      assert.equal(ctx.sandbox.requests.length, before, 'no request at all');
      assert.deepEqual(serverTypes(), []);
      assert.deepEqual(await cachedTypes(ctx.api, project), [['C1', 'Một']]);
      assert.deepEqual(await ctx.api.journal.entries({ projectCode: project }), [], 'nothing journaled: nothing was changed on VBot');
    });

    it('without a mode, the question names both meanings and what creating does; each answer is followed, Cancel changes nothing', async () => {
      const file = await csvOf('ask.csv', [
        ['D1', 'Một'],
        ['D2', 'Hai'],
      ]);
      const asked: ShownNotification[] = [];
      const answering = (answer: string | undefined) => {
        ctx.api.notifier.answerModal = (q) => (asked.push(q), answer);
      };
      answering(undefined);
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'cancelled');
      assert.equal(asked.length, 1, 'the question is asked even when the confirmation is skipped');
      const [question] = asked;
      assert.match(question.message, /^ask\.csv: 2 new customer types\. Are they already on VBot, or should they be created there\?$/);
      assert.deepEqual(question.actions, ['Add to Local List Only', 'Create on VBot']);
      assert.match(question.detail ?? '', /Add to Local List Only: they already exist on VBot; .* Nothing is sent\./);
      assert.match(question.detail ?? '', /Create on VBot: .* with profile "default"/);
      assert.match(question.detail ?? '', new RegExp(`Project ${project} \\(VBotID ${VBOT_ID}\\): 2 to add`));
      assert.deepEqual(await cachedTypes(ctx.api, project), [], 'cancelled: nothing listed');
      assert.deepEqual(crmRequests(ctx.sandbox), [], 'cancelled: nothing sent');

      answering('Add to Local List Only');
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'done');
      assert.deepEqual(crmRequests(ctx.sandbox), [], 'listed only: nothing sent');
      assert.deepEqual(await cachedTypes(ctx.api, project), [
        ['D1', 'Một'],
        ['D2', 'Hai'],
      ]);

      await ctx.api.cache.removeProject(VBOT_ID, project);
      answering('Create on VBot');
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'done');
      assert.deepEqual(sorted(serverTypes()), [
        ['D1', 'Một'],
        ['D2', 'Hai'],
      ]);
      assert.match(lastNotification(ctx.api).message, /^Created 2 customer types on VBot from ask\.csv/);
    });

    it('signed out, a scripted "create" is refused at once with Sign In, and a question-led one asks to sign in first', async () => {
      await exec('vbotCrm.signOut');
      const file = await csvOf('signedout.csv', [['E1', 'Một']]);
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'create', skipConfirmation: true }), 'failed');
      const refused = lastNotification(ctx.api);
      assert.match(refused.message, /You are not signed in to VBot \(profile "default"\); nothing was created\./);
      assert.deepEqual(refused.actions, ['Sign In']);

      const asked: string[] = [];
      ctx.api.notifier.answerModal = (q) => (asked.push(q.message), q.actions.includes('Create on VBot') ? 'Create on VBot' : undefined);
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, skipConfirmation: true }), 'cancelled');
      assert.equal(asked.length, 2);
      assert.match(asked[1], /You are not signed in to VBot \(profile "default"\)\./);
      assert.deepEqual(crmRequests(ctx.sandbox), []);
      assert.deepEqual(await cachedTypes(ctx.api, project), []);
    });

    it('a file with a project of another VBotID is not created (nothing sent) and says why', async () => {
      const file = path.join(ctx.dir, 'other.csv');
      await fs.writeFile(file, `vbot_id,project_code,type_no,type_name\n${VBOT_ID},${project},F1,Một\nVB-OTHER-9,THEIRS,F2,Hai\n`);
      assert.equal(await exec('vbotCrm.importTypes', { filePath: file, mode: 'create', skipConfirmation: true }), 'invalid');
      assert.match(
        lastNotification(ctx.api).message,
        /Profile "default" cannot create customer types in project THEIRS \(VBotID VB-OTHER-9\)/,
      );
      assert.deepEqual(crmRequests(ctx.sandbox), []);
      assert.deepEqual(await cachedTypes(ctx.api, project), []);
    });
  });
});
