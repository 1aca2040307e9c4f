// Harness: a real VS Code workbench (code-server 4.100.3 = VS Code 1.100.3) driven by headless
// Debian chromium through playwright-core.
//
// Why this exists: @vscode/test-electron downloads VS Code from Microsoft, which these machines
// (and CI) cannot reach, and no npm package ships a desktop VS Code. code-server from npm runs
// VS Code's real Node extension host, so `require('vscode')`, commands, SecretStorage, tree views,
// quick picks and notifications behave as in the product. Differences from desktop:
// `vscode.env.uiKind` is Web and `vscode.env.remoteName` is set.
//
// Things that are not obvious:
// - code-server has no --extensionDevelopmentPath flag; the web workbench reads development and
//   test paths from the `payload` URL parameter as vscode-remote:// URIs, and the extension host
//   only starts once a browser opens that URL.
// - When a test run ends the workbench calls window.codeAutomationExit(code); we expose it.
// - Only in test mode (extensionTestsPath set) does the workbench forward the extension host's
//   console to the browser console, as ('%c INFO', 'color: …', fmt, ...args). In plain UI mode only
//   errors arrive, prefixed "[Extension Host]".
// - The extension host is a child of the code-server process, so it inherits code-server's
//   environment: options.env is how a test hands values to extension code.
// - Everything that could leak between runs (user data, extensions, XDG config/data, the
//   code-server config file) lives in one temp folder. EXTENSIONS_GALLERY='{}' stops the
//   marketplace calls to open-vsx.org; off-host browser requests are aborted.
// - Extension globalStorageUri on the server side:
//   <user-data-dir>/User/globalStorage/<publisher.name in lower case>.
// - options.installExtensions installs .vsix files the way a user does (`code-server
//   --install-extension`, same --extensions-dir and --user-data-dir) before the server starts;
//   with no extensionDevelopmentPath the URL has no payload and only installed extensions run.
// - VBOT_VSCODE_HOST=latest runs the newest code-server instead (scripts/install-vscode-host-latest.sh,
//   e.g. 4.139.1 = VS Code 1.139.1) on the Node it needs (24, from npm, in .vscode-host/latest/node).
//   1.100.3 reads extensionDevelopmentPath/extensionTestsPath from the payload always; 1.139's built web
//   workbench only when the server runs with --enable-smoke-test-driver (its
//   resolveExtensionHostDebugEnvironment: `payload && (!isBuilt || enableSmokeTestDriver)`), else it
//   silently starts without them and codeAutomationExit never comes. Newer
//   code-server passes VS Code server flags through with --vscode-option, so a run with a development
//   extension adds `--vscode-option enable-smoke-test-driver` where code-server has that option.
//   In that mode 1.139 shows no notification toasts (only the notification centre has them).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO_ROOT = resolve(__dirname, '../..');
export const HOST_DIR = process.env.VBOT_HOST_DIR ? resolve(process.env.VBOT_HOST_DIR) : join(REPO_ROOT, '.vscode-host');
/** 'latest' ($VBOT_VSCODE_HOST=latest): the newest code-server; otherwise the pinned 4.100.3. */
export const HOST_FLAVOR: 'pinned' | 'latest' = process.env.VBOT_VSCODE_HOST === 'latest' ? 'latest' : 'pinned';
// host.json is written by install-vscode-host-latest.sh: { version, node, entry }.
const latestHost = (() => {
  if (HOST_FLAVOR !== 'latest') return undefined;
  try {
    return JSON.parse(readFileSync(join(HOST_DIR, 'latest', 'host.json'), 'utf8')) as { version: string; node: string; entry: string };
  } catch {
    return {
      version: '?',
      node: join(HOST_DIR, 'latest/node/missing'),
      entry: join(HOST_DIR, 'latest/cs/node_modules/code-server/out/node/entry.js'),
    };
  }
})();
export const CODE_SERVER_ENTRY = latestHost?.entry ?? join(HOST_DIR, 'cs/node_modules/code-server/out/node/entry.js');
/** The Node that runs code-server (and so the extension host): ours for 4.100.3, the one from npm for the newest. */
export const CODE_SERVER_NODE = latestHost?.node ?? process.execPath;
const INSTALL_HINT = HOST_FLAVOR === 'latest' ? 'bash scripts/install-vscode-host-latest.sh' : 'bash scripts/install-vscode-host.sh';

/** "code-server 4.139.1 (VS Code 1.139.1)": which VS Code a suite ran on, for its header and result. */
export function hostDescription(): string {
  const csDir = resolve(CODE_SERVER_ENTRY, '../../..');
  const version = (file: string) => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?';
    } catch {
      return '?';
    }
  };
  return `code-server ${version(join(csDir, 'package.json'))} (VS Code ${version(join(csDir, 'lib/vscode/package.json'))})`;
}

