// Figure: one API call through VbotClient (input validation, envelope check, typed errors, timeout, size cap)
// against the same POST with plain node-fetch (same URL, JSON body and headers, answer read with res.json()).
// Both call the same sandbox, running in another process, 1,000 calls per round, rounds interleaved.
// Prints one JSON line.
import fetch from 'node-fetch';
import { VbotClient } from '../../src/core/vbotClient';
import { startSandboxProcess } from '../lib/sandboxProcess';
import { pairedRatio, stats } from '../lib/stats';

const CALLS = Number(process.env.BENCH_API_CALLS ?? 1000);
/** Per process: bench/run.ts pools three processes' rounds. */
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 10);
/** Calls per block: ours and plain alternate block by block, so a burst of load elsewhere hits both alike. */
const BLOCK = 50;

async function main(): Promise<void> {
  const sb = await startSandboxProcess(__dirname);
  try {
    const client = new VbotClient({ baseUrl: sb.url });
    const input = { vbotId: 'VB-BENCH-0001', projectCode: 'SALES', typeNo: 'VIP', typeName: 'Khách hàng VIP' };
    const url = `${sb.url}/api/crm/type/update`;
    const body = JSON.stringify({
      vbot_id: input.vbotId,
      project_code: input.projectCode,
      type_name: input.typeName,
      type_no: input.typeNo,
    });
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${sb.accessToken}` };

    const ours = async (n: number) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await client.updateTypeName(input, sb.accessToken);
      return (performance.now() - t0) / n;
    };
    const plain = async (n: number) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const res = await fetch(url, { method: 'POST', body, headers });
        const json = (await res.json()) as { error?: number };
        if (json.error !== 0) throw new Error(`sandbox answered ${JSON.stringify(json)}`);
      }
      return (performance.now() - t0) / n;
    };
    // Warm-up: JIT, keep-alive sockets, the sandbox's own JIT.
    await ours(300);
    await plain(300);
    // One round = CALLS calls of each, sent in alternating blocks; its figure is the mean time per call.
    const r = { ours: [] as number[], base: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      let o = 0;
      let b = 0;
      for (let done = 0; done < CALLS; done += BLOCK) {
        const n = Math.min(BLOCK, CALLS - done);
        if ((done / BLOCK) % 2 === 0) {
          o += (await ours(n)) * n;
          b += (await plain(n)) * n;
        } else {
          b += (await plain(n)) * n;
          o += (await ours(n)) * n;
        }
      }
      r.ours.push(o / CALLS);
      r.base.push(b / CALLS);
    }
    process.stdout.write(
      JSON.stringify({
        unit: 'ms per call',
        calls: CALLS,
        rounds: ROUNDS,
        ours: stats(r.ours),
        base: stats(r.base),
        ratio: pairedRatio(r.ours, r.base),
        raw: { ours: r.ours, base: r.base, ratio: r.ours.map((o, i) => o / r.base[i]) },
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
