// What every UI test starts from: the extension pointed at a sandbox with the demo account, and
// the demo projects already in its local list (as if the user had imported them); the one way a
// suite of steps is run against them (runDemoUiSuite); and the steps most suites take first (the
// demo tree, signed out; signing in as the demo user; the window reloaded in Vietnamese).
import type { Page } from 'playwright-core';
import { REPO_ROOT, startWorkbench, type Workbench, type WorkbenchOptions } from '../harness/codeServer';
import {
  acceptInput,
  openViewContainer,
  pickQuickItem,
  runCommand,
  treeItem,
  typeIntoInput,
  waitForNotification,
  widenSideBar,
} from '../harness/workbench';
import { CACHE_FILE_NAME, demoCacheText } from '../sandbox/demoCache';
import { DEMO_API_KEY, DEMO_PROJECTS, DEMO_USER, DEMO_V3_PROJECT, DEMO_VBOT_ID, demoFieldSeed, demoSeed } from '../sandbox/demoData';
import { VbotSandbox, type SandboxOptions } from '../sandbox/vbotSandbox';
import { UiSteps, type Step } from './uiSteps';

/** The local list's file, relative to the user-data dir. */
const CACHE_FILE = `User/globalStorage/vbotcrm.vbot-crm/${CACHE_FILE_NAME}`;

export function demoWorkbenchOptions(
  sandbox: VbotSandbox,
  extraSettings: Record<string, unknown> = {},
): Pick<WorkbenchOptions, 'settings' | 'userDataFiles'> {
  const settings = { 'vbotCrm.baseUrl': sandbox.url, 'vbotCrm.vbotId': DEMO_VBOT_ID, ...extraSettings };
  return {
    settings,
    userDataFiles: {
      [CACHE_FILE]: demoCacheText(),
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

/** Opens the VBot CRM view (widened to `sideBarWidth`, if given), waits for the demo tree and signs in as the demo user. */
export async function signInFromView(page: Page, options: { sideBarWidth?: number; clearNotifications?: boolean } = {}): Promise<void> {
  await openViewContainer(page, 'VBot CRM');
  if (options.sideBarWidth) await widenSideBar(page, options.sideBarWidth);
  await treeItem(page, 'SALES').waitFor();
  await signInAsDemo(page);
  if (options.clearNotifications) await runCommand(page, 'Notifications: Clear All Notifications');
}

/** A sandbox with the demo account, the API key of the v3 demo project and that project's customer fields. */
export function startV3Sandbox(): Promise<VbotSandbox> {
  return VbotSandbox.start({
    seed: demoSeed(),
    users: [DEMO_USER],
    apiKeys: [{ key: DEMO_API_KEY, vbotId: DEMO_VBOT_ID, projectCode: DEMO_V3_PROJECT }],
    fieldSeed: demoFieldSeed(),
  });
}

/** The profile "demo-v3" (API v3, the key's project), for the `vbotCrm.profiles` setting. */
export function demoV3Profile(sandbox: VbotSandbox): Record<string, unknown> {
  return { name: 'demo-v3', baseUrl: sandbox.urlV3, vbotId: DEMO_VBOT_ID, apiVersion: 'v3', projectCode: DEMO_V3_PROJECT };
}

/** Opens the VBot CRM view (widened), switches to "demo-v3" and pastes its API key; notifications cleared after. */
export async function signInV3(page: Page, sideBarWidth: number): Promise<void> {
  await openViewContainer(page, 'VBot CRM');
  await widenSideBar(page, sideBarWidth);
  await runCommand(page, 'VBot: Switch Profile…');
  await pickQuickItem(page, /demo-v3/);
  await runCommand(page, 'VBot: Sign In…');
  await typeIntoInput(page, DEMO_API_KEY);
  await acceptInput(page);
  await waitForNotification(page, /Access token saved/);
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/** Reloads the window with Vietnamese as its display language and opens the VBot CRM view again. */
export async function reloadInVietnamese(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (globalThis as { _VSCODE_NLS_LANGUAGE?: string })._VSCODE_NLS_LANGUAGE = 'vi';
  });
  await page.reload();
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  await openViewContainer(page, 'VBot CRM', 60_000);
}

/** The step 'sign in' that most suites start with (signInFromView). */
export function signInStep(page: Page, options: { sideBarWidth: number; clearNotifications?: boolean }): Step {
  return ['sign in', () => signInFromView(page, options)];
}

export interface DemoUiSuite {
  /** The line printed before the steps. */
  heading: string;
  /** The name on the result line (UiSteps.finish). */
  label: string;
  /** The folder for the screenshots (emptied first) and, after a failure, the extension's log. */
  shots: string;
  /** Default: the harness's 1280×800. */
  viewport?: WorkbenchOptions['viewport'];
  /** Sandbox options over the demo seed and user. */
  sandbox?: SandboxOptions;
  /** User settings over the demo ones (demoWorkbenchOptions). */
  settings?: Record<string, unknown>;
  /** false: the local list starts empty, as a new user's does. Default: the demo projects are in it. */
  localList?: boolean;
  /** More workbench options (a folder, workspace trust). */
  workbench?: Omit<WorkbenchOptions, 'settings' | 'userDataFiles' | 'viewport'>;
  /** Runs last, once the workbench and the sandbox are closed: other servers, temporary folders. */
  cleanup?: (sandbox: VbotSandbox) => unknown;
}

export interface DemoUiContext {
  page: Page;
  sandbox: VbotSandbox;
  steps: UiSteps;
  wb: Workbench;
}

/**
 * Runs a UI suite: a sandbox with the demo account, the workbench with this extension pointed at it, the
 * steps made by `makeSteps`; then the extension's log kept, everything closed and the result line written
 * (also when the workbench does not start: that counts as a failure).
 */
export async function runDemoUiSuite(suite: DemoUiSuite, makeSteps: (ctx: DemoUiContext) => Step[]): Promise<void> {
  const steps = new UiSteps(suite.shots);
  const sandbox = await VbotSandbox.start({ seed: demoSeed(), users: [DEMO_USER], ...suite.sandbox });
  let wb: Workbench | undefined;
  try {
    const options = demoWorkbenchOptions(sandbox, suite.settings);
    if (suite.localList === false) delete options.userDataFiles![CACHE_FILE];
    wb = await startWorkbench({ extensionDevelopmentPath: REPO_ROOT, ...suite.workbench, ...options, viewport: suite.viewport });
    const page = wb.page;
    steps.page = page;
    console.log(suite.heading);
    await steps.run(makeSteps({ page, sandbox, steps, wb }));
  } catch (e) {
    steps.startFailed(e);
  } finally {
    if (wb) steps.saveExtensionLog(wb.userDataDir);
    await wb?.close();
    await sandbox.close();
    await suite.cleanup?.(sandbox);
  }
  steps.finish(suite.label);
}
