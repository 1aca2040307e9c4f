// The extension in an UNTRUSTED workspace, in the real workbench, driven like a person.
//
// package.json declares `capabilities.untrustedWorkspaces.supported: "limited"`. The extension runs no
// workspace code; the settings that decide where the token goes (vbotCrm.baseUrl), which account is the
// user's (vbotCrm.vbotId) and how long a request may hang are machine-scoped, so a workspace cannot set
// them; and Apply, which would let the workspace's vbot-types.json change VBot data, is refused in
// Restricted Mode. This proves it: workspace trust is on (as in a default VS Code), the opened folder is
// untrusted (Restricted Mode), its .vscode/settings.json points vbotCrm.baseUrl at a second sandbox, the
// attacker's, and names another VBotID, and it carries a vbot-types.json that would delete the user's
// types. The user signs in and adds a type: both work against the real sandbox, and the attacker's
// sandbox receives nothing at all. Plan shows the file against the user's account; Apply is refused and
// sends nothing.
// Steps as in workbench.ui.ts; result JSON to $VBOT_RESULT_FILE; PNGs in test-results/ui-untrusted/.
//   npx tsx test/ui/untrusted.ui.ts     (after `node esbuild.mjs`)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/codeServer';
import {
  acceptInput,
  openViewContainer,
  pickQuickItem,
  runCommand,
  screenshot,
  treeItem,
  typeIntoInput,
  waitForNotification,
  widenSideBar,
} from '../harness/workbench';
import { DEMO_USER, DEMO_VBOT_ID, demoSeed } from '../sandbox/demoData';
import { VbotSandbox } from '../sandbox/vbotSandbox';
import { runDemoUiSuite, signInAsDemo } from './demoSetup';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-untrusted');
/** The workspace's own window title: shows that VS Code does apply this folder's settings file. */
const WORKSPACE_TITLE = 'ATTACKER-WORKSPACE';
/** The account the workspace's settings would have Plan/Apply treat as the user's. */
const ATTACKER_VBOT_ID = 'VB-ATTACKER-0001';

