// F5 without a desktop: the "Run Extension" configuration of .vscode/launch.json started the way VS Code
// starts it, in code-server, with the workbench driven like a person.
//
// What is taken from the configuration, not restated here: the extension folder, the folder the host
// opens, the environment (the sandbox URL, the demo VBotID and the cache folder the extension reads in a
// development host, src/core/devOverrides.ts), and its preLaunchTask's tasks from .vscode/tasks.json: the
// sandbox task's npm script, started and waited for with that task's own begins/ends patterns, and the
// demo-state task's command. Two deliberate differences, so a run never touches a contributor's F5 state
// nor clashes with a running `npm start`: the sandbox gets a free port (VBOT_SANDBOX_PORT=0, the base URL
// follows), and the state folder (.vscode-host/f5) is a fresh temp folder. The watch task is not run:
// like the other UI tests this one wants dist/ built first (`node esbuild.mjs`).
// Steps as in workbench.ui.ts; result JSON to $VBOT_RESULT_FILE; PNGs in test-results/ui-f5/.
//   npx tsx test/ui/runExtension.ui.ts
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { DEV_ENV } from '../../src/core/devOverrides';
import { REPO_ROOT, startWorkbench, type Workbench } from '../harness/codeServer';
import {
  hostLaunch,
  readLaunchConfiguration,
  readTasks,
  resolveVariables,
  taskClosure,
  taskLabel,
  type TaskDefinition,
} from '../harness/launchConfig';
import { screenshot } from '../harness/workbench';
import { showDemoTreeSignedOut, signInAsDemo } from './demoSetup';
import { UiSteps } from './uiSteps';

const SHOTS = join(REPO_ROOT, 'test-results', 'ui-f5');

interface Background {
  begins: RegExp;
  ends: RegExp;
}

function backgroundPatterns(task: TaskDefinition): Background {
  const m = task.problemMatcher as { background?: { beginsPattern?: string; endsPattern?: string } } | undefined;
  const b = m?.background;
  if (!task.isBackground || !b?.beginsPattern || !b.endsPattern)
    throw new Error(`task "${taskLabel(task)}" is not a background task with begins/ends patterns`);
  return { begins: new RegExp(b.beginsPattern), ends: new RegExp(b.endsPattern) };
}

/** Runs an npm-script background task as VS Code does and resolves once its ends pattern has been seen. */
function startBackgroundTask(task: TaskDefinition, env: NodeJS.ProcessEnv, timeoutMs = 60_000) {
  const { begins, ends } = backgroundPatterns(task);
  const child = spawn('npm', ['run', task.script!], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<string>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`task "${taskLabel(task)}": no line matching ${ends} within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    let begun = false;
    const onData = (d: Buffer) => {
      output += d.toString();
      for (const line of output.split(/\r?\n/)) {
        begun ||= begins.test(line);
        if (begun && ends.test(line)) {
          clearTimeout(timer);
          res(output);
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`task "${taskLabel(task)}" ended (${code}) before it was ready:\n${output}`));
    });
  });
  return { child, ready };
}

function stop(child: ChildProcess | undefined): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}

async function main(): Promise<void> {
  const steps = new UiSteps(SHOTS);
  const config = readLaunchConfiguration('Run Extension');
  const launch = hostLaunch(config);
  const tasks = config.preLaunchTask ? taskClosure(config.preLaunchTask, readTasks()) : [];
  const sandboxTask = tasks.find((t) => t.type === 'npm' && t.script === 'sandbox');
  const stateTask = tasks.find((t) => t.type === 'shell' && (t.args ?? []).some((a) => a.includes('devHostState')));
  if (!sandboxTask || !stateTask)
    throw new Error(
      'the preLaunchTask of "Run Extension" starts no sandbox (npm script "sandbox") or makes no demo state (scripts/devHostState.ts)',
    );
  if (!existsSync(join(launch.extensionDevelopmentPath, 'dist', 'extension.js')))
    throw new Error('dist/extension.js is missing; build it first: node esbuild.mjs');

  // The state folder as F5 has it, and the temp folder that stands in for it.
  const stateDir = resolveVariables(stateTask.args!.at(-1)!);
  const tempState = mkdtempSync(join(tmpdir(), 'vbot-f5-'));
  const relocate = (value: string) => {
    if (!isAbsolute(value)) return value;
    const rel = relative(stateDir, value);
    return rel.startsWith('..') || isAbsolute(rel) ? value : join(tempState, rel);
  };
  const made = spawnSync(
    stateTask.command!,
    stateTask.args!.map((a) => relocate(resolveVariables(a))),
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`task "${taskLabel(stateTask)}" failed: ${made.stderr}${made.stdout}`);

  let sandbox: ReturnType<typeof startBackgroundTask> | undefined;
  let wb: Workbench | undefined;
  try {
    sandbox = startBackgroundTask(sandboxTask, { ...process.env, VBOT_SANDBOX_PORT: '0' });
    const banner = await sandbox.ready;
    const sandboxUrl = /Base URL *: *(\S+)/.exec(banner)?.[1];
    if (!sandboxUrl) throw new Error(`the sandbox printed no base URL:\n${banner}`);
    const env = Object.fromEntries(Object.entries(launch.env).map(([k, v]) => [k, relocate(v)]));
    const configured = new URL(env[DEV_ENV.baseUrl] ?? '');
    const actual = new URL(sandboxUrl);
    configured.port = actual.port;
    if (configured.href !== actual.href)
      throw new Error(
        `launch.json's ${DEV_ENV.baseUrl} (${launch.env[DEV_ENV.baseUrl]}) is not the sandbox's URL (${sandboxUrl}) but for the port`,
      );
    env[DEV_ENV.baseUrl] = sandboxUrl;

    wb = await startWorkbench({
      extensionDevelopmentPath: launch.extensionDevelopmentPath,
      folder: launch.folder ? relocate(launch.folder) : undefined,
      env,
      viewport: { width: 1280, height: 800 },
    });
    const page = wb.page;
    steps.page = page;
    console.log(`UI tests, F5 "Run Extension" in code-server (sandbox ${sandboxUrl}, state ${tempState})`);
    await steps.run([
      [
        'the VBot CRM view shows the demo projects from the F5 cache folder, before any sign-in',
        async () => {
          await showDemoTreeSignedOut(page);
          await screenshot(page, SHOTS, '1-demo-projects');
        },
      ],
      [
        'sign in as the demo user: the sandbox the task started answers',
        async () => {
          await signInAsDemo(page);
          await screenshot(page, SHOTS, '2-signed-in');
        },
      ],
      [
        'the cache is the F5 one, not globalStorage, and the log says where the settings came from',
        async () => {
          steps.expect(existsSync(join(env[DEV_ENV.storageDir], 'customer-types.json')), 'the cache file is in the F5 cache folder');
          steps.expect(
            !existsSync(join(wb!.globalStorageDir('vbotcrm.vbot-crm'), 'customer-types.json')),
            'no cache file in globalStorage',
          );
          steps.saveExtensionLog(wb!.userDataDir);
          const log = existsSync(join(SHOTS, 'extension.log')) ? readFileSync(join(SHOTS, 'extension.log'), 'utf8') : '';
          steps.expect(
            log.includes('Development overrides from the launch configuration'),
            'the extension log names the development overrides',
          );
        },
      ],
    ]);
  } catch (e) {
    steps.startFailed(e);
  } finally {
    if (wb) steps.saveExtensionLog(wb.userDataDir);
    await wb?.close();
    stop(sandbox?.child);
    rmSync(tempState, { recursive: true, force: true });
    steps.finish('UI tests (F5: Run Extension)');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
