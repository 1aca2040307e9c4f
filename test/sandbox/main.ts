// `npm run sandbox`: a local VBot API on 127.0.0.1 with demo data, for trying the extension
// by hand (`npm start`) and for UI tests that drive it through the /__sandbox/ admin API (with the
// admin key it prints at start, in the X-Sandbox-Admin-Key header).
//
//   npm run sandbox -- [--port N] [--prefix /v2.0] [--envelope withStatus|errorOnly] [--empty]

import { parseArgs } from 'node:util';
import { ADMIN_KEY_HEADER, VbotSandbox } from './vbotSandbox';
import type { EnvelopeGeneration } from './vbotSandbox';
import { DEMO_API_KEY, DEMO_FIELDS, DEMO_PROJECTS, DEMO_USER, DEMO_V3_PROJECT, DEMO_VBOT_ID, demoFieldSeed, demoSeed } from './demoData';

const HOST = '127.0.0.1';
const DEFAULT_PORT = 8787;
/** If close() somehow stalls, do not leave the terminal hanging after Ctrl+C. */
const SHUTDOWN_GRACE_MS = 3000;

interface Config {
  port: number;
  prefix: string;
  envelope: EnvelopeGeneration;
  empty: boolean;
}

const USAGE = `Usage: npm run sandbox -- [options]
  --port N          port on ${HOST} (default: $VBOT_SANDBOX_PORT or ${DEFAULT_PORT}; 0 = any free port)
  --prefix P        API path prefix (default: /v2.0)
  --envelope E      withStatus | errorOnly (default: withStatus)
  --empty           start without demo data
  --help            show this text`;

function fail(message: string): never {
  console.error(`vbot-sandbox: ${message}\n\n${USAGE}`);
  process.exit(1);
}

function parsePort(text: string, source: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) fail(`${source} must be a port number 0-65535, got "${text}"`);
  return port;
}

function readConfig(argv: string[]): Config {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        prefix: { type: 'string' },
        envelope: { type: 'string' },
        empty: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    fail((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const envVar = process.env.VBOT_SANDBOX_PORT;
  const port = v.port !== undefined ? parsePort(v.port, '--port') : envVar ? parsePort(envVar, 'VBOT_SANDBOX_PORT') : DEFAULT_PORT;
  const envelope = v.envelope ?? 'withStatus';
  if (envelope !== 'withStatus' && envelope !== 'errorOnly') fail(`--envelope must be withStatus or errorOnly, got "${envelope}"`);
  return { port, prefix: v.prefix ?? '/v2.0', envelope, empty: v.empty ?? false };
}

function printBanner(sandbox: VbotSandbox, config: Config): void {
  const lines = [
    `VBot sandbox listening (envelope: ${config.envelope})`,
    `  Base URL : ${sandbox.url}`,
    `  Admin API: ${sandbox.origin}/__sandbox/ (requests, store, faults, reset, ...)`,
    // Only whoever can read this terminal gets it: the admin API hands out recorded tokens.
    `  Admin key: ${sandbox.adminKey} (send it as the ${ADMIN_KEY_HEADER} header)`,
  ];
  if (config.empty) {
    lines.push('  No demo data (--empty).');
  } else {
    // The demo password is a fixed, public test value, so printing it is the point here.
    lines.push(`  Sign in  : ${DEMO_USER.username} / ${DEMO_USER.password}`);
    lines.push(`  VBotID   : ${DEMO_VBOT_ID}`);
    for (const p of DEMO_PROJECTS) lines.push(`  Project  : ${p.projectCode} (${p.projectName}), ${p.types.length} types`);
    // A fixed, public demo key (like the demo password): a v3 profile of project SALES signs in with it.
    lines.push(`  API v3   : ${sandbox.urlV3}  API key ${DEMO_API_KEY} (project ${DEMO_V3_PROJECT})`);
    lines.push(`  Fields   : ${DEMO_FIELDS.map((f) => `${f.code} (${f.type}, ${f.options.length} options)`).join(', ')}`);
  }
  lines.push('Press Ctrl+C to stop.');
  console.log(lines.join('\n'));
}

function stopOnSignals(sandbox: VbotSandbox): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received, closing the sandbox...`);
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2));
  let sandbox: VbotSandbox;
  try {
    sandbox = await VbotSandbox.start({
      host: HOST,
      port: config.port,
      pathPrefix: config.prefix,
      envelope: config.envelope,
      users: [{ ...DEMO_USER }],
      seed: config.empty ? [] : demoSeed(),
      apiKeys: config.empty ? [] : [{ key: DEMO_API_KEY, vbotId: DEMO_VBOT_ID, projectCode: DEMO_V3_PROJECT }],
      fieldSeed: config.empty ? [] : demoFieldSeed(),
      // One line per request: method, path, status. No headers or bodies, so no tokens or passwords.
      log: (line) => console.log(`${new Date().toISOString()} ${line}`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      console.error(
        `vbot-sandbox: port ${config.port} on ${HOST} is already in use. ` +
          'Stop the other process, or pick another port with --port N or VBOT_SANDBOX_PORT.',
      );
    } else {
      console.error(`vbot-sandbox: could not start: ${(err as Error).message}`);
    }
    process.exit(1);
  }
  printBanner(sandbox, config);
  stopOnSignals(sandbox);
}

main().catch((err: unknown) => {
  console.error(`vbot-sandbox: ${(err as Error).message}`);
  process.exit(1);
});
