// Export of cached types (one project's, or every project's in a snapshot: the types picked in the tree are a
// snapshot of their own, pickedSnapshot), as JSON or CSV files that import reads back exactly.
// Pure: no I/O, no vscode.

import Papa from 'papaparse';
import type { TypeRef } from '../commandArgs';
import { CacheSnapshot } from '../cache/snapshot';
import { CSV_HEADER, FORMULA_TO_ESCAPE } from './csvFormat';
import type { ImportRow } from './importRows';
import type { CsvSeparator } from './transferArgs';

/** The rows of one project, or of every project when `vbotId` and `projectCode` are both left out. */
function exportRows(snapshot: CacheSnapshot, vbotId?: string, projectCode?: string): ImportRow[] {
  const every = vbotId === undefined && projectCode === undefined;
  return snapshot
    .projects()
    .filter((p) => every || (p.vbotId === vbotId && p.projectCode === projectCode))
    .flatMap((p) => p.types.map((t) => ({ vbotId: p.vbotId, projectCode: p.projectCode, typeNo: t.typeNo, typeName: t.typeName })));
}

/** Only the types picked (a type no longer cached is left out), in a snapshot of their own, in the cache's order. */
export function pickedSnapshot(snapshot: CacheSnapshot, picked: ReadonlyArray<TypeRef>): CacheSnapshot {
  const keys = new Set(picked.map((t) => JSON.stringify([t.vbotId, t.projectCode, t.typeNo])));
  const projects = snapshot
    .projects()
    .map((p) => ({ ...p, types: p.types.filter((t) => keys.has(JSON.stringify([p.vbotId, p.projectCode, t.typeNo]))) }))
    .filter((p) => p.types.length > 0);
  return new CacheSnapshot(projects);
}

/** The array shape parseImportFile reads; an unknown project gives `[]`; no project given: every project. */
export function exportJson(snapshot: CacheSnapshot, vbotId?: string, projectCode?: string): string {
  return JSON.stringify(exportRows(snapshot, vbotId, projectCode), null, 2) + '\n';
}

/**
 * RFC 4180 CSV with the CSV_HEADER columns and CRLF line ends. Starts with a UTF-8 BOM unless
 * `bom: false`, because Excel otherwise reads Vietnamese text as ANSI and garbles it. A value that
 * would start a formula is written with a leading single quote, which import takes off again.
 * `separator: ';'` is for Excel where the list separator is ";" (it opens a comma file as one column);
 * import finds the separator from the header, so both read back exactly.
 */
export function exportCsv(
  snapshot: CacheSnapshot,
  vbotId: string | undefined,
  projectCode: string | undefined,
  options: { bom?: boolean; separator?: CsvSeparator } = {},
): string {
  const data = exportRows(snapshot, vbotId, projectCode).map((row) => [row.vbotId, row.projectCode, row.typeNo, row.typeName]);
  // Values a spreadsheet would run as a formula (=HYPERLINK(…), +, -, @) get a leading quote.
  const csv = Papa.unparse(
    { fields: [...CSV_HEADER], data },
    { newline: '\r\n', delimiter: options.separator ?? ',', escapeFormulae: FORMULA_TO_ESCAPE },
  );
  // papaparse ends a header-only file with a line break but not a file with rows.
  const lastLineEnded = csv.endsWith('\r\n') ? csv : csv + '\r\n';
  return (options.bom === false ? '' : '\uFEFF') + lastLineEnded;
}
