// Helpers for UI tests that use the workbench the way a person does (keyboard, clicks, reading
// toasts) on a page from codeServer.ts#startWorkbench.
//
// Why these selectors: they are VS Code's own DOM classes (1.100), which are stable enough within a
// pinned code-server and are what a person sees. Every helper waits on a selector rather than
// sleeping, so timing differences between a loaded CI box and a laptop only cost time, not flakes.
// Things that bit us:
// - Keys only reach the workbench once it has focus; runCommand clicks the status bar when F1
//   does not open the palette.
// - A notification toast animates in; its text and screenshots are only reliable once it has the
//   class notification-fade-in-done.
// - Clicking an activity-bar item that is already open closes its side bar, so openViewContainer
//   checks first, and checks again when a restore after a reload raced its click.
// - Quick-input rows render labels with highlight spans, so rows are matched by the text of
//   .label-name, not by exact innerText of the row.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

const DEFAULT_TIMEOUT = 15_000;

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exact = (text: string) => new RegExp(`^\\s*${escapeRe(text)}\\s*$`);

/** The visible quick-input widget (command palette, showInputBox, showQuickPick). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget:visible');
}

/** The text box of the quick input (not the "select all" checkbox of a multi-select pick). */
function quickInputBox(page: Page): Locator {
  return quickInput(page).locator('.quick-input-box input');
}

function quickRow(page: Page, label: string | RegExp): Locator {
  const name = typeof label === 'string' ? exact(label) : label;
  return quickInput(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: name }) })
    .first();
}

/** Opens the command palette (F1); returns its input box. */
async function openPalette(page: Page, timeout: number): Promise<Locator> {
  const input = quickInputBox(page);
  await page.keyboard.press('F1');
  if (
    !(await input.waitFor({ timeout: 3000 }).then(
      () => true,
      () => false,
    ))
  ) {
    // Keyboard focus was outside the workbench: click somewhere neutral and retry.
    await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('F1');
    await input.waitFor({ timeout });
  }
  return input;
}

/** Runs a command from the palette: F1, type the title, pick the matching row, Enter. */
export async function runCommand(page: Page, title: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
  const input = await openPalette(page, timeout);
  await input.pressSequentially(title);
  // Palette labels read "Category: Title"; accept either the full label or the bare title.
  const row = quickRow(page, new RegExp(`^\\s*(.+: )?${escapeRe(title)}\\s*$`));
  await row.waitFor({ timeout });
  const focused = (await row.getAttribute('class'))?.split(/\s+/).includes('focused');
  if (focused) await input.press('Enter');
  else await row.click();
}

/**
 * The labels the command palette lists for `filter`, read once `always` (a command the palette always offers)
 * is among them, so a command that is missing is missing and not just late; closes the palette. A menu's `when`
 * (a context key) decides what the palette offers, so this is how a UI test sees a context key.
 */
export async function paletteLabels(page: Page, filter: string, always: string, timeout = DEFAULT_TIMEOUT): Promise<string[]> {
  const input = await openPalette(page, timeout);
  await input.pressSequentially(filter);
  await quickRow(page, new RegExp(`^\\s*(.+: )?${escapeRe(always)}\\s*$`)).waitFor({ timeout });
  const labels = (await quickInput(page).locator('.monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
  await input.press('Escape');
  await quickInput(page).waitFor({ state: 'hidden', timeout });
  return labels;
}

/** Types into the open input box (showInputBox / quick pick filter), replacing what is there. */
export async function typeIntoInput(page: Page, text: string, opts: { prompt?: string | RegExp; timeout?: number } = {}): Promise<void> {
  const widget = opts.prompt ? quickInput(page).filter({ hasText: opts.prompt }) : quickInput(page);
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ timeout: opts.timeout ?? DEFAULT_TIMEOUT });
  await input.fill('');
  await input.pressSequentially(text);
}

/** Presses Enter in the open input box, like a person confirming it. */
export async function acceptInput(page: Page): Promise<void> {
  await quickInputBox(page).press('Enter');
}

