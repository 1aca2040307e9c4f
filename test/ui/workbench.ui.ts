// Drives the real workbench like a person: the activity bar, the command palette, input boxes,
// the tree's inline and context-menu actions, a modal confirmation, notifications. Each step
// is one test; the PNGs land in test-results/ui/ (one of them is the README's picture).
//   npx tsx test/ui/workbench.ui.ts     (after `node esbuild.mjs`)
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/codeServer';
import {
  acceptInput,
  clickModalButton,
  openViewContainer,
  paletteLabels,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  treeItem,
  typeIntoInput,
  waitForNotification,
  widenSideBar,
} from '../harness/workbench';
import { DEMO_USER, DEMO_VBOT_ID } from '../sandbox/demoData';
import { runDemoUiSuite } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui');
void runDemoUiSuite({ heading: 'UI tests (real workbench)', label: 'UI', shots: SHOTS }, ({ page, sandbox, steps }) => {
  return [
    [
      'the VBot CRM view shows the cached projects and says the user is signed out',
      async () => {
        await openViewContainer(page, 'VBot CRM');
        await widenSideBar(page, 500);
        await treeItem(page, 'SALES').waitFor();
        await treeItem(page, 'Khách hàng VIP').waitFor();
        await page
          .locator('.part.sidebar')
          .getByText(/Signed out/)
          .waitFor();
        // The active profile's status bar item (src/vscode/profileCommands.ts): no host test can see a status bar.
        await page.locator('.part.statusbar').getByText('VBot: default').waitFor();
        await screenshot(page, SHOTS, '1-tree-signed-out');
      },
    ],
    [
      'sign in from the command palette with username and password',
      async () => {
        await runCommand(page, 'VBot: Sign In…');
        await typeIntoInput(page, DEMO_USER.username, { prompt: /username/i });
        await acceptInput(page);
        await typeIntoInput(page, DEMO_USER.password, { prompt: /Password/ });
        await screenshot(page, SHOTS, '2-password-prompt');
        await acceptInput(page);
        await waitForNotification(page, /Signed in to VBot as demo/);
        steps.expect(
          sandbox.requests.some((r) => r.path === '/token'),
          'the sandbox received /token',
        );
      },
    ],
    [
      'add a customer type from the palette: project pick, code, name, notification, tree',
      async () => {
        await runCommand(page, 'VBot: Add Customer Type…');
        await pickQuickItem(page, 'SALES');
        await typeIntoInput(page, 'VIP', { prompt: /Code of the new customer type/ });
        await quickInput(page)
          .getByText(/already in project SALES/)
          .waitFor();
        await screenshot(page, SHOTS, '3-inline-validation');
        await typeIntoInput(page, 'KH_SI'); // the validation message stands where the prompt was
        await acceptInput(page);
        await typeIntoInput(page, 'Khách hàng sỉ', { prompt: /Name of customer type/ });
        await acceptInput(page);
        await waitForNotification(page, /Khách hàng sỉ/);
        await treeItem(page, 'Khách hàng sỉ').waitFor();
        steps.expect(
          sandbox.types(DEMO_VBOT_ID, 'SALES').some((t) => t.typeNo === 'KH_SI'),
          'created on the server',
        );
        await screenshot(page, SHOTS, '4-type-added');
      },
    ],
    [
      'resting the pointer on a type shows its tooltip (made on hover)',
      async () => {
        await treeItem(page, 'Khách hàng VIP').hover();
        const hover = page
          .locator('.monaco-hover, .workbench-hover')
          .filter({ hasText: 'Khách hàng VIP' })
          .filter({ hasText: 'VIP' })
          .last();
        await hover.waitFor({ timeout: 10_000 });
        steps.expect((await hover.innerText()).includes('SALES'), 'the tooltip names the project');
        await screenshot(page, SHOTS, '4b-type-tooltip');
        await page.mouse.move(900, 400);
      },
    ],
    [
      'rename a type with the inline action of its tree item',
      async () => {
        const row = treeItem(page, 'Khách hàng sỉ');
        await row.hover();
        await row.locator('.action-label[aria-label^="Rename Customer Type"]').click();
        await typeIntoInput(page, 'Khách hàng bán sỉ', { prompt: /New name of customer type KH_SI/ });
        await acceptInput(page);
        await waitForNotification(page, /Khách hàng bán sỉ/);
        await treeItem(page, 'Khách hàng bán sỉ').waitFor();
        steps.expect(
          sandbox.types(DEMO_VBOT_ID, 'SALES').some((t) => t.typeName === 'Khách hàng bán sỉ'),
          'renamed on the server',
        );
      },
    ],
    [
      'delete a type from the context menu after a modal confirmation',
      async () => {
        await treeItem(page, 'Khách hàng bán sỉ').click({ button: 'right' });
        // VS Code's menu ignores a mouse-up that comes right after it opened (the right-click's
        // own release), so point at the entry first and click once the menu has focused it.
        const entry = page.locator('.context-view .action-item').filter({ hasText: 'Delete Customer Type…' });
        await entry.hover();
        await page.locator('.context-view .action-item.focused').filter({ hasText: 'Delete Customer Type…' }).waitFor();
        await entry.click();
        await page
          .locator('.monaco-dialog-box')
          .getByText(/Delete customer type "Khách hàng bán sỉ" \(KH_SI\)/)
          .waitFor();
        await screenshot(page, SHOTS, '5-delete-confirmation');
        await clickModalButton(page, 'Delete');
        await waitForNotification(page, /deleted from project SALES/);
        await treeItem(page, 'Khách hàng bán sỉ').waitFor({ state: 'detached' });
        steps.expect(!sandbox.types(DEMO_VBOT_ID, 'SALES').some((t) => t.typeNo === 'KH_SI'), 'deleted on the server');
      },
    ],
    [
      'a proxy error page is reported in plain words and changes nothing',
      async () => {
        sandbox.injectFault({ fault: { kind: 'html502' }, path: '/api/crm/type/create' });
        await runCommand(page, 'VBot: Add Customer Type…');
        await pickQuickItem(page, 'CSKH');
        await typeIntoInput(page, 'LOI', { prompt: /Code of the new customer type/ });
        await acceptInput(page);
        await typeIntoInput(page, 'Không được tạo', { prompt: /Name of customer type/ });
        await acceptInput(page);
        await waitForNotification(page, /HTTP 502/);
        await screenshot(page, SHOTS, '6-error-notification');
        steps.expect((await treeItem(page, 'Không được tạo').count()) === 0, 'not in the tree');
      },
    ],
    [
      'signed in, the palette offers Sign Out; signed out, it does not (the vbotCrm.signedIn context key)',
      async () => {
        // Sign Out's palette entry is `when: vbotCrm.signedIn`, so what the palette offers is the key's value. The
        // tree's "Signed out" line is set right after the keys (src/vscode/viewState.ts): once it has gone or come,
        // the keys are set too.
        const signOutOffered = async () => (await paletteLabels(page, 'VBot: Sign', 'VBot: Sign In…')).some((l) => /Sign Out$/.test(l));
        const signedOutLine = page.locator('.part.sidebar').getByText(/Signed out/);
        await signedOutLine.waitFor({ state: 'detached' });
        steps.expect(await signOutOffered(), 'Sign Out is offered after sign-in');
        await runCommand(page, 'VBot: Sign Out');
        await waitForNotification(page, /Signed out of VBot profile/);
        await signedOutLine.waitFor();
        steps.expect(!(await signOutOffered()), 'Sign Out is not offered after sign-out');
        // And back: signing in again turns the key on again.
        await runCommand(page, 'VBot: Sign In…');
        await typeIntoInput(page, DEMO_USER.username, { prompt: /username/i });
        await acceptInput(page);
        await typeIntoInput(page, DEMO_USER.password, { prompt: /Password/ });
        await acceptInput(page);
        await signedOutLine.waitFor({ state: 'detached' });
        steps.expect(await signOutOffered(), 'Sign Out is offered again');
      },
    ],
  ];
});
