// Wires the parts together. Nothing here does work of its own; every disposable goes to
// context.subscriptions. This file and what it imports statically are dist/main.js, which VS Code loads (through
// dist/extension.js, src/mainLoader.ts) before activate(): only what the first paint of the view needs (the tree,
// the cache, the settings, the token store). activate() only makes the views and registers the command ids; the
// cache is read right after it returns, and once it is, the sign-in state, the status bar item and the log start.
// Everything else is in lazy groups (esbuild.mjs LAZY_GROUPS), loaded with import() when first used: the services
// the commands share (API client, journal, change runner), each group of commands, the authentication provider's
// internals.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readDevOverrides } from './core/devOverrides';
import { formatError } from './core/jsonBasics';
import { ActiveCache } from './vscode/activeCache';
import type { VbotAuthProvider } from './vscode/authProvider';
import type { AuthCommands } from './vscode/authCommands';
import type { HistoryCommands, HistoryNode } from './vscode/historyCommands';
import { LazyTreeProvider } from './vscode/historyView';
import { LazyAuthProvider } from './vscode/lazyAuthProvider';
import { registerLazily } from './vscode/lazyCommands';
import { ExtensionLog } from './vscode/log';
import { Notifier } from './vscode/notifier';
import { registerRoutedCommands } from './vscode/routedCommands';
import type { Services } from './vscode/services';
import { Settings } from './vscode/settings';
import { SecretTokenStore } from './vscode/tokenStore';
import { type FieldsTreePart, TypeTreeProvider } from './vscode/typeTreeProvider';

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
    (problem) => void import('./vscode/cacheProblem').then((m) => m.reportCacheProblem(problem, notifier, log)),
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
        runner: async () => (await services()).runner,
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

  // The token store (the signed-in state shows right after activation), then what only commands need, each made
  // once, on first use, and handed to every group: one journal, one API runner, one authentication provider.
  let tokenStore: SecretTokenStore | undefined;
  const tokens = () =>
    (tokenStore ??= (() => {
      const made = new SecretTokenStore(context.secrets, settings, (t) => log.addSecrets([t?.accessToken, t?.refreshToken]));
      context.subscriptions.push(made);
      return made;
    })());
  const authCommands = async (): Promise<AuthCommands> =>
    new (await import('./vscode/authCommands')).AuthCommands((await services()).runner, await authProvider(), notifier);
  let auth: Promise<VbotAuthProvider> | undefined;
  // The Accounts menu's sessions and the API's tokens: one provider over the same stored entries.
  const authProvider = () =>
    (auth ??= import('./vscode/authProvider').then((m) => {
      const made = new m.VbotAuthProvider(tokens(), settings, notifier, async (p) => (await authCommands()).signIn(undefined, p));
      context.subscriptions.push(made);
      return made;
    }));
  let made: Promise<Services> | undefined;
  const services = () =>
    (made ??= Promise.all([import('./vscode/services'), authProvider()]).then(([m, auth]) => {
      const journalFile = join(storage(), JOURNAL_FILE_NAME);
      const base = { globalState: context.globalState, journalFile, settings, log, notifier, cache, tree, treeView, auth };
      const services = m.makeServices({ ...base, tokens: tokens() });
      context.subscriptions.push(services.documents);
      return services;
    }));
  const lazyAuth = new LazyAuthProvider(authProvider);
  context.subscriptions.push(lazyAuth);

  // The History view: its items (and the history commands) load when it is first shown or a command runs.
  let history: Promise<HistoryCommands> | undefined;
  const loadHistory = (): Promise<HistoryCommands> =>
    (history ??= Promise.all([import('./vscode/historyCommands'), services()]).then(([m, parts]) => {
      const made: HistoryCommands = new m.HistoryCommands({ cache, settings, notifier, log, view: () => historyView, ...parts });
      context.subscriptions.push(made);
      return made;
    }));
  const historyTree = new LazyTreeProvider<HistoryNode>(async () => (await loadHistory()).tree);
  const historyView: vscode.TreeView<HistoryNode> = vscode.window.createTreeView('vbotCrm.history', { treeDataProvider: historyTree });
  context.subscriptions.push(historyTree, historyView);

  // vbot-types.json as a language: loaded with the first such file opened, or one of its commands.
  const language = registerLazily(['vbotCrm.revealInView', 'vbotCrm.revealInTypesFile', 'vbotCrm.planDiff'], async () => {
    const { journal } = await services();
    return new (await import('./vscode/typesLanguage')).TypesLanguage({
      cache,
      settings,
      notifier,
      tree,
      treeView,
      journal: () => journal,
    });
  });

  // Every command's code is set up when one of its group first runs; activation only registers the ids.
  context.subscriptions.push(
    registerLazily(['vbotCrm.signIn', 'vbotCrm.setAccessToken', 'vbotCrm.signOut'], authCommands),
    registerLazily(
      ['vbotCrm.switchProfile', 'vbotCrm.addProfile', 'vbotCrm.removeProfile'],
      async () => new (await import('./vscode/profileCommands')).ProfileCommands(settings, notifier, tokens()),
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
          ...(await services()),
          selection: async () =>
            new (await import('./vscode/selectionCommands')).SelectionCommands({ cache, notifier, ...(await services()) }),
        }),
    ),
    registerLazily(
      [
        'vbotCrm.addOption',
        'vbotCrm.editOption',
        'vbotCrm.changeOptionCode',
        'vbotCrm.deleteOption',
        'vbotCrm.moveOptionUp',
        'vbotCrm.moveOptionDown',
      ],
      async () => new (await import('./vscode/optionCommands')).OptionCommands({ notifier, tree, storage, ...(await services()) }),
    ),
    registerLazily(['vbotCrm.showHistory', 'vbotCrm.undoLastChange', 'vbotCrm.undoChange', 'vbotCrm.restoreDeletedType'], loadHistory),
    registerLazily(
      ['vbotCrm.plan', 'vbotCrm.apply'],
      async () => new (await import('./vscode/planCommands')).PlanCommands({ cache, notifier, settings, tree, ...(await services()) }),
    ),
    registerLazily(
      ['vbotCrm.importTypes', 'vbotCrm.exportTypes'],
      async () =>
        new (await import('./vscode/transferCommands')).TransferCommands({ cache, settings, notifier, tree, ...(await services()) }),
    ),
    registerLazily(
      ['vbotCrm.checkApi'],
      async () => new (await import('./vscode/checkApiCommands')).CheckApiCommands({ cache, settings, notifier, ...(await services()) }),
    ),
    language,
    vscode.commands.registerCommand('vbotCrm.showLog', () => log.channel.show()),
    // The view's title bar and the tree's keys: each passes its call on (package.json names them).
    ...registerRoutedCommands(context.extension.packageJSON, () => treeView.selection),
  );

  // Once the cache is read (the tree's first paint waits for that, not for these; their code loads then): the
  // sign-in state, the status bar item, the cache folder's watcher, the Accounts menu's provider, the log line.
  let deactivated = false;
  void cache.ready
    .then(() => new Promise((resolve) => setImmediate(resolve)))
    .then(() => import('./vscode/afterActivation'))
    .then(
      (m) => {
        if (deactivated) return;
        const parts = { cache, tokens: tokens(), settings, treeView, storage: storage(), log, lazyAuth, dev };
        context.subscriptions.push(...m.startAfterActivation({ ...parts, loadLanguage: () => void language.load() }));
      },
      (e) => log.error(`Could not start: ${formatError(e)}`),
    );
  context.subscriptions.push({ dispose: () => (deactivated = true) });

  // The integration tests reach the parts through the exports; a normal session exports nothing
  // (any extension can read exports), and never a secret.
  if (process.env.VBOT_CRM_TEST_HOOKS !== '1') return undefined;
  return {
    cache,
    tree,
    treeView,
    notifier,
    settings,
    // The journal as the tests read it (its code loads with the services).
    journal: {
      get filePath() {
        return join(storage(), JOURNAL_FILE_NAME);
      },
      entries: async (...args: Parameters<Services['journal']['entries']>) => (await services()).journal.entries(...args),
    },
    historyTree,
    historyView,
    auth: lazyAuth,
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
