// Quick fixes of vbot-types.json (the edits are fileEdits.ts's), the reveals between the file and the VBot CRM
// view, and the plan as a diff: the local list written as a vbot-types.json (a read-only virtual document, with
// the choice lists last read from VBot as "fields", as the export writes them) against the file.
import * as vscode from 'vscode';
import { DESIRED_STATE_FILE_NAME } from '../core/typesAsCode/format';
import { codeAt, findInFile, type FileAnalysis, type FileProblem } from '../core/typesAsCode/fileAnalysis';
import { addPreviousCodeEdits, addTypesEdits, removeEdits, type TextEdit } from '../core/typesAsCode/fileEdits';
import { fieldsToWrite } from '../core/typesAsCode/fieldsText';
import { desiredStateFromSnapshot, desiredStateText } from '../core/typesAsCode/scaffold';
import type { TypeCache } from './activeCache';
import type { Notifier } from './notifier';
import { say } from './say';
import type { Settings } from './settings';
import type { CrmNode, TypeTreeProvider } from './typeTreeProvider';
import { actionTitles } from './typesFileTexts';
import { commandFile } from './workspaceFiles';
import { isTypesFileUri } from './typesFileStub';
import type { FieldsOf } from './storedFields';

export interface TypesFileActionDeps {
  cache: TypeCache;
  settings: Settings;
  notifier: Notifier;
  tree: TypeTreeProvider;
  treeView: vscode.TreeView<CrmNode>;
  analysis: (doc: vscode.TextDocument) => FileAnalysis;
  /** The active profile's stored customer fields (storedFields.ts). */
  fieldsOf: () => Promise<FieldsOf>;
}

/** The local list as a vbot-types.json, one virtual document per account (the query). */
export const LOCAL_LIST_SCHEME = 'vbot-crm-local';

const DUPLICATES = new Set<FileProblem['code']>(['duplicateTypeNo', 'duplicatePreviousCode', 'previousCodeIsOwnCode']);

export class TypesFileActions implements vscode.CodeActionProvider, vscode.TextDocumentContentProvider {
  private readonly localListChanged = new vscode.EventEmitter<vscode.Uri>();
  /** The local list's documents (the diff's left side) are asked for again when the list or the profile changes. */
  readonly onDidChange = this.localListChanged.event;

  constructor(private readonly d: TypesFileActionDeps) {}

