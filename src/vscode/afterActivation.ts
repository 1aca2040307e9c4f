// What starts once the cache is first read (after activate() returns), in a lazy group of its own (esbuild.mjs
// LAZY_GROUPS), so its code is not in the main file VS Code loads and compiles before activate(): the sign-in state
// for the welcome view and menus, the status bar item, the watcher of the cache folder, the stub that waits for a
// vbot-types.json, the Accounts menu's provider and the first log line.
import * as vscode from 'vscode';
import { type DevOverrides, describeDevOverrides } from '../core/devOverrides';
import type { ActiveCache } from './activeCache';
import { watchCacheFile } from './cacheWatcher';
import { AUTH_PROVIDER_ID, type LazyAuthProvider } from './lazyAuthProvider';
import type { ExtensionLog } from './log';
import { profileStatusItem } from './profileStatus';
import type { Settings } from './settings';
import type { SecretTokenStore } from './tokenStore';
import type { CrmNode } from './typeTreeProvider';
import { whenTypesFileOpens } from './typesFileStub';
import { trackContextKeys } from './viewState';

export interface AfterActivationParts {
  cache: ActiveCache;
  tokens: SecretTokenStore;
  settings: Settings;
  treeView: vscode.TreeView<CrmNode>;
  storage: string;
  log: ExtensionLog;
  lazyAuth: LazyAuthProvider;
  dev: DevOverrides | undefined;
  /** Loads vbot-types.json's language features. */
  loadLanguage: () => unknown;
}

export function startAfterActivation(p: AfterActivationParts): vscode.Disposable[] {
  const started = [
    trackContextKeys({ cache: p.cache, tokens: p.tokens, settings: p.settings, treeView: p.treeView }),
    profileStatusItem(p.settings, p.tokens),
    // The first fs.watch of a process loads Node's watcher code: ~2 ms. It reads the file once when it starts, so a
    // write by another window between the first read and the watch is not missed.
    watchCacheFile(p.storage, p.cache, p.log),
    whenTypesFileOpens(p.loadLanguage),
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'VBot CRM', p.lazyAuth, { supportsMultipleAccounts: true }),
  ];
  p.log.info(`VBot CRM activated (VS Code ${vscode.version}); profile ${p.settings.activeProfile().name}; cache at ${p.cache.filePath}`);
  if (p.dev) p.log.info(describeDevOverrides(p.dev));
  return started;
}
