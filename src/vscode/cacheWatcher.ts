// Another VS Code window may change the cache file; watching its folder (the file itself is
// replaced by rename on every write) lets this window's tree follow without a reload.
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { TypeCache } from './activeCache';
import { formatError } from '../core/jsonBasics';
import type { Logger } from '../core/logger';

const DEBOUNCE_MS = 150;

export function watchCacheFile(folder: string, cache: TypeCache, log: Logger): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const reload = () => {
    cache.reload().catch((e) => log.warn(`Reloading the cache after an outside change failed: ${formatError(e)}`));
  };
  try {
    mkdirSync(folder, { recursive: true }); // on first use, nothing has made it yet
    watcher = watch(folder, (_event, file) => {
      // The active profile's file, looked up at each event: a profile switch changes it.
      if (file && file.toString() !== path.basename(cache.filePath)) return;
      clearTimeout(timer);
      timer = setTimeout(reload, DEBOUNCE_MS);
    });
    watcher.on('error', (e) => log.warn(`Cache folder watcher stopped: ${e.message}`));
  } catch (e) {
    log.warn(`Cannot watch the cache folder; changes from other windows show after Refresh: ${formatError(e)}`);
    return { dispose: () => undefined };
  }
  // Catches a change written before the watch began; when there was none it only compares the file's bytes with those loaded.
  reload();
  return {
    dispose: () => {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
