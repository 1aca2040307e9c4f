// CLI: run the compiled extension-host suites inside a real VS Code (code-server) extension host.
//   npx tsx test/harness/runHostTests.ts          (after `node esbuild.mjs --tests`)
// What it runs is the "Extension Tests" configuration of .vscode/launch.json (its extension folder, tests
// entry and env), the one F5 runs in a desktop VS Code, so the two cannot drift: a configuration the
// harness cannot follow fails here, and in CI (test/harness/launchConfig.ts).
// Env: VBOT_TEST_GREP   only tests whose full title matches (handed to mocha inside the host)
//      TEST_TIMEOUT_MS  whole-run limit, default 600000
//      VBOT_RESULT_FILE copy of the suite's result JSON for the caller (scripts/test.sh); not written
//                       when the suite never reported, which the caller counts as a failure
//      VBOT_EXT_DIR / VBOT_TESTS_ENTRY  other extension folder / compiled entry than launch.json's (harness selfcheck)
//      VBOT_HARNESS_VERBOSE=1, VBOT_KEEP_WORK=1  debugging the harness itself
// The extension host gets the configuration's env (VBOT_CRM_TEST_HOOKS=1), VBOT_TEST_RESULT and VBOT_TEST_GREP.
// It opens a fresh temp folder rather than the configuration's, so runs never share workspace state.
//
// Why the verdict comes from a JSON file and not only from codeAutomationExit: the exit code says
// pass/fail but not what failed, and mocha's console output is interleaved with workbench logs.
// test/host/index.ts writes { passed, failed, pending, failures } to $VBOT_TEST_RESULT, which the
// extension host sees because it inherits code-server's environment. A run counts as passed only
// when the exit code is 0, the file exists and it reports no failures.
// Nothing is built here, so a stale out/ is the caller's responsibility (scripts/test.sh builds).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, startWorkbench, type Workbench } from './codeServer';
import { extensionTestsLaunch } from './launchConfig';
import type { HostTestResult } from '../host/index';

async function main(): Promise<number> {
  const t0 = Date.now();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  let launch;
  try {
    launch = extensionTestsLaunch(REPO_ROOT);
  } catch (e) {
    console.error(`[host-tests] ${(e as Error).message}`);
    return 1;
  }
  const extDir = process.env.VBOT_EXT_DIR ? resolve(REPO_ROOT, process.env.VBOT_EXT_DIR) : launch.extensionDevelopmentPath;
  const entry = process.env.VBOT_TESTS_ENTRY ? resolve(REPO_ROOT, process.env.VBOT_TESTS_ENTRY) : launch.extensionTestsPath;
  const timeoutMs = Number(process.env.TEST_TIMEOUT_MS ?? 600_000);

  if (!existsSync(entry)) {
    console.error(`[host-tests] ${entry} not found; build it first: node esbuild.mjs --tests`);
    return 1;
  }
  const mainFile = JSON.parse(readFileSync(join(extDir, 'package.json'), 'utf8')).main as string | undefined;
  if (mainFile && !existsSync(join(extDir, mainFile)) && !existsSync(join(extDir, `${mainFile}.js`))) {
    console.error(`[host-tests] the extension's main ${mainFile} is missing in ${extDir}; build it first: node esbuild.mjs --tests`);
    return 1;
  }

  const tmp = mkdtempSync(join(tmpdir(), 'vbot-host-tests-'));
  process.once('exit', () => rmSync(tmp, { recursive: true, force: true })); // also after Ctrl+C
  const resultFile = join(tmp, 'result.json');
  let wb: Workbench | undefined;
  try {
    // launch.json's env has VBOT_CRM_TEST_HOOKS=1, which makes the extension export its SecretStorage/
    // globalState handles (src/extension.ts): the suites need them and a normal session never exposes them.
    const env: Record<string, string> = { ...launch.env, VBOT_TEST_RESULT: resultFile };
    if (process.env.VBOT_TEST_GREP) env.VBOT_TEST_GREP = process.env.VBOT_TEST_GREP;
    wb = await startWorkbench({
      extensionDevelopmentPath: extDir,
      extensionTestsPath: entry,
      folder: join(tmp, 'workspace'),
      env,
    });
    console.log(`[host-tests] workbench up in ${secs()} (${wb.origin})`);
    const code = await wb.waitForExit(timeoutMs);
    console.log(`[host-tests] extension host finished with code ${code} after ${secs()}`);
    if (!existsSync(resultFile)) {
      console.error('[host-tests] the suite wrote no result file (did run() get called? is VBOT_TEST_RESULT reaching the host?)');
      return 1;
    }
    const r = JSON.parse(readFileSync(resultFile, 'utf8')) as HostTestResult;
    if (process.env.VBOT_RESULT_FILE) copyFileSync(resultFile, resolve(process.env.VBOT_RESULT_FILE));
    for (const f of r.failures) console.log(`[host-tests] FAILED ${f.title}\n${f.error.replace(/^/gm, '    ')}`);
    console.log(`[host-tests] ${r.passed} passed, ${r.failed} failed, ${r.pending} pending`);
    return code === 0 && r.failed === 0 ? 0 : 1;
  } catch (e) {
    console.error(`[host-tests] ${(e as Error).message}`);
    return 1;
  } finally {
    await wb?.close();
  }
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
