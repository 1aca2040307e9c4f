// Figure (issue 15): reading a choice field of 1,000 options, in pages of 50, from a server 20 ms away: FieldsApi's
// readOptions (every page through VbotClient: envelope and shape checks, paging rules, order by `number`) against
// the same GET requests sent with plain node-fetch (same URLs and X-API-Key, answers read with res.json(), stop
// at the first page shorter than 50). Ours is given the first page's number, as the tree is after its first read
// of a profile (paging.ts finds it out once). Both call the same sandbox in another process. Prints one JSON line.
import fetch from 'node-fetch';
import { FieldsApi } from '../../src/core/fields/fieldsApi';
import { PAGE_SIZE } from '../../src/core/fields/paging';
import { VbotClient } from '../../src/core/vbotClient';
import { startSandboxProcess } from '../lib/sandboxProcess';
import { interleaved, pairedRatio, stats } from '../lib/stats';

const OPTIONS = Number(process.env.BENCH_FIELDS_OPTIONS ?? 1000);
const LATENCY_MS = Number(process.env.BENCH_FIELDS_LATENCY_MS ?? 20);
const ROUNDS = Number(process.env.BENCH_FIELDS_ROUNDS ?? 15);
const FIELD = 'bench_choice';

async function main(): Promise<void> {
  const sb = await startSandboxProcess(__dirname, { BENCH_SANDBOX_LATENCY_MS: String(LATENCY_MS), BENCH_SANDBOX_OPTIONS: String(OPTIONS) });
  try {
    const urlV3 = sb.urlV3!;
    const apiKey = sb.apiKey!;
    const api = new FieldsApi(new VbotClient({ baseUrl: urlV3, apiVersion: 'v3' }), apiKey);
    const first = await api.readOptions(FIELD);
    if (first.options.length !== OPTIONS) throw new Error(`read ${first.options.length} options, not ${OPTIONS}`);
    const base = first.base ?? 1;
    let pages = 0;

    const ours = async () => {
      const t0 = performance.now();
      const read = await api.readOptions(FIELD, { base });
      const ms = performance.now() - t0;
      if (read.options.length !== OPTIONS) throw new Error(`read ${read.options.length} options`);
      pages = read.pages;
      return ms;
    };
    const plain = async () => {
      const t0 = performance.now();
      let count = 0;
      for (let page = base; ; page++) {
        const url = `${urlV3}/api/customerfield/option/get-all?customer_field_code=${FIELD}&page=${page}&size=${PAGE_SIZE}`;
        const res = await fetch(url, { headers: { Accept: 'application/json', 'X-API-Key': apiKey } });
        const json = (await res.json()) as { data?: unknown };
        const list = Array.isArray(json.data) ? json.data : ((json.data as { list?: unknown[] } | undefined)?.list ?? []);
        count += list.length;
        if (list.length < PAGE_SIZE) break;
      }
      const ms = performance.now() - t0;
      if (count !== OPTIONS) throw new Error(`plain read ${count} options`);
      return ms;
    };
    await ours();
    await plain();
    const r = await interleaved(ROUNDS, ours, plain);
    process.stdout.write(
      JSON.stringify({
        unit: 'ms per read',
        options: OPTIONS,
        pageSize: PAGE_SIZE,
        pages,
        latencyMs: LATENCY_MS,
        rounds: ROUNDS,
        ours: stats(r.ours),
        base: stats(r.base),
        ratio: pairedRatio(r.ours, r.base),
      }) + '\n',
    );
  } finally {
    sb.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