  registerCommands(): vscode.Disposable[] {
    return [
      this.localListChanged,
      this.d.cache.onDidChange(() => this.localListsChanged()),
      this.d.settings.onDidChange(() => this.localListsChanged()),
      vscode.workspace.registerTextDocumentContentProvider(LOCAL_LIST_SCHEME, this),
      vscode.commands.registerCommand('vbotCrm.revealInView', (a) => this.revealInView(a)),
      vscode.commands.registerCommand('vbotCrm.revealInTypesFile', (a) => this.revealInFile(a)),
      vscode.commands.registerCommand('vbotCrm.planDiff', (a) => this.diff(a)),
    ];
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const analysis = this.d.analysis(doc);
    const text = doc.getText();
    const actions: vscode.CodeAction[] = [];
    const fix = (title: string, edits: TextEdit[], diagnostic?: vscode.Diagnostic, preferred = false) => {
      if (edits.length === 0) return;
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      for (const e of edits)
        action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
      if (diagnostic) action.diagnostics = [diagnostic];
      action.isPreferred = preferred;
      actions.push(action);
    };
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'VBot CRM') continue;
      const offset = doc.offsetAt(diagnostic.range.start);
      const problem = analysis.problems.find((p) => p.offset === offset && p.code === diagnostic.code);
      if (!problem) continue;
      if (problem.code === 'looksLikeCodeChange' && problem.previousCode !== undefined) {
        const title = actionTitles.addPreviousCode(problem.previousCode);
        fix(title, addPreviousCodeEdits(text, problem.path, problem.previousCode), diagnostic, true);
      }
      if (DUPLICATES.has(problem.code)) {
        // A duplicate type goes as a whole; a duplicate previous code alone.
        const element = problem.code === 'duplicateTypeNo' ? problem.path.slice(0, -1) : problem.path;
        fix(actionTitles.removeDuplicate(), removeEdits(text, element), diagnostic);
      }
    }
    const start = doc.offsetAt(range.start);
    const project = analysis.projects.find((p) => start >= p.offset && start <= p.offset + p.length);
    if (project?.plan && project.notInFile.length > 0)
      fix(actionTitles.addMissing(project.notInFile.length), addTypesEdits(text, project.index, project.notInFile));
    const hit = codeAt(analysis, start);
    if (project?.vbotId && project.projectCode) {
      const action = new vscode.CodeAction(actionTitles.revealInView(), vscode.CodeActionKind.Empty);
      action.command = {
        title: action.title,
        command: 'vbotCrm.revealInView',
        arguments: [{ vbotId: project.vbotId, projectCode: project.projectCode, typeNo: hit?.typeNo }],
      };
      actions.push(action);
    }
    return actions;
  }

  /** Selects the type (or its project) in the VBot CRM view. */
  private async revealInView(arg: unknown): Promise<void> {
    const { vbotId, projectCode, typeNo } = (arg ?? {}) as { vbotId?: unknown; projectCode?: unknown; typeNo?: unknown };
    if (typeof vbotId !== 'string' || typeof projectCode !== 'string') return;
    await this.d.cache.load();
    const project = this.d.cache.snapshot().project(vbotId, projectCode);
    if (!project) {
      this.d.notifier.info(say(vscode.l10n.t('The project {0} is not in the local list of this profile.'), projectCode));
      return;
    }
    const node =
      (typeof typeNo === 'string' && this.d.tree.typeNode(vbotId, projectCode, typeNo)) || this.d.tree.projectNode(vbotId, projectCode);
    await vscode.commands.executeCommand('vbotCrm.types.focus');
    await this.d.treeView.reveal(node, { select: true, focus: true, expand: true });
  }

  /** From the tree: the first vbot-types.json of the workspace that lists the type (or its project), at that place. */
  private async revealInFile(arg: unknown): Promise<void> {
    const node = arg as Partial<{ vbotId: string; projectCode: string; typeNo: string }> | undefined;
    if (typeof node?.vbotId !== 'string' || typeof node.projectCode !== 'string') return;
    // The one in sight first, then the workspace's, then others open (one may be outside the workspace), newest first.
    const shown = vscode.window.visibleTextEditors.map((e) => e.document.uri).filter(isTypesFileUri);
    const found = await vscode.workspace.findFiles(`**/${DESIRED_STATE_FILE_NAME}`, '**/node_modules/**', 20);
    const open = vscode.workspace.textDocuments
      .map((d) => d.uri)
      .filter(isTypesFileUri)
      .reverse();
    const files = [...new Map([...shown, ...found, ...open].map((u) => [u.toString(), u] as const)).values()];
    for (const uri of files) {
      const doc = await vscode.workspace.openTextDocument(uri);
      const found = findInFile(this.d.analysis(doc), node.vbotId, node.projectCode, node.typeNo);
      if (!found) continue;
      const selection = new vscode.Range(doc.positionAt(found[0]), doc.positionAt(found[0] + found[1]));
      await vscode.window.showTextDocument(doc, { selection, preview: false });
      return;
    }
    this.d.notifier.info(
      say(vscode.l10n.t('The project {0} is not in any {1} of the workspace.'), node.projectCode, DESIRED_STATE_FILE_NAME),
    );
  }

  /** The left sides of open diffs are asked for again (the cache, the profile or the stored fields changed). */
  localListsChanged(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === LOCAL_LIST_SCHEME) this.localListChanged.fire(doc.uri);
  }

  /**
   * The local list as the file would be if it said exactly what the list holds: the file's projects of the
   * account (all of the account's when the file is not open), types in the file's order, then the others; so the
   * diff shows differences, not order. A project's "fields": the stored lists of the fields the file declares (all
   * of them when the file is not open or its project cannot be read), options in display order, as exported.
   */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { vbotId, file } = JSON.parse(uri.query || '{}') as { vbotId?: string; file?: string };
    const fieldsOf = await this.d.fieldsOf();
    const snapshot = this.d.cache.snapshot();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file);
    if (!doc) return desiredStateFromSnapshot(snapshot, { vbotId: vbotId || undefined }, (v, p) => fieldsToWrite(fieldsOf(v, p)));
    const projects = this.d
      .analysis(doc)
      .projects.filter((p) => p.planned && p.vbotId && p.projectCode)
      .map((p) => {
        const cached = snapshot.project(p.vbotId, p.projectCode)?.types ?? [];
        // A cached code the file lists as a previous code takes that type's place: a code change is one line.
        const order = new Map((p.project?.types ?? []).flatMap((t, i) => [t.typeNo, ...t.previousCodes].map((c) => [c, i] as const)));
        const rank = (code: string) => order.get(code) ?? order.size;
        const types = [...cached].sort((a, b) => rank(a.typeNo) - rank(b.typeNo));
        const declared = p.project ? (p.project.fields?.map((f) => f.fieldCode) ?? []) : undefined;
        return { vbotId: p.vbotId, projectCode: p.projectCode, types, fields: fieldsToWrite(fieldsOf(p.vbotId, p.projectCode), declared) };
      });
    return desiredStateText(projects);
  }

  /**
   * The plan as a diff: the local list (of the active profile's account) on the left, the file on the right.
   * From the plan's document, its query names the file; otherwise a path, a Uri, or the active editor's file.
   */
  private async diff(arg: unknown): Promise<void> {
    const fromPlan = arg instanceof vscode.Uri && arg.scheme === 'vbot-crm' ? vscode.Uri.parse(arg.query) : undefined;
    const file = fromPlan ?? commandFile(arg) ?? activeTypesFile();
    if (!file) {
      this.d.notifier.info(say(vscode.l10n.t('Open a {0} to compare it with the local list.'), DESIRED_STATE_FILE_NAME));
      return;
    }
    await this.d.cache.load();
    const vbotId = this.d.settings.activeProfile().vbotId;
    // The file is opened first: the left side follows its projects and order.
    await vscode.workspace.openTextDocument(file);
    const query = JSON.stringify({ vbotId, file: file.toString() });
    const left = vscode.Uri.from({ scheme: LOCAL_LIST_SCHEME, path: `/${DESIRED_STATE_FILE_NAME}`, query });
    const title = say(vscode.l10n.t('Local list ↔ {0}'), DESIRED_STATE_FILE_NAME);
    await vscode.commands.executeCommand('vscode.diff', left, file, title, { preview: false });
  }
}

function activeTypesFile(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri && isTypesFileUri(uri) ? uri : undefined;
}
