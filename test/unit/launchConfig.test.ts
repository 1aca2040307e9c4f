// F5 stays honest: .vscode/launch.json and tasks.json point at what the build produces, the tasks they
// name exist and do what the configurations expect of them, and the sandbox task's ready pattern matches
// what the sandbox really prints. The host-test harness runs "Extension Tests" from the same file
// (test/harness/runHostTests.ts), and test/ui/runExtension.ui.ts starts "Run Extension" in code-server.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_ENV, readDevOverrides } from '../../src/core/devOverrides';
import {
  REPO_ROOT,
  extensionTestsLaunch,
  hostLaunch,
  parseJsonc,
  readLaunchConfiguration,
  readTasks,
  resolveVariables,
  taskClosure,
  taskLabel,
  type TaskDefinition,
} from '../harness/launchConfig';
import { DEMO_VBOT_ID } from '../sandbox/demoData';

const read = (rel: string) => readFileSync(join(REPO_ROOT, rel), 'utf8');
const pkg = JSON.parse(read('package.json')) as { main: string; scripts: Record<string, string> };
const esbuildMjs = read('esbuild.mjs');
const tasks = readTasks();
const task = (label: string) => tasks.find((t) => taskLabel(t) === label);

describe('parseJsonc', () => {
  it('reads comments and trailing commas, and leaves strings alone', () => {
    const text = `// head
      { /* a */ "url": "http://x//y", "glob": "a/*b*/c", "q": "say \\"//\\"", // tail
        "list": [1, 2, /* in */ ], "o": { "k": true, },
      }`;
    assert.deepEqual(parseJsonc(text), { url: 'http://x//y', glob: 'a/*b*/c', q: 'say "//"', list: [1, 2], o: { k: true } });
  });
  it('fails on what JSON.parse fails on', () => {
    assert.throws(() => parseJsonc('{ "a": 1 "b": 2 }'), SyntaxError);
    assert.throws(() => parseJsonc('{ /* open'), /unterminated/);
  });
  it('only ${workspaceFolder} is substituted; other variables are refused', () => {
    assert.equal(resolveVariables('${workspaceFolder}/dist', '/r'), '/r/dist');
    assert.throws(() => resolveVariables('${env:HOME}/x', '/r'), /not understood/);
  });
  it('an argument the harness would silently drop is refused, so a configuration cannot say more than CI runs', () => {
    const config = (args: string[]) => ({ name: 'x', type: 'extensionHost', request: 'launch', args });
    assert.deepEqual(hostLaunch(config(['--extensionDevelopmentPath=${workspaceFolder}', '--extensionTestsPath=out/t.js', 'ws']), '/r'), {
      env: {},
      disableExtensions: false,
      extensionDevelopmentPath: '/r',
      extensionTestsPath: '/r/out/t.js',
      folder: '/r/ws',
    });
    assert.throws(
      () => hostLaunch(config(['--extensionDevelopmentPath=/e', '--profile-temp']), '/r'),
      /does not understand the argument "--profile-temp"/,
    );
    assert.throws(() => hostLaunch(config(['--extensionDevelopmentPath', '/e']), '/r'), /does not understand/);
    assert.throws(() => hostLaunch(config(['ws']), '/r'), /no --extensionDevelopmentPath/);
  });
});

