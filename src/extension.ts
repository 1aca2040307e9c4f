// Wires the parts together. Nothing here does work of its own; every disposable goes to
// context.subscriptions. This file and what it imports statically are dist/main.js, which VS Code loads (through
// dist/extension.js, src/mainLoader.ts) before activate(): only the views' stand-in providers, the log and the
// command ids. activate() makes the views and registers the ids; right after it returns, the parts behind the view
// are made (src/vscode/viewParts.ts: settings, cache, tree, token store; their code loaded while VS Code prepared
// the call of activate()), the tree's first paint waiting for them, and
// once the cache is read, the sign-in state, the status bar item and the log start. Everything else is in lazy
// groups (esbuild.mjs LAZY_GROUPS), loaded with import() when first used: the services the commands share (API
// client, journal, change runner), each group of commands, the authentication provider's internals.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatError } from './core/jsonBasics';
import type { VbotAuthProvider } from './vscode/authProvider';
import type { AuthCommands } from './vscode/authCommands';
import type { HistoryCommands, HistoryNode } from './vscode/historyCommands';
import { LazyAuthProvider } from './vscode/lazyAuthProvider';
import { registerLazily } from './vscode/lazyCommands';
import { LazyTreeProvider } from './vscode/lazyTreeProvider';
import { ExtensionLog } from './vscode/log';
import { registerRoutedCommands } from './vscode/routedCommands';
import type { Services } from './vscode/services';
import type { CrmNode } from './vscode/typeTreeProvider';
import type { ViewParts } from './vscode/viewParts';

export const JOURNAL_FILE_NAME = 'journal.jsonl';

// Once this file is loaded, VS Code fetches the extension's stored state (its ExtensionContext) from the window before
// it calls activate(): an idle wait of some milliseconds, in which the code of the view's parts is read and compiled,
// off the path from opening the view to its first paint. (The parts themselves are made after activate().)
setImmediate(() => void import('./vscode/viewParts').catch(() => undefined));

