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
import type { Page } from 'playwright-core';
import { HOST_FLAVOR, REPO_ROOT, codeServerCli, startWorkbench, type Workbench } from '../harness/codeServer';
import {
  acceptInput,
  openViewContainer,
  pickQuickItem,
  quickInput,
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
  /^dist\/main\.js$/,
  /^dist\/main\.\d+-\d+\.[\w.-]+\.cache$/, // V8's code cache of main.js, written by the extension after its first start
  /^dist\/deps\/[\w-]+\.js$/,
  /^dist\/lazy\/\w+\.js$/,
  /^package\.json$/,
  /^package\.nls(\.[\w-]+)?\.json$/,
  /^readme\.md$/i,
  /^changelog\.md$/i,
  /^LICENSE(\.txt)?$/,
  /^media\/[^/]+\.svg$/,
  /^media\/walkthrough\/[^/]+\.svg$/, // the walkthrough's pictures (contributes.walkthroughs)
  /^media\/[^/]+\.png$/,
  /^media\/[^/]+\.schema\.json$/,
  /^l10n\/[^/]+\.json$/,
  /^\.vsixmanifest$/,
];

/** The limit for the package, README screenshots and icon included. */
const MAX_VSIX_BYTES = 400_000;
/** The images README.md shows (`![alt](path)`): the Extensions page must show each from the installed copy. */
const README_IMAGES = [...readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);

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

/** Opens the installed extension's page in the editor (Extensions view, @enabled, a click on it). */
async function showDetailsPage(page: Page): Promise<void> {
  await runCommand(page, 'Extensions: Show Enabled Extensions');
  const row = page.locator('.extensions-viewlet .monaco-list-row').filter({ hasText: 'VBot CRM' }).first();
  await row.waitFor({ timeout: 60_000 });
  await row.click();
  await page.locator('.extension-editor > .header .name').filter({ hasText: 'VBot CRM' }).waitFor({ timeout: 60_000 });
}

type ShownImage = { src: string; width: number };
/** Run in a frame (a string: the tests compile without the DOM's types): its images, if it is the README. */
const IMAGES_OF_README = `(() => {
  if (![...document.querySelectorAll('h1')].some((h) => h.textContent.includes('VBot CRM for VS Code'))) return undefined;
  const imgs = [...document.querySelectorAll('img')];
  return { done: imgs.every((i) => i.complete), imgs: imgs.map((i) => ({ src: i.src, width: i.naturalWidth })) };
})()`;

/**
 * The <img>s of the README as the details page renders it. The page is a webview: an <iframe> in the
 * workbench whose document holds another, the one with the README, on the webview's own origin; the
 * workbench cannot read into it, playwright can (page.frames() lists the nested frames too). Waits
 * until `count` images are there and each has finished loading, with its natural width (0: broken).
 */
async function readmeImages(page: Page, count: number, timeout = 60_000): Promise<ShownImage[]> {
  const deadline = Date.now() + timeout;
  let last: ShownImage[] = [];
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = await frame.evaluate<{ done: boolean; imgs: ShownImage[] } | undefined>(IMAGES_OF_README).catch(() => undefined);
      if (!found) continue;
      last = found.imgs;
      if (found.done && found.imgs.length >= count) return found.imgs;
    }
    await page.waitForTimeout(250);
  }
  return last;
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
  let vsixBytes: number; // read now: a build by someone else may empty dist/ while the test runs
  try {
    vsix = theVsix();
    vsixBytes = statSync(vsix).size;
    console.log(`${relative(REPO_ROOT, vsix) || vsix}: ${(vsixBytes / 1024).toFixed(1)} KiB (${vsixBytes} bytes)`);
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
          steps.expect(existsSync(join(installed, 'media', 'icon.png')), 'media/icon.png is in the package');
          // The README's images travel inside the packaged README (scripts/packageReadme.ts), as data: URIs.
          const readme = readFileSync(join(installed, filesUnder(installed).find((f) => /^readme\.md$/i.test(f)) ?? 'readme.md'), 'utf8');
          const notInlined = README_IMAGES.filter(
            (f) => !readme.includes(`data:image/png;base64,${readFileSync(join(REPO_ROOT, f)).toString('base64')}`),
          );
          steps.expect(notInlined.length === 0, `README images not inlined in the installed readme.md: ${notInlined.join(', ')}`);
          steps.expect(vsixBytes <= MAX_VSIX_BYTES, `.vsix is ${vsixBytes} bytes, at most ${MAX_VSIX_BYTES}`);
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
        `the Extensions view's details page of the installed extension shows the README with its ${README_IMAGES.length} images and the icon`,
        async () => {
          await showDetailsPage(page);
          const shown = await readmeImages(page, README_IMAGES.length);
          const described = shown.map((i) => `${i.src.startsWith('data:') ? i.src.slice(0, 15) : i.src} ${i.width}px wide`);
          console.log(`      images in the details page: ${described.join(', ')}`);
          steps.expect(shown.length === README_IMAGES.length, `${README_IMAGES.length} images in the README, ${shown.length} in the page`);
          const broken = shown.filter((i) => i.width === 0);
          // VS Code 1.139 does not draw data: images in this page (1.100 does): its sanitizer keeps only http(s) image sources
          // there, and only https would load, from the internet (CONTRIBUTING.md, "README images on 1.139"). Reported, not asserted.
          if (HOST_FLAVOR === 'latest' && broken.length) console.log(`      NOT LOADED on the newest VS Code: ${broken.length} image(s)`);
          else steps.expect(broken.length === 0, `images that did not load: ${broken.map((i) => i.src).join(', ')}`);
          const icon = page.locator('.extension-editor > .header .icon-container img.icon');
          const iconWidth = await icon.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
          steps.expect(iconWidth === 128, `the icon in the page's header loaded at 128px: ${iconWidth}`);
          await screenshot(page, SHOTS, '3-extension-details-page');
          await page.keyboard.press('Escape');
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
          // The view's name, in Vietnamese: in the side bar's title while the container shows one view ("VBot CRM:
          // Kiểu khách hàng"), in the view's own header once it shows more (the History view beside it).
          await page
            .locator('.part.sidebar .composite.title, .part.sidebar .pane-header')
            .filter({ hasText: /Kiểu khách hàng/i })
            .waitFor({ timeout: 60_000 });
          await treeItem(page, 'Khách hàng cài từ gói').waitFor();
          await runCommand(page, 'VBot: Thêm kiểu khách hàng…');
          // After a reload the command's first run also loads its code; under load that can take a while. A dialog
          // instead of the project pick (e.g. "sign in first") is named in the failure.
          const dialog = page.locator('.monaco-dialog-box');
          const row = quickInput(page).locator('.monaco-list-row').filter({ hasText: 'CSKH' }).first();
          await row.or(dialog).first().waitFor({ timeout: 60_000 });
          if (await dialog.isVisible()) throw new Error(`a dialog instead of the project pick: ${await dialog.innerText()}`);
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
          await screenshot(page, SHOTS, '4-installed-vietnamese');
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
