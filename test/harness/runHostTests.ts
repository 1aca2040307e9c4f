// CLI: run the compiled extension-host suites inside a real VS Code (code-server) extension host.
//   npx tsx test/harness/runHostTests.ts          (after `node esbuild.mjs --tests`)
// What it runs is the "Extension Tests" configuration of .vscode/launch.json (its extension folder, tests
// entry and env), the one F5 runs in a desktop VS Code, so the two cannot drift: a configuration the
// harness cannot follow fails here, and in CI (test/harness/launchConfig.ts).
// Env: VBOT_TEST_GREP   only tests whose full title matches (handed to mocha inside the host)
//      VBOT_TEST_SUBSET=every-command  only EVERY_COMMAND_SUBSET below (each command once; what the newest VS Code runs)
//      VBOT_VSCODE_HOST=latest  on the newest code-server (scripts/install-vscode-host-latest.sh) instead of 4.100.3
//      TEST_TIMEOUT_MS  whole-run limit, default 1800000 (the suite takes ~17 min on a quiet 2-core machine)
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
// runHostSuite() is also what @vscode/test-electron's runTests drives through codeServerLauncher.ts
// (`npm run test:electron`), so both ways of running the suites judge a run the same way.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, hostDescription, startWorkbench, type Workbench } from './codeServer';
import { extensionTestsLaunch } from './launchConfig';
import type { HostTestResult } from '../host/index';

/**
 * Titles (their start) of host tests that together run every command once: sign-in, the four type changes,
 * import/export, plan/apply, history/undo, profiles; the activation test registers every contributed one.
 * `npm test` runs them on the newest VS Code, where the whole suite would double the run for little news.
 */
export const EVERY_COMMAND_SUBSET = [
  'activation registers every contributed command',
  'sign-in and secrets sign-in stores access and refresh tokens',
  'sign-in and secrets a pasted access token is stored and used',
  'sign-in and secrets sign-out removes every secret',
  'customer type commands addType with arguments creates',
  'customer type commands editTypeName with arguments',
  'customer type commands changeTypeCode sends',
  'customer type commands deleteType with skipConfirmation',
  'customer type commands copyTypeCode',
  'import and export imports a CSV',
  'import and export exports a project to CSV and JSON',
  'customer types as code: plan and apply plans every kind of difference',
  'customer types as code: plan and apply apply with failures in the middle',
  'history and undo shows the history of a project',
  'history and undo undoes a rename, a code change and a create',
  'profiles switching profile switches server',
  'customer type tree removeProject forgets',
  'reliability secrets after a session of every command',
  'API compatibility check finds and remembers the body type_no_old/type_no_new',
];
const subsetGrep = (titles: string[]) => `^(${titles.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;

async function main(): Promise<number> {
  let launch;
  try {
    launch = extensionTestsLaunch(REPO_ROOT);
  } catch (e) {
    console.error(`[host-tests] ${(e as Error).message}`);
    return 1;
  }
  return runHostSuite({
    extensionDevelopmentPath: process.env.VBOT_EXT_DIR ? resolve(REPO_ROOT, process.env.VBOT_EXT_DIR) : launch.extensionDevelopmentPath,
    extensionTestsPath: process.env.VBOT_TESTS_ENTRY ? resolve(REPO_ROOT, process.env.VBOT_TESTS_ENTRY) : launch.extensionTestsPath,
    env: launch.env,
  });
}

export interface HostSuiteRun {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  /** For the extension host, over this process's own environment (which it inherits too). */
  env: Record<string, string>;
  /** The folder the workbench opens; default: a fresh one in the run's temp folder. */
  folder?: string;
}

/** Runs the suites in code-server and judges the run (exit code and result file); 0 when every test passed. */
export async function runHostSuite(run: HostSuiteRun): Promise<number> {
  const t0 = Date.now();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const extDir = run.extensionDevelopmentPath;
  const entry = run.extensionTestsPath;
  const timeoutMs = Number(process.env.TEST_TIMEOUT_MS ?? 1_800_000);

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
    const env: Record<string, string> = { ...run.env, VBOT_TEST_RESULT: resultFile };
    if (process.env.VBOT_TEST_GREP) env.VBOT_TEST_GREP = process.env.VBOT_TEST_GREP;
    else if (process.env.VBOT_TEST_SUBSET === 'every-command') env.VBOT_TEST_GREP = subsetGrep(EVERY_COMMAND_SUBSET);
    else if (process.env.VBOT_TEST_SUBSET)
      throw new Error(`VBOT_TEST_SUBSET=${process.env.VBOT_TEST_SUBSET}: only "every-command" is known`);
    const host = hostDescription();
    console.log(`[host-tests] on ${host}${env.VBOT_TEST_GREP ? `, tests matching ${env.VBOT_TEST_GREP}` : ''}`);
    wb = await startWorkbench({
      extensionDevelopmentPath: extDir,
      extensionTestsPath: entry,
      folder: run.folder ?? join(tmp, 'workspace'),
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
    if (process.env.VBOT_RESULT_FILE) writeFileSync(resolve(process.env.VBOT_RESULT_FILE), JSON.stringify({ ...r, host }, null, 2));
    for (const f of r.failures) console.log(`[host-tests] FAILED ${f.title}\n${f.error.replace(/^/gm, '    ')}`);
    console.log(`[host-tests] ${r.passed} passed, ${r.failed} failed, ${r.pending} pending on ${host}`);
    return code === 0 && r.failed === 0 ? 0 : 1;
  } catch (e) {
    console.error(`[host-tests] ${(e as Error).message}`);
    return 1;
  } finally {
    await wb?.close();
  }
}

if (require.main === module)
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
