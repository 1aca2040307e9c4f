// Benchmark entry run inside the real VS Code extension host (code-server), the way test/host/index.ts is:
// the workbench loads it as `extensionTestsPath` and calls run(); bench/run.ts starts one workbench per sample.
//
// What it measures, for the extension under development (the real one, or the generated empty one):
//   activation  the activate() call, from called to returned. Two sources: VS Code's own record
//               (extension host performance marks and the `activateCallTime` the workbench shows in
//               "Developer: Startup Performance", whole milliseconds from Date.now()), and a
//               performance.now() wrapper around the very activate function VS Code calls (sub-ms).
//               The extension is activated by opening its view container, as a user does (onView).
//   tree        from "open the view" to the root's children resolved (the same getChildren VS Code calls).
// And, for the real extension only (VBOT_BENCH_FULL=1):
//   memory      heap growth of the extension host from before activation to "10,000 types in 100 projects
//               cached, view open" (as it first shows them), and to "every project expanded", after forced GCs.
//   treeBuild   TypeTreeProvider.getChildren + getTreeItem for a project with 10,000 types, against building
//               10,000 plain vscode.TreeItems, with the real TreeItem class of this extension host.
//   fieldsDraw  the rows of a choice field with 1,000 options (12 colours), from the list read, against 1,000
//               plain TreeItems (issue 15: within the tree's target).
// Results go to the JSON file named by VBOT_BENCH_RESULT.
import * as inspector from 'node:inspector';
import Module from 'node:module';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import { CustomerTypeCache } from '../../src/core/cache/customerTypeCache';
import { TypeTreeProvider } from '../../src/vscode/typeTreeProvider';
import { ColourIcons, fieldNode, optionRows } from '../../src/vscode/fieldsNodes';
import type { FieldOption } from '../../src/core/fields/model';
import { cacheFileText, makeProjects, makeTypes } from '../lib/data';
import { interleaved, pairedRatio, sleep, stats } from '../lib/stats';

interface Api {
  tree: { getChildren(node?: unknown): Promise<unknown[]> | unknown[] };
  cache?: { filePath: string; reload?: () => Promise<unknown>; snapshot(): { typeCount(): number } };
  treeView?: vscode.TreeView<unknown>;
  ready?: Promise<unknown>;
}

type PerfMarks = { getMarks(): Array<{ name: string; startTime: number }> };

const VIEW_CONTAINER_COMMAND = 'workbench.view.extension.vbotCrm';