export function activate(context: vscode.ExtensionContext) {
  const log = new ExtensionLog();
  context.subscriptions.push(log);
  // The parts behind the view, made once: loaded right after activate() returns, or by whatever needs them first.
  let parts: Promise<ViewParts> | undefined;
  const view = (): Promise<ViewParts> =>
    (parts ??= import('./vscode/viewParts').then((m) => {
      const { parts, disposables } = m.makeViewParts(context, log, async () => (await services()).runner);
      context.subscriptions.push(...disposables);
      return parts;
    }));
  const typesTree = new LazyTreeProvider<CrmNode>(async () => (await view()).tree);
  const treeView = vscode.window.createTreeView('vbotCrm.types', {
    treeDataProvider: typesTree,
    showCollapseAll: true,
    canSelectMany: true,
  });
  context.subscriptions.push(typesTree, treeView);

  // What only commands need, each made once, on first use, and handed to every group: one journal, one API runner,
  // one authentication provider.
  const authCommands = async (): Promise<AuthCommands> =>
    new (await import('./vscode/authCommands')).AuthCommands((await services()).runner, await authProvider(), (await view()).notifier);
  let auth: Promise<VbotAuthProvider> | undefined;
  // The Accounts menu's sessions and the API's tokens: one provider over the same stored entries.
  const authProvider = () =>
    (auth ??= Promise.all([import('./vscode/authProvider'), view()]).then(([m, p]) => {
      const made = new m.VbotAuthProvider(p.tokens, p.settings, p.notifier, async (profile) =>
        (await authCommands()).signIn(undefined, profile),
      );
      context.subscriptions.push(made);
      return made;
    }));
  let made: Promise<Services> | undefined;
  const services = () =>
    (made ??= Promise.all([import('./vscode/services'), authProvider(), view()]).then(([m, auth, p]) => {
      const journalFile = join(p.storage(), JOURNAL_FILE_NAME);
      const { settings, notifier, cache, tree, tokens } = p;
      const services = m.makeServices({
        globalState: context.globalState,
        journalFile,
        settings,
        log,
        notifier,
        cache,
        tree,
        treeView,
        auth,
        tokens,
      });
      context.subscriptions.push(services.documents);
      return services;
    }));
  /** The view's parts and the services, for a group of commands. */
  const withServices = async () => ({ ...(await view()), ...(await services()) });
  const lazyAuth = new LazyAuthProvider(authProvider);
  context.subscriptions.push(lazyAuth);

  // The History view: its items (and the history commands) load when it is first shown or a command runs.
  let history: Promise<HistoryCommands> | undefined;
  const loadHistory = (): Promise<HistoryCommands> =>
    (history ??= Promise.all([import('./vscode/historyCommands'), withServices()]).then(([m, parts]) => {
      const made: HistoryCommands = new m.HistoryCommands({ ...parts, log, view: () => historyView });
      context.subscriptions.push(made);
      return made;
    }));
  const historyTree = new LazyTreeProvider<HistoryNode>(async () => (await loadHistory()).tree);
  const historyView: vscode.TreeView<HistoryNode> = vscode.window.createTreeView('vbotCrm.history', { treeDataProvider: historyTree });
  context.subscriptions.push(historyTree, historyView);

  // vbot-types.json as a language: loaded with the first such file opened, or one of its commands.
  const language = registerLazily(['vbotCrm.revealInView', 'vbotCrm.revealInTypesFile', 'vbotCrm.planDiff'], async () => {
    const { journal, cache, settings, notifier, tree } = await withServices();
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
    registerLazily(['vbotCrm.switchProfile', 'vbotCrm.addProfile', 'vbotCrm.removeProfile'], async () => {
      const { settings, notifier, tokens } = await view();
      return new (await import('./vscode/profileCommands')).ProfileCommands(settings, notifier, tokens);
    }),
    registerLazily(['vbotCrm.addProject', 'vbotCrm.removeProject', 'vbotCrm.refresh'], async () => {
      const { cache, settings, notifier, tree } = await view();
      return new (await import('./vscode/projectCommands')).ProjectCommands(cache, settings, notifier, tree);
    }),
    registerLazily(
      ['vbotCrm.addType', 'vbotCrm.editTypeName', 'vbotCrm.changeTypeCode', 'vbotCrm.deleteType', 'vbotCrm.copyTypeCode'],
      async () => {
        const parts = await withServices();
        return new (await import('./vscode/typeCommands')).TypeCommands({
          ...parts,
          selection: async () => new (await import('./vscode/selectionCommands')).SelectionCommands(parts),
        });
      },
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
      async () => new (await import('./vscode/optionCommands')).OptionCommands(await withServices()),
    ),
    registerLazily(['vbotCrm.showHistory', 'vbotCrm.undoLastChange', 'vbotCrm.undoChange', 'vbotCrm.restoreDeletedType'], loadHistory),
    registerLazily(
      ['vbotCrm.plan', 'vbotCrm.apply'],
      async () => new (await import('./vscode/planCommands')).PlanCommands(await withServices()),
    ),
    registerLazily(
      ['vbotCrm.importTypes', 'vbotCrm.exportTypes'],
      async () => new (await import('./vscode/transferCommands')).TransferCommands(await withServices()),
    ),
    registerLazily(
      ['vbotCrm.checkApi'],
      async () => new (await import('./vscode/checkApiCommands')).CheckApiCommands(await withServices()),
    ),
    language,
    vscode.commands.registerCommand('vbotCrm.showLog', () => log.channel.show()),
    // The view's title bar and the tree's keys: each passes its call on (package.json names them).
    ...registerRoutedCommands(context.extension.packageJSON, () => treeView.selection),
  );

  // Right after activate() returns: the view's parts (the tree's first paint waits for them), then, once the cache
  // is read, the sign-in state, the status bar item, the cache folder's watcher, the Accounts menu's provider and
  // the log line (their code loads then).
  let deactivated = false;
  setImmediate(() => {
    if (deactivated) return;
    void view()
      .then(async (p) => {
        await p.cache.ready;
        await new Promise((resolve) => setImmediate(resolve));
        const m = await import('./vscode/afterActivation');
        if (deactivated) return;
        const { cache, tokens, settings, dev } = p;
        const after = { cache, tokens, settings, treeView, storage: p.storage(), log, lazyAuth, dev };
        context.subscriptions.push(...m.startAfterActivation({ ...after, loadLanguage: () => void language.load() }));
      })
      .catch((e) => log.error(`Could not start: ${formatError(e)}`));
  });
  context.subscriptions.push({ dispose: () => (deactivated = true) });

  // The integration tests reach the parts through the exports (once the view's parts are made); a normal session
  // exports nothing (any extension can read exports), and never a secret.
  if (process.env.VBOT_CRM_TEST_HOOKS !== '1') return undefined;
  return view().then(({ cache, tree, notifier, settings, storage }) => ({
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
  }));
}

export function deactivate(): void {}