/** Whether this code-server passes VS Code server flags through (--vscode-option, newer code-server only). */
function hasVscodeOption(): boolean {
  try {
    return readFileSync(resolve(CODE_SERVER_ENTRY, '../cli.js'), 'utf8').includes('"vscode-option"');
  } catch {
    return false;
  }
}
/**
 * The browser playwright drives: $CHROMIUM or $CHROME_PATH, else Debian's chromium (what CI has), else a
 * Chromium or Chrome where Linux packages and macOS put them. Keep in step with find_browser in
 * scripts/install-vscode-host.sh.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.CHROMIUM || env.CHROME_PATH;
  if (named) return named;
  const candidates = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}
export const CHROMIUM_PATH = findChromium();

/** Settings that keep the workbench quiet and deterministic; options.settings override them. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  // Newer VS Code (1.10x+): no chat view, agent host or Copilot sign-in (1.100 ignores the setting).
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // else an empty chat side bar takes a quarter of the width
  'git.openRepositoryInParentFolders': 'never',
  'git.enabled': false,
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface WorkbenchOptions {
  /** Folder with the extension's package.json, loaded as a development extension. Omit to run only installed ones. */
  extensionDevelopmentPath?: string;
  /** .vsix files installed with `code-server --install-extension` into the fresh extensions dir before start. */
  installExtensions?: string[];
  /** Compiled mocha entry exporting run(); when set, the workbench runs it and calls codeAutomationExit. */
  extensionTestsPath?: string;
  /** Workspace folder to open; default: a fresh empty folder inside the temp dir. */
  folder?: string;
  /** User settings, merged over QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server, inherited by the extension host. */
  env?: Record<string, string>;
  /** Files to place before start, relative to the user-data dir (e.g. a globalStorage cache). */
  userDataFiles?: Record<string, string>;
  /** Port for code-server; default: a free one picked by the OS. */
  port?: number;
  viewport?: { width: number; height: number };
  /** Where extension-host console lines go; default: stdout. */
  onConsole?: (line: string) => void;
  /** Also print workbench/browser console noise and blocked requests. Default: $VBOT_HARNESS_VERBOSE. */
  verbose?: boolean;
  /** Keep the temp folder on close (its path is printed). Default: $VBOT_KEEP_WORK. */
  keepWorkDir?: boolean;
  /** How long to wait for code-server and the workbench DOM. Default 90 s. */
  startTimeoutMs?: number;
  /**
   * Real workspace trust, as in a default VS Code: no --disable-workspace-trust, and
   * 'security.workspace.trust.enabled': true in the user settings (options.settings still win).
   * The opened folder is then untrusted (Restricted Mode) until someone trusts it. Default false.
   */
  workspaceTrust?: boolean;
}

export interface Workbench {
  page: Page;
  browser: Browser;
  /** The exact URL the page opened (with folder and, for a development extension, payload). */
  url: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  workDir: string;
  userDataDir: string;
  extensionsDir: string;
  folder: string;
  /** code-server's own log (not the extension host's). */
  serverLogPath: string;
  /** Server-side folder behind an extension's context.globalStorageUri. */
  globalStorageDir(extensionId: string): string;
  /** Resolves with the code passed to codeAutomationExit (test mode); rejects on timeout or server exit. */
  waitForExit(timeoutMs: number): Promise<number>;
  /** Stops chromium and code-server (whole process group) and removes the temp folder. Idempotent. */
  close(): Promise<void>;
}

// Open workbenches, closed on SIGINT/SIGTERM/SIGHUP; on any other exit their servers are killed.
const live = new Map<Workbench, ChildProcess>();
let signalHandlersInstalled = false;

function installSignalHandlers(): void {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(sig, () => {
      void Promise.allSettled([...live.keys()].map((w) => w.close())).then(() => process.exit(code));
    });
  }
  process.once('exit', () => {
    for (const child of live.values()) killGroup(child, 'SIGKILL');
  });
}

/** Location of VS Code's globalStorage for an extension under a code-server --user-data-dir. */
export function globalStorageDirFor(userDataDir: string, extensionId: string): string {
  return join(userDataDir, 'User', 'globalStorage', extensionId.toLowerCase());
}

