// Bundles the extension (and, with --tests, the extension-host test suites; with --bench, the benchmarks).
// Usage: node esbuild.mjs [--production] [--watch] [--tests] [--bench] [--metafile <file>]
// (--metafile writes esbuild's account of where the extension bundle's bytes come from, for the benchmark.)
import * as esbuild from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, watch as watchFiles, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const bench = process.argv.includes('--bench');
const metafileAt = process.argv.includes('--metafile') ? process.argv[process.argv.indexOf('--metafile') + 1] : undefined;

// Parts of dependencies the extension never uses, left out of the bundle (about 15 KiB minified):
// - graceful-fs, which proper-lockfile loads as its fs: it queues opens when a process runs out of file
//   handles, and the lock only ever makes, touches and removes one directory at a time; Node's fs does that.
// - node-fetch's multipart parser, loaded only by Response.formData(); the VBot API answers JSON.
const leaveOutUnusedParts = {
  name: 'leave-out-unused-parts',
  setup(build) {
    build.onResolve({ filter: /^graceful-fs$/ }, () => ({ path: 'fs', external: true }));
    build.onResolve({ filter: /\/multipart-parser\.js$/ }, (args) =>
      args.importer.includes('node-fetch') ? { path: args.path, namespace: 'left-out' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({
      contents: 'export function toFormData() { throw new Error("multipart bodies are not supported"); }',
    }));
  },
};

const common = {
  plugins: [leaveOutUnusedParts],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // fetch-blob (under node-fetch) loads this polyfill only where Node lacks web streams; Node 20 has them.
  external: ['vscode', 'web-streams-polyfill/*'],
  // jsonc-parser's "main" is a UMD build whose require('./impl/…') esbuild cannot follow: its ES modules instead.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  sourcemap: !production,
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
};

// The dependencies that only the first API call, the first lock or an import need are bundled into files of
// their own under dist/deps/ and required from there when first needed, so dist/extension.js, which VS Code
// loads and compiles before activate(), is mostly our own code. Each dependency is in one file only, so all
// our code sees the same classes (node-fetch's FetchError, say). (zod stays in: tree-shaken it is small, and
// it is initialized only with the API client.)
const DEFERRED_DEPENDENCIES = ['node-fetch', 'papaparse', 'proper-lockfile'];
/** `from`: where dist/deps/ is, seen from the output file (dist/lazy/ files reach it as ../deps/). */
const requireDeferredFrom = (from) => ({
  name: 'require-deferred-from-deps',
  setup(build) {
    // import 'x' → a module that requires <from>/deps/x.js at run time.
    build.onResolve({ filter: new RegExp(`^(${DEFERRED_DEPENDENCIES.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'deferred',
    }));
    build.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`${from}/deps/${args.path}.js`)});`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.{1,2}\/deps\//, namespace: 'deferred' }, (args) => ({ path: args.path, external: true }));
  },
});

// Lazy groups: source files the extension loads with import() when first needed (a group of commands, the
// services the commands share, the authentication provider's internals). Each is bundled into
// dist/lazy/<name>.js, and an import() of it anywhere in src/ becomes a require() of that file, so
// dist/extension.js, which VS Code loads and compiles before activate(), carries only what the first paint of
// the view needs. To add a group: write src/vscode/<name>.ts, import() it where it is first needed (e.g. in a
// registerLazily loader in src/extension.ts), and add its path here. Any other import() is bundled in place.
//
// One copy of every module: a module goes into the first of these files (dist/extension.js, then the groups in
// this order) whose code uses it, and the later files require it from there (buildSplit below). So classes
// (instanceof) and module-level state are never duplicated, whatever group is loaded first; loading a group
// loads the files it takes modules from. Put groups whose modules others share (services) early.
const LAZY_GROUPS = [
  'vscode/viewParts',
  'vscode/afterActivation',
  'core/cache/edits',
  'vscode/authProvider',
  'vscode/cacheProblem',
  'vscode/services',
  'vscode/authCommands',
  'vscode/profileCommands',
  'vscode/projectCommands',
  'vscode/typeCommands',
  'vscode/selectionCommands',
  'vscode/historyCommands',
  'vscode/planCommands',
  'vscode/transferCommands',
  'vscode/checkApiCommands',
  'vscode/typesLanguage',
  'vscode/fieldsTree',
  'vscode/optionCommands',
];
// The first is src/extension.ts, run by dist/extension.js (src/mainLoader.ts, built below) through V8's code cache;
// the lazy files require it as dist/extension.js too, so they share the very module the loader ran.
const SPLIT_BUNDLES = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/main.js', requiredAs: 'dist/extension.js' },
  ...LAZY_GROUPS.map((group) => ({ entryPoints: [`src/${group}.ts`], outfile: `dist/lazy/${path.basename(group)}.js` })),
];
// By real path, as esbuild resolves imports (the benchmark builds in a folder whose src/ is a symlink).
const GROUP_FILES = new Map(SPLIT_BUNDLES.slice(1).map((b) => [realpathSync(b.entryPoints[0]), b.outfile]));

/**
 * The plugin of split bundle `index`: import() of a group → require of its file; an import of a module that an
 * earlier bundle holds (`plan.owner`) → that file's `__modules` entry. `requested` collects, per earlier bundle,
 * the modules asked of it, which it must export next time.
 */
const splitPlugin = (index, plan, requested) => ({
  name: 'split-bundles',
  setup(build) {
    // Output paths and module keys use / (metafile keys do, on Windows too).
    const outDir = path.posix.dirname(SPLIT_BUNDLES[index].outfile);
    const relative = (file) => (path.posix.relative(outDir, file).startsWith('..') ? '' : './') + path.posix.relative(outDir, file);
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.namespace !== 'file' || args.pluginData?.splitResolved) return undefined;
      const found = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { splitResolved: true },
      });
      if (found.errors.length || found.external || found.namespace !== 'file') return undefined;
      if (args.kind === 'dynamic-import' && GROUP_FILES.has(found.path))
        return { path: relative(GROUP_FILES.get(found.path)), external: true };
      const key = path.relative(process.cwd(), found.path).split(path.sep).join('/');
      const owner = plan.owner.get(key);
      if (owner === undefined || owner >= index || args.kind === 'entry-point') return undefined;
      requested[owner].add(key);
      return { path: key, namespace: 'split-shared', pluginData: { owner } };
    });
    build.onResolve({ filter: /.*/, namespace: 'split-shared' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'split-shared' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(relative(requiredAs(SPLIT_BUNDLES[args.pluginData.owner])))}).__modules[${JSON.stringify(plan.ids.get(args.path))}];`,
      loader: 'js',
    }));
  },
});

const requiredAs = (bundle) => bundle.requiredAs ?? bundle.outfile;

/** The modules (our files and node_modules') with code in a build's JavaScript output. */
const modulesIn = (metafile) =>
  Object.entries(metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .flatMap(([, o]) => Object.entries(o.inputs))
    .filter(([file, info]) => info.bytesInOutput > 0 && !file.includes(':') && !file.startsWith('<'))
    .map(([file]) => file);

/** Bundle `index`'s entry: its source file, and the namespaces of the modules later bundles take from it. */
function splitEntry(index, plan) {
  const entry = SPLIT_BUNDLES[index].entryPoints[0];
  const exported = [...(plan.exports[index] ?? [])].sort();
  const lines = [`export * from ${JSON.stringify(`./${entry}`)};`];
  exported.forEach((key, i) => lines.push(`import * as m${i} from ${JSON.stringify(`./${key}`)};`));
  if (exported.length)
    lines.push(`export const __modules = { ${exported.map((key, i) => `${JSON.stringify(plan.ids.get(key))}: m${i}`).join(', ')} };`);
  return {
    contents: lines.join('\n'),
    resolveDir: process.cwd(),
    sourcefile: `${entry} (with what later files take from it)`,
    loader: 'ts',
  };
}

/**
 * Builds dist/extension.js and dist/lazy/ (in memory) until every module is in exactly one file: the first build
 * puts everything everywhere, the next ones take each module from its first holder and export what is asked for,
 * until nothing moves (usually the third round; `plan` carries over between watch rebuilds, so there one).
 */
async function buildSplit(options, plan) {
  for (let round = 0; round < 8; round++) {
    const requested = SPLIT_BUNDLES.map(() => new Set());
    const results = [];
    for (const [i, bundle] of SPLIT_BUNDLES.entries()) {
      const { entryPoints: _, requiredAs: __, ...where } = bundle;
      results.push(
        await esbuild.build({
          ...options,
          ...where,
          stdin: splitEntry(i, plan),
          plugins: [...options.plugins, requireDeferredFrom(i === 0 ? '.' : '..'), splitPlugin(i, plan, requested)],
          write: false,
          metafile: true,
        }),
      );
    }
    const owner = new Map();
    const holders = new Map();
    results.forEach((r, i) => {
      for (const file of modulesIn(r.metafile)) {
        if (!owner.has(file)) owner.set(file, i);
        holders.set(file, [...(holders.get(file) ?? []), SPLIT_BUNDLES[i].outfile]);
      }
    });
    const exports = requested.map((s) => [...s].sort());
    const same =
      owner.size === plan.owner.size &&
      [...owner].every(([k, v]) => plan.owner.get(k) === v) &&
      exports.every((e, i) => e.join() === (plan.exports[i] ?? []).join());
    plan.owner = owner;
    plan.exports = exports;
    for (const key of owner.keys()) if (!plan.ids.has(key)) plan.ids.set(key, plan.ids.size.toString(36));
    if (same) {
      const twice = [...holders].filter(([, files]) => files.length > 1);
      if (twice.length)
        throw new Error(`esbuild.mjs: modules bundled twice: ${twice.map(([m, f]) => `${m} (${f.join(', ')})`).join('; ')}`);
      return results;
    }
  }
  throw new Error('esbuild.mjs: the split bundles did not settle; is a module imported in a cycle across lazy groups?');
}

// Old files (another version's chunks, a dependency no longer deferred) must not reach the .vsix.
rmSync('dist', { recursive: true, force: true });

// One `vscode` per output file. esbuild turns each module's `import * as vscode from 'vscode'` into its own
// `__toESM(require("vscode"))`, which copies the ~200 properties of VS Code's API object as getters: 13 copies in
// dist/extension.js, ~25 ms of the extension host's start in a CPU profile (issue 14). Our sources (src/) import
// it as the default of a small module instead, `export default require("vscode")`, which esbuild bundles once
// per output file and links directly: one `var x = require("vscode")`, no copy, and `vscode.window` is a plain
// property read. Type-only uses are dropped as before. The sources keep `import * as vscode` (what tsc checks);
// other forms of import from 'vscode' are bundled as esbuild does by default.
const VSCODE_ONCE = 'vscode (once per output file)';
const vscodeOncePerFile = {
  name: 'vscode-once-per-file',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const once = text.replace(/^import \* as (\w+) from 'vscode';$/gm, `import $1 from '${VSCODE_ONCE}';`);
      return once === text ? undefined : { contents: once, loader: 'ts' };
    });
    build.onResolve({ filter: /^vscode \(once per output file\)$/ }, () => ({ path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: 'export default require("vscode");', loader: 'js' }));
    build.onResolve({ filter: /^vscode$/, namespace: 'vscode-once' }, () => ({ path: 'vscode', external: true }));
  },
};

// dist/extension.js and dist/lazy/: built together by buildSplit. import() of a lazy group becomes require():
// CommonJS files, loaded the way VS Code loads us.
const splitOptions = { ...common, plugins: [...common.plugins, vscodeOncePerFile], supported: { 'dynamic-import': false } };
const splitPlan = { owner: new Map(), exports: [], ids: new Map() };
async function writeSplit() {
  const results = await buildSplit(splitOptions, splitPlan);
  for (const file of results.flatMap((r) => r.outputFiles)) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
  return results;
}

const builds = [
  // dist/extension.js: loads dist/main.js with V8's code cache (src/mainLoader.ts). Node's modules only.
  { ...common, sourcemap: false, entryPoints: ['src/mainLoader.ts'], outfile: 'dist/extension.js' },
  {
    ...common,
    sourcemap: false,
    entryPoints: Object.fromEntries(DEFERRED_DEPENDENCIES.map((name) => [name, name])),
    outdir: 'dist/deps',
    metafile: true,
  },
];
if (tests) {
  // Host suites run inside the real extension host; mocha stays external and is loaded from node_modules.
  const suites = readdirSync('test/host')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/host/${f}`);
  builds.push({
    ...common,
    sourcemap: true,
    minify: false,
    entryPoints: ['test/host/index.ts', ...suites],
    outdir: 'out/test/host',
    external: ['vscode', 'mocha', 'web-streams-polyfill/*'],
  });
}

