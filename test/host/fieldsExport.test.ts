// The choice lists as last read (the fields tree's store) in vbot-types.json, in the real extension host against
// the sandbox over HTTP: the export writes a v3 project's "fields" and Plan right after finds nothing to change in
// them; the diff's left side holds the same lists; a project's CodeLens counts option changes as the text changes;
// the hover of an option code shows the stored name, colours and group, as inert text.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fieldStoreFileName } from '../../src/core/fields/fieldStore';
import type { FieldSeed } from '../sandbox/fieldSandbox';
import { VBOT_ID, addV3Profile, exec, lastNotification, sandboxSuite, waitFor } from './helpers';

const FIELD = 'hang';
const HOSTILE = '[x](command:vbotCrm.deleteOption) **b**';
const SEEDED: FieldSeed = {
  code: FIELD,
  name: 'Hạng thành viên',
  type: 'SELECT',
  options: [
    { code: 'VANG', name: 'Vàng', color: '#f9a825', text_color: '#000000', number: 5 },
    { code: 'NHOM', name: 'Cao cấp', type: 'OPTGROUP', color: '#6A1B9A', text_color: '#FFFFFF', number: 1 },
    { code: 'KIM_CUONG', name: HOSTILE, group: 'NHOM', color: '#00ACC1', text_color: '#FFFFFF', number: 2 },
    { code: 'BAC', name: 'Bạc', color: '#C0C0C0', text_color: '#123456', number: 8 },
    { code: 'WEB', name: 'Tạo trên web', number: 9 },
  ],
};
/** The options as the export writes them: display order, colours upper case, a text colour only when not implied. */
const WRITTEN = [
  { code: 'NHOM', name: 'Cao cấp', type: 'OPTGROUP', color: '#6A1B9A' },
  { code: 'KIM_CUONG', name: HOSTILE, color: '#00ACC1', group: 'NHOM' },
  { code: 'VANG', name: 'Vàng', color: '#F9A825' },
  { code: 'BAC', name: 'Bạc', color: '#C0C0C0', textColor: '#123456' },
  { code: 'WEB', name: 'Tạo trên web' },
];

interface TypesFile {
  projects: Array<{ vbotId: string; projectCode: string; types: unknown[]; fields?: Record<string, { options: unknown[] }> }>;
}

