// The first minutes of a new user (issue 12), in the real workbench: an empty list, signed out. The view welcomes
// with one button (Sign In) and a link to the walkthrough; its title bar has three actions, the rest in "…"; the
// status bar says signed out. The link opens the walkthrough (sign in, add a project, add or import types, keep
// them as code, each with its picture); its Sign In button signs in and ticks the step. Signed in with one
// profile: the status bar item is gone, the welcome offers Add Project, the title bar Switch Profile. In Vietnamese too.
//   npx tsx test/ui/walkthrough.ui.ts     (after `node esbuild.mjs`); PNGs in test-results/ui-walkthrough/
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/codeServer';
import {
  acceptInput,
  openViewContainer,
  runCommand,
  screenshot,
  typeIntoInput,
  waitForNotification,
  widenSideBar,
  openMenu,
} from '../harness/workbench';
import { DEMO_USER } from '../sandbox/demoData';
import { runDemoUiSuite, reloadInVietnamese } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-walkthrough');

const typesPane = (page: Page) => page.locator('.part.sidebar .pane').first();
const welcome = (page: Page) => typesPane(page).locator('.welcome-view-content');
const statusItem = (page: Page) => page.locator('.part.statusbar .statusbar-item').filter({ hasText: /VBot: / });
const walkthrough = (page: Page) => page.locator('.part.editor .gettingStartedContainer');
// VS Code names a step by the walkthrough's full id and the step's: "vbotcrm.vbot-crm#gettingStarted#signIn".
const step = (page: Page, id: string) => walkthrough(page).locator(`button.getting-started-step[data-step-id$="#${id}"]`);

/** Run in a frame (a string: the tests compile without the DOM's types): the picture it draws, if it is one of ours. */
const PICTURE = `(() => {
  const svg = document.querySelector('svg');
  const bg = svg && svg.querySelector('rect');
  if (!bg) return undefined;
  const box = svg.getBoundingClientRect();
  return { width: box.width, bg: getComputedStyle(bg).fill, texts: [...svg.querySelectorAll('text')].map((t) => t.textContent) };
})()`;
type Picture = { width: number; bg: string; texts: string[] };

/** The walkthrough's picture as drawn (a webview: an <iframe> whose document holds another, on its own origin). */
async function picture(page: Page, marker: string, timeout = 30_000): Promise<Picture> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = await frame.evaluate<Picture | undefined>(PICTURE).catch(() => undefined);
      if (found && found.width > 0 && found.texts.includes(marker)) return found;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`the picture with "${marker}" was not drawn`);
}

/**
 * The types view's title bar actions, as shown while the pointer is over the view ("…" is "More Actions..."),
 * without VS Code's own Collapse All, which every tree view with `showCollapseAll` has once it has rows.
 */
async function titleActions(page: Page): Promise<string[]> {
  await typesPane(page).locator('.pane-header').hover();
  await page.waitForTimeout(300);
  const labels = await typesPane(page).locator('.pane-header .actions .action-label:visible').all();
  const shown = await Promise.all(labels.map(async (l) => (await l.getAttribute('aria-label')) ?? ''));
  return shown.filter((l) => l !== 'Collapse All');
}

