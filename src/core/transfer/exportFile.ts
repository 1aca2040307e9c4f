// Export of one project's cached types, as JSON or CSV files that import reads back exactly.
// Pure: no I/O, no vscode.

import Papa from 'papaparse';
import type { CacheSnapshot } from '../cache/snapshot';
import { CSV_HEADER, FORMULA_TO_ESCAPE } from './csvFormat';
import type { ImportRow } from './importRows';
import type { CsvSeparator } from './transferArgs';

function exportRows(snapshot: CacheSnapshot, vbotId: string, projectCode: string): ImportRow[] {
  const project = snapshot.project(vbotId, projectCode);
  return (project?.types ?? []).map((type) => ({ vbotId, projectCode, typeNo: type.typeNo, typeName: type.typeName }));
}

/** The array shape parseImportFile reads; an unknown project gives `[]`. */
export function exportJson(snapshot: CacheSnapshot, vbotId: string, projectCode: string): string {
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
  vbotId: string,
  projectCode: string,
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
