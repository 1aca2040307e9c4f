// "VBot: Check API Compatibility…" as a person meets it (issue 17): the entry in the view's overflow menu, the
// project pick, the consent dialog naming the temporary type and the four steps, and the report, in English and
// in Vietnamese. The sandbox accepts only the second updateNo body, so the report shows the self-healing.
//   npx tsx test/ui/checkApi.ui.ts     (after `node esbuild.mjs`); PNGs in test-results/ui-check-api/
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/codeServer';
import { clickModalButton, pickQuickItem, runCommand, screenshot, treeItem, waitForNotification, openMenu } from '../harness/workbench';
import { DEMO_VBOT_ID } from '../sandbox/demoData';
import { runDemoUiSuite, signInStep, reloadInVietnamese } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-check-api');

void runDemoUiSuite(
  { heading: 'UI tests (API compatibility check)', label: 'UI (check API)', shots: SHOTS },
  ({ page, sandbox, steps }) => {
    sandbox.acceptUpdateNoBody({ oldNo: 'old_type_no', newNo: 'new_type_no' });
    const probes = () => sandbox.types(DEMO_VBOT_ID, 'SALES').filter((t) => t.typeNo.startsWith('VBOT_CHECK_'));
    /** The end of the report (what was learned, from now on, clean-up), with the toasts cleared away. */
    const reportEnd = async (name: string) => {
      await runCommand(page, 'Notifications: Clear All Notifications');
      await page.locator('.editor-instance .view-lines').click();
      await page.keyboard.press('Control+End');
      await page.waitForTimeout(300);
      await screenshot(page, SHOTS, name);
    };
    return [
      signInStep(page, { sideBarWidth: 420 }),
      [
        'the view\'s overflow menu offers "Check API Compatibility…", which asks for a project',
        async () => {
          // The container holds two views (types, history): the types view's own "…" shows on its header.
          const header = page.locator('.part.sidebar .pane-header').filter({ hasText: /^Customer Types/ });
          await header.hover();
          const menu = await openMenu(page, header.locator('.action-label[aria-label="More Actions..."]'));
          const entry = menu.locator('.action-label').filter({ hasText: 'Check API Compatibility…' });
          await entry.waitFor();
          await screenshot(page, SHOTS, '1-overflow-menu');
          await entry.click();
          await page
            .locator('.quick-input-widget .quick-input-title')
            .filter({ hasText: /pick the project to create a temporary customer type in/ })
            .waitFor();
          await pickQuickItem(page, 'SALES');
        },
      ],
      [
        'the consent dialog names the temporary type and the four steps (English)',
        async () => {
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor();
          const text = await dialog.innerText();
          steps.expect(
            /creates the customer type VBOT_CHECK_[0-9A-F]{6}, renames it, changes its code to VBOT_CHECK_[0-9A-F]{6}_2, and deletes it again/.test(
              text,
            ),
            `dialog text: ${text}`,
          );
          steps.expect(
            sandbox.requests.every((r) => !r.path.startsWith('/api/')),
            'nothing sent before consent',
          );
          await screenshot(page, SHOTS, '2-consent-en');
          await clickModalButton(page, 'Run Check');
        },
      ],
      [
        'the report: steps, what was learned, from now on, clean-up (English)',
        async () => {
          await waitForNotification(page, /API check done: changes of code now use old_type_no\/new_type_no/);
          const editor = page.locator('.editor-instance .view-lines');
          await editor.filter({ hasText: /VBot\sAPI\scompatibility\scheck/ }).waitFor();
          steps.expect(probes().length === 0, 'the probe is deleted');
          await screenshot(page, SHOTS, '3-report-en');
          await reportEnd('3b-report-en-end');
        },
      ],
      [
        'in Vietnamese: the consent dialog and the report',
        async () => {
          await reloadInVietnamese(page);
          await treeItem(page, 'SALES').waitFor({ timeout: 60_000 });
          await runCommand(page, 'VBot: Kiểm tra tương thích API…');
          await pickQuickItem(page, 'SALES');
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor();
          steps.expect(/tạo kiểu khách hàng VBOT_CHECK_[0-9A-F]{6}/.test(await dialog.innerText()), 'the dialog is in Vietnamese');
          await screenshot(page, SHOTS, '4-consent-vi');
          await clickModalButton(page, 'Chạy kiểm tra');
          await waitForNotification(page, /Đã kiểm tra API xong/);
          await page
            .locator('.editor-instance .view-lines')
            .filter({ hasText: /Kiểm\stra\stương\sthích\sAPI\sVBot/ })
            .waitFor();
          steps.expect(probes().length === 0, 'the probe is deleted');
          await screenshot(page, SHOTS, '5-report-vi');
          await reportEnd('5b-report-vi-end');
        },
      ],
    ];
  },
);
