// Several types at once, and short work shown in the view (issue 12), as a person meets them: a rename shows its
// progress on the view's own progress bar (no progress toast), and ends in one notification; Ctrl+click three types,
// Delete: one modal lists them, Delete there removes the three (one cancellable progress, one summary toast); the
// context menu of a multi-selection offers Delete, Copy Code and Export but not Rename or Change Code. Then the
// modal in Vietnamese. The sandbox answers after 1.5 s, so that the progress can be seen and photographed.
//   npx tsx test/ui/multiSelect.ui.ts     (after `node esbuild.mjs`); PNGs in test-results/ui-multi-select/
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/codeServer';
import {
  acceptInput,
  clickModalButton,
  quickInput,
  runCommand,
  screenshot,
  treeItem,
  typeIntoInput,
  waitForNotification,
} from '../harness/workbench';
import { DEMO_VBOT_ID } from '../sandbox/demoData';
import { runDemoUiSuite, signInStep, reloadInVietnamese } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-multi-select');
const LATENCY_MS = 1500;

void runDemoUiSuite(
  {
    heading: 'UI tests (progress in the view, several types selected)',
    label: 'UI (progress in the view, several types selected)',
    shots: SHOTS,
    sandbox: { latencyMs: LATENCY_MS },
  },
  ({ page, sandbox, steps }) => {
    const onServer = (projectCode: string) => sandbox.types(DEMO_VBOT_ID, projectCode).map((t) => t.typeNo);
    const selectedRows = page.locator('.part.sidebar .monaco-list-row[role="treeitem"].selected');
    /** Moves the pointer off the side bar: a row resting under it shows a tooltip over the rows below. */
    const pointerAway = async () => {
      await page.mouse.move(900, 650);
      await page.locator('.monaco-hover').waitFor({ state: 'hidden' });
    };
    /** Clicks the first row, Ctrl+clicks the others: what a person does to select several. */
    const selectRows = async (names: string[]) => {
      await pointerAway();
      await treeItem(page, names[0]).click();
      for (const name of names.slice(1)) await treeItem(page, name).click({ modifiers: ['Control'] });
      await pointerAway();
      const count = await selectedRows.count();
      steps.expect(count === names.length, `${names.length} rows selected (${count})`);
    };

    return [
      signInStep(page, { sideBarWidth: 520, clearNotifications: true }),
      [
        'a rename shows its progress on the view (no progress toast), then one notification',
        async () => {
          await pointerAway();
          await treeItem(page, 'Khách hàng mới').click();
          await page.keyboard.press('F2');
          await quickInput(page)
            .filter({ hasText: /New name of customer type KH_MOI/ })
            .waitFor();
          await typeIntoInput(page, 'Khách hàng mới (đổi tên)');
          await acceptInput(page);
          const bar = page.locator('.part.sidebar .monaco-progress-container.active');
          await bar.waitFor({ state: 'visible', timeout: LATENCY_MS });
          await screenshot(page, SHOTS, '1-rename-progress-in-view');
          const toasts = await page
            .locator('.notification-toast')
            .filter({ hasText: /Renaming customer type/ })
            .count();
          steps.expect(toasts === 0, `no progress toast (${toasts})`);
          await waitForNotification(page, /Customer type "KH_MOI" is now named "Khách hàng mới \(đổi tên\)"/);
          await bar.waitFor({ state: 'hidden' });
          await screenshot(page, SHOTS, '1b-rename-done');
          await runCommand(page, 'Notifications: Clear All Notifications');
        },
      ],
      [
        'Ctrl+click three types, Delete: one modal lists them',
        async () => {
          await selectRows(['Đại lý cấp 1', 'Đại lý cấp 2', 'Khách hàng tiềm năng']);
          await screenshot(page, SHOTS, '2-three-selected');
          await page.keyboard.press('Delete');
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor();
          const text = await dialog.innerText();
          steps.expect(/Delete 3 customer types from VBot\?/.test(text), `the question: ${text}`);
          for (const label of ['"Đại lý cấp 1" (DAI_LY_C1)', '"Đại lý cấp 2" (DAI_LY_C2)', '"Khách hàng tiềm năng" (TIEM_NANG)'])
            steps.expect(text.includes(label), `the modal names ${label}`);
          steps.expect(/Project SALES \(VBotID VB-[^)]+\): 3 customer types/.test(text), 'the modal names the project');
          await screenshot(page, SHOTS, '3-one-modal-listing-them');
        },
      ],
      [
        'Delete in the modal: one progress, the three gone from the tree and the server, one summary toast',
        async () => {
          await clickModalButton(page, 'Delete');
          const progress = page.locator('.notification-toast').filter({ hasText: /Deleting 3 customer types/ });
          await progress.waitFor({ state: 'visible', timeout: LATENCY_MS });
          await screenshot(page, SHOTS, '4-one-cancellable-progress');
          await progress.waitFor({ state: 'hidden', timeout: 15_000 });
          await waitForNotification(page, /Deleted 3 customer types \(profile "default"\)\./, 15_000);
          await treeItem(page, 'Đại lý cấp 1').waitFor({ state: 'detached' });
          for (const gone of ['Đại lý cấp 2', 'Khách hàng tiềm năng'])
            steps.expect((await treeItem(page, gone).count()) === 0, `${gone} is no longer in the tree`);
          const left = onServer('SALES');
          steps.expect(!left.some((c) => ['DAI_LY_C1', 'DAI_LY_C2', 'TIEM_NANG'].includes(c)), `deleted on the server (left: ${left})`);
          const toasts = await page.locator('.notification-toast').count();
          steps.expect(toasts === 1, `one toast: the summary (${toasts})`);
          await screenshot(page, SHOTS, '5-tree-and-one-summary');
          await runCommand(page, 'Notifications: Clear All Notifications');
        },
      ],
      [
        'the context menu of two selected types: Delete, Copy Code, Export; no Rename or Change Code',
        async () => {
          await selectRows(['Khách hàng VIP', 'Khách hàng mới (đổi tên)']);
          await treeItem(page, 'Khách hàng VIP').click({ button: 'right' });
          const menu = page.locator('.monaco-menu');
          await menu.waitFor();
          const entries = await menu.locator('.action-label').allInnerTexts();
          for (const shown of ['Delete Customer Type…', 'Copy Code', 'Export Customer Types…'])
            steps.expect(entries.includes(shown), `the menu has ${shown} (${entries.join(' | ')})`);
          for (const hidden of ['Rename Customer Type…', 'Change Customer Type Code…'])
            steps.expect(!entries.includes(hidden), `the menu has no ${hidden}`);
          await screenshot(page, SHOTS, '6-context-menu-of-two');
          await page.keyboard.press('Escape');
        },
      ],
      [
        'in Vietnamese: the one modal for two selected types; Cancel keeps them',
        async () => {
          await reloadInVietnamese(page);
          await treeItem(page, 'Khách hàng VIP').waitFor({ timeout: 60_000 });
          await selectRows(['Khách hàng VIP', 'Khách hàng mới (đổi tên)']);
          await page.keyboard.press('Delete');
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor();
          const text = await dialog.innerText();
          steps.expect(/Xóa 2 kiểu khách hàng khỏi VBot\?/.test(text), `the question in Vietnamese: ${text}`);
          steps.expect(text.includes('"Khách hàng VIP" (VIP)'), 'the modal names VIP');
          await screenshot(page, SHOTS, 'vi-7-one-modal');
          await clickModalButton(page, 'Cancel');
          steps.expect(onServer('SALES').includes('VIP'), 'still on the server');
        },
      ],
    ];
  },
);
