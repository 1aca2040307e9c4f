// The VBot sandbox in a process of its own, so the client being measured does not share its event loop
// with the server (the real API is remote). Prints one JSON line { url, accessToken, adminKey } and runs until
// killed; adminKey is what the parent sends (X-Sandbox-Admin-Key) if it ever calls the admin API.
// BENCH_SANDBOX_LATENCY_MS (default 0): every API answer waits this long (the sandbox's latencyMs), so a
// figure can be taken against a network like the real one (the Apply figure uses 20 ms); never the admin API.
// BENCH_SANDBOX_OPTIONS (default 0): an API v3 key (printed as apiKey, with urlV3) whose project has a choice field
// `bench_choice` with this many options (the customer-fields figure).
import type { FieldSeed } from '../../test/sandbox/fieldSandbox';
import { VbotSandbox } from '../../test/sandbox/vbotSandbox';

const BENCH_V3_KEY = 'bench-v3-api-key-0001';

function choiceField(n: number): FieldSeed {
  const options = Array.from({ length: n }, (_, i) => ({
    code: `OPT_${String(i).padStart(4, '0')}`,
    name: `Lựa chọn ${i}`,
    color: '#1e88e5',
    number: i,
  }));
  return { code: 'bench_choice', name: 'Nguồn khách hàng', type: 'SELECT', options };
}

async function main(): Promise<void> {
  const options = Number(process.env.BENCH_SANDBOX_OPTIONS ?? 0);
  const sandbox = await VbotSandbox.start({
    apiKeys: options ? [{ key: BENCH_V3_KEY, vbotId: 'VB-BENCH-0001', projectCode: 'SALES' }] : [],
    fieldSeed: options ? [{ vbotId: 'VB-BENCH-0001', projectCode: 'SALES', fields: [choiceField(options)] }] : [],
    latencyMs: Number(process.env.BENCH_SANDBOX_LATENCY_MS ?? 0),
    // A day: a long figure (the Apply rounds take minutes) must not meet a token expiry half-way.
    tokenTtlSeconds: 24 * 3600,
    users: [{ username: 'demo', password: 'demo123' }],
    seed: [{ vbotId: 'VB-BENCH-0001', projectCode: 'SALES', types: [{ typeNo: 'VIP', typeName: 'Khách hàng VIP' }] }],
  });
  const { access_token } = sandbox.issueToken('demo');
  // The sandbox records every request for tests; a benchmark sends tens of thousands, so drop them as they come.
  setInterval(() => {
    sandbox.requests.length = 0;
  }, 1000).unref();
  const v3 = options ? { urlV3: sandbox.urlV3, apiKey: BENCH_V3_KEY } : {};
  process.stdout.write(JSON.stringify({ url: sandbox.url, accessToken: access_token, adminKey: sandbox.adminKey, ...v3 }) + '\n');
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}

void main();
