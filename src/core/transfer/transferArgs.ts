// The choices of import and export that a caller may give in the argument object (scripts, keybindings,
// tests) instead of answering a question: what an import means, and the CSV separator of an export.
// Validated like the other arguments: an unknown value refuses the whole call. Pure: no I/O, no vscode.

/**
 * What an import means. `listOnly`: the types already exist on VBot and only the local list learns of them
 * (nothing is sent). `create`: each new type is created on VBot, and each renamed one renamed there.
 */
export type ImportMode = 'listOnly' | 'create';
export const IMPORT_MODES: ReadonlyArray<ImportMode> = ['listOnly', 'create'];

/** The CSV field separators export writes: ',' (RFC 4180) or ';' (Excel where the list separator is ";"). Import reads both. */
export type CsvSeparator = ',' | ';';
export const CSV_SEPARATORS: ReadonlyArray<CsvSeparator> = [',', ';'];

export interface TransferChoices {
  mode?: ImportMode;
  separator?: CsvSeparator;
}

export type ParsedTransferChoices = { ok: true; choices: TransferChoices } | { ok: false; field: keyof TransferChoices };

/** `mode` and `separator` of the argument, each absent when not given; any other value refuses the call. */
export function parseTransferChoices(arg: unknown): ParsedTransferChoices {
  if (!arg || typeof arg !== 'object') return { ok: true, choices: {} };
  const raw = arg as Record<string, unknown>;
  const choices: TransferChoices = {};
  if (raw.mode !== undefined) {
    if (!IMPORT_MODES.includes(raw.mode as ImportMode)) return { ok: false, field: 'mode' };
    choices.mode = raw.mode as ImportMode;
  }
  if (raw.separator !== undefined) {
    if (!CSV_SEPARATORS.includes(raw.separator as CsvSeparator)) return { ok: false, field: 'separator' };
    choices.separator = raw.separator as CsvSeparator;
  }
  return { ok: true, choices };
}

/**
 * The separator Excel most likely expects where `language` is spoken: ";" where decimals are written with a comma
 * (vi, de, fr…), since the list separator there is ";"; "," elsewhere and for a tag Intl does not know.
 */
export function likelySeparator(language: string): CsvSeparator {
  try {
    return new Intl.NumberFormat(language).format(1.5).includes(',') ? ';' : ',';
  } catch {
    return ',';
  }
}