export async function run(): Promise<void> {
  const extId = process.env.VBOT_BENCH_EXT_ID ?? 'vbotcrm.vbot-crm';
  const main = resolve(process.env.VBOT_BENCH_MAIN ?? '');
  const resultFile = process.env.VBOT_BENCH_RESULT;
  // Several samples per workbench: after each one the window is reloaded, which starts a new extension host (a fresh
  // process, the extension not yet loaded) that runs this entry again; the results file (a JSON line per sample)
  // counts them.
  const samples = Number(process.env.VBOT_BENCH_SAMPLES ?? 1);
  const index = resultFile && existsSync(resultFile) ? readFileSync(resultFile, 'utf8').split('\n').filter(Boolean).length : 0;
  // The memory and tree-building samples come last, so the activation samples all meet an untouched workbench.
  const full = index >= samples - Number(process.env.VBOT_BENCH_FULL_SAMPLES ?? 0);
  const result: Record<string, unknown> = { extId, full, index };
  const phase: Record<string, number> = {};
  const tRun = Date.now();
  const mark = (name: string) => {
    phase[name] = Date.now() - tRun;
  };
  result.phaseMs = phase;
  result.runStartedAt = tRun;
  const write = () => {
    if (resultFile) appendFileSync(resultFile, JSON.stringify(result) + '\n');
  };
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      gc();
      const m = process.memoryUsage();
      return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
    };

    // The extension host loads the main file with a CommonJS require, i.e. through Module._load: wrap the
    // activate function it gets back, so the time of exactly the call VS Code makes is taken with performance.now().
    // The same hook hands the extension a `vscode` whose window.createTreeView notes the tree data provider, so
    // the tree can be asked for its children without the extension exporting anything (a normal session exports
    // nothing; test hooks are switched on only for the memory samples, which need the cache).
    const M = Module as unknown as { _load: (request: unknown, parent?: { filename?: string }, ...rest: unknown[]) => unknown };
    const originalLoad = M._load;
    const wrapped: { codeLoadMs?: number; activateMs?: number } = {};
    const captured: { provider?: Api['tree'] } = {};
    M._load = function (this: unknown, request: unknown, parent?: { filename?: string }, ...rest: unknown[]) {
      // The main file runs dist/main.js (src/mainLoader.ts), which asks for `vscode`: any file of its dist/.
      if (request === 'vscode' && parent?.filename && dirname(resolve(parent.filename)) === dirname(main)) {
        return withTreeCapture(originalLoad.call(this, request, parent, ...rest) as typeof vscode, captured);
      }
      if (typeof request !== 'string' || !isAbsolute(request) || resolve(request) !== main)
        return originalLoad.call(this, request, parent, ...rest);
      const t0 = performance.now();
      const mod = originalLoad.call(this, request, parent, ...rest) as {
        activate?: (...a: unknown[]) => unknown;
        deactivate?: (...a: unknown[]) => unknown;
      };
      wrapped.codeLoadMs = performance.now() - t0;
      return {
        activate(this: unknown, ...args: unknown[]) {
          const t = performance.now();
          try {
            return mod.activate?.apply(this, args);
          } finally {
            wrapped.activateMs = performance.now() - t;
          }
        },
        deactivate: mod.deactivate && ((...args: unknown[]) => mod.deactivate!(...args)),
      };
    };
    if (full) process.env.VBOT_CRM_TEST_HOOKS = '1';
    result.testHooks = full;

    // Let the workbench and the built-in extensions finish starting, so they do not run during the activation.
    await sleep(Number(process.env.VBOT_BENCH_SETTLE_MS ?? 3000));
    // --gc-before: start from a collected heap, as the memory samples do (they need it for their figure).
    const before = full || process.env.VBOT_BENCH_GC_BEFORE === '1' ? heap() : undefined;

    const profile = process.env.VBOT_BENCH_CPU_PROFILE ? await startProfiler() : undefined;
    const ext = vscode.extensions.getExtension<Api | undefined>(extId);
    if (!ext) throw new Error(`extension ${extId} is not loaded`);
    if (ext.isActive) throw new Error('the extension was activated before the measurement');
    const t0 = performance.now();
    await vscode.commands.executeCommand(VIEW_CONTAINER_COMMAND);
    const api = await ext.activate();
    const tActive = performance.now();
    const provider = captured.provider;
    if (!provider) throw new Error(`no tree view was created (wrapper saw: ${JSON.stringify(wrapped)})`);
    await provider.getChildren(); // waits for the cache to load, as VS Code's own first call does
    const tTree = performance.now();
    M._load = originalLoad;
    // One file per sample (the workbench's last samples are the test-hooks ones, which must not hide the others).
    if (profile) await profile.stop(process.env.VBOT_BENCH_CPU_PROFILE!.replace(/(\.cpuprofile)?$/, `-${index + 1}$1`));
    result.wrapped = wrapped;
    result.openViewToActiveMs = tActive - t0;
    result.openViewToTreeMs = tTree - t0;
    const markTimes = extensionMarkTimes(extId);
    result.marks = extensionMarks(markTimes);
    result.timeline = extensionTimeline(markTimes, t0, { active: tActive, tree: tTree });
    mark('activated');

    if (full) {
      if (!api?.cache) throw new Error('the extension exported no cache although VBOT_CRM_TEST_HOOKS=1');
      result.memory = await measureMemory(api, provider, heap, before!);
      mark('memory');
      result.treeBuild = await measureTreeBuild();
      mark('treeBuild');
      result.fieldsDraw = await measureFieldsDraw();
      mark('fieldsDraw');
    }
    // Last, as it opens an editor.
    result.activationTimes = await activationTimesFromPerfView(extId);
    mark('perfView');
  } catch (e) {
    result.error = (e as Error)?.stack ?? String(e);
  }
  result.runEndedAt = Date.now();
  write();
  if (!result.error && index + 1 < samples) {
    // Leave the workbench as the next sample expects it (view closed: the new host must not activate us early).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.explorer');
    await sleep(300);
    // The web workbench has no "Restart Extension Host"; reloading the window gives a new extension host too.
    void vscode.commands.executeCommand('workbench.action.reloadWindow');
    await new Promise(() => undefined); // this host ends here; the next one calls run() again
  }
}