describe('choice lists in vbot-types.json: export, diff, CodeLens and hover from the stored lists', () => {
  const ctx = sandboxSuite({ closeEditors: true, tempDir: 'vbot-fields-export-' });
  let n = 0;
  let project: string;
  let file: string;

  /** A v3 profile for a new project with the seeded field, whose lists the tree reads (and stores). */
  beforeEach(async () => {
    project = `V3EX${++n}`;
    file = path.join(ctx.dir, `t${n}`, 'vbot-types.json');
    await fs.mkdir(path.dirname(file));
    ctx.sandbox.fields.seed(VBOT_ID, project, [SEEDED]);
    await addV3Profile(ctx, project);
    assert.equal((await readTree()).length, 4, 'the group and three top-level options, read');
  });

  /** Expands the field in the tree: its options are read from VBot (and stored). */
  async function readTree() {
    const tree = ctx.api.tree;
    const node = (await tree.getChildren()).find((p) => p.kind === 'project' && p.projectCode === project)!;
    const root = (await tree.getChildren(node)).at(-1)!;
    const field = (await tree.getChildren(root)).find((f) => tree.getTreeItem(f).label === 'Hạng thành viên');
    assert.ok(field, 'the field row');
    return tree.getChildren(field);
  }

  const exportFile = () =>
    exec('vbotCrm.exportTypes', { vbotId: VBOT_ID, projectCode: project, format: 'vbotTypes', filePath: file, skipConfirmation: true });
  const readFile = async () => JSON.parse(await fs.readFile(file, 'utf8')) as TypesFile;
  const editorText = () => vscode.window.activeTextEditor?.document.getText() ?? '';
  const posts = () => ctx.sandbox.requests.filter((r) => r.method === 'POST').length;

  it('export writes the project’s fields as last read; Plan right after finds no field change; an old read is said', async () => {
    assert.equal(await exportFile(), 'done');
    const written = await readFile();
    assert.deepEqual(written.projects, [{ vbotId: VBOT_ID, projectCode: project, types: [], fields: { [FIELD]: { options: WRITTEN } } }]);
    assert.equal(
      lastNotification(ctx.api).message,
      `Exported 0 customer types of project ${project} to vbot-types.json. It also holds the choice list of 1 customer field.`,
    );

    const sent = posts();
    assert.equal(await exec('vbotCrm.plan', { filePath: file }), 'done');
    const plan = editorText();
    assert.match(plan, /VBot is up to date with vbot-types\.json/);
    assert.match(plan, /Customer fields: 0 to add, 0 to edit, 0 to change code, 0 to delete; 0 on the server, not in the file\./);
    assert.equal(posts(), sent, 'nothing sent');

    // The lists were read two hours ago (the store file says so): the export says when.
    const store = path.join(path.dirname(ctx.api.cache.filePath), fieldStoreFileName(ctx.api.settings.activeProfile().name, false));
    const old = new Date(Date.now() - 2 * 3600_000).toISOString();
    await fs.writeFile(store, (await fs.readFile(store, 'utf8')).replace(/"readAt": "[^"]+"/g, `"readAt": "${old}"`));
    assert.equal(await exportFile(), 'done');
    assert.match(
      lastNotification(ctx.api).message,
      /It also holds the choice list of 1 customer field\. They are as read at .+: refresh Customer fields in the VBot CRM view to export the current lists\.$/,
    );
  });

  it('the diff’s left side holds the stored lists of the fields the file declares, so an option’s change shows', async () => {
    const changed = WRITTEN.map((o) => (o.code === 'VANG' ? { ...o, name: 'Vàng mới' } : o));
    const text = {
      version: 1,
      projects: [{ vbotId: VBOT_ID, projectCode: project, types: [], fields: { [FIELD]: { options: changed } } }],
    };
    await fs.writeFile(file, JSON.stringify(text, null, 2));
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    await exec('vbotCrm.planDiff', { filePath: file });
    const diffTab = () => vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    await waitFor(() => diffTab() instanceof vscode.TabInputTextDiff, 'a diff editor');
    const left = await vscode.workspace.openTextDocument((diffTab() as vscode.TabInputTextDiff).original);
    assert.deepEqual((JSON.parse(left.getText()) as TypesFile).projects[0].fields, { [FIELD]: { options: WRITTEN } });
    assert.match(left.getText(), /^ {12}\{ "code": "VANG", "name": "Vàng", "color": "#F9A825" \},$/m, 'one option a line, as exported');
  });

  it('a project’s CodeLens counts its option changes against the stored lists as the text changes', async () => {
    assert.equal(await exportFile(), 'done');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
    const doc = editor.document;
    const lenses = () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const title = async () => (await lenses())[0]?.command?.title;
    const commands = async () => (await lenses()).map((l) => l.command?.command);
    const titleAfter = async (edit: (e: vscode.TextEditorEdit) => void, expected: string) => {
      await editor.edit(edit);
      await waitFor(async () => (await title()) === expected, `the CodeLens says ${expected}`);
    };
    await waitFor(async () => (await title()) === 'Up to date (5 unchanged)', 'the CodeLens says the lists match');
    assert.deepEqual(await commands(), ['', 'vbotCrm.plan'], 'nothing to apply');
    // Made in the web console, then read by the tree's Refresh: the count follows the new read without an edit.
    ctx.sandbox.fields.seed(VBOT_ID, project, [{ ...SEEDED, options: [...SEEDED.options!, { code: 'MOI', name: 'Mới', number: 10 }] }]);
    assert.equal(await exec('vbotCrm.refresh'), 'done');
    assert.equal((await readTree()).length, 5);
    const drift = (k: number) => ` · ${k} option${k > 1 ? 's' : ''} on VBot, not in the file`;
    await waitFor(async () => (await title()) === `Up to date (5 unchanged)${drift(1)}`, 'the CodeLens follows the new read');
    const at = (text: string) => doc.positionAt(doc.getText().indexOf(text));
    const line = (text: string) => doc.lineAt(at(text).line).rangeIncludingLineBreak;
    await titleAfter(
      (e) => e.replace(new vscode.Range(at('"Vàng"'), at('"Vàng"').translate(0, 6)), '"Vàng mới"'),
      `1 option to edit${drift(1)}`,
    );
    assert.deepEqual(await commands(), ['', 'vbotCrm.plan', 'vbotCrm.apply'], 'an option change alone can be applied');
    await titleAfter(
      (e) => e.insert(at('{ "code": "BAC"'), '{ "code": "DONG", "name": "Đồng" }, { "code": "SAT", "name": "Sắt" },\n'),
      `2 options to add · 1 option to edit${drift(1)}`,
    );
    await titleAfter((e) => e.delete(line('"code": "BAC"')), `2 options to add · 1 option to edit${drift(2)}`);
    // A colour the reader refuses: underlined where it is written, and the CodeLens promises nothing.
    await titleAfter(
      (e) => e.replace(new vscode.Range(at('"#F9A825"'), at('"#F9A825"').translate(0, 9)), '"gold"'),
      'Plan refuses this file until its errors are fixed (see Problems)',
    );
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'VBot CRM'), 'the problem');
    const problems = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'VBot CRM');
    assert.deepEqual(
      problems.map((d) => [d.code, doc.getText(d.range), d.message]),
      [['badColour', '"gold"', '"gold" is not a colour like "#00AA00"']],
    );
  });

  it('the hover of an option code shows the stored name, colours, group and read time, as inert text', async () => {
    assert.equal(await exportFile(), 'done');
    const doc = (await vscode.window.showTextDocument(vscode.Uri.file(file))).document;
    const hoverAt = async (text: string) => {
      const position = doc.positionAt(doc.getText().indexOf(text) + 1);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
      const contents = hovers.flatMap((h) =>
        h.contents.map((c) => (c instanceof vscode.MarkdownString ? c : new vscode.MarkdownString(String(c)))),
      );
      return contents.filter((m) => m.value.includes('field hang'));
    };
    const [md] = await hoverAt('"KIM_CUONG"');
    assert.ok(md, 'our hover');
    assert.ok(!md.isTrusted, 'not trusted');
    const lines = md.value.split('\n\n');
    assert.equal(lines[0], '**KIM_CUONG** in the list of field hang: "\\[x\\] (command:vbotCrm.deleteOption) \\*\\*b\\*\\*"');
    assert.deepEqual(lines.slice(1, 3), ['Colour #00ACC1, text #FFFFFF', 'In group NHOM ("Cao cấp")']);
    assert.match(lines[3], /^List read at .+\.$/);
    assert.doesNotMatch(md.value, /\]\(command:/, 'no link can be made of it');
    const [group] = await hoverAt('"NHOM"');
    assert.match(group.value, /^\*\*NHOM\*\*, a group of field hang: "Cao cấp"/);
  });
});
