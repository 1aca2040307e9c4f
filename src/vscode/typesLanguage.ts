// vbot-types.json as a language: live problems, a CodeLens per project (its plan in a few words, with Plan and
// Apply for that project; with its "fields", their option changes against the lists last read from VBot), a hover on
// a type code (and on an option code: the stored list's facts), quick fixes (typesFileActions.ts) and the plan as a diff.
// Loaded (a lazy bundle) when a vbot-types.json is first opened, never at activation (typesFileStub.ts).
// Every reading is fileAnalysis.ts's: Plan's reader and planner, at the places in the text.
import * as vscode from 'vscode';
import type { ChangeJournal } from '../core/journal/journal';
import { DESIRED_STATE_FILE_NAME } from '../core/typesAsCode/format';
import { codeAt, FileReadings, type FileAnalysis, type ProblemSeverity } from '../core/typesAsCode/fileAnalysis';
import { fieldCounts, optionAt, storedOption } from '../core/typesAsCode/fieldsInFile';
import { optionHoverText } from './fieldsFileTexts';
import { readsFieldsOf, StoredFieldsReader, watchStoredFields } from './storedFields';
import type { TypeCache } from './activeCache';
import type { Notifier } from './notifier';
import type { Settings } from './settings';
import type { TypeTreeProvider, CrmNode } from './typeTreeProvider';
import { TypesFileActions } from './typesFileActions';
import { isTypesFileUri } from './typesFileStub';
import { hoverText, lensCounts, lensTexts, problemText } from './typesFileTexts';
import { fileArg } from './workspaceFiles';

export interface TypesLanguageDeps {
  cache: TypeCache;
  settings: Settings;
  notifier: Notifier;
  journal: () => ChangeJournal;
  tree: TypeTreeProvider;
  treeView: vscode.TreeView<CrmNode>;
}

/** How long typing must pause before the file is read again. */
export const ANALYSIS_DEBOUNCE_MS = 250;

const SEVERITY: Record<ProblemSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export const isTypesFile = (doc: vscode.TextDocument): boolean => isTypesFileUri(doc.uri);

