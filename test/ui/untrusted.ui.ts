// The extension in an UNTRUSTED workspace, in the real workbench, driven like a person.
//
// package.json declares `capabilities.untrustedWorkspaces.supported: true`. The justification: the
// extension runs no workspace code, and the one dangerous setting, vbotCrm.baseUrl (where the token goes),
// is machine-scoped, so a workspace cannot set it. This proves it: workspace trust is on (as in a default
// VS Code), the opened folder is untrusted (Restricted Mode), and its .vscode/settings.json points
// vbotCrm.baseUrl at a second sandbox, the attacker's. The user signs in and adds a type: both work
// against the real sandbox, and the attacker's sandbox receives nothing at all.
// Steps as in workbench.ui.ts; result JSON to $VBOT_RESULT_FILE; PNGs in test-results/ui-untrusted/.
//   npx tsx test/ui/untrusted.ui.ts     (after `node esbuild.mjs`)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startWorkbench, type Workbench } from '../harness/codeServer';
import {
  acceptInput, openViewContainer, pickQuickItem, runCommand, screenshot, treeItem, typeIntoInput, waitForNotification, widenSideBar,
} from '../harness/workbench';
import { DEMO_USER, DEMO_VBOT_ID, demoSeed } from '../sandbox/demoData';
import { VbotSandbox } from '../sandbox/vbotSandbox';
import { demoWorkbenchOptions } from './demoSetup';
import { UiSteps } from './uiSteps';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-untrusted');
/** The workspace's own window title: shows that VS Code does apply this folder's settings file. */
const WORKSPACE_TITLE = 'ATTACKER-WORKSPACE';

async function main(): Promise<void> {
  const steps = new UiSteps(SHOTS);
  const sandbox = await VbotSandbox.start({ seed: demoSeed(), users: [DEMO_USER] });
  // The attacker's server would accept the same sign-in and hold the same projects, so any call that
  // went there would succeed silently: only its request log can tell.
  const attacker = await VbotSandbox.start({ seed: demoSeed(), users: [DEMO_USER] });
  const folder = mkdtempSync(join(tmpdir(), 'vbot-untrusted-ws-'));
  mkdirSync(join(folder, '.vscode'));
  writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({
    'vbotCrm.baseUrl': attacker.url,
    'window.title': `${WORKSPACE_TITLE} \${rootName}`,
  }, null, 2));
  writeFileSync(join(folder, 'README.md'), '# Downloaded from somewhere\n');
  const attackerRequests = () => attacker.requests.length;

  let wb: Workbench | undefined;
  try {
    wb = await startWorkbench({
      extensionDevelopmentPath: REPO_ROOT,
      folder,
      workspaceTrust: true,
      ...demoWorkbenchOptions(sandbox),
      viewport: { width: 1280, height: 800 },
    });
    const page = wb.page;
    steps.page = page;
    console.log('UI tests, untrusted workspace (real workbench)');
    await steps.run([
      ['the folder opens in Restricted Mode, and its own settings file is applied', async () => {
        // A default VS Code asks once whether to trust the folder's authors: a careful person says no.
        const dialog = page.locator('.monaco-dialog-box');
        if (await dialog.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) {
          await screenshot(page, SHOTS, '0-trust-question');
          await dialog.locator('.monaco-button').filter({ hasText: /No, I don.t trust the authors/ }).first().click();
          await dialog.waitFor({ state: 'hidden' });
        }
        await page.locator('.part.statusbar').getByText('Restricted Mode', { exact: true }).waitFor();
        await page.locator('.part.banner').getByText(/Restricted Mode is intended for safe code browsing/).waitFor();
        // Proof that VS Code reads .vscode/settings.json here: the window title comes from it.
        await page.waitForFunction(`document.title.includes(${JSON.stringify(WORKSPACE_TITLE)})`, undefined, { timeout: 15_000 });
        await screenshot(page, SHOTS, '1-restricted-mode');
      }],
      ['the VBot CRM view works in Restricted Mode: cached projects, signed out', async () => {
        await openViewContainer(page, 'VBot CRM');
        await widenSideBar(page, 500);
        await treeItem(page, 'SALES').waitFor();
        await treeItem(page, 'Khách hàng VIP').waitFor();
        await page.locator('.part.sidebar').getByText(/Signed out/).waitFor();
        await page.locator('.part.statusbar').getByText('Restricted Mode', { exact: true }).waitFor();
        await screenshot(page, SHOTS, '2-view-in-restricted-mode');
      }],
      ['sign in from the command palette: the token comes from the real sandbox, the attacker gets nothing', async () => {
        await runCommand(page, 'VBot: Sign In…');
        await typeIntoInput(page, DEMO_USER.username, { prompt: /username/i });
        await acceptInput(page);
        await typeIntoInput(page, DEMO_USER.password, { prompt: /Password/ });
        await acceptInput(page);
        await waitForNotification(page, /Signed in to VBot as demo/);
        steps.expect(sandbox.requests.some((r) => r.path === '/token'), 'the real sandbox received /token');
        steps.expect(attackerRequests() === 0, `the attacker's sandbox received ${attackerRequests()} request(s)`);
      }],
      ['add a customer type from the palette: created on the real server, shown in the tree, nothing sent to the attacker', async () => {
        await runCommand(page, 'VBot: Add Customer Type…');
        await pickQuickItem(page, 'SALES');
        await typeIntoInput(page, 'KH_TIN_CAY', { prompt: /Code of the new customer type/ });
        await acceptInput(page);
        await typeIntoInput(page, 'Khách hàng tin cậy', { prompt: /Name of customer type/ });
        await acceptInput(page);
        await waitForNotification(page, /Khách hàng tin cậy/);
        await treeItem(page, 'Khách hàng tin cậy').waitFor();
        steps.expect(sandbox.types(DEMO_VBOT_ID, 'SALES').some((t) => t.typeNo === 'KH_TIN_CAY'), 'created on the real server');
        const create = sandbox.requests.filter((r) => r.path === '/api/crm/type/create');
        steps.expect(create.length === 1, `the real sandbox received ${create.length} create request(s)`);
        steps.expect(!attacker.types(DEMO_VBOT_ID, 'SALES').some((t) => t.typeNo === 'KH_TIN_CAY'), 'not created on the attacker\'s server');
        steps.expect(attackerRequests() === 0, `the attacker's sandbox received ${attackerRequests()} request(s)`);
        await page.locator('.part.statusbar').getByText('Restricted Mode', { exact: true }).waitFor();
        await screenshot(page, SHOTS, '3-type-added-in-restricted-mode');
      }],
    ]);
    console.log(`  real sandbox: ${sandbox.requests.length} request(s); attacker's sandbox: ${attackerRequests()} request(s)`);
  } catch (e) {
    steps.startFailed(e);
  } finally {
    if (wb) steps.saveExtensionLog(wb.userDataDir);
    await wb?.close();
    await sandbox.close();
    await attacker.close();
    rmSync(folder, { recursive: true, force: true });
  }
  steps.finish('UI (untrusted workspace)');
}

void main();
