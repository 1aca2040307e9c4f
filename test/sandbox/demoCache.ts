// The extension's cache file for the demo account: what a user who had imported the demo
// projects would have. `npm start` and the UI test place it in the extension's global storage.
import { writeFileSync } from 'node:fs';
import { serializeCache } from '../../src/core/cache/cacheText';
import { type CachedProject, compareCodeUnits } from '../../src/core/cache/model';
import { DEMO_PROJECTS, DEMO_VBOT_ID } from './demoData';

export const CACHE_FILE_NAME = 'customer-types.json';

export function demoCacheText(updatedAt = new Date().toISOString()): string {
  const projects: CachedProject[] = DEMO_PROJECTS.map((p) => ({
    vbotId: DEMO_VBOT_ID,
    projectCode: p.projectCode,
    types: [...p.types].sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo)).map((t) => ({ ...t, updatedAt })),
  }));
  projects.sort((a, b) => compareCodeUnits(a.vbotId, b.vbotId) || compareCodeUnits(a.projectCode, b.projectCode));
  return serializeCache(projects);
}

// `tsx test/sandbox/demoCache.ts <file>` writes it (used by scripts/start.sh).
if (require.main === module && process.argv[2]) {
  writeFileSync(process.argv[2], demoCacheText());
}
