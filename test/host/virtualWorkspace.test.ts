// Remote and virtual workspaces: vbot-types.json, imports and exports on a file system that is not this machine's
// disk. The suite registers an in-memory FileSystemProvider for the scheme "vbotmem" (as a virtual workspace's
// extension does, e.g. GitHub Repositories) and runs the commands with its URIs, against the sandbox: every
// file goes through vscode.workspace.fs, with the guarantees of local files (size checked before a byte is read,
// UTF-8 only, no writing through a link, a question before replacing a file outside the workspace).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, VBOT_ID, cachedTypes, exec, lastNotification, sandboxSuite } from './helpers';

const SCHEME = 'vbotmem';

interface Entry {
  data: Uint8Array;
  /** A symbolic link: stat says File | SymbolicLink and reads go to the target, as VS Code's disk provider does. */
  linkTo?: string;
  /** The size stat reports, when a test wants it to differ from the bytes (a file too large to read). */
  size?: number;
}

/** A file system in memory: paths to files, folders implied by them or made with createDirectory. */
class MemoryFs implements vscode.FileSystemProvider {
  readonly files = new Map<string, Entry>();
  readonly folders = new Set(['/']);
  /** Paths read and written, in order: what a refusal must not have touched. */
  readonly reads: string[] = [];
  readonly writes: string[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  put(path: string, content: string | Uint8Array, extra: Omit<Entry, 'data'> = {}): vscode.Uri {
    this.files.set(path, { data: typeof content === 'string' ? new TextEncoder().encode(content) : content, ...extra });
    return vscode.Uri.from({ scheme: SCHEME, path });
  }

  text(path: string): string | undefined {
    const e = this.files.get(path);
    return e && new TextDecoder('utf-8', { ignoreBOM: true }).decode(e.data); // the bytes as written, a BOM included
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const e = this.files.get(uri.path);
    if (e) {
      const type = e.linkTo ? vscode.FileType.File | vscode.FileType.SymbolicLink : vscode.FileType.File;
      return { type, ctime: 0, mtime: 0, size: e.size ?? this.target(e).data.length };
    }
    if (this.isFolder(uri.path)) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const prefix = uri.path.endsWith('/') ? uri.path : `${uri.path}/`;
    const names = new Map<string, vscode.FileType>();
    for (const p of [...this.files.keys(), ...this.folders])
      if (p.startsWith(prefix) && p !== prefix) {
        const [name, ...rest] = p.slice(prefix.length).split('/');
        names.set(name, rest.length || this.folders.has(p) ? vscode.FileType.Directory : vscode.FileType.File);
      }
    return [...names];
  }

  createDirectory(uri: vscode.Uri): void {
    this.folders.add(uri.path);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    this.reads.push(uri.path);
    const e = this.files.get(uri.path);
    if (!e) throw vscode.FileSystemError.FileNotFound(uri);
    return this.target(e).data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    this.writes.push(uri.path);
    const e = this.files.get(uri.path);
    this.files.set(e?.linkTo ?? uri.path, { data: content });
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('not in this test');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('not in this test');
  }

  private target(e: Entry): Entry {
    return e.linkTo ? (this.files.get(e.linkTo) ?? { data: new Uint8Array() }) : e;
  }

  private isFolder(path: string): boolean {
    return this.folders.has(path) || [...this.files.keys()].some((p) => p.startsWith(`${path}/`));
  }
}

const editorText = () => vscode.window.activeTextEditor?.document.getText() ?? '';
const desired = (projectCode: string, types: Array<[string, string]>) =>
  JSON.stringify({
    version: 1,
    projects: [{ vbotId: VBOT_ID, projectCode, types: types.map(([typeNo, typeName]) => ({ typeNo, typeName })) }],
  });

describe('remote and virtual workspaces: files through vscode.workspace.fs', () => {
  const ctx = sandboxSuite({ signIn: true, closeEditors: true });
  let mem: MemoryFs;
  let registration: vscode.Disposable | undefined;
  before(() => {
    mem = new MemoryFs();
    registration = vscode.workspace.registerFileSystemProvider(SCHEME, mem, { isCaseSensitive: true });
  });
  after(() => registration?.dispose());
  afterEach(() => {
    ctx.api.notifier.answerModal = undefined;
  });

  it('prefers the UI side (the local list follows the user) and runs on the workspace side where there is none, as in code-server', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.deepEqual(ext?.packageJSON.extensionKind, ['ui', 'workspace']);
    assert.equal(ext?.packageJSON.capabilities?.virtualWorkspaces, true);
    // code-server's browser has no Node extension host: the second choice is taken, and the extension runs.
    assert.equal(ext?.extensionKind, vscode.ExtensionKind.Workspace);
    assert.ok(ext?.isActive);
  });

  it('plans vbot-types.json from its Uri (as the editor title passes it) and applies it after the question', async () => {
    const uri = mem.put(
      '/repo/vbot-types.json',
      desired('VIRT', [
        ['A', 'Một'],
        ['B', 'Hai'],
      ]),
    );
    assert.equal(await exec('vbotCrm.plan', uri), 'done');
    assert.match(editorText(), /^# Plan for vbot-types\.json/);
    assert.match(editorText(), /\+ add A "Một"/);
    assert.match(editorText(), /\+ add B "Hai"/);
    assert.ok(mem.reads.includes('/repo/vbot-types.json'), 'read through the provider');
    assert.equal(ctx.sandbox.types(VBOT_ID, 'VIRT').length, 0, 'nothing sent while planning');

    const asked: string[] = [];
    ctx.api.notifier.answerModal = (q) => (asked.push(q.message), 'Apply');
    assert.equal(await exec('vbotCrm.apply', uri), 'done');
    assert.match(asked[0] ?? '', /^Apply 2 changes from vbot-types\.json to VBot/);
    const pairs = ctx.sandbox.types(VBOT_ID, 'VIRT').map((t) => [t.typeNo, t.typeName]);
    assert.deepEqual(pairs.sort(), [
      ['A', 'Một'],
      ['B', 'Hai'],
    ]);
    assert.deepEqual((await cachedTypes(ctx.api, 'VIRT')).sort(), pairs);
    assert.match(editorText(), /^# Result of applying vbot-types\.json/);
    // The same file named by its URI string (`filePath`, as Retry and scripts pass it): nothing left to do.
    assert.equal(await exec('vbotCrm.apply', { filePath: uri.toString(), skipConfirmation: true }), 'done');
    assert.match(lastNotification(ctx.api).message, /^Nothing to apply: VBot already matches vbot-types\.json \(2 unchanged\)/);
  });

  it('imports a CSV from it and exports CSV and vbot-types.json to it; replacing a file there asks first', async () => {
    const csv = mem.put('/data/types.csv', '\uFEFFproject_code,type_no,type_name\nMEM,VIP,"Khách VIP, hạng 1"\nMEM,LE,Bán lẻ\n');
    assert.equal(await exec('vbotCrm.importTypes', { filePath: csv.toString(), mode: 'listOnly', skipConfirmation: true }), 'done');
    assert.deepEqual(await cachedTypes(ctx.api, 'MEM'), [
      ['LE', 'Bán lẻ'],
      ['VIP', 'Khách VIP, hạng 1'],
    ]);
    assert.equal(ctx.sandbox.requests.filter((r) => r.path.startsWith('/api/')).length, 0, 'list only: nothing sent');

    const out = `${SCHEME}:/out/MEM.csv`;
    assert.equal(await exec('vbotCrm.exportTypes', { projectCode: 'MEM', format: 'csv', filePath: out }), 'done');
    const exported = `\uFEFFvbot_id,project_code,type_no,type_name\r\n${VBOT_ID},MEM,LE,Bán lẻ\r\n${VBOT_ID},MEM,VIP,"Khách VIP, hạng 1"\r\n`;
    assert.equal(mem.text('/out/MEM.csv'), exported);
    assert.match(lastNotification(ctx.api).message, /^Exported 2 customer types of project MEM to MEM\.csv/);

    // It exists now, outside the workspace: exporting again asks, and No leaves it as it is.
    await ctx.api.cache.upsertType(VBOT_ID, 'MEM', { typeNo: 'NEW', typeName: 'Mới' });
    const asked: string[] = [];
    ctx.api.notifier.answerModal = (q) => (asked.push(`${q.message} ${q.detail}`), undefined);
    assert.equal(await exec('vbotCrm.exportTypes', { projectCode: 'MEM', format: 'csv', filePath: out }), 'cancelled');
    assert.match(asked[0] ?? '', /^Replace MEM\.csv\? vbotmem:\/out\/MEM\.csv already exists and is outside the workspace/);
    assert.equal(mem.text('/out/MEM.csv'), exported);
    ctx.api.notifier.answerModal = () => 'Replace';
    assert.equal(await exec('vbotCrm.exportTypes', { projectCode: 'MEM', format: 'csv', filePath: out }), 'done');
    assert.match(mem.text('/out/MEM.csv') ?? '', /MEM,NEW,Mới/);

    // As code: the exported vbot-types.json plans against the same list with nothing to do.
    const asCode = `${SCHEME}:/out/as-code/vbot-types.json`;
    assert.equal(await exec('vbotCrm.exportTypes', { projectCode: 'MEM', format: 'vbotTypes', filePath: asCode }), 'done');
    assert.match(mem.text('/out/as-code/vbot-types.json') ?? '', /"typeNo": "NEW"/);
    assert.equal(await exec('vbotCrm.plan', { filePath: asCode }), 'done');
    assert.match(editorText(), /VBot is up to date with vbot-types\.json/);
  });

  it('keeps the guarantees of local files: too large refused before reading, not UTF-8 refused by line, no writing through a link', async () => {
    const big = mem.put('/big/vbot-types.json', desired('BIG', [['A', 'Một']]), { size: 6 * 1024 * 1024 });
    assert.equal(await exec('vbotCrm.plan', big), 'invalid');
    assert.match(lastNotification(ctx.api).message, /^vbot-types\.json is too large \(more than 5 MB\); nothing was planned/);
    assert.ok(!mem.reads.includes('/big/vbot-types.json'), 'refused from its stat: not a byte read');

    // "Khách" in Windows-1258 on line 3.
    const latin = new Uint8Array([
      ...new TextEncoder().encode('project_code,type_no,type_name\nMEM,A,A\nMEM,K,Kh'),
      0xe1,
      0x63,
      0x68,
      0x0a,
    ]);
    const bad = mem.put('/data/1258.csv', latin);
    assert.equal(await exec('vbotCrm.importTypes', { filePath: bad.toString(), mode: 'listOnly', skipConfirmation: true }), 'invalid');
    assert.match(lastNotification(ctx.api).message, /^1258\.csv was not imported; nothing was changed\. line 3:/);
    assert.deepEqual(await cachedTypes(ctx.api, 'MEM'), []);

    await ctx.api.cache.upsertType(VBOT_ID, 'MEM', { typeNo: 'VIP', typeName: 'VIP' });
    mem.put('/secret/target.csv', 'untouched\n');
    mem.put('/out/link.csv', '', { linkTo: '/secret/target.csv' });
    const written = mem.writes.length;
    assert.equal(
      await exec('vbotCrm.exportTypes', { projectCode: 'MEM', format: 'csv', filePath: `${SCHEME}:/out/link.csv`, skipConfirmation: true }),
      'invalid',
    );
    assert.match(lastNotification(ctx.api).message, /^link\.csv was not written: it is a symbolic link/);
    assert.equal(mem.writes.length, written, 'nothing written');
    assert.equal(mem.text('/secret/target.csv'), 'untouched\n');
  });
});
