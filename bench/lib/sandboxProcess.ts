// The VBot sandbox in a process of its own (bench/node/sandboxChild.ts), so the client being measured does not
// share its event loop with the server. Every Node figure that calls the API starts it this way.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What the child prints on its first line (urlV3 and apiKey only when BENCH_SANDBOX_OPTIONS is set). */
export interface SandboxProcess {
  url: string;
  origin: string;
  accessToken: string;
  adminKey: string;
  urlV3?: string;
  apiKey?: string;
  stop: () => void;
}

/**
 * `nodeDir`: the caller's __dirname, bench/node when run from source with tsx, the bundle's folder
 * (out/bench/node) when built with `esbuild.mjs --bench`; sandboxChild is beside it either way.
 */
export async function startSandboxProcess(nodeDir: string, env: Record<string, string> = {}): Promise<SandboxProcess> {
  const source = join(nodeDir, 'sandboxChild.ts');
  const args = existsSync(source) ? ['--import', 'tsx', source] : [join(nodeDir, 'sandboxChild.js')];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const info = JSON.parse(line) as Omit<SandboxProcess, 'origin' | 'stop'>;
  return { ...info, origin: new URL(info.url).origin, stop: () => child.kill('SIGTERM') };
}
