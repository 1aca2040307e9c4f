// Wires the parts together. Nothing here does work of its own; every disposable goes to
// context.subscriptions. activate() only makes the view and registers the command ids: reading settings
// and files, the sign-in state, the status bar item and the log come right after it returns, and each
// group of commands is set up when one of its commands first runs, so starting us costs VS Code little.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeDevOverrides, readDevOverrides } from './core/devOverrides';
import { formatError } from './core/json';
import { ChangeJournal } from './core/journal/journal';
import { ActiveCache } from './vscode/activeCache';
import { ApiFacts } from './vscode/apiFacts';
import { ApiRunner } from './vscode/apiRunner';
import type { AuthCommands } from './vscode/authCommands';
import { AUTH_PROVIDER_ID, VbotAuthProvider } from './vscode/authProvider';
import { Changes } from './vscode/changes';
import { watchCacheFile } from './vscode/cacheWatcher';
import { ReadOnlyDocuments } from './vscode/documents';
import type { HistoryCommands, HistoryNode } from './vscode/historyCommands';
import { LazyTreeProvider } from './vscode/historyView';
import { registerRoutedCommands } from './vscode/commandArgs';
import { registerLazily } from './vscode/lazyCommands';
import { ExtensionLog } from './vscode/log';
import { Notifier } from './vscode/notifier';
import { profileStatusItem } from './vscode/profileStatus';
import { Settings } from './vscode/settings';
import { SecretTokenStore } from './vscode/tokenStore';
import { type FieldsTreePart, TypeTreeProvider } from './vscode/typeTreeProvider';
import { reportCacheProblem, trackContextKeys } from './vscode/viewState';

export const JOURNAL_FILE_NAME = 'journal.jsonl';