describe('"Run Extension"', () => {
  const config = readLaunchConfiguration('Run Extension');
  const launch = hostLaunch(config);

  it('loads this folder as the development extension, whose main is what esbuild.mjs writes', () => {
    assert.equal(launch.extensionDevelopmentPath, REPO_ROOT);
    assert.equal(pkg.main.replace(/^\.\//, ''), 'dist/extension.js');
    // dist/extension.js is the loader (src/mainLoader.ts) that runs src/extension.ts's bundle, dist/main.js.
    assert.match(
      esbuildMjs,
      /entryPoints: \['src\/mainLoader\.ts'\],\s*outfile: 'dist\/extension\.js'/,
      'esbuild.mjs bundles src/mainLoader.ts into dist/extension.js',
    );
    assert.match(
      esbuildMjs,
      /entryPoints: \['src\/extension\.ts'\],\s*outfile: 'dist\/main\.js'/,
      'esbuild.mjs bundles src/extension.ts into dist/main.js',
    );
    assert.ok(
      config.outFiles?.some((g) => resolveVariables(g) === join(REPO_ROOT, 'dist/**/*.js')),
      'outFiles covers dist/ (source maps)',
    );
  });

  it('gives the development host the sandbox URL, the demo VBotID and a cache folder of its own', () => {
    const o = readDevOverrides(launch.env);
    assert.ok(o, `env sets ${Object.values(DEV_ENV).join(', ')}`);
    assert.equal(new URL(o.baseUrl!).href, 'http://127.0.0.1:8787/v2.0');
    assert.equal(o.vbotId, DEMO_VBOT_ID);
    assert.ok(
      o.storageDir?.startsWith(join(REPO_ROOT, '.vscode-host') + '/'),
      `the cache folder is under .vscode-host/ (ignored by git): ${o.storageDir}`,
    );
    assert.deepEqual(Object.keys(launch.env).sort(), Object.values(DEV_ENV).sort(), 'no other variables');
  });

  it('its preLaunchTask runs the default build task (esbuild watch), the sandbox and the demo state, which makes the folders it names', () => {
    assert.ok(config.preLaunchTask, 'has a preLaunchTask');
    const closure = taskClosure(config.preLaunchTask, tasks);
    const labels = closure.map(taskLabel);
    const watch = tasks.find((t) => typeof t.group === 'object' && t.group.kind === 'build' && t.group.isDefault);
    assert.ok(
      watch && watch.type === 'npm' && pkg.scripts[watch.script!] === 'node esbuild.mjs --watch',
      'the default build task is the npm watch script',
    );
    assert.equal(watch.problemMatcher, '$esbuild-watch');
    assert.equal(watch.isBackground, true);
    assert.ok(labels.includes(taskLabel(watch)), 'F5 starts the watch');
    // $esbuild-watch waits for these two lines (connor4312.esbuild-problem-matchers).
    assert.match(esbuildMjs, /console\.log\('\[watch\] build started'\)/);
    assert.match(esbuildMjs, /console\.log\('\[watch\] build finished'\)/);

    const sandbox = closure.find((t) => t.type === 'npm' && t.script === 'sandbox');
    assert.ok(sandbox?.isBackground && pkg.scripts.sandbox, 'F5 starts `npm run sandbox` in the background');

    const state = closure.find((t) => (t.args ?? []).includes('scripts/devHostState.ts'));
    assert.ok(state, 'F5 makes the demo state (scripts/devHostState.ts)');
    const stateDir = resolveVariables(state.args!.at(-1)!);
    assert.equal(launch.folder, join(stateDir, 'workspace'), 'the host opens the workspace the state task makes');
    assert.equal(launch.env[DEV_ENV.storageDir], join(stateDir, 'storage'), 'the cache folder is the one the state task seeds');
  });

  it('the sandbox task is ready exactly when the sandbox is, on the port the base URL names', async () => {
    const sandbox = task('npm: sandbox') as TaskDefinition & {
      problemMatcher: { background: { beginsPattern: string; endsPattern: string } };
    };
    const { beginsPattern, endsPattern } = sandbox.problemMatcher.background;
    const usage = spawnSync(process.execPath, ['--import', 'tsx', 'test/sandbox/main.ts', '--help'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).stdout;
    assert.match(usage, /default: \$VBOT_SANDBOX_PORT or 8787\b/, 'the sandbox listens on 8787 by default');
    // The script of `npm run sandbox`, on a free port.
    const [bin, ...args] = pkg.scripts.sandbox.split(' ');
    assert.equal(bin, 'tsx');
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, VBOT_SANDBOX_PORT: '0' },
    });
    try {
      const lines: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${endsPattern}:\n${lines.join('\n')}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          lines.push(...d.toString().split(/\r?\n/));
          if (lines.some((l) => new RegExp(endsPattern).test(l))) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the sandbox ended (${code}):\n${lines.join('\n')}`));
        });
      });
      const begins = lines.findIndex((l) => new RegExp(beginsPattern).test(l));
      const ends = lines.findIndex((l) => new RegExp(endsPattern).test(l));
      assert.ok(begins >= 0 && begins < ends, 'begins before it ends');
      const url = new URL(/Base URL *: *(\S+)/.exec(lines.join('\n'))![1]);
      assert.ok(
        lines.some((l) => /Admin key *: *\S+/.test(l)),
        'the task terminal shows the admin key',
      );
      url.port = '8787';
      assert.equal(url.href, readDevOverrides(hostLaunch(readLaunchConfiguration('Run Extension')).env)!.baseUrl);
    } finally {
      child.kill();
    }
  });
});

describe('"Extension Tests"', () => {
  const config = readLaunchConfiguration('Extension Tests');

  it('is what the host-test harness runs: this extension, the entry esbuild.mjs --tests writes, the test hooks on', () => {
    const launch = extensionTestsLaunch();
    assert.equal(launch.extensionDevelopmentPath, REPO_ROOT);
    // esbuild puts entries under test/host/ into out/test/host/ under the same names.
    assert.match(esbuildMjs, /entryPoints: \['test\/host\/index\.ts', \.\.\.suites\],\s*outdir: 'out\/test\/host'/);
    assert.equal(launch.extensionTestsPath, join(REPO_ROOT, 'out/test/host/index.js'));
    assert.match(read('test/host/index.ts'), /export function run\(\)/, 'the entry exports run()');
    assert.deepEqual(launch.env, { VBOT_CRM_TEST_HOOKS: '1' });
    assert.match(read('test/harness/runHostTests.ts'), /extensionTestsLaunch\(/, 'the harness takes its paths from launch.json');
  });

  it('its preLaunchTask builds the tests and makes the folder the host opens', () => {
    const closure = taskClosure(config.preLaunchTask!, tasks);
    const build = closure.find((t) => t.command === 'node' && t.args?.join(' ') === 'esbuild.mjs --tests');
    assert.ok(build, 'builds with node esbuild.mjs --tests');
    assert.equal(build.problemMatcher, '$esbuild');
    const state = closure.find((t) => (t.args ?? []).includes('scripts/devHostState.ts'));
    assert.ok(state, 'runs scripts/devHostState.ts');
    assert.equal(hostLaunch(config).folder, join(resolveVariables(state.args!.at(-1)!), 'test-workspace'));
    assert.match(read('scripts/devHostState.ts'), /'test-workspace'/);
  });
});

describe('.vscode/', () => {
  it('every task a dependsOn names exists', () => {
    for (const t of tasks)
      for (const dep of [t.dependsOn ?? []].flat()) assert.ok(task(dep), `"${taskLabel(t)}" depends on "${dep}", which tasks.json lacks`);
  });

  it('recommends the esbuild problem matchers and ESLint', () => {
    const { recommendations } = parseJsonc(read('.vscode/extensions.json')) as { recommendations: string[] };
    assert.deepEqual([...recommendations].sort(), ['connor4312.esbuild-problem-matchers', 'dbaeumer.vscode-eslint']);
  });

  it('keeps build output, the downloaded VS Code and screenshots out of search', () => {
    const settings = parseJsonc(read('.vscode/settings.json')) as Record<string, Record<string, boolean>>;
    for (const dir of ['dist', 'out', '.vscode-host', 'test-results']) assert.equal(settings['search.exclude'][dir], true, dir);
  });

  it('is tracked by git and kept out of the .vsix', (t) => {
    const ignored = spawnSync('git', ['check-ignore', '-q', '.vscode/launch.json'], { cwd: REPO_ROOT });
    if (ignored.error || ignored.status === 128) t.diagnostic('not a git checkout: .gitignore not checked');
    else assert.equal(ignored.status, 1, '.gitignore ignores .vscode/');
    // .vscodeignore leaves out everything ("**") but what it lists with "!": none of it may be under .vscode/.
    const rules = read('.vscodeignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(rules[0], '**');
    assert.ok(!rules.some((r) => /^!\.?vscode|^!\*\*?$|^!\.\*/.test(r)), 'no rule lets .vscode/ back in');
  });
});