/** Command-line flags for code-server with state kept in `stateDir`. */
export function codeServerArgs(
  stateDir: string,
  bindAddr: string,
  opts: { workspaceTrust?: boolean; development?: boolean } = {},
): string[] {
  // The newest workbench reads the payload's development and test paths only with the smoke-test driver on.
  const development = opts.development && hasVscodeOption() ? ['--vscode-option', 'enable-smoke-test-driver'] : [];
  return [
    ...development,
    '--auth',
    'none',
    '--bind-addr',
    bindAddr,
    '--config',
    join(stateDir, 'config.yaml'),
    '--user-data-dir',
    join(stateDir, 'user-data'),
    '--extensions-dir',
    join(stateDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
}

/** Workbench URL that loads `devPath` as a development extension (and optionally runs tests); no devPath, no payload. */
export function workbenchUrl(origin: string, folder: string, devPath?: string, testsPath?: string): string {
  const authority = new URL(origin).host;
  const remote = (p: string) => `vscode-remote://${authority}${resolve(p)}`;
  const base = `${origin}/?folder=${encodeURIComponent(resolve(folder))}`;
  if (!devPath) return base;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(devPath)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `${base}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Runs code-server's CLI (e.g. --install-extension, --list-extensions) on the state in `stateDir`; returns stdout. */
export function codeServerCli(stateDir: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 120_000): string {
  const state = [
    '--config',
    join(stateDir, 'config.yaml'),
    '--user-data-dir',
    join(stateDir, 'user-data'),
    '--extensions-dir',
    join(stateDir, 'extensions'),
  ];
  return execFileSync(CODE_SERVER_NODE, [CODE_SERVER_ENTRY, ...state, ...args], {
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function isLocal(url: URL): boolean {
  return !/^https?:$/.test(url.protocol) || url.hostname === '127.0.0.1' || url.hostname === 'localhost';
}

function startServer(
  workDir: string,
  port: number,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  workspaceTrust: boolean,
  development: boolean,
) {
  const logPath = join(workDir, 'code-server.log');
  const log = createWriteStream(logPath);
  // Own process group, so close() can take down the extension host and pty host with it.
  const child = spawn(
    CODE_SERVER_NODE,
    [CODE_SERVER_ENTRY, ...codeServerArgs(workDir, `127.0.0.1:${port}`, { workspaceTrust, development })],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((res) =>
    child.once('exit', (code) => {
      log.end();
      res(code);
    }),
  );
  const listening = new Promise<number>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`code-server did not listen within ${timeoutMs} ms; log: ${logPath}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /HTTP server listening on https?:\/\/[^:\s]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(Number(m[1]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`code-server exited with ${code} before listening:\n${out}`));
    });
  });
  return { child, listening, exited, logPath };
}

// Signals the whole process group (code-server, its extension host, pty host and file watcher).
// Used even after the leader has exited, so that stragglers in the group go too.
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* group already gone */
  }
}

// Workbench log lines that share the console with the extension host's output in test mode.
const WORKBENCH_NOISE = [
  /^Creating a socket/,
  /^Resolv(ing|ed) connection token/,
  /^Ignoring fetching additional builtin/,
  /^Updating additional builtin extensions cache/,
  /^ChatSessionStore:/,
  /^Creation of workbench contribution/,
  /^(Migrating|Migrated|Error while migrating) (global|workspace) (extension |file )*storage/,
  // The newest VS Code's chat and account services (they log even with chat.disableAIFeatures).
  /^\[(AccountPolicyGate|ChatModelSelection|AgentHost[\w:]*|DefaultAccount)\]/,
  /^Error: Timed out waiting for authentication provider/,
];

