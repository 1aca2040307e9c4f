// Figure: Apply throughput. Applying 1,000 changes (400 adds, 300 renames, 100 code changes, 200 deletes) from a
// vbot-types.json to a cache of 10,000 types, the whole way (API call, journal entry, cache write per change, in
// the pipeline's own order and concurrency), against the NETWORK BOUND: the same 1,000 requests sent with plain
// node-fetch at the same concurrency (4), in no particular order and touching no disk. The ratio says how much
// the pipeline adds on top of the network; the target is ≤ 1.3×.
//
// - The pipeline is reached only through bench/lib/pipeline.ts (applyWithPipeline): change that adapter, not
//   this file, when the pipeline changes.
// - The API is the sandbox in a process of its own (bench/node/sandboxChild.ts, as the API figure), with 20 ms
//   of latency on every answer (BENCH_APPLY_LATENCY_MS): on loopback the local work would hide nothing, with
//   a real network the latency overlaps (or not) with it, which is what concurrency is for.
// - Layout (BENCH_APPLY_PROJECTS, default 1): one project of 10,000 types; with N, N projects of 10,000/N types
//   and the changes split evenly. One project is the hard case: the executor before src/core/change/ ran a
//   project's code changes one at a time (see /work/bench-before/BEFORE.md for its figure).
// - Every round starts from the same state: the cache file is written again, the journal starts empty, the
//   sandbox's projects are seeded again (admin API) with the 600 types the changes address (renamed, moved,
//   deleted; the other 9,400 cached types are never sent, so the sandbox need not hold them) and without the
//   400 to add. That reset is outside the timing; so is planning (computePlan, as Plan does before Apply asks).
// - Rounds alternate which side goes first (bench/lib/stats.ts interleaved); the ratio is taken round by round.
// - Every round is checked: all 1,000 items done, the cache holds 10,200 types, the journal 1,000 entries, the
//   sandbox the expected types; a baseline answer that is not a success stops the figure.
// Prints one JSON line.
import { mkdirSync, promises as fs, rmSync } from 'node:fs';
import { join } from 'node:path';
import fetch from 'node-fetch';
import { CustomerTypeCache } from '../../src/core/cache/customerTypeCache';
import { ChangeJournal } from '../../src/core/journal/journal';
import { silentLogger } from '../../src/core/logger';
import type { DesiredState } from '../../src/core/typesAsCode/format';
import { parseDesiredState } from '../../src/core/typesAsCode/parse';
import { computePlan, type PlanItem } from '../../src/core/typesAsCode/planner';
import { type BenchProject, cacheFileText, makeTypes, prng } from '../lib/data';
import { APPLY_CONCURRENCY, applyWithPipeline, type PipelineDeps } from '../lib/pipeline';
import { type SandboxProcess, startSandboxProcess } from '../lib/sandboxProcess';
import { interleaved, pairedRatio, stats } from '../lib/stats';

const ROUNDS = Number(process.env.BENCH_APPLY_ROUNDS ?? 5);
const LATENCY_MS = Number(process.env.BENCH_APPLY_LATENCY_MS ?? 20);
const PROJECTS = Number(process.env.BENCH_APPLY_PROJECTS ?? 1);
const TYPES = 10_000;
const CHANGES = { add: 400, rename: 300, changeCode: 100, delete: 200 } as const;
const TOTAL = CHANGES.add + CHANGES.rename + CHANGES.changeCode + CHANGES.delete;
const VBOT_ID = 'VB-BENCH-0001';
const dir = join(process.env.BENCH_TMP ?? join(__dirname, '..', 'tmp'), `apply-${process.pid}`);

// ------------------------------------------------------------------------------------------------
// The sandbox, in its own process (as bench/node/api.ts), with the latency on

async function admin(sb: SandboxProcess, method: string, action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sb.origin}/__sandbox/${action}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Sandbox-Admin-Key': sb.adminKey },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`sandbox admin ${action}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

// ------------------------------------------------------------------------------------------------
// The workload: the cache before Apply, the vbot-types.json that asks for the 1,000 changes, the sandbox's store

interface Workload {
  cache: BenchProject[];
  desired: DesiredState;
  /** What the sandbox must hold before each round: the types the changes address. */
  seeds: Array<{ vbotId: string; projectCode: string; types: Array<{ typeNo: string; typeName: string }> }>;
}

