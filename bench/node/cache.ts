// Figure: loading the cache file with 10,000 types in 100 projects (CustomerTypeCache.load: read, parse, shape
// check, sort check, freeze) and saving it after one change (upsertType: lock, re-read, write temp, fsync, rename),
// against JSON.parse of the same file read as text, and JSON.stringify + writeFile of the same content.
// Files live on the same disk as the user's globalStorage would (bench/tmp). Prints one JSON line.
import { mkdirSync, promises as fs, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CustomerTypeCache } from '../../src/core/cache/customerTypeCache';
import { cacheFileText, makeProjects } from '../lib/data';
import { interleaved, pairedRatio, stats } from '../lib/stats';

const ROUNDS = Number(process.env.BENCH_CACHE_ROUNDS ?? 21);
const dir = join(process.env.BENCH_TMP ?? join(__dirname, '..', 'tmp'), `cache-${process.pid}`);

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  try {
    const text = cacheFileText(makeProjects(100, 100));
    const oursFile = join(dir, 'customer-types.json');
    const plainFile = join(dir, 'plain.json');
    await fs.writeFile(oursFile, text);
    await fs.writeFile(plainFile, text);

    // --- load
    const loadOurs = async () => {
      const t0 = performance.now();
      const snapshot = await new CustomerTypeCache(oursFile).load();
      const ms = performance.now() - t0;
      if (snapshot.typeCount() !== 10_000) throw new Error(`loaded ${snapshot.typeCount()} types`);
      return ms;
    };
    const loadPlain = async () => {
      const t0 = performance.now();
      const json = JSON.parse(await fs.readFile(plainFile, 'utf8')) as { projects: unknown[] };
      const ms = performance.now() - t0;
      if (json.projects.length !== 100) throw new Error('bad file');
      return ms;
    };
    for (let i = 0; i < 3; i++) {
      await loadOurs();
      await loadPlain();
    }
    const load = await interleaved(ROUNDS, loadOurs, loadPlain);

    // --- save after one change: rename one type, alternating between two names so every save writes.
    const cache = new CustomerTypeCache(oursFile);
    await cache.load();
    const plain = JSON.parse(await fs.readFile(plainFile, 'utf8')) as {
      projects: Array<{ types: Array<{ typeName: string; updatedAt: string }> }>;
    };
    let flip = 0;
    const saveOurs = async () => {
      const name = `Khách hàng đổi tên ${flip++ % 2}`;
      const t0 = performance.now();
      await cache.upsertType('VB-BENCH-0001', 'PRJ050', { typeNo: 'KH00042', typeName: name });
      return performance.now() - t0;
    };
    let plainFlip = 0;
    const savePlain = async () => {
      const t0 = performance.now();
      const type = plain.projects[50].types[42];
      type.typeName = `Khách hàng đổi tên ${plainFlip++ % 2}`;
      type.updatedAt = new Date().toISOString();
      await fs.writeFile(plainFile, JSON.stringify(plain, null, 2) + '\n');
      return performance.now() - t0;
    };
    for (let i = 0; i < 3; i++) {
      await saveOurs();
      await savePlain();
    }
    const save = await interleaved(ROUNDS, saveOurs, savePlain);

    process.stdout.write(
      JSON.stringify({
        unit: 'ms',
        fileBytes: Buffer.byteLength(text),
        rounds: ROUNDS,
        load: { ours: stats(load.ours), base: stats(load.base), ratio: pairedRatio(load.ours, load.base) },
        save: { ours: stats(save.ours), base: stats(save.base), ratio: pairedRatio(save.ours, save.base) },
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
