// The History view as a person meets it (issue 16): a few changes from the Customer Types view, then the
// History view lists them newest first in words, with the time in the display language; the delete, older
// than a later rename, is undone from its inline Undo and the type is back on VBot. Then the same view in
// Vietnamese, with Restore Deleted Type… from the view's title.
//   npx tsx test/ui/history.ui.ts     (after `node esbuild.mjs`); PNGs in test-results/ui-history/
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/codeServer';
import {
  acceptInput,
  clickModalButton,
  pickQuickItem,
  runCommand,
  screenshot,
  treeItem,
  typeIntoInput,
  waitForNotification,
} from '../harness/workbench';
import { DEMO_VBOT_ID } from '../sandbox/demoData';
import { runDemoUiSuite, signInStep, reloadInVietnamese } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-history');

/** Clicks an entry of a tree row's context menu (pointing first: VS Code ignores the right-click's own release). */
async function contextMenu(page: Page, row: string, entry: string): Promise<void> {
  await treeItem(page, row).click({ button: 'right' });
  const item = page.locator('.context-view .action-item').filter({ hasText: entry });
  await item.hover();
  await page.locator('.context-view .action-item.focused').filter({ hasText: entry }).waitFor();
  await item.click();
}

/** The History view's row whose label is `label`. */
function historyRow(page: Page, label: string | RegExp) {
  return page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator('.pane-header').filter({ hasText: /^(History|Lịch sử)/ }) })
    .locator('.monaco-list-row[role="treeitem"]')
    .filter({ has: page.locator('.label-name', { hasText: label }) })
    .first();
}