/** The extension's `vscode`, whose window.createTreeView also hands the data provider to the benchmark. */
function withTreeCapture(api: typeof vscode, captured: { provider?: Api['tree'] }): typeof vscode {
  const createTreeView: typeof vscode.window.createTreeView = (id, options) => {
    // The types view only: the History view (also made at activation) would otherwise be the one measured.
    if (id === 'vbotCrm.types') captured.provider = options.treeDataProvider as unknown as Api['tree'];
    return api.window.createTreeView(id, options);
  };
  const window = new Proxy(api.window, { get: (target, key) => (key === 'createTreeView' ? createTreeView : Reflect.get(target, key)) });
  return new Proxy(api, { get: (target, key) => (key === 'window' ? window : Reflect.get(target, key)) });
}

/** A CPU profile of this extension host (for `npm run bench -- --cpu-prof`): what the activation spends its time on. */
async function startProfiler(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((res, rej) => session.post(method, params ?? {}, (err, out) => (err ? rej(err) : res(out))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 50 });
  await post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/**
 * The extension host's own performance marks for this extension (`code/extHost/<name>/<extId>`, Date.now() based,
 * whole ms): each name's first mark time.
 */
function extensionMarkTimes(extId: string): Map<string, number> | undefined {
  const perf = (globalThis as { MonacoPerformanceMarks?: PerfMarks }).MonacoPerformanceMarks;
  if (!perf) return undefined;
  const times = new Map<string, number>();
  for (const m of perf.getMarks()) {
    const [code, host, name, id] = m.name.split('/');
    if (code === 'code' && host === 'extHost' && id === extId && !times.has(name)) times.set(name, m.startTime);
  }
  return times;
}

/** Loading the code and activating, from the marks. */
function extensionMarks(times: Map<string, number> | undefined): Record<string, number> | undefined {
  const [willLoad, didLoad, willActivate, didActivate] = [
    'willLoadExtensionCode',
    'didLoadExtensionCode',
    'willActivateExtension',
    'didActivateExtension',
  ].map((name) => times?.get(name));
  if (willLoad === undefined || didActivate === undefined) return undefined;
  return { loadCodeMs: didLoad! - willLoad, activateMs: didActivate - willActivate!, totalMs: didActivate - willLoad };
}

/**
 * Where the path from opening the view to the tree went, in ms from opening it: VS Code's marks for this extension
 * (will/did load its code, will/did activate it) and the bench's own `active` and `tree` (performance.now times).
 */
function extensionTimeline(times: Map<string, number> | undefined, t0: number, own: Record<string, number>): Record<string, number> {
  const epochT0 = performance.timeOrigin + t0;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const timeline: Record<string, number> = {};
  for (const [name, t] of times ?? []) timeline[name] = round(t - epochT0);
  for (const [name, t] of Object.entries(own)) timeline[name] = round(t - t0);
  return timeline;
}

/**
 * The workbench's record of the activation (what "Developer: Show Running Extensions" and "Developer: Startup
 * Performance" show): its text model `perf:Startup Performance` has a table row per activated extension,
 * | id | eager | load code | call activate | finish activate | event | by |. The document fills in once the
 * workbench reaches its last lifecycle phase, so wait for our row.
 */
async function activationTimesFromPerfView(extId: string, timeoutMs = 30_000): Promise<Record<string, unknown> | undefined> {
  // The workbench registers the `perf` document provider when the Startup Performance editor is first asked for.
  await vscode.commands.executeCommand('perfview.show');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'perf', path: 'Startup Performance' }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = doc
      .getText()
      .split('\n')
      .map((l) => l.split('|').map((c) => c.trim()))
      .find((cells) => cells[1] === extId);
    if (row) {
      return {
        eager: row[2] === 'true',
        codeLoadingMs: Number(row[3]),
        activateCallMs: Number(row[4]),
        activateResolvedMs: Number(row[5]),
        event: row[6],
      };
    }
    if (Date.now() > deadline) return undefined;
    await sleep(200);
  }
}

/**
 * Puts 10,000 types in 100 projects into the extension's cache file and lets the extension pick them up, then
 * opens the view as a user does (with this many types the projects show collapsed), then expands every project
 * (VS Code asks for every project's children and keeps the items), and compares the heap at each step with the
 * one before activation.
 */
