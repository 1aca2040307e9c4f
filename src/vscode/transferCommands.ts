// Import customer types from a JSON or CSV file, after a preview, in one of its two meanings, which the user
// picks: the types already exist on VBot (the local list learns of them; the API cannot list them), or they
// are created there (importToVbot.ts). Export a project's cached types to JSON, CSV (",", or ";" for Excel in
// locales that use it) or vbot-types.json (with a v3 profile, also the project's choice lists as last read).
import * as vscode from 'vscode';
import { joinSafe, label, say, sayLabel } from './say';
import { DESIRED_STATE_FILE_NAME } from '../core/typesAsCode/format';
import { desiredStateFromSnapshot } from '../core/typesAsCode/scaffold';
import { exportedFieldsNote } from './fieldsFileTexts';
import { projectTypesFile, readsFieldsOf } from './storedFields';
import type { ActiveCache, TypeCache } from './activeCache';
import type { ApiRunner, ProfileApi } from './apiRunner';
import type { Changes } from './changes';
import type { ReadOnlyDocuments } from './documents';
import { exportCsv, exportJson, pickedSnapshot } from '../core/transfer/exportFile';
import { parseImportFile } from '../core/transfer/importFile';
import { type ImportPlan, importChanges, importEdits, planImport, projectOutside } from '../core/transfer/importPlan';
import { IMPORT_LIMITS } from '../core/transfer/importRows';
import { type CsvSeparator, type ImportMode, likelySeparator, parseTransferChoices } from '../core/transfer/transferArgs';
import { type CommandResult, type TypeCommandArgs, readTypeArgs } from './commandArgs';
import { parseFileArgs, selectedTypes } from '../core/commandArgs';
import { formatError } from '../core/json';
import { askImportMode, confirmCreate, createOnVbot, signedInToCreate } from './importToVbot';
import { countTypes } from './messages';
import type { Notifier } from './notifier';
import { pickProject, untilSettled } from './prompts';
import type { Profile, Settings } from './settings';
import { describeImportErrors, invalidChoiceText, newAndRenamed, readFailureText, writeFailureText } from './transferMessages';
import type { TypeTreeProvider } from './typeTreeProvider';
import { baseName, commandFile, fileArg, fileExists, isInWorkspace, readWorkspaceFile, writeWorkspaceFile } from './workspaceFiles';

type ExportFormat = 'json' | 'csv' | 'vbotTypes';
interface TransferArgs {
  /** `filePath` (a path or a URI) or a Uri given as the argument. */
  file?: vscode.Uri;
  format?: ExportFormat;
  mode?: ImportMode;
  separator?: CsvSeparator;
  skipConfirmation: boolean;
}

export interface TransferCommandDeps {
  cache: ActiveCache;
  settings: Settings;
  notifier: Notifier;
  tree: TypeTreeProvider;
  runner: ApiRunner;
  changes: Changes;
  documents: ReadOnlyDocuments;
}

/** What creating an import on VBot works with, fixed when the import started. */
interface CreateContext {
  profile: Profile;
  /** Bound when the caller asked to create (signed in by then); otherwise bound once the user chose to. */
  api: ProfileApi | undefined;
  given: TransferArgs;
  args: TypeCommandArgs;
  file: vscode.Uri;
  plan: ImportPlan;
  /** Whether the preview, whose first row names what happens, was shown. */
  previewed: boolean;
}

/** An import file read and checked against the list of the profile the import started in. */
interface LoadedImport {
  file: vscode.Uri;
  plan: ImportPlan;
  cache: TypeCache;
}

export class TransferCommands {
  private readonly notifier: Notifier;

