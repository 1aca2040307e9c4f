// What every UI test starts from: the extension pointed at a sandbox with the demo account, and
// the demo projects already in its local list (as if the user had imported them); and the steps
// most suites take first (the demo tree, signed out; signing in as the demo user).
import type { Page } from 'playwright-core';
import type { WorkbenchOptions } from '../harness/codeServer';
import {
  acceptInput,
  openViewContainer,
  runCommand,
  treeItem,
  typeIntoInput,
  waitForNotification,
  widenSideBar,
} from '../harness/workbench';
import { CACHE_FILE_NAME, demoCacheText } from '../sandbox/demoCache';
import { DEMO_PROJECTS, DEMO_USER, DEMO_VBOT_ID } from '../sandbox/demoData';
import type { VbotSandbox } from '../sandbox/vbotSandbox';

export function demoWorkbenchOptions(
  sandbox: VbotSandbox,
  extraSettings: Record<string, unknown> = {},
): Pick<WorkbenchOptions, 'settings' | 'userDataFiles'> {
  const settings = { 'vbotCrm.baseUrl': sandbox.url, 'vbotCrm.vbotId': DEMO_VBOT_ID, ...extraSettings };
  return {
    settings,
    userDataFiles: {
      [`User/globalStorage/vbotcrm.vbot-crm/${CACHE_FILE_NAME}`]: demoCacheText(),
      // code-server is a remote window: machine-scoped settings (the base URL) are read from the
      // remote machine's settings, and from the user settings only until that connection is up.
      'Machine/settings.json': JSON.stringify(settings),
    },
  };
}

/** Signs in as the demo user from the command palette and waits for the notification that says so. */
export async function signInAsDemo(page: Page): Promise<void> {
  await runCommand(page, 'VBot: Sign In…');
  await typeIntoInput(page, DEMO_USER.username, { prompt: /username/i });
  await acceptInput(page);
  await typeIntoInput(page, DEMO_USER.password, { prompt: /Password/ });
  await acceptInput(page);
  await waitForNotification(page, /Signed in to VBot as demo/);
}

/** The VBot CRM view, widened, with every demo project, a demo type and the signed-out line. */
export async function showDemoTreeSignedOut(page: Page): Promise<void> {
  await openViewContainer(page, 'VBot CRM');
  await widenSideBar(page, 500);
  for (const p of DEMO_PROJECTS) await treeItem(page, p.projectCode).waitFor();
  await treeItem(page, 'Khách hàng VIP').waitFor();
  await page
    .locator('.part.sidebar')
    .getByText(/Signed out/)
    .waitFor();
}
