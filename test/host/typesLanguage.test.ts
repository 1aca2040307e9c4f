// vbot-types.json as a language, in the real extension host: the problems Plan would refuse the file for, live
// and at their place; a CodeLens per project that follows the text and plans or applies that project alone;
// the quick fixes' edits; the hover on a code; the plan as a diff; the reveals between the file and the tree.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { VBOT_ID, exec, sandboxSuite, typeNode, waitFor } from './helpers';

interface Lens {
  title: string;
  command: string;
  args: unknown[];
}

describe('vbot-types.json editor help', () => {
  const ctx = sandboxSuite({ signIn: true, closeEditors: true, tempDir: 'vbot-lang-' });
  let n = 0;

  /** Writes a vbot-types.json (in a folder of its own) and opens it. */
  async function openFile(projects: unknown[], extra: Record<string, unknown> = {}): Promise<vscode.TextEditor> {
    const dir = path.join(ctx.dir, `t${++n}`);
    await fs.mkdir(dir);
    const file = path.join(dir, 'vbot-types.json');
    await fs.writeFile(file, JSON.stringify({ version: 1, ...extra, projects }, null, 2) + '\n');
    return vscode.window.showTextDocument(vscode.Uri.file(file));
  }
  /** The extension's diagnostics of `doc` once `ready` holds for them: [code, severity, underlined text, message]. */
  async function problems(doc: vscode.TextDocument, ready: (d: vscode.Diagnostic[]) => boolean = (d) => d.length > 0) {
    const ours = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'VBot CRM');
    await waitFor(() => ready(ours()), 'the diagnostics');
    return ours().map((d) => [d.code, vscode.DiagnosticSeverity[d.severity], doc.getText(d.range), d.message]);
  }
  async function lenses(doc: vscode.TextDocument): Promise<Lens[]> {
    const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    return found.map((l) => ({ title: l.command?.title ?? '', command: l.command?.command ?? '', args: l.command?.arguments ?? [] }));
  }
  async function actionsAt(doc: vscode.TextDocument, text: string, nth = 0) {
    let offset = -1;
    for (let i = 0; i <= nth; i++) offset = doc.getText().indexOf(text, offset + 1);
    const at = doc.positionAt(offset + 1);
    return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at));
  }
  async function known(projectCode: string, types: Array<[string, string]>) {
    ctx.sandbox.seed(
      VBOT_ID,
      projectCode,
      types.map(([typeNo, typeName]) => ({ typeNo, typeName })),
    );
    for (const [typeNo, typeName] of types) await ctx.api.cache.upsertType(VBOT_ID, projectCode, { typeNo, typeName });
  }
  const project = (projectCode: string, types: unknown[], more: Record<string, unknown> = {}) => ({
    vbotId: VBOT_ID,
    projectCode,
    ...more,
    types,
  });

  it('underlines each error Plan would refuse the file for, at its place, with its message', async () => {
    const { document: doc } = await openFile([
      project('SALES', [
        { typeNo: 'VIP', typeName: 'A' },
        { typeNo: 'VIP', typeName: 'B' },
        { typeNo: 'X'.repeat(51), typeName: 'Dài' },
        { typeNo: 'TAB', typeName: 'Có\ttab' },
        { typeNo: 'S1', typeName: 'S1', previousCodes: ['S2'] },
        { typeNo: 'S2', typeName: 'S2', previousCodes: ['S1'] },
        { typeNo: 'P', typeName: 'P', color: 'red' },
      ]),
    ]);
    assert.deepEqual(await problems(doc, (d) => d.length >= 5), [
      ['duplicateTypeNo', 'Error', '"VIP"', 'The code VIP is already listed in this project'],
      ['tooLong', 'Error', `"${'X'.repeat(51)}"`, 'typeNo is longer than 50 characters'],
      ['controlChar', 'Error', '"Có\\ttab"', 'typeName contains a control or invisible character'],
      ['unknownProperty', 'Error', '"color"', 'Unknown property "color" (expected: typeNo, typeName, previousCodes)'],
      [
        'previousCodeLoop',
        'Error',
        '"S2"',
        'The previous codes go round in a loop, S1 → S2 → S1 (a swap): changing codes one at a time cannot swap them. Give one of these types a temporary code first, apply, then finish the swap.',
      ],
    ]);
    const second = vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'duplicateTypeNo')!;
    assert.equal(doc.offsetAt(second.range.start), doc.getText().lastIndexOf('"VIP"'), 'the second VIP');
    // A syntax error replaces them, where jsonc-parser finds it.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.positionAt(doc.getText().indexOf('"projects"')), '"oops" ');
    await vscode.workspace.applyEdit(edit);
    const syntax = await problems(doc, (d) => d.some((x) => x.code === 'badJson'));
    assert.deepEqual(syntax[0].slice(0, 2), ['badJson', 'Error']);
    assert.match(String(syntax[0][3]), /^Invalid JSON: /);
  });

  it('warns about "deleteUnlisted": true with what it deletes, and tells a project of another account', async () => {
    await known('SALES', [
      ['KEEP', 'Giữ'],
      ['GONE1', 'Bỏ 1'],
      ['GONE2', 'Bỏ 2'],
    ]);
    const { document: doc } = await openFile([
      project('SALES', [{ typeNo: 'KEEP', typeName: 'Giữ' }], { deleteUnlisted: true }),
      { vbotId: 'VB-OTHER', projectCode: 'SALES', types: [] },
    ]);
    assert.deepEqual(await problems(doc, (d) => d.length >= 2), [
      [
        'deletesUnlisted',
        'Warning',
        '"deleteUnlisted"',
        '"deleteUnlisted": true deletes 2 types of the local list that this project does not list: GONE1, GONE2',
      ],
      [
        'otherAccount',
        'Information',
        '"VB-OTHER"',
        `This project is of the account VB-OTHER, not of the active profile (${VBOT_ID}): Plan and Apply leave it out.`,
      ],
    ]);
  });

  it('the CodeLens of a project counts its plan and follows the text as it changes', async () => {
    await known('SALES', [
      ['VIP', 'VIP cũ'],
      ['OLD', 'Cũ'],
    ]);
    const editor = await openFile([project('SALES', [{ typeNo: 'VIP', typeName: 'VIP cũ' }])]);
    const doc = editor.document;
    assert.deepEqual(
      (await lenses(doc)).map((l) => [l.title, l.command]),
      [
        ['Up to date (1 unchanged)', ''],
        ['Plan', 'vbotCrm.plan'],
      ],
      'nothing to apply: no Apply',
    );
    const titleAfter = async (edit: (e: vscode.TextEditorEdit) => void, expected: string) => {
      await editor.edit(edit);
      await waitFor(async () => (await lenses(doc))[0]?.title === expected, `the CodeLens says ${expected}`);
    };
    const at = (text: string) => doc.positionAt(doc.getText().indexOf(text));
    await titleAfter((e) => e.replace(new vscode.Range(at('VIP cũ'), at('VIP cũ').translate(0, 6)), 'VIP mới'), '1 to rename');
    await titleAfter(
      (e) => e.insert(at('{\n          "typeNo": "VIP"'), '{ "typeNo": "A", "typeName": "A" }, { "typeNo": "B", "typeName": "B" }, '),
      '2 to add · 1 to rename',
    );
    await titleAfter((e) => e.insert(at('"projectCode"'), '"deleteUnlisted": true, '), '2 to add · 1 to rename · 1 to delete');
    // B becomes a second A: Plan would refuse the file.
    await titleAfter(
      (e) => e.replace(new vscode.Range(at('"B",'), at('"B",').translate(0, 3)), '"A"'),
      'Plan refuses this file until its errors are fixed (see Problems)',
    );
    const titles = (await lenses(doc)).map((l) => l.command);
    assert.deepEqual(titles, ['', 'vbotCrm.plan'], 'no Apply while the file has errors');
  });

  it("a project's CodeLens plans and applies that project only, with the same confirmation as Apply", async () => {
    await known('SALES', [['VIP', 'VIP']]);
    await known('SUPPORT', [['HELP', 'Hỗ trợ']]);
    const { document: doc } = await openFile([
      project('SALES', [
        { typeNo: 'VIP', typeName: 'VIP' },
        { typeNo: 'NEW_SALES', typeName: 'Mới' },
      ]),
      project('SUPPORT', [
        { typeNo: 'HELP', typeName: 'Hỗ trợ' },
        { typeNo: 'NEW_SUPPORT', typeName: 'Mới' },
      ]),
    ]);
    await problems(doc, () => true);
    const found = await lenses(doc);
    const apply = found.filter((l) => l.command === 'vbotCrm.apply');
    assert.equal(apply.length, 2, 'one Apply per project');
    assert.deepEqual(apply[1].args[0], { filePath: doc.uri.fsPath, vbotId: VBOT_ID, projectCode: 'SUPPORT' });

    const plan = found.filter((l) => l.command === 'vbotCrm.plan')[1];
    assert.equal(await exec(plan.command, plan.args[0]), 'done');
    const planText = vscode.window.activeTextEditor!.document.getText();
    assert.match(planText, /add NEW_SUPPORT/);
    assert.doesNotMatch(planText, /NEW_SALES/);

    let asked = '';
    ctx.api.notifier.answerModal = (q) => {
      asked = `${q.message}\n${q.detail}`;
      return 'Apply';
    };
    try {
      assert.equal(await exec(apply[1].command, apply[1].args[0]), 'done');
    } finally {
      ctx.api.notifier.answerModal = undefined;
    }
    assert.match(asked, /^Apply 1 changes from vbot-types\.json to VBot/);
    assert.match(asked, /Project SUPPORT/);
    const codes = (code: string) => ctx.sandbox.types(VBOT_ID, code).map((t) => t.typeNo);
    assert.ok(codes('SUPPORT').includes('NEW_SUPPORT'), 'SUPPORT applied');
    assert.ok(!codes('SALES').includes('NEW_SALES'), 'SALES left alone');
  });

  it('quick fixes: a code change gets previousCodes, a duplicate goes, missing types are added', async () => {
    await known('SALES', [
      ['VIP', 'Khách VIP'],
      ['LE', 'Khách lẻ'],
    ]);
    const editor = await openFile([
      project('SALES', [
        { typeNo: 'VIP_2026', typeName: 'Khách VIP' },
        { typeNo: 'DUP', typeName: 'Một' },
        { typeNo: 'DUP', typeName: 'Hai' },
      ]),
    ]);
    const doc = editor.document;
    assert.deepEqual(
      (await problems(doc, (d) => d.length >= 2)).map((p) => p.slice(0, 3)),
      [
        ['duplicateTypeNo', 'Error', '"DUP"'],
        ['looksLikeCodeChange', 'Information', '"VIP_2026"'],
      ],
    );
    const run = async (action: vscode.CodeAction | undefined) => {
      assert.ok(action?.edit, 'the quick fix is offered');
      assert.ok(await vscode.workspace.applyEdit(action.edit));
    };
    const typesNow = () => (JSON.parse(doc.getText()) as { projects: Array<{ types: unknown[] }> }).projects[0].types;

    await run((await actionsAt(doc, '"VIP_2026"')).find((a) => a.title === 'This is a code change: add VIP to previousCodes'));
    assert.deepEqual(typesNow()[0], { typeNo: 'VIP_2026', typeName: 'Khách VIP', previousCodes: ['VIP'] });
    // The problems follow the edit (after the debounce) before the next fix is asked for.
    await problems(doc, (d) => d.length === 1 && d[0].code === 'duplicateTypeNo');

    await run((await actionsAt(doc, '"DUP"', 1)).find((a) => a.title === 'Remove this duplicate'));
    assert.deepEqual(typesNow().slice(1), [{ typeNo: 'DUP', typeName: 'Một' }]);
    await problems(doc, (d) => d.length === 0);

    await run((await actionsAt(doc, '"SALES"')).find((a) => a.title === 'Add the type of the local list missing from this project'));
    assert.deepEqual(typesNow()[2], { typeNo: 'LE', typeName: 'Khách lẻ' });
    assert.match(doc.getText(), /\n {8}\{ "typeNo": "LE", "typeName": "Khách lẻ" \}\n/, 'one line, indented like the others');

    const [summary] = await lenses(doc);
    assert.equal(summary.title, '1 to add · 1 code change', 'VIP_2026 is now a code change, not delete + add');
  });

  it('the hover of a code shows its name in the local list and its last change, as inert text', async () => {
    const hostile = '[x](command:vbotCrm.deleteType) **bold**';
    await known('SALES', [['VIP', 'VIP']]);
    assert.equal(await exec('vbotCrm.editTypeName', { vbotId: VBOT_ID, projectCode: 'SALES', typeNo: 'VIP', typeName: hostile }), 'done');
    const { document: doc } = await openFile([project('SALES', [{ typeNo: 'VIP', typeName: 'VIP', previousCodes: ['NEVER'] }])]);
    const hoverAt = async (text: string) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        doc.positionAt(doc.getText().indexOf(text) + 1),
      );
      return hovers.flatMap((h) => h.contents.map((c) => (c instanceof vscode.MarkdownString ? c : new vscode.MarkdownString(String(c)))));
    };
    const [md] = (await hoverAt('"VIP"')).filter((m) => m.value.includes('local list'));
    assert.ok(md, 'our hover');
    assert.ok(!md.isTrusted, 'not trusted');
    assert.ok(md.value.startsWith('**VIP** in the local list: "\\[x\\] (command:vbotCrm.deleteType) \\*\\*bold\\*\\*"'), md.value);
    assert.ok(md.value.includes(', Renamed VIP: "VIP" → "\\[x\\] (command:vbotCrm.deleteType) \\*\\*bold\\*\\*"'), md.value);
    assert.match(md.value, /\(done\)$/);
    assert.doesNotMatch(md.value, /\]\(command:/, 'no link can be made of it');
    const [never] = (await hoverAt('"NEVER"')).filter((m) => m.value.includes('local list'));
    assert.match(never.value, /\*\*NEVER\*\* is not in the local list of this project\.\n\nNo change of NEVER in the history\./);
  });

  it('the plan as a diff: the local list as vbot-types.json against the file, from the command and from the plan', async () => {
    await known('SALES', [['VIP', 'VIP cũ']]);
    const { document: doc } = await openFile([project('SALES', [{ typeNo: 'VIP', typeName: 'VIP mới' }])]);
    const diffTab = () => vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    await exec('vbotCrm.planDiff', { filePath: doc.uri.fsPath });
    await waitFor(() => diffTab() instanceof vscode.TabInputTextDiff, 'a diff editor');
    const input = diffTab() as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, 'vbot-crm-local');
    assert.equal(input.modified.toString(), doc.uri.toString());
    const left = await vscode.workspace.openTextDocument(input.original);
    assert.deepEqual(JSON.parse(left.getText()), {
      version: 1,
      projects: [{ vbotId: VBOT_ID, projectCode: 'SALES', types: [{ typeNo: 'VIP', typeName: 'VIP cũ' }] }],
    });
    // The button on the plan's document passes that document: its diff is of the file it plans.
    assert.equal(await exec('vbotCrm.plan', { filePath: doc.uri.fsPath }), 'done');
    const planUri = vscode.window.activeTextEditor!.document.uri;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vbotCrm.planDiff', planUri);
    await waitFor(() => diffTab() instanceof vscode.TabInputTextDiff, 'a diff editor from the plan');
    assert.equal((diffTab() as vscode.TabInputTextDiff).modified.toString(), doc.uri.toString());
  });

  it('the plan as a diff: its left side, the local list, follows the cache while the diff is open', async () => {
    await known('SALES', [['VIP', 'VIP cũ']]);
    const { document: doc } = await openFile([project('SALES', [{ typeNo: 'VIP', typeName: 'VIP mới' }])]);
    const diffTab = () => vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    await exec('vbotCrm.planDiff', { filePath: doc.uri.fsPath });
    await waitFor(() => diffTab() instanceof vscode.TabInputTextDiff, 'a diff editor');
    const original = (diffTab() as vscode.TabInputTextDiff).original;
    const left = await vscode.workspace.openTextDocument(original);
    const shown = () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === original.toString());
    await waitFor(() => shown() !== undefined, 'the left side shown');
    const types = () => (JSON.parse(left.getText()) as { projects: Array<{ types: unknown[] }> }).projects[0].types;
    assert.deepEqual(types(), [{ typeNo: 'VIP', typeName: 'VIP cũ' }]);
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'NEW', typeName: 'Mới' });
    await ctx.api.cache.upsertType(VBOT_ID, 'SALES', { typeNo: 'VIP', typeName: 'VIP đổi' });
    await waitFor(() => types().length === 2 && left.getText().includes('VIP đổi'), 'the left side after the cache changed');
    assert.deepEqual(types(), [
      { typeNo: 'VIP', typeName: 'VIP đổi' },
      { typeNo: 'NEW', typeName: 'Mới' },
    ]);
    assert.equal(shown()?.document.getText(), left.getText(), 'the diff editor shows it');
    assert.equal(diffTab() instanceof vscode.TabInputTextDiff, true, 'still the diff');
  });

  it('reveals: from the tree to the code in vbot-types.json, and from the file to the tree', async () => {
    await known('SALES', [
      ['A', 'A'],
      ['VIP', 'VIP'],
    ]);
    const { document: doc } = await openFile([
      project('SALES', [
        { typeNo: 'A', typeName: 'A' },
        { typeNo: 'VIP', typeName: 'VIP' },
      ]),
    ]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vbotCrm.revealInTypesFile', await typeNode(ctx.api, 'SALES', 'VIP'));
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), doc.uri.toString());
    assert.equal(editor.document.getText(editor.selection), '"VIP"');

    const reveal = (await actionsAt(doc, '"VIP"')).find((a) => a.title === 'Reveal in the VBot CRM view');
    assert.ok(reveal?.command);
    await vscode.commands.executeCommand(reveal.command.command, ...(reveal.command.arguments ?? []));
    await waitFor(() => ctx.api.treeView.selection[0]?.kind === 'type', 'a type selected in the tree');
    const selected = ctx.api.treeView.selection[0] as { typeNo: string };
    assert.equal(selected.typeNo, 'VIP');
  });
});
