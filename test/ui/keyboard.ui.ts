// The tree by keyboard and the view's title bar, as a person meets them (issue 16, items 2 and 8), in English and in
// Vietnamese: F2 on a type opens the rename input and renames it; Delete asks (modal) and Cancel keeps it; Ctrl+C puts
// its code on the clipboard; "Add Profile…" from the view's "…" menu with a project selected still asks for the VBotID
// (the title bar gives the selected row to its commands: they must not take it as their input).
//   npx tsx test/ui/keyboard.ui.ts     (after `node esbuild.mjs`); PNGs in test-results/ui-keyboard/
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/codeServer';
import {
  acceptInput,
  clickModalButton,
  pickQuickItem,
  quickInput,
  screenshot,
  treeItem,
  typeIntoInput,
  openMenu,
} from '../harness/workbench';
import { DEMO_VBOT_ID } from '../sandbox/demoData';
import { runDemoUiSuite, signInStep, reloadInVietnamese } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-keyboard');

/** What the steps look for in one language (the workbench's own words, "Cancel" and "More Actions...", stay English). */
interface Words {
  lang: 'en' | 'vi';
  renamePrompt: RegExp;
  deleteQuestion: RegExp;
  copied: (code: string) => string;
  addProfile: string;
  viewName: RegExp;
  profileName: RegExp;
  baseUrl: RegExp;
  vbotIdPrompt: RegExp;
}

const EN: Words = {
  lang: 'en',
  renamePrompt: /New name of customer type KH_MOI/,
  deleteQuestion: /Delete customer type .*KH_MOI.* from project SALES\?/,
  copied: (code) => `Copied "${code}"`,
  addProfile: 'Add Profile…',
  viewName: /Customer Types/i,
  profileName: /Profile name/,
  baseUrl: /Base URL of the VBot API/,
  vbotIdPrompt: /VBotID \(the customer account\)/,
};
const VI: Words = {
  lang: 'vi',
  renamePrompt: /Tên mới của kiểu khách hàng KH_MOI/,
  deleteQuestion: /xóa kiểu khách hàng .*KH_MOI.* khỏi dự án SALES\?/,
  copied: (code) => `Đã sao chép "${code}"`,
  addProfile: 'Thêm hồ sơ…',
  viewName: /Kiểu khách hàng/i,
  profileName: /Tên hồ sơ/,
  baseUrl: /base URL/,
  vbotIdPrompt: /VBotID \(tài khoản khách hàng\)/,
};

