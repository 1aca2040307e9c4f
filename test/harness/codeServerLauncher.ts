// What `npm run test:electron` hands @vscode/test-electron's runTests as `vscodeExecutablePath` when no desktop
// VS Code is downloaded: a stand-in for the `code` executable that runs the extension-host suites in code-server
// (the harness of runHostTests.ts) and exits with their verdict, as `code` exits with the tests' exit code.
//
// runTests (2.5) starts the executable with [...launchArgs, --no-sandbox, --disable-gpu-sandbox,
// --disable-updates, --skip-welcome, --skip-release-notes, --disable-workspace-trust,
// --extensionTestsPath=P, --extensionDevelopmentPath=P (one or more), --extensions-dir=D, --user-data-dir=D]
// and the environment process.env + extensionTestsEnv. Here:
// - the two paths and the folder (a launchArgs entry without "--") go to the workbench, as runHostTests does;
// - the environment reaches the extension host, which inherits code-server's;
// - the rest is already how the harness runs (no updates, no welcome, trust off, a fresh extensions dir and
//   user data in its own temp folder, which keeps runs apart better than runTests' .vscode-test/ dirs);
// - any other option fails the run instead of being dropped silently.
// Run as: node --import <tsx loader> test/harness/codeServerLauncher.ts <args> (runElectronTests.ts writes the
// small shell script that does so, since runTests spawns an executable file).
import { resolve } from 'node:path';
import { runHostSuite } from './runHostTests';

/** Options that change nothing here: the harness already runs this way (see above). */
const ALREADY_SO = [
  'no-sandbox',
  'disable-gpu-sandbox',
  'disable-updates',
  'skip-welcome',
  'skip-release-notes',
  'disable-workspace-trust',
  'disable-extensions',
  'extensions-dir',
  'user-data-dir',
];

export interface LauncherArgs {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  folder?: string;
}

/** The launcher's reading of runTests' arguments; throws on what it cannot follow. */
export function parseLauncherArgs(argv: string[]): LauncherArgs {
  const dev: string[] = [];
  const folders: string[] = [];
  let tests: string | undefined;
  for (const arg of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) folders.push(arg);
    else if (m[1] === 'extensionDevelopmentPath' && m[2]) dev.push(m[2]);
    else if (m[1] === 'extensionTestsPath' && m[2]) tests = m[2];
    else if (!ALREADY_SO.includes(m[1])) throw new Error(`${arg}: the code-server launcher does not know this option`);
  }
  if (dev.length !== 1) throw new Error(`one --extensionDevelopmentPath is needed, got ${dev.length}`);
  if (!tests) throw new Error('--extensionTestsPath is needed: the launcher only runs tests');
  if (folders.length > 1) throw new Error(`one folder to open at most, got ${folders.join(', ')}`);
  return { extensionDevelopmentPath: resolve(dev[0]), extensionTestsPath: resolve(tests), folder: folders[0] && resolve(folders[0]) };
}

async function main(): Promise<number> {
  let args: LauncherArgs;
  try {
    args = parseLauncherArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`[code-server launcher] ${(e as Error).message}`);
    return 1;
  }
  return runHostSuite({ ...args, env: {} });
}

if (require.main === module)
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
