// Import existing types from a JSON or CSV file into the cache (the API cannot list them),
// after a preview; export a project's cached types to JSON or CSV.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { label, type Safe, say, sayLabel } from './say';
import { DESIRED_STATE_FILE_NAME } from '../core/typesAsCode/format';
import { desiredStateFromSnapshot } from '../core/typesAsCode/scaffold';
import type { TypeCache } from './activeCache';
import { exportCsv, exportJson } from '../core/transfer/exportFile';
import { parseImportFile } from '../core/transfer/importFile';
import { type ImportPlan, importEdits, planImport } from '../core/transfer/importPlan';
import { IMPORT_LIMITS, type ImportError } from '../core/transfer/importRows';
import { type CommandResult, readTypeArgs } from './commandArgs';
import { parseFileArgs } from '../core/commandArgs';
import { formatError } from '../core/json';
import { isInsideFolder, readUserFile, type ReadUserFileResult, writeUserFile, type WriteUserFileResult } from '../core/userFiles';
import { countTypes } from './messages';
import type { Notifier } from './notifier';
import { pickProject, untilSettled } from './prompts';
import type { Settings } from './settings';
import type { TypeTreeProvider } from './typeTreeProvider';

type ExportFormat = 'json' | 'csv' | 'vbotTypes';
interface TransferArgs {
  filePath?: string;
  format?: ExportFormat;
}

export class TransferCommands {
  constructor(
    private readonly cache: TypeCache,
    private readonly settings: Settings,
    private readonly notifier: Notifier,
    private readonly tree: TypeTreeProvider,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.importTypes', (a) => this.importTypes(a)),
      vscode.commands.registerCommand('vbotCrm.exportTypes', (a) => this.exportTypes(a)),
    ];
  }

  async importTypes(arg?: unknown): Promise<CommandResult> {
    const read = readTypeArgs(arg);
    if (!read.ok) return this.notifier.invalid(read.message);
    const given = transferArgs(arg);
    const file = given.filePath ?? (await this.askImportFile());
    if (!file) return 'cancelled';
    // Refused by size (and kind) before a byte is read; only UTF-8 text is read.
    const loaded = await readUserFile(file, IMPORT_LIMITS.maxBytes);
    if (!loaded.ok) {
      if (loaded.reason === 'tooLarge')
        return this.notifier.invalid(
          say(
            vscode.l10n.t('{0} is too large to import (more than {1} MB).'),
            path.basename(file),
            String(IMPORT_LIMITS.maxBytes / 1024 / 1024),
          ),
        );
      if (loaded.reason === 'notUtf8')
        return this.notifier.invalid(
          describeImportErrors(path.basename(file), [{ line: loaded.line, code: 'notUtf8', message: 'not UTF-8 text' }]),
        );
      return this.notifier.invalid(say(vscode.l10n.t('Could not read {0}: {1}'), path.basename(file), readFailureText(loaded)));
    }
    const content = loaded.text;
    const parsed = parseImportFile(path.basename(file), content, {
      vbotId: read.args.vbotId ?? (this.settings.vbotId() || undefined),
      projectCode: read.args.projectCode,
    });
    if (!parsed.ok) return this.notifier.invalid(describeImportErrors(path.basename(file), parsed.errors));
    const plan = planImport(this.cache.snapshot(), parsed.rows);
    if (plan.add.length === 0 && plan.change.length === 0) {
      this.notifier.info(
        say(
          vscode.l10n.t('Nothing to import: the {0} customer types in {1} are already in the list.'),
          String(plan.unchanged),
          path.basename(file),
        ),
      );
      return 'done';
    }
    if (!read.args.skipConfirmation && !(await this.confirmPreview(path.basename(file), plan))) return 'cancelled';
    try {
      await this.cache.applyEdits(importEdits(plan));
    } catch (e) {
      return this.notifier.invalid(say(vscode.l10n.t('The local list could not be saved: {0}'), formatError(e)));
    }
    this.tree.refreshAll();
    this.notifier.info(
      say(
        vscode.l10n.t('Imported from {0}: {1} added, {2} renamed, {3} unchanged.'),
        path.basename(file),
        String(plan.add.length),
        String(plan.change.length),
        String(plan.unchanged),
      ),
    );
    return 'done';
  }

  async exportTypes(arg?: unknown): Promise<CommandResult> {
    const read = readTypeArgs(arg);
    if (!read.ok) return this.notifier.invalid(read.message);
    const given = transferArgs(arg);
    let { vbotId, projectCode } = read.args;
    if (!projectCode || !vbotId) {
      const owners = this.cache
        .snapshot()
        .projects()
        .filter((p) => p.projectCode === projectCode);
      if (projectCode && owners.length === 1) {
        vbotId = owners[0].vbotId;
      } else {
        const picked = await pickProject(
          { title: vscode.l10n.t('Export Customer Types'), step: 1, totalSteps: given.format ? 1 : 2 },
          this.cache.snapshot(),
          {
            vbotId,
            allowNew: false,
            defaultVbotId: this.settings.vbotId(),
            validateNew: () => undefined,
          },
        );
        if (!picked) return 'cancelled';
        ({ vbotId, projectCode } = picked);
      }
    }
    const snapshot = this.cache.snapshot();
    if (!snapshot.project(vbotId, projectCode))
      return this.notifier.invalid(say(vscode.l10n.t('Project {0} is not in the list.'), projectCode));
    const format = given.format ?? (await this.askFormat());
    if (!format) return 'cancelled';
    const file = given.filePath ?? (await this.askExportFile(projectCode, format));
    if (!file) return 'cancelled';
    // The save dialog asked before replacing; a path given as an argument may point anywhere.
    if (given.filePath && !read.args.skipConfirmation && !(await this.confirmReplaceOutside(file))) return 'cancelled';
    const text =
      format === 'csv'
        ? exportCsv(snapshot, vbotId, projectCode)
        : format === 'vbotTypes'
          ? desiredStateFromSnapshot(snapshot, { vbotId, projectCode })
          : exportJson(snapshot, vbotId, projectCode);
    const written = await writeUserFile(file, text, { replace: true });
    if (!written.ok) return this.notifier.invalid(writeFailureText(file, written));
    const count = snapshot.project(vbotId, projectCode)?.types.length ?? 0;
    this.notifier.info(say(vscode.l10n.t('Exported {0} of project {1} to {2}.'), countTypes(count), projectCode, path.basename(file)), {
      title: vscode.l10n.t('Open File'),
      run: () => vscode.window.showTextDocument(vscode.Uri.file(file)),
    });
    return 'done';
  }

  /** Asks before replacing an existing file outside every workspace folder. */
  private async confirmReplaceOutside(file: string): Promise<boolean> {
    if ((vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.scheme === 'file' && isInsideFolder(file, f.uri.fsPath))) return true;
    if (
      !(await fs.lstat(file).then(
        () => true,
        () => false,
      ))
    )
      return true;
    // A modal showWarningMessage (through the notifier, so extension-host tests can answer it).
    return this.notifier.confirm(
      say(vscode.l10n.t('Replace {0}?'), path.basename(file)),
      say(vscode.l10n.t('{0} already exists and is outside the workspace. Exporting replaces what it holds.'), file),
      vscode.l10n.t('Replace'),
    );
  }

  private async askImportFile(): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Import Customer Types'),
      canSelectMany: false,
      openLabel: vscode.l10n.t('Preview Import'),
      filters: { [vscode.l10n.t('Customer type lists')]: ['json', 'csv'] },
    });
    return picked?.[0]?.fsPath;
  }

  private async askFormat(): Promise<ExportFormat | undefined> {
    const items = [
      { label: 'CSV', description: vscode.l10n.t('For Excel and Google Sheets'), format: 'csv' as const },
      { label: 'JSON', description: vscode.l10n.t('For scripts and other tools'), format: 'json' as const },
      {
        label: DESIRED_STATE_FILE_NAME,
        description: vscode.l10n.t('Customer types as code: review in git, then Plan and Apply'),
        format: 'vbotTypes' as const,
      },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Export Customer Types'),
      placeHolder: vscode.l10n.t('File format'),
    });
    return picked?.format;
  }

  private async askExportFile(projectCode: string, format: ExportFormat): Promise<string | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name =
      format === 'vbotTypes' ? DESIRED_STATE_FILE_NAME : `${projectCode.replace(/[^\p{L}\p{N}_.-]+/gu, '_')}-customer-types.${format}`;
    const uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Customer Types'),
      saveLabel: vscode.l10n.t('Export'),
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    });
    return uri?.fsPath;
  }

  /** A read-only list of what would change; the first row imports, Escape cancels. */
  private confirmPreview(fileName: string, plan: ImportPlan): Promise<boolean> {
    const rows = importPreviewRows(plan);
    const qp = vscode.window.createQuickPick<PreviewRow>();
    qp.title = sayLabel(vscode.l10n.t('Import preview: {0}'), fileName);
    qp.placeholder = vscode.l10n.t('Select the first row to import, or press Escape to cancel');
    qp.items = rows;
    qp.matchOnDescription = true;
    qp.ignoreFocusOut = true;
    return untilSettled<boolean>(qp, (settle) => {
      if (qp.selectedItems[0]?.accept) settle(true);
    }).then((ok) => ok === true);
  }
}

