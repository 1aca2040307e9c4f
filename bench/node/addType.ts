// Figure: one "Add Customer Type" end to end, once its values are known: the API call, the journal entry and
// the cache write of a 10,000-type cache (the same layout as the Apply figure, BENCH_APPLY_PROJECTS), against
// the network bound: the same create request sent with plain node-fetch, touching no disk. Both go to the
// sandbox in its own process with the Apply figure's latency (20 ms a call, BENCH_APPLY_LATENCY_MS).
//
// - The pipeline is reached only through bench/lib/pipeline.ts (addTypeWithPipeline): change that adapter,
//   not this file, when the pipeline changes. When the adapter reports the parts (API call, journal, cache),
//   they are summarized too.
// - Each round adds a new code (ADD00001, …; the baseline BASE00001, …), so no reset is needed: the cache and
//   the journal grow by one entry a round, which is nothing next to 10,000 types.
// - Rounds alternate which side goes first (bench/lib/stats.ts interleaved); the ratio is taken round by round.
// Prints one JSON line.
import { mkdirSync, promises as fs, rmSync } from 'node:fs';
import { join } from 'node:path';
import fetch from 'node-fetch';
import { CustomerTypeCache } from '../../src/core/cache/customerTypeCache';
import { ChangeJournal } from '../../src/core/journal/journal';
import { silentLogger } from '../../src/core/logger';
import { cacheFileText, makeProjects } from '../lib/data';
import { addTypeWithPipeline, type PipelineDeps } from '../lib/pipeline';
import { startSandboxProcess } from '../lib/sandboxProcess';
import { interleaved, pairedRatio, stats } from '../lib/stats';

const ROUNDS = Number(process.env.BENCH_ADDTYPE_ROUNDS ?? 21);
const LATENCY_MS = Number(process.env.BENCH_APPLY_LATENCY_MS ?? 20);
const PROJECTS = Number(process.env.BENCH_APPLY_PROJECTS ?? 1);
const TYPES = 10_000;
const dir = join(process.env.BENCH_TMP ?? join(__dirname, '..', 'tmp'), `addType-${process.pid}`);

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const sb = await startSandboxProcess(__dirname, { BENCH_SANDBOX_LATENCY_MS: String(LATENCY_MS) });
  try {
    const projects = makeProjects(PROJECTS, TYPES / PROJECTS);
    const cacheFile = join(dir, 'customer-types.json');
    await fs.writeFile(cacheFile, cacheFileText(projects));
    const cache = new CustomerTypeCache(cacheFile);
    await cache.load();
    const deps: PipelineDeps = {
      baseUrl: sb.url,
      tokens: { get: async () => ({ accessToken: sb.accessToken }), set: async () => undefined, clear: async () => undefined },
      cache,
      journal: new ChangeJournal(join(dir, 'journal.jsonl')),
      profile: 'default',
      log: silentLogger,
    };
    const where = { vbotId: projects[0].vbotId, projectCode: projects[0].projectCode };
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${sb.accessToken}` };
    const parts = { apiMs: [] as number[], journalMs: [] as number[], cacheMs: [] as number[] };

    let n = 0;
    const ours = async () => {
      const add = { ...where, typeNo: `ADD${String(++n).padStart(5, '0')}`, typeName: `Khách hàng mới ${n}` };
      const t0 = performance.now();
      const r = await addTypeWithPipeline(add, deps);
      const ms = performance.now() - t0;
      if (!r.ok) throw new Error(`addType ${add.typeNo} failed: ${r.message}`);
      if (!cache.snapshot().findType(add.vbotId, add.projectCode, add.typeNo)) throw new Error(`${add.typeNo} is not in the cache`);
      if (r.parts) for (const k of Object.keys(parts) as Array<keyof typeof parts>) parts[k].push(r.parts[k]);
      return ms;
    };
    let m = 0;
    const plain = async () => {
      const body = JSON.stringify({
        vbot_id: where.vbotId,
        project_code: where.projectCode,
        type_name: `Khách hàng mới ${++m}`,
        type_no: `BASE${String(m).padStart(5, '0')}`,
      });
      const t0 = performance.now();
      const res = await fetch(`${sb.url}/api/crm/type/create`, { method: 'POST', body, headers });
      const json = (await res.json()) as { error?: number };
      const ms = performance.now() - t0;
      if (json.error !== 0) throw new Error(`sandbox answered ${JSON.stringify(json)}`);
      return ms;
    };
    // Warm-up: JIT, keep-alive sockets, the first lock and journal file.
    for (let i = 0; i < 3; i++) {
      await ours();
      await plain();
    }
    for (const k of Object.keys(parts) as Array<keyof typeof parts>) parts[k].length = 0;
    const r = await interleaved(ROUNDS, ours, plain);
    process.stdout.write(
      JSON.stringify({
        unit: 'ms',
        layout: { projects: PROJECTS, typesPerProject: TYPES / PROJECTS },
        latencyMs: LATENCY_MS,
        rounds: ROUNDS,
        ours: stats(r.ours),
        base: stats(r.base),
        ratio: pairedRatio(r.ours, r.base),
        parts: parts.apiMs.length ? { api: stats(parts.apiMs), journal: stats(parts.journalMs), cache: stats(parts.cacheMs) } : undefined,
        ourSamples: r.ours,
        baseSamples: r.base,
      }) + '\n',
    );
  } finally {
    sb.stop();
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