  constructor(private readonly d: TransferCommandDeps) {
    this.notifier = d.notifier;
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('vbotCrm.importTypes', (a) => this.importTypes(a)),
      vscode.commands.registerCommand('vbotCrm.exportTypes', (a, s) => this.exportTypes(a, s)),
    ];
  }

  importTypes(arg?: unknown): Promise<CommandResult> {
    return this.runImport(arg, true);
  }

  /** `preview`: false for Retry, which the user asked for after seeing what failed (creating is confirmed again). */
  private async runImport(arg: unknown, preview: boolean): Promise<CommandResult> {
    const read = readTypeArgs(arg);
    if (!read.ok) return this.notifier.invalid(read.message);
    const given = this.transferArgs(arg);
    if (!given) return 'invalid';
    // Captured now: the list planned against, the questions, every request and every write belong to this profile.
    const profile = this.d.settings.activeProfile();
    const api = given.mode === 'create' ? this.d.runner.bind(profile) : undefined;
    // Told to create, a signed-out import asks to sign in before anything else, so no answer is lost to a refusal.
    const asks = !given.file || !given.skipConfirmation;
    if (api && !(await signedInToCreate(api, this.notifier, asks))) return asks ? 'cancelled' : 'failed';
    const loaded = await this.loadImport(given, read.args, profile);
    if (typeof loaded === 'string') return loaded;
    const { file, plan, cache } = loaded;
    const fileName = baseName(file);
    if (plan.add.length === 0 && plan.change.length === 0) {
      this.notifier.info(
        say(vscode.l10n.t('Nothing to import: the {0} customer types in {1} are already in the list.'), String(plan.unchanged), fileName),
      );
      return 'done';
    }
    const previewed = preview && !given.skipConfirmation;
    if (previewed && !(await this.confirmPreview(fileName, plan, given.mode, profile.name))) return 'cancelled';
    const mode = given.mode ?? (await askImportMode(this.notifier, fileName, plan, importChanges(plan), profile.name));
    if (!mode) return 'cancelled';
    if (mode === 'listOnly') return this.addToList(cache, plan, fileName);
    return this.createFromImport({ profile, api, given, args: read.args, file, plan, previewed });
  }

  /** The import's second meaning: the types are created (and renamed) on VBot, in the profile the import started in. */
  private async createFromImport(c: CreateContext): Promise<CommandResult> {
    const { profile, given, file, plan } = c;
    const fileName = baseName(file);
    const outside = projectOutside(plan, {
      vbotId: profile.vbotId,
      projectCode: (profile.apiVersion === 'v3' && profile.projectCode) || undefined,
    });
    if (outside)
      return this.notifier.invalid(
        say(
          vscode.l10n.t(
            'Profile "{0}" cannot create customer types in project {1} (VBotID {2}), which {3} also lists; nothing was sent. Use the profile of that account, or add them to the local list only.',
          ),
          profile.name,
          outside.projectCode,
          outside.vbotId,
          fileName,
        ),
      );
    // Chosen in the question (after the preview), signing in is asked now; given as an argument, it was asked first.
    const api = c.api ?? this.d.runner.bind(profile);
    if (!c.api && !(await signedInToCreate(api, this.notifier, true))) return 'cancelled';
    const items = importChanges(plan);
    // The question's answer and the preview's first row named what is created where; otherwise it is confirmed here.
    if (given.mode && !given.skipConfirmation && !c.previewed && !(await confirmCreate(this.notifier, fileName, items, profile.name)))
      return 'cancelled';
    // Retry plans again from the file: what VBot confirmed is in the list by then, so only the rest is sent.
    const retry = { filePath: fileArg(file), mode: 'create', vbotId: c.args.vbotId, projectCode: c.args.projectCode };
    const result = await createOnVbot(this.d, api, items, fileName, () => this.runImport(retry, false));
    this.d.tree.refreshAll();
    return result;
  }

  /** Reads the file (asked for when not given) and plans it against the profile's list; a refusal is reported. */
  private async loadImport(given: TransferArgs, args: TypeCommandArgs, profile: Profile): Promise<LoadedImport | CommandResult> {
    const file = given.file ?? (await this.askImportFile());
    if (!file) return 'cancelled';
    const fileName = baseName(file);
    // Refused by size (and kind) before a byte is read; only UTF-8 text is read.
    const loaded = await readWorkspaceFile(file, IMPORT_LIMITS.maxBytes);
    if (!loaded.ok) {
      if (loaded.reason === 'tooLarge')
        return this.notifier.invalid(
          say(vscode.l10n.t('{0} is too large to import (more than {1} MB).'), fileName, String(IMPORT_LIMITS.maxBytes / 1024 / 1024)),
        );
      if (loaded.reason === 'notUtf8')
        return this.notifier.invalid(describeImportErrors(fileName, [{ line: loaded.line, code: 'notUtf8', message: 'not UTF-8 text' }]));
      return this.notifier.invalid(say(vscode.l10n.t('Could not read {0}: {1}'), fileName, readFailureText(loaded)));
    }
    const parsed = parseImportFile(fileName, loaded.text, {
      vbotId: args.vbotId ?? (profile.vbotId || undefined),
      projectCode: args.projectCode,
    });
    if (!parsed.ok) return this.notifier.invalid(describeImportErrors(fileName, parsed.errors));
    const cache = this.d.cache.forProfile(profile.name);
    return { file, plan: planImport(cache.snapshot(), parsed.rows, parsed.inCodeOrder), cache };
  }

  /** The import's first meaning: the types already exist on VBot, and only the local list learns of them. */
  private async addToList(cache: TypeCache, plan: ImportPlan, fileName: string): Promise<CommandResult> {
    try {
      await cache.applyEdits(importEdits(plan));
    } catch (e) {
      return this.notifier.invalid(say(vscode.l10n.t('The local list could not be saved: {0}'), formatError(e)));
    }
    this.d.tree.refreshAll();
    const what = newAndRenamed(plan.add.length, plan.change.length);
    this.notifier.info(
      plan.unchanged === 0
        ? say(vscode.l10n.t('Added {0} to the local list (not sent to VBot) from {1}.'), what, fileName)
        : say(
            vscode.l10n.t('Added {0} to the local list (not sent to VBot) from {1}; {2} already in it.'),
            what,
            fileName,
            String(plan.unchanged),
          ),
    );
    return 'done';
  }

  /** From type rows of the tree (`selection`: what VS Code adds, commandArgs.ts#selectedTypes): only the types selected. */
  async exportTypes(arg?: unknown, selection?: unknown): Promise<CommandResult> {
    const read = readTypeArgs(arg);
    if (!read.ok) return this.notifier.invalid(read.message);
    const given = this.transferArgs(arg);
    if (!given) return 'invalid';
    let { vbotId, projectCode } = read.args;
    if (!projectCode || !vbotId) {
      const owners = this.d.cache
        .snapshot()
        .projects()
        .filter((p) => p.projectCode === projectCode);
      if (projectCode && owners.length === 1) {
        vbotId = owners[0].vbotId;
      } else {
        const picked = await pickProject(
          { title: vscode.l10n.t('Export Customer Types'), step: 1, totalSteps: given.format ? 1 : 2 },
          this.d.cache.snapshot(),
          {
            vbotId,
            allowNew: false,
            defaultVbotId: this.d.settings.vbotId(),
            validateNew: () => undefined,
          },
        );
        if (!picked) return 'cancelled';
        ({ vbotId, projectCode } = picked);
      }
    }
    const snapshot = this.d.cache.snapshot();
    const profile = this.d.settings.activeProfile();
    // A v3 profile's project shows (with its fields) before it has a type.
    if (!snapshot.project(vbotId, projectCode) && !readsFieldsOf(profile, vbotId, projectCode))
      return this.notifier.invalid(say(vscode.l10n.t('Project {0} is not in the list.'), projectCode));
    // A separator given alone means CSV; CSV given alone means commas, as before separators could be chosen.
    const chosen = given.format || given.separator ? { format: given.format ?? 'csv', separator: given.separator } : await this.askFormat();
    if (!chosen) return 'cancelled';
    const { format, separator = ',' } = chosen;
    if (given.separator && format !== 'csv')
      return this.notifier.invalid(say(vscode.l10n.t('A separator applies only to CSV files, not to the format "{0}".'), format));
    const file = given.file ?? (await this.askExportFile(projectCode, format));
    if (!file) return 'cancelled';
    // The save dialog asked before replacing; a path given as an argument may point anywhere.
    if (given.file && !read.args.skipConfirmation && !(await this.confirmReplaceOutside(file))) return 'cancelled';
    const picked = selectedTypes(arg, selection);
    const only = picked.length ? pickedSnapshot(snapshot, picked) : undefined;
    const scope: { vbotId?: string; projectCode?: string } = only ? {} : { vbotId, projectCode };
    // A whole project's vbot-types.json also declares its choice lists, as the fields tree last read them.
    const typesFile =
      format === 'vbotTypes' && !only ? await projectTypesFile(snapshot, this.d.cache.filePath, profile, vbotId, projectCode) : undefined;
    const text =
      format === 'csv'
        ? exportCsv(only ?? snapshot, scope.vbotId, scope.projectCode, { separator })
        : typesFile
          ? typesFile.text
          : format === 'vbotTypes'
            ? desiredStateFromSnapshot(only ?? snapshot, scope)
            : exportJson(only ?? snapshot, scope.vbotId, scope.projectCode);
    const written = await writeWorkspaceFile(file, text, { replace: true });
    if (!written.ok) return this.notifier.invalid(writeFailureText(baseName(file), written));
    const count = only ? only.typeCount() : (snapshot.project(vbotId, projectCode)?.types.length ?? 0);
    const what = only
      ? say(vscode.l10n.t('Exported {0} to {1}.'), countTypes(count), baseName(file))
      : say(vscode.l10n.t('Exported {0} of project {1} to {2}.'), countTypes(count), projectCode, baseName(file));
    this.notifier.info(typesFile?.fields ? joinSafe([what, exportedFieldsNote(typesFile.fields)], ' ') : what, {
      title: vscode.l10n.t('Open File'),
      run: () => vscode.window.showTextDocument(file),
    });
    return 'done';
  }

  /** Asks before replacing an existing file outside every workspace folder. */
  private async confirmReplaceOutside(file: vscode.Uri): Promise<boolean> {
    if (isInWorkspace(file) || !(await fileExists(file))) return true;
    // A modal showWarningMessage (through the notifier, so extension-host tests can answer it).
    return this.notifier.confirm(
      say(vscode.l10n.t('Replace {0}?'), baseName(file)),
      say(vscode.l10n.t('{0} already exists and is outside the workspace. Exporting replaces what it holds.'), fileArg(file)),
      vscode.l10n.t('Replace'),
    );
  }

  private async askImportFile(): Promise<vscode.Uri | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Import Customer Types'),
      canSelectMany: false,
      openLabel: vscode.l10n.t('Preview Import'),
      filters: { [vscode.l10n.t('Customer type lists')]: ['json', 'csv'] },
    });
    return picked?.[0];
  }

  /** The format, and for CSV the separator: the one Excel most likely expects with the display language comes first. */
  private async askFormat(): Promise<{ format: ExportFormat; separator?: CsvSeparator } | undefined> {
    const comma = {
      label: 'CSV',
      description: vscode.l10n.t('Comma-separated, for Google Sheets and Excel'),
      format: 'csv' as const,
      separator: ',' as const,
    };
    const semicolon = {
      label: 'CSV (;)',
      description: vscode.l10n.t('Semicolon-separated, for Excel where the list separator is ";" (e.g. Vietnamese regional settings)'),
      format: 'csv' as const,
      separator: ';' as const,
    };
    const items = [
      ...(likelySeparator(vscode.env.language) === ';' ? [semicolon, comma] : [comma, semicolon]),
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
    return picked && { format: picked.format, separator: 'separator' in picked ? picked.separator : undefined };
  }

  private async askExportFile(projectCode: string, format: ExportFormat): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name =
      format === 'vbotTypes' ? DESIRED_STATE_FILE_NAME : `${projectCode.replace(/[^\p{L}\p{N}_.-]+/gu, '_')}-customer-types.${format}`;
    const uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Customer Types'),
      saveLabel: vscode.l10n.t('Export'),
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    });
    return uri;
  }

  /** A read-only list of what would change; the first row goes on (it says to what, when the mode is known), Escape cancels. */
  private confirmPreview(fileName: string, plan: ImportPlan, mode: ImportMode | undefined, profileName: string): Promise<boolean> {
    const rows = importPreviewRows(plan, mode, profileName);
    const qp = vscode.window.createQuickPick<PreviewRow>();
    qp.title = sayLabel(vscode.l10n.t('Import preview: {0}'), fileName);
    qp.placeholder = vscode.l10n.t('Select the first row to go on, or press Escape to cancel');
    qp.items = rows;
    qp.matchOnDescription = true;
    qp.ignoreFocusOut = true;
    return untilSettled<boolean>(qp, (settle) => {
      if (qp.selectedItems[0]?.accept) settle(true);
    }).then((ok) => ok === true);
  }

  /** The file arguments and the import/export choices; a choice of unknown value is refused (undefined). */
  private transferArgs(arg: unknown): TransferArgs | undefined {
    const { format, skipConfirmation } = parseFileArgs(arg);
    const read = parseTransferChoices(arg);
    if (!read.ok) {
      this.notifier.invalid(invalidChoiceText(read.field));
      return undefined;
    }
    return { file: commandFile(arg), format, skipConfirmation, ...read.choices };
  }
}

type PreviewRow = vscode.QuickPickItem & { accept?: boolean };

/** The import preview: the row that goes on, then what is new and what is renamed (500 of each at most). */
export function importPreviewRows(plan: ImportPlan, mode?: ImportMode, profileName = ''): PreviewRow[] {
  return [
    {
      label: `$(check) ${previewAction(plan, mode, profileName)}`,
      description: plan.unchanged ? say(vscode.l10n.t('{0} unchanged'), String(plan.unchanged)) : undefined,
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

/** What the preview's first row does: the question comes next when the mode is not known yet. */
function previewAction(plan: ImportPlan, mode: ImportMode | undefined, profileName: string): string {
  const what = newAndRenamed(plan.add.length, plan.change.length);
  if (mode === 'listOnly') return say(vscode.l10n.t('Add {0} to the local list (not sent to VBot)'), what);
  if (mode === 'create') return sayLabel(vscode.l10n.t('Send {0} to VBot (profile "{1}")'), what, profileName);
  return say(vscode.l10n.t('Go on with {0}'), what);
}
