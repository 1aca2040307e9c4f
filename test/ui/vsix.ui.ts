// The packaged extension, as a user gets it: `npm run package` gives dist/vbot-crm.vsix, code-server
// installs it with --install-extension into a fresh extensions dir, and the workbench opens with NO
// development extension (no payload in the URL), so only the installed, minified bundle can run.
// Then, driven like a person: the view shows the demo projects, sign in from the palette, add a
// type, and the sandbox received it; last, the same in Vietnamese after a reload.
// Steps as in workbench.ui.ts; result JSON to $VBOT_RESULT_FILE; PNGs in test-results/ui-vsix/.
//   npx tsx test/ui/vsix.ui.ts                        (runs `npm run package` first)
//   VBOT_VSIX=dist/vbot-crm.vsix npx tsx test/ui/vsix.ui.ts   (uses that .vsix as it is)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { HOST_FLAVOR, REPO_ROOT, codeServerCli, startWorkbench, type Workbench } from '../harness/codeServer';
import {
  acceptInput,
  openViewContainer,
  pickQuickItem,
  runCommand,
  screenshot,
  treeItem,
  typeIntoInput,
  waitForNotification,
} from '../harness/workbench';
import { DEMO_USER, DEMO_VBOT_ID, demoSeed } from '../sandbox/demoData';
import { VbotSandbox } from '../sandbox/vbotSandbox';
import { demoWorkbenchOptions, showDemoTreeSignedOut, signInAsDemo } from './demoSetup';
import { UiSteps } from './uiSteps';

// VBOT_VSCODE_HOST=latest: the same steps on the newest code-server, PNGs in test-results/ui-vsix-latest/.
const SHOTS = join(REPO_ROOT, 'test-results', HOST_FLAVOR === 'latest' ? 'ui-vsix-latest' : 'ui-vsix');
const EXTENSION_ID = 'vbotcrm.vbot-crm';
const { version: VERSION } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
/** What an installed copy may hold: the .vsix's extension/ folder, plus the marker code-server writes. */
const ALLOWED_FILES = [
  /^dist\/extension\.js$/,
  /^dist\/deps\/[\w-]+\.js$/,
  /^dist\/lazy\/\w+\.js$/,
  /^package\.json$/,
  /^package\.nls(\.[\w-]+)?\.json$/,
  /^readme\.md$/i,
  /^changelog\.md$/i,
  /^LICENSE(\.txt)?$/,
  /^media\/[^/]+\.svg$/,
  /^media\/[^/]+\.schema\.json$/,
  /^l10n\/[^/]+\.json$/,
  /^\.vsixmanifest$/,
];

/** $VBOT_VSIX when it names a file, else a fresh `npm run package` (its output shown as it runs). */
function theVsix(): string {
  const given = process.env.VBOT_VSIX;
  if (given && existsSync(given)) {
    console.log(`using VBOT_VSIX=${given}`);
    return resolve(given);
  }
  if (given) console.log(`VBOT_VSIX=${given} does not exist: packaging`);
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', 'package'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run package failed (exit ${r.status ?? r.signal})`);
  console.log(`npm run package: ${Date.now() - t0} ms`);
  return join(REPO_ROOT, 'dist', 'vbot-crm.vsix');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split('\\').join('/'));
}

