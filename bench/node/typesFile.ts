// Figure: the live problems of vbot-types.json after a one-character edit, against jsonc-parser's own parse of
// the same text. The file has 100 projects × 100 types, all in the cache (so every project is planned in full);
// each round changes one character of a type name (a rename in one project, as typing does) and reads the new
// text as the editor does: analyzeTypesFile (jsonc-parser's parseTree, the reader of Plan over its value, a plan
// per project, the ranges). The baseline is parseTree of the same text, alone; jsonc-parser's parse (a value,
// no tree) is reported next to it. Prints one JSON line.
import { parse, parseTree } from 'jsonc-parser';
import { compareCodeUnits, type CachedProject } from '../../src/core/cache/model';
import { CacheSnapshot } from '../../src/core/cache/snapshot';
import { analyzeTypesFile } from '../../src/core/typesAsCode/fileAnalysis';
import { desiredStateFromSnapshot } from '../../src/core/typesAsCode/scaffold';
import { interleaved, pairedRatio, stats } from '../lib/stats';

const ROUNDS = Number(process.env.BENCH_TYPES_FILE_ROUNDS ?? 41);
const VBOT_ID = 'VB-BENCH-0001';

async function main(): Promise<void> {
  const projects: CachedProject[] = Array.from({ length: 100 }, (_, p) => ({
    vbotId: VBOT_ID,
    projectCode: `PROJECT_${String(p).padStart(3, '0')}`,
    types: Array.from({ length: 100 }, (_, t) => ({
      typeNo: `KH_${String(p).padStart(3, '0')}_${String(t).padStart(3, '0')}`,
      typeName: `Khách hàng nhóm ${t} của dự án ${p}`,
      updatedAt: '2026-01-01T00:00:00.000Z',
    })).sort((a, b) => compareCodeUnits(a.typeNo, b.typeNo)),
  }));
  const snapshot = new CacheSnapshot(projects);
  const original = desiredStateFromSnapshot(snapshot);
  // The one character typed: the last letter of a name in the middle of the file, alternating.
  const at = original.indexOf('"Khách hàng nhóm 50 của dự án 50"') + 5;
  let round = 0;
  let text = original;
  const edit = () => {
    round++;
    text = original.slice(0, at) + (round % 2 ? 'X' : 'Y') + original.slice(at + 1);
  };
  const ours = () => {
    const t0 = performance.now();
    const analysis = analyzeTypesFile(text, snapshot, VBOT_ID);
    const ms = performance.now() - t0;
    if (analysis.projects.length !== 100 || analysis.errorCount !== 0) throw new Error('bad analysis');
    return ms;
  };
  const base = () => {
    const t0 = performance.now();
    const tree = parseTree(text);
    const ms = performance.now() - t0;
    if (!tree) throw new Error('bad parse');
    return ms;
  };
  const valueOnly: number[] = [];
  for (let i = 0; i < 5; i++) {
    edit();
    ours();
    base();
  }
  const r = await interleaved(
    ROUNDS,
    () => (edit(), ours()),
    () => {
      const t0 = performance.now();
      parse(text);
      valueOnly.push(performance.now() - t0);
      return base();
    },
  );
  process.stdout.write(
    JSON.stringify({
      unit: 'ms',
      fileBytes: Buffer.byteLength(original),
      projects: 100,
      typesPerProject: 100,
      rounds: ROUNDS,
      ours: stats(r.ours),
      base: stats(r.base),
      ratio: pairedRatio(r.ours, r.base),
      jsoncParse: stats(valueOnly),
    }) + '\n',
  );
}

void main();
