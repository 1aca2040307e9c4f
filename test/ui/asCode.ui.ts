// Customer types as code and history, driven in the real workbench: a vbot-types.json in the
// workspace, Plan, Apply (modal, progress, report), History, and Undo from the tree's menu.
// Screenshots land in test-results/ui-as-code/ (the plan and the history go into the README).
//   npx tsx test/ui/asCode.ui.ts     (after `node esbuild.mjs`)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/codeServer';
import {
  clickModalButton,
  openViewContainer,
  pickQuickItem,
  runCommand,
  screenshot,
  treeItem,
  typeIntoInput,
  waitForNotification,
} from '../harness/workbench';
import { DEMO_VBOT_ID } from '../sandbox/demoData';
import { runDemoUiSuite, signInFromView } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-as-code');

const DESIRED = {
  version: 1,
  projects: [
    {
      vbotId: DEMO_VBOT_ID,
      projectCode: 'SALES',
      types: [
        { typeNo: 'VIP', typeName: 'Khách hàng VIP (hạng vàng)' },
        { typeNo: 'TIEM_NANG', typeName: 'Khách hàng tiềm năng' },
        { typeNo: 'DAI_LY_1', typeName: 'Đại lý cấp 1', previousCodes: ['DAI_LY_C1'] },
        { typeNo: 'DAI_LY_C2', typeName: 'Đại lý cấp 2' },
        { typeNo: 'KH_MOI', typeName: 'Khách hàng mới' },
        { typeNo: 'DOANH_NGHIEP', typeName: 'Khách hàng doanh nghiệp' },
      ],
    },
  ],
};

/** An unknown key that VS Code would draw as a link running a destructive command, if we let it. */
const HOSTILE_KEY =
  '[Click here to fix this file](command:vbotCrm.deleteType?%7B%22typeNo%22%3A%22VIP%22%2C%22skipConfirmation%22%3Atrue%7D "Fix")';

const folder = mkdtempSync(join(tmpdir(), 'vbot-as-code-'));
writeFileSync(join(folder, 'vbot-types.json'), JSON.stringify(DESIRED, null, 2) + '\n');

void runDemoUiSuite(
  {
    heading: 'UI tests: customer types as code, history, undo (real workbench)',
    label: 'UI (as code)',
    shots: SHOTS,
    settings: { 'workbench.editor.enablePreview': false },
    workbench: { folder },
    cleanup: () => rmSync(folder, { recursive: true, force: true }),
  },
  ({ page, sandbox, steps }) => {
    return [
      [
        'sign in and open vbot-types.json',
        async () => {
          await signInFromView(page);
          await page.keyboard.press('Control+P');
          await typeIntoInput(page, 'vbot-types.json');
          await pickQuickItem(page, 'vbot-types.json');
          await page.locator('.tab.active', { hasText: 'vbot-types.json' }).waitFor();
        },
      ],
      [
        'a hostile vbot-types.json: its command-link key shows as plain text, with no link to click',
        async () => {
          const file = join(folder, 'vbot-types.json');
          writeFileSync(file, JSON.stringify({ ...DESIRED, [HOSTILE_KEY]: true }, null, 2) + '\n');
          await runCommand(page, 'VBot: Plan vbot-types.json');
          const toast = await waitForNotification(page, /is not valid; nothing was planned/);
          // Opened in full, as a person would to read it.
          await toast.hover();
          const expand = toast.locator('.codicon-notifications-expand');
          if (await expand.count()) await expand.first().click();
          const message = toast.locator('.notification-list-item-message');
          const text = await message.innerText();
          steps.expect(text.includes('[Click here to fix this file] (command:vbotCrm.deleteType'), `the key is shown as text: ${text}`);
          steps.expect((await message.locator('a').count()) === 0, 'the message holds no link');
          await screenshot(page, SHOTS, '0-hostile-file-error');
          await runCommand(page, 'Notifications: Clear All Notifications');
          writeFileSync(file, JSON.stringify(DESIRED, null, 2) + '\n');
        },
      ],
      [
        'Plan shows the differences in an editor and sends nothing',
        async () => {
          const before = sandbox.requests.length;
          await runCommand(page, 'VBot: Plan vbot-types.json');
          await page.locator('.monaco-editor .view-lines', { hasText: 'change code DAI_LY_C1 → DAI_LY_1' }).first().waitFor();
          await screenshot(page, SHOTS, '1-plan');
          steps.expect(sandbox.requests.length === before, 'nothing was sent');
        },
      ],
      [
        'Apply asks first, then reports per item and notifies once',
        async () => {
          await runCommand(page, 'VBot: Apply vbot-types.json…');
          await page
            .locator('.monaco-dialog-box')
            .getByText(/Apply 3 changes/)
            .waitFor();
          // The detail names the project and its account, not just counts.
          await page
            .locator('.monaco-dialog-box')
            .getByText(new RegExp(`Project SALES \\(VBotID ${DEMO_VBOT_ID}\\)`))
            .waitFor();
          await screenshot(page, SHOTS, '2-apply-confirmation');
          await clickModalButton(page, 'Apply');
          await waitForNotification(page, /3 done, 0 failed, 0 skipped/);
          await page.locator('.monaco-editor .view-lines', { hasText: 'Result of applying' }).first().waitFor();
          await screenshot(page, SHOTS, '3-apply-report');
          const codes = sandbox.types(DEMO_VBOT_ID, 'SALES').map((t) => t.typeNo);
          steps.expect(
            codes.includes('DOANH_NGHIEP') && codes.includes('DAI_LY_1') && !codes.includes('DAI_LY_C1'),
            `server has the plan applied: ${codes}`,
          );
        },
      ],
      [
        'History lists the changes of the project',
        async () => {
          await runCommand(page, 'VBot: Show History');
          await treeItem(page, /^(Created|Renamed|Changed code|Deleted) /).waitFor();
          await screenshot(page, SHOTS, '4-history');
          // Folded again, so that the Customer Types view keeps its room for the next steps.
          await page
            .locator('.part.sidebar .pane-header')
            .filter({ hasText: /^History/ })
            .click();
        },
      ],
      [
        'Undo from the tree item menu re-does the old name after a confirmation',
        async () => {
          await openViewContainer(page, 'VBot CRM');
          const row = treeItem(page, 'Khách hàng VIP (hạng vàng)');
          await row.click({ button: 'right' });
          const entry = page.locator('.context-view .action-item').filter({ hasText: 'Undo Last Change…' });
          await entry.hover();
          await page.locator('.context-view .action-item.focused').filter({ hasText: 'Undo Last Change…' }).waitFor();
          await entry.click();
          await page
            .locator('.monaco-dialog-box')
            .getByText(/Undo the last change of customer type "VIP"/)
            .waitFor();
          await screenshot(page, SHOTS, '5-undo-confirmation');
          await clickModalButton(page, 'Undo');
          await waitForNotification(page, /now named "Khách hàng VIP"/);
          await treeItem(page, 'Khách hàng VIP').waitFor();
          steps.expect(
            sandbox.types(DEMO_VBOT_ID, 'SALES').some((t) => t.typeNo === 'VIP' && t.typeName === 'Khách hàng VIP'),
            'name restored on the server',
          );
        },
      ],
    ];
  },
);
