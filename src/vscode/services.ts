// The services the commands share: the API runner, the change journal, the change runner's wiring and the
// read-only documents. A lazy group of its own (esbuild.mjs LAZY_GROUPS), made once with the first command that
// needs it; the command groups take these modules from its file, so there is one journal and one runner.
import type * as vscode from 'vscode';
import { ChangeJournal } from '../core/journal/journal';
import type { ActiveCache } from './activeCache';
import { ApiFacts } from './apiFacts';
import { ApiRunner } from './apiRunner';
import type { VbotAuthProvider } from './authProvider';
import { Changes } from './changes';
import { ReadOnlyDocuments } from './documents';
import type { ExtensionLog } from './log';
import type { Notifier } from './notifier';
import type { Settings } from './settings';
import type { SecretTokenStore } from './tokenStore';
import type { CrmNode, TypeTreeProvider } from './typeTreeProvider';

/** What activation made, which the services are built on. */
export interface ServiceBase {
  globalState: vscode.Memento;
  /** The journal's file (extension.ts names it). */
  journalFile: string;
  settings: Settings;
  log: ExtensionLog;
  notifier: Notifier;
  cache: ActiveCache;
  tree: TypeTreeProvider;
  treeView: vscode.TreeView<CrmNode>;
  tokens: SecretTokenStore;
  auth: VbotAuthProvider;
}

export interface Services {
  tokens: SecretTokenStore;
  auth: VbotAuthProvider;
  runner: ApiRunner;
  journal: ChangeJournal;
  documents: ReadOnlyDocuments;
  facts: ApiFacts;
  changes: Changes;
}

/** Makes the services; the caller keeps the one result and disposes of `documents`. */
export function makeServices(b: ServiceBase): Services {
  const facts = new ApiFacts(b.globalState);
  const journal = new ChangeJournal(b.journalFile);
  return {
    tokens: b.tokens,
    auth: b.auth,
    facts,
    journal,
    runner: new ApiRunner(b.settings, b.auth, b.log, b.notifier, facts),
    documents: new ReadOnlyDocuments(),
    changes: new Changes({ cache: b.cache, journal, log: b.log, notifier: b.notifier, tree: b.tree, treeView: b.treeView }),
  };
}

// The customer fields' API and store are made by a later group (fieldsTree), but they check answers with zod,
// which lives here: kept in this file, they use its zod functions directly, and no other file needs zod's whole
// namespace (a namespace taken across split files cannot be tree-shaken).
export { FieldsApi } from '../core/fields/fieldsApi';
export { FieldStore } from '../core/fields/fieldStore';
