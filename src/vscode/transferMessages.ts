// The texts of import and export that are not questions: why a file was not read, not written or not
// imported, and why an argument was refused. Every value goes through say(): file names and cell values are data.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImportError } from '../core/transfer/importRows';
import type { TransferChoices } from '../core/transfer/transferArgs';
import type { ReadUserFileResult, WriteUserFileResult } from '../core/userFiles';
import { type Safe, say } from './say';

/** "2 new and 1 renamed customer types", leaving out a count of zero (an import with nothing to do is told apart before). */
export function newAndRenamed(added: number, renamed: number): Safe {
  if (renamed === 0)
    return added === 1 ? say(vscode.l10n.t('1 new customer type')) : say(vscode.l10n.t('{0} new customer types'), String(added));
  if (added === 0)
    return renamed === 1
      ? say(vscode.l10n.t('1 renamed customer type'))
      : say(vscode.l10n.t('{0} renamed customer types'), String(renamed));
  return say(vscode.l10n.t('{0} new and {1} renamed customer types'), String(added), String(renamed));
}

/** Why the argument's `mode` or `separator` was refused. */
export function invalidChoiceText(field: keyof TransferChoices): Safe {
  return field === 'mode'
    ? say(vscode.l10n.t('The import mode must be "{0}" or "{1}".'), 'listOnly', 'create')
    : say(vscode.l10n.t('The CSV separator must be "{0}" or "{1}".'), ',', ';');
}

/** Why a file could not be read, after "Could not read {0}: " (too large and not UTF-8 have messages of their own). */
export function readFailureText(r: Extract<ReadUserFileResult, { reason: 'notFound' | 'notFile' | 'unreadable' }>): string {
  switch (r.reason) {
    case 'notFound':
      return vscode.l10n.t('the file does not exist');
    case 'notFile':
      return vscode.l10n.t('it is not a regular file');
    case 'unreadable':
      return r.message;
  }
}

export function writeFailureText(file: string, r: Extract<WriteUserFileResult, { ok: false }>): Safe {
  switch (r.reason) {
    case 'symlink':
      return say(
        vscode.l10n.t('{0} was not written: it is a symbolic link, and links are not followed when writing.'),
        path.basename(file),
      );
    case 'exists':
      return say(vscode.l10n.t('Could not write {0}: {1}'), path.basename(file), vscode.l10n.t('the file already exists'));
    case 'notFile':
      return say(vscode.l10n.t('Could not write {0}: {1}'), path.basename(file), vscode.l10n.t('it is not a regular file'));
    case 'unwritable':
      return say(vscode.l10n.t('Could not write {0}: {1}'), path.basename(file), r.message);
  }
}

/** Column names as they appear in CSV files, the same in every language. */
const FIELD_LABELS: Record<string, string> = { vbotId: 'vbot_id', projectCode: 'project_code', typeNo: 'type_no', typeName: 'type_name' };

export function describeImportErrors(fileName: string, errors: ReadonlyArray<ImportError>): Safe {
  const shown = errors
    .slice(0, 3)
    .map((e) => (e.line ? say(vscode.l10n.t('line {0}: {1}'), String(e.line), importErrorText(e)) : importErrorText(e)));
  const more = errors.length > 3 ? ` ${say(vscode.l10n.t('(and {0} more problems)'), String(errors.length - 3))}` : '';
  return say(vscode.l10n.t('{0} was not imported; nothing was changed. {1}'), fileName, shown.join('; ') + more);
}

function importErrorText(e: ImportError): string {
  const field = e.field ? FIELD_LABELS[e.field] : '';
  switch (e.code) {
    case 'missingColumn':
      return say(vscode.l10n.t('a required column is missing ({0})'), field);
    case 'emptyValue':
      return say(vscode.l10n.t('{0} is empty'), field);
    case 'tooLong':
      return say(vscode.l10n.t('{0} is longer than {1} characters'), field, String(e.max ?? ''));
    case 'notString':
      return say(vscode.l10n.t('{0} must be text'), field);
    case 'controlChar':
      return say(vscode.l10n.t('{0} contains control characters'), field);
    case 'duplicateInFile':
      return say(vscode.l10n.t('this code already appears on line {0} with another name'), String(e.firstLine ?? '?'));
    case 'badJson':
      return vscode.l10n.t('the file is not valid JSON');
    case 'badShape':
      return vscode.l10n.t('the file does not have the expected columns or fields');
    case 'tooLarge':
      return vscode.l10n.t('the file is too large');
    case 'tooManyRows':
      return vscode.l10n.t('the file has too many rows');
    case 'emptyFile':
      return vscode.l10n.t('the file is empty');
    case 'badCsv':
      return vscode.l10n.t('the CSV file is malformed');
    case 'duplicateColumn':
      return say(vscode.l10n.t('a column appears twice ({0})'), field);
    case 'fieldCount':
      return vscode.l10n.t('the row does not have the same number of fields as the header');
    case 'notUtf8':
      return vscode.l10n.t(
        'the file is not UTF-8 text (its first invalid byte is on this line); save it as UTF-8 (in Excel: "CSV UTF-8") and import it again',
      );
  }
}
