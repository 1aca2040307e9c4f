// Choice lists as code (issue 15) in the real workbench: a v3 profile, a vbot-types.json whose project declares the
// options of the demo "Nguồn" field; Plan reads the server's list and shows the option made "in the web console"
// (seeded, not in the file) as not in the file (the file's CodeLens counts it all against the list the tree read, and
// an option code's hover shows that list's entry); Apply (modal, report) adds, edits and changes a code through the
// runner, and the fields tree shows the result.
//   npx tsx test/ui/fieldsAsCode.ui.ts     (after `node esbuild.mjs`); PNGs in test-results/ui-fields-as-code/
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startWorkbench, type Workbench } from '../harness/codeServer';
import {
  clickModalButton,
  pickQuickItem,
  runCommand,
  screenshot,
  treeItem,
  typeIntoInput,
  waitForNotification,
} from '../harness/workbench';
import { DEMO_V3_PROJECT, DEMO_VBOT_ID } from '../sandbox/demoData';
import { demoV3Profile, demoWorkbenchOptions, signInV3, startV3Sandbox } from './demoSetup';
import { UiSteps } from './uiSteps';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-fields-as-code');

const DESIRED = {
  version: 1,
  projects: [
    {
      vbotId: DEMO_VBOT_ID,
      projectCode: DEMO_V3_PROJECT,
      types: [],
      fields: {
        nguon: {
          options: [
            { code: 'FACEBOOK', name: 'Facebook', color: '#1877F2' },
            { code: 'WEBSITE', name: 'Trang web', color: '#2E7D32' },
            { code: 'GIOI_THIEU_BAN', name: 'Người quen giới thiệu', color: '#EF6C00', previousCodes: ['GIOI_THIEU'] },
            { code: 'ZALO', name: 'Zalo', color: '#0068FF' },
          ],
        },
      },
    },
  ],
};

async function main(): Promise<void> {
  const steps = new UiSteps(SHOTS);
  const folder = mkdtempSync(join(tmpdir(), 'vbot-fields-as-code-'));
  writeFileSync(join(folder, 'vbot-types.json'), JSON.stringify(DESIRED, null, 2) + '\n');
  const sandbox = await startV3Sandbox();
  const posts = () => sandbox.requests.filter((r) => r.method === 'POST').length;
  let wb: Workbench | undefined;
  try {
    const profile = demoV3Profile(sandbox);
    const options = demoWorkbenchOptions(sandbox, { 'vbotCrm.profiles': [profile], 'workbench.editor.enablePreview': false });
    wb = await startWorkbench({ extensionDevelopmentPath: REPO_ROOT, folder, ...options, viewport: { width: 1280, height: 800 } });
    const page = wb.page;
    steps.page = page;
    console.log('UI tests (choice lists as code)');
    await steps.run([
      [
        'a v3 profile: the field "Nguồn" in the tree, with "Hội thảo", made in the web console and not in the file',
        async () => {
          await signInV3(page, 480);
          await treeItem(page, 'Customer fields').click();
          await treeItem(page, 'Nguồn').click();
          await treeItem(page, 'Hội thảo').waitFor();
          await page.mouse.move(900, 700);
          await screenshot(page, SHOTS, '1-tree-before');
        },
      ],
      [
        'in the file, the CodeLens counts the option changes against the list just read; an option code’s hover shows it',
        async () => {
          await page.keyboard.press('Control+P');
          await typeIntoInput(page, 'vbot-types.json');
          await pickQuickItem(page, 'vbot-types.json');
          await page.locator('.tab.active', { hasText: 'vbot-types.json' }).waitFor();
          const lens = page.locator('.codelens-decoration').first();
          await lens.getByText('1 option to add · 1 option to edit · 1 option code change · 1 option on VBot, not in the file').waitFor();
          // The token itself (a line's outer span has the same text, and its middle may be the key).
          await page.locator('.monaco-editor .view-lines').getByText('"FACEBOOK"', { exact: true }).first().hover();
          await page.locator('.monaco-hover').filter({ hasText: 'in the list of field nguon: "Facebook"' }).waitFor();
          await screenshot(page, SHOTS, '1b-codelens-and-hover');
          await page.keyboard.press('Escape');
        },
      ],
      [
        'Plan reads the server’s list: an add, an edit, a code change, and "Hội thảo" on the server, not in the file; nothing sent',
        async () => {
          await page.keyboard.press('Control+P');
          await typeIntoInput(page, 'vbot-types.json');
          await pickQuickItem(page, 'vbot-types.json');
          await page.locator('.tab.active', { hasText: 'vbot-types.json' }).waitFor();
          const before = posts();
          await runCommand(page, 'VBot: Plan vbot-types.json');
          const lines = page.locator('.monaco-editor .view-lines', { hasText: 'On the server, not in the file' }).first();
          await lines.waitFor();
          // The editor draws spaces as no-break spaces.
          const text = (await lines.innerText()).replace(/\u00a0/g, ' ');
          for (const wanted of [
            '+ add option ZALO "Zalo" to field nguon',
            'edit option WEBSITE of field nguon: name "Website" → "Trang web"',
            'change option code GIOI_THIEU → GIOI_THIEU_BAN',
            '"Hội thảo" (HOI_THAO)',
          ])
            steps.expect(text.includes(wanted), `the plan says ${wanted}`);
          steps.expect(posts() === before, 'nothing was sent');
          await screenshot(page, SHOTS, '2-plan');
        },
      ],
      [
        'Apply asks first (the fields counted), then reports per option; the tree shows the server’s list again',
        async () => {
          await runCommand(page, 'VBot: Apply vbot-types.json…');
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.getByText(/Apply 3 changes/).waitFor();
          await dialog
            .getByText(/Customer fields: 1 to add, 1 to edit, 1 to change code, 0 to delete; 1 on the server, not in the file/)
            .waitFor();
          await screenshot(page, SHOTS, '3-apply-confirmation');
          await clickModalButton(page, 'Apply');
          await waitForNotification(page, /3 done, 0 failed, 0 skipped/);
          await page.locator('.monaco-editor .view-lines', { hasText: 'Result of applying' }).first().waitFor();
          await treeItem(page, 'Zalo').waitFor();
          await treeItem(page, 'Trang web').waitFor();
          const codes = sandbox.fields.options(DEMO_VBOT_ID, DEMO_V3_PROJECT, 'nguon').map((o) => o.code);
          steps.expect(
            ['FACEBOOK', 'WEBSITE', 'GIOI_THIEU_BAN', 'ZALO', 'HOI_THAO'].every((c) => codes.includes(c)) && !codes.includes('GIOI_THIEU'),
            `the server has the plan applied, "Hội thảo" kept: ${codes.join(', ')}`,
          );
          await page.mouse.move(900, 700);
          await screenshot(page, SHOTS, '4-apply-report-and-tree');
        },
      ],
    ]);
  } catch (e) {
    steps.startFailed(e);
  } finally {
    if (wb?.userDataDir) steps.saveExtensionLog(wb.userDataDir);
    await wb?.close();
    await sandbox.close();
    rmSync(folder, { recursive: true, force: true });
  }
  steps.finish('UI (choice lists as code)');
}

void main();