type PreviewRow = vscode.QuickPickItem & { accept?: boolean };

/** The import preview: the row that imports, then what is new and what is renamed (500 of each at most). */
export function importPreviewRows(plan: ImportPlan): PreviewRow[] {
  return [
    {
      label: `$(check) ${say(vscode.l10n.t('Import {0} new and {1} renamed customer types'), String(plan.add.length), String(plan.change.length))}`,
      description: say(vscode.l10n.t('{0} unchanged'), String(plan.unchanged)),
      accept: true,
      alwaysShow: true,
    },
    { label: vscode.l10n.t('New'), kind: vscode.QuickPickItemKind.Separator },
    ...plan.add.slice(0, 500).map((a) => ({
      label: `$(add) ${label(a.typeName)}`,
      description: label(a.typeNo),
      detail: sayLabel('{0} · {1}', a.projectCode, a.vbotId),
    })),
    { label: vscode.l10n.t('Renamed'), kind: vscode.QuickPickItemKind.Separator },
    ...plan.change.slice(0, 500).map((c) => ({
      label: `$(edit) ${label(c.newName)}`,
      description: label(c.typeNo),
      detail: sayLabel(`${vscode.l10n.t('was "{0}"')} · {1}`, c.oldName, c.projectCode),
    })),
  ];
}

function transferArgs(arg: unknown): TransferArgs {
  const { filePath, format } = parseFileArgs(arg);
  return { filePath, format };
}

/** Why a file could not be read, after "Could not read {0}: " (too large and not UTF-8 have messages of their own). */
function readFailureText(r: Extract<ReadUserFileResult, { reason: 'notFound' | 'notFile' | 'unreadable' }>): string {
  switch (r.reason) {
    case 'notFound':
      return vscode.l10n.t('the file does not exist');
    case 'notFile':
      return vscode.l10n.t('it is not a regular file');
    case 'unreadable':
      return r.message;
  }
}

function writeFailureText(file: string, r: Extract<WriteUserFileResult, { ok: false }>): Safe {
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

function describeImportErrors(fileName: string, errors: ReadonlyArray<ImportError>): Safe {
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
