// A kill at any moment of an Apply loses no change it reported done: Apply reports a change only once its
// group's journal append and cache write have returned, so whatever was announced is in both files.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildSync } from 'esbuild';
import { parseCacheText } from '../../src/core/cache/cacheFile';
import { CacheSnapshot } from '../../src/core/cache/snapshot';
import { parseJournalText } from '../../src/core/journal/entry';

const KILLS = 12;
const PER_RUN = 400;

function start(
  bundle: string,
  args: string[],
): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; done: string[]; closed: Promise<void> } {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const done: string[] = [];
  let buffered = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    child.on('close', () => reject(new Error('the child ended before it was ready')));
  });
  ready.catch(() => undefined);
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line === 'ready') markReady();
      else if (line.startsWith('done ')) done.push(line.slice(5));
    }
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return { child, ready, done, closed };
}

test('SIGKILL at random moments during Apply never loses a change it reported done', { timeout: 90_000 }, async (t) => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vbot-apply-kill-'));
  const bundle = path.join(folder, 'applyChild.cjs');
  // Bundled once and run by plain node: starting tsx a dozen times would cost more than the test.
  buildSync({
    entryPoints: [path.join(__dirname, 'fixtures', 'applyChild.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'silent',
  });
  const announced: string[] = [];
  let midApply = 0;
  try {
    for (let run = 0; run < KILLS; run++) {
      const child = start(bundle, [folder, String(run), String(PER_RUN)]);
      await child.ready;
      child.child.stdin.end('go\n');
      await new Promise((resolve) => setTimeout(resolve, 30 + Math.random() * 250));
      child.child.kill('SIGKILL');
      await child.closed;
      announced.push(...child.done);
      if (child.done.length < PER_RUN) midApply++;

      const cacheFile = path.join(folder, 'customer-types.json');
      // Killed before its first write, a child leaves no file: an empty list.
      const cache = parseCacheText(fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile, 'utf8') : '{"version":1,"projects":[]}');
      assert.ok(cache.ok, `the cache file is readable after kill ${run + 1}`);
      const snapshot = new CacheSnapshot(cache.projects);
      const journal = parseJournalText(
        fs.existsSync(path.join(folder, 'journal.jsonl')) ? fs.readFileSync(path.join(folder, 'journal.jsonl'), 'utf8') : '',
      );
      const journaled = new Set(journal.entries.filter((e) => e.outcome === 'done').map((e) => e.typeNo));
      const lost = announced.filter((code) => !snapshot.findType('VB1', 'P1', code) || !journaled.has(code));
      assert.deepEqual(lost, [], `changes reported done but missing after kill ${run + 1}`);
      // The killed child may still hold the locks; a window would wait for them to turn stale (10 s).
      for (const lock of ['customer-types.json.lock', 'journal.jsonl.lock'])
        fs.rmSync(path.join(folder, lock), { recursive: true, force: true });
    }
    t.diagnostic(
      `${KILLS} kills, ${midApply} of them mid-Apply; ${announced.length} changes reported done, all in the cache and the journal`,
    );
    assert.ok(announced.length > 0, 'no Apply reported anything before its kill');
    assert.ok(midApply >= KILLS / 2, `only ${midApply} kills landed mid-Apply`);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
