// Typed input survives a failure, in the real workbench: signed out, Add Customer Type asks to sign in
// before its questions and then goes on; an answer lost on the way back ("may have been applied") and a
// connection reset offer Retry, which sends the same change again and is recognised when already made.
// In English, then in Vietnamese. Screenshots land in test-results/ui-retry/.
//   npx tsx test/ui/retry.ui.ts     (after `node esbuild.mjs`)
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/codeServer';
import {
  acceptInput,
  clickModalButton,
  openViewContainer,
  pickQuickItem,
  runCommand,
  screenshot,
  treeItem,
  typeIntoInput,
  waitForNotification,
  widenSideBar,
} from '../harness/workbench';
import { DEMO_USER, DEMO_VBOT_ID } from '../sandbox/demoData';
import { runDemoUiSuite, reloadInVietnamese } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-retry');
const CREATE = '/api/crm/type/create';
const UPDATE = '/api/crm/type/update';

/** Clicks a button of a notification toast. */
async function clickToastButton(toast: Locator, label: string): Promise<void> {
  await toast.hover();
  await toast.locator('.monaco-button', { hasText: label }).first().click();
}

async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

void runDemoUiSuite(
  {
    heading: 'UI tests: sign in before the questions, Retry with the same input (real workbench)',
    label: 'UI tests (sign in first, Retry)',
    shots: SHOTS,
  },
  ({ page, sandbox, steps }) => {
    const salesType = (typeNo: string) => sandbox.types(DEMO_VBOT_ID, 'SALES').filter((t) => t.typeNo === typeNo);
    return [
      [
        'signed out, Add Customer Type asks to sign in before any question',
        async () => {
          await openViewContainer(page, 'VBot CRM');
          await widenSideBar(page, 500);
          await treeItem(page, 'SALES').waitFor();
          await runCommand(page, 'VBot: Add Customer Type…');
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor();
          steps.expect(/not signed in to VBot/.test(await dialog.innerText()), 'the dialog says the user is signed out');
          await screenshot(page, SHOTS, '1-sign-in-first-en');
        },
      ],
      [
        'after signing in, the command goes on with its questions; a lost answer offers Retry',
        async () => {
          await clickModalButton(page, 'Sign In');
          await typeIntoInput(page, DEMO_USER.username, { prompt: /username/i });
          await acceptInput(page);
          await typeIntoInput(page, DEMO_USER.password, { prompt: /Password/ });
          await acceptInput(page);
          await pickQuickItem(page, /^SALES/);
          await typeIntoInput(page, 'KH_RETRY', { prompt: /Code of the new customer type/ });
          await acceptInput(page);
          // The server makes the type, then the connection drops before its answer arrives.
          sandbox.injectFault({ fault: { kind: 'resetAfterApply' }, path: CREATE });
          await typeIntoInput(page, 'Khách thử lại', { prompt: /Name of customer type KH_RETRY/ });
          await acceptInput(page);
          const toast = await waitForNotification(page, /may have been applied/);
          steps.expect((await toast.locator('.monaco-button', { hasText: 'Retry' }).count()) > 0, 'the failure offers Retry');
          steps.expect(salesType('KH_RETRY').length === 1, 'the server made the type before the answer was lost');
          await screenshot(page, SHOTS, '2-may-have-been-applied-en');
        },
      ],
      [
        'Retry sends the same change and recognises it as already made (nothing typed again)',
        async () => {
          await clickToastButton(await waitForNotification(page, /may have been applied/), 'Retry');
          await waitForNotification(page, /was already created by the earlier attempt/);
          steps.expect(salesType('KH_RETRY').length === 1, 'still one type on the server');
          await treeItem(page, 'Khách thử lại').waitFor();
          await screenshot(page, SHOTS, '3-retry-recognised-en');
          await clearNotifications(page);
        },
      ],
      [
        'in Vietnamese: a connection reset offers "Thử lại", which renames with the same name',
        async () => {
          await reloadInVietnamese(page);
          await treeItem(page, 'Khách thử lại').waitFor({ timeout: 60_000 });
          sandbox.injectFault({ fault: { kind: 'reset' }, path: UPDATE });
          await runCommand(page, 'VBot: Đổi tên kiểu khách hàng…');
          await pickQuickItem(page, /^SALES/);
          await pickQuickItem(page, 'Khách thử lại');
          await typeIntoInput(page, 'Khách đã thử lại');
          await acceptInput(page);
          const toast = await waitForNotification(page, /Không kết nối được|không kết nối được|máy chủ VBot/);
          steps.expect((await toast.locator('.monaco-button', { hasText: 'Thử lại' }).count()) > 0, 'the failure offers "Thử lại"');
          steps.expect(salesType('KH_RETRY')[0]?.typeName === 'Khách thử lại', 'nothing changed on the server yet');
          await screenshot(page, SHOTS, '4-network-failure-vi');
          await clickToastButton(toast, 'Thử lại');
          await treeItem(page, 'Khách đã thử lại').waitFor();
          steps.expect(salesType('KH_RETRY')[0]?.typeName === 'Khách đã thử lại', 'renamed on the server by the retry');
          await screenshot(page, SHOTS, '5-retry-done-vi');
        },
      ],
      [
        'in Vietnamese: signed out, the command asks to sign in first',
        async () => {
          await runCommand(page, 'VBot: Đăng xuất');
          await runCommand(page, 'VBot: Thêm kiểu khách hàng…');
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor();
          steps.expect(/Hãy đăng nhập trước/.test(await dialog.innerText()), 'the dialog is in Vietnamese');
          await screenshot(page, SHOTS, '6-sign-in-first-vi');
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'hidden' });
        },
      ],
    ];
  },
);
