// The "Customer fields" tree of a v3 profile in the real workbench (issue 15): the demo project's choice fields,
// a group and options with their colours drawn as icons (SVG files from the extension's storage, loaded by the
// browser through code-server) and their codes beside the names; then an option edited from its context menu
// (the palette of colours), a delete whose confirmation counts the customers with the option, and, in Vietnamese,
// an option added from a field's context menu through its prompts.
//   npx tsx test/ui/fieldsTree.ui.ts     (after `node esbuild.mjs`); PNGs in test-results/ui-fields/
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, startWorkbench, type Workbench } from '../harness/codeServer';
import {
  acceptInput,
  clickModalButton,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  treeItem,
  typeIntoInput,
  waitForNotification,
} from '../harness/workbench';
import { DEMO_V3_PROJECT, DEMO_VBOT_ID } from '../sandbox/demoData';
import { demoV3Profile, demoWorkbenchOptions, reloadInVietnamese, signInV3, startV3Sandbox } from './demoSetup';
import { UiSteps } from './uiSteps';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-fields');

/** Clicks an entry of a tree row's context menu (pointing first: VS Code ignores the right-click's own release). */
async function contextMenu(page: Page, row: string, entry: string): Promise<void> {
  await treeItem(page, row).click({ button: 'right' });
  const item = page.locator('.context-view .action-item').filter({ hasText: entry });
  await item.hover();
  await page.locator('.context-view .action-item.focused').filter({ hasText: entry }).waitFor();
  await item.click();
}

/** Opens a tree row unless it is open already (the window remembers what was open across a reload). */
async function expand(page: Page, row: string, child: string): Promise<void> {
  const visible = await treeItem(page, child)
    .waitFor({ timeout: 3_000 })
    .then(() => true)
    .catch(() => false);
  if (!visible) {
    await treeItem(page, row).click();
    await treeItem(page, child).waitFor();
  }
}

