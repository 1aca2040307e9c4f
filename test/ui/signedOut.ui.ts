// Signed out, where people look (issue 16): with the demo projects in the tree, the view's title shows a
// Sign In button and the status bar says "signed out" (an icon, a tooltip naming the profile, the account and
// the server); signed in, the button is gone and, with one profile, so is the item (issue 12: it shows when there
// is more than one profile, or when signed out). In English and Vietnamese.
// Also: "Open Settings" after a connection error opens the remote settings at our base URL (code-server is a
// remote window); what Running Extensions shows for a development copy.
//   npx tsx test/ui/signedOut.ui.ts     (after `node esbuild.mjs`); PNGs in test-results/ui-signed-out/
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/codeServer';
import { acceptInput, runCommand, screenshot, treeItem, typeIntoInput, waitForNotification } from '../harness/workbench';
import { DEMO_USER } from '../sandbox/demoData';
import { runDemoUiSuite, showDemoTreeSignedOut, reloadInVietnamese } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-signed-out');

const statusItem = (page: Page) => page.locator('.part.statusbar .statusbar-item').filter({ hasText: /VBot: default/ });
// With two views in the container (types and history) a view's title actions sit in its pane header, which
// shows them while the pointer is over the view (or it has focus), as for any view.
const titleButton = (page: Page, label: string) => page.locator(`.part.sidebar .action-label[aria-label="${label}"]`);
const pointAtView = (page: Page) => page.locator('.part.sidebar .pane-header').first().hover();

void runDemoUiSuite({ heading: 'UI tests (signed out)', label: 'UI (signed out)', shots: SHOTS }, ({ page, sandbox, steps }) => {
  /** The status item's tooltip, shown by resting the pointer on it. */
  const hoverStatus = async (text: RegExp) => {
    await statusItem(page).hover();
    await page.locator('.monaco-hover, .workbench-hover').filter({ hasText: text }).first().waitFor();
  };
  /** Signs in with the view's own Sign In button, as a person would; `prompt` is the username prompt. */
  const signInFromTitle = async (button: string, prompt: RegExp, done: RegExp) => {
    await pointAtView(page);
    await titleButton(page, button).click();
    await typeIntoInput(page, DEMO_USER.username, { prompt });
    await acceptInput(page);
    await typeIntoInput(page, DEMO_USER.password, { prompt: /Password|Mật khẩu/ });
    await acceptInput(page);
    await waitForNotification(page, done);
    await titleButton(page, button).waitFor({ state: 'hidden' });
    await runCommand(page, 'Notifications: Clear All Notifications');
  };
  return [
    [
      'signed out with data: a Sign In button in the title, the status bar says signed out (English)',
      async () => {
        await showDemoTreeSignedOut(page);
        await pointAtView(page);
        await titleButton(page, 'Sign In…').waitFor();
        const text = await statusItem(page).innerText();
        steps.expect(/VBot: default \(signed out\)/.test(text), `status bar: ${text}`);
        steps.expect(
          (await page
            .locator('.part.sidebar')
            .getByText(/Signed out: click Sign In at the top of this view/)
            .count()) === 1,
          'the tree line points at the button',
        );
        await hoverStatus(/signed out \(VBotID VB-DEMO-\w+ on 127\.0\.0\.1:\d+\)\. Click to sign in\./);
        await screenshot(page, SHOTS, '1-signed-out-en-status-tooltip');
        await pointAtView(page);
        await page.waitForTimeout(300);
        await screenshot(page, SHOTS, '1-signed-out-en');
      },
    ],
    [
      'the Sign In button signs in; signed in with one profile, the button and the status bar item are gone (English)',
      async () => {
        await signInFromTitle('Sign In…', /username/i, /Signed in to VBot as demo/);
        await statusItem(page).waitFor({ state: 'hidden' });
        steps.expect(
          (await page
            .locator('.part.sidebar')
            .getByText(/Signed out/)
            .count()) === 0,
          'no signed-out line',
        );
        await pointAtView(page);
        await page.waitForTimeout(300);
        await screenshot(page, SHOTS, '2-signed-in-en');
      },
    ],
    [
      'a connection error\'s "Open Settings" opens the Remote tab at the base URL setting',
      async () => {
        await runCommand(page, 'VBot: Sign Out');
        sandbox.injectFault({ fault: { kind: 'reset' }, path: '/token' });
        await pointAtView(page);
        await titleButton(page, 'Sign In…').click();
        await typeIntoInput(page, DEMO_USER.username, { prompt: /username/i });
        await acceptInput(page);
        await typeIntoInput(page, DEMO_USER.password, { prompt: /Password/ });
        await acceptInput(page);
        const toast = await waitForNotification(page, /could not be reached/);
        await toast.locator('.monaco-button').filter({ hasText: 'Open Settings' }).click();
        const editor = page.locator('.settings-editor');
        await editor.waitFor();
        await editor
          .locator('.setting-item-contents')
          .filter({ hasText: /Base Url/ })
          .first()
          .waitFor();
        const tab = await editor
          .locator('.settings-tabs-widget .action-item .checked, .settings-tabs-widget .action-label.checked')
          .first()
          .innerText();
        steps.expect(/Remote/.test(tab), `the selected tab is ${tab}`);
        steps.expect(!(await editor.getByText('No Settings Found').isVisible()), 'settings are found');
        await screenshot(page, SHOTS, '3-open-settings-remote');
        await runCommand(page, 'View: Close All Editors');
        await runCommand(page, 'Notifications: Clear All Notifications');
      },
    ],
    [
      // Issue 16 saw `vbotcrm.vbot-crm` there. VS Code names a row by the installed extension's display name
      // (`marketplaceInfo?.displayName || identifier.value` in its runtime extensions editor); a copy under
      // development is not an installed extension, so it shows the id whatever package.nls says.
      'Running Extensions: the development copy is listed by its id (VS Code uses display names of installed ones only)',
      async () => {
        await runCommand(page, 'Developer: Show Running Extensions');
        const row = page.locator('.runtime-extensions-editor .monaco-list-row').filter({ hasText: /vbotcrm\.vbot-crm/ });
        await row.first().waitFor();
        await screenshot(page, SHOTS, '4-running-extensions-dev');
        await runCommand(page, 'View: Close All Editors');
      },
    ],
    [
      'in Vietnamese: signed out, then signed in from the title button',
      async () => {
        await reloadInVietnamese(page);
        await treeItem(page, 'SALES').waitFor({ timeout: 60_000 });
        await pointAtView(page);
        await titleButton(page, 'Đăng nhập…').waitFor();
        const text = await statusItem(page).innerText();
        steps.expect(/VBot: default \(đã đăng xuất\)/.test(text), `status bar: ${text}`);
        await page
          .locator('.part.sidebar')
          .getByText(/Bạn đã đăng xuất: bấm Đăng nhập/)
          .waitFor();
        await hoverStatus(/đã đăng xuất \(VBotID VB-DEMO-\w+ trên 127\.0\.0\.1:\d+\)\. Nhấn để đăng nhập\./);
        await screenshot(page, SHOTS, '5-signed-out-vi-status-tooltip');
        await pointAtView(page);
        await page.waitForTimeout(300);
        await screenshot(page, SHOTS, '5-signed-out-vi');
        await signInFromTitle('Đăng nhập…', /username|tên đăng nhập/i, /demo/);
        await statusItem(page).waitFor({ state: 'hidden' });
        await pointAtView(page);
        await page.waitForTimeout(300);
        await screenshot(page, SHOTS, '6-signed-in-vi');
      },
    ],
  ];
});
