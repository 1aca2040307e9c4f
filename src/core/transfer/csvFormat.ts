// The CSV columns and the formula escape, shared by export (which writes them) and import (which
// reads them back), so that an exported file imports exactly. Pure: no I/O, no vscode.

export const CSV_HEADER = ['vbot_id', 'project_code', 'type_no', 'type_name'] as const;

/**
 * Cells a spreadsheet would run as a formula start with one of these (papaparse's escapeFormulae
 * list). Export puts a single quote before such a value, and before a value that already starts
 * with quotes followed by one of them (`'=x` is written `''=x`), so that import can take exactly
 * one quote off any cell that starts with quotes and then one of these: the round trip is exact.
 */
export const FORMULA_TO_ESCAPE = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;

/** The inverse of export's formula escape (see FORMULA_TO_ESCAPE). */
export function unescapeFormula(cell: string | undefined): string | undefined {
  return cell !== undefined && cell.charCodeAt(0) === 0x27 && ESCAPED_FORMULA.test(cell) ? cell.slice(1) : cell;
}