async function main(): Promise<void> {
  const steps = new UiSteps(SHOTS);
  const sandbox = await startV3Sandbox();
  let wb: Workbench | undefined;
  try {
    const profile = demoV3Profile(sandbox);
    wb = await startWorkbench({
      extensionDevelopmentPath: REPO_ROOT,
      ...demoWorkbenchOptions(sandbox, { 'vbotCrm.profiles': [profile] }),
      viewport: { width: 1280, height: 800 },
    });
    const page = wb.page;
    steps.page = page;
    console.log('UI tests (customer fields)');
    await steps.run([
      [
        'a v3 profile with its API key: the project shows "Customer fields" below its types',
        async () => {
          await signInV3(page, 520);
          await treeItem(page, 'Customer fields').waitFor();
          await screenshot(page, SHOTS, '1-fields-node');
        },
      ],
      [
        'expanded: the fields, a SELECT with its group and options, colour icons drawn, codes beside the names',
        async () => {
          await treeItem(page, 'Customer fields').click();
          await treeItem(page, 'Hạng thành viên').click();
          await treeItem(page, 'Kim cương').waitFor();
          await treeItem(page, 'Nguồn').click();
          await treeItem(page, 'Facebook').waitFor();
          const row = treeItem(page, 'Vàng');
          steps.expect((await row.innerText()).includes('VANG'), 'the code beside the name');
          // The icon is a CSS background image; the browser must be able to load it from code-server.
          const style = await row
            .locator('.custom-view-tree-node-item-icon')
            .evaluate(
              (el) =>
                (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundImage: string } }).getComputedStyle(el)
                  .backgroundImage,
            );
          const url = style.replace(/^url\("?|"?\)$/g, '');
          const loaded = await page.evaluate(async (u) => {
            if (!u || u === 'none') return 'no icon';
            const res = await fetch(u);
            const text = await res.text();
            return res.ok && /fill="#F9A825"/.test(text) ? 'ok' : `HTTP ${res.status}: ${text.slice(0, 80)}`;
          }, url);
          steps.expect(loaded === 'ok', `the colour icon loads: ${loaded}`);
          await page.mouse.move(900, 700);
          await screenshot(page, SHOTS, '2-fields-expanded');
        },
      ],
      [
        'Edit Option… from the context menu: the name box holds the server’s name, the colour from the palette; the tree shows the edit',
        async () => {
          await contextMenu(page, 'Bạc', 'Edit Option…');
          const box = quickInput(page).locator('.quick-input-box input');
          await box.waitFor();
          steps.expect((await box.inputValue()) === 'Bạc', `the name box opens with "Bạc" (${await box.inputValue()})`);
          await typeIntoInput(page, 'Bạc cao cấp');
          await acceptInput(page);
          await quickInput(page).locator('.monaco-list-row').filter({ hasText: 'Blue' }).first().waitFor();
          await screenshot(page, SHOTS, '3-edit-palette');
          await pickQuickItem(page, 'Blue');
          await acceptInput(page); // the order, as it is
          await waitForNotification(page, /Option "Bạc cao cấp" \(BAC\) saved/);
          await treeItem(page, 'Bạc cao cấp').waitFor();
          const bac = sandbox.fields.options(DEMO_VBOT_ID, DEMO_V3_PROJECT, 'hang_thanh_vien').find((o) => o.code === 'BAC');
          steps.expect(bac?.name === 'Bạc cao cấp' && bac.color === '#1E88E5', `edited on the server: ${JSON.stringify(bac)}`);
          await page.mouse.move(900, 700);
          await screenshot(page, SHOTS, '4-edited');
          await runCommand(page, 'Notifications: Clear All Notifications');
        },
      ],
      [
        'Delete Option…: the modal says how many customers have the option; Delete removes it from VBot and the tree',
        async () => {
          await contextMenu(page, 'Vàng', 'Delete Option…');
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor();
          const text = await dialog.innerText();
          steps.expect(/Delete option "Vàng" \(VANG\)/.test(text) && /3 customers have this option\./.test(text), `the modal: ${text}`);
          await screenshot(page, SHOTS, '5-delete-confirmation');
          await clickModalButton(page, 'Delete');
          await waitForNotification(page, /Option "Vàng" \(VANG\) deleted/);
          await treeItem(page, 'Vàng').waitFor({ state: 'detached' });
          const left = sandbox.fields.options(DEMO_VBOT_ID, DEMO_V3_PROJECT, 'hang_thanh_vien').map((o) => o.code);
          steps.expect(!left.includes('VANG'), `deleted on the server: ${left.join(', ')}`);
          await page.mouse.move(900, 700);
          await screenshot(page, SHOTS, '6-deleted');
        },
      ],
      [
        'in Vietnamese (display language vi, window reloaded): the tree and Add Option… with its prompts and palette',
        async () => {
          await reloadInVietnamese(page);
          await expand(page, 'Trường thông tin khách hàng', 'Nguồn');
          await expand(page, 'Nguồn', 'Facebook');
          await contextMenu(page, 'Nguồn', 'Thêm lựa chọn…');
          await typeIntoInput(page, 'ZALO');
          await acceptInput(page);
          await typeIntoInput(page, 'Zalo');
          await acceptInput(page);
          const palette = quickInput(page);
          await palette.locator('.monaco-list-row').filter({ hasText: 'Xanh dương' }).first().waitFor();
          const title = await palette.locator('.quick-input-title').innerText();
          const placeholder = await palette.locator('.quick-input-box input').getAttribute('placeholder');
          steps.expect(
            /Thêm lựa chọn \(3\/3\)/.test(title) && placeholder === 'Màu của lựa chọn',
            `the colour step in Vietnamese: "${title}", "${placeholder}"`,
          );
          await screenshot(page, SHOTS, '7-add-palette-vi');
          await pickQuickItem(page, 'Xanh dương');
          await waitForNotification(page, /Đã thêm lựa chọn .*ZALO.* vào trường/);
          await treeItem(page, 'Zalo').waitFor();
          const zalo = sandbox.fields.options(DEMO_VBOT_ID, DEMO_V3_PROJECT, 'nguon').find((o) => o.code === 'ZALO');
          steps.expect(zalo?.name === 'Zalo' && zalo.color === '#1E88E5', `added on the server: ${JSON.stringify(zalo)}`);
          await page.mouse.move(900, 700);
          await screenshot(page, SHOTS, '8-added-vi');
        },
      ],
    ]);
  } catch (e) {
    steps.startFailed(e);
  } finally {
    if (wb?.userDataDir) steps.saveExtensionLog(wb.userDataDir);
    await wb?.close();
    await sandbox.close();
  }
  steps.finish('UI (customer fields)');
}

void main();
