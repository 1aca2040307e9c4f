// Untrusted input never acts (issue 10): the workspace cannot pick the account or the timeout (user
// settings only), Apply is limited to trusted workspaces in the manifest, and the Apply confirmation names
// what will happen (projects, counts, the codes to delete) before anything is sent.
// The refusal of Apply in Restricted Mode itself is in test/ui/untrusted.ui.ts: this suite's workspace is trusted.
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ShownNotification } from '../../src/vscode/notifier';
import { EXTENSION_ID, VBOT_ID, cachedTypes, crmRequests, exec, sandboxSuite, setSetting, waitFor } from './helpers';

const EVIL_VBOT_ID = 'VB-EVIL-0001';

describe('untrusted input never acts', () => {
  const ctx = sandboxSuite({ signIn: true, tempDir: 'vbot-untrusted-input-' });

  after(async () => {
    ctx.api.notifier.answerModal = undefined;
    await setSetting('requestTimeoutSeconds', 5);
  });
  afterEach(() => {
    ctx.api.notifier.answerModal = undefined;
  });

  describe('the manifest', () => {
    const manifest = () =>
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        capabilities: { untrustedWorkspaces: { supported: unknown; description?: string; restrictedConfigurations?: string[] } };
        contributes: {
          menus: Record<string, Array<{ command: string; when?: string }>>;
          configuration: { properties: Record<string, { scope?: string }> };
        };
      };

    it('supports untrusted workspaces only in part, says how, and restricts the account and timeout settings', () => {
      const untrusted = manifest().capabilities.untrustedWorkspaces;
      assert.equal(untrusted.supported, 'limited');
      // The scanner usually fills in %key% from package.nls*.json; either way the text exists.
      const description = untrusted.description ?? '';
      const nls = JSON.parse(
        readFileSync(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'package.nls.json'), 'utf8'),
      ) as Record<string, string>;
      const text = /^%.+%$/.test(description) ? nls[description.slice(1, -1)] : description;
      assert.match(text ?? '', /Restricted Mode.*Apply/, `a description of what is limited: ${description}`);
      assert.deepEqual([...(untrusted.restrictedConfigurations ?? [])].sort(), ['vbotCrm.requestTimeoutSeconds', 'vbotCrm.vbotId']);
      const props = manifest().contributes.configuration.properties;
      for (const key of ['vbotCrm.vbotId', 'vbotCrm.requestTimeoutSeconds', 'vbotCrm.baseUrl', 'vbotCrm.profiles']) {
        assert.ok(
          ['machine', 'application'].includes(props[key].scope ?? ''),
          `${key} is not a workspace setting (scope ${props[key].scope})`,
        );
      }
    });

    it('offers Apply in menus only in a trusted workspace', () => {
      const menus = manifest().contributes.menus;
      const applyEntries = Object.entries(menus).flatMap(([where, entries]) =>
        entries
          // The view's title bar runs Apply through vbotCrm.viewTitle.apply (src/core/commandArgs.ts#routedCommands).
          .filter((e) => /^vbotCrm\.(viewTitle\.)?apply$/.test(e.command) && where !== 'commandPalette')
          .map((e) => [where, e.when ?? ''] as const),
      );
      assert.ok(applyEntries.length >= 2, 'view/title and editor/title');
      for (const [where, when] of applyEntries) assert.match(when, /\bisWorkspaceTrusted\b/, `${where}: ${when}`);
    });
  });

  describe('settings come from the user, never the workspace', () => {
    const folder = () => {
      const f = vscode.workspace.workspaceFolders?.[0];
      assert.ok(f, 'the host tests open a folder');
      return f.uri.fsPath;
    };
    const settingsFile = () => path.join(folder(), '.vscode', 'settings.json');
    /** A workspace settings file as a cloned repository would carry it; a marker setting shows VS Code read it. */
    async function writeWorkspaceSettings(values: Record<string, unknown>, marker: number): Promise<void> {
      await fs.mkdir(path.dirname(settingsFile()), { recursive: true });
      await fs.writeFile(settingsFile(), JSON.stringify({ ...values, 'editor.tabSize': marker }, null, 2));
      await waitFor(
        () => vscode.workspace.getConfiguration('editor').inspect('tabSize')?.workspaceValue === marker,
        'VS Code to read the workspace settings',
        10_000,
      );
    }
    afterEach(async () => {
      await fs.rm(path.join(folder(), '.vscode'), { recursive: true, force: true });
      await waitFor(
        () => vscode.workspace.getConfiguration('editor').inspect('tabSize')?.workspaceValue === undefined,
        'the workspace settings to go',
        10_000,
      );
    });

    it('a workspace cannot write vbotCrm.vbotId or vbotCrm.requestTimeoutSeconds', async () => {
      for (const [key, value] of [
        ['vbotId', EVIL_VBOT_ID],
        ['requestTimeoutSeconds', 300],
      ] as const) {
        await assert.rejects(
          Promise.resolve(vscode.workspace.getConfiguration('vbotCrm').update(key, value, vscode.ConfigurationTarget.Workspace)),
          `VS Code refuses a workspace value for vbotCrm.${key}`,
        );
      }
    });

    it("a VBotID in the workspace settings file is ignored: new projects and Plan/Apply use the user's", async () => {
      await writeWorkspaceSettings({ 'vbotCrm.vbotId': EVIL_VBOT_ID }, 7);
      assert.equal(await exec('vbotCrm.addProject', { projectCode: 'WSP' }), 'done');
      assert.ok(ctx.api.cache.snapshot().project(VBOT_ID, 'WSP'), "the project is under the user's VBotID");
      assert.ok(!ctx.api.cache.snapshot().project(EVIL_VBOT_ID, 'WSP'), "not under the workspace's");

      // A file for both accounts: Apply acts on the user's account only.
      const file = path.join(ctx.dir, 'vbot-types.json');
      await fs.writeFile(
        file,
        JSON.stringify({
          version: 1,
          projects: [
            { vbotId: VBOT_ID, projectCode: 'MINE', types: [{ typeNo: 'M1', typeName: 'Của tôi' }] },
            { vbotId: EVIL_VBOT_ID, projectCode: 'THEIRS', types: [{ typeNo: 'T1', typeName: 'Của họ' }] },
          ],
        }),
      );
      const questions: ShownNotification[] = [];
      ctx.api.notifier.answerModal = (q) => {
        questions.push(q);
        return undefined;
      };
      assert.equal(await exec('vbotCrm.apply', { filePath: file }), 'cancelled');
      assert.equal(questions.length, 1);
      assert.match(questions[0].detail ?? '', new RegExp(`Project MINE \\(VBotID ${VBOT_ID}\\)`));
      assert.ok(!(questions[0].detail ?? '').includes(EVIL_VBOT_ID), `the workspace's account is not acted on: ${questions[0].detail}`);
    });

    it("a request timeout in the workspace settings file is ignored: the user's 1 s holds", async function () {
      this.timeout(25_000);
      await setSetting('requestTimeoutSeconds', 1);
      await writeWorkspaceSettings({ 'vbotCrm.requestTimeoutSeconds': 300 }, 5);
      ctx.sandbox.injectFault({ fault: { kind: 'noAnswer' }, path: '/api/crm/type/create', times: Infinity });
      const started = Date.now();
      const result = await Promise.race([
        exec('vbotCrm.addType', { projectCode: 'SALES', typeNo: 'SLOW', typeName: 'Chậm' }),
        new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 15 s'), 15_000)),
      ]);
      assert.equal(result, 'failed', "gave up after the user's timeout");
      assert.ok(Date.now() - started < 15_000);
      ctx.sandbox.clearFaults();
    });
  });

  describe('the Apply confirmation names what will change', () => {
    let file: string;
    before(() => {
      file = path.join(ctx.dir, 'vbot-types.json');
    });

    async function known(projectCode: string, types: Array<[string, string]>) {
      ctx.sandbox.seed(
        VBOT_ID,
        projectCode,
        types.map(([typeNo, typeName]) => ({ typeNo, typeName })),
      );
      for (const [typeNo, typeName] of types) await ctx.api.cache.upsertType(VBOT_ID, projectCode, { typeNo, typeName });
    }
    const old = Array.from({ length: 12 }, (_, i) => [`OLD${String(i).padStart(2, '0')}`, `Cũ ${i}`] as [string, string]);

    async function writeDeletingFile(): Promise<void> {
      await known('SALES', [['KEEP', 'Giữ'], ...old]);
      await known('CSKH', [['A', 'Tên cũ']]);
      await fs.writeFile(
        file,
        JSON.stringify(
          {
            version: 1,
            projects: [
              {
                vbotId: VBOT_ID,
                projectCode: 'SALES',
                deleteUnlisted: true,
                types: [
                  { typeNo: 'KEEP', typeName: 'Giữ' },
                  { typeNo: 'NEW', typeName: 'Mới' },
                ],
              },
              { vbotId: VBOT_ID, projectCode: 'CSKH', types: [{ typeNo: 'A', typeName: 'Tên mới' }] },
            ],
          },
          null,
          2,
        ),
      );
    }

    it('each project with its VBotID and counts, and the first 10 codes to delete; cancelling sends nothing', async () => {
      await writeDeletingFile();
      const questions: ShownNotification[] = [];
      ctx.api.notifier.answerModal = (q) => {
        questions.push(q);
        return undefined;
      }; // as the user pressing Cancel
      const before = crmRequests(ctx.sandbox).length;
      assert.equal(await exec('vbotCrm.apply', { filePath: file }), 'cancelled');

      assert.equal(questions.length, 1, 'one modal question');
      const q = questions[0];
      assert.equal(q.severity, 'modal');
      assert.match(q.message, /Apply 14 changes from vbot-types\.json to VBot \(profile "default"\)\?/);
      const detail = q.detail ?? '';
      assert.match(detail, new RegExp(`Project SALES \\(VBotID ${VBOT_ID}\\): 1 to add, 12 to delete`), detail);
      assert.match(detail, new RegExp(`Project CSKH \\(VBotID ${VBOT_ID}\\): 1 to rename`), detail);
      const listed = old
        .slice(0, 10)
        .map(([c]) => c)
        .join(', ');
      assert.ok(detail.includes(`Codes to delete in SALES: ${listed} and 2 more`), detail);
      assert.ok(!detail.includes('OLD10') && !detail.includes('OLD11'), 'only the first 10 codes are named');
      assert.ok(!detail.includes('Codes to delete in CSKH'), 'a project without deletes lists none');
      assert.deepEqual(q.actions, ['Apply']);

      assert.equal(crmRequests(ctx.sandbox).length, before, 'nothing sent after Cancel');
      assert.equal(ctx.sandbox.types(VBOT_ID, 'SALES').length, 13, 'nothing deleted on the server');
      assert.equal((await cachedTypes(ctx.api, 'SALES')).length, 13, 'nor in the local list');
    });

    it('answering Apply carries out exactly what was named', async () => {
      await writeDeletingFile();
      const questions: ShownNotification[] = [];
      ctx.api.notifier.answerModal = (q) => {
        questions.push(q);
        return q.actions[0];
      };
      assert.equal(await exec('vbotCrm.apply', { filePath: file }), 'done');
      assert.equal(questions.length, 1);
      assert.deepEqual(
        ctx.sandbox.types(VBOT_ID, 'SALES').map((t) => t.typeNo),
        ['KEEP', 'NEW'],
      );
      assert.deepEqual(ctx.sandbox.types(VBOT_ID, 'CSKH'), [{ typeNo: 'A', typeName: 'Tên mới' }]);
      assert.equal(crmRequests(ctx.sandbox).filter((r) => r.path === '/api/crm/type/delete').length, 12);
    });
  });
});