export class TypesLanguage implements vscode.CodeLensProvider, vscode.HoverProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('vbot-types');
  /** The last reading of each open file, with the document version it read; the next version is read from it. */
  private readonly readings = new FileReadings<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly actions: TypesFileActions;
  private readonly storedFields = new StoredFieldsReader();

  constructor(private readonly d: TypesLanguageDeps) {
    this.actions = new TypesFileActions({
      ...d,
      analysis: (doc) => this.analysis(doc),
      fieldsOf: () => this.storedFields.read(d.cache.filePath, d.settings.activeProfile()),
    });
  }

  register(): vscode.Disposable[] {
    const selector: vscode.DocumentSelector = { pattern: `**/${DESIRED_STATE_FILE_NAME}` };
    for (const doc of vscode.workspace.textDocuments) if (isTypesFile(doc)) this.update(doc);
    // Opened before the cache was read: plan again once it is (an empty list would count everything as new).
    void this.d.cache.load().then(
      () => this.updateAll(),
      () => undefined,
    );
    return [
      this.diagnostics,
      this.lensesChanged,
      { dispose: () => this.timers.forEach((t) => clearTimeout(t)) },
      vscode.workspace.onDidOpenTextDocument((doc) => isTypesFile(doc) && this.update(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => isTypesFile(e.document) && this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc)),
      // The cache or the profile changed: the same text plans differently.
      this.d.cache.onDidChange(() => this.updateAll()),
      this.d.settings.onDidChange(() => this.updateAll()),
      // The fields tree read a list: the option counts and the diff's left side follow.
      watchStoredFields(
        () => this.d.cache.filePath,
        () => {
          this.lensesChanged.fire();
          this.actions.localListsChanged();
        },
      ),
      vscode.languages.registerCodeLensProvider(selector, this),
      vscode.languages.registerHoverProvider(selector, this),
      vscode.languages.registerCodeActionsProvider(selector, this.actions, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      ...this.actions.registerCommands(),
    ];
  }

  /**
   * The reading of `doc`'s current text (made now if the last one is of an older version: after an edit inside one
   * project, of that project alone). bench/node/typesFile.ts measures this path after a one-character edit.
   */
  analysis(doc: vscode.TextDocument): FileAnalysis {
    const vbotId = this.d.settings.activeProfile().vbotId;
    return this.readings.read(doc.uri.toString(), doc.version, () => doc.getText(), this.d.cache.snapshot(), vbotId);
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!doc.isClosed) this.update(doc);
      }, ANALYSIS_DEBOUNCE_MS),
    );
  }

  /** Reads `doc` again and shows its problems; CodeLenses are asked for again. */
  update(doc: vscode.TextDocument): void {
    const analysis = this.analysis(doc);
    this.diagnostics.set(doc.uri, toDiagnostics(doc, analysis));
    this.lensesChanged.fire();
  }

  private updateAll(): void {
    this.readings.clear();
    for (const doc of vscode.workspace.textDocuments) if (isTypesFile(doc)) this.update(doc);
  }

  private forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.readings.forget(key);
    this.diagnostics.delete(doc.uri);
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const profile = this.d.settings.activeProfile();
    const fieldsOf = await this.storedFields.read(this.d.cache.filePath, profile);
    const analysis = this.analysis(doc);
    const lenses: vscode.CodeLens[] = [];
    for (const p of analysis.projects) {
      const start = doc.positionAt(p.offset);
      const range = new vscode.Range(start, start);
      const lens = (title: string, command = '', args: unknown[] = []) => new vscode.CodeLens(range, { title, command, arguments: args });
      if (!p.planned) lenses.push(lens(lensTexts.otherAccount(p.vbotId)));
      else if (!p.plan) lenses.push(lens(lensTexts.notRead()));
      else {
        // A project's "fields" are counted against the lists last read, when this profile reads them (else Apply
        // refuses the file, as Plan says).
        const counts = p.project && fieldCounts(p.project, fieldsOf(p.vbotId, p.projectCode));
        const fields = counts && (readsFieldsOf(profile, p.vbotId, p.projectCode) ? counts : 'unreadable');
        const optionChanges = fields && fields !== 'unreadable' ? fields.create + fields.edit + fields.changeCode + fields.delete : 0;
        // Plan refuses a file with any error, so a project's own counts would promise what cannot be applied.
        lenses.push(lens(analysis.errorCount ? lensTexts.blocked() : lensCounts(p.plan, fields)));
        const target = { filePath: fileArg(doc.uri), vbotId: p.vbotId, projectCode: p.projectCode };
        lenses.push(lens(lensTexts.plan(), 'vbotCrm.plan', [target]));
        const changes = p.plan.items.length + optionChanges;
        if (vscode.workspace.isTrusted && changes > 0 && !analysis.errorCount && fields !== 'unreadable')
          lenses.push(lens(lensTexts.apply(), 'vbotCrm.apply', [target]));
      }
    }
    return lenses;
  }

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const analysis = this.analysis(doc);
    const hit = codeAt(analysis, doc.offsetAt(position));
    if (!hit) return this.optionHover(analysis, doc.offsetAt(position));
    if (!hit.typeNo) return undefined;
    const { vbotId, projectCode } = hit.project;
    const cached = this.d.cache.snapshot().findType(vbotId, projectCode, hit.typeNo);
    const profile = this.d.settings.activeProfile().name;
    const [last] = await this.d.journal().entries({ profile, vbotId, projectCode, typeNo: hit.typeNo });
    // A MarkdownString as made: not trusted (no command links), no HTML; the values in it are escaped.
    return new vscode.Hover(new vscode.MarkdownString(hoverText(hit.typeNo, cached?.typeName, last)));
  }

  /** On an option code in "fields": what the stored list (the fields tree's last read) says of it. */
  private async optionHover(analysis: FileAnalysis, offset: number): Promise<vscode.Hover | undefined> {
    const hit = optionAt(analysis, offset);
    if (!hit?.code || !hit.fieldCode) return undefined;
    const { vbotId, projectCode } = hit.project;
    const profile = this.d.settings.activeProfile();
    const fieldsOf = await this.storedFields.read(this.d.cache.filePath, profile);
    const readable = readsFieldsOf(profile, vbotId, projectCode);
    const facts = storedOption(fieldsOf(vbotId, projectCode), hit.fieldCode, hit.code);
    // Untrusted, no HTML, the values escaped, as the type's hover.
    return new vscode.Hover(new vscode.MarkdownString(optionHoverText(hit.fieldCode, hit.code, facts, readable)));
  }
}

function toDiagnostics(doc: vscode.TextDocument, analysis: FileAnalysis): vscode.Diagnostic[] {
  return analysis.problems.map((p) => {
    const range = new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length));
    const diagnostic = new vscode.Diagnostic(range, problemText(p), SEVERITY[p.severity]);
    diagnostic.source = 'VBot CRM';
    diagnostic.code = p.code;
    return diagnostic;
  });
}
