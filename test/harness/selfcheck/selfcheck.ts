// Harness selfcheck: proves test/harness works on this machine without the real extension.
//   npx tsx test/harness/selfcheck/selfcheck.ts        (screenshots: test-results/harness-selfcheck/)
// 1. runHostTests passes with the throw-away extension in this folder, and exits 1 when a test fails;
//    VBOT_TEST_GREP narrows the run.
// 2. A UI drive through workbench.ts: palette command, input box, quick pick, modal, toast, tree view,
//    with screenshots.
// 3. options.env reaches the extension host, and globalStorageDir() is where the extension host
//    really puts context.globalStorageUri.
// The suite entry is the project's own test/host/index.ts, bundled like `node esbuild.mjs --tests`
// does, into out/harness-selfcheck/ (inside the repo so `require('mocha')` resolves).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { HOST_FLAVOR, REPO_ROOT, hostDescription, startWorkbench } from '../codeServer';
import * as wbx from '../workbench';

const HERE = __dirname;
const OUT = join(REPO_ROOT, 'out/harness-selfcheck');
const SHOTS = join(REPO_ROOT, 'test-results/harness-selfcheck');
const EXT_ID = 'VBotCRM.vbot-harness-selfcheck';
const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = (s: string) => console.log(`[selfcheck ${secs()}] ${s}`);

function check(cond: unknown, what: string): void {
  if (!cond) throw new Error(`selfcheck failed: ${what}`);
  log(`ok - ${what}`);
}

async function build(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(REPO_ROOT, 'test/host/index.ts')],
    outdir: OUT,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  copyFileSync(join(HERE, 'selfcheck.test.js'), join(OUT, 'selfcheck.test.js'));
}

function runHostTests(extraEnv: Record<string, string>): { code: number; output: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/harness/runHostTests.ts')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      VBOT_EXT_DIR: HERE,
      VBOT_TESTS_ENTRY: join(OUT, 'index.js'),
      VBOT_SELFCHECK_TOKEN: 'token-from-harness',
      VBOT_SELFCHECK_VSCODE: /VS Code ([\d.]+)/.exec(hostDescription())?.[1] ?? '',
      ...extraEnv,
    },
  });
  const output = `${r.stdout}${r.stderr}`;
  process.stdout.write(
    output
      .trimEnd()
      .split('\n')
      .map((l) => `    | ${l}\n`)
      .join(''),
  );
  return { code: r.status ?? 1, output, ms: Date.now() - started };
}

async function uiDrive(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'vbot-selfcheck-'));
  const infoFile = join(tmp, 'info.json');
  const started = Date.now();
  const wb = await startWorkbench({
    extensionDevelopmentPath: HERE,
    env: { SELFCHECK_INFO_FILE: infoFile, VBOT_SELFCHECK_TOKEN: 'token-via-options-env' },
    settings: { 'workbench.colorTheme': 'Default Light Modern' },
  });
  try {
    log(`workbench DOM up in ${Date.now() - started} ms at ${wb.origin}`);
    const { page } = wb;
    while (!existsSync(infoFile)) await page.waitForTimeout(100); // extension activation (onStartupFinished)
    log(`extension activated ${Date.now() - started} ms after start`);
    const info = JSON.parse(readFileSync(infoFile, 'utf8'));
    check(info.token === 'token-via-options-env', 'options.env reaches the extension host');
    check(
      info.globalStorage === wb.globalStorageDir(EXT_ID),
      `globalStorageDir() matches context.globalStorageUri (${info.globalStorage})`,
    );
    log(`host: VS Code ${info.vscodeVersion}, uiKind ${info.uiKind}, remoteName ${info.remoteName}, node ${info.node}`);
    await wbx.screenshot(page, SHOTS, '1-workbench');

    const t = Date.now();
    await wbx.runCommand(page, 'Selfcheck: Greet Someone');
    await wbx.typeIntoInput(page, 'Alice', { prompt: 'Your name?' });
    await wbx.screenshot(page, SHOTS, '2-input');
    await wbx.acceptInput(page);
    await wbx.pickQuickItem(page, 'Green');
    await wbx.screenshot(page, SHOTS, '3-modal');
    await wbx.clickModalButton(page, 'Save');
    if (HOST_FLAVOR === 'latest') {
      // 1.139 with --enable-smoke-test-driver (how it loads a development extension) shows no toasts at all
      // (NotificationsToasts.addToast); the message is in the notification centre.
      await wbx.runCommand(page, 'Notifications: Show Notifications');
      await page.locator('.notifications-center').getByText('Saved Alice (Green)').waitFor({ timeout: 15_000 });
      check(true, 'the notification centre shows the result (no toasts in smoke-test mode)');
    } else {
      const toast = await wbx.waitForNotification(page, 'Saved Alice (Green)');
      check((await toast.innerText()).includes('Saved Alice'), 'notification toast shows the result');
    }
    await wbx.screenshot(page, SHOTS, '4-notification');
    const saved = JSON.parse(readFileSync(join(wb.globalStorageDir(EXT_ID), 'greeting.json'), 'utf8'));
    check(saved.name === 'Alice' && saved.colour === 'Green', 'extension wrote to globalStorageDir()');

    await wbx.openViewContainer(page, 'Selfcheck');
    await wbx.openViewContainer(page, 'Selfcheck'); // second call must not close it
    await wbx.treeItem(page, 'Alice').waitFor({ timeout: 15_000 });
    check(await wbx.treeItem(page, 'Beta').isVisible(), 'tree view shows items');
    await wbx.screenshot(page, SHOTS, '5-tree');
    log(`UI drive took ${Date.now() - t} ms; screenshots in ${SHOTS}`);
  } catch (e) {
    await wbx.screenshot(wb.page, SHOTS, 'error').catch(() => undefined);
    throw e;
  } finally {
    await wb.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  check(!existsSync(wb.workDir), 'close() removed the temp folder');
  const left = spawnSync('pgrep', ['-f', wb.workDir], { encoding: 'utf8' }).stdout.trim();
  check(left === '', 'close() left no code-server/extension-host processes behind');
}

async function main(): Promise<void> {
  await build();
  log('built test/host/index.ts into out/harness-selfcheck');

  const pass = runHostTests({});
  check(pass.code === 0 && /2 passed, 0 failed, 2 pending/.test(pass.output), `passing suite exits 0 (${pass.ms} ms)`);
  check(/\[selfcheck\] \{"token"/.test(pass.output), 'mocha/console output of the extension host is relayed');

  const fail = runHostTests({ SELFCHECK_FAIL: '1' });
  check(
    fail.code === 1 && /2 passed, 1 failed, 1 pending/.test(fail.output) && /deliberate failure/.test(fail.output),
    `failing suite exits 1 and names the failure (${fail.ms} ms)`,
  );

  const grep = runHostTests({ VBOT_TEST_GREP: 'environment' });
  check(grep.code === 0 && /1 passed, 0 failed, 0 pending/.test(grep.output), 'VBOT_TEST_GREP narrows the run');

  await uiDrive();
  rmSync(OUT, { recursive: true, force: true });
  log('all good');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