/** Decides which workbench console lines are the extension host's and prints them. */
function consoleRelay(testMode: boolean, verbose: boolean, out: (line: string) => void) {
  let extHostUp = false;
  return (level: string, text: string) => {
    if (/Creating a socket \(renderer-ExtensionHost.*successful/.test(text)) extHostUp = true;
    const fromExtHost = text.startsWith('[Extension Host]') || (testMode && extHostUp && !WORKBENCH_NOISE.some((re) => re.test(text)));
    if (fromExtHost || verbose) out(level === 'INFO' ? text : `[${level}] ${text}`);
  };
}

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  if (!existsSync(CODE_SERVER_ENTRY) || !existsSync(CODE_SERVER_NODE)) {
    throw new Error(`code-server is not installed at ${CODE_SERVER_ENTRY}; run: ${INSTALL_HINT}`);
  }
  installSignalHandlers();
  const verbose = options.verbose ?? !!process.env.VBOT_HARNESS_VERBOSE;
  const keep = options.keepWorkDir ?? !!process.env.VBOT_KEEP_WORK;
  const out = options.onConsole ?? ((line: string) => process.stdout.write(line + '\n'));
  const startTimeoutMs = options.startTimeoutMs ?? 90_000;

  const workDir = mkdtempSync(join(tmpdir(), 'vbot-wb-'));
  const userDataDir = join(workDir, 'user-data');
  const extensionsDir = join(workDir, 'extensions');
  const folder = options.folder ? resolve(options.folder) : join(workDir, 'workspace');
  for (const d of [userDataDir, extensionsDir, folder, join(userDataDir, 'User')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(workDir, 'config.yaml'), '');
  const trust = options.workspaceTrust ? { 'security.workspace.trust.enabled': true } : {};
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...trust, ...options.settings }, null, 2));
  for (const [rel, content] of Object.entries(options.userDataFiles ?? {})) {
    const file = join(userDataDir, rel);
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, content);
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EXTENSIONS_GALLERY: '{}',
    ...options.env,
    XDG_CONFIG_HOME: join(workDir, 'xdg-config'),
    XDG_DATA_HOME: join(workDir, 'xdg-data'),
  };
  for (const vsix of options.installExtensions ?? []) {
    try {
      codeServerCli(workDir, ['--install-extension', resolve(vsix)], env, startTimeoutMs);
    } catch (e) {
      const err = e as Error & { stdout?: string; stderr?: string };
      if (!keep) rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
      throw new Error(`code-server --install-extension ${vsix} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`, {
        cause: e,
      });
    }
  }
  const server = startServer(workDir, options.port ?? 0, env, startTimeoutMs, !!options.workspaceTrust, !!options.extensionDevelopmentPath);
  let browser: Browser | undefined;
  let closed = false;

  const close = async () => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => undefined);
    killGroup(server.child, 'SIGTERM');
    const forced = setTimeout(() => killGroup(server.child, 'SIGKILL'), 5000);
    await server.exited;
    clearTimeout(forced);
    killGroup(server.child, 'SIGKILL');
    live.delete(wb);
    if (keep) process.stderr.write(`[harness] work dir kept: ${workDir}\n`);
    else rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
  };
  // Placeholder until the page exists, so close() works if startup fails half-way.
  const wb = { close } as Workbench;
  live.set(wb, server.child);

  try {
    const port = await server.listening;
    const origin = `http://127.0.0.1:${port}`;
    // Our own signal handlers close browser and server together; playwright's would only do the browser.
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
    await context.route(
      (u) => !isLocal(u),
      (route) => {
        if (verbose) out(`[harness] blocked off-host request ${route.request().url()}`);
        return route.abort();
      },
    );
    const page = await context.newPage();

    // Console args are read asynchronously; a promise chain keeps lines in order, and the exit code
    // is only reported once every line logged before it has been printed.
    let consoleDone: Promise<void> = Promise.resolve();
    const relay = consoleRelay(!!options.extensionTestsPath, verbose, out);
    page.on('console', (msg) => {
      consoleDone = consoleDone.then(async () => {
        let args: unknown[];
        try {
          args = await Promise.all(msg.args().map((a) => a.jsonValue()));
        } catch {
          args = [msg.text()];
        }
        const m = typeof args[0] === 'string' ? /^%c\s*([A-Z]+)\s*$/.exec(args[0]) : null;
        if (m) relay(m[1], format(...args.slice(2)));
        else if (verbose) out(`[browser ${msg.type()}] ${msg.text()}`);
      });
    });
    let exitResolve!: (code: number) => void;
    const exitCode = new Promise<number>((res) => {
      exitResolve = res;
    });
    await page.exposeFunction('codeAutomationExit', async (code: number) => {
      await consoleDone;
      await new Promise((r) => setTimeout(r, 100));
      await consoleDone;
      exitResolve(Number(code));
    });
    page.on('pageerror', (e) => {
      if (verbose) out(`[browser pageerror] ${e.message}`);
    });

    const url = workbenchUrl(origin, folder, options.extensionDevelopmentPath, options.extensionTestsPath);
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: startTimeoutMs });

    const waitForExit = (timeoutMs: number) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new Error(`no codeAutomationExit within ${timeoutMs} ms`)), timeoutMs);
      });
      const died = server.exited.then((c) => {
        throw new Error(`code-server exited (${c}) during the run; log: ${server.logPath}`);
      });
      return Promise.race([exitCode, timeout, died]).finally(() => clearTimeout(timer));
    };

    Object.assign(wb, {
      page,
      browser,
      url,
      origin,
      port,
      workDir,
      userDataDir,
      extensionsDir,
      folder,
      serverLogPath: server.logPath,
      globalStorageDir: (id: string) => globalStorageDirFor(userDataDir, id),
      waitForExit,
    } satisfies Omit<Workbench, 'close'>);
    return wb;
  } catch (e) {
    const tail = existsSync(server.logPath) ? readFileSync(server.logPath, 'utf8').slice(-2000) : '';
    await close();
    throw new Error(`workbench did not start: ${(e as Error).message}\n--- code-server log (tail) ---\n${tail}`, { cause: e });
  }
}