async function main(): Promise<void> {
  // The attacker's server would accept the same sign-in and hold the same projects, so any call that
  // went there would succeed silently: only its request log can tell.
  const attacker = await VbotSandbox.start({ seed: demoSeed(), users: [DEMO_USER] });
  const folder = mkdtempSync(join(tmpdir(), 'vbot-untrusted-ws-'));
  mkdirSync(join(folder, '.vscode'));
  writeFileSync(
    join(folder, '.vscode', 'settings.json'),
    JSON.stringify(
      {
        'vbotCrm.baseUrl': attacker.url,
        'vbotCrm.vbotId': ATTACKER_VBOT_ID,
        'window.title': `${WORKSPACE_TITLE} \${rootName}`,
      },
      null,
      2,
    ),
  );
  writeFileSync(join(folder, 'README.md'), '# Downloaded from somewhere\n');
  // One click on Apply would delete every SALES type but one.
  writeFileSync(
    join(folder, 'vbot-types.json'),
    JSON.stringify(
      {
        version: 1,
        projects: [
          { vbotId: DEMO_VBOT_ID, projectCode: 'SALES', deleteUnlisted: true, types: [{ typeNo: 'VIP', typeName: 'Khách hàng VIP' }] },
        ],
      },
      null,
      2,
    ) + '\n',
  );
  const attackerRequests = () => attacker.requests.length;

  await runDemoUiSuite(
    {
      heading: 'UI tests, untrusted workspace (real workbench)',
      label: 'UI (untrusted workspace)',
      shots: SHOTS,
      workbench: { folder, workspaceTrust: true },
      cleanup: async (sandbox) => {
        console.log(`  real sandbox: ${sandbox.requests.length} request(s); attacker's sandbox: ${attackerRequests()} request(s)`);
        await attacker.close();
        rmSync(folder, { recursive: true, force: true });
      },
    },
    ({ page, sandbox, steps }) => {
      const changeRequests = () => sandbox.requests.filter((r) => r.path.startsWith('/api/')).length;
      return [
        [
          'the folder opens in Restricted Mode, and its own settings file is applied',
          async () => {
            // A default VS Code asks once whether to trust the folder's authors: a careful person says no.
            const dialog = page.locator('.monaco-dialog-box');
            if (
              await dialog.waitFor({ state: 'visible', timeout: 10_000 }).then(
                () => true,
                () => false,
              )
            ) {
              await screenshot(page, SHOTS, '0-trust-question');
              await dialog
                .locator('.monaco-button')
                .filter({ hasText: /No, I don.t trust the authors/ })
                .first()
                .click();
              await dialog.waitFor({ state: 'hidden' });
            }
            await page.locator('.part.statusbar').getByText('Restricted Mode', { exact: true }).waitFor();
            await page
              .locator('.part.banner')
              .getByText(/Restricted Mode is intended for safe code browsing/)
              .waitFor();
            // Proof that VS Code reads .vscode/settings.json here: the window title comes from it.
            await page.waitForFunction(`document.title.includes(${JSON.stringify(WORKSPACE_TITLE)})`, undefined, { timeout: 15_000 });
            await screenshot(page, SHOTS, '1-restricted-mode');
          },
        ],
        [
          'the VBot CRM view works in Restricted Mode: cached projects, signed out',
          async () => {
            await openViewContainer(page, 'VBot CRM');
            await widenSideBar(page, 500);
            await treeItem(page, 'SALES').waitFor();
            await treeItem(page, 'Khách hàng VIP').waitFor();
            await page
              .locator('.part.sidebar')
              .getByText(/Signed out/)
              .waitFor();
            await page.locator('.part.statusbar').getByText('Restricted Mode', { exact: true }).waitFor();
            await screenshot(page, SHOTS, '2-view-in-restricted-mode');
          },
        ],
        [
          'sign in from the command palette: the token comes from the real sandbox, the attacker gets nothing',
          async () => {
            await signInAsDemo(page);
            steps.expect(
              sandbox.requests.some((r) => r.path === '/token'),
              'the real sandbox received /token',
            );
            steps.expect(attackerRequests() === 0, `the attacker's sandbox received ${attackerRequests()} request(s)`);
          },
        ],
        [
          'add a customer type from the palette: created on the real server, shown in the tree, nothing sent to the attacker',
          async () => {
            await runCommand(page, 'VBot: Add Customer Type…');
            await pickQuickItem(page, 'SALES');
            await typeIntoInput(page, 'KH_TIN_CAY', { prompt: /Code of the new customer type/ });
            await acceptInput(page);
            await typeIntoInput(page, 'Khách hàng tin cậy', { prompt: /Name of customer type/ });
            await acceptInput(page);
            await waitForNotification(page, /Khách hàng tin cậy/);
            await treeItem(page, 'Khách hàng tin cậy').waitFor();
            steps.expect(
              sandbox.types(DEMO_VBOT_ID, 'SALES').some((t) => t.typeNo === 'KH_TIN_CAY'),
              'created on the real server',
            );
            const create = sandbox.requests.filter((r) => r.path === '/api/crm/type/create');
            steps.expect(create.length === 1, `the real sandbox received ${create.length} create request(s)`);
            steps.expect(
              !attacker.types(DEMO_VBOT_ID, 'SALES').some((t) => t.typeNo === 'KH_TIN_CAY'),
              "not created on the attacker's server",
            );
            steps.expect(attackerRequests() === 0, `the attacker's sandbox received ${attackerRequests()} request(s)`);
            await page.locator('.part.statusbar').getByText('Restricted Mode', { exact: true }).waitFor();
            await screenshot(page, SHOTS, '3-type-added-in-restricted-mode');
          },
        ],
        [
          "the workspace's vbot-types.json: Plan shows it against the user's account, Apply is refused and sends nothing",
          async () => {
            const typesBefore = JSON.stringify(sandbox.types(DEMO_VBOT_ID, 'SALES'));
            const requestsBefore = changeRequests();
            await page.keyboard.press('Control+P');
            await typeIntoInput(page, 'vbot-types.json');
            await pickQuickItem(page, 'vbot-types.json');
            await page.locator('.tab.active', { hasText: 'vbot-types.json' }).waitFor();
            // The editor title offers Plan, not Apply (its menu entry needs a trusted workspace).
            const titleAction = (label: string) => page.locator('.editor-actions').locator(`[aria-label^="${label}"]`);
            await titleAction('Plan vbot-types.json').first().waitFor();
            steps.expect(
              (await titleAction('Apply vbot-types.json').count()) === 0,
              'no Apply button on the editor title in Restricted Mode',
            );

            // Plan is read-only and stays: the workspace's VBotID is ignored, so the deletes in the user's account show.
            await runCommand(page, 'VBot: Plan vbot-types.json');
            await page
              .locator('.monaco-editor .view-lines', { hasText: /-\sdelete\s/ })
              .first()
              .waitFor();
            steps.expect(
              !(await page.locator('.monaco-editor .view-lines', { hasText: 'Projects of other accounts' }).count()),
              "the plan does not take the user's project for another account's",
            );

            await runCommand(page, 'VBot: Apply vbot-types.json…');
            const toast = await waitForNotification(page, /Apply is not available in Restricted Mode/);
            await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).first().waitFor();
            steps.expect((await page.locator('.monaco-dialog-box').count()) === 0, 'no Apply confirmation was offered');
            await screenshot(page, SHOTS, '4-apply-refused-in-restricted-mode');
            steps.expect(
              changeRequests() === requestsBefore,
              `the sandbox received ${changeRequests() - requestsBefore} change request(s)`,
            );
            steps.expect(JSON.stringify(sandbox.types(DEMO_VBOT_ID, 'SALES')) === typesBefore, 'nothing changed on the server');
            steps.expect(attackerRequests() === 0, `the attacker's sandbox received ${attackerRequests()} request(s)`);
            await page.locator('.part.statusbar').getByText('Restricted Mode', { exact: true }).waitFor();
          },
        ],
      ];
    },
  );
}

void main();
