// The "Customer fields" part of the tree (API v3) in the real extension host against the sandbox: the key's
// project shows its choice fields, groups and options in number order with colour icons and codes, read over
// every page; when VBot cannot be reached the last read shows, marked with its time; no key, no v3: no read.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { FieldSeed } from '../sandbox/fieldSandbox';
import type { CrmNode } from '../../src/vscode/typeTreeProvider';
import { VBOT_ID, addV3Profile, exec, sandboxSuite } from './helpers';

const PROJECT = 'V3P';
const LEVEL: FieldSeed = {
  code: 'hang',
  name: 'Hạng thành viên',
  type: 'SELECT',
  options: [
    { code: 'NHOM', name: 'Cao cấp', type: 'OPTGROUP', color: '#6A1B9A', number: 2 },
    { code: 'KIM_CUONG', name: 'Kim cương', group: 'NHOM', color: '#00ACC1', number: 1 },
    { code: 'VANG', name: 'Vàng', color: '#F9A825', number: 3 },
    { code: 'KHAC', name: 'Khác', number: 0 },
  ],
};
const SOURCE: FieldSeed = {
  code: 'nguon',
  name: 'Nguồn',
  type: 'RADIO',
  options: Array.from({ length: 120 }, (_, i) => ({ code: `N${String(i).padStart(3, '0')}`, name: `Nguồn ${i}`, color: '#1877F2' })),
};
const NOTE: FieldSeed = { code: 'ghi_chu', name: 'Ghi chú', type: 'TEXT' };

