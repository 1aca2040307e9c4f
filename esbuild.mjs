// Bundles the extension (and, with --tests, the extension-host test suites; with --bench, the benchmarks).
// Usage: node esbuild.mjs [--production] [--watch] [--tests] [--bench] [--metafile <file>]
// (--metafile writes esbuild's account of where the extension bundle's bytes come from, for the benchmark.)
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';

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

// Command groups that share no state with the rest (no module-level state; the classes they test with
// instanceof, VbotError and LocalSaveError, answer it by a brand, so copies agree) are bundled into files
// of their own under dist/lazy/ and required on their first command: dist/extension.js then carries only
// what the view and the everyday commands need. What they import from our own code (pure helpers) is
// bundled again into them; that is the price, and why a group goes here only when its code is mostly its own.
const LAZY_COMMAND_GROUPS = [
  'checkApiCommands',
  'fieldsTree',
  'historyCommands',
  'planCommands',
  'profileCommands',
  'selectionCommands',
  'transferCommands',
];
const requireLazyGroups = {
  name: 'require-lazy-groups',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^\\./vscode/(${LAZY_COMMAND_GROUPS.join('|')})$`) }, (args) =>
      args.kind === 'dynamic-import' ? { path: `./lazy/${args.path.split('/').pop()}.js`, external: true } : undefined,
    );
  },
};

// Old files (another version's chunks, a dependency no longer deferred) must not reach the .vsix.
rmSync('dist', { recursive: true, force: true });

const builds = [
  {
    ...common,
    plugins: [...common.plugins, requireDeferredFrom('.'), requireLazyGroups],
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    metafile: true,
    // import() of a lazy group becomes require(): a CommonJS file, loaded the way VS Code loads us.
    supported: { 'dynamic-import': false },
  },
  {
    ...common,
    plugins: [...common.plugins, requireDeferredFrom('..')],
    metafile: true,
    entryPoints: Object.fromEntries(LAZY_COMMAND_GROUPS.map((name) => [name, `src/vscode/${name}.ts`])),
    outdir: 'dist/lazy',
  },
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

if (watch) {
  // The lines the $esbuild-watch problem matcher waits for (.vscode/tasks.json): F5 starts the host once the
  // first build is done. One "started" and one "finished" however many of the builds a change touches;
  // esbuild itself prints the errors in the form the matcher reads.
  let running = 0;
  const watchMarkers = {
    name: 'watch-markers',
    setup(build) {
      build.onStart(() => {
        if (running++ === 0) console.log('[watch] build started');
      });
      build.onEnd(() => {
        if (--running === 0) console.log('[watch] build finished');
      });
    },
  };
  for (const b of builds) b.plugins = [...(b.plugins ?? []), watchMarkers];
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching for changes');
} else {
  for (const b of builds) {
    const result = await esbuild.build(b);
    if (result.metafile) {
      if (metafileAt)
        writeFileSync(
          b.outfile ? metafileAt : metafileAt.replace(/\.json$/, `.${b.outdir.replace(/\W+/g, '-')}.json`),
          JSON.stringify(result.metafile),
        );
      const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
      console.log(`[esbuild] ${b.outfile ?? b.outdir}: ${(bytes / 1024).toFixed(1)} KiB${production ? ' (minified)' : ''}`);
    }
  }
}