async function measureMemory(
  api: Api,
  provider: Api['tree'],
  heap: () => { heapUsed: number; external: number; arrayBuffers: number },
  before: ReturnType<typeof heap>,
) {
  if (!api.cache || !api.treeView) throw new Error('the extension exports no cache or tree view');
  const afterActivation = heap();
  const calls = countGetChildren(provider);
  // First with the view hidden (the cache alone), then shown, then every project expanded: the cost of the
  // cached data, of the view as it opens, and of 10,000 drawn items can be told apart.
  // Hiding the side bar (rather than showing another view) wakes no other extension.
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await sleep(300);
  // The file's text (1.6 MB, held as UTF-16: 3.2 MB of heap) is made and dropped in there, so it is not
  // counted as the extension's.
  const cacheFileBytes = await writeBenchCacheFile(api.cache.filePath);
  await api.cache.reload?.();
  const deadline = Date.now() + 60_000;
  const until = async (done: () => boolean, what: () => string) => {
    while (!done()) {
      if (Date.now() > deadline) throw new Error(what());
      await sleep(100);
    }
  };
  await until(
    () => api.cache!.snapshot().typeCount() === 10_000,
    () => `cache not reloaded: ${api.cache!.snapshot().typeCount()} types`,
  );
  await sleep(500);
  const cached = heap();
  const callsWhileHidden = calls.resolved;
  await vscode.commands.executeCommand(VIEW_CONTAINER_COMMAND);
  await until(
    () => calls.resolved > callsWhileHidden,
    () => 'the view asked for no children',
  );
  await sleep(1000); // the items go to the workbench after getChildren resolved
  const opened = heap();
  const callsWhenOpened = calls.resolved - callsWhileHidden;
  const projects = await provider.getChildren();
  for (const project of projects) await api.treeView.reveal(project, { expand: true, focus: false, select: false });
  await until(
    () => calls.resolved - callsWhileHidden >= 1 + 100,
    () => `tree not drawn: ${calls.resolved - callsWhileHidden} getChildren calls`,
  );
  await sleep(1000);
  const expanded = heap();
  // The next sample (a restarted host, same user data) must start from an empty cache again.
  await fs.rm(api.cache.filePath, { force: true });
  await api.cache.reload?.();
  return {
    cacheFileBytes,
    getChildrenCallsWhenOpened: callsWhenOpened,
    getChildrenCalls: calls.resolved - callsWhileHidden,
    before,
    afterActivation,
    cached,
    opened,
    expanded,
    heapGrowthBytes: opened.heapUsed - before.heapUsed,
    expandedHeapGrowthBytes: expanded.heapUsed - before.heapUsed,
    activationHeapGrowthBytes: afterActivation.heapUsed - before.heapUsed,
    cacheHeapGrowthBytes: cached.heapUsed - afterActivation.heapUsed,
    viewHeapGrowthBytes: opened.heapUsed - cached.heapUsed,
    treeHeapGrowthBytes: expanded.heapUsed - opened.heapUsed,
    externalGrowthBytes: opened.external - before.external,
  };
}

/** Writes 10,000 types in 100 projects to the cache file as another window would (temp file, rename); returns its size. */
async function writeBenchCacheFile(filePath: string): Promise<number> {
  const text = cacheFileText(makeProjects(100, 100));
  const tmp = `${filePath}.bench-tmp`;
  await fs.mkdir(dirname(filePath), { recursive: true });
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, filePath);
  return Buffer.byteLength(text);
}

/** Counts the getChildren calls VS Code makes on the provider (it calls the instance's method each time). */
function countGetChildren(tree: Api['tree']): { resolved: number } {
  const counter = { resolved: 0 };
  const original = tree.getChildren.bind(tree);
  tree.getChildren = async (node?: unknown) => {
    const out = await original(node);
    counter.resolved++;
    return out;
  };
  return counter;
}

/**
 * getChildren + getTreeItem for every child of a 10,000-type project, against building 10,000 plain TreeItems
 * (label and description), three ways: cold (a new provider: the first time the project is drawn), after one
 * type of the project changed (what VS Code asks for after an edit), and unchanged (a redraw).
 */