function workload(): Workload {
  const per = TYPES / PROJECTS;
  const share = (n: number) => {
    if (!Number.isInteger(n / PROJECTS) || !Number.isInteger(per))
      throw new Error(`BENCH_APPLY_PROJECTS=${PROJECTS} does not divide ${TYPES} types and the change counts`);
    return n / PROJECTS;
  };
  const [nRename, nMove, nDelete, nAdd] = [share(CHANGES.rename), share(CHANGES.changeCode), share(CHANGES.delete), share(CHANGES.add)];
  const out: Workload = { cache: [], desired: { version: 1, projects: [] }, seeds: [] };
  for (let p = 0; p < PROJECTS; p++) {
    const projectCode = `PRJ${String(p).padStart(3, '0')}`;
    const types = makeTypes(per, 1000 + p);
    // Which types change: spread over the whole code range (a shuffle), not the first ones, so cache edits
    // happen all over the sorted list as they would.
    const rnd = prng(7 + p);
    const order = types.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const role = new Map<number, 'rename' | 'move' | 'delete'>();
    order.slice(0, nRename).forEach((i) => role.set(i, 'rename'));
    order.slice(nRename, nRename + nMove).forEach((i) => role.set(i, 'move'));
    order.slice(nRename + nMove, nRename + nMove + nDelete).forEach((i) => role.set(i, 'delete'));

    const listed: Array<{ typeNo: string; typeName: string; previousCodes: string[] }> = [];
    types.forEach((t, i) => {
      const r = role.get(i);
      if (r === 'delete') return; // unlisted, and deleteUnlisted is on
      if (r === 'rename') listed.push({ typeNo: t.typeNo, typeName: `${t.typeName} (đổi tên)`, previousCodes: [] });
      else if (r === 'move')
        listed.push({ typeNo: `MV${t.typeNo.slice(2)}`, typeName: t.typeName, previousCodes: [t.typeNo] }); // code only
      else listed.push({ typeNo: t.typeNo, typeName: t.typeName, previousCodes: [] });
    });
    makeTypes(nAdd, 2000 + p).forEach((t, k) =>
      listed.push({ typeNo: `NEW${String(k).padStart(5, '0')}`, typeName: t.typeName, previousCodes: [] }),
    );

    out.cache.push({ vbotId: VBOT_ID, projectCode, types });
    (out.desired.projects as unknown[]).push({ vbotId: VBOT_ID, projectCode, deleteUnlisted: true, types: listed });
    out.seeds.push({
      vbotId: VBOT_ID,
      projectCode,
      types: types.filter((_, i) => role.has(i)).map((t) => ({ typeNo: t.typeNo, typeName: t.typeName })),
    });
  }
  // Read back as Plan reads vbot-types.json, so the state is one a user's file gives.
  const parsed = parseDesiredState(JSON.stringify(out.desired, null, 2));
  if (!parsed.ok) throw new Error(`the generated vbot-types.json is not valid: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  out.desired = parsed.state;
  return out;
}

function checkPlan(items: ReadonlyArray<PlanItem>, problems: ReadonlyArray<string>): void {
  const count = (op: PlanItem['op']) => items.filter((i) => i.op === op).length;
  const got = { add: count('create'), rename: count('rename'), changeCode: count('changeCode'), delete: count('delete') };
  if (JSON.stringify(got) !== JSON.stringify(CHANGES) || problems.length)
    throw new Error(`unexpected plan: ${JSON.stringify(got)}, problems ${JSON.stringify(problems.slice(0, 3))}`);
}

// ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const sb = await startSandboxProcess(__dirname, { BENCH_SANDBOX_LATENCY_MS: String(LATENCY_MS) });
  try {
    const w = workload();
    const cacheText = cacheFileText(w.cache);
    const cacheFile = join(dir, 'customer-types.json');
    const journalFile = join(dir, 'journal.jsonl');
    const resetSandbox = async () => {
      for (const s of w.seeds) await admin(sb, 'POST', 'seed', s);
    };

    /** Fresh cache file, empty journal, seeded sandbox; the plan made from them. */
    const freshState = async () => {
      await resetSandbox();
      await fs.writeFile(cacheFile, cacheText);
      await fs.rm(journalFile, { force: true });
      const cache = new CustomerTypeCache(cacheFile);
      await cache.load();
      const plan = computePlan(cache.snapshot(), w.desired);
      checkPlan(plan.items, plan.problems);
      const deps: PipelineDeps = {
        baseUrl: sb.url,
        tokens: { get: async () => ({ accessToken: sb.accessToken }), set: async () => undefined, clear: async () => undefined },
        cache,
        journal: new ChangeJournal(journalFile),
        profile: 'default',
        log: silentLogger,
      };
      return { plan, deps };
    };

    // The baseline's requests: exactly what the plan's items send (same URL, body and headers as VbotClient).
    const { plan } = await freshState();
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${sb.accessToken}` };
    const requests = plan.items.map((i) => {
      const where = { vbot_id: i.vbotId, project_code: i.projectCode };
      switch (i.op) {
        case 'create':
          return {
            url: `${sb.url}/api/crm/type/create`,
            body: JSON.stringify({ ...where, type_name: i.after!.typeName, type_no: i.after!.typeNo }),
          };
        case 'rename':
          return {
            url: `${sb.url}/api/crm/type/update`,
            body: JSON.stringify({ ...where, type_name: i.after!.typeName, type_no: i.after!.typeNo }),
          };
        case 'changeCode':
          return {
            url: `${sb.url}/api/crm/type/updateNo`,
            body: JSON.stringify({ ...where, type_no_old: i.before!.typeNo, type_no_new: i.after!.typeNo }),
          };
        case 'delete':
          return { url: `${sb.url}/api/crm/type/delete`, body: JSON.stringify({ ...where, type_no: i.before!.typeNo }) };
      }
    });

    /** The pipeline on `limit` items (all by default); checked afterwards. */
    const ours = async (limit = TOTAL) => {
      const { plan: p, deps } = await freshState();
      const items = limit < TOTAL ? p.items.filter((i) => i.dependsOn === undefined).slice(0, limit) : p.items;
      const t0 = performance.now();
      const results = await applyWithPipeline(items, deps);
      const ms = performance.now() - t0;
      const bad = results.filter((r) => r.status !== 'done');
      if (results.length !== items.length || bad.length)
        throw new Error(`${bad.length} of ${items.length} items not done, e.g. ${JSON.stringify(bad[0])}`);
      if (limit === TOTAL) {
        const cached = (await deps.cache.reload()).typeCount();
        const journalLines = (await fs.readFile(journalFile, 'utf8')).split('\n').filter(Boolean).length;
        const store = (await admin(sb, 'GET', 'store')) as Record<string, Record<string, unknown[]>>;
        const stored = w.seeds.reduce((n, s) => n + (store[VBOT_ID]?.[s.projectCode]?.length ?? 0), 0);
        const want = {
          cached: TYPES - CHANGES.delete + CHANGES.add,
          journalLines: TOTAL,
          stored: CHANGES.rename + CHANGES.changeCode + CHANGES.add,
        };
        if (cached !== want.cached || journalLines !== want.journalLines || stored !== want.stored) {
          throw new Error(`after Apply: ${JSON.stringify({ cached, journalLines, stored })}, expected ${JSON.stringify(want)}`);
        }
      }
      deps.cache.dispose();
      process.stderr.write(`  apply: pipeline, ${items.length} items: ${(ms / 1000).toFixed(2)} s\n`);
      return ms;
    };

    /** The network bound: the same requests, node-fetch, APPLY_CONCURRENCY at a time, nothing else. */
    const plain = async () => {
      await resetSandbox();
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const r = requests[next++];
          const res = await fetch(r.url, { method: 'POST', body: r.body, headers });
          const json = (await res.json()) as { error?: number };
          if (json.error !== 0) throw new Error(`sandbox answered ${JSON.stringify(json)} to ${r.url} ${r.body}`);
        }
      };
      const t0 = performance.now();
      await Promise.all(Array.from({ length: APPLY_CONCURRENCY }, worker));
      const ms = performance.now() - t0;
      process.stderr.write(`  apply: network bound, ${requests.length} requests: ${(ms / 1000).toFixed(2)} s\n`);
      return ms;
    };

    // Warm-up (JIT, keep-alive sockets, the sandbox's JIT): the baseline once, the pipeline on 100 items.
    await plain();
    await ours(100);
    const r = await interleaved(ROUNDS, () => ours(), plain);
    process.stdout.write(
      JSON.stringify({
        unit: 'ms',
        layout: { projects: PROJECTS, typesPerProject: TYPES / PROJECTS, cacheFileBytes: Buffer.byteLength(cacheText) },
        changes: CHANGES,
        latencyMs: LATENCY_MS,
        concurrency: APPLY_CONCURRENCY,
        rounds: ROUNDS,
        ours: stats(r.ours),
        base: stats(r.base),
        ratio: pairedRatio(r.ours, r.base),
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
