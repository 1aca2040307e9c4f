// Wires the parts together. Nothing here does work of its own; every disposable goes to
// context.subscriptions. Loading the cache is not awaited, so activation stays cheap.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CustomerTypeCache } from './core/customerTypeCache';
import { ApiRunner } from './vscode/apiRunner';
import { AuthCommands } from './vscode/authCommands';
import { watchCacheFile } from './vscode/cacheWatcher';
import { ExtensionLog } from './vscode/log';
import { Notifier } from './vscode/notifier';
import { ProjectCommands } from './vscode/projectCommands';
import { Settings } from './vscode/settings';
import { TransferCommands } from './vscode/transferCommands';
import { TypeCommands } from './vscode/typeCommands';
import { SecretTokenStore } from './vscode/tokenStore';
import { TypeTreeProvider } from './vscode/typeTreeProvider';
import { reportCacheProblem, trackContextKeys } from './vscode/viewState';

export const CACHE_FILE_NAME = 'customer-types.json';

export function activate(context: vscode.ExtensionContext) {
  const log = new ExtensionLog();
  const settings = new Settings();
  const notifier = new Notifier();
  const storage = context.globalStorageUri.fsPath;
  mkdirSync(storage, { recursive: true });
  const cache = new CustomerTypeCache(path.join(storage, CACHE_FILE_NAME), {
    onProblem: (problem) => reportCacheProblem(problem, notifier, log),
  });
  const tokens = new SecretTokenStore(context.secrets, () => settings.apiOrigin(), (t) => log.setSecrets([t?.accessToken, t?.refreshToken]));
  const runner = new ApiRunner(settings, tokens, log, notifier);
  const ready = cache.load().catch((e) => log.error(`Could not load the cache: ${e instanceof Error ? e.message : e}`));
  const tree = new TypeTreeProvider(cache, ready);
  const treeView = vscode.window.createTreeView('vbotCrm.types', { treeDataProvider: tree, showCollapseAll: true });

  context.subscriptions.push(
    log, tokens, tree, treeView,
    { dispose: () => cache.dispose() },
    watchCacheFile(cache, log),
    trackContextKeys({ cache, tokens, settings, treeView, ready }),
    ...new AuthCommands(runner, tokens, notifier).register(),
    ...new ProjectCommands(cache, settings, notifier, tree).register(),
    ...new TypeCommands({ cache, runner, notifier, settings, tree, treeView }).register(),
    ...new TransferCommands(cache, settings, notifier, tree).register(),
    vscode.commands.registerCommand('vbotCrm.showLog', () => log.channel.show()),
  );
  log.info(`VBot CRM activated (VS Code ${vscode.version}); cache at ${cache.filePath}`);

  // Handles for the integration tests. Secrets and state are reachable only when the test
  // harness asks for them, never in a normal session (any extension can read these exports).
  const api = { cache, tree, treeView, notifier, ready };
  if (process.env.VBOT_CRM_TEST_HOOKS === '1') {
    const logLines = log.mirror();
    return { ...api, testHooks: { secrets: context.secrets, globalState: context.globalState, workspaceState: context.workspaceState, logUri: context.logUri, logLines } };
  }
  return api;
}

export function deactivate(): void {}