async function measureTreeBuild() {
  const dir = join(tmpdir(), `vbot-bench-tree-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const vbotId = 'VB-BENCH-0001';
    const projectCode = 'BIG';
    const types = makeTypes(10_000, 42);
    const file = join(dir, 'customer-types.json');
    writeFileSync(file, cacheFileText([{ vbotId, projectCode, types }]));
    const cache = new CustomerTypeCache(file);
    await cache.load();
    // Only the cache is passed: the provider's "ready" default is already settled.
    const newProvider = () => new (TypeTreeProvider as unknown as new (c: unknown) => TypeTreeProvider)(cache);
    const plainLabels = types.map((t) => [t.typeName, t.typeNo] as const);
    let keep: unknown;
    const build = async (provider: TypeTreeProvider) => {
      const [project] = await provider.getChildren();
      const t0 = performance.now();
      const children = await provider.getChildren(project);
      const items = children.map((c) => provider.getTreeItem(c));
      const ms = performance.now() - t0;
      if (items.length !== 10_000) throw new Error(`${items.length} children`);
      keep = items;
      return ms;
    };
    const plain = async () => {
      const t0 = performance.now();
      const items = plainLabels.map(([label, description]) => {
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.description = description;
        return item;
      });
      const ms = performance.now() - t0;
      keep = items;
      return ms;
    };
    const rounds = Number(process.env.VBOT_BENCH_TREE_ROUNDS ?? 11);
    const series = async (ours: () => Promise<number>) => {
      for (let i = 0; i < 2; i++) {
        await ours();
        await plain();
      }
      const r = await interleaved(rounds, ours, plain);
      return { ours: stats(r.ours), base: stats(r.base), ratio: pairedRatio(r.ours, r.base), ourSamples: r.ours, baseSamples: r.base };
    };
    const cold = await series(async () => {
      const provider = newProvider();
      try {
        return await build(provider);
      } finally {
        provider.dispose();
      }
    });
    const shared = newProvider();
    await build(shared);
    const treeProfile = process.env.VBOT_BENCH_TREE_PROFILE ? await startProfiler() : undefined;
    const warm = await series(() => build(shared));
    if (treeProfile) await treeProfile.stop(process.env.VBOT_BENCH_TREE_PROFILE!);
    let flip = 0;
    const oneChange = await series(async () => {
      // The change itself (a cache write) is not timed; drawing the project afterwards is.
      await cache.upsertType(vbotId, projectCode, { typeNo: 'KH04242', typeName: `Khách hàng đổi tên ${flip++ % 2}` });
      return build(shared);
    });
    void keep;
    shared.dispose();
    cache.dispose();
    return { unit: 'ms', rounds, cold, warm, oneChange };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The first draw of a choice field with 1,000 options once its list is read (the read is the `fields` figure):
 * fieldsTree's rows (colour icons, one file per colour, looked up anew each round as on a first expand; code as
 * description; tooltip) against 1,000 plain TreeItems with the same label and description.
 */
async function measureFieldsDraw() {
  const dir = join(tmpdir(), `vbot-bench-fields-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const palette = [
      '#E53935',
      '#FB8C00',
      '#F9A825',
      '#43A047',
      '#00ACC1',
      '#1E88E5',
      '#6A1B9A',
      '#D81B60',
      '#6D4C41',
      '#757575',
      '#BDBDBD',
      '#000000',
    ];
    const options: FieldOption[] = Array.from({ length: 1000 }, (_, i) => ({
      code: `OPT_${String(i).padStart(4, '0')}`,
      name: `Lựa chọn số ${i}`,
      type: 'OPTION',
      groupCode: null,
      number: i + 1,
      color: palette[i % palette.length],
      textColor: '#FFFFFF',
    }));
    const [vbotId, projectCode] = ['VB-BENCH-0001', 'BIG'];
    const project = { kind: 'project' as const, vbotId, projectCode };
    const root = {
      kind: 'fields' as const,
      vbotId,
      projectCode,
      parent: project,
      id: `fields/${vbotId}/${projectCode}`,
      label: 'Customer fields',
    };
    const field = fieldNode(root, {
      code: 'nguon',
      name: 'Nguồn',
      type: 'RADIO',
      number: 1,
      color: null,
      textColor: null,
      description: null,
      isRequired: false,
      isDefault: false,
    });
    let keep: unknown;
    const ours = async () => {
      const icons = new ColourIcons(dir);
      const t0 = performance.now();
      const rows = optionRows(icons, field, options);
      const ms = performance.now() - t0;
      if (rows.length !== 1000) throw new Error(`${rows.length} rows`);
      keep = rows;
      return ms;
    };
    const plain = async () => {
      const t0 = performance.now();
      const items = options.map((o) => {
        const item = new vscode.TreeItem(o.name, vscode.TreeItemCollapsibleState.None);
        item.description = o.code;
        return item;
      });
      const ms = performance.now() - t0;
      keep = items;
      return ms;
    };
    for (let i = 0; i < 3; i++) {
      await ours();
      await plain();
    }
    const rounds = Number(process.env.VBOT_BENCH_TREE_ROUNDS ?? 11);
    const r = await interleaved(rounds, ours, plain);
    void keep;
    return { unit: 'ms', rounds, options: options.length, ourSamples: r.ours, baseSamples: r.base };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