void runDemoUiSuite(
  {
    heading: 'UI tests (walkthrough and welcome)',
    label: 'UI (walkthrough and welcome)',
    shots: SHOTS,
    // The demo account, but no local list yet: what a new user has.
    localList: false,
  },
  ({ page, steps }) => {
    return [
      [
        'signed out, no projects: one button (Sign In), links to a token and to the walkthrough; three title actions; the status bar says signed out',
        async () => {
          await openViewContainer(page, 'VBot CRM');
          await widenSideBar(page, 420);
          await welcome(page).waitFor();
          const buttons = await welcome(page).locator('.monaco-button').allInnerTexts();
          steps.expect(buttons.length === 1 && buttons[0].trim() === 'Sign In', `welcome buttons: ${buttons.join(' | ')}`);
          const links = await welcome(page).locator('a').allInnerTexts();
          steps.expect(links.includes('Paste it') && links.includes('Open the walkthrough'), `welcome links: ${links.join(' | ')}`);
          const actions = await titleActions(page);
          steps.expect(
            JSON.stringify(actions) === JSON.stringify(['Sign In…', 'Add Customer Type…', 'Reload Local List', 'More Actions...']),
            `title actions: ${actions.join(' | ')}`,
          );
          const status = await statusItem(page).innerText();
          steps.expect(/VBot: default \(signed out\)/.test(status), `status bar: ${status}`);
          await screenshot(page, SHOTS, '1-welcome-signed-out');
        },
      ],
      [
        'the overflow menu holds the rest (Add Project, Import, Switch Profile…)',
        async () => {
          await typesPane(page).locator('.pane-header').hover();
          const more = typesPane(page).locator('.pane-header .action-label[aria-label="More Actions..."]');
          const menu = await openMenu(page, more);
          const items = await menu.locator('.action-label').allInnerTexts();
          for (const wanted of ['Add Project…', 'Import Customer Types…', 'Switch Profile…'])
            steps.expect(
              items.some((i) => i.trim() === wanted),
              `"${wanted}" in the menu: ${items.join(' | ')}`,
            );
          await screenshot(page, SHOTS, '2-title-overflow');
          await page.keyboard.press('Escape');
        },
      ],
      [
        'the welcome link opens the walkthrough at its first step, Sign in, with its picture',
        async () => {
          await welcome(page).locator('a', { hasText: 'Open the walkthrough' }).click();
          await walkthrough(page).waitFor();
          await walkthrough(page).getByText('Get Started with VBot CRM').first().waitFor();
          const titles = await walkthrough(page).locator('button.getting-started-step .step-title').allInnerTexts();
          steps.expect(
            JSON.stringify(titles.map((t) => t.trim())) ===
              JSON.stringify(['Sign in to VBot', 'Add a project', 'Add or import customer types', 'Keep them as code']),
            `steps: ${titles.join(' | ')}`,
          );
          await step(page, 'signIn').click();
          // The picture is a themable SVG drawn in a webview: its background takes the theme's editor colour.
          const pic = await picture(page, '2/2');
          steps.expect(pic.bg === 'rgb(255, 255, 255)', `the picture's background follows the (light) theme: ${pic.bg}`);
          await screenshot(page, SHOTS, '3-walkthrough-sign-in');
        },
      ],
      [
        "the step's Sign In button signs in and ticks the step; the status bar item goes (one profile, signed in)",
        async () => {
          await step(page, 'signIn').locator('.monaco-button', { hasText: 'Sign In' }).first().click();
          await typeIntoInput(page, DEMO_USER.username, { prompt: /username/i });
          await acceptInput(page);
          await typeIntoInput(page, DEMO_USER.password, { prompt: /Password/ });
          await acceptInput(page);
          await waitForNotification(page, /Signed in to VBot as demo/);
          await walkthrough(page).locator('button.getting-started-step[data-step-id$="#signIn"][aria-checked="true"]').waitFor();
          await statusItem(page).waitFor({ state: 'hidden' });
          await runCommand(page, 'Notifications: Clear All Notifications');
          await step(page, 'addProject').click();
          await picture(page, 'MARKETING');
          await screenshot(page, SHOTS, '4-walkthrough-signed-in-add-project');
        },
      ],
      [
        'the other steps: add or import types, keep them as code (each with its picture)',
        async () => {
          await step(page, 'addTypes').click();
          await picture(page, 'DOANH_NGHIEP');
          await screenshot(page, SHOTS, '5-walkthrough-add-types');
          await step(page, 'asCode').click();
          await picture(page, 'vbot-types.json');
          await screenshot(page, SHOTS, '6-walkthrough-as-code');
        },
      ],
      [
        'signed in, no projects: one button (Add Project), links to import and to the walkthrough; Switch Profile in the title',
        async () => {
          await welcome(page).locator('.monaco-button', { hasText: 'Add Project' }).waitFor();
          const buttons = await welcome(page).locator('.monaco-button').allInnerTexts();
          steps.expect(buttons.length === 1, `welcome buttons: ${buttons.join(' | ')}`);
          const links = await welcome(page).locator('a').allInnerTexts();
          steps.expect(links.includes('import a list') && links.includes('Open the walkthrough'), `welcome links: ${links.join(' | ')}`);
          const actions = await titleActions(page);
          steps.expect(
            JSON.stringify(actions) === JSON.stringify(['Add Customer Type…', 'Switch Profile…', 'Reload Local List', 'More Actions...']),
            `title actions: ${actions.join(' | ')}`,
          );
          await screenshot(page, SHOTS, '7-welcome-signed-in');
        },
      ],
      [
        'in Vietnamese: the walkthrough from "Welcome: Open Walkthrough…", its steps and the welcome',
        async () => {
          await runCommand(page, 'View: Close All Editors');
          await reloadInVietnamese(page);
          await welcome(page).locator('.monaco-button', { hasText: 'Thêm dự án' }).waitFor({ timeout: 60_000 });
          await screenshot(page, SHOTS, '8-welcome-vi');
          await runCommand(page, 'Welcome: Open Walkthrough...');
          const pick = page.locator('.quick-input-widget:visible .monaco-list-row', { hasText: 'Bắt đầu với VBot CRM' }).first();
          await pick.waitFor();
          await pick.click();
          await walkthrough(page).getByText('Bắt đầu với VBot CRM').first().waitFor();
          await step(page, 'addTypes').click();
          await picture(page, 'DOANH_NGHIEP');
          await screenshot(page, SHOTS, '9-walkthrough-vi');
        },
      ],
    ];
  },
);
