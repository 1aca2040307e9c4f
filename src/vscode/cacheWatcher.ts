// Another VS Code window may change the cache file; watching its folder (the file itself is
// replaced by rename on every write) lets this window's tree follow without a reload.
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { CustomerTypeCache } from '../core/customerTypeCache';
import type { Logger } from '../core/logger';

const DEBOUNCE_MS = 150;

export function watchCacheFile(cache: CustomerTypeCache, log: Logger): vscode.Disposable {
  const name = path.basename(cache.filePath);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(path.dirname(cache.filePath), (_event, file) => {
      if (file && file.toString() !== name) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        cache.reload().catch((e) => log.warn(`Reloading the cache after an outside change failed: ${e instanceof Error ? e.message : e}`));
      }, DEBOUNCE_MS);
    });
    watcher.on('error', (e) => log.warn(`Cache folder watcher stopped: ${e.message}`));
  } catch (e) {
    log.warn(`Cannot watch the cache folder; changes from other windows show after Refresh: ${e instanceof Error ? e.message : e}`);
  }
  return { dispose: () => { clearTimeout(timer); watcher?.close(); } };
}
