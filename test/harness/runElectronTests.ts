// `npm run test:electron`: the "Extension Tests" configuration of .vscode/launch.json, run by
// @vscode/test-electron in a desktop VS Code, for a contributor whose machine can download one (from
// update.code.visualstudio.com, into .vscode-test/) or has one: VBOT_VSCODE_EXECUTABLE=/path/to/code.
// CI cannot reach Microsoft's servers, so `npm test` runs the same configuration in code-server
// (runHostTests.ts); both read launch.json through launchConfig.ts.
// Env: VBOT_TEST_GREP (as for test:host), VBOT_VSCODE_VERSION (default 1.100.3, the code-server one).
// Like the F5 configuration it needs `node esbuild.mjs --tests` first (the npm script does that).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { extensionTestsLaunch } from './launchConfig';

async function main(): Promise<number> {
  const launch = extensionTestsLaunch();
  // A fresh folder for the suites to write workspace settings into, as the harness does.
  const folder = mkdtempSync(join(tmpdir(), 'vbot-electron-tests-'));
  try {
    await runTests({
      version: process.env.VBOT_VSCODE_VERSION ?? '1.100.3',
      vscodeExecutablePath: process.env.VBOT_VSCODE_EXECUTABLE || undefined,
      extensionDevelopmentPath: launch.extensionDevelopmentPath,
      extensionTestsPath: launch.extensionTestsPath,
      extensionTestsEnv: { ...launch.env, ...(process.env.VBOT_TEST_GREP ? { VBOT_TEST_GREP: process.env.VBOT_TEST_GREP } : {}) },
      launchArgs: [folder, ...(launch.disableExtensions ? ['--disable-extensions'] : [])],
    });
    return 0;
  } catch (e) {
    console.error(`[electron-tests] ${(e as Error)?.message ?? e}`);
    return 1;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
