// Import's two meanings and the CSV separator, as a person meets them (issue 16, items 1 and 10): the preview,
// then the question (add to the local list only, or create on VBot) naming the project and the profile; creating
// sends the types to VBot and says so; in Vietnamese, adding to the local list says nothing was sent. Export offers
// CSV with "," or ";". Screenshots land in test-results/ui-import/.
//   npx tsx test/ui/import.ui.ts     (after `node esbuild.mjs`)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/codeServer';
import {
  acceptInput,
  clickModalButton,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  treeItem,
  waitForNotification,
} from '../harness/workbench';
import { DEMO_VBOT_ID } from '../sandbox/demoData';
import { runDemoUiSuite, signInStep, reloadInVietnamese } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-import');

/** Runs the import command and opens `file` in the open dialog (code-server's simple dialog: a path typed in). */
async function importFile(page: Page, command: string, file: string): Promise<void> {
  await runCommand(page, command);
  const input = quickInput(page).locator('.quick-input-box input');
  await input.waitFor();
  // The dialog fills in the workspace folder's path after it shows; text typed before that is replaced by it.
  await until(async () => (await input.inputValue()) !== '', 'the open dialog shows its starting folder');
  for (let attempt = 0; attempt < 3 && (await input.inputValue()) !== file; attempt++) {
    await input.fill(file);
    await page.waitForTimeout(300); // the dialog checks the path as it is typed
  }
  if ((await input.inputValue()) !== file) throw new Error(`the open dialog kept "${await input.inputValue()}"`);
  await acceptInput(page);
}

async function until(check: () => Promise<boolean>, what: string, timeout = 15_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'vbot-ui-import-'));
const created = join(dir, 'new-types.csv');
writeFileSync(created, 'project_code,type_no,type_name\nSALES,SI,Khách sỉ\nSALES,ONLINE,Khách online\n');
const listed = join(dir, 'known-types.csv');
writeFileSync(listed, 'project_code;type_no;type_name\nSALES;DAILY_LE;Đại lý bán lẻ\n');

void runDemoUiSuite(
  {
    heading: 'UI tests: import (list only, or create on VBot) and the CSV separator',
    label: 'UI (import)',
    shots: SHOTS,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  },
  ({ page, sandbox, steps }) => {
    const sales = (typeNo: string) => sandbox.types(DEMO_VBOT_ID, 'SALES').some((t) => t.typeNo === typeNo);
    return [
      signInStep(page, { sideBarWidth: 460, clearNotifications: true }),
      [
        'the preview goes on to a question, not to an import',
        async () => {
          await importFile(page, 'VBot: Import Customer Types…', created);
          const first = quickInput(page).locator('.monaco-list-row').first();
          await first.filter({ hasText: 'Go on with 2 new customer types' }).waitFor();
          await screenshot(page, SHOTS, '1-preview-en');
          await pickQuickItem(page, /Go on with 2 new/);
        },
      ],
      [
        'the question names both meanings, the project and the profile; nothing is sent before the answer',
        async () => {
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor();
          const text = await dialog.innerText();
          steps.expect(/Are they already on VBot, or should they be created there\?/.test(text), `question: ${text}`);
          steps.expect(/Project SALES \(VBotID VB-DEMO-0001\): 2 to add/.test(text), `names the project: ${text}`);
          steps.expect(/with profile "default"/.test(text), `names the profile: ${text}`);
          steps.expect(!sandbox.requests.some((r) => r.path.startsWith('/api/')), 'nothing sent yet');
          await screenshot(page, SHOTS, '2-question-en');
          await clickModalButton(page, 'Create on VBot');
        },
      ],
      [
        'creating sends them to VBot, shows the report and says "Created … on VBot"',
        async () => {
          await waitForNotification(page, /Created 2 customer types on VBot from new-types\.csv/);
          steps.expect(sales('SI') && sales('ONLINE'), 'the sandbox has both');
          await treeItem(page, 'Khách sỉ').waitFor();
          await screenshot(page, SHOTS, '3-created-en');
          await runCommand(page, 'Notifications: Clear All Notifications');
        },
      ],
      [
        'export offers CSV with "," and with ";"',
        async () => {
          await runCommand(page, 'VBot: Export Customer Types…');
          await pickQuickItem(page, 'SALES');
          await quickInput(page).locator('.monaco-list-row').filter({ hasText: 'CSV (;)' }).waitFor();
          await screenshot(page, SHOTS, '4-export-formats-en');
          await page.keyboard.press('Escape');
        },
      ],
      [
        'in Vietnamese: the question, then "Thêm … vào danh sách cục bộ (không gửi lên VBot)" and nothing sent',
        async () => {
          await reloadInVietnamese(page);
          await treeItem(page, 'SALES').waitFor({ timeout: 60_000 });
          const sent = sandbox.requests.filter((r) => r.path.startsWith('/api/')).length;
          await importFile(page, 'VBot: Nhập kiểu khách hàng từ tệp…', listed);
          await pickQuickItem(page, /Tiếp tục với 1 kiểu khách hàng mới/);
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor();
          steps.expect(
            /Các kiểu này đã có trên VBot, hay cần được tạo trên VBot\?/.test(await dialog.innerText()),
            'the question is in Vietnamese',
          );
          await screenshot(page, SHOTS, '5-question-vi');
          await clickModalButton(page, 'Chỉ thêm vào danh sách cục bộ');
          await waitForNotification(page, /Đã thêm 1 kiểu khách hàng mới vào danh sách cục bộ \(không gửi lên VBot\)/);
          await treeItem(page, 'Đại lý bán lẻ').waitFor();
          steps.expect(sandbox.requests.filter((r) => r.path.startsWith('/api/')).length === sent, 'nothing sent to VBot');
          steps.expect(!sales('DAILY_LE'), 'the sandbox does not have it');
          await screenshot(page, SHOTS, '6-added-to-list-vi');
        },
      ],
    ];
  },
);