void runDemoUiSuite(
  { heading: 'UI tests (History view)', label: 'UI (history)', shots: SHOTS, viewport: { width: 1280, height: 860 } },
  ({ page, sandbox, steps }) => {
    const server = () => sandbox.types(DEMO_VBOT_ID, 'SALES');
    return [
      signInStep(page, { sideBarWidth: 560 }),
      [
        'delete a type, then rename another, from the Customer Types view',
        async () => {
          await contextMenu(page, 'Đại lý cấp 2', 'Delete Customer Type…');
          await clickModalButton(page, 'Delete');
          await waitForNotification(page, /deleted from project SALES/);
          await contextMenu(page, 'Khách hàng mới', 'Rename Customer Type…');
          await typeIntoInput(page, 'Khách hàng mới (2026)', { prompt: /New name of customer type KH_MOI/ });
          await acceptInput(page);
          await waitForNotification(page, /is now named "Khách hàng mới \(2026\)"/);
          steps.expect(!server().some((t) => t.typeNo === 'DAI_LY_C2'), 'DAI_LY_C2 is deleted on VBot');
          await runCommand(page, 'Notifications: Clear All Notifications');
        },
      ],
      [
        'Show History opens the History view: the changes in words, newest first, time and outcome (English)',
        async () => {
          await runCommand(page, 'VBot: Show History');
          const renamed = historyRow(page, 'Renamed KH_MOI: "Khách hàng mới" → "Khách hàng mới (2026)"');
          const deleted = historyRow(page, 'Deleted "Đại lý cấp 2" (DAI_LY_C2)');
          await renamed.waitFor();
          await deleted.waitFor();
          const [top, below] = [await renamed.boundingBox(), await deleted.boundingBox()];
          steps.expect(!!top && !!below && top.y < below.y, 'newest first');
          const description = await deleted.locator('.label-description').innerText();
          steps.expect(
            /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M · done$/.test(description),
            `English time and outcome: ${description}`,
          );
          await screenshot(page, SHOTS, '1-history-en');
          await deleted.hover();
          await page.locator('.monaco-hover').filter({ hasText: 'Undo: create DAI_LY_C2 "Đại lý cấp 2" again' }).waitFor();
          await page.waitForTimeout(500); // the hover's fade-in
          await screenshot(page, SHOTS, '2-tooltip-en');
        },
      ],
      [
        'the older delete is undone from its inline Undo, after a confirmation: the type is back on VBot',
        async () => {
          const deleted = historyRow(page, 'Deleted "Đại lý cấp 2" (DAI_LY_C2)');
          await deleted.hover();
          await deleted.locator('.action-label[aria-label="Undo This Change"]').click();
          await page
            .locator('.monaco-dialog-box')
            .getByText(/Undo this change of customer type "DAI_LY_C2" in project SALES\?/)
            .waitFor();
          await screenshot(page, SHOTS, '3-undo-confirmation-en');
          await clickModalButton(page, 'Undo');
          await waitForNotification(page, /Customer type "Đại lý cấp 2" \(DAI_LY_C2\) added to project SALES/);
          await historyRow(page, 'Created "Đại lý cấp 2" (DAI_LY_C2)').waitFor();
          steps.expect(
            server().some((t) => t.typeNo === 'DAI_LY_C2' && t.typeName === 'Đại lý cấp 2'),
            'DAI_LY_C2 is created again on VBot with its name',
          );
          steps.expect(
            server().some((t) => t.typeNo === 'KH_MOI' && t.typeName === 'Khách hàng mới (2026)'),
            'the later rename is kept',
          );
          const undoButtons = await deleted.locator('.action-label[aria-label="Undo This Change"]').count();
          steps.expect(undoButtons === 0, 'the undone delete offers no Undo any more');
          await screenshot(page, SHOTS, '4-undone-en');
        },
      ],
      [
        'in Vietnamese: the view, the time in Vietnamese, and Restore Deleted Type… from the view title',
        async () => {
          // One more delete to restore, made before the reload.
          await runCommand(page, 'Notifications: Clear All Notifications');
          await contextMenu(page, 'Khách hàng tiềm năng', 'Delete Customer Type…');
          await clickModalButton(page, 'Delete');
          await waitForNotification(page, /deleted from project SALES/);
          await reloadInVietnamese(page);
          await treeItem(page, 'SALES').waitFor({ timeout: 60_000 });
          await runCommand(page, 'VBot: Xem lịch sử');
          const deleted = historyRow(page, 'Đã xóa "Khách hàng tiềm năng" (TIEM_NANG)');
          await deleted.waitFor({ timeout: 60_000 });
          const description = await deleted.locator('.label-description').innerText();
          steps.expect(
            /^\d{2}:\d{2}:\d{2} \d{1,2} thg \d{1,2}, \d{4} · thành công$/.test(description),
            `Vietnamese time and outcome: ${description}`,
          );
          await screenshot(page, SHOTS, '5-history-vi');
          await historyRow(page, 'Đã đổi tên KH_MOI: "Khách hàng mới" → "Khách hàng mới (2026)"').hover();
          await page.locator('.monaco-hover').filter({ hasText: 'Hoàn tác: đổi tên' }).waitFor();
          await page.waitForTimeout(500); // the hover's fade-in
          await screenshot(page, SHOTS, '6-tooltip-vi');
          // A view's title actions show while the pointer is over the view.
          const header = page.locator('.part.sidebar .pane-header').filter({ hasText: /^Lịch sử/ });
          await page.mouse.move(0, 0);
          await header.hover();
          await header.locator('.action-label[aria-label="Khôi phục kiểu đã xóa…"]').click();
          await page.locator('.quick-input-widget').getByText('Khách hàng tiềm năng').waitFor();
          await screenshot(page, SHOTS, '7-restore-pick-vi');
          await pickQuickItem(page, 'Khách hàng tiềm năng');
          await waitForNotification(page, /TIEM_NANG/);
          await historyRow(page, 'Đã thêm "Khách hàng tiềm năng" (TIEM_NANG)').waitFor();
          steps.expect(
            server().some((t) => t.typeNo === 'TIEM_NANG' && t.typeName === 'Khách hàng tiềm năng'),
            'TIEM_NANG is created again on VBot',
          );
          await screenshot(page, SHOTS, '8-restored-vi');
        },
      ],
    ];
  },
);
