// Shared set-up for the extension-host suites: the real extension, a sandbox on a free port
// in this same process, user settings pointing at it, and readers for what a user could see.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeJournal } from '../../src/core/journal/journal';
import type { TypeCache } from '../../src/vscode/activeCache';
import type { Notifier } from '../../src/vscode/notifier';
import type { Settings } from '../../src/vscode/settings';
import type { CrmNode, TypeTreeProvider } from '../../src/vscode/typeTreeProvider';
import { VbotSandbox, type SandboxOptions } from '../sandbox/vbotSandbox';

export const EXTENSION_ID = 'vbotcrm.vbot-crm';
export const VBOT_ID = 'VB-TEST-0001';
export const USER = { username: 'demo', password: 'demo123' };

export interface ExtensionApi {
  cache: TypeCache;
  tree: TypeTreeProvider;
  treeView: vscode.TreeView<CrmNode>;
  notifier: Notifier;
  ready: Promise<unknown>;
  journal: ChangeJournal;
  /** The extension's own Settings (the profiles as it sees them right now). */
  settings: Settings;
  testHooks: {
    secrets: vscode.SecretStorage;
    globalState: vscode.Memento;
    workspaceState: vscode.Memento;
    logUri: vscode.Uri;
    /** Every line the extension logged, at every level (trace included). */
    logLines: string[];
  };
}

/** Runs one of our commands as a keybinding or script would; resolves with what it reports. */
export const exec = (command: string, arg?: unknown) => vscode.commands.executeCommand<string>(command, arg);

export async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
  const api = await ext.activate();
  await api.ready;
  assert.ok(api.testHooks, 'test hooks are on (VBOT_CRM_TEST_HOOKS=1)');
  return api;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<VbotSandbox> {
  return VbotSandbox.start({ users: [USER], ...options });
}

export async function setSetting(key: string, value: unknown, target = vscode.ConfigurationTarget.Global): Promise<void> {
  await vscode.workspace.getConfiguration('vbotCrm').update(key, value, target);
}

/** Points the extension at the sandbox, empties the cache and signs out: each test starts clean. */
export async function freshState(api: ExtensionApi, sandbox: VbotSandbox): Promise<void> {
  await setSetting('profiles', undefined);
  await vscode.commands.executeCommand('vbotCrm.switchProfile', { name: 'default' });
  await api.ready;
  await setSetting('baseUrl', sandbox.url);
  await setSetting('vbotId', VBOT_ID);
  await setSetting('requestTimeoutSeconds', 5);
  await vscode.commands.executeCommand('vbotCrm.signOut');
  for (const p of api.cache.snapshot().projects()) await api.cache.removeProject(p.vbotId, p.projectCode);
  sandbox.reset();
  api.notifier.shown.length = 0;
}

export async function signIn(): Promise<void> {
  const result = await vscode.commands.executeCommand('vbotCrm.signIn', USER);
  assert.equal(result, 'done', 'sign-in succeeded');
}

export interface SuiteOptions {
  /** Sign in before each test (after freshState). */
  signIn?: boolean;
  /** Close every editor before each test (after signing in): the active editor is then one the test opened. */
  closeEditors?: boolean;
  /** Prefix of a temp dir made once for the suite (`dir`) and removed after it. */
  tempDir?: string;
  /** For the suite's sandbox (its user is always USER). */
  sandbox?: SandboxOptions;
}

/** What sandboxSuite() sets up; read it in hooks and tests, not while mocha reads the describe block. */
export interface SuiteContext {
  readonly api: ExtensionApi;
  readonly sandbox: VbotSandbox;
  /** The suite's temp dir (with options.tempDir only). */
  readonly dir: string;
}

/**
 * The set-up nearly every suite repeats, registered as mocha hooks of the describe block that calls it:
 * `before` activates the extension, starts a sandbox and makes the temp dir; `beforeEach` runs freshState, then
 * signs in, then closes the editors (as asked); `after` closes the sandbox and removes the dir.
 * Call it first in the block: mocha runs hooks of one kind in the order they were registered, so the suite's own
 * hooks run after these ones: its `beforeEach` finds the state fresh and signed in, its `after` runs once the
 * sandbox is closed (so it must not need it).
 * (Not named `suiteSetup`: that is mocha's TDD name for `before`.)
 */
