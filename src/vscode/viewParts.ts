// The parts behind the Customer types view: the settings, the active profile's cache, the tree's provider, the
// token store and the notifier. A lazy group of its own (esbuild.mjs LAZY_GROUPS): its code is not in the main file
// VS Code loads before activate(), and loads while VS Code prepares that call; the parts are made right after
// activate() returns, and the tree's first paint and every command wait for them. Made once a window
// (src/extension.ts).
import * as vscode from 'vscode';
import { type DevOverrides, readDevOverrides } from '../core/devOverrides';
import { formatError } from '../core/jsonBasics';
import { ActiveCache } from './activeCache';
import type { ApiRunner } from './apiRunner';
import type { ExtensionLog } from './log';
import { Notifier } from './notifier';
import { DEFAULT_PROFILE, Settings } from './settings';
import { SecretTokenStore } from './tokenStore';
import { type FieldsTreePart, TypeTreeProvider } from './typeTreeProvider';

export interface ViewParts {
  settings: Settings;
  notifier: Notifier;
  cache: ActiveCache;
  tree: TypeTreeProvider;
  tokens: SecretTokenStore;
  /** The folder of our files: a Uri-to-path conversion, not needed until the cache is first opened. */
  storage: () => string;
  /** F5 (.vscode/launch.json "Run Extension") points the development host at the sandbox through its environment. */
  dev: DevOverrides | undefined;
}

/** The parts, and what to dispose of with the extension. */
export function makeViewParts(
  context: vscode.ExtensionContext,
  log: ExtensionLog,
  runner: () => Promise<ApiRunner>,
): { parts: ViewParts; disposables: vscode.Disposable[] } {
  const dev = context.extensionMode === vscode.ExtensionMode.Development ? readDevOverrides(process.env) : undefined;
  const settings = new Settings(context.globalState, dev);
  const notifier = new Notifier((text) => log.scrub(text));
  const storage = () => dev?.storageDir ?? context.globalStorageUri.fsPath;
  const cache = new ActiveCache(
    storage,
    () => settings.activeProfileName(),
    (problem) => void import('./cacheProblem').then((m) => m.reportCacheProblem(problem, notifier, log)),
    (e) => log.error(`Could not load the cache: ${formatError(e)}`),
    (e) => log.error(`A view of the cache failed to update: ${formatError(e)}`),
  );
  const tree: TypeTreeProvider = new TypeTreeProvider(cache, () => cache.ready, {
    // API v3: the key's project shows its customer fields; their code loads with the first expand.
    project: () => {
      // The default profile is API v2 (no customer fields): its name says so without reading the profile list.
      if (settings.activeProfileName() === DEFAULT_PROFILE) return undefined;
      const p = settings.activeProfile();
      return p.apiVersion === 'v3' && p.projectCode ? { vbotId: p.vbotId, projectCode: p.projectCode } : undefined;
    },
    load: async (): Promise<FieldsTreePart> =>
      (await import('./fieldsTree')).createFieldsTree({ settings, runner, storage, log, redraw: (n) => tree.redraw(n) }),
  });
  const tokens = new SecretTokenStore(context.secrets, settings, (t) => log.addSecrets([t?.accessToken, t?.refreshToken]));
  const switching = settings.onDidChange(() => void cache.switchTo(settings.activeProfile().name));
  return {
    parts: { settings, notifier, cache, tree, tokens, storage, dev },
    disposables: [settings, tree, cache, switching, tokens],
  };
}
