// F5's state: what the "Run Extension" development host (.vscode/launch.json) opens and reads, made by
// the task "dev host: demo state" (.vscode/tasks.json) before every launch.
//   npx tsx scripts/devHostState.ts <folder>      (F5 uses .vscode-host/f5)
// <folder>/workspace  the folder the "Run Extension" host opens (a README only)
// <folder>/test-workspace  the folder the "Extension Tests" host opens, emptied each time (the suites
//                     write workspace settings into it, like into the harness's fresh temp folder)
// <folder>/storage    the extension's cache folder (VBOT_CRM_DEV_STORAGE), seeded once with the demo
//                     account's projects like `npm start` does; the extension owns it afterwards, so
//                     delete the folder to start over.
// Plain Node and no shell, so the task runs the same on Linux, macOS and Windows.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CACHE_FILE_NAME, demoCacheText } from '../test/sandbox/demoCache';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: tsx scripts/devHostState.ts <folder>');
  process.exit(2);
}
const workspace = join(resolve(dir), 'workspace');
const storage = join(resolve(dir), 'storage');
mkdirSync(workspace, { recursive: true });
const testWorkspace = join(resolve(dir), 'test-workspace');
rmSync(testWorkspace, { recursive: true, force: true });
mkdirSync(testWorkspace, { recursive: true });
mkdirSync(storage, { recursive: true });
const readme = join(workspace, 'README.md');
if (!existsSync(readme)) writeFileSync(readme, '# VBot CRM demo workspace (F5)\n');
const cache = join(storage, CACHE_FILE_NAME);
if (existsSync(cache)) {
  console.log(`dev host: keeping the cache in ${cache} (delete ${resolve(dir)} to start over)`);
} else {
  writeFileSync(cache, demoCacheText());
  console.log(`dev host: demo projects written to ${cache}`);
}