if (bench) {
  // bench/run.ts runs these: the extension-host entry and the Node-side figures, bundled like the extension.
  const parts = readdirSync('bench/node')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `bench/node/${f}`);
  builds.push({ ...common, sourcemap: true, minify: false, entryPoints: ['bench/host/index.ts', ...parts], outdir: 'out/bench' });
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB${production ? ' (minified)' : ''}`;
if (watch) {
  // The lines the $esbuild-watch problem matcher waits for (.vscode/tasks.json): F5 starts the host once the
  // first build is done. One "started" and one "finished" however many of the builds a change touches;
  // esbuild itself prints the errors in the form the matcher reads.
  let running = 0;
  const started = () => {
    if (running++ === 0) console.log('[watch] build started');
  };
  const finished = () => {
    if (--running === 0) console.log('[watch] build finished');
  };
  const watchMarkers = {
    name: 'watch-markers',
    setup(build) {
      build.onStart(started);
      build.onEnd(finished);
    },
  };
  // The split bundles are rebuilt as a whole (a change can move a module from one file to another) when src/ changes.
  let rebuilding = Promise.resolve();
  let pending;
  const rebuildSplit = () => {
    started();
    rebuilding = rebuilding
      .then(writeSplit)
      .catch((e) => e.errors || console.error(e.message)) // esbuild has printed its own errors
      .finally(finished);
  };
  rebuildSplit();
  watchFiles('src', { recursive: true }, () => {
    clearTimeout(pending);
    pending = setTimeout(rebuildSplit, 50);
  });
  for (const b of builds) b.plugins = [...(b.plugins ?? []), watchMarkers];
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching for changes');
} else {
  const split = await writeSplit();
  const [main, ...groups] = split.map((r) => r.metafile);
  const lazy = { inputs: Object.assign({}, ...groups.map((m) => m.inputs)), outputs: Object.assign({}, ...groups.map((m) => m.outputs)) };
  const jsBytes = (m) => Object.entries(m.outputs).reduce((n, [f, o]) => n + (f.endsWith('.js') ? o.bytes : 0), 0);
  console.log(`[esbuild] dist/main.js: ${kib(jsBytes(main))}`);
  console.log(`[esbuild] dist/lazy: ${kib(jsBytes(lazy))} in ${groups.length} files`);
  if (metafileAt) {
    writeFileSync(metafileAt, JSON.stringify(main));
    writeFileSync(metafileAt.replace(/\.json$/, '.dist-lazy.json'), JSON.stringify(lazy));
  }
  for (const b of builds) {
    const result = await esbuild.build(b);
    if (result.metafile) {
      if (metafileAt)
        writeFileSync(metafileAt.replace(/\.json$/, `.${b.outdir.replace(/\W+/g, '-')}.json`), JSON.stringify(result.metafile));
      const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
      console.log(`[esbuild] ${b.outfile ?? b.outdir}: ${kib(bytes)}`);
    }
  }
}
