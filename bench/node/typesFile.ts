// Figure: the live problems of vbot-types.json after a one-character edit, against jsonc-parser's own parse of
// the same text. The file has 100 projects × 100 types, all in the cache (so every project is planned in full);
// each round changes one character of a type name (a rename in one project, as typing does) and reads the new
// version as the editor does once typing pauses (TypesLanguage.analysis → FileReadings.read, the same code): the
// document's text (its lines joined, as the extension host's getText does), then analyzeTypesFile from the
// previous version's analysis (the edited project read and planned again, the others moved). The baseline is
// parseTree of the same text, alone; jsonc-parser's parse (a value, no tree) and the whole file's reading (when
// the file is opened, or the cache changed) are reported next to it. Prints one JSON line.
import { parse, parseTree } from 'jsonc-parser';
import { compareCodeUnits, type CachedProject } from '../../src/core/cache/model';
import { CacheSnapshot } from '../../src/core/cache/snapshot';
import { analyzeTypesFile, FileReadings } from '../../src/core/typesAsCode/fileAnalysis';
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
  // The document as the extension host keeps it: lines. The one character typed: the last letter of a name in
  // the middle of the file, alternating.
  const lines = original.split('\n');
  const line = lines.findIndex((l) => l.includes('"Khách hàng nhóm 50 của dự án 50"'));
  const at = lines[line].indexOf('"Khách hàng nhóm 50 của dự án 50"') + 5;
  const originalLine = lines[line];
  let version = 1;
  const getText = () => lines.join('\n');
  const readings = new FileReadings<string>();
  readings.read('file', version, getText, snapshot, VBOT_ID);
  const edit = () => {
    version++;
    lines[line] = originalLine.slice(0, at) + (version % 2 ? 'X' : 'Y') + originalLine.slice(at + 1);
  };
  const check = (analysis: ReturnType<typeof analyzeTypesFile>) => {
    if (analysis.projects.length !== 100 || analysis.errorCount !== 0) throw new Error('bad analysis');
    const items = analysis.projects[50].plan?.items ?? [];
    if (items.length !== 1 || !items[0].after?.typeName.includes(version % 2 ? 'X' : 'Y')) throw new Error('the edit was not read');
  };
  const ours = () => {
    const t0 = performance.now();
    const analysis = readings.read('file', version, getText, snapshot, VBOT_ID);
    const ms = performance.now() - t0;
    check(analysis);
    return ms;
  };
  const base = () => {
    const text = getText();
    const t0 = performance.now();
    const tree = parseTree(text);
    const ms = performance.now() - t0;
    if (!tree) throw new Error('bad parse');
    return ms;
  };
  for (let i = 0; i < 5; i++) {
    edit();
    ours();
    base();
  }
  const valueOnly: number[] = [];
  const r = await interleaved(
    ROUNDS,
    () => (edit(), ours()),
    () => {
      const text = getText();
      const t0 = performance.now();
      parse(text);
      valueOnly.push(performance.now() - t0);
      return base();
    },
  );
  // The whole file read (opening it, a cache change): the same analysis, from no previous one.
  const whole: number[] = [];
  for (let i = 0; i < Math.max(5, Math.round(ROUNDS / 4)); i++) {
    edit();
    const t0 = performance.now();
    const analysis = analyzeTypesFile(getText(), snapshot, VBOT_ID);
    whole.push(performance.now() - t0);
    check(analysis);
  }
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
      wholeFile: stats(whole),
    }) + '\n',
  );
}

void main();
