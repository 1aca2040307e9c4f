// The VBot sandbox in a process of its own, so the client being measured does not share its event loop
// with the server (the real API is remote). Prints one JSON line { url, accessToken, adminKey } and runs until
// killed; adminKey is what the parent sends (X-Sandbox-Admin-Key) if it ever calls the admin API.
// BENCH_SANDBOX_LATENCY_MS (default 0): every API answer waits this long (the sandbox's latencyMs), so a
// figure can be taken against a network like the real one (the Apply figure uses 20 ms); never the admin API.
import { VbotSandbox } from '../../test/sandbox/vbotSandbox';

async function main(): Promise<void> {
  const sandbox = await VbotSandbox.start({
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
  process.stdout.write(JSON.stringify({ url: sandbox.url, accessToken: access_token, adminKey: sandbox.adminKey }) + '\n');
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}

void main();
