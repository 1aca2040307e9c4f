// Reads .vscode/launch.json and .vscode/tasks.json the way VS Code does, for the harness and the tests
// that keep F5 honest: runHostTests.ts takes the "Extension Tests" configuration's paths and environment
// from here, test/ui/runExtension.ui.ts starts "Run Extension" in code-server, and
// test/unit/launchConfig.test.ts checks both against package.json, esbuild.mjs and the sandbox.
//
// Why a parser of our own: both files are JSON with comments and trailing commas (JSONC), as VS Code
// writes and reads them, and jsonc-parser is not a dependency. Only the few ${...} variables these files
// use are understood; any other one is an error, so nobody adds ${env:X} and sees it silently dropped.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');

/** JSON with // and /* comments and trailing commas, as in VS Code's own configuration files. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new SyntaxError('unterminated /* comment');
      out += text.slice(i, end + 2).replace(/[^\n]/g, ' '); // keeps line numbers for JSON.parse's messages
      i = end + 1;
    } else {
      out += c;
    }
  }
  // Trailing commas: a comma followed (past blanks) by } or ], outside strings.
  let clean = '';
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (c === '"') {
      const start = i;
      for (i++; i < out.length && out[i] !== '"'; i++) if (out[i] === '\\') i++;
      clean += out.slice(start, i + 1);
    } else if (c === ',') {
      let next = i + 1;
      while (/\s/.test(out[next] ?? '')) next++;
      if (out[next] !== '}' && out[next] !== ']') clean += c;
    } else {
      clean += c;
    }
  }
  return JSON.parse(clean);
}

export interface LaunchConfiguration {
  name: string;
  type: string;
  request: string;
  args?: string[];
  env?: Record<string, string>;
  outFiles?: string[];
  preLaunchTask?: string;
  [key: string]: unknown;
}

export interface TaskDefinition {
  label?: string;
  type?: string;
  script?: string;
  command?: string;
  args?: string[];
  dependsOn?: string | string[];
  isBackground?: boolean;
  problemMatcher?: unknown;
  group?: string | { kind: string; isDefault?: boolean };
  [key: string]: unknown;
}

function readJsonc(root: string, rel: string): unknown {
  const file = join(root, rel);
  try {
    return parseJsonc(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${rel}: ${(e as Error).message}`, { cause: e });
  }
}

export function readLaunchConfigurations(root = REPO_ROOT): LaunchConfiguration[] {
  const json = readJsonc(root, '.vscode/launch.json') as { configurations?: LaunchConfiguration[] };
  return json.configurations ?? [];
}

export function readLaunchConfiguration(name: string, root = REPO_ROOT): LaunchConfiguration {
  const config = readLaunchConfigurations(root).find((c) => c.name === name);
  if (!config) throw new Error(`.vscode/launch.json has no configuration named "${name}"`);
  return config;
}

export function readTasks(root = REPO_ROOT): TaskDefinition[] {
  const json = readJsonc(root, '.vscode/tasks.json') as { tasks?: TaskDefinition[] };
  return json.tasks ?? [];
}

/** The name VS Code knows a task by: its label, else "npm: <script>" for an npm task. */
export function taskLabel(task: TaskDefinition): string | undefined {
  return task.label ?? (task.type === 'npm' && task.script ? `npm: ${task.script}` : undefined);
}

/** The task named `label` and, depth first, every task it depends on; throws on a name tasks.json lacks. */
export function taskClosure(label: string, tasks: TaskDefinition[], seen = new Set<string>()): TaskDefinition[] {
  if (seen.has(label)) return [];
  seen.add(label);
  const task = tasks.find((t) => taskLabel(t) === label);
  if (!task) throw new Error(`.vscode/tasks.json has no task named "${label}"`);
  const deps = task.dependsOn === undefined ? [] : Array.isArray(task.dependsOn) ? task.dependsOn : [task.dependsOn];
  return [task, ...deps.flatMap((d) => taskClosure(d, tasks, seen))];
}

/** ${workspaceFolder} and ${workspaceFolderBasename}; any other variable is an error. */
export function resolveVariables(value: string, root = REPO_ROOT): string {
  return value.replace(/\$\{([^}]*)\}/g, (all, name: string) => {
    if (name === 'workspaceFolder') return root;
    if (name === 'workspaceFolderBasename') return resolve(root).split(/[\\/]/).pop() ?? '';
    throw new Error(`${all} is not understood by test/harness/launchConfig.ts (only \${workspaceFolder})`);
  });
}

/** What an extensionHost configuration asks of the development host, with the variables resolved. */
export interface HostLaunch {
  extensionDevelopmentPath: string;
  extensionTestsPath?: string;
  /** The folder the host opens (the one positional argument), if any. */
  folder?: string;
  env: Record<string, string>;
  /** --disable-extensions: only the extension under development (and built-ins) run. */
  disableExtensions: boolean;
}

export function hostLaunch(config: LaunchConfiguration, root = REPO_ROOT): HostLaunch {
  const where = `.vscode/launch.json "${config.name}"`;
  if (config.type !== 'extensionHost' || config.request !== 'launch')
    throw new Error(`${where} is not an extensionHost launch configuration`);
  const out: Partial<HostLaunch> & { env: Record<string, string>; disableExtensions: boolean } = { env: {}, disableExtensions: false };
  for (const raw of config.args ?? []) {
    const arg = resolveVariables(raw, root);
    const m = /^--(extensionDevelopmentPath|extensionTestsPath)=(.+)$/.exec(arg);
    if (m) out[m[1] as 'extensionDevelopmentPath' | 'extensionTestsPath'] = resolve(root, m[2]);
    else if (arg === '--disable-extensions') out.disableExtensions = true;
    else if (!arg.startsWith('-') && out.folder === undefined) out.folder = resolve(root, arg);
    // Anything else would work in VS Code and be silently dropped by the harness: refuse it here.
    else throw new Error(`${where}: the harness does not understand the argument "${raw}" (write options as --name=value)`);
  }
  if (!out.extensionDevelopmentPath) throw new Error(`${where} has no --extensionDevelopmentPath=… argument`);
  for (const [k, v] of Object.entries(config.env ?? {})) out.env[k] = resolveVariables(String(v), root);
  return out as HostLaunch;
}

/** "Extension Tests": what the host-test harness runs (runHostTests.ts) and F5 runs in a desktop VS Code. */
export function extensionTestsLaunch(root = REPO_ROOT): HostLaunch & { extensionTestsPath: string } {
  const launch = hostLaunch(readLaunchConfiguration('Extension Tests', root), root);
  if (!launch.extensionTestsPath) throw new Error('.vscode/launch.json "Extension Tests" has no --extensionTestsPath=… argument');
  return launch as HostLaunch & { extensionTestsPath: string };
}
