// Figure: importing 1,000 types from a CSV file into the cache, against parsing the same CSV text with
// papaparse alone. Two ways: the work of the import itself (parseImportFile + planImport + the merge into
// the cache's project list: read the rows, validate every value, find duplicates, plan against the cache,
// merge), and the whole of it as the command does it, with applyEdits' durable write (lock, write, fsync,
// rename), which no parse can be compared with. The cache starts empty each round, like a first import.
// Prints one JSON line.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { CustomerTypeCache } from '../../src/core/cache/customerTypeCache';
import { withEditsApplied } from '../../src/core/cache/edits';
import { parseImportFile } from '../../src/core/transfer/importFile';
import { importEdits, planImport } from '../../src/core/transfer/importPlan';
import { importCsvText } from '../lib/data';
import { interleaved, pairedRatio, stats } from '../lib/stats';

/** Per process: bench/run.ts pools three processes' rounds. */
const ROUNDS = Number(process.env.BENCH_IMPORT_ROUNDS ?? 61);
const dir = join(process.env.BENCH_TMP ?? join(__dirname, '..', 'tmp'), `import-${process.pid}`);

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  try {
    const text = importCsvText(1000);
    let round = 0;
    // Parts of ours, for the breakdown.
    const parts = { parse: [] as number[], plan: [] as number[], merge: [] as number[], apply: [] as number[], noIo: [] as number[] };
    const ours = async () => {
      const cache = new CustomerTypeCache(join(dir, `customer-types-${round++}.json`));
      await cache.load();
      const t0 = performance.now();
      const parsed = parseImportFile('types.csv', text);
      const t1 = performance.now();
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors.slice(0, 3)));
      const plan = planImport(cache.snapshot(), parsed.rows, parsed.inCodeOrder);
      const t2 = performance.now();
      const merged = withEditsApplied(cache.snapshot().projects(), importEdits(plan), new Date().toISOString());
      const t3 = performance.now();
      if (merged[0]?.types.length !== 1000) throw new Error('merge lost rows');
      const snapshot = await cache.applyEdits(importEdits(plan)); // merges again, under the lock, and writes
      const t4 = performance.now();
      if (snapshot.typeCount() !== 1000) throw new Error(`imported ${snapshot.typeCount()}`);
      parts.parse.push(t1 - t0);
      parts.plan.push(t2 - t1);
      parts.merge.push(t3 - t2);
      parts.apply.push(t4 - t3);
      parts.noIo.push(t3 - t0);
      return t2 - t0 + (t4 - t3);
    };
    const plain = async () => {
      const t0 = performance.now();
      const result = Papa.parse<string[]>(text);
      const ms = performance.now() - t0;
      if (result.data.length < 1001) throw new Error('bad parse');
      return ms;
    };
    for (let i = 0; i < 5; i++) {
      await ours();
      await plain();
    }
    for (const k of Object.keys(parts) as Array<keyof typeof parts>) parts[k].length = 0;
    const r = await interleaved(ROUNDS, ours, plain);
    process.stdout.write(
      JSON.stringify({
        unit: 'ms',
        csvBytes: Buffer.byteLength(text),
        rounds: ROUNDS,
        ours: stats(r.ours),
        base: stats(r.base),
        ratio: pairedRatio(r.ours, r.base),
        parts: { parse: stats(parts.parse), plan: stats(parts.plan), merge: stats(parts.merge), apply: stats(parts.apply) },
        // parse + plan + merge, without the write, paired with the same rounds of the baseline
        noIo: stats(parts.noIo),
        noIoRatio: pairedRatio(parts.noIo, r.base),
        raw: {
          ours: r.ours,
          base: r.base,
          ratio: r.ours.map((o, i) => o / r.base[i]),
          'parts.parse': parts.parse,
          'parts.plan': parts.plan,
          'parts.merge': parts.merge,
          'parts.apply': parts.apply,
          noIo: parts.noIo,
          noIoRatio: parts.noIo.map((o, i) => o / r.base[i]),
        },
      }) + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