/**
 * Clicks the quick-pick row whose label is `label` (exact string or regex). In a single-select
 * pick that accepts it; in a multi-select pick it toggles the row, so finish with acceptInput().
 */
export async function pickQuickItem(page: Page, label: string | RegExp, timeout = DEFAULT_TIMEOUT): Promise<void> {
  const row = quickRow(page, label);
  await row.waitFor({ timeout });
  await row.click();
}

/**
 * Waits until a toast containing `text` has finished animating in; returns it. VS Code now and then does not pop
 * a notification up as a toast (seen in a fresh workbench, right after a quick input or dialog closed; the bell
 * then shows an unread one): the notification center's row is returned instead, with the same text and buttons.
 */
export async function waitForNotification(page: Page, text: string | RegExp, timeout = DEFAULT_TIMEOUT): Promise<Locator> {
  const toast = page.locator('.notification-toast.notification-fade-in-done').filter({ hasText: text }).first();
  try {
    await toast.waitFor({ state: 'visible', timeout });
    return toast;
  } catch (e) {
    await runCommand(page, 'Notifications: Show Notifications');
    const row = page.locator('.notifications-center .notification-list-item').filter({ hasText: text }).first();
    if (
      await row.waitFor({ state: 'visible', timeout: 3_000 }).then(
        () => true,
        () => false,
      )
    )
      return row;
    throw e;
  }
}

/** Clicks a button of the open modal dialog (showXxxMessage with modal: true) and waits for it to close. */
export async function clickModalButton(page: Page, label: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout });
  await dialog
    .locator('.monaco-button')
    .filter({ hasText: exact(label) })
    .first()
    .click();
  await dialog.waitFor({ state: 'hidden', timeout });
}

/** Opens a view container from the activity bar by its title (no-op when it is already showing). */
export async function openViewContainer(page: Page, title: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
  const item = page
    .locator('.part.activitybar .action-item')
    .filter({
      has: page.locator(`.action-label[aria-label^="${title.replace(/"/g, '\\"')}"]`),
    })
    .first();
  const shown = page.locator('.part.sidebar .composite.title').filter({ hasText: new RegExp(escapeRe(title), 'i') });
  const deadline = Date.now() + timeout;
  await item.waitFor({ timeout });
  // Right after a (re)load the workbench may still be restoring the side bar it had: a click that
  // meets that restore closes the bar again, so look, click only when not open, and look again.
  for (;;) {
    if (!(await item.getAttribute('class'))?.split(/\s+/).includes('checked')) await item.locator('.action-label').click();
    const left = deadline - Date.now();
    try {
      await shown.waitFor({ timeout: Math.max(1, Math.min(3_000, left)) });
      return;
    } catch (e) {
      if (left <= 3_000) throw e;
    }
  }
}

/**
 * Clicks `trigger` (a "…" or the Accounts button) and returns the context menu it opens. On a loaded
 * machine a click that lands while the header's actions are still fading in opens nothing, so it
 * clicks again (after Escape) up to three times.
 */
export async function openMenu(page: Page, trigger: Locator, timeout = DEFAULT_TIMEOUT): Promise<Locator> {
  const menu = page.locator('.monaco-menu-container:visible .monaco-menu').first();
  for (let attempt = 1; ; attempt++) {
    await trigger.hover();
    await trigger.click();
    try {
      await menu.waitFor({ timeout: attempt < 3 ? timeout / 3 : timeout });
      await page.waitForTimeout(300); // the menu fades in
      return menu;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

/** A tree row in the side bar whose label is `label`; call .waitFor()/.click() on it. */
export function treeItem(page: Page, label: string | RegExp): Locator {
  const name = typeof label === 'string' ? exact(label) : label;
  return page
    .locator('.part.sidebar .monaco-list-row[role="treeitem"]')
    .filter({ has: page.locator('.label-name', { hasText: name }) })
    .first();
}

/** Saves a PNG of the whole page as <dir>/<name>.png and returns its path. */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Drags the sash between the side bar and the editor, as a person would, so labels fit. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}