void runDemoUiSuite(
  { heading: 'UI tests (keyboard in the tree, title-bar commands)', label: 'UI (keyboard and title bar)', shots: SHOTS },
  ({ page, sandbox, steps }) => {
    const serverName = (typeNo: string) => sandbox.types(DEMO_VBOT_ID, 'SALES').find((t) => t.typeNo === typeNo)?.typeName;
    /**
     * Clicks a row of the tree, then moves the pointer off the side bar: a row resting under it shows its tooltip,
     * which covers the rows below (the next click) and the screenshots. The keyboard focus stays in the tree.
     */
    const selectRow = async (name: string) => {
      await page.mouse.move(900, 650);
      await page.locator('.monaco-hover').waitFor({ state: 'hidden' });
      await treeItem(page, name).click();
      await page.mouse.move(900, 650);
    };
    /** F2 on the type `from` (KH_MOI): the rename input, then the new name in the tree and on the server. */
    const rename = async (w: Words, from: string, to: string) => {
      await selectRow(from);
      await page.keyboard.press('F2');
      const box = quickInput(page).filter({ hasText: w.renamePrompt });
      await box.waitFor();
      const value = await box.locator('.quick-input-box input').inputValue();
      steps.expect(value === from, `the input holds the current name (${value})`);
      await screenshot(page, SHOTS, `${w.lang}-1-f2-rename-input`);
      await typeIntoInput(page, to);
      await acceptInput(page);
      await treeItem(page, to).waitFor();
      steps.expect(serverName('KH_MOI') === to, `renamed on the server (${serverName('KH_MOI')})`);
      await screenshot(page, SHOTS, `${w.lang}-1b-renamed`);
    };
    /** Delete on the type `name` (KH_MOI): the modal question; Cancel keeps it. */
    const deleteCancelled = async (w: Words, name: string) => {
      await selectRow(name);
      await page.keyboard.press('Delete');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor();
      const text = await dialog.innerText();
      steps.expect(w.deleteQuestion.test(text), `the modal asks: ${text}`);
      await screenshot(page, SHOTS, `${w.lang}-2-delete-modal`);
      await clickModalButton(page, 'Cancel');
      await treeItem(page, name).waitFor();
      steps.expect(serverName('KH_MOI') === name, 'still on the server');
    };
    /** Click a type, arrow down to the next row, Ctrl+C: that row's code, pasted into the palette. */
    const copyByKeyboard = async (w: Words) => {
      await selectRow('Khách hàng VIP');
      await page.keyboard.press('ArrowDown');
      const selected = page.locator('.part.sidebar .monaco-list-row[role="treeitem"].selected');
      await selected.waitFor();
      const code = (await selected.locator('.label-description').innerText()).trim();
      steps.expect(/^[A-Z_0-9]+$/.test(code), `the row below is a type (${code})`);
      await page.keyboard.press('Control+C');
      await page.locator('.part.statusbar').getByText(w.copied(code)).waitFor();
      await screenshot(page, SHOTS, `${w.lang}-3-ctrl-c-copied`);
      await page.keyboard.press('F1');
      const input = quickInput(page).locator('.quick-input-box input');
      await input.waitFor();
      await input.press('End');
      await input.press('Control+V');
      const pasted = await input.inputValue();
      steps.expect(pasted === `>${code}`, `the clipboard holds ${code} (pasted: ${pasted})`);
      await screenshot(page, SHOTS, `${w.lang}-3b-pasted`);
      await input.press('Escape');
    };
    /** Selects a project, runs "Add Profile…" from the view's "…" menu and answers until the VBotID step shows. */
    const addProfileFromTitle = async (w: Words) => {
      await selectRow('MARKETING');
      // The view's own "…" (in its pane header while the container shows more than one view), not the container's.
      const header = page.locator('.part.sidebar .pane-header').filter({ hasText: w.viewName });
      const more = (await header.count())
        ? header.locator('.action-label[aria-label="More Actions..."]')
        : page.locator('.part.sidebar .composite.title .action-label[aria-label="Views and More Actions..."]');
      const menu = await openMenu(page, more.first());
      const entry = menu.locator('.action-label').filter({ hasText: w.addProfile });
      await entry.waitFor();
      await screenshot(page, SHOTS, `${w.lang}-4-title-menu`);
      await entry.click();
      await typeIntoInput(page, `kb-${w.lang}`, { prompt: w.profileName });
      await acceptInput(page);
      await pickQuickItem(page, 'v2.0');
      await quickInput(page).filter({ hasText: w.baseUrl }).waitFor();
      await acceptInput(page);
      const vbotIdBox = quickInput(page).filter({ hasText: w.vbotIdPrompt });
      await vbotIdBox.waitFor();
      const value = await vbotIdBox.locator('.quick-input-box input').inputValue();
      steps.expect(value === '', `the VBotID box is empty, not the project's (${value})`);
      await screenshot(page, SHOTS, `${w.lang}-4b-add-profile-vbotid-step`);
      await page.keyboard.press('Escape');
      await quickInput(page).waitFor({ state: 'hidden' });
    };

    return [
      signInStep(page, { sideBarWidth: 460, clearNotifications: true }),
      [
        'F2 on a type opens the rename input; the new name reaches the tree and the server (English)',
        () => rename(EN, 'Khách hàng mới', 'Khách mới (F2)'),
      ],
      ['Delete on a type asks in a modal; Cancel keeps it (English)', () => deleteCancelled(EN, 'Khách mới (F2)')],
      ['Ctrl+C on the selected type copies its code (English)', () => copyByKeyboard(EN)],
      ['"Add Profile…" from the "…" menu with a project selected asks for the VBotID (English)', () => addProfileFromTitle(EN)],
      [
        'in Vietnamese: F2, Delete, Ctrl+C and "Add Profile…" from the title bar',
        async () => {
          await reloadInVietnamese(page);
          await treeItem(page, 'Khách mới (F2)').waitFor({ timeout: 60_000 });
          await rename(VI, 'Khách mới (F2)', 'Khách mới (F2, vi)');
          await deleteCancelled(VI, 'Khách mới (F2, vi)');
          await copyByKeyboard(VI);
          await addProfileFromTitle(VI);
        },
      ],
    ];
  },
);
