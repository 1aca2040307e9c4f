// VS Code's Accounts menu (issue 12): each signed-in profile is an account there, labelled with the user and the
// server, under "VBot CRM"; Sign Out there (VS Code asks first) signs that profile out, and the extension shows it
// (the view's signed-out line, the status bar); the other profile stays signed in. Then in Vietnamese.
//   npx tsx test/ui/accounts.ui.ts     (after `node esbuild.mjs`); PNGs in test-results/ui-accounts/
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/codeServer';
import {
  clickModalButton,
  paletteLabels,
  pickQuickItem,
  runCommand,
  screenshot,
  treeItem,
  waitForNotification,
} from '../harness/workbench';
import { DEMO_USER, DEMO_VBOT_ID, demoSeed } from '../sandbox/demoData';
import { VbotSandbox } from '../sandbox/vbotSandbox';
import { runDemoUiSuite, showDemoTreeSignedOut, signInAsDemo, reloadInVietnamese } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-accounts');

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The Accounts button at the bottom of the activity bar. */
const accountsButton = (page: Page) => page.locator('.part.activitybar .action-label.codicon-accounts-view-bar-icon').first();
/** The open context menu (VS Code draws menus in a shadow root; Playwright's CSS looks inside). */
const menu = (page: Page) => page.locator('.monaco-menu-container:visible');
const menuItem = (page: Page, text: string | RegExp) => menu(page).locator('.action-item').filter({ hasText: text });
const statusItem = (page: Page) => page.locator('.part.statusbar .statusbar-item').filter({ hasText: /VBot: / });

/** Opens the Accounts menu. */
async function openAccounts(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await accountsButton(page).click();
  await menu(page).first().waitFor();
  await page.waitForTimeout(300); // the menu fades in
}

/** Our account `label` in the open menu: VS Code names it "<label> (VBot CRM)". */
const entry = (page: Page, label: string): Locator => menuItem(page, new RegExp(`^\\s*${escapeRe(label)} \\(VBot CRM\\)\\s*$`)).first();

async function main(): Promise<void> {
  const staging = await VbotSandbox.start({ seed: demoSeed(), users: [DEMO_USER] });
  const stagingHost = new URL(staging.url).host;
  await runDemoUiSuite(
    {
      heading: 'UI tests (Accounts menu)',
      label: 'UI (Accounts menu)',
      shots: SHOTS,
      settings: { 'vbotCrm.profiles': [{ name: 'staging', baseUrl: staging.url, vbotId: DEMO_VBOT_ID }] },
      cleanup: () => staging.close(),
    },
    ({ page, sandbox, steps }) => {
      const host = new URL(sandbox.url).host;
      /** Whether the palette offers VBot: Sign Out, which it does only while the active profile is signed in (vbotCrm.signedIn). */
      const offersSignOut = async () => (await paletteLabels(page, 'VBot: Sign', 'VBot: Sign In…')).some((l) => /Sign Out/.test(l));
      /** Sign Out of the account `label` from the Accounts menu, confirmed in VS Code's dialog. */
      const signOutFromMenu = async (label: string, shot: string) => {
        await openAccounts(page);
        await entry(page, label).hover();
        const signOut = menuItem(page, /^\s*Sign Out\s*$/).first();
        await signOut.waitFor();
        await screenshot(page, SHOTS, `${shot}-submenu`);
        await signOut.click();
        await page.locator('.monaco-dialog-box').waitFor();
        await screenshot(page, SHOTS, `${shot}-confirm`);
        await clickModalButton(page, 'Sign Out');
      };
      return [
        [
          'signed in, the Accounts menu lists the profile as "demo @ <host>" under VBot CRM',
          async () => {
            await showDemoTreeSignedOut(page);
            await signInAsDemo(page);
            await runCommand(page, 'Notifications: Clear All Notifications');
            await openAccounts(page);
            await entry(page, `demo @ ${host}`).waitFor();
            await screenshot(page, SHOTS, '1-accounts-menu-signed-in');
          },
        ],
        [
          'a second profile signed in is a second account (its own server)',
          async () => {
            await page.keyboard.press('Escape');
            await runCommand(page, 'VBot: Switch Profile…');
            await pickQuickItem(page, 'staging');
            await waitForNotification(page, /"staging" is now active/);
            await signInAsDemo(page);
            await runCommand(page, 'Notifications: Clear All Notifications');
            await openAccounts(page);
            await entry(page, `demo @ ${host}`).waitFor();
            await entry(page, `demo @ ${stagingHost}`).waitFor();
            await screenshot(page, SHOTS, '2-accounts-menu-two-profiles');
            await page.keyboard.press('Escape');
            steps.expect(await offersSignOut(), 'staging is signed in: the palette offers Sign Out');
          },
        ],
        [
          'Sign Out in the menu (confirmed) signs out that profile: the view and the status bar say so, the other stays',
          async () => {
            await signOutFromMenu(`demo @ ${stagingHost}`, '3-sign-out');
            // One notification: VS Code's own (it asked, it confirms); ours would only repeat it.
            await waitForNotification(page, /Successfully signed out/);
            await page.waitForTimeout(500);
            steps.expect(
              (await page
                .locator('.notification-toast')
                .filter({ hasText: /Signed out of VBot/ })
                .count()) === 0,
              'no second notification of ours',
            );
            steps.expect(!(await offersSignOut()), 'staging is signed out: the palette no longer offers Sign Out');
            // The status bar item shows the active profile (when it shows: it may be kept for several profiles only).
            if (await statusItem(page).count()) {
              const text = await statusItem(page).first().innerText();
              steps.expect(/VBot: staging \(signed out\)/.test(text), `status bar: ${text}`);
            }
            await screenshot(page, SHOTS, '3-signed-out-from-menu');
            await openAccounts(page);
            await entry(page, `demo @ ${host}`).waitFor();
            steps.expect((await entry(page, `demo @ ${stagingHost}`).count()) === 0, 'the staging account left the menu');
            await screenshot(page, SHOTS, '4-accounts-menu-one-left');
            await page.keyboard.press('Escape');
          },
        ],
        [
          'in Vietnamese: the account is listed; Sign Out there signs the default profile out (the view and status bar say so in Vietnamese)',
          async () => {
            await reloadInVietnamese(page);
            await runCommand(page, 'VBot: Chuyển hồ sơ…');
            await pickQuickItem(page, 'default');
            await treeItem(page, 'SALES').waitFor({ timeout: 60_000 });
            await runCommand(page, 'Notifications: Clear All Notifications');
            await openAccounts(page);
            await entry(page, `demo @ ${host}`).waitFor();
            await screenshot(page, SHOTS, '5-accounts-menu-vi');
            await signOutFromMenu(`demo @ ${host}`, '6-sign-out-vi');
            await waitForNotification(page, /Successfully signed out/);
            await page
              .locator('.part.sidebar')
              .getByText(/Bạn đã đăng xuất/)
              .waitFor();
            if (await statusItem(page).count()) {
              const text = await statusItem(page).first().innerText();
              steps.expect(/VBot: default \(đã đăng xuất\)/.test(text), `status bar: ${text}`);
            }
            await screenshot(page, SHOTS, '6-signed-out-vi');
          },
        ],
      ];
    },
  );
}

void main();
