// `npm run test:electron` drives code-server through @vscode/test-electron's runTests with a launcher as its
// `vscodeExecutablePath` (test/harness/codeServerLauncher.ts). These tests hand runTests, the installed version,
// a stand-in executable that records what it is started with, and check that the launcher understands exactly
// that: a new runTests option the launcher cannot follow fails here, not silently in a run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { parseLauncherArgs } from '../../test/harness/codeServerLauncher';
import { pickHost } from '../../test/harness/runElectronTests';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vbot-launcher-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** What runTests starts the executable with: its arguments and the environment value it was told to pass. */
async function argsOfRunTests(exitCode: number): Promise<{ argv: string[]; hooks: string; exit: number | 'resolved' }> {
  const record = join(dir, `argv-${exitCode}.json`);
  const exe = join(dir, `fake-code-${exitCode}`);
  writeFileSync(
    exe,
    `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), hooks: process.env.VBOT_CRM_TEST_HOOKS }));\nprocess.exit(${exitCode});\n`,
  );
  chmodSync(exe, 0o755);
  let exit: number | 'resolved';
  try {
    await runTests({
      vscodeExecutablePath: exe,
      extensionDevelopmentPath: '/repo',
      extensionTestsPath: '/repo/out/test/host/index.js',
      extensionTestsEnv: { VBOT_CRM_TEST_HOOKS: '1' },
      launchArgs: [join(dir, 'workspace'), '--disable-extensions'],
    });
    exit = 'resolved';
  } catch (e) {
    exit = (e as { code?: number }).code ?? -1;
  }
  return { ...(JSON.parse(readFileSync(record, 'utf8')) as { argv: string[]; hooks: string }), exit };
}

describe('runTests drives the code-server launcher', () => {
  test("runTests drives the code-server launcher: the launcher reads every argument runTests passes, and runTests hears the suite's verdict", async () => {
    const passed = await argsOfRunTests(0);
    assert.deepEqual(parseLauncherArgs(passed.argv), {
      extensionDevelopmentPath: '/repo',
      extensionTestsPath: '/repo/out/test/host/index.js',
      folder: join(dir, 'workspace'),
    });
    assert.equal(passed.hooks, '1', 'extensionTestsEnv reaches the launcher, and code-server inherits it');
    assert.equal(passed.exit, 'resolved');
    assert.equal((await argsOfRunTests(1)).exit, 1, 'a failed suite (exit 1) fails runTests');
  });

  test('runTests drives the code-server launcher: an option the launcher cannot follow, or a missing path, is refused', () => {
    assert.throws(() => parseLauncherArgs(['--extensionDevelopmentPath=/r', '--extensionTestsPath=/t', '--locale=vi']), /--locale=vi/);
    assert.throws(() => parseLauncherArgs(['--extensionDevelopmentPath=/r']), /--extensionTestsPath is needed/);
    assert.throws(() => parseLauncherArgs(['--extensionTestsPath=/t', '/a', '/b']), /one --extensionDevelopmentPath/);
  });

  test('runTests drives the code-server launcher: code-server by default, a download or an executable when the environment says', () => {
    assert.equal(pickHost({}, '/w').kind, 'code-server');
    assert.deepEqual(pickHost({ VBOT_VSCODE_DOWNLOAD: '1' }, '/w'), { kind: 'download', version: '1.100.3' });
    assert.deepEqual(pickHost({ VBOT_VSCODE_DOWNLOAD: '1', VBOT_VSCODE_VERSION: 'stable' }, '/w'), { kind: 'download', version: 'stable' });
    assert.deepEqual(pickHost({ VBOT_VSCODE_EXECUTABLE: '/opt/code' }, '/w'), { kind: 'executable', path: '/opt/code' });
  });
});