export function activate(context: vscode.ExtensionContext) {
  // What the view needs at once.
  const log = new ExtensionLog();
  // F5 (.vscode/launch.json "Run Extension") points the development host at the sandbox through its environment.
  const dev = context.extensionMode === vscode.ExtensionMode.Development ? readDevOverrides(process.env) : undefined;
  const settings = new Settings(context.globalState, dev);
  const notifier = new Notifier((text) => log.scrub(text));
  // Where our files live: a Uri-to-path conversion, not needed until the cache is first opened.
  const storage = () => dev?.storageDir ?? context.globalStorageUri.fsPath;
  const cache = new ActiveCache(
    storage,
    () => settings.activeProfile().name,
    (problem) => reportCacheProblem(problem, notifier, log),
    (e) => log.error(`Could not load the cache: ${formatError(e)}`),
    (e) => log.error(`A view of the cache failed to update: ${formatError(e)}`),
  );
  const tree: TypeTreeProvider = new TypeTreeProvider(cache, () => cache.ready, {
    // API v3: the key's project shows its customer fields; their code loads with the first expand.
    project: () => {
      const p = settings.activeProfile();
      return p.apiVersion === 'v3' && p.projectCode ? { vbotId: p.vbotId, projectCode: p.projectCode } : undefined;
    },
    load: async (): Promise<FieldsTreePart> =>
      (await import('./vscode/fieldsTree')).createFieldsTree({
        settings,
        runner: (): ApiRunner => parts().runner,
        storage,
        log,
        redraw: (n) => tree.redraw(n),
      }),
  });
  const treeView = vscode.window.createTreeView('vbotCrm.types', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  context.subscriptions.push(
    log,
    settings,
    tree,
    treeView,
    cache,
    settings.onDidChange(() => void cache.switchTo(settings.activeProfile().name)),
  );

  // What the commands need: made with the first command, or right after activation (see below).
  let made:
    | {
        tokens: SecretTokenStore;
        auth: VbotAuthProvider;
        runner: ApiRunner;
        journal: ChangeJournal;
        documents: ReadOnlyDocuments;
        facts: ApiFacts;
        changes: Changes;
      }
    | undefined;
  const authCommands = async (): Promise<AuthCommands> =>
    new (await import('./vscode/authCommands')).AuthCommands(parts().runner, parts().auth, notifier);
  const parts = () => {
    if (!made) {
      const tokens = new SecretTokenStore(context.secrets, settings, (t) => log.addSecrets([t?.accessToken, t?.refreshToken]));
      // The Accounts menu's sessions and the API's tokens: one provider over the same stored entries.
      const auth = new VbotAuthProvider(tokens, settings, notifier, async (p) => (await authCommands()).signIn(undefined, p));
      const facts = new ApiFacts(context.globalState);
      const journal = new ChangeJournal(path.join(storage(), JOURNAL_FILE_NAME));
      made = {
        tokens,
        auth,
        facts,
        journal,
        runner: new ApiRunner(settings, auth, log, notifier, facts),
        documents: new ReadOnlyDocuments(),
        changes: new Changes({ cache, journal, log, notifier, tree, treeView }),
      };
      context.subscriptions.push(tokens, auth, made.documents);
    }
    return made;
  };

  // The History view: its items (and the history commands) load when it is first shown or a command runs.
  let history: Promise<HistoryCommands> | undefined;
  const loadHistory = (): Promise<HistoryCommands> =>
    (history ??= import('./vscode/historyCommands').then((m) => {
      const made: HistoryCommands = new m.HistoryCommands({ cache, settings, notifier, log, view: () => historyView, ...parts() });
      context.subscriptions.push(made);
      return made;
    }));
  const historyTree = new LazyTreeProvider<HistoryNode>(async () => (await loadHistory()).tree);
  const historyView: vscode.TreeView<HistoryNode> = vscode.window.createTreeView('vbotCrm.history', { treeDataProvider: historyTree });
  context.subscriptions.push(historyTree, historyView);

  // Every command's code is set up when one of its group first runs; activation only registers the ids.
  context.subscriptions.push(
    registerLazily(['vbotCrm.signIn', 'vbotCrm.setAccessToken', 'vbotCrm.signOut'], authCommands),
    registerLazily(
      ['vbotCrm.switchProfile', 'vbotCrm.addProfile', 'vbotCrm.removeProfile'],
      async () => new (await import('./vscode/profileCommands')).ProfileCommands(settings, notifier, parts().tokens),
    ),
    registerLazily(
      ['vbotCrm.addProject', 'vbotCrm.removeProject', 'vbotCrm.refresh'],
      async () => new (await import('./vscode/projectCommands')).ProjectCommands(cache, settings, notifier, tree),
    ),
    registerLazily(
      ['vbotCrm.addType', 'vbotCrm.editTypeName', 'vbotCrm.changeTypeCode', 'vbotCrm.deleteType', 'vbotCrm.copyTypeCode'],
      async () =>
        new (await import('./vscode/typeCommands')).TypeCommands({
          cache,
          notifier,
          ...parts(),
          selection: async () => new (await import('./vscode/selectionCommands')).SelectionCommands({ cache, notifier, ...parts() }),
        }),
    ),
    registerLazily(['vbotCrm.showHistory', 'vbotCrm.undoLastChange', 'vbotCrm.undoChange', 'vbotCrm.restoreDeletedType'], loadHistory),
    registerLazily(
      ['vbotCrm.plan', 'vbotCrm.apply'],
      async () => new (await import('./vscode/planCommands')).PlanCommands({ cache, notifier, settings, ...parts() }),
    ),
    registerLazily(
      ['vbotCrm.importTypes', 'vbotCrm.exportTypes'],
      async () => new (await import('./vscode/transferCommands')).TransferCommands({ cache, settings, notifier, tree, ...parts() }),
    ),
    registerLazily(
      ['vbotCrm.checkApi'],
      async () => new (await import('./vscode/checkApiCommands')).CheckApiCommands({ cache, settings, notifier, ...parts() }),
    ),
    vscode.commands.registerCommand('vbotCrm.showLog', () => log.channel.show()),
    // The view's title bar and the tree's keys: each passes its call on (package.json names them).
    ...registerRoutedCommands(context.extension.packageJSON, () => treeView.selection),
  );

  // Right after activation: the sign-in state for the welcome view and menus, the status bar item, the
  // watcher of the cache folder (the first fs.watch of a process loads Node's watcher code: ~2 ms), the log line.
  const afterActivation = setImmediate(() => {
    context.subscriptions.push(
      trackContextKeys({ cache, tokens: parts().tokens, settings, treeView }),
      profileStatusItem(settings, parts().tokens),
      watchCacheFile(storage(), cache, log),
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'VBot CRM', parts().auth, { supportsMultipleAccounts: true }),
    );
    log.info(`VBot CRM activated (VS Code ${vscode.version}); profile ${settings.activeProfile().name}; cache at ${cache.filePath}`);
    if (dev) log.info(describeDevOverrides(dev));
  });
  context.subscriptions.push({ dispose: () => clearImmediate(afterActivation) });

  // The integration tests reach the parts through the exports; a normal session exports nothing
  // (any extension can read exports), and never a secret.
  if (process.env.VBOT_CRM_TEST_HOOKS !== '1') return undefined;
  return {
    cache,
    tree,
    treeView,
    notifier,
    settings,
    get journal() {
      return parts().journal;
    },
    historyTree,
    historyView,
    get auth() {
      return parts().auth;
    },
    get ready() {
      return cache.ready;
    },
    testHooks: {
      secrets: context.secrets,
      globalState: context.globalState,
      workspaceState: context.workspaceState,
      logUri: context.logUri,
      logLines: log.mirror(),
    },
  };
}

export function deactivate(): void {}
