// The production build as VS Code gets it (issue 14): dist/extension.js and the dist/main.js it runs, loaded before
// activate(), hold only the views' stand-ins and the command ids and stay within 40 KB; everything else is in
// dist/lazy/ (and dist/deps/), and no module is in two files (two copies of a class would break instanceof, two of a
// module's state would disagree).
// Built with the project's own esbuild.mjs in a folder of its own, so dist/ is left alone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { REPO_ROOT } from '../harness/launchConfig';

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

describe('the production bundle', () => {
  it('loads only the stand-ins and the command ids before activate() (≤ 40 KB), each module in one file only', () => {
    const stage = mkdtempSync(join(tmpdir(), 'vbot-bundle-'));
    try {
      for (const name of ['src', 'node_modules', 'tsconfig.json']) symlinkSync(join(REPO_ROOT, name), join(stage, name));
      const meta = join(stage, 'meta.json');
      const built = spawnSync(process.execPath, [join(REPO_ROOT, 'esbuild.mjs'), '--production', '--metafile', meta], {
        cwd: stage,
        encoding: 'utf8',
      });
      assert.equal(built.status, 0, built.stderr);

      // dist/extension.js runs dist/main.js at once (src/mainLoader.ts): both are loaded before activate().
      const mainBytes = statSync(join(stage, 'dist', 'extension.js')).size + statSync(join(stage, 'dist', 'main.js')).size;
      assert.ok(mainBytes <= 40_000, `dist/extension.js and dist/main.js are ${mainBytes} bytes`);

      const modules = (m: Metafile) =>
        Object.entries(m.outputs)
          .filter(([file]) => file.endsWith('.js'))
          .map(
            ([file, o]) =>
              [
                file,
                Object.keys(o.inputs)
                  .filter((i) => o.inputs[i].bytesInOutput > 0 && !i.includes(':'))
                  // esbuild names them by real path, relative to the stage: relative to the repository here
                  .map((i) => relative(REPO_ROOT, resolve(stage, i)).split(sep).join('/')),
              ] as const,
          );
      const main = JSON.parse(readFileSync(meta, 'utf8')) as Metafile;
      const lazy = JSON.parse(readFileSync(meta.replace(/\.json$/, '.dist-lazy.json'), 'utf8')) as Metafile;
      const [[, inMain]] = modules(main);
      // What only commands need is not loaded before activate().
      for (const later of [
        'node_modules/zod/',
        'src/core/vbotClient.ts',
        'src/vscode/apiRunner.ts',
        'src/core/journal/',
        'src/vscode/authProvider.ts',
      ])
        assert.ok(!inMain.some((m) => m.startsWith(later)), `${later} is in dist/extension.js`);

      const holders = new Map<string, string[]>();
      for (const [file, inputs] of [...modules(main), ...modules(lazy)])
        for (const m of inputs) holders.set(m, [...(holders.get(m) ?? []), file]);
      const twice = [...holders].filter(([, files]) => files.length > 1);
      assert.deepEqual(twice, [], 'no module in two files');
      assert.ok(holders.get('src/core/vbotClient.ts')?.[0].endsWith('dist/lazy/services.js'), 'the API client is in the services group');
      // The tree and the cache load right after activate() returns (src/vscode/viewParts.ts), not before it.
      for (const first of ['src/vscode/typeTreeProvider.ts', 'src/core/cache/cacheFile.ts', 'src/vscode/settings.ts'])
        assert.ok(holders.get(first)?.[0].endsWith('dist/lazy/viewParts.js'), `${first} is in the view's group`);
      assert.ok(readdirSync(join(stage, 'dist', 'lazy')).includes('typeCommands.js'));
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  });
});
