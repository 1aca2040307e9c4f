// `npm run test:electron`: the "Extension Tests" configuration of .vscode/launch.json run by @vscode/test-electron's
// runTests, in one of three VS Codes:
// - by default code-server, as `npm test` runs it: `vscodeExecutablePath` is a small launcher script
//   (codeServerLauncher.ts) that maps runTests' arguments onto the harness and exits with the suite's verdict;
// - VBOT_VSCODE_DOWNLOAD=1: a desktop VS Code that runTests downloads from update.code.visualstudio.com into
//   .vscode-test/ (VBOT_VSCODE_VERSION, default 1.100.3, the code-server one), for machines that reach it;
// - VBOT_VSCODE_EXECUTABLE=/path/to/code: a desktop VS Code you have.
// Both read launch.json through launchConfig.ts. Env: VBOT_TEST_GREP (as for test:host); with code-server also
// VBOT_TEST_SUBSET, VBOT_RESULT_FILE, TEST_TIMEOUT_MS, VBOT_VSCODE_HOST (runHostTests.ts).
// Like the F5 configuration it needs `node esbuild.mjs --tests` first (the npm script does that).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { extensionTestsLaunch } from './launchConfig';

type Host = { kind: 'code-server'; launcher: string } | { kind: 'download'; version: string } | { kind: 'executable'; path: string };

/** Which VS Code runs the suites, from the environment (see above). */
export function pickHost(env: NodeJS.ProcessEnv, workDir: string): Host {
  if (env.VBOT_VSCODE_EXECUTABLE) return { kind: 'executable', path: env.VBOT_VSCODE_EXECUTABLE };
  if (env.VBOT_VSCODE_DOWNLOAD === '1') return { kind: 'download', version: env.VBOT_VSCODE_VERSION ?? '1.100.3' };
  return { kind: 'code-server', launcher: join(workDir, 'code-server-launcher.sh') };
}

/** runTests spawns an executable file: a shell script running the launcher with this Node and tsx. */
function writeLauncher(file: string): void {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const launcher = join(__dirname, 'codeServerLauncher.ts');
  writeFileSync(file, `#!/bin/sh\nexec ${q(process.execPath)} --import ${q(tsx)} ${q(launcher)} "$@"\n`);
  chmodSync(file, 0o755);
}

async function main(): Promise<number> {
  const launch = extensionTestsLaunch();
  const work = mkdtempSync(join(tmpdir(), 'vbot-electron-tests-'));
  // A fresh folder for the suites to write workspace settings into, as the harness does.
  const folder = join(work, 'workspace');
  const host = pickHost(process.env, work);
  try {
    mkdirSync(folder);
    if (host.kind === 'code-server') writeLauncher(host.launcher);
    console.log(`[electron-tests] runTests with ${host.kind === 'download' ? `VS Code ${host.version} (downloaded)` : host.kind}`);
    await runTests({
      version: host.kind === 'download' ? host.version : undefined,
      vscodeExecutablePath: host.kind === 'code-server' ? host.launcher : host.kind === 'executable' ? host.path : undefined,
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
    rmSync(work, { recursive: true, force: true });
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