async function main(): Promise<void> {
  const steps = new UiSteps(SHOTS);
  let vsix: string;
  try {
    vsix = theVsix();
    console.log(`${relative(REPO_ROOT, vsix) || vsix}: ${(statSync(vsix).size / 1024).toFixed(1)} KiB`);
  } catch (e) {
    steps.startFailed(e);
    steps.finish('UI (vsix)');
    return;
  }
  const sandbox = await VbotSandbox.start({ seed: demoSeed(), users: [DEMO_USER] });
  let wb: Workbench | undefined;
  try {
    const t0 = Date.now();
    wb = await startWorkbench({
      // No extensionDevelopmentPath: the installed copy is the only one there is.
      installExtensions: [vsix],
      ...demoWorkbenchOptions(sandbox),
      viewport: { width: 1280, height: 800 },
    });
    console.log(`install + code-server + workbench: ${Date.now() - t0} ms`);
    const page = wb.page;
    const w = wb;
    steps.page = page;
    console.log('UI tests, the packaged .vsix installed with --install-extension (real workbench)');
    await steps.run([
      [
        `code-server --list-extensions --show-versions lists ${EXTENSION_ID}@${VERSION}, installed with only the packaged files`,
        async () => {
          const listed = codeServerCli(w.workDir, ['--list-extensions', '--show-versions'], { ...process.env, EXTENSIONS_GALLERY: '{}' });
          console.log(`      --list-extensions: ${listed.trim().split('\n').join(', ')}`);
          steps.expect(
            listed
              .split('\n')
              .map((l) => l.trim())
              .includes(`${EXTENSION_ID}@${VERSION}`),
            `listed: ${JSON.stringify(listed)}`,
          );
          steps.expect(!w.url.includes('payload='), `no development extension in the URL: ${w.url}`);
          const installed = join(w.extensionsDir, `${EXTENSION_ID}-${VERSION}`);
          steps.expect(existsSync(join(installed, 'dist', 'extension.js')), `${installed}/dist/extension.js exists`);
          const stray = filesUnder(installed).filter((f) => !ALLOWED_FILES.some((re) => re.test(f)));
          steps.expect(stray.length === 0, `files that do not belong in the package: ${stray.join(', ')}`);
        },
      ],
      [
        'the VBot CRM view shows the demo projects and says the user is signed out',
        async () => {
          await showDemoTreeSignedOut(page);
          await screenshot(page, SHOTS, '1-installed-tree-signed-out');
        },
      ],
      [
        'sign in from the command palette with username and password',
        async () => {
          await signInAsDemo(page);
          steps.expect(
            sandbox.requests.some((r) => r.path === '/token'),
            'the sandbox received /token',
          );
        },
      ],
      [
        'add a customer type from the palette: the sandbox has it, the tree shows it',
        async () => {
          await runCommand(page, 'VBot: Add Customer Type…');
          await pickQuickItem(page, 'SALES');
          await typeIntoInput(page, 'KH_VSIX', { prompt: /Code of the new customer type/ });
          await acceptInput(page);
          await typeIntoInput(page, 'Khách hàng cài từ gói', { prompt: /Name of customer type/ });
          await acceptInput(page);
          await waitForNotification(page, /Khách hàng cài từ gói/);
          await treeItem(page, 'Khách hàng cài từ gói').waitFor();
          const created = sandbox.types(DEMO_VBOT_ID, 'SALES').find((t) => t.typeNo === 'KH_VSIX');
          steps.expect(created?.typeName === 'Khách hàng cài từ gói', `created on the server, name intact: ${JSON.stringify(created)}`);
          steps.expect(
            sandbox.requests.some((r) => r.path === '/api/crm/type/create'),
            'the sandbox received /api/crm/type/create',
          );
          await screenshot(page, SHOTS, '2-installed-type-added');
        },
      ],
      [
        'in Vietnamese (display language vi, window reloaded): the installed package.nls.vi.json and l10n bundle are used',
        async () => {
          // No Vietnamese language pack can be installed offline, so VS Code's own UI stays English; the
          // workbench's display language is what the missing pack would set, and the extension host's
          // vscode.env.language follows it. A reload, as after changing the display language.
          await page.addInitScript(() => {
            (globalThis as { _VSCODE_NLS_LANGUAGE?: string })._VSCODE_NLS_LANGUAGE = 'vi';
          });
          // The workbench's own reload (what a change of display language does): it lets the window finish
          // saving its state, secrets included, before it goes; page.reload() could cut that short, and the
          // window came back signed out (1 run in 5).
          const reloaded = page.waitForEvent('load', { timeout: 90_000 });
          await runCommand(page, 'Developer: Reload Window');
          await reloaded;
          await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
          await openViewContainer(page, 'VBot CRM', 60_000);
          // A container with one view shows its name in the side bar's title: "VBot CRM: Kiểu khách hàng".
          await page
            .locator('.part.sidebar .composite.title')
            .filter({ hasText: /Kiểu khách hàng/i })
            .waitFor({ timeout: 60_000 });
          await treeItem(page, 'Khách hàng cài từ gói').waitFor();
          await runCommand(page, 'VBot: Thêm kiểu khách hàng…');
          await pickQuickItem(page, 'CSKH');
          await typeIntoInput(page, 'KH_VI', { prompt: /Mã kiểu của kiểu khách hàng mới trong dự án CSKH/ });
          await acceptInput(page);
          await typeIntoInput(page, 'Khách hàng nói tiếng Việt', { prompt: /Tên kiểu của kiểu khách hàng KH_VI/ });
          await acceptInput(page);
          await waitForNotification(page, /Đã thêm kiểu khách hàng "Khách hàng nói tiếng Việt" \(KH_VI\) vào dự án CSKH/);
          await treeItem(page, 'Khách hàng nói tiếng Việt').waitFor();
          steps.expect(
            sandbox.types(DEMO_VBOT_ID, 'CSKH').some((t) => t.typeNo === 'KH_VI'),
            'created on the server',
          );
          await screenshot(page, SHOTS, '3-installed-vietnamese');
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
  steps.finish('UI (vsix)');
}

void main();