export function sandboxSuite(options: SuiteOptions = {}): SuiteContext {
  let api: ExtensionApi | undefined;
  let sandbox: VbotSandbox | undefined;
  let dir: string | undefined;
  before(async () => {
    api = await extensionApi();
    sandbox = await startSandbox(options.sandbox);
    if (options.tempDir !== undefined) dir = await fs.mkdtemp(path.join(os.tmpdir(), options.tempDir));
  });
  after(async () => {
    await sandbox?.close();
    if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await freshState(context.api, context.sandbox);
    if (options.signIn) await signIn();
    if (options.closeEditors) await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  // Getters, because the values only exist once `before` has run, long after this returns.
  const context: SuiteContext = {
    get api() {
      return ready(api, 'api');
    },
    get sandbox() {
      return ready(sandbox, 'sandbox');
    },
    get dir() {
      return ready(dir, 'dir (only with the tempDir option)');
    },
  };
  return context;
}

function ready<T>(value: T | undefined, name: string): T {
  assert.ok(value !== undefined, `sandboxSuite(): ${name} is not set up yet; read it in a hook or a test`);
  return value;
}

/** The cache file as on disk; no file yet reads as an empty list. */
let v3Profiles = 0;
/**
 * Adds (and makes active) a v3 profile for the sandbox's project `projectCode` of VBot ID `vbotId`, with a new API
 * key for it; signs in with the key unless `signIn` is false. Returns the key.
 */
export async function addV3Profile(
  ctx: SuiteContext,
  projectCode: string,
  opts: { vbotId?: string; signIn?: boolean } = {},
): Promise<string> {
  const vbotId = opts.vbotId ?? VBOT_ID;
  const key = ctx.sandbox.addApiKey(vbotId, projectCode);
  const added = await exec('vbotCrm.addProfile', {
    name: `v3-${projectCode}-${++v3Profiles}-${Date.now()}`,
    baseUrl: ctx.sandbox.urlV3,
    vbotId,
    apiVersion: 'v3',
    projectCode,
    skipConfirmation: true,
  });
  assert.equal(added, 'done');
  await ctx.api.ready;
  if (opts.signIn ?? true) assert.equal(await exec('vbotCrm.signIn', { apiKey: key }), 'done');
  return key;
}

export async function readCacheFile(api: ExtensionApi): Promise<unknown> {
  const text = await fs.readFile(api.cache.filePath, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '{"version":1,"projects":[]}';
    throw e;
  });
  return JSON.parse(text);
}

/** The types of one project as the cache file on disk says, as [code, name] pairs. */
export async function cachedTypes(api: ExtensionApi, projectCode: string, vbotId = VBOT_ID): Promise<Array<[string, string]>> {
  const file = (await readCacheFile(api)) as {
    projects: Array<{ vbotId: string; projectCode: string; types: Array<{ typeNo: string; typeName: string }> }>;
  };
  const project = file.projects.find((p) => p.vbotId === vbotId && p.projectCode === projectCode);
  return (project?.types ?? []).map((t) => [t.typeNo, t.typeName]);
}

/** What the tree shows under a project: [label, description] of each child item. */
export async function treeTypes(api: ExtensionApi, projectCode: string, vbotId = VBOT_ID): Promise<Array<[string, string]>> {
  const roots = await api.tree.getChildren();
  const project = roots.find((n) => n.kind === 'project' && n.projectCode === projectCode && n.vbotId === vbotId);
  if (!project) return [];
  const children = await api.tree.getChildren(project);
  return children.map((c) => {
    const item = api.tree.getTreeItem(c);
    return [String(item.label), String(item.description)];
  });
}

export async function typeNode(api: ExtensionApi, projectCode: string, typeNo: string): Promise<CrmNode> {
  const roots = await api.tree.getChildren();
  const project = roots.find((n) => n.kind === 'project' && n.projectCode === projectCode);
  assert.ok(project, `project ${projectCode} in the tree`);
  const node = (await api.tree.getChildren(project)).find((n) => n.kind === 'type' && n.typeNo === typeNo);
  assert.ok(node, `type ${typeNo} in the tree`);
  return node;
}

/**
 * Reveals a row as a person's click would. The extension itself reveals each type a command just made (without
 * waiting), and VS Code's extension host refuses two overlapping fetches of the same rows ("Element with id … is
 * already registered"): such a refusal is tried again once the other fetch is over, anything else is thrown.
 */
export async function revealRow(api: ExtensionApi, node: CrmNode, options: { select?: boolean; focus?: boolean; expand?: boolean }) {
  for (let attempt = 1; ; attempt++) {
    try {
      await api.treeView.reveal(node, options);
      return;
    } catch (e) {
      if (attempt >= 5 || !/is already registered/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export function lastNotification(api: ExtensionApi) {
  return api.notifier.shown[api.notifier.shown.length - 1];
}

export async function logText(api: ExtensionApi): Promise<string> {
  const dir = api.testHooks.logUri.fsPath;
  let text = '';
  for (const file of await fs.readdir(dir).catch(() => [] as string[])) {
    text += await fs.readFile(path.join(dir, file), 'utf8').catch(() => '');
  }
  return text;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The sandbox requests to CRM endpoints, without /token. */
export function crmRequests(sandbox: VbotSandbox) {
  return sandbox.requests.filter((r) => r.path.startsWith('/api/'));
}

// --- Profiles, their files and their secrets (pipeline and profile-binding suites) ---

/** A profile's cache file in the extension's storage: customer-types.json for "default", customer-types@<name>.json otherwise. */
export function cacheFileOf(api: ExtensionApi, profile: string): string {
  return path.join(path.dirname(api.cache.filePath), profile === 'default' ? 'customer-types.json' : `customer-types@${profile}.json`);
}

/** The types of one project in one cache file on disk, as [code, name] pairs; no file or no project reads as []. */
export async function typesInFile(file: string, projectCode: string, vbotId = VBOT_ID): Promise<Array<[string, string]>> {
  const text = await fs
    .readFile(file, 'utf8')
    .catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '{"projects":[]}' : Promise.reject(e)));
  type CacheFileShape = { projects: Array<{ vbotId: string; projectCode: string; types: Array<{ typeNo: string; typeName: string }> }> };
  const parsed = JSON.parse(text) as CacheFileShape;
  const project = parsed.projects.find((p) => p.vbotId === vbotId && p.projectCode === projectCode);
  return (project?.types ?? []).map((t) => [t.typeNo, t.typeName]);
}

/** The SecretStorage key holding a profile's tokens for a sandbox (src/vscode/tokenStore.ts). */
export function tokenKey(profile: string, server: { origin: string }): string {
  return `vbotCrm.tokens@${profile === 'default' ? '' : `${profile}@`}${server.origin}`;
}

export interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  expiresAt?: number;
}

export async function storedTokens(api: ExtensionApi, profile: string, server: { origin: string }): Promise<StoredTokens | undefined> {
  const raw = await api.testHooks.secrets.get(tokenKey(profile, server));
  return raw ? (JSON.parse(raw) as StoredTokens) : undefined;
}

/**
 * Makes a profile's stored access token expired, here and on the server, keeping its refresh token: the next
 * call of that profile refreshes first (src/core/tokenSession.ts).
 */
export async function expireStoredToken(api: ExtensionApi, profile: string, sandbox: VbotSandbox): Promise<StoredTokens> {
  const tokens = await storedTokens(api, profile, sandbox);
  assert.ok(tokens?.refreshToken, `profile ${profile} has a refresh token`);
  const expired = { ...tokens, expiresAt: Date.now() - 60_000 };
  await api.testHooks.secrets.store(tokenKey(profile, sandbox), JSON.stringify(expired));
  sandbox.expireAccessTokens();
  return expired;
}

/** The bearer token a recorded request carried ('' when none). */
export function bearerOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  return String(request.headers.authorization ?? '').replace(/^Bearer /, '');
}
