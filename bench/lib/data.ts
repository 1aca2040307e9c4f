// Deterministic test data for the benchmarks: realistic Vietnamese customer types whose names are
// NOT in the order of their codes (a sort by name must do real work), built from a seeded PRNG so
// every run measures exactly the same bytes. No imports: bundled into the host entry too.

export interface BenchType {
  typeNo: string;
  typeName: string;
  updatedAt: string;
}
export interface BenchProject {
  vbotId: string;
  projectCode: string;
  types: BenchType[];
}

/** mulberry32: tiny, fast, good enough to shuffle test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = ['Khách hàng', 'Đại lý', 'Nhà phân phối', 'Đối tác', 'Cộng tác viên', 'Doanh nghiệp', 'Cửa hàng', 'Hộ kinh doanh'];
const QUALITIES = [
  'VIP',
  'tiềm năng',
  'thân thiết',
  'mới',
  'cấp 1',
  'cấp 2',
  'ưu tiên',
  'bán lẻ',
  'bán sỉ',
  'chiến lược',
  'vãng lai',
  'quay lại',
];
const PLACES = ['Hà Nội', 'Hồ Chí Minh', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Huế', 'Nha Trang', 'Vũng Tàu', 'Quảng Ninh', 'Bình Dương'];

/** `count` types of one project: codes KH00000…, names shuffled relative to the codes. */
export function makeTypes(count: number, seed: number, updatedAt = '2026-11-28T19:40:00.000Z'): BenchType[] {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const types: BenchType[] = [];
  for (let i = 0; i < count; i++) {
    const typeNo = `KH${String(i).padStart(5, '0')}`;
    const typeName = `${pick(KINDS)} ${pick(QUALITIES)} ${pick(PLACES)} ${Math.floor(rnd() * 100_000)}`;
    types.push({ typeNo, typeName, updatedAt });
  }
  return types;
}

/** `projects` projects of `perProject` types each, in the cache's order (vbotId, projectCode; typeNo). */
export function makeProjects(projects: number, perProject: number, seed = 1): BenchProject[] {
  const out: BenchProject[] = [];
  for (let p = 0; p < projects; p++) {
    out.push({ vbotId: 'VB-BENCH-0001', projectCode: `PRJ${String(p).padStart(3, '0')}`, types: makeTypes(perProject, seed * 1000 + p) });
  }
  return out;
}

/** The cache file exactly as CustomerTypeCache writes it (see cacheText.ts). */
export function cacheFileText(projects: BenchProject[]): string {
  return JSON.stringify({ version: 1, projects }, null, 2) + '\n';
}

/** A CSV import file with the documented header, CRLF line ends, some names quoted (they hold commas). */
export function importCsvText(count: number, seed = 7): string {
  const rnd = prng(seed);
  const lines = ['vbot_id,project_code,type_no,type_name'];
  const types = makeTypes(count, seed);
  for (const t of types) {
    const name = rnd() < 0.2 ? `"${t.typeName}, chi nhánh ""Bắc"""` : t.typeName;
    lines.push(`VB-BENCH-0001,IMPORT,${t.typeNo},${name}`);
  }
  return lines.join('\r\n') + '\r\n';
}