describe('customer fields tree (API v3)', () => {
  const ctx = sandboxSuite();

  /** A v3 profile of its own per test (its own stored reads), active, with the key stored unless `withKey` is false. */
  async function v3Profile(withKey = true): Promise<string> {
    ctx.sandbox.fields.seed(VBOT_ID, PROJECT, [LEVEL, NOTE, SOURCE]);
    return addV3Profile(ctx, PROJECT, { signIn: withKey });
  }

  const item = (n: CrmNode) => ctx.api.tree.getTreeItem(n);
  const labels = (nodes: CrmNode[]) => nodes.map((n) => [String(item(n).label), String(item(n).description ?? '')]);

  async function fieldsRoot(): Promise<CrmNode> {
    const project = (await ctx.api.tree.getChildren()).find((n) => n.kind === 'project' && n.projectCode === PROJECT);
    assert.ok(project, 'the key’s project shows, without a type of its own');
    const children = await ctx.api.tree.getChildren(project);
    const root = children.at(-1)!;
    assert.equal(item(root).contextValue, 'vbotFields', 'the last child of the project');
    assert.equal(item(root).label, 'Customer fields');
    return root;
  }

  async function child(parent: CrmNode, label: string): Promise<CrmNode> {
    const found = (await ctx.api.tree.getChildren(parent)).find((n) => item(n).label === label);
    assert.ok(found, `${label} under ${String(item(parent).label)}`);
    return found;
  }

  it('shows the choice fields, their groups and options in number order, colours as icons, codes as descriptions', async () => {
    const key = await v3Profile();
    await exec('vbotCrm.addType', { typeNo: 'K1', typeName: 'Kiểu' });
    const root = await fieldsRoot();
    const project = ctx.api.tree.getParent(root)!;
    assert.deepEqual(labels(await ctx.api.tree.getChildren(project)), [
      ['Kiểu', 'K1'],
      ['Customer fields', ''],
    ]);
    const fields = await ctx.api.tree.getChildren(root);
    assert.deepEqual(labels(fields), [
      ['Hạng thành viên', 'SELECT'],
      ['Nguồn', 'RADIO'],
    ]);
    assert.ok(fields.every((f) => item(f).contextValue === 'vbotField' && ctx.api.tree.getParent(f) === root));

    const level = await child(root, 'Hạng thành viên');
    const options = await ctx.api.tree.getChildren(level);
    assert.deepEqual(labels(options), [
      ['Khác', 'KHAC'],
      ['Cao cấp', 'NHOM'],
      ['Vàng', 'VANG'],
    ]);
    const group = options[1];
    assert.equal(item(group).contextValue, 'vbotOptionGroup');
    assert.deepEqual(labels(await ctx.api.tree.getChildren(group)), [['Kim cương', 'KIM_CUONG']]);
    // Colour icons: an SVG file per colour, filled with it; no colour, a theme icon.
    const vang = item(options[2]).iconPath as vscode.Uri;
    assert.ok(vang instanceof vscode.Uri && vang.scheme === 'file', String(vang));
    assert.match(await fs.readFile(vang.fsPath, 'utf8'), /<circle[^>]*fill="#F9A825"/);
    assert.equal((item(options[0]).iconPath as vscode.ThemeIcon).id, 'circle-outline');
    assert.equal(item(options[2]).tooltip, undefined, 'made on hover, not with the row');
    const hovered = ctx.api.tree.resolveTreeItem(item(options[2]), options[2]);
    const tooltip = (hovered.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes('VANG') && tooltip.includes('#F9A825'), tooltip);
    const ids = [root, ...fields, ...options].map((n) => item(n).id);
    assert.equal(new Set(ids).size, ids.length, 'unique ids');

    // All 120 options of a RADIO field, over three pages, in order.
    const source = await ctx.api.tree.getChildren(await child(root, 'Nguồn'));
    assert.equal(source.length, 120);
    assert.deepEqual(labels(source.slice(0, 2)), [
      ['Nguồn 0', 'N000'],
      ['Nguồn 1', 'N001'],
    ]);
    const reads = ctx.sandbox.requests.filter((r) => r.path.startsWith('/api/customerfield/'));
    assert.ok(reads.every((r) => r.method === 'GET' && r.apiVersion === 'v3' && r.headers['x-api-key'] === key));
    assert.ok(reads.filter((r) => r.url.includes('customer_field_code=nguon')).length >= 3, 'read in pages');
  });

  it('reads when expanded, and again only after Refresh', async () => {
    await v3Profile();
    const root = await fieldsRoot();
    const count = () => ctx.sandbox.requests.filter((r) => r.path === '/api/customerfield/get-all').length;
    await ctx.api.tree.getChildren(root);
    const afterFirst = count();
    assert.ok(afterFirst >= 1);
    await ctx.api.tree.getChildren(root);
    assert.equal(count(), afterFirst, 'a redraw reads nothing');
    ctx.sandbox.fields.seed(VBOT_ID, PROJECT, [SOURCE]);
    await exec('vbotCrm.refresh');
    assert.deepEqual(labels(await ctx.api.tree.getChildren(root)), [['Nguồn', 'RADIO']]);
    assert.ok(count() > afterFirst);
  });

  it('offline: the last read shows, marked "read at <time>", with why; a list never read says so; back online, fresh', async () => {
    await v3Profile();
    const root = await fieldsRoot();
    const level = await child(root, 'Hạng thành viên');
    const online = labels(await ctx.api.tree.getChildren(level));
    assert.ok(!online.some(([label]) => label.startsWith('Offline')), JSON.stringify(online));

    ctx.sandbox.injectFault({ fault: { kind: 'reset' }, times: Infinity });
    await exec('vbotCrm.refresh');
    const offline = await ctx.api.tree.getChildren(root);
    const [note, ...fields] = labels(offline);
    assert.match(note[0], /^Offline: the list as read at .+/);
    assert.match(String(item(offline[0]).tooltip), /could not be reached/);
    assert.deepEqual(fields, [
      ['Hạng thành viên', 'SELECT'],
      ['Nguồn', 'RADIO'],
    ]);
    const storedLevel = await child(root, 'Hạng thành viên');
    const [levelNote, ...options] = labels(await ctx.api.tree.getChildren(storedLevel));
    assert.match(levelNote[0], /^Offline: the list as read at .+/);
    assert.deepEqual(options, [
      ['Khác', 'KHAC'],
      ['Cao cấp', 'NHOM'],
      ['Vàng', 'VANG'],
    ]);
    const never = await ctx.api.tree.getChildren(await child(root, 'Nguồn'));
    assert.deepEqual(
      never.map((n) => item(n).label),
      ['Could not read from VBot; nothing read before'],
    );

    ctx.sandbox.clearFaults();
    await exec('vbotCrm.refresh');
    assert.deepEqual(
      labels(await ctx.api.tree.getChildren(root)).map(([label]) => label),
      ['Hạng thành viên', 'Nguồn'],
    );
    assert.equal((await ctx.api.tree.getChildren(await child(root, 'Nguồn'))).length, 120);
  });

  it('without an API key: a node that asks for one, and nothing sent', async () => {
    await v3Profile(false);
    const root = await fieldsRoot();
    const children = await ctx.api.tree.getChildren(root);
    assert.equal(children.length, 1);
    assert.equal(item(children[0]).label, 'Set the API key to read the customer fields');
    assert.equal(item(children[0]).command?.command, 'vbotCrm.setAccessToken');
    assert.equal(ctx.sandbox.requests.filter((r) => r.path.startsWith('/api/customerfield/')).length, 0);
  });

  it('a v2 profile has no "Customer fields" node', async () => {
    await exec('vbotCrm.addProject', { projectCode: PROJECT });
    const project = (await ctx.api.tree.getChildren()).find((n) => n.kind === 'project' && n.projectCode === PROJECT)!;
    assert.ok(project);
    assert.ok((await ctx.api.tree.getChildren(project)).every((n) => n.kind !== 'fields'));
  });
});
